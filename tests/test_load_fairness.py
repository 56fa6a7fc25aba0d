"""The same verdict on a busy machine as on an idle one (slow: CPU hogs for minutes).

Each test starts three busy loops per core, each in a session of its own as other users'
kernels are, and kills them by pid. Time limits are charged on the idle clock
(`sandbox/idleclock.py`): a correct submission keeps its marks, an endless loop or sleep still
times out, and a submission that other work starves past the wall-clock backstop is "not
graded" (a grader failure, graded again), never a 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.batch import grade_all
from autograder.config import load_config
from autograder.grading import GradeOptions
from autograder.paths import REPO_ROOT
from tests.support import CORRECT_DEMO, DEMO_CONFIG, cpu_hogs, grade_file, with_limits

pytestmark = pytest.mark.slow

MLP_REFERENCE = REPO_ROOT / "solutions" / "10_fashion_mlp" / "pytorch" / "fashion_mlp.py"
MLP_IDLE_TRAINING = 30  # seconds: the PyTorch MLP's train() on two idle cores (solutions/MODELS.md)
SQUARE_TESTS = {"test_square_values", "test_square_scalar"}


def _demo(tmp_path: Path, square_body: str) -> Path:
    source = CORRECT_DEMO.replace("    return np.asarray(x, dtype=float) ** 2\n", square_body)
    assert source != CORRECT_DEMO
    folder = tmp_path / "class" / "handin"
    folder.mkdir(parents=True)
    (folder / "demo.py").write_text(source, encoding="utf-8")
    return folder / "demo.py"


# An honest square() that first computes for 2 s of CPU time: inside the demo's 3 s call limit.
COMPUTES_TWO_SECONDS = """    import time
    spent = time.process_time() + 2.0
    while time.process_time() < spent:
        pass
    return np.asarray(x, dtype=float) ** 2
"""


def test_a_correct_model_keeps_full_marks_on_a_loaded_machine():
    """The PyTorch MLP reference, with a call budget of about three times its idle training, under three hogs per core."""
    config = with_limits("fashion_mlp", call_time=3 * MLP_IDLE_TRAINING, wall_time=6 * MLP_IDLE_TRAINING + 120)
    with cpu_hogs(3):
        result = grade_file(MLP_REFERENCE, "fashion_mlp", config=config, seed=1001)
    assert not result.grader_failure, result.grader_failure
    assert result.score == result.max_score, [
        (t.name, t.status, t.output) for t in result.tests if t.status != "passed"
    ]


@pytest.mark.parametrize(
    "square_body",
    ["    while True:\n        pass\n", "    import time\n    time.sleep(3600)\n"],
    ids=["endless_loop", "endless_sleep"],
)
def test_an_endless_loop_or_sleep_still_times_out_on_a_loaded_machine(tmp_path, square_body):
    with cpu_hogs(3):
        result = grade_file(_demo(tmp_path, square_body), "demo", config=DEMO_CONFIG, seed=3)
    assert not result.grader_failure, result.grader_failure
    square = [t for t in result.tests if t.name in SQUARE_TESTS]
    assert square and all(t.score == 0 and t.cause in ("timeout", "crashed") for t in square), [
        (t.name, t.cause) for t in square
    ]
    assert any(t.status == "timeout" and "time limit" in t.output.en for t in square)
    assert all(t.status == "passed" for t in result.tests if t.name not in SQUARE_TESTS)


def test_a_starved_submission_is_not_graded_rather_than_failed(tmp_path):
    """Starved past a tight backstop, an honest submission gets "not graded: overloaded", which a batch grades again."""
    submission = _demo(tmp_path, COMPUTES_TWO_SECONDS)
    unhurried = grade_file(submission, "demo", config=DEMO_CONFIG, seed=4)
    assert unhurried.score == unhurried.max_score and not unhurried.grader_failure  # with the usual backstop: correct

    config = with_limits("demo", load_config(DEMO_CONFIG), backstop=1.5)
    out, how = tmp_path / "results", []
    with cpu_hogs(3):
        [result] = grade_all(
            submission.parent.parent,
            "demo",
            out,
            config=config,
            options=GradeOptions(seed=4, language="en"),
            on_event=lambda event: how.append(event.status),
        )
    assert "overloaded" in result.grader_failure.en, result.grader_failure
    assert not any(t.status == "timeout" for t in result.tests)
    assert any(t.cause == "overloaded" for t in result.tests)
    assert "overloaded" in (out / "handin.json").read_text(encoding="utf-8")

    grade_all(
        submission.parent.parent,
        "demo",
        out,
        config=config,
        options=GradeOptions(seed=4, language="en"),
        on_event=lambda event: how.append(event.status),
    )
    assert how == ["graded", "graded"]  # graded again, never kept as a score
