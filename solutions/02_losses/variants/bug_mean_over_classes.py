# expect-fail: test_cce_values, test_cce_edge, test_cce_eps, test_cce_worked_example
# overlay-on: reference


def categorical_cross_entropy(y_onehot: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    y = np.asarray(y_onehot, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.mean(y * np.log(p))
