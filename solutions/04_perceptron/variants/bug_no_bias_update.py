# expect-fail: test_train_or, test_train_and, test_train_separable, test_train_input_types, test_train_until_no_mistakes, test_train_defaults
# overlay-on: reference


def train_perceptron(X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 100) -> tuple[np.ndarray, float]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for xi, yi in zip(X, y):
            if step(xi @ w + b) != yi:
                w = w + lr * yi * xi
                mistakes += 1
        if mistakes == 0:
            break
    return w, b
