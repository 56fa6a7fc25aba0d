"""Hidden tests of assignment 01: sigmoid, tanh, relu, step, softmax, sigmoid_grad.

References come from scipy.special and numpy in this (trusted) process. Weights live in
grading.toml under [assignments.activations.weights].
"""
import numpy as np
import pytest
from scipy.special import expit
from scipy.special import softmax as scipy_softmax

from autograder.engine.checks import (as_array, as_number, check_close, check_finite, check_gradient, check_integral,
                                      check_no_warnings, check_shape)
from autograder.engine.feedback import fail

KINDS = ["float64", "float32", "int", "list", "scalar"]
SHAPES = [(7,), (3, 4), (2, 3, 5)]
PUBLIC_EDGE = np.array([-1000.0, 0.0, 1000.0])  # COURSE.md names x = ±1000


def sample(rng, kind: str, shape: tuple, low: float = -8.0, high: float = 8.0):
    """(input to send, the same values as float64, rtol, atol, description) for one input kind."""
    if kind == "scalar":
        value = float(rng.uniform(low, high))
        return value, np.float64(value), 1e-6, 1e-9, "a random Python float"
    if kind == "int":
        value = rng.integers(int(low), int(high) + 1, size=shape)
        return value, value.astype(np.float64), 1e-6, 1e-9, f"a random int array of shape {shape}"
    values = rng.uniform(low, high, size=shape)
    if kind == "float32":
        value = values.astype(np.float32)
        return value, value.astype(np.float64), 1e-5, 1e-6, f"a random float32 array of shape {shape}"
    if kind == "list":
        return values.tolist(), values, 1e-6, 1e-9, f"a random Python list of shape {shape}"
    return values, values, 1e-6, 1e-9, f"a random float64 array of shape {shape}"


def shapes_for(kind: str) -> list:
    return [()] * 3 if kind == "scalar" else SHAPES


def returned(value, x, what: str):
    """A scalar's result may come back as any one-number form; arrays are left alone."""
    return as_number(value, what) if np.ndim(x) == 0 else value


# -- sigmoid ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_sigmoid_values(student, rng, kind):
    """Does sigmoid(x) match 1 / (1 + e^(−x)) on random inputs of several shapes and types?"""
    for shape in shapes_for(kind):
        x, x64, rtol, atol, desc = sample(rng, kind, shape)
        check_close(returned(student.sigmoid(x), x, f"sigmoid(x) for {desc}"), expit(x64), f"sigmoid(x) for {desc}", rtol=rtol, atol=atol)


def test_sigmoid_keeps_shape(student, rng):
    """Does sigmoid keep the shape of a 3-D input?"""
    x = rng.normal(size=(2, 1, 4))
    check_shape(as_array(student.sigmoid(x), "sigmoid(x)"), x.shape, "sigmoid(x) for an input of shape (2, 1, 4)")


def test_sigmoid_stable(student):
    """Is sigmoid([−1000, 0, 1000]) = [0, 0.5, 1] with no overflow, NaN or warning?"""
    got = student.sigmoid(PUBLIC_EDGE)
    check_no_warnings(student, "sigmoid([-1000, 0, 1000])")
    check_close(got, expit(PUBLIC_EDGE), "sigmoid([-1000, 0, 1000])", atol=1e-12, show=True)


def test_sigmoid_symmetry(student, rng):
    """Does sigmoid(−x) = 1 − sigmoid(x) hold?"""
    x = rng.uniform(-30, 30, size=50)
    positive = as_array(student.sigmoid(x), "sigmoid(x)")
    negative = student.sigmoid(-x)
    check_close(negative, 1.0 - positive, "sigmoid(−x) compared with 1 − sigmoid(x)", rtol=1e-9, atol=1e-12)


def test_sigmoid_range(student, rng):
    """Do all of sigmoid's values lie in [0, 1]?"""
    x = rng.uniform(-50, 50, size=200)
    got = as_array(student.sigmoid(x), "sigmoid(x)")
    check_shape(got, x.shape, "sigmoid(x)")
    check_finite(got, "sigmoid(x)")
    if got.min() < 0 or got.max() > 1:
        fail("sigmoid(x) returned values outside [0, 1] for random x in [−50, 50].",
             "sigmoid(x)가 [−50, 50] 범위의 무작위 x에 대해 [0, 1] 밖의 값을 반환했습니다.", cause="range")


# -- tanh -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_tanh_values(student, rng, kind):
    """Does tanh(x) match numpy's tanh on random inputs of several shapes and types?"""
    for shape in shapes_for(kind):
        x, x64, rtol, atol, desc = sample(rng, kind, shape, -4, 4)
        check_close(returned(student.tanh(x), x, f"tanh(x) for {desc}"), np.tanh(x64), f"tanh(x) for {desc}", rtol=rtol, atol=atol)


def test_tanh_odd(student, rng):
    """Is tanh odd: tanh(−x) = −tanh(x)?"""
    x = rng.uniform(-10, 10, size=50)
    positive = as_array(student.tanh(x), "tanh(x)")
    check_close(student.tanh(-x), -positive, "tanh(−x) compared with −tanh(x)", rtol=1e-9, atol=1e-12)


def test_tanh_stable(student):
    """Is tanh([−1000, 0, 1000]) = [−1, 0, 1] with no overflow, NaN or warning?"""
    got = student.tanh(PUBLIC_EDGE)
    check_no_warnings(student, "tanh([-1000, 0, 1000])")
    check_close(got, np.tanh(PUBLIC_EDGE), "tanh([-1000, 0, 1000])", atol=1e-12, show=True)


# -- relu -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_relu_values(student, rng, kind):
    """Does relu(x) match max(0, x) on random inputs of several shapes and types?"""
    for shape in shapes_for(kind):
        x, x64, rtol, atol, desc = sample(rng, kind, shape)
        check_close(returned(student.relu(x), x, f"relu(x) for {desc}"), np.maximum(x64, 0.0), f"relu(x) for {desc}", rtol=rtol, atol=atol)


def test_relu_nonnegative(student, rng):
    """Is relu(x) ≥ 0 everywhere and equal to x where x > 0?"""
    x = rng.normal(scale=100, size=(20, 10))
    got = as_array(student.relu(x), "relu(x)")
    check_shape(got, x.shape, "relu(x)")
    check_finite(got, "relu(x)")
    if (got < 0).any():
        fail("relu(x) returned negative values.", "relu(x)가 음수를 반환했습니다.", cause="range")
    check_close(got[x > 0], x[x > 0], "relu(x) where x > 0 (it should pass x through unchanged)")


# -- step -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_step_values(student, rng, kind):
    """Does step(x) give the integers 1 (x > 0) and −1 (x < 0) on random non-zero inputs?"""
    for shape in shapes_for(kind):
        x, x64, _, _, desc = sample(rng, kind, shape)
        if kind == "int":  # zero has a test of its own (test_step_zero)
            x = np.where(x == 0, 1, x)
            x64 = x.astype(np.float64)
        got = as_array(returned(student.step(x), x, f"step(x) for {desc}"), f"step(x) for {desc}")
        check_shape(got, np.shape(x64), f"step(x) for {desc}")
        check_integral(got, f"step(x) for {desc}")
        check_close(got, np.where(x64 >= 0, 1.0, -1.0), f"step(x) for {desc}", rtol=0, atol=0)


def test_step_zero(student):
    """Is step(0) = 1, for 0, 0.0, −0.0 and an array holding zeros?"""
    for x, expected, label in [(0, 1.0, "step(0)"), (0.0, 1.0, "step(0.0)"),
                               ([-0.0, 0.0, 1e-12, -1e-12], [1.0, 1.0, 1.0, -1.0], "step([-0.0, 0.0, 1e-12, -1e-12])")]:
        got = as_array(returned(student.step(x), x, label), label)
        check_integral(got, label)
        check_close(got, expected, label, rtol=0, atol=0, show=True)


# -- softmax ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["float64", "float32", "int", "list"])
def test_softmax_vector(student, rng, kind):
    """Does softmax of a single vector match scipy's softmax?"""
    for length in (2, 5, 10):
        x, x64, rtol, atol, desc = sample(rng, kind, (length,), -6, 6)
        check_close(student.softmax(x), scipy_softmax(x64), f"softmax(x) for {desc}", rtol=rtol, atol=atol)


def test_softmax_batch(student, rng):
    """Is each row of a batch (N, C) normalised on its own, with the default axis and with axis=-1?"""
    for shape in [(4, 3), (8, 10), (1, 5)]:
        x = rng.normal(scale=3, size=shape)
        expected = scipy_softmax(x, axis=-1)
        check_close(student.softmax(x), expected, f"softmax(x) for a random batch of shape {shape}")
        check_close(student.softmax(x, axis=-1), expected, f"softmax(x, axis=-1) for a random batch of shape {shape}")


def test_softmax_rows_sum_to_one(student, rng):
    """Does every row of softmax on a batch (N, C) sum to 1, with every value in [0, 1]?"""
    x = rng.normal(scale=5, size=(16, 7))
    got = as_array(student.softmax(x), "softmax(x)")
    check_shape(got, x.shape, "softmax(x) for a batch of shape (16, 7)")
    check_finite(got, "softmax(x)")
    if got.min() < 0 or got.max() > 1:
        fail("softmax(x) returned values outside [0, 1] for a batch of shape (16, 7).",
             "softmax(x)가 (16, 7) 모양의 배치에서 [0, 1] 밖의 값을 반환했습니다.", cause="range")
    check_close(got.sum(axis=1), np.ones(16), "the row sums of softmax(x) for a batch of shape (16, 7)", atol=1e-9)


def test_softmax_axis0(student, rng):
    """Does softmax(x, axis=0) normalise each column of a batch?"""
    for shape in [(5, 3), (2, 6)]:
        x = rng.normal(scale=3, size=shape)
        check_close(student.softmax(x, axis=0), scipy_softmax(x, axis=0), f"softmax(x, axis=0) for a random array of shape {shape}")


def test_softmax_middle_axis(student, rng):
    """Does softmax(x, axis=1) normalise along the middle axis of a 3-D array?"""
    x = rng.normal(scale=3, size=(2, 4, 3))
    check_close(student.softmax(x, axis=1), scipy_softmax(x, axis=1), "softmax(x, axis=1) for a random array of shape (2, 4, 3)")


def test_softmax_stable(student):
    """Is softmax of a vector holding ±1000 finite and correct, with no warning?"""
    for x in ([1000.0, 0.0, -1000.0], [1000.0, 1000.0], [-1000.0, -1000.0, -1000.0]):
        label = f"softmax({x})"
        got = student.softmax(np.array(x))
        check_no_warnings(student, label)
        check_close(got, scipy_softmax(np.array(x)), label, atol=1e-12, show=True)


def test_softmax_batch_stable(student):
    """Is softmax of a batch whose rows hold ±1000 finite and correct row by row, with no warning?"""
    x = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [0.0, 1000.0, 1000.0]])
    label = "softmax([[1000, 0, -1000], [-1000, -1000, -1000], [0, 1000, 1000]])"
    got = student.softmax(x)
    check_no_warnings(student, label)
    check_close(got, scipy_softmax(x, axis=-1), label, atol=1e-12, show=True)


# -- sigmoid_grad -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_sigmoid_grad_values(student, rng, kind):
    """Does sigmoid_grad(x) match σ(x)(1 − σ(x)) on random inputs of several shapes and types?"""
    for shape in shapes_for(kind):
        x, x64, rtol, atol, desc = sample(rng, kind, shape)
        s = expit(x64)
        check_close(returned(student.sigmoid_grad(x), x, f"sigmoid_grad(x) for {desc}"), s * (1 - s), f"sigmoid_grad(x) for {desc}", rtol=rtol, atol=atol)


def test_sigmoid_grad_numerical(student, rng):
    """Does sigmoid_grad agree with a central-difference derivative of the sigmoid?"""
    x = rng.uniform(-6, 6, size=(4, 5))
    h = 1e-5
    numerical = (expit(x + h) - expit(x - h)) / (2 * h)
    check_gradient(student.sigmoid_grad(x), numerical, "sigmoid_grad(x) for a random (4, 5) array", bound=1e-6)


def test_sigmoid_grad_stable(student):
    """Is sigmoid_grad([−1000, 0, 1000]) finite, with no overflow or warning?"""
    got = as_array(student.sigmoid_grad(PUBLIC_EDGE), "sigmoid_grad([-1000, 0, 1000])")
    check_no_warnings(student, "sigmoid_grad([-1000, 0, 1000])")
    check_shape(got, (3,), "sigmoid_grad([-1000, 0, 1000])")
    check_finite(got, "sigmoid_grad([-1000, 0, 1000])")
