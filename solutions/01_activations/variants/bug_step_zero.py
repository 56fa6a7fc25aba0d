# expect-fail: test_step_zero
# overlay-on: reference


def step(x: ArrayLike) -> np.ndarray:
    return np.where(np.asarray(x) > 0, 1, -1)
