"""Public sanity tests for assignment 02. Run them beside losses.py:

    python -m pytest test_losses.py

Passing them means the basics work; the grader checks much more (random data, other input
types, p of exactly 0 or 1). 통과하면 기본 동작은 맞다는 뜻입니다. 채점기는 더 많은 것을 확인합니다.
"""
import numpy as np

from losses import (binary_cross_entropy, categorical_cross_entropy, mae, mse, rmse,
                    sparse_categorical_cross_entropy)

NOTES_P = np.array([[.1, .3, .6], [.2, .6, .2], [.3, .4, .3]])


def test_regression_losses_small_example():
    """Do mse, mae and rmse give (0+0+4)/3, (0+0+2)/3 and √(4/3) on a tiny example?"""
    y, y_hat = [1.0, 2.0, 3.0], [1.0, 2.0, 5.0]
    assert np.isclose(mse(y, y_hat), 4 / 3)
    assert np.isclose(mae(y, y_hat), 2 / 3)
    assert np.isclose(rmse(y, y_hat), np.sqrt(4 / 3))


def test_mse_is_one_number():
    """Does mse return one number for a batch (N, K)?"""
    assert np.ndim(mse(np.zeros((4, 2)), np.ones((4, 2)))) == 0


def test_binary_cross_entropy_small_example():
    """Is binary_cross_entropy([1, 0], [0.9, 0.1]) = −log 0.9?"""
    assert np.isclose(binary_cross_entropy([1, 0], [0.9, 0.1]), -np.log(0.9))


def test_binary_cross_entropy_is_finite_at_0_and_1():
    """Is binary_cross_entropy finite when p is exactly 0 or 1?"""
    assert np.isfinite(binary_cross_entropy([1, 0, 1, 0], [1.0, 0.0, 0.0, 1.0]))


def test_sparse_notes_example():
    """Does the notes' example against classes [2, 1, 0] give ≈ 0.74?"""
    assert np.isclose(sparse_categorical_cross_entropy([2, 1, 0], NOTES_P), 0.7419, atol=1e-4)


def test_categorical_notes_example():
    """Does the notes' example with one-hot labels give ≈ 0.74 too?"""
    onehot = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0]])
    assert np.isclose(categorical_cross_entropy(onehot, NOTES_P), 0.7419, atol=1e-4)
