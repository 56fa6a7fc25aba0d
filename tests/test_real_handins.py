"""Real hand-ins graded fairly: the corpus of tests/handins/ through grade-all, grade and collect-grade.

Each hand-in is built the way Colab, JupyterLab 4, VS Code, an editor or an LMS leaves it,
with every graded function correct unless its name says otherwise; each must earn its
verdict through the one intake and the real sandbox, with a message that names its cause.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from autograder.batch import grade_all
from autograder.config import load_config
from autograder.grading import GradeOptions
from autograder.paths import REPO_ROOT
from tests.handins import HANDINS, SOLUTION, colab_py, lms_renamed, solved

pytestmark = pytest.mark.skipif(
    not SOLUTION.is_file(), reason="the reference solution of activations is not written yet"
)
OPTIONS = GradeOptions(language="en")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    room = tmp_path_factory.mktemp("handins")
    for handin in HANDINS:
        handin.build(room / handin.student)
    results = grade_all(
        room, "activations", tmp_path_factory.mktemp("graded"), workers=2, config=load_config(), options=OPTIONS
    )
    return {result.student: result for result in results}


@pytest.mark.parametrize("handin", HANDINS, ids=[h.student for h in HANDINS])
def test_each_real_hand_in_earns_its_verdict(corpus, handin):
    result = corpus[handin.student]
    said = " ".join(text.en for text in result.errors + result.notes)
    if handin.verdict == "full":
        assert result.score == result.max_score, (
            result.score,
            said,
            [t.output for t in result.tests if t.status != "passed"][:3],
        )
    else:
        failed = [t for t in result.tests if t.status != "passed"]
        assert failed and all(handin.failing in t.name for t in failed), [t.name for t in failed]
        assert 0 < result.score < result.max_score
        assert all(t.output for t in failed)
    assert handin.note in said, said


def test_a_missing_module_is_named_with_its_cell(corpus):
    notes = " ".join(note.en for note in corpus["unknown_module"].notes)
    assert "Notebook cell" in notes and "ModuleNotFoundError" in notes and "cells after it were still run" in notes


def test_the_slow_cell_is_named_by_number_and_first_line(corpus):
    notes = " ".join(note.en for note in corpus["slow_cell"].notes)
    assert "import time" in notes and "was stopped after" in notes


def test_grade_takes_a_colab_py_export(tmp_path):
    """`grade` on Colab's Download .py: get_ipython() lines are harmless, drive.mount fails alone."""
    colab_py(tmp_path / "kim")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder.cli",
            "grade",
            str(tmp_path / "kim"),
            "-a",
            "activations",
            "--language",
            "ko",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "10 / 10" in done.stdout and "google" in done.stdout, done.stdout


def test_collect_grade_takes_real_hand_ins(course):
    """Through the nbgrader round: a Colab notebook, and an LMS-renamed notebook beside the untouched stub."""
    from autograder.classroom.release import release
    from autograder.classroom.rounds import RoundOptions, collect_grade

    release(course, "activations")
    for student, build in (("renamed", lms_renamed), ("colab", None)):
        folder = course.step_dir("submitted", "activations", student)
        folder.parent.mkdir(parents=True, exist_ok=True)
        if build is not None:
            build(folder)
        else:
            folder.mkdir()
            nbformat.write(solved(), folder / "activations.ipynb")
        (folder / "timestamp.txt").write_text("2024-03-01 12:00:00.000000 UTC")
    report = collect_grade(course, "activations", RoundOptions(collect_new=False, grading=OPTIONS))
    scores = {o.student: (o.result.score, o.result.max_score) for o in report.outcomes}
    assert scores["renamed"][0] == scores["renamed"][1] and scores["colab"][0] == scores["colab"][1], scores
