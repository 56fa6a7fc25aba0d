"""Does the one batch engine pick the student's file, and resume only what is still valid?

A folder that holds the untouched released stub beside a filled notebook is graded from the
notebook, and the result says so; a class graded twice keeps every result, but a change to
a hidden test, to the assignment's settings, or a result that grading itself left
unfinished (its judge killed) sends those students back to the grader.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import time

import psutil
import pytest

from autograder.batch import grade_all
from autograder.config import load_config
from autograder.grading import GradeOptions, grade
from autograder.paths import REPO_ROOT
from autograder.results import SubmissionResult
from tests.support import CORRECT_DEMO, DEMO_CONFIG, SLOW_DEMO, answered_release, inside_slow_square

RELEASED = REPO_ROOT / "assignments" / "01_activations"
SOLUTION = REPO_ROOT / "solutions" / "01_activations" / "activations.py"
OPTIONS = GradeOptions(language="en", seed=7)


def student_folder(root, *, notebook=True, script: str | None = None, script_later: bool = False):
    """A student's nbgrader-style folder: the fetched release, with the notebook and/or script filled."""
    folder = (
        answered_release("activations", root / "student") if notebook else shutil.copytree(RELEASED, root / "student")
    )
    if script is not None:
        (folder / "activations.py").write_text(script)
    if script_later:
        later = time.time() + 60
        os.utime(folder / "activations.py", (later, later))
    return folder


def test_untouched_stub_beside_a_filled_notebook_grades_the_notebook(tmp_path):
    """Does a folder with the released activations.py and a filled notebook earn the notebook's full marks, and say why?"""
    result = grade(student_folder(tmp_path), "activations", options=OPTIONS)
    assert result.score == result.max_score, [t.output for t in result.tests if t.status != "passed"]
    assert result.graded_file == "activations.ipynb"
    assert any("Graded activations.ipynb, the file you changed" in note.en for note in result.notes), result.notes


def test_both_files_changed_grades_each_and_the_better_counts(tmp_path):
    """With both files changed (the later .py with a wrong relu), are both graded, the better notebook counting, and said?"""
    wrong = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION\n", "", SOLUTION.read_text(), flags=re.MULTILINE)
    wrong = wrong.replace("def relu(", "def _unused_relu(") + "\ndef relu(x):\n    return np.asarray(x, dtype=float)\n"
    result = grade(student_folder(tmp_path, script=wrong, script_later=True), "activations", options=OPTIONS)
    assert result.graded_file == "activations.ipynb" and result.score == result.max_score
    assert any("so each was graded" in note.en and "activations.py" in note.en for note in result.notes), result.notes


def test_grade_all_picks_the_same_file(tmp_path):
    """Does grade-all on one folder per student use the same rule as grade?"""
    classroom = tmp_path / "class"
    classroom.mkdir()
    student_folder(classroom).rename(classroom / "alice")
    (result,) = grade_all(classroom, "activations", tmp_path / "out", options=OPTIONS)
    assert result.student == "alice" and result.score == result.max_score and result.graded_file == "activations.ipynb"


@pytest.fixture
def demo_course(tmp_path):
    """A copy of the demo assignment whose hidden suite and grading.toml a test may edit."""
    course = tmp_path / "course"
    shutil.copytree(DEMO_CONFIG.parent, course)
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    for name in ("ann", "ben"):
        (submissions / f"{name}.py").write_text(CORRECT_DEMO)
    return course, submissions, tmp_path / "out"


def run(course, submissions, out) -> dict[str, str]:
    statuses: dict[str, str] = {}
    grade_all(
        submissions,
        "demo",
        out,
        config=load_config(course / "grading.toml"),
        options=OPTIONS,
        on_event=lambda event: statuses.__setitem__(event.item, event.status),
    )
    return statuses


def test_unchanged_class_is_kept_and_an_edited_hidden_test_regrades(demo_course):
    """Is an unchanged class kept, and is everyone graded again after a hidden test or a setting changes?"""
    course, submissions, out = demo_course
    assert run(course, submissions, out) == {"ann": "graded", "ben": "graded"}
    assert run(course, submissions, out) == {"ann": "kept", "ben": "kept"}
    before = SubmissionResult.model_validate_json((out / "ann.json").read_text()).graded_on
    assert before.host and before.grader and before.suite and before.isolation.startswith("bubblewrap")
    suite = course / "suite" / "test_demo.py"
    suite.write_text(suite.read_text() + "\n# the instructor fixed a tolerance\n")
    assert run(course, submissions, out) == {"ann": "graded", "ben": "graded"}
    after = SubmissionResult.model_validate_json((out / "ann.json").read_text()).graded_on
    assert after.suite != before.suite and after.grader == before.grader
    config = course / "grading.toml"
    config.write_text(config.read_text().replace("points = 10", "points = 20"))
    assert run(course, submissions, out) == {"ann": "graded", "ben": "graded"}
    assert SubmissionResult.model_validate_json((out / "ann.json").read_text()).max_score == 20
    (submissions / "ben.py").write_text(CORRECT_DEMO + "\n# resubmitted\n")
    assert run(course, submissions, out) == {"ann": "kept", "ben": "graded"}


def test_result_of_a_killed_judge_is_graded_again(demo_course):
    """When the judge dies mid-grade (the batch was killed), is that result graded again, never kept as a 0?"""
    course, submissions, out = demo_course
    (submissions / "ben.py").write_text(SLOW_DEMO)
    stop = threading.Event()

    def kill_bens_judge():
        """Kill the judge of whichever process is inside ben's slow square() (it names itself), a second into it."""
        while not stop.is_set():
            for proc in inside_slow_square():
                try:
                    judge = next(p for p in proc.parents() if "autograder.engine.judge_server" in p.cmdline())
                except (StopIteration, psutil.Error):
                    continue
                time.sleep(1)
                os.kill(judge.pid, signal.SIGKILL)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_bens_judge)
    killer.start()
    try:
        first = run(course, submissions, out)
    finally:
        stop.set()
        killer.join()
    ben = SubmissionResult.model_validate_json((out / "ben.json").read_text())
    assert first == {"ann": "graded", "ben": "graded"}
    assert ben.grader_failure and ben.score < ben.max_score
    assert run(course, submissions, out) == {"ann": "kept", "ben": "graded"}
    ben = SubmissionResult.model_validate_json((out / "ben.json").read_text())
    assert not ben.grader_failure and ben.score == ben.max_score


# -- how many at once, and how many threads each ----------------------------------------------


@pytest.mark.parametrize(
    "kind, workers, cores, expected",
    [
        ("numeric", None, 8, (8, 1)),  # numeric: one per core, each sandbox one thread
        ("model", None, 8, (4, 2)),  # model: one training per two cores, each fed by two threads
        ("model", None, 1, (1, 1)),
        ("model", None, 3, (1, 3)),
        ("numeric", 2, 8, (2, 4)),  # -w 2 on 8 cores: four threads each, never 2 x 8
        ("model", 16, 4, (4, 1)),  # -w 16 for a model on 4 cores: never more trainings than cores
        ("numeric", 16, 4, (16, 1)),  # cheap numeric jobs may wait on a student's sleep: -w is taken as asked
    ],
)
def test_slots_never_ask_for_more_threads_than_cores(kind, workers, cores, expected):
    from autograder.batch import plan_slots

    at_once, threads = plan_slots(kind, workers, cores)
    assert (at_once, threads) == expected
    assert threads * min(at_once, cores) <= cores


@pytest.mark.parametrize(
    "kind, nthreads, cores, expected",
    [
        ("numeric", 1, 8, (1, 8)),  # one job at a time on a whole machine
        ("numeric", 4, 8, (4, 2)),
        ("model", 4, 8, (4, 2)),
        ("model", 4, 4, (2, 2)),  # four worker threads, four cores: two trainings of two threads
        ("model", 2, 1, (1, 1)),  # a LocalCluster's worker with one core of its own
    ],
)
def test_dask_worker_slots_follow_its_share_of_the_cores(kind, nthreads, cores, expected):
    from autograder.cluster import worker_slots

    assert worker_slots(kind, nthreads, cores) == expected


def test_a_worker_takes_its_share_from_the_environment(monkeypatch):
    """A LocalCluster's worker grades on the share of cores its cluster gave it, not on the whole machine."""
    from autograder.cluster import WORKER_CORES_ENV, worker_cores
    from autograder.cores import usable_cores

    monkeypatch.setenv(WORKER_CORES_ENV, "3")
    assert worker_cores() == 3
    monkeypatch.delenv(WORKER_CORES_ENV)
    assert worker_cores() == usable_cores() <= len(os.sched_getaffinity(0))


def test_each_sandbox_gets_its_share_of_the_cores(demo_course, monkeypatch):
    """With the default -w on four cores, does each of the four judge slots give its sandbox one thread?"""
    import autograder.batch as batch

    course, submissions, out = demo_course
    monkeypatch.setattr(batch, "usable_cores", lambda: 4)
    seen: list[int | None] = []
    real = batch.grade_prepared

    def grade_prepared(*args, options, **kwargs):
        seen.append(options.threads)
        return real(*args, options=options, **kwargs)

    monkeypatch.setattr(batch, "grade_prepared", grade_prepared)
    assert run(course, submissions, out) == {"ann": "graded", "ben": "graded"}
    assert seen == [1, 1]


def test_a_re_run_with_nothing_to_grade_starts_no_cluster(demo_course, monkeypatch):
    """A class graded already, re-run on Dask: is every result kept without starting a LocalCluster?"""
    import autograder.cluster as cluster
    from autograder.cluster import DaskExecutor

    course, submissions, out = demo_course
    assert run(course, submissions, out) == {"ann": "graded", "ben": "graded"}

    def no_cluster(*_, **__):
        raise AssertionError("a cluster was started with nothing to grade")

    monkeypatch.setattr(cluster.DaskGrading, "_start", no_cluster)
    statuses: dict[str, str] = {}
    grade_all(
        submissions,
        "demo",
        out,
        config=load_config(course / "grading.toml"),
        options=OPTIONS,
        executor=DaskExecutor(local_workers=2),
        on_event=lambda event: statuses.__setitem__(event.item, event.status),
    )
    assert statuses == {"ann": "kept", "ben": "kept"}


def test_a_re_run_reads_only_hand_ins_whose_files_changed(demo_course, monkeypatch):
    """Unchanged files are not read again; an edit is noticed even when it keeps the size and the mtime."""
    import autograder.batch as batch

    course, submissions, out = demo_course
    monkeypatch.setattr(batch, "RACY_SECONDS", 0)  # files just written count as settled (a class collected a while ago)
    past = time.time() - 60
    for handin in submissions.iterdir():
        os.utime(handin, (past, past))
    assert run(course, submissions, out) == {"ann": "graded", "ben": "graded"}
    read: list[str] = []
    real = batch._read_one
    monkeypatch.setattr(batch, "_read_one", lambda path, *args: read.append(path.name) or real(path, *args))
    assert run(course, submissions, out) == {"ann": "kept", "ben": "kept"}
    assert read == []
    ben = submissions / "ben.py"
    source = ben.read_text()
    ben.write_text(source.replace("** 2", "* 2 ") if "** 2" in source else source[::-1])  # same size, other code
    os.utime(ben, (past, past))  # the mtime put back: the ctime still moves
    assert len(ben.read_text()) == len(source)
    assert run(course, submissions, out) == {"ann": "kept", "ben": "graded"}
    assert read == ["ben.py"]


def test_verbose_says_the_plan_on_stderr_and_quiet_says_nothing(demo_course):
    """-v: grade-all's plan (hand-ins, workers, threads) on stderr; without it no log line, and the same scores."""
    import subprocess
    import sys

    course, submissions, out = demo_course
    command = [sys.executable, "-m", "autograder.cli", "--config", str(course / "grading.toml")]
    quiet = subprocess.run(
        [*command, "grade-all", str(submissions), "-a", "demo", "-o", str(out / "quiet"), "--language", "en"],
        capture_output=True,
        text=True,
    )
    loud = subprocess.run(
        [*command, "-v", "grade-all", str(submissions), "-a", "demo", "-o", str(out / "loud"), "--language", "en"],
        capture_output=True,
        text=True,
    )
    assert quiet.returncode == loud.returncode == 0, quiet.stderr + loud.stderr
    assert "INFO" not in quiet.stderr and "never graded" not in quiet.stderr
    assert "demo: 2 hand-ins, 2 never graded" in " ".join(loud.stderr.split()) and "2 to grade" in loud.stderr
    scores = [
        [line.split(",")[:5] for line in (out / name / "gradebook.csv").read_text().splitlines()]
        for name in ("quiet", "loud")
    ]
    assert scores[0] == scores[1]
