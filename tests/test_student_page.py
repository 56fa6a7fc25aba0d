"""Does the student's feedback page show what a student needs, offline, in their language?

The page is looked at in headless chromium (tests/browser.py): the score, a failed test's
message and the class names must be in the DOM, every picture must load, and nothing may
leave the machine. A page for a wrong activations submission comes from the real grader;
a trained model's page is built by hand, and (slow) comes from the grader training the PyTorch MLP reference. The wiring is
checked too: `grade --html`, grade-all's OUT/STUDENT.html, and a page that fails to render
costing one line, never the result.
"""

from __future__ import annotations

import html
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from autograder.batch import grade_all
from autograder.cli import main
from autograder.config import load_config
from autograder.course.expectations import variant_file
from autograder.data import CLASS_NAMES_KO, load_split
from autograder.errors import DataError
from autograder.grading import GradeOptions
from autograder.paths import REPO_ROOT
from autograder.reports import plots
from autograder.reports.student_page import LABELS, points, render_student_page, write_student_page
from autograder.results import Curve, Figures, Mistake, ModelReport, SubmissionResult, TestResult
from tests.browser import open_page
from tests.support import CORRECT_DEMO, COURSE_CONFIG, DEMO_CONFIG, grade_file

REFERENCE = REPO_ROOT / "solutions" / "01_activations" / "activations.py"
OVERFLOWING_SIGMOID = REPO_ROOT / "solutions" / "01_activations" / "variants" / "bug_overflow_sigmoid.py"
HOSTILE = '<script>alert("x")</script><img src="https://example.com/x.png">'
HISTORY = {
    "loss": [1.1, 0.62, 0.48, 0.41],
    "val_loss": [0.7, 0.55, 0.5, 0.49],
    "accuracy": [0.61, 0.78, 0.83, 0.86],
    "val_accuracy": [0.75, 0.8, 0.82, 0.83],
}


def confusion() -> list[list[int]]:
    """1000 test images per class, 856 of them right."""
    return [[856 if true == predicted else 16 for predicted in range(10)] for true in range(10)]


def real_mistakes(count: int = 12) -> list[Mistake]:
    """Test images of each class in turn, "predicted" as the next class (so each title is checkable)."""
    try:
        _, labels = load_split("test", load_config(COURSE_CONFIG).data_home)
    except DataError as err:
        pytest.skip(f"Fashion-MNIST is not installed: {err}")
    firsts = [np.flatnonzero(labels == c)[:2] for c in range(10)]
    picked = [int(firsts[c % 10][c // 10]) for c in range(count)]
    return [Mistake(index=i, true=int(labels[i]), predicted=(int(labels[i]) + 1) % 10) for i in picked]


def model_result(
    language: str, *, history: dict | None = None, mistakes: list[Mistake] | None = None
) -> SubmissionResult:
    """A fashion_cnn result as the grader would leave it: a partly failed accuracy test and a model report."""
    return SubmissionResult(
        student="김민수",
        assignment="fashion_cnn",
        language=language,
        isolation="bubblewrap",
        seed=11,
        tests=[
            TestResult(
                name="test_accuracy",
                description="테스트 정확도가 90 % 이상인가요?",
                max_score=6,
                score=3,
                status="failed",
                output="테스트 정확도 85.6 %: 90 % 미만이라 절반만 받습니다.",
            ),
            TestResult(
                name="test_learns",
                description="학습으로 정확도가 올라가나요?",
                max_score=4,
                score=3.9999999999999996,
                status="passed",
            ),
        ],
        figures=Figures(
            model=ModelReport(
                confusion=confusion(),
                mistakes=mistakes or [],
                history_source="keras History",
                history=HISTORY if history is None else history,
            )
        ),
    )


def test_labels_are_kept_in_both_languages():
    """Does every fixed text exist in Korean and English alike, none of them empty?"""
    assert LABELS["en"].keys() == LABELS["ko"].keys()
    assert all(text.strip() for language in LABELS.values() for text in language.values())


def test_scores_are_shown_rounded():
    """Is a float sum such as 9.999999999999995 shown as 10, never with its noise?"""
    assert (
        points(9.999999999999995) == "10"
        and points(0.64516129) == "0.65"
        and points(7.355) == "7.36"
        and points(-0.0) == "0"
    )
    page = render_student_page(model_result("en"))
    assert "7 / 10" in page and "3.9999" not in page


def test_page_for_a_wrong_numeric_submission(tmp_path):
    """Graded by the real grader: are the score, the failed test's message and the curves on the page, failures first?"""
    submission = variant_file(OVERFLOWING_SIGMOID, REFERENCE, tmp_path)
    result = grade_file(submission, "activations", seed=5)
    failed = [t for t in result.tests if t.status != "passed"]
    assert failed and 0 < result.score < result.max_score
    page = open_page(write_student_page(result, tmp_path / "page.html"), "student_page_activations")
    assert f"{points(result.score)} / {points(result.max_score)}" in page.text
    first_line = failed[0].output.en.splitlines()[0]
    assert first_line in page.text
    passed_title = next(t.description.en for t in result.tests if t.status == "passed" and "[" not in t.name)
    assert page.text.index(first_line) < page.text.index(passed_title)  # tests that did not pass come first
    assert len(page.images) == len(result.figures.curves)
    assert all(image["loaded"] and image["width"] > 0 for image in page.images), page.images
    assert page.outside_requests == [] and not page.blank and page.console_errors == []


def test_model_page_in_korean(tmp_path):
    """A model's page in Korean: score, message, Korean class names, and all four pictures loaded offline?"""
    result = model_result("ko", mistakes=real_mistakes())
    page = open_page(
        write_student_page(result, tmp_path / "page.html", data_home=load_config(COURSE_CONFIG).data_home),
        "student_page_model_ko",
    )
    assert "7 / 10" in page.text
    assert "테스트 정확도 85.6 %: 90 % 미만이라 절반만 받습니다." in page.text
    assert all(name in page.text for name in CLASS_NAMES_KO) and "티셔츠/탑" in page.text
    for label in ("learning_curve", "confusion", "per_class", "mistakes"):
        assert LABELS["ko"][label] in page.text
    assert "85.6 %" in page.text  # overall and per-class accuracy, from the confusion matrix
    assert len(page.images) == 4  # learning curve, confusion matrix, per-class chart, misclassified grid
    assert all(image["loaded"] and image["width"] > 0 for image in page.images), page.images
    assert page.outside_requests == [] and not page.blank and page.console_errors == []
    assert plots.korean_font() == plots.NANUM.is_file()


@pytest.mark.slow
def test_page_of_a_model_the_grader_trained(tmp_path):
    """The PyTorch MLP reference trained by the grader: its learning curve, confusion matrix and mistakes, in Korean?"""
    result = grade_file(
        REPO_ROOT / "solutions" / "10_fashion_mlp" / "pytorch" / "fashion_mlp.py",
        "fashion_mlp",
        seed=20261126,
        language="ko",
    )
    assert result.score == result.max_score and result.figures.model.history, result.notes
    page = open_page(
        write_student_page(result, tmp_path / "page.html", data_home=load_config(COURSE_CONFIG).data_home),
        "student_page_trained_mlp_ko",
    )
    assert f"{points(result.score)} / {points(result.max_score)}" in page.text
    assert all(name in page.text for name in CLASS_NAMES_KO)
    for label in ("learning_curve", "confusion", "per_class", "mistakes"):
        assert LABELS["ko"][label] in page.text
    assert len(page.images) == 4 and all(image["loaded"] and image["width"] > 0 for image in page.images), page.images
    assert page.outside_requests == [] and not page.blank and page.console_errors == []


@pytest.mark.parametrize("language", ["ko", "en"])
def test_without_history_or_images_the_page_says_why(tmp_path, language):
    """No recorded history: does the page say how to get one (Keras, PyTorch)? No test images: one line, no grid?"""
    result = model_result(language, history={}, mistakes=[Mistake(index=0, true=9, predicted=7)])
    page = html.unescape(render_student_page(result, data_home=tmp_path / "empty-data-home"))
    assert LABELS[language]["no_history"] in page
    assert "model.fit" in page and 'model.history = {"loss": [...], "val_accuracy": [...]}' in page
    assert LABELS[language]["no_images"] in page
    assert page.count("data:image/png;base64,") == 2  # confusion matrix and per-class chart only


def test_student_text_is_escaped():
    """Can text a student controls (names, messages, cell errors, curve problems) never become markup?"""
    x = [-1.0, 0.0, 1.0]
    result = SubmissionResult(
        student=HOSTILE,
        assignment="activations",
        graded_file=HOSTILE,
        errors=[HOSTILE],
        notes=[HOSTILE],
        tests=[
            TestResult(name=f"test_x[{HOSTILE}]", description=HOSTILE, max_score=1, status="failed", output=HOSTILE),
            TestResult(name="test_x[2]", description=HOSTILE, max_score=1, status="failed", output=HOSTILE),
        ],
        figures=Figures(
            curves=[Curve(function='f" onerror="alert(1)', x=x, expected=x, got=[None, 0.0, None], problem=HOSTILE)],
            model=ModelReport(
                confusion=confusion(),
                history_source=HOSTILE,
                history={HOSTILE: [1.0, 2.0], r"$\frac{$": [1.0], "_hidden": [2.0]},
            ),
        ),
    )
    page = render_student_page(result)
    assert "<script" not in page.lower() and '<img src="https' not in page and 'onerror="' not in page
    assert "&lt;script&gt;" in page


def test_pictures_fall_back_to_english_without_a_korean_font(monkeypatch, tmp_path):
    """Where fonts-nanum is missing, is a Korean page drawn without a crash or a warning, and pyplot left alone?"""
    import matplotlib
    import matplotlib.pyplot as pyplot

    monkeypatch.setattr(plots, "NANUM", tmp_path / "missing.ttf")
    plots._korean_family.cache_clear()
    before = dict(matplotlib.rcParams)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            page = render_student_page(model_result("ko"))
        assert not plots.korean_font()
    finally:
        plots._korean_family.cache_clear()
    assert "티셔츠/탑" in page  # the page itself stays Korean: the browser has its own fonts
    assert pyplot.get_fignums() == [] and dict(matplotlib.rcParams) == before


def test_grade_command_writes_the_page(tmp_path):
    """Does `autograder grade PATH -a NAME --html FILE` write the page, with the JSON beside it?"""
    submission = variant_file(OVERFLOWING_SIGMOID, REFERENCE, tmp_path)
    page, result = tmp_path / "feedback.html", tmp_path / "result.json"
    outcome = CliRunner().invoke(
        main,
        [
            "grade",
            str(submission),
            "-a",
            "activations",
            "--language",
            "en",
            "--seed",
            "3",
            "--json",
            str(result),
            "--html",
            str(page),
        ],
        catch_exceptions=False,
    )
    assert outcome.exit_code == 0, outcome.output
    score = json.loads(result.read_text(encoding="utf-8"))["score"]
    assert f"{points(score)} / 10" in page.read_text(encoding="utf-8")


def test_grade_command_names_an_unwritable_page(tmp_path):
    """A page that cannot be written: one sentence and exit 2, no traceback."""
    submission = variant_file(OVERFLOWING_SIGMOID, REFERENCE, tmp_path)
    outcome = CliRunner().invoke(
        main, ["grade", str(submission), "-a", "activations", "--html", str(tmp_path / "no" / "page.html")]
    )
    assert outcome.exit_code == 2 and "Could not write the feedback page" in outcome.output
    assert "Traceback" not in outcome.output


def class_of_two(tmp_path) -> Path:
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    for name in ("ann", "ben"):
        (submissions / f"{name}.py").write_text(CORRECT_DEMO)
    return submissions


def grade_class(submissions: Path, out: Path) -> dict[str, tuple[str, str]]:
    """grade-all on the demo assignment: each student's (status, problem)."""
    seen: dict[str, tuple[str, str]] = {}
    grade_all(
        submissions,
        "demo",
        out,
        config=load_config(DEMO_CONFIG),
        options=GradeOptions(language="en", seed=7),
        on_event=lambda event: seen.__setitem__(event.item, (event.status, event.text)),
    )
    return seen


def test_grade_all_writes_a_page_beside_each_result(tmp_path):
    """Does grade-all write OUT/STUDENT.html beside OUT/STUDENT.json, and give a kept result its missing page?"""
    submissions, out = class_of_two(tmp_path), tmp_path / "out"
    assert grade_class(submissions, out) == {"ann": ("graded", ""), "ben": ("graded", "")}
    for student in ("ann", "ben"):
        assert (out / f"{student}.json").is_file()
        assert f'id="student">{student}<' in (out / f"{student}.html").read_text(encoding="utf-8")
    (out / "ann.html").unlink()
    assert grade_class(submissions, out) == {"ann": ("kept", ""), "ben": ("kept", "")}
    assert (out / "ann.html").is_file()


def test_a_page_that_fails_costs_one_line_not_the_result(tmp_path, monkeypatch):
    """A page that cannot be drawn: is the JSON still written, the batch finished, and the problem one line?"""

    def broken(result, path, **_):
        raise RuntimeError("the picture broke\nsecond line")

    monkeypatch.setattr("autograder.batch.write_student_page", broken)
    submissions, out = class_of_two(tmp_path), tmp_path / "out"
    seen = grade_class(submissions, out)
    assert seen == {
        student: ("graded", f"{student}.html not written: RuntimeError: the picture broke")
        for student in ("ann", "ben")
    }
    assert all(
        SubmissionResult.model_validate_json((out / f"{s}.json").read_text()).score == 10 for s in ("ann", "ben")
    )
    assert (out / "gradebook.csv").is_file() and not list(out.glob("*.html"))


def test_a_picture_the_class_shares_is_drawn_once(monkeypatch):
    """Pages of students with the same curves: is each picture drawn once, the same PNG on every page?"""
    from matplotlib.figure import Figure

    drawn: list[int] = []
    savefig = Figure.savefig
    monkeypatch.setattr(
        Figure, "savefig", lambda figure, *args, **kwargs: drawn.append(1) or savefig(figure, *args, **kwargs)
    )
    x = [i / 10 for i in range(-20, 21)]
    right = Curve(function="relu", x=x, expected=[max(0.0, v) for v in x], got=[max(0.0, v) for v in x])
    wrong = right.model_copy(update={"got": x})  # returned its input: the same expected curve, another line

    def page(student: str, curve: Curve) -> str:
        return render_student_page(
            SubmissionResult(student=student, assignment="activations", language="en", figures=Figures(curves=[curve]))
        )

    plots.forget_drawn()
    first, second = page("ann", right), page("ben", right)
    assert len(drawn) == 1
    picture = first[first.index("data:image/png") :].split('"')[0]
    assert picture in second and len(picture) > 1000
    assert picture not in page("cat", wrong) and len(drawn) == 2  # another student's own line is drawn for them
    page("dan", wrong)
    assert len(drawn) == 2
