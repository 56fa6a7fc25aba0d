# expect-fail: 
# overlay-on: reference


def tanh(x: ArrayLike) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-2.0 * np.abs(x))  # the formula rewritten with a non-positive exponent
    return np.sign(x) * -np.expm1(-2.0 * np.abs(x)) / (1.0 + e)


def relu(x: ArrayLike) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, 0.0)


def step(x: ArrayLike) -> np.ndarray:
    x = np.asarray(x)
    out = np.empty(x.shape, dtype=int)
    for index, value in np.ndenumerate(x):
        out[index] = 1 if value >= 0 else -1
    return out


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    out = np.empty_like(x)
    for index in np.ndindex(x.shape[:-1]):
        row = x[index]
        e = np.exp(row - row.max())
        out[index] = e / e.sum()
    return np.moveaxis(out, -1, axis)
