"""The similarity ranking (autograder.similarity) as one offline HTML page and a CSV.

The page lists the pairs that share the most code, highest first, with each side's code
next to the other and the matched stretches marked. It opens offline (inline CSS; no
scripts, fonts or links but its own anchors) and says what it is: a ranking for a person
to read, never a finding of copying. Student code is data: it reaches the page only escaped
(markupsafe), cut into marked and unmarked stretches here, and the template autoescapes the rest.
"""

from __future__ import annotations

import csv
import functools
import os
from pathlib import Path

from markupsafe import Markup, escape

from autograder.bilingual import LANGUAGES
from autograder.files import write_atomically
from autograder.reports.templates import page_environment
from autograder.similarity.detect import NOISE, SimilarityReport
from autograder.untrusted_text import csv_cell

TEMPLATE = "similarity.html.j2"
TOP = 20  # pairs shown side by side; the CSV holds every pair that shares anything

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Similar code", "비슷한 코드"),
    "notice": (
        "This page ranks pairs of submissions by how much code they share once the starter code is removed, "
        "so that a person can read the pairs at the top. A high score is a reason to look, not evidence of "
        "copying: independent solutions of a short exercise can be much alike, and students may have worked "
        "together as the course allows. Read both submissions, and talk with the students, before drawing "
        "any conclusion.",
        "이 페이지는 제공된 시작 코드를 뺀 뒤 두 제출물이 코드를 얼마나 공유하는지에 따라 제출물 쌍을 "
        "순서대로 보여 줍니다. 위쪽의 쌍을 사람이 직접 읽어 보라는 뜻입니다. 점수가 높다는 것은 살펴볼 "
        "이유일 뿐 베낀 증거가 아닙니다. 짧은 과제는 각자 풀어도 코드가 많이 비슷할 수 있고, 수업이 허용한 "
        "범위에서 함께 공부했을 수도 있습니다. 결론을 내리기 전에 두 제출물을 모두 읽고 학생과 이야기해 "
        "보세요.",
    ),
    "method": (
        "Compared with copydetect: code is split into tokens, names and strings count as placeholders "
        "(renaming changes nothing), comments, blank lines and spacing are dropped, and stretches of at least "
        "{noise} characters of what remains are matched wherever they are in the file (reordering changes "
        "nothing). Everything the released stub, notebook, self-check and public tests hold is removed first. "
        "The score is the share of both submissions' remaining code that matches the other's.",
        "copydetect로 비교했습니다. 코드를 토큰으로 나누고 이름과 문자열은 자리표시로 바꾸며(이름을 바꿔도 "
        "같음), 주석·빈 줄·공백은 버리고, 남은 코드에서 {noise}자 이상 같은 부분을 파일 어디에 있든 찾습니다"
        "(순서를 바꿔도 같음). 배포한 스텁, 노트북, 자가 점검, 공개 테스트의 코드는 먼저 뺍니다. 점수는 두 "
        "제출물의 남은 코드 가운데 상대와 겹치는 비율입니다.",
    ),
    "students": ("Submissions compared", "비교한 제출물"),
    "pairs": ("Pairs compared", "비교한 쌍"),
    "sharing": ("Pairs sharing any code", "코드가 겹치는 쌍"),
    "seconds": ("Seconds", "걸린 시간(초)"),
    "ranking": ("Most similar pairs", "가장 비슷한 쌍"),
    "rank": ("#", "순위"),
    "student_a": ("Student A", "학생 A"),
    "student_b": ("Student B", "학생 B"),
    "score": ("Shared code", "겹치는 코드"),
    "share_a": ("of A", "A 기준"),
    "share_b": ("of B", "B 기준"),
    "none": (
        "No two submissions share code beyond the starter code.",
        "시작 코드 말고는 코드가 겹치는 제출물이 없습니다.",
    ),
    "side_by_side": ("Side by side", "나란히 보기"),
    "marked": ("Marked: code that matches the other submission.", "표시한 부분: 상대 제출물과 겹치는 코드."),
    "left_out": ("Not compared", "비교하지 않은 제출물"),
    "more": (
        "{count} more pairs share some code: see the CSV.",
        "코드가 겹치는 쌍이 {count}개 더 있습니다. CSV를 보세요.",
    ),
    "file": ("file", "파일"),
}


def percent(share: float) -> str:
    return f"{100 * share:.0f} %"


@functools.cache
def _environment():
    return page_environment(percent=percent)


def marked(text: str, ranges: tuple[tuple[int, int], ...]) -> Markup:
    """`text` escaped, with each matched range inside <mark>."""
    pieces, at = [], 0
    for start, end in sorted(ranges):
        start, end = max(start, at), min(end, len(text))
        if end <= start:
            continue
        pieces += [str(escape(text[at:start])), "<mark>", str(escape(text[start:end])), "</mark>"]
        at = end
    pieces.append(str(escape(text[at:])))
    return Markup("".join(pieces))


def render_similarity_page(
    report: SimilarityReport, *, language: str, title: str = "", course: str = "", top: int = TOP
) -> str:
    """The whole page as a string."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    pick = 1 if language == "ko" else 0
    text = {key: pair[pick] for key, pair in TEXT.items()}
    text["method"] = text["method"].format(noise=NOISE)
    files = {s.student: s.file for s in report.students}
    shown = [
        {
            "rank": rank,
            "pair": pair,
            "file_a": files.get(pair.a, ""),
            "file_b": files.get(pair.b, ""),
            "code_a": marked(report.code_of(pair.a), pair.slices_a),
            "code_b": marked(report.code_of(pair.b), pair.slices_b),
        }
        for rank, pair in enumerate(report.pairs[:top], start=1)
    ]
    more = (
        text["more"].replace("{count}", str(len(report.pairs) - len(shown))) if len(report.pairs) > len(shown) else ""
    )
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            report=report,
            shown=shown,
            text=text,
            more=more,
            language=language,
            title=title or report.assignment,
            course=course,
            compared_students=len(report.students) - len(report.problems),
        )
    )


def write_similarity(
    report: SimilarityReport,
    page: str | os.PathLike,
    *,
    language: str,
    title: str = "",
    course: str = "",
    top: int = TOP,
) -> tuple[Path, Path]:
    """Write the page and, beside it, the CSV of every pair sharing code (PAGE with .csv); returns both paths."""
    page = Path(page)
    table = page.with_suffix(".csv")
    page.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(page, render_similarity_page(report, language=language, title=title, course=course, top=top))
    files = {s.student: s.file for s in report.students}
    partial = table.with_name(table.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["rank", "student_a", "student_b", "shared", "share_of_a", "share_of_b", "file_a", "file_b"])
        for rank, pair in enumerate(report.pairs, start=1):
            writer.writerow(
                [
                    rank,
                    csv_cell(pair.a),
                    csv_cell(pair.b),
                    f"{pair.score:.4f}",
                    f"{pair.share_a:.4f}",
                    f"{pair.share_b:.4f}",
                    csv_cell(files.get(pair.a, "")),
                    csv_cell(files.get(pair.b, "")),
                ]
            )
    partial.replace(table)
    return page, table
