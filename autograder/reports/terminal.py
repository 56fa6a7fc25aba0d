"""Readable summaries in the terminal, with rich."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape as _escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from autograder.engine.feedback import say
from autograder.reports.groups import group_tests
from autograder.results import SubmissionResult
from autograder.untrusted_text import printable


def progress_bar(console: Console, *, spinner: bool = False, eta: bool = True) -> Progress:
    """The one progress bar of the long commands: what is happening, the bar, done of total, time, and an estimate."""
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if spinner:
        columns.insert(0, SpinnerColumn())
    if eta:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    return Progress(*columns, console=console)


def escape(text: str) -> str:
    """Student text for a Rich console: no control characters, never read as markup."""
    return _escape(printable(text))


_MARKS = {
    "passed": "[green]✔[/]",
    "failed": "[red]✘[/]",
    "timeout": "[yellow]⏱[/]",
    "error": "[magenta]![/]",
    "not_run": "[dim]-[/]",
}


def _rows(result: SubmissionResult):
    """One row per test function: its short name, cases passed, points, and the first failure's message."""
    for group in group_tests(result):
        cases = f"{group.passed}/{len(group.cases)}" if len(group.cases) > 1 else ""
        name = group.cases[0].function.removeprefix("test_")
        yield _MARKS.get(group.status, "?"), name, cases, f"{group.score:.3g}/{group.max_score:.3g}", group.message


def print_result(result: SubmissionResult, console: Console | None = None) -> None:
    """The score, errors and notes, then one short row per test; fits 80 columns (the questions are in the HTML page)."""
    console = console or Console()
    console.print(
        f"[bold]{escape(result.student)}[/] — {escape(result.assignment)}: "
        f"[bold]{result.score:.4g} / {result.max_score:g}[/] ({result.percent:.0f} %)",
        highlight=False,
    )
    for error in result.errors:  # student text may hold [brackets]: never read as markup
        console.print(f"[red]{escape(error)}[/]", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]{escape(note)}[/]", highlight=False)
    table = Table(show_header=True, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column(say("test", "테스트"), no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column(say("cases", "통과"), justify="right", no_wrap=True)
    table.add_column(say("points", "점수"), justify="right", no_wrap=True)
    rows = list(_rows(result))
    for mark, name, cases, points, _ in rows:
        table.add_row(mark, escape(name), cases, points)
    console.print(table)
    for mark, name, _, _, feedback in rows:  # the messages below the table, at the terminal's full width
        if feedback:
            console.print(f"{mark} [bold]{escape(name)}[/]: {escape(feedback)}", highlight=False)
    console.print(
        f"[dim]isolation: {escape(result.isolation)}; seed {result.seed}; {result.execution_time:.1f} s[/]",
        highlight=False,
    )
    if result.internal_errors:
        console.print(
            f"[magenta]{len(result.internal_errors)} internal grader error(s): see the JSON result (instructor only).[/]"
        )


def print_gradebook(results: list[SubmissionResult], console: Console | None = None, title: str = "Gradebook") -> None:
    """One line per submission that fits 80 columns: names cut, never wrapped; the detail is in the JSON and HTML."""
    console = console or Console()
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("student", no_wrap=True, overflow="ellipsis", min_width=12, max_width=22)
    table.add_column("assignment", no_wrap=True, overflow="ellipsis", min_width=11, max_width=19)
    table.add_column("score", justify="right", no_wrap=True, min_width=7)
    table.add_column("%", justify="right", no_wrap=True, min_width=3)
    table.add_column("passed", justify="right", no_wrap=True, min_width=6)
    table.add_column("note", no_wrap=True, overflow="ellipsis", max_width=max(8, console.width - 72))
    for r in results:
        passed = sum(t.status == "passed" for t in r.tests)
        if r.grader_failure:  # no verdict: grading itself failed, and the next run grades it again
            table.add_row(
                escape(r.student),
                escape(r.assignment),
                "–",
                "",
                f"{passed}/{len(r.tests)}",
                escape(say("not graded: ", "채점 못 함: ") + r.grader_failure),
                end_section=False,
            )
            continue
        failed = list(dict.fromkeys(t.function.removeprefix("test_") for t in r.tests if t.status != "passed"))
        note = escape(r.errors[0] if r.errors else ", ".join(failed))
        table.add_row(
            escape(r.student),
            escape(r.assignment),
            f"{r.score:.3g}/{r.max_score:g}",
            f"{r.percent:.0f}",
            f"{passed}/{len(r.tests)}",
            note,
            end_section=False,
        )
    console.print(table)
    ungraded = sum(bool(r.grader_failure) for r in results)
    if ungraded:
        console.print(
            say(
                f"{ungraded} of {len(results)} not graded: grading itself failed (an overloaded machine, a judge that "
                "died); run the same command again to grade them, and only them.",
                f"{len(results)}개 중 {ungraded}개는 채점하지 못했습니다: 채점 자체가 실패했습니다 (채점 컴퓨터 과부하, "
                "채점 프로세스 종료). 같은 명령을 다시 실행하면 그 제출물만 다시 채점합니다.",
            ),
            highlight=False,
        )
