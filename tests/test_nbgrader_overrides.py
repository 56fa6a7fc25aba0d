"""Can an instructor override any hidden test, and does every report then show the one total?

One student (bob, relu wrong) goes through the course of test_nbgrader_round.py. The
gradebook's cells must carry ids formgrader can look up and be autograder-test code cells;
a gradebook written by the old version (cells named `test_relu_values[float64]`, overrides
typed on them) must keep its overrides through the next collect-grade; and the feedback
header, our summary cell, the printed table, grades.csv and our stored record must show
the same total, rounded, also when formgrader's own Generate Feedback renders the page.
"""

from __future__ import annotations

import io
import json
import re

import nbformat
import pytest
from nbgrader.api import Comment, Grade, Gradebook
from rich.console import Console

from autograder.classroom.cell_ids import cell_id, cell_ids
from autograder.classroom.course import nbgrader_environment
from autograder.classroom.plug_ins import nbgrader_config
from autograder.classroom.release import release
from autograder.classroom.rounds import RoundOptions, collect_grade
from autograder.grading import GradeOptions
from autograder.reports.terminal import print_round
from tests.test_nbgrader_round import FOLDER, NAME, SEED, WRONG_RELU, read_csv, submit_class

HTML_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
OPTIONS = GradeOptions(seed=SEED, language="en")


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    release(course, NAME)
    submit_class(course, tmp_path_factory.mktemp("homes"), {"bob": {"relu": WRONG_RELU}})
    report = collect_grade(course, NAME, RoundOptions(grading=OPTIONS))
    assert [(o.student, o.status, o.problem) for o in report.outcomes] == [("bob", "graded", "")]
    return course, report.outcomes[0].result


def test_cell_ids_are_html_ids_stable_and_unique():
    """Plain names stay; others become slug + hash, pinned (gradebooks keep them); slugs that collide still differ."""
    assert cell_id("test_step_zero") == "test_step_zero"
    assert cell_id("test_relu_values[float64]") == "test_relu_values-float64-9b221953"
    tricky = [
        "test_a[b c]",
        "test_a[b-c]",
        "test_a[b.c]",
        "test_a[b/c]",
        "test_[]",
        "1st",
        "테스트[가]",
        "test_" + "x" * 90,
    ]
    ids = cell_ids(tricky)
    assert len(set(ids.values())) == len(tricky)
    assert all(HTML_ID.fullmatch(i) and len(i) <= 64 for i in ids.values()), ids
    with pytest.raises(ValueError, match="would share the grade cell"):
        cell_ids(["test_a[b]", cell_id("test_a[b]")])


def test_hidden_tests_are_code_cells_formgrader_can_find(graded):
    """Every hidden test is an autograder-test code cell with an HTML id, in the gradebook and the autograded notebook."""
    classroom, result = graded
    bracketed = [t.name for t in result.tests if "[" in t.name]
    assert bracketed  # parametrized tests, whose raw names formgrader could not look up
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        cells = {c.name: c.cell_type for c in gb.find_notebook("activations", FOLDER).grade_cells}
        bob = gb.find_submission_notebook("activations", FOLDER, "bob")
        code, written, score, failed = bob.code_score, bob.written_score, bob.score, bob.failed_tests
    assert set(cells) == {cell_id(t.name) for t in result.tests}
    assert all(HTML_ID.fullmatch(name) for name in cells) and set(cells.values()) == {"code"}
    assert (
        code == pytest.approx(score) == pytest.approx(result.score) and written == 0 and failed
    )  # formgrader's columns

    notebook = nbformat.read(classroom.step_dir("autograded", NAME, "bob") / "activations.ipynb", as_version=4)
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert {c.metadata.nbgrader.grade_id for c in tests} == set(cells)
    assert all(c.cell_type == "code" and not c.metadata.nbgrader.solution and c.outputs for c in tests)


def test_old_gradebook_keeps_overrides_and_every_total_agrees(graded, tmp_path):
    """Bracketed cells with overrides become id cells on the next collect-grade; feedback, table, CSV and record agree."""
    classroom, result = graded
    tests = {t.name: t for t in result.tests}
    f64, f32 = "test_relu_values[float64]", "test_relu_values[float32]"
    assert tests[f64].score == tests[f32].score == 0  # bob's relu is wrong: room for an override
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:  # as the old version wrote it
        bob = gb.find_submission_notebook("activations", FOLDER, "bob")
        for cell in gb.find_notebook("activations", FOLDER).grade_cells:
            cell.name, cell.cell_type = next(t for t in tests if cell_id(t) == cell.name), "markdown"
        gb.db.commit()
        old64 = gb.find_grade(f64, "activations", FOLDER, "bob")
        old64.manual_score = tests[f64].max_score
        gb.db.add(Comment(cell_id=old64.cell_id, notebook_id=bob.id, manual_comment="checked by hand"))
        gb.find_grade(f32, "activations", FOLDER, "bob").manual_score = 0.1
        fresh = gb.add_grade_cell(cell_id(f32), "activations", FOLDER, max_score=tests[f32].max_score, cell_type="code")
        gb.db.add(Grade(cell_id=fresh.id, notebook_id=bob.id, auto_score=0.0, needs_manual_grade=False))
        gb.db.commit()  # an upgrade interrupted halfway: f32 has both cells; its override must still win

    report = collect_grade(classroom, NAME, RoundOptions(collect_new=False, grading=OPTIONS))
    (outcome,) = report.outcomes
    assert outcome.status == "kept" and not outcome.problem  # not graded again, but published again
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        names = {c.name for c in gb.find_notebook("activations", FOLDER).grade_cells}
        new64 = gb.find_grade(cell_id(f64), "activations", FOLDER, "bob")
        manual = (new64.manual_score, gb.find_grade(cell_id(f32), "activations", FOLDER, "bob").manual_score)
        comment = gb.db.query(Comment).filter(Comment.cell_id == new64.cell_id).one().manual_comment
    assert names == {cell_id(t) for t in tests}
    assert manual == (tests[f64].max_score, 0.1) and comment == "checked by hand"

    raw = round(result.score + tests[f64].max_score + 0.1, 4)
    entry = outcome.entry
    assert entry.raw_score == raw and entry.score == raw and set(entry.manual) == {cell_id(f64), cell_id(f32)}
    shown = f"{round(raw, 2):g}"
    html = outcome.feedback.read_text(encoding="utf-8")
    assert f"(Score: {round(raw, 2)} / 10.0)" in html  # nbgrader's header
    assert f"<strong>Score: {shown} / 10</strong>" in html and "2 scores set by your instructor" in html  # our summary
    page = outcome.feedback.with_name("autograder-feedback.html").read_text(encoding="utf-8")  # our page beside it
    assert (
        f'id="score">{shown} / 10</span>' in page and page.count("set by your instructor") >= 2
    )  # the gradebook's total
    row = read_csv(report.csv)["bob"]
    assert float(row["raw_score"]) == float(row["score"]) == raw
    assert all(
        len(row[k].partition(".")[2]) <= 4 for k in ("raw_score", "late_submission_penalty", "score", "max_score")
    )
    record = json.loads(classroom.grades_dir(NAME).joinpath("bob.json").read_text(encoding="utf-8"))
    assert record["score"] == raw and record["grader_score"] == result.score
    assert record["manual"] == {f64: tests[f64].max_score, f32: 0.1}
    printed = io.StringIO()
    print_round(report, classroom.root, Console(file=printed, width=200))
    assert re.search(rf"bob\s*│\s*{re.escape(shown)} / 10\s*│\s*│\s*{re.escape(shown)}\s*│", printed.getvalue()), (
        printed.getvalue()
    )

    # formgrader's own Generate Feedback, after one more override typed there (formgrader stores what was typed)
    from nbgrader.apps.api import NbGraderAPI

    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        gb.find_grade(cell_id("test_relu_nonnegative"), "activations", FOLDER, "bob").manual_score = "0.3333"
        gb.db.commit()
        again = round(float(gb.find_submission_notebook("activations", FOLDER, "bob").score), 4)
    with nbgrader_environment():
        assert NbGraderAPI(config=nbgrader_config(classroom)).generate_feedback(FOLDER, "bob")["success"]
    html = outcome.feedback.read_text(encoding="utf-8")
    assert f"(Score: {round(again, 2)} / 10.0)" in html and f"<strong>Score: {round(again, 2):g} / 10</strong>" in html
