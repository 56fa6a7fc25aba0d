# expect-fail: test_perceptron_output_zero, test_train_or, test_train_and, test_train_input_types, test_train_defaults
# overlay-on: reference


def step(x: ArrayLike) -> np.ndarray:
    return np.where(np.asarray(x) > 0, 1, -1)
