# expect-fail: test_softmax_batch, test_softmax_rows_sum_to_one, test_softmax_axis0, test_softmax_middle_axis, test_softmax_batch_stable
# overlay-on: reference


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - np.max(x))
    return e / e.sum()
