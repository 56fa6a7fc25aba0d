"""Does the instructor's class report say what the stored results say?

Hand-made results pin down the arithmetic (distribution, item analysis, top messages) and
each rule for "needs a human look"; a small class graded for real with grade-all checks the
report against its own JSON files, the `report` command's page and CSV tables, and the page
as chromium shows it: offline, every picture loaded, the key facts on screen.
"""

from __future__ import annotations

import csv
import json
import statistics
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from autograder.batch import grade_all
from autograder.classroom.course import Classroom
from autograder.cli import main
from autograder.config import load_config
from autograder.course.expectations import overlay_source
from autograder.errors import ReportError
from autograder.grading import GradeOptions
from autograder.paths import REPO_ROOT
from autograder.reports.class_page import REASON_TEXT, TEXT, render_class_page
from autograder.reports.class_report import (
    REASONS,
    ClassReport,
    Message,
    Reason,
    assignment_report,
    build_class_report,
    load_results,
    read_results,
)
from autograder.results import GradedOn, SubmissionResult, TestResult
from tests.browser import open_page
from tests.support import COURSE_CONFIG

BWRAP = "bubblewrap (uid 201234): no network; private filesystem; own PID, IPC and UTS namespaces; no capabilities"
SOLUTION = REPO_ROOT / "solutions" / "01_activations" / "activations.py"
STUB = REPO_ROOT / "assignments" / "01_activations" / "activations.py"
VARIANTS = REPO_ROOT / "solutions" / "01_activations" / "variants"


def case(name: str, status: str = "passed", points: float = 1.0, *, cause: str = "", output: str = "") -> TestResult:
    return TestResult(
        name=name,
        max_score=points,
        score=points if status == "passed" else 0.0,
        status=status,
        cause=cause,
        output=output or ("Passed." if status == "passed" else "wrong"),
    )


def made(
    student: str, *tests: TestResult, assignment: str = "demo", isolation: str = BWRAP, **fields
) -> SubmissionResult:
    return SubmissionResult(student=student, assignment=assignment, tests=list(tests), isolation=isolation, **fields)


def small_class() -> list[SubmissionResult]:
    """Five students, one parametrized test (test_a, two cases) and one plain test (test_b)."""
    too_big, off, missing = "too big", "off by one", "missing"
    return [
        made("ann", case("test_a[1]"), case("test_a[2]"), case("test_b"), execution_time=1.0),
        made(
            "ben",
            case("test_a[1]"),
            case("test_a[2]", "failed", output=too_big),
            case("test_b", "failed", output=missing),
            execution_time=4.0,
        ),
        made(
            "cat",
            case("test_a[1]", "failed", output=too_big),
            case("test_a[2]", "failed", output=too_big),
            case("test_b"),
            execution_time=2.0,
        ),
        made(
            "dan",
            case("test_a[1]", "failed", output=off),
            case("test_a[2]", "failed", output=too_big),
            case("test_b", "failed", output=missing),
            execution_time=3.0,
        ),
        made("eve", case("test_a[1]"), case("test_a[2]"), case("test_b"), execution_time=9.0),
    ]


def test_distribution_items_and_timing_of_a_small_class():
    """Do mean, median, extremes, full marks, histogram, pass rates, mean points and messages add up by hand?"""
    (report,) = build_class_report(small_class()).assignments
    summary = report.summary
    assert (summary.count, summary.max_score, summary.mean, summary.median, summary.minimum, summary.maximum) == (
        5,
        3,
        1.6,
        1,
        0,
        3,
    )
    assert summary.full_marks == 2 and summary.full_marks_share == 0.4
    assert report.histogram.edges == tuple(range(0, 101, 10))
    assert report.histogram.counts == (1, 0, 0, 2, 0, 0, 0, 0, 0, 2)  # 0 %, 33 % twice, 100 % twice

    test_a, test_b = report.items
    assert (test_a.function, test_a.submissions, test_a.passed, test_a.mean_points, test_a.max_points) == (
        "test_a",
        5,
        2,
        1.0,
        2,
    )
    assert test_a.messages == (Message("too big", 3), Message("off by one", 1))  # dan's "too big" counted once
    first, second = test_a.cases
    assert (first.name, first.passed, first.pass_rate) == ("test_a[1]", 3, 0.6)
    assert first.messages == (Message("off by one", 1), Message("too big", 1))  # a tie: by text
    assert (second.passed, second.messages) == (2, (Message("too big", 3),))
    assert test_a.cases_differ and not test_b.cases_differ
    assert (test_b.passed, test_b.pass_rate, test_b.mean_points, test_b.messages) == (
        3,
        0.6,
        0.6,
        (Message("missing", 2),),
    )

    assert (report.timing.mean, report.timing.median, report.timing.maximum) == (3.8, 3.0, 9.0)
    assert [(t.student, t.seconds) for t in report.timing.slowest] == [
        ("eve", 9),
        ("ben", 4),
        ("dan", 3),
        ("cat", 2),
        ("ann", 1),
    ]
    assert report.reviews == ()


def test_only_the_three_most_common_messages_are_kept():
    """Four distinct messages: the most common first, then ties by text, the fourth left out."""
    outputs = ["m3", "m2", "m1", "m2", "m4"]
    report = assignment_report(
        "demo", [made(f"s{i}", case("test_c", "failed", output=text)) for i, text in enumerate(outputs)]
    )
    assert report.items[0].messages == (Message("m2", 2), Message("m1", 1), Message("m3", 1))


def test_each_rule_for_a_human_look():
    """Internal error, dead judge, weak or unknown isolation, limits, errors, accuracy near the threshold: and only those."""
    subprocess = (
        'subprocess (the grader\'s own user): isolation = "subprocess" was chosen (bubblewrap would have worked here); '
        "network and filesystem are not isolated: the submission can read whatever the grader's user can"
    )
    internal = "solutions/00_demo/hidden/test_x.py::test_a: def test_a(student):\n>       x = {}['x']\nE       KeyError: 'x'\n\ntest_x.py:3: KeyError"
    accuracy = case("test_accuracy", "failed", 2.0, cause="accuracy", output="Test accuracy 86.4 % (needed 87 %).")
    results = [
        made("clean", case("test_a"), case("test_b")),
        made("graded_on_only", case("test_a"), isolation="", graded_on=GradedOn(isolation=BWRAP)),
        made("internal", case("test_a", "error", cause="internal"), internal_errors=[internal, "second"]),
        made("dead", case("test_a", "failed", cause="crashed"), grader_failure="the judge died (signal 9)"),
        made("open", case("test_a"), isolation=subprocess),
        made("unknown", case("test_a"), isolation=""),
        made("slow", case("test_a", "timeout", cause="timeout"), case("test_b", "timeout", cause="timeout")),
        made("hog", case("test_a", "failed", cause="memory")),
        made(
            "broken",
            case("test_a", "failed", cause="import"),
            errors=["activations.py could not be imported: SyntaxError."],
        ),
        made("close", accuracy, case("test_shape", points=8.0)),  # 8 of 10: at 80 %
        made("far", accuracy, case("test_shape", points=2.0)),  # 2 of 4: far below
    ]
    (report,) = build_class_report(results).assignments
    reasons = {review.student: review.reasons for review in report.reviews}
    assert {student: [r.code for r in why] for student, why in reasons.items()} == {
        "internal": ["internal"],
        "dead": ["grader_failure", "crashed"],
        "open": ["isolation"],
        "unknown": ["isolation"],
        "slow": ["timeout"],
        "hog": ["memory"],
        "broken": ["error"],
        "close": ["near_threshold"],
    }
    assert reasons["internal"] == (
        Reason("internal", "solutions/00_demo/hidden/test_x.py::test_a: KeyError: 'x' (+1)"),
    )
    assert reasons["open"] == (Reason("isolation", subprocess),) and reasons["unknown"] == (Reason("isolation", ""),)
    assert reasons["slow"] == (Reason("timeout", "test_a, test_b"),)
    assert reasons["close"] == (Reason("near_threshold", "test_accuracy: Test accuracy 86.4 % (needed 87 %)."),)
    assert [review.student for review in report.reviews] == sorted(reasons)


def test_page_speaks_both_languages_and_escapes_student_text():
    """Every reason has words in both languages; the page is Korean or English throughout; student text stays text."""
    assert set(REASON_TEXT) == set(REASONS)
    assert all(len(pair) == 2 and all(pair) for pair in [*TEXT.values(), *REASON_TEXT.values()])
    results = [
        *small_class(),
        made(
            "zed",
            case("test_a[1]", "failed", output="<b>bold</b> & co"),
            case("test_a[2]"),
            case("test_b"),
            isolation="",
        ),
    ]
    report = build_class_report(results)
    korean, english = render_class_page(report, language="ko"), render_class_page(report, language="en")
    assert "수업 채점 보고서" in korean and "bubblewrap 샌드박스 없이 채점됨" in korean and "Class report" not in korean
    assert "Class report" in english and "Graded without the bubblewrap sandbox" in english and "보고서" not in english
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in english and "<b>bold" not in english


def test_histogram_without_a_korean_font_is_drawn_in_english(monkeypatch):
    """No NanumGothic: the Korean page's histogram still draws, with English axis titles and no glyph warnings."""
    from autograder.reports import class_plots

    drawn = []
    monkeypatch.setattr(class_plots, "korean_font", lambda: False)
    monkeypatch.setattr(class_plots, "AXES", {"en": ("score-en", "count-en"), "ko": ("점수", "수")})
    monkeypatch.setattr("matplotlib.axes.Axes.set_xlabel", lambda axes, text, *a, **k: drawn.append(text))
    (report,) = build_class_report(small_class()).assignments
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = class_plots.histogram_plot(report.histogram, "ko")
    assert png.startswith(b"\x89PNG") and drawn == ["score-en"]


def test_results_are_found_where_collect_grade_and_grade_examples_keep_them(tmp_path):
    """classroom.results_dir(NAME) and the folder above it (every assignment) both work; other JSON is skipped and counted."""
    classroom = Classroom(config=load_config(COURSE_CONFIG), root=tmp_path / "course", course_id="dl", exchange=None)
    activations, losses = classroom.results_dir("activations"), classroom.results_dir("losses")
    for folder, assignment, students in ((activations, "activations", ("ann", "ben")), (losses, "losses", ("ann",))):
        folder.mkdir(parents=True)
        for student in students:
            (folder / f"{student}.json").write_text(
                made(student, case("test_a"), assignment=assignment).model_dump_json()
            )
        (folder / "gradebook.json").write_text("[]")
    (activations / ".ann.published").write_text("")
    (activations / "notes.json").write_text('{"not": "a result"}')

    one = read_results(activations)
    assert sorted(r.student for r in one.results) == ["ann", "ben"] and one.skipped == ("gradebook.json", "notes.json")
    everything = read_results(activations.parent)
    assert sorted((r.assignment, r.student) for r in everything.results) == [
        ("activations", "ann"),
        ("activations", "ben"),
        ("losses", "ann"),
    ]
    assert len(everything.skipped) == 3 and len(load_results(activations.parent)) == 3
    report = build_class_report(everything.results, order=["losses", "activations"])
    assert [a.assignment for a in report.assignments] == ["losses", "activations"]

    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "ann.json").write_text((activations / "ann.json").read_text())
    (tmp_path / "copy" / "again").mkdir()
    (tmp_path / "copy" / "again" / "ann.json").write_text((activations / "ann.json").read_text())
    with pytest.raises(ReportError, match="ann's result for activations is both in"):
        read_results(tmp_path / "copy")


def test_report_of_a_folder_without_results_is_one_sentence(tmp_path):
    """No results: exit 2 with one sentence that says what to point the command at."""
    (tmp_path / "gradebook.json").write_text("[]")
    outcome = CliRunner().invoke(main, ["--config", str(COURSE_CONFIG), "report", str(tmp_path)])
    assert outcome.exit_code == 2, outcome.output
    message = " ".join(outcome.output.split())
    assert message.startswith("error: No grading results in") and "(1 JSON file(s) there are not results)" in message
    assert "grade-all" in message and "Traceback" not in message
    assert not (tmp_path / "report.html").exists()


# -- a class graded for real ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory) -> Path:
    """activations for reference, stub and two bug variants; dave graded without the sandbox, on purpose."""
    root = tmp_path_factory.mktemp("real-class")
    sandboxed, open_ = root / "submissions", root / "unsandboxed"
    for folder, students in (
        (
            sandboxed,
            {
                "ann": SOLUTION.read_text(),
                "ben": STUB.read_text(),
                "cat": overlay_source(VARIANTS / "bug_step_zero.py", SOLUTION),
            },
        ),
        (open_, {"dave": overlay_source(VARIANTS / "bug_sigmoid_grad.py", SOLUTION)}),
    ):
        for student, source in students.items():
            (folder / student).mkdir(parents=True)
            (folder / student / "activations.py").write_text(source)
    out = root / "grades"
    grade_all(sandboxed, "activations", out, options=GradeOptions(language="en", seed=7))
    grade_all(open_, "activations", out, options=GradeOptions(language="en", seed=7, isolation="subprocess"))
    (out / "gradebook.json").write_text("[]")  # as grade-examples leaves it: not a result
    return out


def _stored(out: Path) -> list[dict]:
    """The results as plain JSON, read without the report's code."""
    return [json.loads(path.read_text()) for path in sorted(out.glob("*.json")) if path.name != "gradebook.json"]


def test_report_of_a_real_class_matches_its_json_files(graded_class):
    """Distribution, per-test pass rates, mean points and top messages: as computed straight from the JSON files."""
    stored = _stored(graded_class)
    loaded = read_results(graded_class)
    assert loaded.skipped == ("gradebook.json",)
    (report,) = build_class_report(loaded.results).assignments
    scores = [sum(t["score"] for t in r["tests"]) for r in stored]
    top = max(sum(t["max_score"] for t in r["tests"]) for r in stored)
    assert report.summary.count == 4 and report.summary.max_score == pytest.approx(top)
    assert report.summary.mean == pytest.approx(statistics.fmean(scores))
    assert report.summary.median == pytest.approx(statistics.median(scores))
    assert (report.summary.minimum, report.summary.maximum) == (pytest.approx(min(scores)), pytest.approx(max(scores)))
    assert report.summary.full_marks == sum(1 for s in scores if s >= top - 1e-6) == 1
    counts, _ = np.histogram([100 * s / top for s in scores], bins=np.linspace(0, 100, 11))
    assert report.histogram.counts == tuple(counts)

    functions = {t["name"].split("[")[0] for r in stored for t in r["tests"]}
    assert [item.function for item in report.items] == list(
        dict.fromkeys(t["name"].split("[")[0] for t in stored[0]["tests"])
    )
    for item in report.items:
        mine = [[t for t in r["tests"] if t["name"].split("[")[0] == item.function] for r in stored]
        assert item.passed == sum(all(t["status"] == "passed" for t in tests) for tests in mine), item.function
        assert item.mean_points == pytest.approx(statistics.fmean(sum(t["score"] for t in tests) for tests in mine))
        failures = Counter(m for tests in mine for m in {t["output"]["en"] for t in tests if t["status"] != "passed"})
        expected = sorted(failures.items(), key=lambda pair: (-pair[1], pair[0]))[:3]
        assert item.messages == tuple(Message(text, count) for text, count in expected), item.function
    assert len(functions) == len(report.items)
    step_zero = next(item for item in report.items if item.function == "test_step_zero")
    assert step_zero.passed == 2  # ann and dave; ben (the stub) and cat (the bug) fail it

    flagged = {review.student: [reason.code for reason in review.reasons] for review in report.reviews}
    assert flagged == {"dave": ["isolation"]}, flagged
    assert next(r for r in stored if r["student"] == "dave")["isolation"].startswith("subprocess")


def test_report_command_writes_the_page_and_the_tables(graded_class, tmp_path):
    """`autograder report OUT --csv` writes report.html and three tables that agree with the report; chromium shows it offline."""
    page = tmp_path / "site" / "report.html"
    outcome = CliRunner().invoke(
        main,
        ["--config", str(COURSE_CONFIG), "report", str(graded_class), "-o", str(page), "--csv", "--language", "en"],
    )
    assert outcome.exit_code == 0, outcome.output
    report: ClassReport = build_class_report(load_results(graded_class))
    (section,) = report.assignments
    step_zero = next(item for item in section.items if item.function == "test_step_zero")

    tables = {
        name: list(csv.DictReader((page.parent / name).open(encoding="utf-8")))
        for name in ("report-scores.csv", "report-items.csv", "report-flags.csv")
    }
    (scores,) = tables["report-scores.csv"]
    assert (scores["assignment"], int(scores["submissions"])) == ("activations", 4)
    assert float(scores["mean"]) == pytest.approx(section.summary.mean)
    assert [int(scores[f"{10 * i}-{10 * i + 10}%"]) for i in range(10)] == list(section.histogram.counts)
    row = next(r for r in tables["report-items.csv"] if r["test"] == "test_step_zero" and not r["case"])
    assert (
        float(row["pass_rate"]) == pytest.approx(step_zero.pass_rate) and row["message_1"] == step_zero.messages[0].text
    )
    assert [(r["student"], r["reason"]) for r in tables["report-flags.csv"]] == [("dave", "isolation")]

    seen = open_page(page, "class-report")
    assert not seen.blank and seen.outside_requests == [] and seen.console_errors == []
    assert seen.images and all(image["loaded"] and image["width"] > 100 for image in seen.images), seen.images
    for text in (
        "Class report",
        "01 Activation",
        "activations",
        "test_step_zero",
        step_zero.messages[0].text.splitlines()[0],
        "Submissions that need a human look",
        "dave",
        "Graded without the bubblewrap sandbox",
    ):
        assert text in seen.text, text
