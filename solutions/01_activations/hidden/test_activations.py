"""Hidden tests of assignment 01: sigmoid, tanh, relu, step, softmax, sigmoid_grad.

References come from scipy.special and numpy in this (trusted) process. Weights live in its assignment.toml, under [weights].
"""

import numpy as np
import pytest
from scipy.special import expit
from scipy.special import softmax as scipy_softmax

from autograder.engine.checks import (
    as_array,
    as_number,
    check_close,
    check_finite,
    check_gradient,
    check_integral,
    check_no_warnings,
    check_shape,
)
from autograder.engine.curves import SWEEP, record_curve
from autograder.engine.draws import with_edges
from autograder.engine.feedback import fail, given, label

KINDS = ["float64", "float32", "int", "list", "scalar"]
SHAPES = [(7,), (3, 4), (2, 3, 5), (0,)]
EDGES = (-1.0, 0.0, 1.0, -0.5, 0.5)  # in every random draw: negatives, a zero, positives, some within (−1, 1)
SMALL = (0.0, -0.25, 0.25, -0.75, 0.75, -1.0, 1.0)  # and, in the property tests' wide draws, values near 0
PUBLIC_EDGE = np.array([-1000.0, 0.0, 1000.0])  # COURSE.md names x = ±1000


@pytest.fixture(scope="session", autouse=True)
def feedback_curves(student):
    """After the tests: each function on the public sweep, for the feedback page's plots (no points)."""
    yield
    sigmoid = expit(SWEEP)
    for function, expected in (
        ("sigmoid", sigmoid),
        ("tanh", np.tanh(SWEEP)),
        ("relu", np.maximum(SWEEP, 0.0)),
        ("step", np.where(SWEEP >= 0, 1.0, -1.0)),
        ("softmax", scipy_softmax(SWEEP)),
        ("sigmoid_grad", sigmoid * (1 - sigmoid)),
    ):
        record_curve(student, function, expected)


def one(rng, kind: str, shape: tuple, low: float = -8.0, high: float = 8.0, edges=EDGES, zero: bool = True):
    """(input to send, the same values as float64, rtol, atol, description): one random array holding `edges`.

    With zero=False an int draw holds no 0 (a float draw never holds an exact 0 but from `edges`).
    """
    empty = "an empty" if 0 in shape else "a random"
    empty_ko = "빈" if 0 in shape else "무작위"
    if kind == "int":
        values = rng.integers(int(low), int(high) + 1, size=shape)
        value = with_edges(
            rng, values if zero else np.where(values == 0, 1, values), [e for e in edges if float(e).is_integer()]
        )
        return (
            value,
            value.astype(np.float64),
            1e-6,
            1e-9,
            label(f"{empty} int array of shape {shape}", f"모양이 {shape}인 {empty_ko} int 배열"),
        )
    values = with_edges(rng, rng.uniform(low, high, size=shape), edges)
    if kind == "float32":
        value = values.astype(np.float32)
        return (
            value,
            value.astype(np.float64),
            1e-5,
            1e-6,
            label(f"{empty} float32 array of shape {shape}", f"모양이 {shape}인 {empty_ko} float32 배열"),
        )
    if kind == "list":
        return (
            values.tolist(),
            values,
            1e-6,
            1e-9,
            label(f"{empty} Python list of shape {shape}", f"모양이 {shape}인 {empty_ko} Python 리스트"),
        )
    return (
        values,
        values,
        1e-6,
        1e-9,
        label(f"{empty} float64 array of shape {shape}", f"모양이 {shape}인 {empty_ko} float64 배열"),
    )


def samples(rng, kind: str, low: float = -8.0, high: float = 8.0, edges=EDGES, zero: bool = True):
    """Every input of one kind a values test sends: an array of each shape in SHAPES (the last one empty), or
    for "scalar" one number in each single-number form: a Python float, a Python int and a 0-d array.

    The float and the 0-d array are a negative and a positive within (−1, 1), in random order,
    and the int is 0 (with zero=False a random non-zero int): a bug that shows on one sign, or
    only between −1 and 1 (a branch on x ≥ 1 for x ≥ 0), fails on every seed.
    """
    if kind != "scalar":
        for shape in SHAPES:
            yield one(rng, kind, shape, low, high, edges, zero)
        return
    first, third = rng.permutation([-1.0, 1.0]) * rng.uniform(0.1, 0.9, size=2)  # the arrays hold larger values
    whole = 0 if zero else int(rng.choice([-1, 1]) * rng.integers(1, int(high) + 1))
    yield float(first), np.float64(first), 1e-6, 1e-9, label("a random Python float", "무작위 Python float 값")
    yield whole, np.float64(whole), 1e-6, 1e-9, label("a random Python int", "무작위 Python int 값")
    yield (
        np.array(third),
        np.float64(third),
        1e-6,
        1e-9,
        label("a random 0-d float64 array", "무작위 0차원 float64 배열"),
    )


def returned(value, x, what: str):
    """A scalar's result may come back as any one-number form; arrays are left alone."""
    return as_number(value, what) if np.ndim(x) == 0 else value


# -- sigmoid ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_sigmoid_values(student, rng, kind):
    """Does sigmoid(x) match 1 / (1 + e^(−x)) on random inputs of several shapes and types?

    ko: 여러 모양과 자료형의 무작위 입력에서 sigmoid(x)가 1 / (1 + e^(−x))와 같은가요?
    """
    for x, x64, rtol, atol, desc in samples(rng, kind):
        check_close(
            returned(student.sigmoid(x), x, given("sigmoid(x)", desc)),
            expit(x64),
            given("sigmoid(x)", desc),
            rtol=rtol,
            atol=atol,
        )


def test_sigmoid_keeps_shape(student, rng):
    """Does sigmoid keep the shape of a 3-D input?

    ko: sigmoid가 3차원 입력의 모양을 그대로 유지하나요?
    """
    x = rng.normal(size=(2, 1, 4))
    check_shape(
        as_array(student.sigmoid(x), "sigmoid(x)"),
        x.shape,
        label("sigmoid(x) for an input of shape (2, 1, 4)", "모양이 (2, 1, 4)인 입력에 대한 sigmoid(x)"),
    )


def test_sigmoid_stable(student):
    """Is sigmoid([−1000, 0, 1000]) = [0, 0.5, 1] with no overflow, NaN or warning?

    ko: sigmoid([−1000, 0, 1000])가 오버플로, NaN, 경고 없이 [0, 0.5, 1]인가요?
    """
    got = student.sigmoid(PUBLIC_EDGE)
    check_no_warnings(student, "sigmoid([-1000, 0, 1000])")
    check_close(got, expit(PUBLIC_EDGE), "sigmoid([-1000, 0, 1000])", atol=1e-12, show=True)


def test_sigmoid_symmetry(student, rng):
    """Does sigmoid(−x) = 1 − sigmoid(x) hold?

    ko: sigmoid(−x) = 1 − sigmoid(x)가 성립하나요?
    """
    x = with_edges(rng, rng.uniform(-30, 30, size=50), SMALL)
    positive = as_array(student.sigmoid(x), "sigmoid(x)")
    negative = student.sigmoid(-x)
    check_close(
        negative,
        1.0 - positive,
        label("sigmoid(−x) compared with 1 − sigmoid(x)", "1 − sigmoid(x)와 비교한 sigmoid(−x)"),
        rtol=1e-9,
        atol=1e-12,
    )


def test_sigmoid_range(student, rng):
    """Do all of sigmoid's values lie in [0, 1]?

    ko: sigmoid의 값이 모두 [0, 1] 안에 있나요?
    """
    x = with_edges(rng, rng.uniform(-50, 50, size=200), SMALL + (-50.0, 50.0))
    got = as_array(student.sigmoid(x), "sigmoid(x)")
    check_shape(got, x.shape, "sigmoid(x)")
    check_finite(got, "sigmoid(x)")
    if got.min() < 0 or got.max() > 1:
        fail(
            "sigmoid(x) returned values outside [0, 1] for random x in [−50, 50].",
            "sigmoid(x)가 [−50, 50] 범위의 무작위 x에 대해 [0, 1] 밖의 값을 반환했습니다.",
            cause="range",
        )


# -- tanh -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_tanh_values(student, rng, kind):
    """Does tanh(x) match numpy's tanh on random inputs of several shapes and types?

    ko: 여러 모양과 자료형의 무작위 입력에서 tanh(x)가 numpy의 tanh와 같은가요?
    """
    for x, x64, rtol, atol, desc in samples(rng, kind, -4, 4):
        check_close(
            returned(student.tanh(x), x, given("tanh(x)", desc)),
            np.tanh(x64),
            given("tanh(x)", desc),
            rtol=rtol,
            atol=atol,
        )


def test_tanh_odd(student, rng):
    """Is tanh odd: tanh(−x) = −tanh(x)?

    ko: tanh가 홀함수인가요: tanh(−x) = −tanh(x)?
    """
    x = with_edges(rng, rng.uniform(-10, 10, size=50), SMALL)
    positive = as_array(student.tanh(x), "tanh(x)")
    check_close(
        student.tanh(-x),
        -positive,
        label("tanh(−x) compared with −tanh(x)", "−tanh(x)와 비교한 tanh(−x)"),
        rtol=1e-9,
        atol=1e-12,
    )


def test_tanh_stable(student):
    """Is tanh([−1000, 0, 1000]) = [−1, 0, 1] with no overflow, NaN or warning?

    ko: tanh([−1000, 0, 1000])가 오버플로, NaN, 경고 없이 [−1, 0, 1]인가요?
    """
    got = student.tanh(PUBLIC_EDGE)
    check_no_warnings(student, "tanh([-1000, 0, 1000])")
    check_close(got, np.tanh(PUBLIC_EDGE), "tanh([-1000, 0, 1000])", atol=1e-12, show=True)


# -- relu -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_relu_values(student, rng, kind):
    """Does relu(x) match max(0, x) on random inputs of several shapes and types?

    ko: 여러 모양과 자료형의 무작위 입력에서 relu(x)가 max(0, x)와 같은가요?
    """
    for x, x64, rtol, atol, desc in samples(rng, kind):
        check_close(
            returned(student.relu(x), x, given("relu(x)", desc)),
            np.maximum(x64, 0.0),
            given("relu(x)", desc),
            rtol=rtol,
            atol=atol,
        )


def test_relu_nonnegative(student, rng):
    """Is relu(x) ≥ 0 everywhere and equal to x where x > 0?

    ko: relu(x)가 어디서나 0 이상이고, x > 0인 곳에서는 x와 같은가요?
    """
    x = with_edges(rng, rng.normal(scale=100, size=(20, 10)), SMALL + (-100.0, 100.0))
    got = as_array(student.relu(x), "relu(x)")
    check_shape(got, x.shape, "relu(x)")
    check_finite(got, "relu(x)")
    if (got < 0).any():
        fail("relu(x) returned negative values.", "relu(x)가 음수를 반환했습니다.", cause="range")
    check_close(
        got[x > 0],
        x[x > 0],
        label(
            "relu(x) where x > 0 (it should pass x through unchanged)", "x > 0인 곳의 relu(x)(x를 그대로 통과시켜야 함)"
        ),
    )


# -- step -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_step_values(student, rng, kind):
    """Does step(x) give the integers 1 (x > 0) and −1 (x < 0) on random non-zero inputs?

    ko: 0이 아닌 무작위 입력에서 step(x)가 정수 1(x > 0)과 −1(x < 0)을 내나요?
    """
    for x, x64, _, _, desc in samples(rng, kind, edges=(-1.0, 1.0, -0.5, 0.5), zero=False):  # zero: test_step_zero
        what = given("step(x)", desc)
        got = as_array(returned(student.step(x), x, what), what)
        check_shape(got, np.shape(x64), what)
        check_integral(got, what)
        check_close(got, np.where(x64 >= 0, 1.0, -1.0), what, rtol=0, atol=0)


def test_step_zero(student):
    """Is step(0) = 1, for 0, 0.0, −0.0 and an array holding zeros?

    ko: 0, 0.0, −0.0과 0이 들어 있는 배열에서 step(0) = 1인가요?
    """
    for x, expected, what in [
        (0, 1.0, "step(0)"),
        (0.0, 1.0, "step(0.0)"),
        ([-0.0, 0.0, 1e-12, -1e-12], [1.0, 1.0, 1.0, -1.0], "step([-0.0, 0.0, 1e-12, -1e-12])"),
    ]:
        got = as_array(returned(student.step(x), x, what), what)
        check_integral(got, what)
        check_close(got, expected, what, rtol=0, atol=0, show=True)


# -- softmax ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["float64", "float32", "int", "list"])
def test_softmax_vector(student, rng, kind):
    """Does softmax of a single vector match scipy's softmax?

    ko: 벡터 하나에 대한 softmax가 scipy의 softmax와 같은가요?
    """
    for length in (2, 5, 10):
        x, x64, rtol, atol, desc = one(rng, kind, (length,), -6, 6)
        check_close(student.softmax(x), scipy_softmax(x64), given("softmax(x)", desc), rtol=rtol, atol=atol)


def test_softmax_batch(student, rng):
    """Is each row of a batch (N, C) normalised on its own, with the default axis and with axis=-1?

    ko: 기본 axis와 axis=-1에서 배치 (N, C)의 각 행이 따로 정규화되나요?
    """
    for shape in [(4, 3), (8, 10), (1, 5)]:
        x = rng.normal(scale=3, size=shape)
        expected = scipy_softmax(x, axis=-1)
        check_close(
            student.softmax(x),
            expected,
            label(f"softmax(x) for a random batch of shape {shape}", f"모양이 {shape}인 무작위 배치에 대한 softmax(x)"),
        )
        check_close(
            student.softmax(x, axis=-1),
            expected,
            label(
                f"softmax(x, axis=-1) for a random batch of shape {shape}",
                f"모양이 {shape}인 무작위 배치에 대한 softmax(x, axis=-1)",
            ),
        )


def test_softmax_rows_sum_to_one(student, rng):
    """Does every row of softmax on a batch (N, C) sum to 1, with every value in [0, 1]?

    ko: 배치 (N, C)에 대한 softmax의 모든 행의 합이 1이고, 모든 값이 [0, 1] 안에 있나요?
    """
    x = rng.normal(scale=5, size=(16, 7))
    got = as_array(student.softmax(x), "softmax(x)")
    check_shape(
        got, x.shape, label("softmax(x) for a batch of shape (16, 7)", "모양이 (16, 7)인 배치에 대한 softmax(x)")
    )
    check_finite(got, "softmax(x)")
    if got.min() < 0 or got.max() > 1:
        fail(
            "softmax(x) returned values outside [0, 1] for a batch of shape (16, 7).",
            "softmax(x)가 (16, 7) 모양의 배치에서 [0, 1] 밖의 값을 반환했습니다.",
            cause="range",
        )
    check_close(
        got.sum(axis=1),
        np.ones(16),
        label(
            "the row sums of softmax(x) for a batch of shape (16, 7)",
            "모양이 (16, 7)인 배치에 대한 softmax(x)의 행별 합",
        ),
        atol=1e-9,
    )


def test_softmax_axis0(student, rng):
    """Does softmax(x, axis=0) normalise each column of a batch?

    ko: softmax(x, axis=0)가 배치의 각 열을 정규화하나요?
    """
    for shape in [(5, 3), (2, 6)]:
        x = rng.normal(scale=3, size=shape)
        check_close(
            student.softmax(x, axis=0),
            scipy_softmax(x, axis=0),
            label(
                f"softmax(x, axis=0) for a random array of shape {shape}",
                f"모양이 {shape}인 무작위 배열에 대한 softmax(x, axis=0)",
            ),
        )


def test_softmax_middle_axis(student, rng):
    """Does softmax(x, axis=1) normalise along the middle axis of a 3-D array?

    ko: softmax(x, axis=1)가 3차원 배열의 가운데 축을 따라 정규화하나요?
    """
    x = rng.normal(scale=3, size=(2, 4, 3))
    check_close(
        student.softmax(x, axis=1),
        scipy_softmax(x, axis=1),
        label(
            "softmax(x, axis=1) for a random array of shape (2, 4, 3)",
            "모양이 (2, 4, 3)인 무작위 배열에 대한 softmax(x, axis=1)",
        ),
    )


def test_softmax_stable(student):
    """Is softmax of a vector holding ±1000 finite and correct, with no warning?

    ko: ±1000이 들어 있는 벡터의 softmax가 경고 없이 유한하고 올바른가요?
    """
    for x in ([1000.0, 0.0, -1000.0], [1000.0, 1000.0], [-1000.0, -1000.0, -1000.0]):
        label = f"softmax({x})"
        got = student.softmax(np.array(x))
        check_no_warnings(student, label)
        check_close(got, scipy_softmax(np.array(x)), label, atol=1e-12, show=True)


def test_softmax_batch_stable(student):
    """Is softmax of a batch whose rows hold ±1000 finite and correct row by row, with no warning?

    ko: 행에 ±1000이 들어 있는 배치의 softmax가 경고 없이 유한하고 행마다 올바른가요?
    """
    x = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [0.0, 1000.0, 1000.0]])
    label = "softmax([[1000, 0, -1000], [-1000, -1000, -1000], [0, 1000, 1000]])"
    got = student.softmax(x)
    check_no_warnings(student, label)
    check_close(got, scipy_softmax(x, axis=-1), label, atol=1e-12, show=True)


# -- sigmoid_grad -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_sigmoid_grad_values(student, rng, kind):
    """Does sigmoid_grad(x) match σ(x)(1 − σ(x)) on random inputs of several shapes and types?

    ko: 여러 모양과 자료형의 무작위 입력에서 sigmoid_grad(x)가 σ(x)(1 − σ(x))와 같은가요?
    """
    for x, x64, rtol, atol, desc in samples(rng, kind):
        s = expit(x64)
        check_close(
            returned(student.sigmoid_grad(x), x, given("sigmoid_grad(x)", desc)),
            s * (1 - s),
            given("sigmoid_grad(x)", desc),
            rtol=rtol,
            atol=atol,
        )


def test_sigmoid_grad_numerical(student, rng):
    """Does sigmoid_grad agree with a central-difference derivative of the sigmoid?

    ko: sigmoid_grad가 시그모이드를 중앙 차분으로 수치 미분한 값과 일치하나요?
    """
    x = rng.uniform(-6, 6, size=(4, 5))
    h = 1e-5
    numerical = (expit(x + h) - expit(x - h)) / (2 * h)
    check_gradient(
        student.sigmoid_grad(x),
        numerical,
        label("sigmoid_grad(x) for a random (4, 5) array", "무작위 (4, 5) 배열에 대한 sigmoid_grad(x)"),
        bound=1e-6,
    )


def test_sigmoid_grad_stable(student):
    """Is sigmoid_grad([−1000, 0, 1000]) finite, with no overflow or warning?

    ko: sigmoid_grad([−1000, 0, 1000])가 오버플로나 경고 없이 유한한가요?
    """
    got = as_array(student.sigmoid_grad(PUBLIC_EDGE), "sigmoid_grad([-1000, 0, 1000])")
    check_no_warnings(student, "sigmoid_grad([-1000, 0, 1000])")
    check_shape(got, (3,), "sigmoid_grad([-1000, 0, 1000])")
    check_finite(got, "sigmoid_grad([-1000, 0, 1000])")
