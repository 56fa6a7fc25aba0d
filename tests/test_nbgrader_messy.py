"""Do messy collected submissions each get one clear message and a fair score, without stopping the batch?

The submitted/ folder of a temporary course is filled the way real students leave it
(renamed, cells deleted or duplicated, a cell turned into markdown, an empty file, broken
JSON, both files edited, nothing at all), then graded by `collect_grade` without collecting.
"""

from __future__ import annotations

import copy
import functools
import re
import shutil
import time

import nbformat
import pytest

from autograder.classroom.release import release
from autograder.classroom.rounds import RoundOptions, collect_grade
from autograder.course.expectations import failed_functions
from autograder.grading import GradeOptions
from autograder.paths import REPO_ROOT
from tests.support import solved_notebook

NAME, FOLDER, NOTEBOOK, SCRIPT = "activations", "01_activations", "activations.ipynb", "activations.py"
SOLUTION = REPO_ROOT / "solutions" / FOLDER / SCRIPT
solved = functools.partial(solved_notebook, SOLUTION)

pytestmark = pytest.mark.skipif(
    not SOLUTION.is_file(), reason="the reference solution of activations is not written yet"
)


def index_of(notebook, grade_id: str) -> int:
    return next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.fixture(scope="module")
def graded(course):
    classroom = course  # the shared course of tests/conftest.py
    release(classroom, NAME)
    released_dir = classroom.release_dir / FOLDER
    released = nbformat.read(released_dir / NOTEBOOK, as_version=4)
    good = solved(released)

    def submit(student: str, files: dict[str, bytes | nbformat.NotebookNode], fetched: bool = False) -> None:
        folder = classroom.step_dir("submitted", NAME, student)
        folder.mkdir(parents=True)
        if fetched:  # everything nbgrader's fetch gave the student, untouched
            for path in released_dir.iterdir():
                shutil.copy2(path, folder / path.name)
        time.sleep(0.01)
        for name, content in files.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                nbformat.write(content, folder / name)
        (folder / "timestamp.txt").write_text("2024-03-01 12:00:00.000000 UTC")

    submit("renamed", {"activations (1).ipynb": good})
    submit("notebook_worker", {NOTEBOOK: good}, fetched=True)
    script = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION\n", "", SOLUTION.read_text(), flags=re.MULTILINE)
    submit("script_worker", {SCRIPT: script.encode()}, fetched=True)
    deleted = copy.deepcopy(good)
    del deleted.cells[index_of(deleted, "relu")]
    submit("deleted_cell", {NOTEBOOK: deleted})
    duplicated = copy.deepcopy(good)
    duplicated.cells.insert(
        index_of(duplicated, "tanh") + 1, copy.deepcopy(duplicated.cells[index_of(duplicated, "tanh")])
    )
    submit("duplicated_cell", {NOTEBOOK: duplicated})
    markdown = copy.deepcopy(good)
    at = index_of(markdown, "step")
    markdown.cells[at] = nbformat.v4.new_markdown_cell(markdown.cells[at].source, metadata=markdown.cells[at].metadata)
    submit("changed_type", {NOTEBOOK: markdown})
    submit("empty", {NOTEBOOK: b""})
    submit("broken_json", {NOTEBOOK: nbformat.writes(good).encode()[:-200]})
    submit("nothing", {})

    report = collect_grade(
        classroom, NAME, RoundOptions(collect_new=False, grading=GradeOptions(seed=7, language="en"), workers=2)
    )
    return classroom, {o.student: o for o in report.outcomes}


def failing(outcome) -> set[str]:
    return failed_functions(outcome.result)


def test_every_student_is_graded_with_feedback(graded):
    """Does every messy submission get a result, gradebook grades and a feedback page?"""
    classroom, outcomes = graded
    assert len(outcomes) == 9
    for student, outcome in outcomes.items():
        assert outcome.result is not None and not outcome.problem, (student, outcome.problem)
        assert outcome.feedback is not None and outcome.feedback.is_file(), student


@pytest.mark.parametrize("student", ["renamed", "notebook_worker", "script_worker", "duplicated_cell"])
def test_correct_work_gets_full_marks_however_it_arrives(graded, student):
    """Is a correct answer graded in full when renamed, beside an untouched stub, or with a cell twice?"""
    _, outcomes = graded
    result = outcomes[student].result
    assert result.score == result.max_score == 10, [t.output for t in result.tests if t.status != "passed"]


def test_renamed_notebook_is_named_in_one_sentence(graded):
    """Does the student who renamed the notebook read which file was graded and what to call it?"""
    _, outcomes = graded
    notes = [n.en for n in outcomes["renamed"].result.notes if "activations (1).ipynb" in n.en]
    assert len(notes) == 1 and "activations.ipynb" in notes[0]


@pytest.mark.parametrize("student, function", [("deleted_cell", "relu"), ("changed_type", "step")])
def test_a_missing_function_costs_only_its_own_tests(graded, student, function):
    """Does a deleted or markdown-turned cell lose exactly the tests of its function, with a message?"""
    _, outcomes = graded
    outcome = outcomes[student]
    lost = failing(outcome)
    assert lost and all(name.startswith(f"test_{function}_") for name in lost), lost
    assert 0 < outcome.result.score < outcome.result.max_score
    assert all(function in t.output.en for t in outcome.result.tests if t.status != "passed")


@pytest.mark.parametrize("student", ["empty", "broken_json", "nothing"])
def test_unreadable_or_missing_work_scores_zero_with_one_clear_error(graded, student):
    """Does an empty, broken or missing notebook score 0 with one sentence that says what to do?"""
    _, outcomes = graded
    result = outcomes[student].result
    assert result.score == 0 and result.max_score == 10
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].en.endswith(".") and len(result.errors[0].en) < 300


def test_feedback_shows_the_message(graded):
    """Does the broken notebook's feedback page say what went wrong?"""
    _, outcomes = graded
    html = outcomes["broken_json"].feedback.read_text(encoding="utf-8")
    assert outcomes["broken_json"].result.errors[0].en[:30] in html
