# expect-fail: 
# overlay-on: reference


def fit_simple(x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    xs = [float(v) for v in np.asarray(x).ravel()]
    ys = [float(v) for v in np.asarray(y).ravel()]
    n = len(xs)
    x_mean, y_mean = sum(xs) / n, sum(ys) / n
    numerator, denominator = 0.0, 0.0
    for xi, yi in zip(xs, ys):
        numerator += (xi - x_mean) * (yi - y_mean)
        denominator += (xi - x_mean) ** 2
    slope = numerator / denominator
    return slope, y_mean - slope * x_mean


def predict(X: ArrayLike, intercept: float, coef: ArrayLike) -> np.ndarray:
    rows = np.asarray(X, dtype=np.float64)
    weights = np.asarray(coef, dtype=np.float64)
    out = np.zeros(len(rows))
    for i, row in enumerate(rows):
        total = intercept
        for value, weight in zip(row, weights):
            total += value * weight
        out[i] = total
    return out
