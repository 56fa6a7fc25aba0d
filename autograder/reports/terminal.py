"""Readable summaries in the terminal, with rich: every line a command prints, drawn from the data it returns."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

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

from autograder.bilingual import say
from autograder.progress import Event, OnEvent
from autograder.reports.groups import group_tests
from autograder.reports.scores import shown
from autograder.results import SubmissionResult
from autograder.untrusted_text import printable, shown_name


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


def _rows(result: SubmissionResult) -> Iterator[tuple[str, str, str, str, str]]:
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
    language = result.language
    for error in result.errors:  # student text may hold [brackets]: never read as markup
        console.print(f"[red]{escape(error.in_language(language))}[/]", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]{escape(note.in_language(language))}[/]", highlight=False)
    table = Table(show_header=True, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column(say("test", "테스트").in_language(language), no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column(say("cases", "통과").in_language(language), justify="right", no_wrap=True)
    table.add_column(say("points", "점수").in_language(language), justify="right", no_wrap=True)
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
                escape((say("not graded: ", "채점 못 함: ") + r.grader_failure).in_language(r.language)),
                end_section=False,
            )
            continue
        failed = list(dict.fromkeys(t.function.removeprefix("test_") for t in r.tests if t.status != "passed"))
        note = escape(r.errors[0].in_language(r.language) if r.errors else ", ".join(failed))
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
    ungraded = [r for r in results if r.grader_failure]
    if ungraded:
        console.print(
            say(
                f"{len(ungraded)} of {len(results)} not graded: grading itself failed (an overloaded machine, a judge "
                "that died); run the same command again to grade them, and only them.",
                f"{len(results)}개 중 {len(ungraded)}개는 채점하지 못했습니다: 채점 자체가 실패했습니다 (채점 컴퓨터 "
                "과부하, 채점 프로세스 종료). 같은 명령을 다시 실행하면 그 제출물만 다시 채점합니다.",
            ).in_language(ungraded[0].language),
            highlight=False,
        )


# -- the course commands (release, collect-grade, export, hub-setup): classroom/ sits above reports/, so these name
# only what they read of its results


class GradebookEntry(Protocol):
    """What the round's table reads of a gradebook entry (classroom.gradebook.Entry)."""

    @property
    def raw_score(self) -> float: ...
    @property
    def max_score(self) -> float: ...
    @property
    def late_penalty(self) -> float | None: ...
    @property
    def score(self) -> float: ...
    @property
    def manual(self) -> Mapping[str, float]: ...


class StudentOutcome(Protocol):
    """What the round's table reads of one student's outcome (classroom.rounds.Outcome)."""

    @property
    def student(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def result(self) -> SubmissionResult | None: ...
    @property
    def entry(self) -> GradebookEntry | None: ...
    @property
    def problem(self) -> str: ...


class CourseRound(Protocol):
    """What the round's table reads of a round (classroom.rounds.Round)."""

    @property
    def assignment(self) -> str: ...
    @property
    def outcomes(self) -> Sequence[StudentOutcome]: ...
    @property
    def csv(self) -> Path | None: ...


@contextmanager
def release_progress(console: Console, folder: str, steps: Sequence[str]) -> Iterator[OnEvent]:
    """`autograder release`'s bar: one tick per step of `steps` the release reports, then 'released'."""
    with progress_bar(console, spinner=True, eta=False) as progress:
        task = progress.add_task(f"releasing {folder}", total=len(steps))

        def step(event: Event) -> None:
            done = steps.index(event.text) if event.text in steps else 0
            progress.update(task, completed=done, description=f"{folder}: {event.text}")

        yield step
        progress.update(task, completed=len(steps), description=f"{folder}: released")


def print_released(console: Console, folder: str, course_id: str, outbound: Path) -> None:
    """Where the release went, and the command students run to fetch it."""
    console.print(
        f"[green]released[/] {folder} of course [bold]{course_id}[/] → {outbound}\n"
        f"students run: nbgrader fetch_assignment --course {course_id} {folder}",
        highlight=False,
    )


@contextmanager
def round_progress(console: Console, folder: str) -> Iterator[OnEvent]:
    """`autograder collect-grade`'s bar: the step under way, one tick per student, and each student's problem."""
    with progress_bar(console, spinner=True) as progress:
        task = progress.add_task(f"{folder}: collecting", total=None)

        def event(happened: Event) -> None:
            if happened.kind == "total":
                progress.update(task, total=happened.count, completed=0, description=f"{folder}: grading")
            elif happened.kind == "done":
                if happened.text:  # why this student has no grade or no feedback
                    progress.console.print(f"[red]{escape(happened.item)}: {escape(happened.text)}[/]", highlight=False)
                progress.advance(task)
            elif happened.kind == "step":
                progress.update(task, description=f"{folder}: {happened.text}")

        yield event


def print_round(report: CourseRound, root: Path, console: Console) -> None:
    """One row per student, totals from nbgrader's gradebook (formgrader's overrides included), rounded."""
    table = Table(title=f"{report.assignment}: {len(report.outcomes)} submissions", header_style="bold")
    for column in ("student", "score", "late penalty", "final", "graded", "note"):
        table.add_column(
            column, justify="right" if column in ("score", "late penalty", "final") else "left", overflow="fold"
        )
    for o in report.outcomes:
        score, penalty, final = _round_totals(o)
        notes = [o.problem] if o.problem else []
        if o.entry is not None and o.entry.manual:
            notes.append(f"{len(o.entry.manual)} score(s) set in formgrader")
        if o.result and not o.problem:
            notes += [text.in_language(o.result.language) for text in (o.result.errors + o.result.notes)[:2]]
        table.add_row(escape(o.student), score, penalty, final, o.status, escape(" | ".join(notes)))
    console.print(table)
    if report.csv:
        console.print(
            f"grades → {report.csv}; feedback → {root / 'feedback'}; gradebook → {root / 'gradebook.db'}",
            highlight=False,
        )


def _round_totals(o: StudentOutcome) -> tuple[str, str, str]:
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


class LmsFile(Protocol):
    """What `autograder export` says of the file it wrote (classroom.lms_export.LmsExport)."""

    @property
    def path(self) -> Path: ...
    @property
    def roster(self) -> Path: ...
    @property
    def students(self) -> Sequence[str]: ...
    @property
    def assignments(self) -> Sequence[str]: ...
    @property
    def unmapped(self) -> Mapping[str, str]: ...
    @property
    def learned(self) -> int: ...


def print_lms_export(report: LmsFile, console: Console) -> None:
    """Who is not in the LMS file and why, what the file holds, and what to fill in when someone is left out."""
    for message in report.unmapped.values():
        console.print(f"[yellow]not in the file:[/] {escape(message)}", highlight=False, soft_wrap=True)
    console.print(
        f"wrote {report.path}: {len(report.students)} students, {len(report.assignments)} assignments "
        f"({', '.join(report.assignments) or 'none graded yet'}); roster {report.roster}"
        + (f", {report.learned} ids filled in" if report.learned else ""),
        highlight=False,
        soft_wrap=True,
    )
    if report.unmapped:
        console.print(
            f"[yellow]{len(report.unmapped)} students left out: fill in their rows of {report.roster} and run again.[/]",
            highlight=False,
            soft_wrap=True,
        )


class HubSetup(Protocol):
    """What `autograder hub-setup` says of the course it set up (classroom.hub.HubCourse)."""

    @property
    def course_id(self) -> str: ...
    @property
    def students(self) -> Sequence[str]: ...
    @property
    def students_group(self) -> str: ...
    @property
    def instructors(self) -> Sequence[str]: ...
    @property
    def graders_group(self) -> str: ...
    @property
    def exchange(self) -> str: ...
    @property
    def sandbox(self) -> Mapping[str, str]: ...


def print_hub_setup(done: HubSetup, hub_dir: Path, console: Console) -> None:
    """The course's groups and exchange, each instructor's sandbox, and how to start the hub."""
    console.print(
        f"course [bold]{escape(done.course_id)}[/]: {len(done.students)} students in {done.students_group}, "
        f"instructors {', '.join(done.instructors)} in {done.graders_group}; exchange {done.exchange}",
        highlight=False,
    )
    for name, line in done.sandbox.items():
        console.print(f"sandbox as {name}: {escape(line)}", highlight=False, soft_wrap=True)
    console.print(f"start the hub: cd {hub_dir} && jupyterhub -f {hub_dir / 'jupyterhub_config.py'}", highlight=False)


# -- the remaining commands: what each prints, from the data its library call returned ---------------------------
def print_not_graded(console: Console, ignored: Sequence[str]) -> None:
    """Entries of a class folder that hold no student's work: said, never skipped in silence."""
    if ignored:
        names = ", ".join(shown_name(name) for name in ignored[:8]) + (" …" if len(ignored) > 8 else "")
        console.print(f"[yellow]not graded, no student's file or folder: {escape(names)}[/]", highlight=False)


@contextmanager
def batch_progress(console: Console, assignment: str, total: int) -> Iterator[OnEvent]:
    """`grade-all`'s bar: one tick per hand-in, and each hand-in's problem (no result, or no page) above it."""
    with progress_bar(console) as progress:
        task = progress.add_task(f"grading {assignment}", total=total)

        def done(event: Event) -> None:
            if event.result is None or event.text:
                progress.console.print(f"[red]{escape(f'{event.item}: {event.text}')}[/]", highlight=False)
            progress.advance(task)

        yield done


def print_examples(
    console: Console, results: list[SubmissionResult], unmet: Sequence[tuple[str, str, str]], out: Path
) -> None:
    """The example class's gradebook, then each example that did not score as its expectation says."""
    print_gradebook(results, console, title=f"Example submissions ({len(results)}) → {out}")
    for name, student, problem in unmet:
        console.print(f"[red]{escape(f'{name}/{student}: {problem}')}[/]", highlight=False)
    if not unmet:
        console.print(f"[green]All {len(results)} example submissions scored as expected.[/]")


def print_release_built(console: Console, folder: str, files: Sequence[str]) -> None:
    console.print(f"[green]released[/] {folder}: " + ", ".join(files), highlight=False)


def print_error(console: Console, message: str) -> None:
    """An error an instructor can fix, in one line (the CLI's handler and the per-item errors of a loop)."""
    console.print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def print_release_check(console: Console, names: Sequence[str], stale: Sequence[str]) -> None:
    """`build-release --check`: the files a build would change, or that every release is current."""
    for path in stale:
        console.print(f"[red]stale:[/] {escape(path)}", highlight=False)
    if stale:
        console.print("Run `autograder build-release` to regenerate them.")
    else:
        console.print(f"[green]Releases are current:[/] {', '.join(names)}", highlight=False)


class Calibrated(Protocol):
    """What `autograder calibrate` measured (calibration.Calibration)."""

    @property
    def seconds(self) -> Mapping[str, float]: ...
    @property
    def reference(self) -> Mapping[str, float]: ...
    @property
    def ratio(self) -> float: ...
    @property
    def time_scale(self) -> float: ...


def print_calibration(console: Console, found: Calibrated) -> None:
    for name, seconds in found.seconds.items():
        console.print(f"{name:6} {seconds:6.2f} s   (reference machine {found.reference[name]:.2f} s)", highlight=False)
    console.print(
        f"This machine takes {found.ratio:.2f}x the reference machine's time (other programs' load not counted).",
        highlight=False,
    )
    console.print(
        f"Set [bold]time_scale = {found.time_scale:g}[/] under \\[limits] in grading.toml"
        + (" (the default)." if found.time_scale == 1 else "."),
        highlight=False,
    )


def print_isolation(console: Console, description: str) -> None:
    console.print(f"isolation: {description}", highlight=False, soft_wrap=True)


def print_gradescope_zip(console: Console, path: Path, file: str) -> None:
    console.print(
        f"wrote {path}: upload it in Gradescope's autograder settings; students submit {file} or the notebook."
    )


class _SimilarPair(Protocol):
    @property
    def a(self) -> str: ...
    @property
    def b(self) -> str: ...
    @property
    def score(self) -> float: ...


class SimilarityRun(Protocol):
    """What `autograder similarity` found (similarity.detect.SimilarityReport)."""

    @property
    def problems(self) -> Mapping[str, str]: ...
    @property
    def pairs(self) -> Sequence[_SimilarPair]: ...
    @property
    def compared(self) -> int: ...
    @property
    def seconds(self) -> float: ...


def print_similarity(console: Console, report: SimilarityRun, hand_ins: int, written: Sequence[Path]) -> None:
    """The hand-ins that could not be compared, then the one-line summary of the ranking."""
    for student, problem in sorted(report.problems.items()):
        console.print(f"[yellow]not compared:[/] {escape(f'{student}: {problem}')}", highlight=False, soft_wrap=True)
    best = report.pairs[0] if report.pairs else None
    console.print(
        f"{hand_ins - len(report.problems)} hand-ins, {report.compared} pairs in {report.seconds:.1f} s; "
        + (
            f"most similar: {escape(best.a)} · {escape(best.b)} {100 * best.score:.0f} % shared; "
            if best
            else "no pair shares code beyond the starter code; "
        )
        + f"a ranking to read, not a verdict → {written[0]}, {written[1]}",
        highlight=False,
        soft_wrap=True,
    )


def print_class_report(
    console: Console, submissions: int, assignments: int, skipped: int, written: Sequence[Path]
) -> None:
    skipped_text = f" ({skipped} other JSON files skipped)" if skipped else ""
    console.print(
        f"class report of {submissions} results, assignments: {assignments}{skipped_text} → "
        + ", ".join(map(str, written)),
        highlight=False,
        soft_wrap=True,
    )
