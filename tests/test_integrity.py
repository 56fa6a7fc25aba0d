"""The trusted parts of the model-integrity checks, without training anything (engine/integrity.py)."""
from __future__ import annotations

import numpy as np

from autograder.engine.inputs import withhold
from autograder.engine.integrity import EvaluationSet, literal_kilobytes, withheld_indices
from autograder.engine.training import model_report


def test_literal_data_counts_strings_numbers_and_comments_not_code():
    """Is a table in a string, a list of numbers or a comment measured, and ordinary code not?"""
    code = "def f(x):\n    return x + 1\n" * 200
    assert literal_kilobytes([code]) < 0.5
    table = "TABLE = " + repr("x" * 40_000) + "\n"
    numbers = "LABELS = [" + ", ".join(["7"] * 20_000) + "]\n"
    comment = "# " + "9" * 40_000 + "\n"
    for source in (table, numbers, comment):
        assert literal_kilobytes([code, source]) > 19, source[:20]
    assert literal_kilobytes(["def broken(:\n" + "1" * 30_000]) > 29  # untokenizable text counts whole


def test_withheld_images_change_with_the_seed_and_never_reach_the_child(tmp_path):
    """Is the hold-out drawn anew per seed, and is it missing from the child's copy of the training data?"""
    first, again, other = withheld_indices(1, 1000, 100), withheld_indices(1, 1000, 100), withheld_indices(2, 1000, 100)
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert len(np.unique(first)) == 100
    staged = tmp_path / "all"
    staged.mkdir()
    rows = np.arange(1000)
    images = np.stack([rows % 256, rows // 256, rows % 7, rows % 3], axis=1).reshape(1000, 2, 2).astype(np.uint8)  # all distinct
    np.save(staged / "x_train.npy", images)
    np.save(staged / "y_train.npy", np.arange(1000) % 10)
    child = withhold(staged, first, tmp_path / "child")
    kept_x, kept_y = np.load(child / "x_train.npy"), np.load(child / "y_train.npy")
    assert len(kept_y) == 900
    assert not {bytes(row) for row in images[first]} & {bytes(row) for row in kept_x}


def test_evaluation_images_cannot_be_matched_byte_for_byte():
    """Are the scored images shuffled, each one changed by a little noise, and their labels kept in step?"""
    rng = np.random.default_rng(0)
    x_test = rng.integers(0, 256, size=(300, 28, 28), dtype=np.uint8)
    x_test[:, :5] = 0  # a black border, as in Fashion-MNIST
    x_hold = rng.integers(0, 256, size=(100, 28, 28), dtype=np.uint8)
    y_test, y_hold = rng.integers(0, 10, 300), rng.integers(0, 10, 100)
    evaluation = EvaluationSet.build(x_test, y_test, x_hold, y_hold, np.random.default_rng(1), noise=3)
    originals = {bytes(image) for image in np.concatenate([x_test, x_hold])}
    assert not {bytes(image) for image in evaluation.images} & originals
    assert evaluation.is_test.sum() == 300 and not np.array_equal(evaluation.is_test, np.sort(evaluation.is_test)[::-1])
    nearest = [np.abs(x_test.astype(int) - image.astype(int)).sum(axis=(1, 2)).argmin() for image in evaluation.images[evaluation.is_test]]
    assert np.array_equal(y_test[nearest], evaluation.labels[evaluation.is_test])  # same image, same label
    assert np.abs(x_test[nearest].astype(int) - evaluation.images[evaluation.is_test].astype(int)).max() <= 3
    assert evaluation.accuracy(evaluation.labels) == 1.0 and evaluation.accuracy(evaluation.labels, "holdout") == 1.0


def test_model_report_counts_the_test_images_only_and_names_them_by_their_public_index():
    """Does the feedback data hold the test images' confusion matrix and mistakes indexed in the public test set?"""
    rng = np.random.default_rng(3)
    x_test, x_hold = rng.integers(0, 256, size=(200, 4, 4), dtype=np.uint8), rng.integers(0, 256, size=(50, 4, 4), dtype=np.uint8)
    y_test, y_hold = np.arange(200) % 10, np.arange(50) % 10
    evaluation = EvaluationSet.build(x_test, y_test, x_hold, y_hold, np.random.default_rng(4), noise=0)
    predicted = evaluation.labels.copy()
    predicted[evaluation.is_test & (evaluation.labels == 3)] = 5  # every test 3 taken for a 5
    predicted[~evaluation.is_test] = 0  # hold-out answers must not count
    report = model_report(evaluation, predicted, {"source": "keras History",
                                                  "series": {"loss": [2.0, 1.0], "accuracy": [0.5, float("nan")], "x": "no"}})
    confusion = np.array(report.confusion)
    assert confusion.sum() == 200 and confusion[3, 5] == 20 and confusion[3, 3] == 0
    assert report.per_class_accuracy[3] == 0.0 and report.per_class_accuracy[4] == 1.0
    assert report.mistakes and all(m.true == 3 and m.predicted == 5 and y_test[m.index] == 3 for m in report.mistakes)
    assert all(np.array_equal(x_test[m.index], evaluation.images[(evaluation.origin == m.index) & evaluation.is_test][0])
               for m in report.mistakes)
    assert report.history == {"loss": [2.0, 1.0]} and report.history_source == "keras History"  # NaN and text dropped
    assert model_report(evaluation, predicted, "garbage").history == {}
    as_sent = {"source": "model.history", "series": {"loss": np.linspace(1, 0.1, 15), "bad": np.array(["a"]), "x": np.ones((2, 2))}}
    assert model_report(evaluation, predicted, as_sent).history == {"loss": np.linspace(1, 0.1, 15).tolist()}  # arrays too
