"""The terminal summaries fit an 80-column terminal or log: nothing wider, no name wrapped."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console

from autograder.bilingual import Said
from autograder.reports.terminal import print_gradebook, print_result
from autograder.results import SubmissionResult, TestResult

LONG_MESSAGE = (
    "softmax(x)의 값이 틀렸습니다: 모양이 (4, 3)인 무작위 배치에서 12개 중 9개가 다릅니다. "
    "각 행을 따로 정규화했는지 확인하세요 [axis=-1]. "
) * 2


def _result(student: str, assignment: str = "image_preprocessing", language: str = "ko") -> SubmissionResult:
    tests = [
        TestResult(
            name=f"test_softmax_batch_stable_with_a_long_name[{kind}]",
            max_score=0.5,
            score=0.5 if kind != "list" else 0.0,
            status="passed" if kind != "list" else "failed",
            output=LONG_MESSAGE if kind == "list" else "Passed.",
        )
        for kind in ("float64", "float32", "list")
    ]
    tests.append(
        TestResult(name="test_grey", max_score=1.0, score=0.0, status="timeout", output="Time limit [5 s] reached.")
    )
    return SubmissionResult(
        student=student,
        assignment=assignment,
        tests=tests,
        isolation="bubblewrap (uid 1): no network",
        notes=["A note [with brackets] for the student."],
        language=language,
    )


def _lines(render) -> list[str]:
    console = Console(width=80, record=True, force_terminal=False, color_system=None)
    render(console)
    return console.export_text().splitlines()


def test_gradebook_fits_80_columns_and_never_wraps_a_name():
    """Do long student and assignment names stay on one line (cut with …) inside 80 columns?"""
    results = [_result("bug_softmax_without_the_max_shift_and_more"), _result("kim", "activations")]
    lines = _lines(lambda console: print_gradebook(results, console, title="Example submissions"))
    assert max(cell_len(line) for line in lines) <= 80
    rows = [line for line in lines if "/3" in line or "/2.5" in line]
    assert len(rows) == 2, lines  # one line per submission
    assert any("bug_softmax_without" in row and "…" in row for row in rows)
    assert any("kim" in row and "activations" in row and "softma" in row for row in rows)
    assert any("image_preprocessing" in row for row in rows)  # the longest assignment name whole


def test_result_fits_80_columns_with_messages_below_the_table():
    """Is every test one line (short name, cases, points), with the failures' full messages below it?"""
    lines = _lines(lambda console: print_result(_result("kim"), console))
    assert max(cell_len(line) for line in lines) <= 80
    rows = [line for line in lines if "softmax_batch_stable" in line and "/" in line and ":" not in line]
    assert len(rows) == 1 and "2/3" in rows[0] and "1/1.5" in rows[0], lines
    text = " ".join(lines)
    assert "[axis=-1]" in text and "[with brackets]" in text and "[5 s]" in text  # student text is never read as markup
    assert text.index("[axis=-1]") > text.index("softmax_batch_stable_with_a_long_name")


def test_gradebook_says_which_submissions_were_not_graded_and_what_to_do():
    """A grader failure (an overloaded machine) shows no score, its reason, and one sentence: run it again."""
    starved = _result("lee", "activations", language="en")
    starved.grader_failure = Said.same(
        "Not graded: the grading machine was overloaded (after 200 s ...); it will be graded again."
    )
    kim = _result("kim", "activations", language="en")
    lines = _lines(lambda console: print_gradebook([kim, starved], console))
    row = next(line for line in lines if "lee" in line)
    assert "–" in row and "not gra" in row and "/2.5" not in row  # the note column is narrow at 80 columns
    text = " ".join(" ".join(lines).split())
    assert "1 of 2 not graded" in text and "run the same command again" in text
    assert max(cell_len(line) for line in lines) <= 80
