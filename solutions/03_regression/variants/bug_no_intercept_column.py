# expect-fail: test_fit_multiple_coef, test_fit_multiple_intercept, test_fit_multiple_input_types
# overlay-on: reference


def fit_multiple(X: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    return 0.0, beta
