# expect-fail: test_and_gate, test_or_gate, test_nand_gate, test_xor_gate
# overlay-on: reference


def AND(x1: int, x2: int) -> int:
    return int(perceptron_output([[x1, x2]], [0.5, 0.5], -0.7)[0])


def OR(x1: int, x2: int) -> int:
    return int(perceptron_output([[x1, x2]], [0.5, 0.5], -0.2)[0])


def NAND(x1: int, x2: int) -> int:
    return int(perceptron_output([[x1, x2]], [-0.5, -0.5], 0.7)[0])
