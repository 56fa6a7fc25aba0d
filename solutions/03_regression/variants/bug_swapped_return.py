# expect-fail: test_fit_simple_slope, test_fit_simple_intercept, test_fit_simple_exact_line
# overlay-on: reference


def fit_simple(x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    dx, dy = x - x.mean(), y - y.mean()
    slope = np.sum(dx * dy) / np.sum(dx ** 2)
    intercept = y.mean() - slope * x.mean()
    return intercept, slope
