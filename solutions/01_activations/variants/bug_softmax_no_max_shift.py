# expect-fail: test_softmax_stable, test_softmax_batch_stable
# overlay-on: reference


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)
