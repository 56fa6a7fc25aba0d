"""Does `autograder export --lms` give each LMS the gradebook's totals, overrides and late penalties included?

A course (the mini course of tests/support.py) collects activations from a Canvas download
zip through nbgrader's zip_collect and losses from a Moodle one; the gradebook then gets a
score per student through the round's own record() (nbgrader's late penalty included), and
an instructor's formgrader override. Each layout is parsed back as the LMS would read it and
compared with the gradebook's entries; students the roster cannot map are named.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from click.testing import CliRunner
from nbgrader.api import Gradebook

from autograder.classroom.cell_ids import cell_id
from autograder.classroom.course import nbgrader_environment
from autograder.classroom.gradebook import read_entries, record
from autograder.classroom.lms import zip_collect
from autograder.classroom.lms_export import ENCODING, ROSTER_FILE, export_lms, read_roster, write_roster
from autograder.reports.scores import shown
from autograder.results import SubmissionResult, TestResult

DUE = datetime.datetime(2026, 3, 14, 14, 59, tzinfo=datetime.UTC)
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
# Canvas names a download `login_[LATE_]canvasuserid_submissionid_file`.
CANVAS = {
    "kimminsu": ("1001", 0.0, [1.0, 1.5, 2.5]),
    "leejiwoo": ("1002", 20.0, [1.0, 0.0, 2.5]),
    "cmdcalc": ("1003", 0.0, [0.5, 0.5, 0.5]),
}
# Moodle names a download folder `Full Name_participantid_assignsubmission_file_`.
MOODLE = {"201": ("홍길동", [2.0, 2.0]), "202": ("Ana María, Díaz", [1.0, 2.0])}


def result(student: str, name: str, scores: list[float]) -> SubmissionResult:
    tests = [
        TestResult(
            name=f"test_part[{i}]",
            max_score=2.5 if len(scores) == 3 else 5.0,
            score=s,
            status="passed" if s else "failed",
        )
        for i, s in enumerate(scores)
    ]
    return SubmissionResult(student=student, assignment=name, tests=tests)


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    """The course with activations from a Canvas zip and losses from a Moodle zip, recorded in the gradebook."""
    downloads = tmp_path_factory.mktemp("downloads")
    canvas_zip, moodle_zip = downloads / "submissions.zip", downloads / "moodle.zip"
    with zipfile.ZipFile(canvas_zip, "w") as bundle:
        for login, (user_id, hours, _) in CANVAS.items():
            late = "LATE_" if hours else ""
            bundle.writestr(f"{login}_{late}{user_id}_9{user_id}_activations.ipynb", NOTEBOOK)
    with zipfile.ZipFile(moodle_zip, "w") as bundle:
        for participant, (name, _) in MOODLE.items():
            bundle.writestr(f"{name}_{participant}_assignsubmission_file_/losses.ipynb", NOTEBOOK)
    zip_collect(course, "activations", [canvas_zip])
    zip_collect(course, "losses", [moodle_zip], pattern="moodle")
    with nbgrader_environment(), Gradebook(course.db_url, course.course_id) as gb:
        for name in ("activations", "losses"):
            gb.update_or_create_assignment(course.folder(name), duedate=DUE)
        gb.update_or_create_student("cmdcalc", first_name='=HYPERLINK("x")', email="evil@example.org")  # untrusted text
    for student, (_, hours, scores) in CANVAS.items():
        record(
            course,
            "activations",
            student,
            result(student, "activations", scores),
            DUE + datetime.timedelta(hours=hours),
        )
    for participant, (_, scores) in MOODLE.items():
        record(course, "losses", participant, result(participant, "losses", scores), DUE - datetime.timedelta(hours=1))
    with nbgrader_environment(), Gradebook(course.db_url, course.course_id) as gb:  # an override typed into formgrader
        gb.find_grade(
            cell_id("test_part[1]"), course.notebook_id("activations"), course.folder("activations"), "kimminsu"
        ).manual_score = 2.3333
        gb.db.commit()
    return course


def parse(path, *, skip: int = 0) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode(ENCODING), newline="")))
    return rows[skip:]


def gradebook(course, name: str, students: list[str]) -> dict[str, str]:
    return {student: shown(entry.score) for student, entry in read_entries(course, name, students).items()}


def test_canvas_layout_holds_the_gradebook_totals(graded):
    """Are Canvas's columns there, ids filled from the zip, override and late penalty in the totals?"""
    course = graded
    export = export_lms(course, "canvas")
    rows = parse(export.path)
    assert list(rows[0])[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert list(rows[0])[5:] == [
        course.config.assignment("activations").title,
        course.config.assignment("losses").title,
    ]
    assert (
        rows[0]["Student"] == "    Points Possible" and rows[0][course.config.assignment("activations").title] == "10"
    )
    by_id = {row["ID"]: row for row in rows[1:]}
    assert set(by_id) == {"1001", "1002", "1003"}  # the Moodle students have no Canvas id: named, left out
    assert set(export.unmapped) == {"201", "202"} and all("canvas_id" in m for m in export.unmapped.values())
    expected = gradebook(course, "activations", ["kimminsu", "leejiwoo", "cmdcalc"])
    title = course.config.assignment("activations").title
    assert {row["ID"]: row[title] for row in by_id.values()} == {
        "1001": expected["kimminsu"],
        "1002": expected["leejiwoo"],
        "1003": expected["cmdcalc"],
    }
    entries = read_entries(course, "activations", ["kimminsu", "leejiwoo"])
    assert entries["kimminsu"].manual and float(by_id["1001"][title]) == round(1.0 + 2.3333 + 2.5, 2)  # the override
    assert entries["leejiwoo"].late_penalty and float(by_id["1002"][title]) == round(3.5 * 0.9, 2)  # a day late: 10 %
    assert by_id["1001"][course.config.assignment("losses").title] == ""  # no entry: the LMS keeps what it has
    assert by_id["1003"]["Student"].startswith("'=")  # a name from the gradebook that would run as a formula

    roster = read_roster(course.root / ROSTER_FILE)
    assert roster["kimminsu"]["canvas_id"] == "1001" and roster["202"]["name"] == "Ana María, Díaz"

    again = export_lms(course, "canvas", column_ids={"activations": "5501"})
    assert list(parse(again.path)[0])[5] == f"{title} (5501)"


def test_moodle_layout_matches_by_id_number_or_email(graded, tmp_path):
    """Does the Moodle file carry ID number and e-mail, Korean names intact, and name whoever has neither?"""
    course = graded
    roster_path = tmp_path / "roster.csv"
    rows = read_roster(course.root / ROSTER_FILE)
    rows["201"]["email"], rows["202"]["email"] = "gildong@example.ac.kr", "ana@example.ac.kr"
    write_roster(roster_path, rows)
    export = export_lms(course, "moodle", roster=roster_path, out=tmp_path / "moodle.csv")
    parsed = {row["Email address"]: row for row in parse(export.path)}
    assert list(next(iter(parsed.values())))[:3] == ["ID number", "Email address", "Full name"]
    losses = course.config.assignment("losses").title
    expected = gradebook(course, "losses", ["201", "202"])
    assert (
        parsed["gildong@example.ac.kr"]["Full name"] == "홍길동"
        and parsed["gildong@example.ac.kr"][losses] == expected["201"]
    )
    assert parsed["ana@example.ac.kr"][losses] == expected["202"] == "3"
    assert "evil@example.org" in parsed  # the e-mail nbgrader's gradebook holds for a student
    assert set(export.unmapped) == {"kimminsu", "leejiwoo"}
    assert all("email" in message and str(roster_path) in message for message in export.unmapped.values())

    rows["201"]["id_number"] = "2026001"
    write_roster(roster_path, rows)
    by_number = export_lms(course, "moodle", roster=roster_path, out=tmp_path / "moodle.csv")
    assert [row["ID number"] for row in parse(by_number.path)] == ["2026001"] and len(by_number.unmapped) == 4


def test_blackboard_layout_and_the_command(graded, tmp_path):
    """Blackboard: every field quoted, Username the key, the column id after '|'; the command names who is missing."""
    from autograder.cli import main

    course = graded
    roster_path = tmp_path / "roster.csv"
    rows = read_roster(course.root / ROSTER_FILE)
    rows["kimminsu"]["username"], rows["kimminsu"]["name"] = "mkim", "Minsu Kim"
    rows["201"]["username"] = "gdhong"
    write_roster(roster_path, rows)
    out = tmp_path / "bb.csv"
    invoked = CliRunner().invoke(
        main,
        [
            "--config",
            str(course.config.source),
            "export",
            "--lms",
            "blackboard",
            "--course-root",
            str(course.root),
            "--roster",
            str(roster_path),
            "-o",
            str(out),
            "--column-id",
            "activations=_123_1",
        ],
    )
    assert invoked.exit_code == 1, invoked.output
    assert "leejiwoo: no username" in invoked.output and "wrote" in invoked.output
    text = out.read_bytes().decode(ENCODING)
    assert text.splitlines()[0].startswith('"Last Name","First Name","Username","Student ID",')
    parsed = {row["Username"]: row for row in parse(out)}
    title = course.config.assignment("activations").title
    column = f"{title} [Total Pts: 10 Score] |_123_1"
    assert parsed["mkim"][column] == gradebook(course, "activations", ["kimminsu"])["kimminsu"]
    assert (parsed["mkim"]["Last Name"], parsed["mkim"]["First Name"]) == ("Kim", "Minsu")
    assert (
        parsed["gdhong"]["Last Name"] == "홍길동" and parsed["gdhong"][course.config.assignment("losses").title] == "4"
    )

    unknown = CliRunner().invoke(
        main,
        [
            "--config",
            str(course.config.source),
            "export",
            "--lms",
            "canvas",
            "--course-root",
            str(course.root),
            "--column-id",
            "nope=1",
        ],
    )
    assert unknown.exit_code == 2 and "nope" in unknown.output and "Traceback" not in unknown.output
