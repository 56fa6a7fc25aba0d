# expect-fail: test_dropout_inverted_scaling, test_dropout_fraction_dropped, test_dropout_input_types
# overlay-on: reference


def dropout(x, p: float, training: bool = True, rng: np.random.Generator | None = None) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if not training or p == 0:
        return x
    if rng is None:
        rng = np.random.default_rng()
    keep = rng.random(x.shape) < p  # p read as the probability of keeping
    return x * keep / p
