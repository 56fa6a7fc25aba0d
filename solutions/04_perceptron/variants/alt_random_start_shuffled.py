# expect-fail:
# overlay-on: reference


def train_perceptron(X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 100) -> tuple[np.ndarray, float]:
    # the rule from small random weights, visiting the samples in a new random order every epoch
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.random.randn(X.shape[1]) * 0.01
    b = float(np.random.randn()) * 0.01
    for _ in range(epochs):
        mistakes = 0
        for i in np.random.permutation(len(X)):
            if step(X[i] @ w + b) != y[i]:
                w = w + lr * y[i] * X[i]
                b = b + lr * y[i]
                mistakes += 1
        if mistakes == 0:
            break
    return w, b
