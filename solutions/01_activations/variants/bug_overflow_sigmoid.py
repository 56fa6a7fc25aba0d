# expect-fail: test_sigmoid_stable, test_sigmoid_grad_stable
# overlay-on: reference


def sigmoid(x: ArrayLike) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(x, dtype=np.float64)))
