# expect-fail: test_sigmoid_grad_values, test_sigmoid_grad_numerical
# overlay-on: reference


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    s = sigmoid(x)
    return s * (1.0 + s)
