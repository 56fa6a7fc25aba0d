# expect-fail: test_xor_gate
# overlay-on: reference


def XOR(x1: int, x2: int) -> int:
    return OR(x1, x2)
