"""The instructor's nbgrader round as two commands, with progress shown as it goes."""
from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from autograder.classroom.course import open_classroom
from autograder.classroom.release import ClassroomError, release
from autograder.classroom.rounds import Outcome, Round, collect_grade
from autograder.config import GradingConfig
from autograder.grading import GradeOptions

RELEASE_STEPS = ("build-release", "generate_assignment", "release_assignment")


def run_release(config: GradingConfig, name: str, *, due: str | None, root: Path | None, exchange: Path | None,
                course_id: str | None, console: Console) -> None:
    """`autograder release NAME`."""
    classroom = _classroom(config, root, exchange, course_id, console)
    config.assignment(name)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(f"releasing {classroom.folder(name)}", total=len(RELEASE_STEPS))

        def step(text: str) -> None:
            done = RELEASE_STEPS.index(text) if text in RELEASE_STEPS else 0
            progress.update(task, completed=done, description=f"{classroom.folder(name)}: {text}")

        outbound = _guard(console, lambda: release(classroom, name, due=due, on_step=step))
        progress.update(task, completed=len(RELEASE_STEPS), description=f"{classroom.folder(name)}: released")
    console.print(f"[green]released[/] {classroom.folder(name)} of course [bold]{classroom.course_id}[/] → {outbound}\n"
                  f"students run: nbgrader fetch_assignment --course {classroom.course_id} {classroom.folder(name)}",
                  highlight=False)


def run_collect_grade(config: GradingConfig, name: str, *, archives: list[Path], pattern: str, collect_new: bool, options: GradeOptions,
                      workers: int, release_feedback: bool, csv: Path | None, root: Path | None, exchange: Path | None,
                      course_id: str | None, console: Console, executor=None) -> None:
    """`autograder collect-grade NAME`."""
    classroom = _classroom(config, root, exchange, course_id, console)
    config.assignment(name)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"{classroom.folder(name)}: collecting", total=None)

        def event(kind: str, value: object) -> None:
            if kind == "collected":
                progress.update(task, total=int(value), completed=0, description=f"{classroom.folder(name)}: grading")
            elif kind == "student":
                outcome: Outcome = value
                if outcome.problem:
                    progress.console.print(f"[red]{outcome.student}: {outcome.problem}[/]", highlight=False)
                progress.advance(task)
            elif kind == "step":
                progress.update(task, description=f"{classroom.folder(name)}: {value}")

        report = _guard(console, lambda: collect_grade(classroom, name, archives=archives or None, pattern=pattern,
                                                        collect_new=collect_new, options=options, workers=workers,
                                                        release_feedback=release_feedback, csv=csv, on_event=event,
                                                        executor=executor))
    _print_round(report, classroom.root, console)


def _print_round(report: Round, root: Path, console: Console) -> None:
    table = Table(title=f"{report.assignment}: {len(report.outcomes)} submissions", header_style="bold")
    for column in ("student", "score", "late penalty", "final", "graded", "note"):
        table.add_column(column, justify="right" if column in ("score", "late penalty", "final") else "left", overflow="fold")
    for o in report.outcomes:
        score = f"{o.result.score:g} / {o.result.max_score:g}" if o.result else "—"
        final = f"{round(max(0.0, o.result.score - (o.late_penalty or 0)), 4):g}" if o.result else "—"
        note = o.problem or " | ".join((o.result.errors + o.result.notes)[:2] if o.result else [])
        table.add_row(o.student, score, f"{o.late_penalty:g}" if o.late_penalty else "", final, o.status, note)
    console.print(table)
    if report.csv:
        console.print(f"grades → {report.csv}; feedback → {root / 'feedback'}; gradebook → {root / 'gradebook.db'}",
                      highlight=False)


def _classroom(config, root, exchange, course_id, console):
    return _guard(console, lambda: open_classroom(config=config, root=root, exchange=exchange, course_id=course_id))


def _guard(console: Console, work):
    try:
        return work()
    except ClassroomError as err:
        console.print(f"[red]error:[/] {err}", highlight=False)
        sys.exit(2)
