"""Hidden tests of the demo assignment: square(x), mean(x), softmax(x)."""

import numpy as np
import pytest

from autograder.engine.checks import as_array, check_close, check_no_warnings


def test_square_values(student, rng):
    """Does square(x) match x**2 on random arrays?"""
    x = rng.normal(size=(4, 3))
    check_close(student.square(x), x**2, "square(x)")


def test_square_scalar(student):
    """Does square(3.0) give 9?"""
    check_close(student.square(3.0), 9.0, "square(3.0)", show=True)


@pytest.mark.parametrize("size", [1, 7, 100])
def test_mean(student, rng, size):
    """Does mean(x) match numpy's mean?"""
    x = rng.uniform(-5, 5, size=size)
    check_close(student.mean(x), np.mean(x), "mean(x)")


def test_softmax_stable(student):
    """Is softmax stable for x = ±1000, with no warning?"""
    x = np.array([[1000.0, 0.0, -1000.0]])
    got = as_array(student.softmax(x), "softmax(x)")
    check_no_warnings(student, "softmax(x)")
    check_close(got, np.array([[1.0, 0.0, 0.0]]), "softmax(x)", atol=1e-12)
