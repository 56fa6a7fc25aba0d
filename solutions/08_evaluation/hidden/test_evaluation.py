"""Hidden tests of 08 evaluation (metrics.py): accuracy, confusion matrix, P/R/F1, mistakes.

References are scikit-learn's metrics, computed in the parent on the same labels.
"""

import numpy as np
import pytest
from sklearn import metrics as skm

from autograder.engine.checks import as_array, check_close, check_integral, check_no_warnings, check_shape, check_tuple
from autograder.engine.feedback import fail, ko, label

KINDS = ["array", "list"]
KIND_KO = {"array": "배열 입력", "list": "리스트 입력"}
PARTS_KO = {"precision": "정밀도(precision)", "recall": "재현율(recall)", "f1": "F1"}


def _labels(rng, n: int, classes: int, *, right: float = 0.6) -> tuple[np.ndarray, np.ndarray]:
    """True labels with every class present, and predictions right about `right` of the time.

    Every class is also predicted at least once, and the predicted counts differ from the
    true counts, so precision and recall differ somewhere.
    """
    while True:
        y_true = rng.integers(0, classes, size=n)
        y_true[:classes] = rng.permutation(classes)
        y_pred = np.where(rng.random(n) < right, y_true, rng.integers(0, classes, size=n))
        y_pred[classes : 2 * classes] = rng.permutation(classes)
        counts_true, counts_pred = np.bincount(y_true, minlength=classes), np.bincount(y_pred, minlength=classes)
        if (counts_pred > 0).all() and not np.array_equal(counts_true, counts_pred) and (y_true != y_pred).any():
            return y_true, y_pred


def _as(kind: str, *arrays):
    return tuple(a.tolist() if kind == "list" else a for a in arrays)


# -- accuracy ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_accuracy_values(student, rng, kind):
    """Does accuracy match scikit-learn's accuracy_score on random labels?

    ko: 무작위 레이블에서 accuracy가 scikit-learn의 accuracy_score와 같은가요?
    """
    for n, classes in [(10, 2), (57, 3), (400, 10)]:
        y_true, y_pred = _labels(rng, n, classes)
        what = label(
            f"accuracy(y_true, y_pred) with {n} samples ({kind})",
            f"샘플 {n}개에 대한 accuracy(y_true, y_pred) ({KIND_KO[kind]})",
        )
        got = as_array(student.accuracy(*_as(kind, y_true, y_pred)), what)
        check_shape(got, (), what)
        check_close(got, skm.accuracy_score(y_true, y_pred), what, rtol=1e-9)


def test_accuracy_extremes(student, rng):
    """Is accuracy 1 when every prediction is right and 0 when every one is wrong?

    ko: 예측이 모두 맞으면 accuracy가 1이고, 모두 틀리면 0인가요?
    """
    y = rng.integers(0, 5, size=30)
    check_close(student.accuracy(y, y.copy()), 1.0, "accuracy(y, y)")
    check_close(
        student.accuracy(y, (y + 1) % 5),
        0.0,
        label("accuracy(y, y_pred) with every prediction wrong", "모든 예측이 틀렸을 때 accuracy(y, y_pred)"),
    )


# -- confusion_matrix ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_confusion_matrix_matches_sklearn(student, rng, kind):
    """Does confusion_matrix equal scikit-learn's confusion_matrix on random labels?

    ko: 무작위 레이블에서 confusion_matrix가 scikit-learn의 confusion_matrix와 같은가요?
    """
    for n, classes in [(12, 2), (80, 4), (300, 10)]:
        y_true, y_pred = _labels(rng, n, classes)
        what = label(
            f"confusion_matrix(y_true, y_pred, {classes}) with {n} samples ({kind})",
            f"샘플 {n}개에 대한 confusion_matrix(y_true, y_pred, {classes}) ({KIND_KO[kind]})",
        )
        got = as_array(student.confusion_matrix(*_as(kind, y_true, y_pred), classes), what)
        check_integral(got, what)
        check_close(got, skm.confusion_matrix(y_true, y_pred, labels=range(classes)), what)


def test_confusion_matrix_rows_are_true_classes(student, rng):
    """Are rows the true classes and columns the predictions (not the other way round)?

    ko: 행이 정답 클래스이고 열이 예측인가요 (그 반대가 아니라)?
    """
    classes = int(rng.integers(3, 7))
    y_true, y_pred = _labels(rng, 60, classes, right=0.3)
    expected = skm.confusion_matrix(y_true, y_pred, labels=range(classes))
    what = f"confusion_matrix(y_true, y_pred, {classes})"
    got = as_array(student.confusion_matrix(y_true, y_pred, classes), what)
    check_shape(got, expected.shape, what)
    if np.array_equal(got, expected.T):
        fail(
            f"{what} is transposed: row i must count the samples whose TRUE class is i (columns are the predictions).",
            f"{ko(what)}이(가) 전치되어 있습니다. i번째 행은 정답이 i인 샘플을 세야 합니다 (열이 예측).",
            cause="values",
        )
    check_close(got, expected, what)


def test_confusion_matrix_absent_classes(student, rng):
    """Does a class that never occurs still get its (zero) row and column, shape (C, C)?

    ko: 한 번도 나오지 않는 클래스도 (0으로 채워진) 행과 열을 가져서 모양이 (C, C)인가요?
    """
    classes = 8
    used = np.sort(rng.choice(classes, size=4, replace=False))
    while True:
        y_true = rng.choice(used, size=40)
        y_pred = np.where(rng.random(40) < 0.5, y_true, rng.choice(used, size=40))
        if not np.array_equal(np.bincount(y_true, minlength=classes), np.bincount(y_pred, minlength=classes)):
            break
    what = label(
        f"confusion_matrix(y_true, y_pred, {classes}) where only classes {used.tolist()} occur",
        f"클래스 {used.tolist()}만 나올 때 confusion_matrix(y_true, y_pred, {classes})",
    )
    got = as_array(student.confusion_matrix(y_true, y_pred, classes), what)
    check_close(got, skm.confusion_matrix(y_true, y_pred, labels=range(classes)), what)


# -- precision_recall_f1 ------------------------------------------------------------------------
def _part(name: str, what: str):
    """The name of one returned part, e.g. "precision from precision_recall_f1(...)", in both languages."""
    return label(f"{name} from {what}", f"{ko(what)}에서 나온 {PARTS_KO[name]}")


def _prf_call(classes: int, kind: str):
    return label(
        f"precision_recall_f1(y_true, y_pred, {classes}) ({kind})",
        f"precision_recall_f1(y_true, y_pred, {classes}) ({KIND_KO[kind]})",
    )


def _prf(student, y_true, y_pred, classes: int, what: str) -> tuple:
    value = check_tuple(student.precision_recall_f1(y_true, y_pred, classes), 3, what)
    return tuple(as_array(v, _part(name, what)) for v, name in zip(value, ("precision", "recall", "f1")))


def _sk_prf(y_true, y_pred, classes: int) -> tuple:
    return skm.precision_recall_fscore_support(y_true, y_pred, labels=range(classes), zero_division=0)[:3]


@pytest.mark.parametrize("kind", KINDS)
def test_precision_values(student, rng, kind):
    """Does the per-class precision TP / (TP + FP) match scikit-learn's?

    ko: 클래스별 정밀도(precision) TP / (TP + FP)가 scikit-learn의 값과 같은가요?
    """
    for n, classes in [(30, 2), (200, 5), (500, 10)]:
        y_true, y_pred = _labels(rng, n, classes)
        what = _prf_call(classes, kind)
        got = _prf(student, *_as(kind, y_true, y_pred), classes, what)[0]
        check_close(got, _sk_prf(y_true, y_pred, classes)[0], _part("precision", what), rtol=1e-9)


@pytest.mark.parametrize("kind", KINDS)
def test_recall_values(student, rng, kind):
    """Does the per-class recall TP / (TP + FN) match scikit-learn's?

    ko: 클래스별 재현율(recall) TP / (TP + FN)이 scikit-learn의 값과 같은가요?
    """
    for n, classes in [(30, 2), (200, 5), (500, 10)]:
        y_true, y_pred = _labels(rng, n, classes)
        what = _prf_call(classes, kind)
        got = _prf(student, *_as(kind, y_true, y_pred), classes, what)[1]
        check_close(got, _sk_prf(y_true, y_pred, classes)[1], _part("recall", what), rtol=1e-9)


@pytest.mark.parametrize("kind", KINDS)
def test_f1_values(student, rng, kind):
    """Does the per-class F1 = 2PR / (P + R) match scikit-learn's?

    ko: 클래스별 F1 = 2PR / (P + R)이 scikit-learn의 값과 같은가요?
    """
    for n, classes in [(30, 2), (200, 5), (500, 10)]:
        y_true, y_pred = _labels(rng, n, classes) if classes != 5 else _labels_with_weak_class(rng, n, classes)
        what = _prf_call(classes, kind)
        got = _prf(student, *_as(kind, y_true, y_pred), classes, what)[2]
        check_close(got, _sk_prf(y_true, y_pred, classes)[2], _part("f1", what), rtol=1e-9)


def _labels_with_weak_class(rng, n: int, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels (as `_labels`, mostly wrong) where some class has 0 < P + R ≤ 1 and F1 above 0.

    A guard on P + R > 1 instead of P + R > 0 then gives that class F1 = 0 on every seed.
    """
    while True:
        y_true, y_pred = _labels(rng, n, classes, right=0.2)
        precision, recall, _ = _sk_prf(y_true, y_pred, classes)
        both = precision + recall
        if ((precision * recall > 0) & (both <= 1)).any():
            return y_true, y_pred


def _once_labels(rng) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """Labels where one class is predicted exactly once (and rightly) and another occurs exactly once (and is found).

    The class predicted once also occurs 1 to 3 more times (missed), the class present once is
    also predicted 1 to 3 more times (wrongly), and the other classes fill the rest, predicted
    right about 60 % of the time: the first class has precision 1, the second recall 1, each with
    its other value below 1. Returns y_true, y_pred, the number of classes, the class predicted
    once and the class present once.
    """
    classes = int(rng.integers(3, 8))
    once_predicted, once_present = (int(c) for c in rng.choice(classes, size=2, replace=False))
    others = np.array([c for c in range(classes) if c not in (once_predicted, once_present)])
    n = int(rng.integers(20, 60))
    y_true = rng.choice(others, size=n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.choice(others, size=n))
    missed, extra = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    y_true = np.concatenate(
        [y_true, [once_predicted, once_present], np.full(missed, once_predicted), rng.choice(others, size=extra)]
    )
    y_pred = np.concatenate(
        [y_pred, [once_predicted, once_present], rng.choice(others, size=missed), np.full(extra, once_present)]
    )
    order = rng.permutation(len(y_true))
    return y_true[order], y_pred[order], classes, once_predicted, once_present


def _check_single_count(student, rng, part: str) -> None:
    """Precision (part 0) of a class predicted once, or recall (part 1) of a class present once: 1 / 1 = 1, never 0."""
    name = ("precision", "recall")[part]
    worked = "precision_recall_f1([0, 1, 1], [0, 1, 1], 2)"
    got = _prf(student, [0, 1, 1], [0, 1, 1], 2, worked)[part]
    check_close(got, [1.0, 1.0], _part(name, worked), rtol=1e-9, show=True)
    y_true, y_pred, classes, once_predicted, once_present = _once_labels(rng)
    single = once_predicted if part == 0 else once_present
    what = label(
        f"precision_recall_f1(y_true, y_pred, {classes}) where class {once_predicted} is predicted exactly once "
        f"and class {once_present} occurs exactly once",
        f"클래스 {once_predicted}이(가) 딱 한 번 예측되고 클래스 {once_present}이(가) 딱 한 번 나올 때 "
        f"precision_recall_f1(y_true, y_pred, {classes})",
    )
    got = _prf(student, y_true, y_pred, classes, what)[part]
    check_shape(got, (classes,), _part(name, what))
    if abs(float(got[single]) - 1.0) > 1e-9:
        if part == 0:
            fail(
                f"The precision of class {single} is {float(got[single]):.4g}, but it is predicted exactly once, and rightly: "
                "TP / (TP + FP) = 1 / 1 = 1. Only a class that is never predicted (TP + FP = 0) gets 0.",
                f"클래스 {single}의 정밀도(precision)가 {float(got[single]):.4g}입니다. 이 클래스는 딱 한 번, 올바르게 예측되었으므로 "
                "TP / (TP + FP) = 1 / 1 = 1이어야 합니다. 0은 한 번도 예측되지 않은 클래스(TP + FP = 0)에만 줍니다.",
                cause="values",
            )
        fail(
            f"The recall of class {single} is {float(got[single]):.4g}, but it occurs exactly once and is found: "
            "TP / (TP + FN) = 1 / 1 = 1. Only a class that never occurs (TP + FN = 0) gets 0.",
            f"클래스 {single}의 재현율(recall)이 {float(got[single]):.4g}입니다. 이 클래스는 딱 한 번 나오고 올바르게 예측되었으므로 "
            "TP / (TP + FN) = 1 / 1 = 1이어야 합니다. 0은 한 번도 나오지 않은 클래스(TP + FN = 0)에만 줍니다.",
            cause="values",
        )
    check_close(got, _sk_prf(y_true, y_pred, classes)[part], _part(name, what), rtol=1e-9)


def test_precision_class_predicted_once(student, rng):
    """Is the precision of a class predicted exactly once, and rightly, 1 (TP / (TP + FP) = 1 / 1)?

    ko: 딱 한 번, 올바르게 예측된 클래스의 정밀도(precision)가 1인가요 (TP / (TP + FP) = 1 / 1)?
    """
    _check_single_count(student, rng, 0)


def test_recall_class_present_once(student, rng):
    """Is the recall of a class that occurs exactly once, and is found, 1 (TP / (TP + FN) = 1 / 1)?

    ko: 딱 한 번 나오고 올바르게 예측된 클래스의 재현율(recall)이 1인가요 (TP / (TP + FN) = 1 / 1)?
    """
    _check_single_count(student, rng, 1)


def test_precision_recall_f1_zero_division(student, rng):
    """For classes never predicted or never present, are the values 0 (no nan, no warning)?

    ko: 한 번도 예측되지 않거나 한 번도 나오지 않는 클래스의 값이 0인가요 (nan도, 경고도 없이)?
    """
    classes = 6
    while True:
        y_true = rng.choice([0, 1, 2, 3], size=50)  # classes 4 and 5 never occur
        y_pred = rng.choice([0, 1, 2, 4], size=50)  # class 3 never predicted, 4 predicted but absent
        y_pred[:12] = np.where(y_true[:12] < 3, y_true[:12], y_pred[:12])
        if not np.array_equal(np.bincount(y_true, minlength=3)[:3], np.bincount(y_pred, minlength=3)[:3]):
            break
    what = label(
        f"precision_recall_f1(y_true, y_pred, {classes}) with classes that are never predicted or never present",
        f"한 번도 예측되지 않거나 한 번도 나오지 않는 클래스가 있을 때 precision_recall_f1(y_true, y_pred, {classes})",
    )
    got = _prf(student, y_true, y_pred, classes, what)
    check_no_warnings(student, what)
    for value, expected, name in zip(got, _sk_prf(y_true, y_pred, classes), ("precision", "recall", "f1")):
        part = _part(name, what)
        check_shape(value, (classes,), part)
        if np.isnan(value).any():
            fail(
                f"{part} contains nan: where a value is undefined (division by 0) it must be 0.",
                f"{ko(part)}에 nan이 있습니다. 정의되지 않는 값(0으로 나누기)은 0이어야 합니다.",
                cause="nan",
            )
        check_close(value, expected, part, rtol=1e-9)


# -- misclassified ----------------------------------------------------------------------------------
def _check_indices(got_value, expected: np.ndarray, n: int, what: str) -> None:
    got = as_array(got_value, what)
    if got.dtype == bool or (np.asarray(got_value).dtype == bool):
        fail(
            f"{what} returned a boolean mask; return the indices of the wrong samples instead (e.g. with np.flatnonzero).",
            f"{ko(what)}이(가) 불리언 마스크를 반환했습니다. 틀린 샘플의 인덱스를 반환하세요 (예: np.flatnonzero).",
            cause="type",
        )
    if got.ndim == 1 and got.size == n and expected.size != n and set(np.unique(got).tolist()) <= {0.0, 1.0}:
        fail(
            f"{what} looks like a 0/1 mask of length {n}; return the indices of the wrong samples instead.",
            f"{ko(what)}이(가) 길이 {n}의 0/1 마스크처럼 보입니다. 틀린 샘플의 인덱스를 반환하세요.",
            cause="type",
        )
    check_integral(got, what)
    if got.ndim == 1 and got.size > 1 and np.any(np.diff(got) < 0):
        fail(f"{what} is not in ascending order.", f"{ko(what)}이(가) 오름차순이 아닙니다.", cause="values")
    check_close(got, expected, what)


@pytest.mark.parametrize("kind", KINDS)
def test_misclassified_indices(student, rng, kind):
    """Does misclassified return the ascending indices of the wrong predictions?

    ko: misclassified가 틀린 예측의 인덱스를 오름차순으로 반환하나요?
    """
    for n, classes in [(15, 2), (120, 10)]:
        y_true, y_pred = _labels(rng, n, classes)
        what = label(
            f"misclassified(y_true, y_pred) with {n} samples ({kind})",
            f"샘플 {n}개에 대한 misclassified(y_true, y_pred) ({KIND_KO[kind]})",
        )
        _check_indices(student.misclassified(*_as(kind, y_true, y_pred)), np.flatnonzero(y_true != y_pred), n, what)


def test_misclassified_none_wrong(student, rng):
    """When every prediction is right, is the result an empty array of indices?

    ko: 예측이 모두 맞으면 결과가 빈 인덱스 배열인가요?
    """
    y = rng.integers(0, 10, size=25)
    _check_indices(student.misclassified(y, y.copy()), np.zeros(0), 25, "misclassified(y, y)")


def test_misclassified_no_samples(student):
    """With no samples at all (empty label arrays), is the result an empty array of indices?

    ko: 샘플이 하나도 없을 때(빈 레이블 배열) 결과가 빈 인덱스 배열인가요?
    """
    empty = np.zeros(0, dtype=np.int64)
    _check_indices(student.misclassified(empty, empty.copy()), np.zeros(0), 0, "misclassified([], [])")
