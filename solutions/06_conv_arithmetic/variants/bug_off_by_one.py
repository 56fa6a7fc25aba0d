# expect-fail: test_output_size_formula, test_output_size_matches_torch, test_output_size_rounds_down, test_output_size_notes_example
# overlay-on: reference


def conv_output_size(n: int, f: int, p: int = 0, s: int = 1) -> int:
    if s <= 0:
        raise ValueError(f"the stride must be a positive integer, got s={s}")
    if f > n + 2 * p:
        raise ValueError(f"a filter of size {f} does not fit an input of size {n} with padding {p}")
    return (n + 2 * p - f) // s
