"""Readable summaries in the terminal, with rich."""
from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autograder.engine.feedback import say
from autograder.reports.groups import group_tests
from autograder.results import SubmissionResult

_MARKS = {"passed": "[green]✔[/]", "failed": "[red]✘[/]", "timeout": "[yellow]⏱[/]", "error": "[magenta]![/]", "not_run": "[dim]-[/]"}


def _rows(result: SubmissionResult):
    """One row per test function: its parametrized cases together, with the first failure's message."""
    for group in group_tests(result):
        title = group.title
        if len(group.cases) > 1:
            passed = f"{group.passed}/{len(group.cases)}"
            title += say(f" ({passed} cases)", f" ({passed}개 통과)")
        yield _MARKS.get(group.status, "?"), title, f"{group.score:.4g}/{group.max_score:.4g}", group.message


def print_result(result: SubmissionResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]{result.student}[/] — {result.assignment}: "
                  f"[bold]{result.score:g} / {result.max_score:g}[/] ({result.percent:.0f} %)")
    for error in result.errors:  # student text may hold [brackets]: never read as markup
        console.print(f"[red]{escape(error)}[/]", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]{escape(note)}[/]", highlight=False)
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("")
    table.add_column("test", overflow="fold")
    table.add_column("points", justify="right")
    table.add_column("feedback", overflow="fold")
    for mark, title, points, feedback in _rows(result):
        table.add_row(mark, escape(title), points, escape(feedback))
    console.print(table)
    console.print(f"[dim]isolation: {result.isolation}; seed {result.seed}; {result.execution_time:.1f} s[/]", highlight=False)
    if result.internal_errors:
        console.print(f"[magenta]{len(result.internal_errors)} internal grader error(s): see the JSON result (instructor only).[/]")


def print_gradebook(results: list[SubmissionResult], console: Console | None = None, title: str = "Gradebook") -> None:
    """One line per submission that fits 80 columns: names cut, never wrapped; the detail is in the JSON and HTML."""
    console = console or Console()
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("student", no_wrap=True, overflow="ellipsis", min_width=12, max_width=24)
    table.add_column("assignment", no_wrap=True, overflow="ellipsis", min_width=11, max_width=19)
    table.add_column("score", justify="right", no_wrap=True, min_width=7)
    table.add_column("%", justify="right", no_wrap=True, min_width=3)
    table.add_column("passed", justify="right", no_wrap=True)
    table.add_column("note", no_wrap=True, overflow="ellipsis", max_width=max(8, console.width - 70))
    for r in results:
        passed = sum(t.status == "passed" for t in r.tests)
        failed = list(dict.fromkeys(t.function.removeprefix("test_") for t in r.tests if t.status != "passed"))
        note = escape(r.errors[0] if r.errors else ", ".join(failed))
        table.add_row(escape(r.student), r.assignment, f"{r.score:.3g}/{r.max_score:g}", f"{r.percent:.0f}",
                      f"{passed}/{len(r.tests)}", note, end_section=False)
    console.print(table)
