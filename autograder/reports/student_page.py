"""The student's feedback page: one self-contained HTML file per graded submission.

The page shows what the score is made of and the pictures behind it (the student's
functions beside the expected ones; a model's learning curve, confusion matrix, per-class
accuracy and some misclassified test images). Everything is inlined (PNG data URIs,
inline CSS, no scripts, fonts or links), so it opens offline, from an e-mail or an LMS.
Student text reaches the page only through Jinja2 with autoescaping on.
"""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path

from autograder.bilingual import Said
from autograder.files import write_atomically
from autograder.reports import plots
from autograder.reports.groups import group_tests
from autograder.reports.templates import page_environment
from autograder.results import ModelReport, SubmissionResult

MAX_MISTAKES = 12  # images in the misclassified grid
STUDENT_PAGE = "autograder-feedback.html"  # its name beside nbgrader's own feedback page (collect-grade)

# Every fixed text of the page and its pictures, in both languages (same keys in both).
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Autograder feedback",
        "student": "Student",
        "assignment": "Assignment",
        "graded_file": "Graded file",
        "score": "Score",
        "adjusted": "Your instructor's changes and any late penalty are included.",
        "problems": "Problems",
        "notes": "Notes",
        "tests": "What the score is made of",
        "tests_intro": "One row per test; tests that did not pass come first.",
        "test": "Test",
        "cases": "Cases passed",
        "points": "Points",
        "feedback": "Feedback",
        "each_case": "Each case",
        "passed": "passed",
        "failed": "failed",
        "error": "error",
        "timeout": "time limit",
        "not_run": "not run",
        "curves": "Your functions beside the expected ones",
        "curves_intro": "Each picture draws your function over the expected one on evenly spaced public inputs "
        "(not the hidden tests' inputs).",
        "expected": "expected",
        "yours": "your function",
        "missing": "missing or not finite",
        "model": "Your model on the test images",
        "overall": "Accuracy on the test images",
        "learning_curve": "Learning curve",
        "history_source": "Recorded from",
        "no_history": "No learning curve was recorded. The History that Keras' model.fit returns is picked up on its "
        'own; with PyTorch, set model.history = {"loss": [...], "val_accuracy": [...]}, one value per '
        "epoch, before the training function returns.",
        "confusion": "Confusion matrix",
        "confusion_intro": "Rows are the true classes, columns the predicted ones; the diagonal counts correct answers.",
        "predicted": "predicted",
        "true": "true",
        "per_class": "Accuracy per class",
        "class": "Class",
        "correct": "Correct",
        "images": "Images",
        "class_accuracy": "Accuracy",
        "accuracy": "accuracy",
        "accuracy_percent": "accuracy (%)",
        "loss": "loss",
        "other": "other",
        "epoch": "epoch",
        "mistakes": "Some misclassified test images",
        "mistakes_intro": "Above each image: predicted / true class.",
        "no_images": "The misclassified images are not shown: the test images could not be loaded on the grading machine.",
        "seed": "seed",
        "isolation": "isolation",
    },
    "ko": {
        "title": "자동 채점 결과",
        "student": "학생",
        "assignment": "과제",
        "graded_file": "채점한 파일",
        "score": "점수",
        "adjusted": "담당 교수자가 고친 점수와 지각 감점이 반영된 점수입니다.",
        "problems": "문제",
        "notes": "참고",
        "tests": "점수 내역",
        "tests_intro": "테스트마다 한 줄이며, 통과하지 못한 테스트가 먼저 나옵니다.",
        "test": "테스트",
        "cases": "통과한 경우",
        "points": "점수",
        "feedback": "피드백",
        "each_case": "경우별 결과",
        "passed": "통과",
        "failed": "실패",
        "error": "오류",
        "timeout": "시간 초과",
        "not_run": "실행 안 됨",
        "curves": "제출한 함수와 기대하는 함수",
        "curves_intro": "각 그림은 고르게 나눈 공개 입력(숨겨진 테스트의 입력이 아님)에서 제출한 함수를 기대하는 함수 위에 그립니다.",
        "expected": "기대값",
        "yours": "제출한 함수",
        "missing": "값 없음 또는 유한하지 않음",
        "model": "테스트 이미지에서 본 모델",
        "overall": "테스트 이미지 정확도",
        "learning_curve": "학습 곡선",
        "history_source": "기록 출처",
        "no_history": "기록된 학습 곡선이 없습니다. Keras의 model.fit이 돌려주는 History는 자동으로 읽습니다. "
        "PyTorch를 쓴다면 학습 함수가 끝나기 전에 에포크마다 값을 하나씩 담아 "
        'model.history = {"loss": [...], "val_accuracy": [...]}로 지정하세요.',
        "confusion": "혼동 행렬",
        "confusion_intro": "행은 실제 클래스, 열은 예측한 클래스이며, 대각선이 맞힌 개수입니다.",
        "predicted": "예측",
        "true": "실제",
        "per_class": "클래스별 정확도",
        "class": "클래스",
        "correct": "맞힘",
        "images": "이미지 수",
        "class_accuracy": "정확도",
        "accuracy": "정확도",
        "accuracy_percent": "정확도 (%)",
        "loss": "손실",
        "other": "기타",
        "epoch": "에포크",
        "mistakes": "잘못 분류한 테스트 이미지 일부",
        "mistakes_intro": "각 이미지 위: 예측 / 실제 클래스.",
        "no_images": "잘못 분류한 이미지는 보여 주지 않습니다: 채점 컴퓨터에서 테스트 이미지를 읽지 못했습니다.",
        "seed": "시드",
        "isolation": "격리",
    },
}


def points(value: float) -> str:
    """A score as every report of the round shows it: at most 2 decimals, never 9.999999999999995."""
    text = f"{round(float(value), 2):g}"
    return "0" if text == "-0" else text


def percent(share: float) -> str:
    """A share in [0, 1] as a percentage with one decimal."""
    return "–" if math.isnan(share) else f"{100 * share:.1f} %"


def in_language(text: Said, language: str) -> str:
    """A bilingual text in the page's language (templates: `{{ test.output | in_language(language) }}`)."""
    return text.in_language(language)


@functools.cache
def _environment():
    return page_environment(points=points, percent=percent, in_language=in_language)


def render_student_page(
    result: SubmissionResult, *, data_home: str | os.PathLike | None = None, total: float | None = None
) -> str:
    """The page as HTML text; `data_home` is where the test images for the misclassified grid are read.

    `total` is the score to show when it is not the tests' sum: nbgrader's gradebook total,
    after an instructor's override or a late penalty, so the page agrees with every other report.
    """
    language = result.language if result.language in LABELS else "en"
    text = LABELS[language]
    # The pictures use Korean only where a Korean font is installed; otherwise English, never boxes.
    drawn = language if language != "ko" or plots.korean_font() else "en"
    groups = sorted(group_tests(result), key=lambda group: group.status == "passed")  # stable: failed first
    return (
        _environment()
        .get_template("student_page.html")
        .render(
            t=text,
            language=language,
            result=result,
            groups=groups,
            total=result.score if total is None else total,
            curves=[
                {"curve": curve, "image": plots.data_uri(plots.curve_plot(curve, LABELS[drawn]))}
                for curve in result.figures.curves
            ],
            model=_model_view(result.figures.model, language, drawn, data_home) if result.figures.model else None,
        )
    )


def write_student_page(
    result: SubmissionResult,
    path: str | os.PathLike,
    *,
    data_home: str | os.PathLike | None = None,
    total: float | None = None,
) -> Path:
    """Render the page and write it atomically to `path` (never a half-written page)."""
    path = Path(path)
    write_atomically(path, render_student_page(result, data_home=data_home, total=total))
    return path


def _class_names(language: str, count: int) -> list[str]:
    from autograder.data import CLASS_NAMES, CLASS_NAMES_KO

    names = list(CLASS_NAMES_KO if language == "ko" else CLASS_NAMES)
    return [names[i] if i < len(names) else str(i) for i in range(count)]


def _model_view(model: ModelReport, language: str, drawn: str, data_home) -> dict:
    """What the template shows of a trained model; every picture as a data URI."""
    count = len(model.confusion)
    names, drawn_names = _class_names(language, count), _class_names(drawn, count)
    totals = [sum(row) for row in model.confusion]
    correct = [model.confusion[i][i] if i < len(model.confusion[i]) else 0 for i in range(count)]
    accuracy = model.per_class_accuracy
    history = plots.history_plot(model.history, LABELS[drawn]) if model.history else None
    mistakes = [m for m in model.mistakes if 0 <= m.true < count and 0 <= m.predicted < count][:MAX_MISTAKES]
    grid = None
    if mistakes:
        images = _test_images(data_home)
        mistakes = [m for m in mistakes if images is not None and 0 <= m.index < len(images)]
        grid = plots.data_uri(plots.mistakes_grid(images, mistakes, drawn_names)) if mistakes else None
    return {
        "overall": sum(correct) / sum(totals) if sum(totals) else 0.0,
        "history": plots.data_uri(history) if history else None,
        "history_source": model.history_source,
        "confusion": plots.data_uri(plots.confusion_plot(model.confusion, drawn_names, LABELS[drawn])),
        "classes": [
            {"name": names[i], "correct": correct[i], "total": totals[i], "accuracy": accuracy[i]} for i in range(count)
        ],
        "per_class": plots.data_uri(plots.per_class_plot(accuracy, drawn_names, LABELS[drawn])),
        "mistakes": grid,
        "mistakes_missing": bool(model.mistakes) and grid is None,
    }


def _test_images(data_home):
    """The public test images (N, 28, 28), read in this trusted process once; None where they cannot be read."""
    from autograder.data import load_split
    from autograder.errors import InstructorError

    key = None if data_home is None else str(data_home)
    if key not in _images:
        try:
            images, _ = load_split("test", data_home)
        except (InstructorError, OSError, ValueError):
            return None  # not kept: data installed later is found
        images.setflags(write=False)
        _images.clear()  # one data home at a time
        _images[key] = images
    return _images[key]


_images: dict = {}
