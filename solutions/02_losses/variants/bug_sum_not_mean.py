# expect-fail: test_bce_values, test_bce_edge, test_bce_eps
# overlay-on: reference


def binary_cross_entropy(y_true: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    y = np.asarray(y_true, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
