"""Public sanity tests for assignment 04. Run them beside perceptron.py:

    python -m pytest test_perceptron.py

Passing them means the basics work; the grader checks much more (random data, τ(0) = 1,
training on data whose boundary misses the origin). 통과하면 기본 동작은 맞다는 뜻입니다.
채점기는 더 많은 것을 확인합니다.
"""
import numpy as np

from perceptron import AND, NAND, OR, XOR, perceptron_output, train_perceptron

INPUTS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_perceptron_output_small_example():
    """Is perceptron_output([[0, 0], [1, 1]], [0.5, 0.5], −0.7) = [−1, 1]?"""
    assert np.array_equal(perceptron_output(np.array([[0, 0], [1, 1]]), np.array([0.5, 0.5]), -0.7), [-1, 1])


def test_gates_truth_tables():
    """Do AND, OR, NAND and XOR match their truth tables, returning 0 or 1?"""
    assert [AND(a, b) for a, b in INPUTS] == [0, 0, 0, 1]
    assert [OR(a, b) for a, b in INPUTS] == [0, 1, 1, 1]
    assert [NAND(a, b) for a, b in INPUTS] == [1, 1, 1, 0]
    assert [XOR(a, b) for a, b in INPUTS] == [0, 1, 1, 0]


def test_train_perceptron_learns_or():
    """Do the weights learnt on OR (labels ±1) classify its four points?"""
    X = np.array(INPUTS)
    y = np.array([-1, 1, 1, 1])
    w, b = train_perceptron(X, y)
    assert np.shape(w) == (2,)
    assert np.array_equal(perceptron_output(X, w, b), y)
