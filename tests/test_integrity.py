"""The trusted parts of the model-integrity checks, without training anything (engine/integrity.py)."""

from __future__ import annotations

import random
import zlib

import numpy as np
import pytest

from autograder.assignments import Integrity
from autograder.config import load_config
from autograder.engine.code_only import code_only
from autograder.engine.feedback import Failure
from autograder.engine.inputs import stage_for_child
from autograder.engine.integrity import (
    EvaluationSet,
    Evidence,
    derangement,
    scored_correct,
    source_kilobytes,
    withheld_indices,
)
from autograder.engine.splits import VALIDATION_SIZE, Splits
from autograder.engine.training import model_report
from autograder.paths import REPO_ROOT
from autograder.sandbox import drivers
from autograder.sandbox.client import SandboxedSubmission
from tests.support import DEMO_CONFIG, grade_file


def _table_rows(entries: int, seed: int = 0) -> list[tuple[str, int]]:
    """Random 6-byte keys with labels: what a compact lookup table of hard images holds."""
    rng = random.Random(seed)
    return [(rng.randbytes(6).hex(), rng.randrange(10)) for _ in range(entries)]


def test_source_size_counts_every_carrier_of_a_table():
    """Is a table measured alike in strings, numbers, comments, identifier names and whitespace, and plain code barely?"""
    code = "def f(x):\n    return x + 1\n" * 200
    assert source_kilobytes([code]) < 0.5
    rows = _table_rows(3000)
    carriers = {
        "string": "TABLE = " + repr("".join(key + str(label) for key, label in rows)) + "\n",
        "numbers": "TABLE = [" + ", ".join(str(int(key, 16) * 10 + label) for key, label in rows) + "]\n",
        "comment": "".join(f"# {key}{label}\n" for key, label in rows),
        "names": "def _never_called():\n" + "".join(f"    _{key}_{label} = 0\n" for key, label in rows),
        "whitespace": "".join(
            "x = 1" + "".join(" \t"[int(bit)] for bit in bin(int(key, 16) * 10 + label)[2:]) + "\n"
            for key, label in rows
        ),
    }
    floor = 3000 * 6 / 1024  # 6 random bytes per entry cannot be compressed away
    for name, source in carriers.items():
        assert source_kilobytes([code, source]) > 0.9 * floor, name
    assert source_kilobytes(["x = 1\n", "y = 2\n"]) == len(zlib.compress(b"x = 1\n\ny = 2\n", 9)) / 1024


def test_code_only_drops_comments_and_string_statements_and_keeps_every_line():
    """Does the code a model's sandbox runs lose its comments and docstrings, keep its line numbers, and still run?"""
    source = (
        "# a table 0123456789abcdef\n"
        "'''Module docstring:\nspanning lines.'''\n"
        "import math  # why\n"
        "def f(x):\n"
        '    """Only a docstring."""\n'
        "\n"
        "def g(x):\n"
        '    """Doc."""; y = "# not a comment"\n'
        "    b'bytes statement'\n"
        "    return x + len(y) + math.floor(0.5)  # 한국어 주석\n"
    )
    stripped = code_only(source)
    assert len(stripped.splitlines()) == len(source.splitlines())
    for gone in (
        "0123456789abcdef",
        "Module docstring",
        "spanning",
        "why",
        "Only a docstring",
        "Doc.",
        "bytes",
        "한국어",
    ):
        assert gone not in stripped, gone
    namespace: dict = {}
    exec(compile(stripped, "<stripped>", "exec"), namespace)
    assert namespace["f"](1) is None and namespace["g"](1) == 1 + len("# not a comment")
    assert namespace["g"].__code__.co_firstlineno == 8
    assert (
        code_only("def broken(:\n    # kept\n") == "def broken(:\n    # kept\n"
    )  # its own syntax error, counted whole
    # Windows line ends, tabs, a form feed (a line break to str.splitlines, not to Python), no final newline
    odd = 'def h():\r\n\t"""Doc\r\n\tmore."""  # c\r\n\f\r\n\treturn """kept"""  # c'
    namespace = {}
    exec(compile(code_only(odd), "<odd>", "exec"), namespace)
    assert namespace["h"]() == "kept" and "Doc" not in code_only(odd) and "# c" not in code_only(odd)


def test_a_model_sandbox_cannot_read_its_comments_or_docstrings(tmp_path):
    """Does a model hand-in that reads its own source at run time find its comments and docstrings gone, and its
    code intact (full marks, so nothing else changed)?"""
    reference = (REPO_ROOT / "solutions" / "05_xor_mlp" / "xor_mlp.py").read_text(encoding="utf-8")
    probe = (
        "# SECRET-IN-A-COMMENT\n"
        "def _peek():\n"
        '    """SECRET-IN-A-DOCSTRING"""\n'
        "    import inspect, sys\n"
        "    text = inspect.getsource(sys.modules[__name__]) + str(_peek.__doc__)\n"
        "    assert 'SECRET' + '-IN' not in text, 'the sandbox ran the code with its comments or docstrings'\n"
        "\n\n"
    )
    source = reference.replace(
        "def build_model() -> nn.Module:\n", probe + "def build_model() -> nn.Module:\n    _peek()\n", 1
    )
    assert "    _peek()\n" in source
    (tmp_path / "xor_mlp.py").write_text(source, encoding="utf-8")
    result = grade_file(tmp_path / "xor_mlp.py", "xor_mlp", seed=3)
    assert result.score == result.max_score, [(t.name, t.output) for t in result.tests if t.status != "passed"]


def test_code_beyond_the_free_allowance_is_charged_what_a_table_that_size_could_buy():
    """Is code up to free_kb free, and each byte beyond it charged one image per entry_bytes of the 60,000?"""
    settings = Integrity(free_kb=1.5, entry_bytes=3)
    assert settings.charge(1.2, 60000) == 0 and settings.charge(1.5, 60000) == 0
    assert settings.charge(3.0, 60000) == pytest.approx(1.5 * 1024 / 3 / 60000)  # 512 images: 0.85 points
    assert settings.charge(10_000, 60000) == 1.0
    with pytest.raises(ValueError, match="free_kb"):
        Integrity(free_kb=20, source_kb=10)
    # The bound the charge keeps: a table of any size nets at most what the allowance holds, under one point.
    assert Integrity().free_kb * 1024 / Integrity().entry_bytes / 60000 < 0.01


MODEL_REFERENCES = [
    "10_fashion_mlp/fashion_mlp.py",
    "10_fashion_mlp/pytorch/fashion_mlp.py",
    "11_fashion_cnn/fashion_cnn.py",
    "11_fashion_cnn/pytorch/fashion_cnn.py",
    "12_sequence_models/sequence.py",
]


@pytest.mark.parametrize("path", MODEL_REFERENCES)
def test_reference_code_is_free_of_charge(path):
    """Does the reference solution, as its sandbox runs it, fit the free allowance (no charge on honest code), though
    with its comments and docstrings it would not?"""
    text = (REPO_ROOT / "solutions" / path).read_text(encoding="utf-8")
    assert source_kilobytes([code_only(text)]) <= Integrity().free_kb < source_kilobytes([text])


def test_source_over_the_cap_fails_before_anything_runs():
    """Is a source over the cap a literal_data failure that says how much it holds and what the limit is?"""
    evidence = Evidence(source_kb=11.4)
    try:
        evidence.judge_source(Integrity(source_kb=10))
    except Failure as failure:
        assert failure.cause == "literal_data" and "11.4 KB" in failure.en and "10 KB" in failure.en
    else:
        raise AssertionError("no failure")
    Evidence(source_kb=9.9).judge_source(Integrity(source_kb=10))


def test_derangement_moves_every_class_and_depends_on_the_seed():
    """Does the relabelling probe move every class, and differently for other seeds?"""
    perms = [derangement(seed) for seed in range(20)]
    assert all(sorted(p) == list(range(10)) and not np.any(p == np.arange(10)) for p in perms)
    assert len({tuple(p) for p in perms}) > 10


def test_answers_fixed_outside_the_weights_are_not_counted():
    """Does a scored answer count only when the relabelled model moved it too, so a lookup's answer earns nothing?"""
    perm = derangement(3)
    labels = np.arange(100) % 10
    honest = labels.copy()
    honest[:20] = (labels[:20] + 1) % 10  # the model is wrong on the first 20 images
    # An honest network: relabelling its class outputs moves every answer with them.
    assert scored_correct(labels, honest, perm[honest], perm).sum() == 80
    # A lookup fixes the first 10 answers in code: right, but they do not move with the relabelling.
    looked_up = honest.copy()
    looked_up[:10] = labels[:10]
    relabelled = perm[looked_up]
    relabelled[:10] = labels[:10]
    assert scored_correct(labels, looked_up, relabelled, perm).sum() == 80
    assert scored_correct(labels, looked_up, None, perm).sum() == 90  # without the probe the lookup would count


def test_answers_that_differ_from_the_forward_pass_fail_with_a_clear_cause():
    """Is a predict() that departs from the model's own forward pass a forward_pass failure, and a faithful one not?"""
    settings = Integrity()
    Evidence(forward_agreement=0.999).judge_answers(settings)
    try:
        Evidence(forward_agreement=0.97).judge_answers(settings)
    except Failure as failure:
        assert failure.cause == "forward_pass" and "97.0 %" in failure.en and "argmax" in failure.en
    else:
        raise AssertionError("no failure")


def _numbered_images(count: int) -> np.ndarray:
    """(count, 2, 2) uint8 images, all distinct: image i holds i in its first two pixels."""
    rows = np.arange(count)
    return np.stack([rows % 256, rows // 256, rows % 7, rows % 3], axis=1).reshape(count, 2, 2).astype(np.uint8)


def _numbers(images: np.ndarray) -> np.ndarray:
    """Which numbered image each float image in [0, 1] is."""
    pixels = np.rint(np.asarray(images).reshape(len(images), -1) * 255).astype(np.int64)
    return pixels[:, 0] + 256 * pixels[:, 1]


def _stage_numbered(folder, count: int = 12000) -> np.ndarray:
    folder.mkdir()
    images = _numbered_images(count)
    np.save(folder / "x_train.npy", images)
    np.save(folder / "y_train.npy", np.arange(count) % 10)
    return images


def test_withheld_images_change_with_the_seed_and_never_reach_the_child(tmp_path):
    """Is the hold-out drawn anew per seed, and is it missing from the child's training data, which is
    written as train() receives it (float32 in [0, 1], labels in step, the validation split apart)?"""
    first, again, other = withheld_indices(1, 1000, 100), withheld_indices(1, 1000, 100), withheld_indices(2, 1000, 100)
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert len(np.unique(first)) == 100
    staged = tmp_path / "all"
    images = _stage_numbered(staged)
    splits = Splits.draw(1, len(images), holdout=100)
    child = stage_for_child(staged, splits, tmp_path / "child")
    x_train, y_train, x_val, y_val = (
        np.load(child / f"{name}.npy") for name in ("x_train", "y_train", "x_val", "y_val")
    )
    assert x_train.dtype == x_val.dtype == np.float32 and y_train.dtype == y_val.dtype == np.int64
    assert x_train.min() >= 0 and x_train.max() <= 1 and x_train.shape[1:] == (2, 2)
    assert (len(y_train), len(y_val)) == (12000 - 100 - VALIDATION_SIZE, VALIDATION_SIZE)
    numbers = np.concatenate([_numbers(x_train), _numbers(x_val)])
    assert np.array_equal(np.sort(numbers), np.setdiff1d(np.arange(12000), splits.withheld))
    assert np.array_equal(np.concatenate([y_train, y_val]), numbers % 10)  # each label stays with its image
    assert np.array_equal(_numbers(x_val), splits.given[splits.validation])
    assert not set(splits.picked) & set(splits.withheld)
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "x_train.npy").symlink_to(tmp_path / "elsewhere.npy")
    with pytest.raises(FileExistsError):  # a file found in the child's folder is never written through
        stage_for_child(staged, splits, planted)
    assert not (tmp_path / "elsewhere.npy").exists()


def test_the_same_seed_draws_the_same_splits_and_evaluation_set():
    """The judge draws the splits at launch and the evaluation set later: is a grading repeatable from its seed?"""
    first, again, other = Splits.draw(7, 60000, 5000), Splits.draw(7, 60000, 5000), Splits.draw(8, 60000, 5000)
    for name in ("withheld", "given", "picked", "validation"):
        assert np.array_equal(getattr(first, name), getattr(again, name))
        assert not np.array_equal(getattr(first, name), getattr(other, name))
    assert np.array_equal(first.evaluation_rng().permutation(100), again.evaluation_rng().permutation(100))
    assert np.array_equal(first.evaluation_rng().permutation(100), first.evaluation_rng().permutation(100))


def test_train_receives_writable_arrays_that_leave_the_data_untouched(tmp_path, monkeypatch):
    """Does the child map its training data copy-on-write: plain writable arrays whose changes never reach the file?"""
    staged = tmp_path / "all"
    _stage_numbered(staged)
    child = stage_for_child(staged, Splits.draw(2, 12000, 100), tmp_path / "child")
    monkeypatch.setattr(drivers, "PATHS", {"inputs": str(child)})
    x_train, y_train, x_val, y_val = drivers._training_data()
    for array in (x_train, y_train, x_val, y_val):
        assert type(array) is np.ndarray and array.flags.writeable
    written = np.load(child / "x_train.npy")
    x_train *= 2  # what a student's normalisation in place would do
    y_train[:] = 0
    assert np.array_equal(np.load(child / "x_train.npy"), written)
    assert np.array_equal(x_train, written * 2)


READS_ITS_INPUTS = """
import numpy as np

def rows():
    images = np.concatenate([np.load("/inputs/x_train.npy"), np.load("/inputs/x_val.npy")])
    return np.rint(images * 255).astype(np.uint8).reshape(-1, 4)
"""


def test_a_child_launched_before_its_data_is_written_reads_them_whole_without_the_holdout(tmp_path):
    """The judge launches the sandbox first (its import takes seconds) and writes its data meanwhile:
    does the child's first call see the whole training split, less the withheld rows?"""
    staged = tmp_path / "all"
    images = _stage_numbered(staged)
    folder = tmp_path / "child"
    folder.mkdir()
    limits = load_config(DEMO_CONFIG).limits_for("demo")
    child = SandboxedSubmission({"demo.py": READS_ITS_INPUTS.encode()}, "demo.py", limits, inputs=folder)
    try:
        child.launch()
        splits = Splits.draw(3, len(images), holdout=100)
        stage_for_child(staged, splits, folder)
        assert child.start().ok
        seen = {bytes(row) for row in np.asarray(child.call("rows").value, dtype=np.uint8)}
    finally:
        child.close()
    assert seen == {bytes(image) for image in np.delete(images, splits.withheld, axis=0).reshape(-1, 4)}


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
    nearest = [
        np.abs(x_test.astype(int) - image.astype(int)).sum(axis=(1, 2)).argmin()
        for image in evaluation.images[evaluation.is_test]
    ]
    assert np.array_equal(y_test[nearest], evaluation.labels[evaluation.is_test])  # same image, same label
    assert np.abs(x_test[nearest].astype(int) - evaluation.images[evaluation.is_test].astype(int)).max() <= 3
    assert evaluation.accuracy(evaluation.labels) == 1.0 and evaluation.accuracy(evaluation.labels, "holdout") == 1.0


def test_model_report_counts_the_test_images_only_and_names_them_by_their_public_index():
    """Does the feedback data hold the test images' confusion matrix and mistakes indexed in the public test set?"""
    rng = np.random.default_rng(3)
    x_test, x_hold = (
        rng.integers(0, 256, size=(200, 4, 4), dtype=np.uint8),
        rng.integers(0, 256, size=(50, 4, 4), dtype=np.uint8),
    )
    y_test, y_hold = np.arange(200) % 10, np.arange(50) % 10
    evaluation = EvaluationSet.build(x_test, y_test, x_hold, y_hold, np.random.default_rng(4), noise=0)
    predicted = evaluation.labels.copy()
    predicted[evaluation.is_test & (evaluation.labels == 3)] = 5  # every test 3 taken for a 5
    predicted[~evaluation.is_test] = 0  # hold-out answers must not count
    report = model_report(
        evaluation,
        predicted,
        {"source": "keras History", "series": {"loss": [2.0, 1.0], "accuracy": [0.5, float("nan")], "x": "no"}},
    )
    confusion = np.array(report.confusion)
    assert confusion.sum() == 200 and confusion[3, 5] == 20 and confusion[3, 3] == 0
    assert report.per_class_accuracy[3] == 0.0 and report.per_class_accuracy[4] == 1.0
    assert report.mistakes and all(m.true == 3 and m.predicted == 5 and y_test[m.index] == 3 for m in report.mistakes)
    assert all(
        np.array_equal(x_test[m.index], evaluation.images[(evaluation.origin == m.index) & evaluation.is_test][0])
        for m in report.mistakes
    )
    assert report.history == {"loss": [2.0, 1.0]} and report.history_source == "keras History"  # NaN and text dropped
    assert model_report(evaluation, predicted, "garbage").history == {}
    as_sent = {
        "source": "model.history",
        "series": {"loss": np.linspace(1, 0.1, 15), "bad": np.array(["a"]), "x": np.ones((2, 2))},
    }
    assert model_report(evaluation, predicted, as_sent).history == {
        "loss": np.linspace(1, 0.1, 15).tolist()
    }  # arrays too
