"""Are the model assignments (10-12) graded honestly through the real grader and sandbox?

The slow tests train every reference solution on the full data, as CI does; the fast ones
check that submissions which do not learn (a stub, a hard-coded answer, a model trained
or loaded before the grader trains it, a search for the test labels) gain nothing.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import random
import re
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.config import load_config
from autograder.course.expectations import variant_expectation, variant_file
from autograder.course.layout import layout
from autograder.paths import REPO_ROOT
from tests.support import (
    DISHONEST,
    dishonest_causes,
    dishonest_submission,
    failed_functions,
    grade_file,
    with_integrity,
)

SOLUTIONS = REPO_ROOT / "solutions"
REFERENCES = [
    pytest.param("fashion_mlp", SOLUTIONS / "10_fashion_mlp" / "fashion_mlp.py", id="mlp-keras"),
    pytest.param("fashion_mlp", SOLUTIONS / "10_fashion_mlp" / "pytorch" / "fashion_mlp.py", id="mlp-torch"),
    pytest.param("fashion_cnn", SOLUTIONS / "11_fashion_cnn" / "fashion_cnn.py", id="cnn-keras"),
    pytest.param("fashion_cnn", SOLUTIONS / "11_fashion_cnn" / "pytorch" / "fashion_cnn.py", id="cnn-torch"),
    pytest.param("sequence_models", SOLUTIONS / "12_sequence_models" / "sequence.py", id="lstm-torch"),
]
PIPELINE_TESTS = {
    "test_predictions_are_labels",
    "test_untrained_model_near_chance",
    "test_model_is_mlp",
    "test_accuracy_partial",
    "test_accuracy",
}


def write(folder: Path, source: str, name: str = "fashion_mlp.py") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def outputs(result) -> str:
    return "\n".join(t.output.en for t in result.tests)


# -- slow: the references reach their thresholds ------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("assignment, path", REFERENCES)
def test_reference_reaches_full_marks(assignment, path):
    """Does each reference solution, trained by the grader in the sandbox, earn full marks?"""
    result = grade_file(path, assignment, seed=20261124)
    assert not result.internal_errors, result.internal_errors
    assert result.score == result.max_score, outputs(result)
    assert any("trainable parameters" in note.en for note in result.notes), result.notes
    report = result.figures.model  # the feedback page's data: the test set's confusion matrix
    assert report is not None and sum(map(sum, report.confusion)) == 10_000
    assert min(report.per_class_accuracy) > 0.5 and report.mistakes
    assert report.history, "every reference leaves a learning curve (Keras History, or model.history in PyTorch)"


def _variant(assignment: str, name: str, folder: Path) -> Path:
    spot = layout(assignment, load_config())
    return variant_file(spot.variants_dir / name, spot.solution_file, folder)


MODEL_VARIANTS = [
    pytest.param(assignment, path.name, id=f"{assignment}:{path.stem}")
    for assignment, spec in load_config().assignments.items()
    if spec.trains_on_fashion_mnist
    for path in layout(assignment, load_config()).variants()
    if (assignment, path.name) != ("fashion_mlp", "bug_one_percent_of_data.py")
]  # graded below


@pytest.mark.slow
@pytest.mark.parametrize("assignment, name", MODEL_VARIANTS)
def test_model_variant_fails_exactly_its_listed_tests(assignment, name, tmp_path):
    """Does each bug of an assignment's variants/ (model assignments) lose exactly the tests its first line names?"""
    expected = variant_expectation(layout(assignment, load_config()).variants_dir / name)
    result = grade_file(_variant(assignment, name, tmp_path), assignment, seed=11)
    assert not result.internal_errors, result.internal_errors
    assert expected.unmet(result) is None, (expected.unmet(result), outputs(result))


@pytest.mark.slow
def test_one_percent_of_the_data_earns_partial_credit(tmp_path):
    """Does a model trained on 1 % of the data fall below both accuracy levels, keeping the other points?"""
    result = grade_file(_variant("fashion_mlp", "bug_one_percent_of_data.py", tmp_path), "fashion_mlp", seed=7)
    assert failed_functions(result) == {"test_accuracy", "test_accuracy_partial"}
    assert 0 < result.score < result.max_score
    full = next(t for t in result.tests if t.name == "test_accuracy")
    pattern = r"Accuracy on held-out training images \d+\.\d % \(threshold \d+\.\d %; on the test set \d+\.\d %, shown, not scored\)\."
    assert re.fullmatch(pattern, full.output.en), full.output


# -- fast: the grader's own forward pass suits every honest model ------------------------------
HONEST_MODELS = [
    *REFERENCES,
    pytest.param(
        "fashion_mlp", SOLUTIONS / "10_fashion_mlp" / "variants" / "alt_subclassed_model.py", id="mlp-keras-subclass"
    ),
    pytest.param(
        "fashion_mlp", SOLUTIONS / "10_fashion_mlp" / "variants" / "alt_augmentation.py", id="mlp-augmentation"
    ),
    pytest.param(
        "fashion_cnn", SOLUTIONS / "11_fashion_cnn" / "variants" / "alt_lecture_batchnorm.py", id="cnn-batchnorm"
    ),
]


@pytest.mark.parametrize("assignment, path", HONEST_MODELS)
def test_forward_pass_and_relabelling_suit_every_honest_model(assignment, path, tmp_path):
    """Does the grader's forward pass give predict()'s answers for each honest model (untrained: no
    training needed), and does relabelling the class outputs move every answer with them, weights restored?"""
    import importlib.util
    import sys

    import torch  # noqa: F401  (before anything that may load tensorflow)

    from autograder.course.expectations import overlay_source
    from autograder.engine.integrity import derangement
    from autograder.sandbox import drivers

    source = overlay_source(path, layout(assignment, load_config()).solution_file) or path.read_text(encoding="utf-8")
    module_path = write(tmp_path, source, name=f"honest_{path.stem}.py")
    spec = importlib.util.spec_from_file_location(module_path.stem, module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_path.stem] = module
    spec.loader.exec_module(module)
    kwargs = {"kind": "lstm"} if assignment == "sequence_models" else {}
    drivers.model_build(module, seed=3, threads=1, device="cpu", kwargs=kwargs)
    model = drivers._model()
    images = np.random.default_rng(0).integers(0, 256, size=(300, 28, 28), dtype=np.uint8)
    before = [np.array(w, copy=True) for w in _weights_of(model)]
    perm = derangement(3)
    reply = drivers.model_forward(module, images, perm)
    assert reply["relabel_error"] is None, reply["relabel_error"]
    assert np.array_equal(reply["relabelled"], perm[reply["predictions"]])
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights_of(model)))
    assert np.mean(np.asarray(drivers._predict(module, model, images)) == reply["predictions"]) >= 0.999
    drivers._PIPELINE.clear()


def _weights_of(model) -> list:
    if hasattr(model, "get_weights"):
        return model.get_weights()
    return [t.detach().cpu().numpy() for t in model.state_dict().values()]


# -- fast: what does not learn earns nothing --------------------------------------------------
def stub_of(path: Path) -> str:
    """The student's stub: every marked answer replaced by NotImplementedError, as released."""
    pattern = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION\n", re.S | re.M)
    return pattern.sub(lambda m: f"{m['indent']}raise NotImplementedError()\n", path.read_text(encoding="utf-8"))


def test_stub_scores_zero(tmp_path):
    """Does the released stub score 0, every test saying what is not implemented?"""
    path = write(tmp_path, stub_of(SOLUTIONS / "10_fashion_mlp" / "fashion_mlp.py"))
    result = grade_file(path, "fashion_mlp", seed=1)
    assert result.score == 0
    assert {t.name for t in result.tests} == PIPELINE_TESTS
    assert all("build_model" in t.output.en and "not implemented" in t.output.en for t in result.tests), outputs(result)


TRIVIAL_MODEL = """
import numpy as np
import torch
from torch import nn


def build_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model
"""


@pytest.mark.parametrize(
    "answer",
    [
        "np.zeros(len(x), dtype=int)",
        "np.arange(len(x)) % 10",
        "np.resize([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], len(x))",
    ],
)
def test_hard_coded_answers_gain_nothing(tmp_path, answer):
    """Does a predict() that ignores the model (all zeros, a fixed pattern) score 0?"""
    path = write(tmp_path, TRIVIAL_MODEL + f"\n\ndef predict(model, x):\n    return {answer}\n")
    result = grade_file(path, "fashion_mlp", seed=2)
    assert result.score == 0, outputs(result)
    assert all("better than guessing" in t.output.en for t in result.tests), outputs(result)


READS_TEST_LABELS = '''
import glob
import gzip
import os

import numpy as np
import torch
from torch import nn

PLACES = ["/usr/share/datasets", DATA_HOME, os.path.expanduser("~/.keras/datasets"), "/root/.keras/datasets"]
ANSWERS = {}


def _read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    dims = data[3]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims)


def _search():
    """Look for t10k files where data sets live, then anywhere on the filesystem."""
    found = []
    for place in PLACES:
        found += glob.glob(os.path.join(place, "**", "t10k-*"), recursive=True)
    for root, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
        found += [os.path.join(root, f) for f in files if f.startswith("t10k-")]
    images = [f for f in found if "images" in f]
    labels = [f for f in found if "labels" in f]
    if images and labels:
        pixels = _read_idx(images[0]).reshape(-1, 784)
        for row, label in zip(pixels, _read_idx(labels[0])):
            ANSWERS[row.tobytes()] = int(label)


def build_model():
    _search()
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    pixels = np.rint(np.asarray(x).reshape(len(x), -1) * 255).astype(np.uint8)
    return np.array([ANSWERS.get(row.tobytes(), 0) for row in pixels])
'''


def test_searching_for_test_labels_gains_nothing(tmp_path):
    """Does a submission that hunts for the test labels (data sets, data home, ~/.keras, /) find none?"""
    data_home = str(load_config().data_home)
    path = write(tmp_path, READS_TEST_LABELS.replace("DATA_HOME", repr(data_home)))
    result = grade_file(path, "fashion_mlp", seed=3)
    assert result.score == 0, outputs(result)
    assert all("better than guessing" in t.output.en for t in result.tests), outputs(result)
    # Control: where the files are visible (no bubblewrap) and the images are scored without
    # noise, the same cheat answers every test image, so the zero above comes from the hiding,
    # not from a cheat that never worked; the hold-out comparison still catches it.
    unhidden = grade_file(
        path, "fashion_mlp", config=with_integrity("fashion_mlp", noise=0), seed=3, isolation="subprocess"
    )
    assert any("test accuracy 100.0 %" in note.en for note in unhidden.notes), unhidden.notes
    assert unhidden.score == 0 and {t.cause for t in unhidden.tests} == {"holdout_gap"}, outputs(unhidden)


def linear_classifier_blob() -> str:
    """A 'pretrained' linear classifier (least squares on the training set), base64 .npz."""
    from autograder.data import load_split

    images, labels = load_split("train", load_config().data_home)
    x = np.hstack([images.reshape(len(images), -1) / 255.0, np.ones((len(images), 1))])
    targets = np.eye(10)[labels]
    weights = np.linalg.solve(x.T @ x + 1.0 * np.eye(x.shape[1]), x.T @ targets)
    buffer = io.BytesIO()
    np.savez(buffer, w=weights[:-1].T.astype(np.float32), b=weights[-1].astype(np.float32))
    return base64.b64encode(buffer.getvalue()).decode()


LOADS_SHIPPED_WEIGHTS = """
import base64
import io

import numpy as np
import torch
from torch import nn

from pretrained_weights import BLOB


def build_model():
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    saved = np.load(io.BytesIO(base64.b64decode(BLOB)))
    with torch.no_grad():
        model[1].weight.copy_(torch.from_numpy(saved["w"]))
        model[1].bias.copy_(torch.from_numpy(saved["b"]))
    return model


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    with torch.no_grad():
        return model(torch.as_tensor(x, dtype=torch.float32)).argmax(1).numpy()
"""

TRAINS_INSIDE_BUILD_MODEL = '''
import os

import numpy as np
import torch
from torch import nn


def build_model():
    """Fit a linear classifier to the training data it finds, before the grader trains anything."""
    import glob

    candidates = ["/inputs", *glob.glob("/tmp/autograder-inputs-*/*")]  # bubblewrap, then a plain subprocess
    folder = next(p for p in candidates if os.path.isfile(os.path.join(p, "y_train.npy")))
    images = np.load(os.path.join(folder, "x_train.npy"))[:20000].reshape(20000, -1)  # float32 in [0, 1]
    labels = np.load(os.path.join(folder, "y_train.npy"))[:20000]
    x = np.hstack([images, np.ones((len(images), 1))])
    weights = np.linalg.solve(x.T @ x + np.eye(x.shape[1]), x.T @ np.eye(10)[labels])
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    with torch.no_grad():
        model[1].weight.copy_(torch.from_numpy(weights[:-1].T.astype(np.float32)))
        model[1].bias.copy_(torch.from_numpy(weights[-1].astype(np.float32)))
    return model


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    with torch.no_grad():
        return model(torch.as_tensor(x, dtype=torch.float32)).argmax(1).numpy()
'''


@pytest.mark.parametrize("how", ["shipped weights", "trained in build_model"])
def test_already_trained_model_gains_nothing(tmp_path, how):
    """Does a model that is good before the grader trains it (shipped weights, or fitted inside build_model) score 0?

    Shipped weights (42 KB of base64) are over the compressed-source cap, which stops them before anything
    runs; with the cap lifted, the check of the untrained model stops them too.
    """
    config = load_config()
    if how == "shipped weights":
        write(tmp_path, f"BLOB = {linear_classifier_blob()!r}\n", name="pretrained_weights.py")
        path = write(tmp_path, LOADS_SHIPPED_WEIGHTS)
        capped = grade_file(tmp_path, "fashion_mlp", seed=4)
        assert capped.score == 0 and {t.cause for t in capped.tests} == {"literal_data"}, outputs(capped)
        config = with_integrity("fashion_mlp", source_kb=100_000)
    else:
        path = write(tmp_path, TRAINS_INSIDE_BUILD_MODEL)
    result = grade_file(tmp_path, "fashion_mlp", config=config, seed=4)
    assert result.score == 0, outputs(result)
    assert all("already scores" in t.output.en for t in result.tests), outputs(result)
    assert path.exists()


def test_predict_returning_scores_is_named(tmp_path):
    """Is a predict() that returns (N, 10) scores told the shape it returned and the one expected?"""
    source = (
        TRIVIAL_MODEL
        + """

def predict(model, x):
    with torch.no_grad():
        return model(torch.as_tensor(x, dtype=torch.float32)).numpy()
"""
    )
    result = grade_file(write(tmp_path, source), "fashion_mlp", seed=5)
    assert result.score == 0
    assert all("predict returned shape (1000, 10); expected (1000,) labels" in t.output.en for t in result.tests), (
        outputs(result)
    )


def test_training_past_the_time_limit_is_named(tmp_path):
    """Is a train() that outlasts call_time stopped, with a message naming the limit?"""
    config = load_config()
    text = config.source.read_text(encoding="utf-8")
    text = text.replace('data_home = "datasets/home"', f"data_home = {str(config.data_home)!r}")
    text = text.replace('solutions = "solutions"', f"solutions = {str(config.solutions_dir)!r}")
    text += "[assignments.fashion_mlp.limits]\ncall_time = 8\n"  # an instructor's override of the folder's 600
    (tmp_path / "grading.toml").write_text(text, encoding="utf-8")
    source = (
        TRIVIAL_MODEL.replace("    return model\n", "    import time\n    time.sleep(120)\n    return model\n")
        + """

def predict(model, x):
    with torch.no_grad():
        return model(torch.as_tensor(x, dtype=torch.float32)).argmax(1).numpy()
"""
    )
    folder = tmp_path / "submission"
    folder.mkdir()
    result = grade_file(write(folder, source), "fashion_mlp", config=tmp_path / "grading.toml", seed=6)
    failed = [t for t in result.tests if t.status != "passed"]
    # What build_model() alone decides (its layers, its accuracy before training) does not hang on train().
    assert {t.name for t in failed} == PIPELINE_TESTS - {"test_untrained_model_near_chance", "test_model_is_mlp"}, (
        outputs(result)
    )
    assert all("Training" in t.output.en and "8 s" in t.output.en for t in failed), outputs(result)


# -- the score must come from the model the grader trained ---------------------------------
DISHONEST_VARIANTS = sorted(
    p
    for p in DISHONEST.glob("*.py")
    if not p.name.startswith("_") and p.read_text(encoding="utf-8").startswith("# expect-fail-cause:")
)
WEAK_MODEL_LOOKUPS = sorted(
    p for p in DISHONEST.glob("*.py") if p.read_text(encoding="utf-8").startswith("# expect-score-at-most:")
)
MODEL_ASSIGNMENTS = [name for name, spec in load_config().assignments.items() if spec.trains_on_fashion_mnist]


@pytest.mark.slow
@pytest.mark.parametrize("variant", DISHONEST_VARIANTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("assignment", MODEL_ASSIGNMENTS)
def test_dishonest_variant_earns_nothing(assignment, variant, tmp_path):
    """Does each way of answering from the public data instead of the trained model earn nothing, with the right message?

    Every layer is shown at work: with the course's settings, and again with the source
    cap lifted, so that the table has to get past the checks made while the model runs. The
    functions graded without training (sequence_models' rnn_step, ...) are the reference's
    and keep their points.
    """
    capped, uncapped = dishonest_causes(variant)
    path = dishonest_folder(variant, layout(assignment, load_config()).solution_file, tmp_path / "student")
    result = grade_file(path.parent, assignment, seed=12)
    assert_earns_nothing_from_training(result, capped)
    if capped == "literal_data":
        lifted = grade_file(path.parent, assignment, config=with_integrity(assignment, source_kb=100_000), seed=12)
        assert_earns_nothing_from_training(lifted, uncapped)


def dishonest_folder(variant: Path, reference: Path, folder: Path) -> Path:
    """dishonest_submission's folder, plus the tables written where no literal holds them (carriers.py and its
    data: the test set as variable names or as whitespace) and the small table of hard test images."""
    from autograder.data import load_split

    path = dishonest_submission(variant, reference, folder)
    text = variant.read_text(encoding="utf-8")
    if not any(word in text for word in ("carriers", "hard_images")):
        return path
    spec = importlib.util.spec_from_file_location("dishonest_carriers", DISHONEST / "_carriers.py")
    carriers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(carriers)
    home = load_config().data_home
    x_test, y_test = load_split("test", home)
    shutil.copyfile(DISHONEST / "_carriers.py", folder / "carriers.py")
    if "names_labels" in text:
        (folder / "answers_names.py").write_text(carriers.names_source(x_test, y_test), encoding="utf-8")
    if "blank_labels" in text:
        (folder / "answers_blank.py").write_text(carriers.blank_source(x_test, y_test), encoding="utf-8")
    if "hard_images" in text:
        x_train, y_train = load_split("train", home)
        (folder / "hard_images.py").write_text(carriers.hard_source(x_train, y_train, x_test, y_test), encoding="utf-8")
        for helper in ("carriers.py", "answers.py"):  # a student with a small table would not ship the others' helpers
            (folder / helper).unlink()
    return path


@pytest.mark.slow
@pytest.mark.parametrize("variant", WEAK_MODEL_LOOKUPS, ids=lambda p: p.stem)
@pytest.mark.parametrize("assignment", MODEL_ASSIGNMENTS)
def test_lookup_on_a_weak_model_earns_no_more_than_the_model(assignment, variant, tmp_path):
    """Does a weak honest model whose predict() also looks up hard public test images (a table under the
    source cap) earn no more than the same model without the table, though the table lifts predict() on the test set?"""
    reference = layout(assignment, load_config()).solution_file
    with_table = dishonest_folder(variant, reference, tmp_path / "with")
    alone = dishonest_folder(variant, reference, tmp_path / "alone")
    alone.write_text(
        alone.read_text(encoding="utf-8").replace("USE_TABLE = True", "USE_TABLE = False"), encoding="utf-8"
    )
    looked_up, weak = grade_file(with_table.parent, assignment, seed=13), grade_file(alone.parent, assignment, seed=13)
    assert not looked_up.internal_errors and not weak.internal_errors, (looked_up.internal_errors, weak.internal_errors)
    assert not {t.cause for t in weak.tests} & {"literal_data", "forward_pass", "holdout_gap"}, outputs(weak)
    assert looked_up.score <= weak.score, (looked_up.notes, outputs(looked_up), weak.notes)
    lifted = re.search(
        r"predict\(\)'s own answers: test accuracy ([\d.]+) %", " ".join(note.en for note in looked_up.notes)
    )
    shown = re.search(r"test accuracy ([\d.]+) % \(shown", " ".join(note.en for note in weak.notes))
    assert lifted and shown and float(lifted.group(1)) >= float(shown.group(1)) + 1.0, (looked_up.notes, weak.notes)


TRAINING_RUN_TESTS = {
    "test_predictions_are_labels",
    "test_untrained_model_near_chance",
    "test_accuracy_partial",
    "test_accuracy",
}


def assert_earns_nothing_from_training(result, cause: str) -> None:
    """Every test of the training run failed for `cause` (the judge's reason; "a|b": either); on the
    Fashion-MNIST assignments, where every test judges the run, nothing was earned at all."""
    assert not result.internal_errors, result.internal_errors
    run_tests = [t for t in result.tests if t.name in TRAINING_RUN_TESTS]
    assert len(run_tests) == len(TRAINING_RUN_TESTS), [t.name for t in result.tests]
    causes = {t.cause for t in run_tests}
    assert len(causes) == 1 and causes <= set(cause.split("|")), (result.notes, outputs(result))
    assert {t.status for t in run_tests} == {"failed"}, (result.notes, outputs(result))
    if result.assignment != "sequence_models":
        assert result.score == 0 and {t.cause for t in result.tests} == causes, outputs(result)


LEARNS_IN_SECONDS = """
import numpy as np
import torch
from torch import nn


class Scale(nn.Module):
    def forward(self, x):
        return x / 255.0


def build_model():
    return nn.Sequential(Scale(), nn.Flatten(), nn.Linear(784, 10))


def train(model, x_train, y_train, x_val, y_val, workdir):
    x = torch.as_tensor(np.asarray(x_train[:20000]), dtype=torch.float32)
    y = torch.as_tensor(np.asarray(y_train[:20000]), dtype=torch.long)
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    for start in range(0, len(y), 500):
        optimiser.zero_grad()
        nn.functional.cross_entropy(model(x[start : start + 500]), y[start : start + 500]).backward()
        optimiser.step()
    return model


def predict(model, x):
    with torch.no_grad():
        return model(torch.as_tensor(np.asarray(x), dtype=torch.float32)).argmax(1).numpy()
"""


def _scored(result) -> float:
    found = re.search(r"kept aside ([\d.]+) %", " ".join(note.en for note in result.notes))
    assert found, result.notes
    return float(found.group(1))


def test_code_beyond_the_free_allowance_costs_what_a_table_that_size_could_buy(tmp_path):
    """Does a model whose code is over the free allowance score its own hold-out accuracy less the charge, and is
    the student told why and how to get the points back? The same model with short code is not charged."""
    (tmp_path / "plain").mkdir()
    (tmp_path / "padded").mkdir()
    plain = write(tmp_path / "plain", LEARNS_IN_SECONDS)
    padding = "".join(
        f"    _{random.Random(n).randbytes(8).hex()} = {n}\n" for n in range(400)
    )  # about 5 KB compressed
    padded_source = LEARNS_IN_SECONDS + "\n\ndef _never_called():\n" + padding
    padded = write(tmp_path / "padded", padded_source)
    alone, charged = grade_file(plain, "fashion_mlp", seed=21), grade_file(padded, "fashion_mlp", seed=21)
    code_kb = float(re.search(r"code ([\d.]+) KB compressed", " ".join(note.en for note in charged.notes)).group(1))
    settings = load_config().assignments["fashion_mlp"].integrity
    expected = 100 * settings.charge(code_kb, 60000)
    assert code_kb > settings.free_kb and expected > 0.3, charged.notes
    assert "taken off the scored accuracy" in " ".join(note.en for note in charged.notes)
    assert "taken off" not in " ".join(note.en for note in alone.notes), alone.notes
    assert _scored(charged) == pytest.approx(_scored(alone) - expected, abs=0.15), (alone.notes, charged.notes)
    explained = [t.output.en for t in charged.tests if t.cause == "accuracy"]
    assert explained and all("removing unused code gets the points back" in output for output in explained), outputs(
        charged
    )
