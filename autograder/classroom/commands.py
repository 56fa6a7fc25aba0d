"""The instructor's nbgrader round as two commands, with progress shown as it goes."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autograder.classroom.course import open_classroom
from autograder.classroom.release import release
from autograder.classroom.rounds import Outcome, Round, collect_grade
from autograder.classroom.totals import shown
from autograder.config import GradingConfig
from autograder.errors import ClassroomError, ExitCode
from autograder.grading import GradeOptions
from autograder.progress import Event
from autograder.reports.terminal import escape, progress_bar

RELEASE_STEPS = ("build-release", "generate_assignment", "release_assignment")


def run_release(
    config: GradingConfig,
    name: str,
    *,
    due: str | None,
    root: Path | None,
    exchange: Path | None,
    course_id: str | None,
    console: Console,
) -> None:
    """`autograder release NAME`."""
    classroom = _classroom(config, root, exchange, course_id, console)
    config.assignment(name)
    with progress_bar(console, spinner=True, eta=False) as progress:
        task = progress.add_task(f"releasing {classroom.folder(name)}", total=len(RELEASE_STEPS))

        def step(event: Event) -> None:
            text = event.text
            done = RELEASE_STEPS.index(text) if text in RELEASE_STEPS else 0
            progress.update(task, completed=done, description=f"{classroom.folder(name)}: {text}")

        outbound = _guard(console, lambda: release(classroom, name, due=due, on_event=step))
        progress.update(task, completed=len(RELEASE_STEPS), description=f"{classroom.folder(name)}: released")
    console.print(
        f"[green]released[/] {classroom.folder(name)} of course [bold]{classroom.course_id}[/] → {outbound}\n"
        f"students run: nbgrader fetch_assignment --course {classroom.course_id} {classroom.folder(name)}",
        highlight=False,
    )


def run_collect_grade(
    config: GradingConfig,
    name: str,
    *,
    archives: list[Path],
    pattern: str,
    collect_new: bool,
    options: GradeOptions,
    workers: int,
    release_feedback: bool,
    csv: Path | None,
    root: Path | None,
    exchange: Path | None,
    course_id: str | None,
    console: Console,
    executor=None,
) -> None:
    """`autograder collect-grade NAME`."""
    classroom = _classroom(config, root, exchange, course_id, console)
    config.assignment(name)
    with progress_bar(console, spinner=True) as progress:
        task = progress.add_task(f"{classroom.folder(name)}: collecting", total=None)

        def event(happened: Event) -> None:
            if happened.kind == "total":
                progress.update(
                    task, total=happened.count, completed=0, description=f"{classroom.folder(name)}: grading"
                )
            elif happened.kind == "done":
                outcome: Outcome = happened.result
                if outcome.problem:
                    progress.console.print(
                        f"[red]{escape(outcome.student)}: {escape(outcome.problem)}[/]", highlight=False
                    )
                progress.advance(task)
            elif happened.kind == "step":
                progress.update(task, description=f"{classroom.folder(name)}: {happened.text}")

        report = _guard(
            console,
            lambda: collect_grade(
                classroom,
                name,
                archives=archives or None,
                pattern=pattern,
                collect_new=collect_new,
                options=options,
                workers=workers,
                release_feedback=release_feedback,
                csv=csv,
                on_event=event,
                executor=executor,
            ),
        )
    print_round(report, classroom.root, console)


def print_round(report: Round, root: Path, console: Console) -> None:
    """One row per student, totals from nbgrader's gradebook (formgrader's overrides included), rounded."""
    table = Table(title=f"{report.assignment}: {len(report.outcomes)} submissions", header_style="bold")
    for column in ("student", "score", "late penalty", "final", "graded", "note"):
        table.add_column(
            column, justify="right" if column in ("score", "late penalty", "final") else "left", overflow="fold"
        )
    for o in report.outcomes:
        score, penalty, final = _totals(o)
        notes = [o.problem] if o.problem else []
        if o.entry is not None and o.entry.manual:
            notes.append(f"{len(o.entry.manual)} score(s) set in formgrader")
        notes += (o.result.errors + o.result.notes)[:2] if o.result and not o.problem else []
        table.add_row(escape(o.student), score, penalty, final, o.status, escape(" | ".join(notes)))
    console.print(table)
    if report.csv:
        console.print(
            f"grades → {report.csv}; feedback → {root / 'feedback'}; gradebook → {root / 'gradebook.db'}",
            highlight=False,
        )


def _totals(o: Outcome) -> tuple[str, str, str]:
    """score, late penalty and final as shown: the gradebook's entry, else our grader's score with no penalty known."""
    if o.entry is not None:
        e = o.entry
        return (
            f"{shown(e.raw_score)} / {shown(e.max_score)}",
            shown(e.late_penalty) if e.late_penalty else "",
            shown(e.score),
        )
    if o.result is not None:
        return f"{shown(o.result.score)} / {shown(o.result.max_score)}", "", shown(o.result.score)
    return "—", "", "—"


def _classroom(config, root, exchange, course_id, console):
    return _guard(console, lambda: open_classroom(config=config, root=root, exchange=exchange, course_id=course_id))


def _guard(console: Console, work):
    try:
        return work()
    except ClassroomError as err:
        console.print(f"[red]error:[/] {escape(str(err))}", highlight=False)
        sys.exit(ExitCode.INSTRUCTOR_ERROR)
