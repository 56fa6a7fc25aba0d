"""Readable summaries in the terminal, with rich."""
from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autograder.engine.feedback import say
from autograder.results import SubmissionResult

_MARKS = {"passed": "[green]✔[/]", "failed": "[red]✘[/]", "timeout": "[yellow]⏱[/]", "error": "[magenta]![/]", "not_run": "[dim]-[/]"}


def _rows(result: SubmissionResult):
    """One row per test function: its parametrized cases together, with the first failure's message."""
    for _, group in groupby(result.tests, key=lambda test: test.function):
        cases = list(group)
        failed = [t for t in cases if t.status != "passed"]
        first = (failed or cases)[0]
        title = (first.description or first.name).rsplit(" [", 1)[0] if len(cases) > 1 else (first.description or first.name)
        if len(cases) > 1:
            passed = f"{len(cases) - len(failed)}/{len(cases)}"
            title += say(f" ({passed} cases)", f" ({passed}개 통과)")
        score, top = sum(t.score for t in cases), sum(t.max_score for t in cases)
        yield _MARKS.get(first.status, "?"), title, f"{score:.4g}/{top:.4g}", first.output if failed else ""


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
    console = console or Console()
    table = Table(title=title, header_style="bold")
    for column in ("student", "assignment", "score", "%", "tests passed", "note"):
        table.add_column(column, justify="right" if column in ("score", "%", "tests passed") else "left", overflow="fold")
    for r in results:
        passed = sum(t.status == "passed" for t in r.tests)
        note = escape((r.errors[0] if r.errors else "")[:80])
        table.add_row(escape(r.student), r.assignment, f"{r.score:g}/{r.max_score:g}", f"{r.percent:.0f}", f"{passed}/{len(r.tests)}", note)
    console.print(table)
