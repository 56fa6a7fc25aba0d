# expect-fail: test_mae_values
# overlay-on: reference


def mae(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    error = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return np.mean(error ** 2)
