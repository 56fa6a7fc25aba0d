# expect-fail: test_perceptron_output_zero, test_train_or, test_train_and
# overlay-on: reference


def step(x: ArrayLike) -> np.ndarray:
    return np.where(np.asarray(x) > 0, 1, -1)
