# expect-fail: test_bce_values, test_bce_edge, test_bce_one_sample, test_bce_eps, test_cce_values, test_cce_edge, test_cce_eps, test_cce_worked_example, test_sparse_values, test_sparse_edge, test_sparse_eps, test_sparse_worked_example
# overlay-on: reference


def binary_cross_entropy(y_true: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    y = np.asarray(y_true, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.mean(y * np.log10(p) + (1.0 - y) * np.log10(1.0 - p))


def categorical_cross_entropy(y_onehot: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    y = np.asarray(y_onehot, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.mean(np.sum(y * np.log10(p), axis=-1))


def sparse_categorical_cross_entropy(y_int: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    labels = np.asarray(y_int, dtype=np.int64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.mean(np.log10(p[np.arange(len(labels)), labels]))
