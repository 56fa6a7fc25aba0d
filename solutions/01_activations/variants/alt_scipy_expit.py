# expect-fail: 
# overlay-on: reference


from scipy import special


def sigmoid(x: ArrayLike) -> np.ndarray:
    return special.expit(np.asarray(x, dtype=np.float64))


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    return special.softmax(np.asarray(x, dtype=np.float64), axis=axis)
