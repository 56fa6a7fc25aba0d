"""Public sanity tests for assignment 03. Run them beside regression.py:

    python -m pytest test_regression.py

Passing them means the basics work; the grader checks much more (random noisy data, several
numbers of columns, other input types). 통과하면 기본 동작은 맞다는 뜻입니다. 채점기는 더 많은 것을 확인합니다.
"""
import numpy as np

from regression import fit_multiple, fit_simple, predict


def test_fit_simple_returns_slope_then_intercept():
    """Does fit_simple return the tuple (slope, intercept) for points on y = 2x + 1?"""
    result = fit_simple([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0])
    assert isinstance(result, tuple) and len(result) == 2
    assert np.allclose(result, (2.0, 1.0))


def test_fit_multiple_recovers_an_exact_plane():
    """Does fit_multiple recover y = 1 + 3·x₁ + 1·x₂ from points on that plane?"""
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 3.0]])
    y = 1.0 + X @ np.array([3.0, 1.0])
    intercept, coef = fit_multiple(X, y)
    assert np.isclose(intercept, 1.0)
    assert np.shape(coef) == (2,)
    assert np.allclose(coef, [3.0, 1.0])


def test_predict_small_example():
    """Is predict([[1, 2], [0, 0]], 1, [3, 1]) = [6, 1]?"""
    assert np.allclose(predict(np.array([[1.0, 2.0], [0.0, 0.0]]), 1.0, np.array([3.0, 1.0])), [6.0, 1.0])
