"""The instructor's class report as one self-contained HTML page.

It renders a `ClassReport` (class_report) and computes nothing itself. Everything is inlined
(CSS, the histograms as PNG data URIs; no scripts, fonts or links), so the page opens
offline and can be mailed or archived as one file. Student text (failure messages, error
sentences) reaches the page only through Jinja2 with autoescaping on.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path

from autograder.bilingual import LANGUAGES
from autograder.config import GradingConfig
from autograder.errors import ReportError
from autograder.files import write_atomically
from autograder.reports.class_plots import histogram_plot
from autograder.reports.class_report import NEAR_THRESHOLD_SHARE, ClassReport
from autograder.reports.plots import data_uri
from autograder.reports.templates import page_environment

TEMPLATE = "class_report.html.j2"
HARD = 0.5  # items passed by fewer than this share of the class are highlighted

# Every fixed text of the page, English beside Korean, so the two never drift apart.
TEXT: dict[str, tuple[str, str]] = {
    "title": ("Class report", "수업 채점 보고서"),
    "source": ("Results from", "결과 폴더"),
    "submissions": ("{count} submissions", "제출 {count}개"),
    "skipped": ("JSON files skipped because they are not grading results", "채점 결과가 아니어서 건너뛴 JSON 파일"),
    "contents": ("Assignments", "과제"),
    "distribution": ("Score distribution", "점수 분포"),
    "histogram_alt": ("Histogram of the scores of", "점수 히스토그램:"),
    "count": ("Submissions", "제출 수"),
    "mean": ("Mean", "평균"),
    "median": ("Median", "중앙값"),
    "minimum": ("Lowest", "최저"),
    "maximum": ("Highest", "최고"),
    "full_marks": ("Full marks", "만점"),
    "out_of": ("Points out of {points}.", "만점은 {points}점입니다."),
    "item_analysis": ("Hidden tests", "숨은 테스트별 분석"),
    "items_intro": (
        "A submission passed a test when it passed every one of its cases; messages are counted once per "
        "submission. Tests that fewer than half of the class passed are highlighted: their messages show "
        "whether the test is hard or unfair. Cases are listed where they differ.",
        "제출물이 테스트의 모든 케이스를 통과해야 그 테스트를 통과한 것으로 셉니다. 메시지는 제출물마다 한 번씩 "
        "셉니다. 수강생의 절반 미만이 통과한 테스트는 강조했습니다. 메시지를 보면 테스트가 어려운 것인지 "
        "불공정한 것인지 알 수 있습니다. 케이스마다 결과가 다른 테스트는 케이스별로도 보여 줍니다.",
    ),
    "test": ("Test", "테스트"),
    "passed": ("Passed", "통과"),
    "mean_points": ("Mean points", "평균 점수"),
    "messages": ("Most common failure messages", "가장 흔한 실패 메시지"),
    "no_failures": ("no failures", "실패 없음"),
    "case": ("case", "케이스"),
    "review": ("Submissions that need a human look", "직접 확인이 필요한 제출"),
    "review_intro": (
        "A failed accuracy test is called close to the threshold when the submission still scored at "
        "least {share} of the points.",
        "정확도 테스트에 실패했어도 점수가 만점의 {share} 이상이면 기준에 가깝다고 표시합니다.",
    ),
    "review_none": ("No submission needs a look.", "확인이 필요한 제출이 없습니다."),
    "student": ("Student", "학생"),
    "score": ("Score", "점수"),
    "reasons": ("Reasons", "이유"),
    "not_recorded": ("not recorded", "기록 없음"),
    "timing": ("Grading time", "채점 시간"),
    "seconds": ("s", "초"),
    "longest": ("Longest", "최장"),
    "slowest": ("Slowest submissions", "가장 오래 걸린 제출"),
    "time": ("Time", "시간"),
}
REASON_TEXT: dict[str, tuple[str, str]] = {
    "internal": ("Internal grader error", "채점기 내부 오류"),
    "grader_failure": ("Grading stopped (the judge died)", "채점이 중단됨 (채점 프로세스 종료)"),
    "isolation": ("Graded without the bubblewrap sandbox", "bubblewrap 샌드박스 없이 채점됨"),
    "timeout": ("Time limit", "시간 제한 초과"),
    "memory": ("Memory limit", "메모리 제한 초과"),
    "crashed": ("The submission's process stopped", "제출물의 프로세스가 멈춤"),
    "error": ("Error", "오류"),
    "near_threshold": ("Accuracy close to the threshold", "정확도가 기준에 가까움"),
}


def points(value: float) -> str:
    """Points as the gradebook shows them: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(share: float) -> str:
    return f"{100 * share:.0f} %"


def seconds(value: float) -> str:
    return f"{value:.2f}"


@functools.cache
def _environment():
    return page_environment(points=points, percent=percent, seconds=seconds)


def assignment_titles(config: GradingConfig, language: str) -> dict[str, str]:
    """'01 Activation functions' per assignment name, in the page's language."""
    return {
        name: f"{spec.number:02d} {spec.title_ko if language == 'ko' and spec.title_ko else spec.title}"
        for name, spec in config.assignments.items()
    }


def render_class_page(
    report: ClassReport, *, language: str, titles: Mapping[str, str] | None = None, course: str = "", source: str = ""
) -> str:
    """The whole page as a string; `titles` names assignments beyond their grading.toml key."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    pick = 1 if language == "ko" else 0
    text = {key: pair[pick] for key, pair in TEXT.items()}
    text["review_intro"] = text["review_intro"].format(share=percent(NEAR_THRESHOLD_SHARE))
    sections = [
        {
            "report": a,
            "title": (titles or {}).get(a.assignment, ""),
            "histogram": data_uri(histogram_plot(a.histogram, language)),
        }
        for a in report.assignments
    ]
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            report=report,
            sections=sections,
            text=text,
            reasons={code: pair[pick] for code, pair in REASON_TEXT.items()},
            language=language,
            course=course,
            source=source,
            hard=HARD,
        )
    )


def write_class_page(report: ClassReport, path: str | os.PathLike, **options) -> Path:
    """Render (see `render_class_page`) and write the page, creating its folder if needed."""
    path = Path(path)
    page = render_class_page(report, **options)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, page)
    except OSError as err:
        raise ReportError(f"Could not write the class report {path}: {err.strerror or err}.") from None
    return path
