"""Public sanity checks for metrics.py: run `python -m pytest test_metrics.py` beside your file.

공개 확인 테스트입니다. metrics.py와 같은 폴더에서 `python -m pytest test_metrics.py`로 실행하세요.
The hidden grader checks much more (random labels, lists and arrays, absent classes).
"""
import numpy as np

from metrics import accuracy, confusion_matrix, misclassified, precision_recall_f1


def test_accuracy_example():
    """Do 3 right out of 4 give 0.75?"""
    assert np.isclose(accuracy([0, 1, 2, 2], [0, 2, 2, 2]), 0.75)


def test_confusion_matrix_example():
    """Are rows the true classes, columns the predictions?"""
    assert np.array_equal(confusion_matrix([0, 1, 1], [0, 0, 1], 2), [[1, 0], [1, 1]])


def test_precision_recall_f1_example():
    """Does the docstring example give the documented values, with 0 for class 2 that never occurs?"""
    precision, recall, f1 = precision_recall_f1([0, 1, 1], [0, 0, 1], 3)
    assert np.allclose(precision, [0.5, 1.0, 0.0])
    assert np.allclose(recall, [1.0, 0.5, 0.0])
    assert np.allclose(f1, [2 / 3, 2 / 3, 0.0])


def test_misclassified_example():
    """Are the wrong samples' indices returned in ascending order?"""
    assert np.array_equal(misclassified([0, 1, 2, 2], [0, 2, 2, 1]), [1, 3])
