# expect-fail: 
# overlay-on: reference


def fit_simple(x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    x = np.asarray(x, dtype=np.float64)
    A = np.column_stack([x, np.ones_like(x)])
    (slope, intercept), *_ = np.linalg.lstsq(A, np.asarray(y, dtype=np.float64), rcond=None)
    return slope, intercept


def fit_multiple(X: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    A = np.hstack([np.ones((X.shape[0], 1)), X])
    beta = np.linalg.pinv(A) @ y
    return beta[0], beta[1:]
