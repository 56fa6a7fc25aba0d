# expect-fail: test_relu_values, test_relu_nonnegative
# overlay-on: reference


def relu(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)  # forgot max(0, x): negatives pass through
