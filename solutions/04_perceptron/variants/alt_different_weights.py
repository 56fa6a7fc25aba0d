# expect-fail: 
# overlay-on: reference


def AND(x1: int, x2: int) -> int:
    return to_bit(perceptron_output([[x1, x2]], [1.0, 1.0], -1.5))


def OR(x1: int, x2: int) -> int:
    return to_bit(perceptron_output([[x1, x2]], [2.0, 2.0], -1.0))


def NAND(x1: int, x2: int) -> int:
    return to_bit(perceptron_output([[x1, x2]], [-2.0, -1.0], 2.5))
