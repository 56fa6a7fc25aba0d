# expect-fail: test_bce_edge, test_bce_eps, test_cce_edge, test_cce_eps, test_sparse_edge, test_sparse_eps
# overlay-on: reference


def binary_cross_entropy(y_true: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    y = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def categorical_cross_entropy(y_onehot: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    y = np.asarray(y_onehot, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    return -np.mean(np.sum(y * np.log(p), axis=-1))


def sparse_categorical_cross_entropy(y_int: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    labels = np.asarray(y_int, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))
