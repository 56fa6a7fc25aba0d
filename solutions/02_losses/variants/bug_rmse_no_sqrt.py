# expect-fail: test_rmse_values, test_rmse_is_sqrt_of_mse
# overlay-on: reference


def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    return mse(y_true, y_pred)
