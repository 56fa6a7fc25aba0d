"""Readable summaries in the terminal, with rich."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from autograder.results import SubmissionResult

_MARKS = {"passed": "[green]✔[/]", "failed": "[red]✘[/]", "timeout": "[yellow]⏱[/]", "error": "[magenta]![/]", "not_run": "[dim]-[/]"}


def print_result(result: SubmissionResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]{result.student}[/] — {result.assignment}: "
                  f"[bold]{result.score:g} / {result.max_score:g}[/] ({result.percent:.0f} %)")
    for error in result.errors:
        console.print(f"[red]{error}[/]", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]{note}[/]", highlight=False)
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("")
    table.add_column("test")
    table.add_column("points", justify="right")
    table.add_column("feedback", overflow="fold")
    for test in result.tests:
        table.add_row(_MARKS.get(test.status, "?"), test.description or test.name,
                      f"{test.score:g}/{test.max_score:g}", "" if test.status == "passed" else test.output)
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
        note = (r.errors[0] if r.errors else "")[:80]
        table.add_row(r.student, r.assignment, f"{r.score:g}/{r.max_score:g}", f"{r.percent:.0f}", f"{passed}/{len(r.tests)}", note)
    console.print(table)
