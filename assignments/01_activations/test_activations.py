"""Public sanity tests for assignment 01. Run them beside activations.py:

    python -m pytest test_activations.py

Passing them means the basics work; the grader checks much more (random inputs, batches,
x = ±1000, other input types). 통과하면 기본 동작은 맞다는 뜻입니다. 채점기는 더 많은 것을 확인합니다.
"""
import numpy as np

from activations import relu, sigmoid, sigmoid_grad, softmax, step, tanh


def test_sigmoid_of_zero_is_one_half():
    """Is sigmoid(0) = 0.5?"""
    assert np.isclose(sigmoid(0.0), 0.5)


def test_sigmoid_keeps_shape():
    """Does sigmoid return an array of the input's shape?"""
    assert np.shape(sigmoid(np.zeros((2, 3)))) == (2, 3)


def test_sigmoid_at_1000():
    """Is sigmoid([−1000, 0, 1000]) = [0, 0.5, 1] without nan?"""
    assert np.allclose(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])


def test_tanh_of_zero_is_zero():
    """Is tanh(0) = 0?"""
    assert np.isclose(tanh(0.0), 0.0)


def test_relu_small_example():
    """Is relu([−2, 0, 3]) = [0, 0, 3]?"""
    assert np.allclose(relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])


def test_step_small_example():
    """Is step([−0.5, 0, 2]) = [−1, 1, 1]?"""
    assert np.array_equal(step([-0.5, 0.0, 2.0]), [-1, 1, 1])


def test_softmax_vector_sums_to_one():
    """Does softmax of a small vector sum to 1?"""
    p = softmax(np.array([1.0, 2.0, 3.0]))
    assert p.shape == (3,)
    assert np.isclose(p.sum(), 1.0)


def test_softmax_batch_rows_sum_to_one():
    """Does each row of a batch (N, C) sum to 1 on its own?"""
    p = softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    assert p.shape == (2, 3)
    assert np.allclose(p.sum(axis=1), [1.0, 1.0])


def test_sigmoid_grad_of_zero_is_a_quarter():
    """Is sigmoid_grad(0) = 0.25?"""
    assert np.isclose(sigmoid_grad(0.0), 0.25)
