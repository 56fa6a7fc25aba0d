"""`autograder collect-grade NAME`: collect, grade, record, give feedback, export, in one go.

Grading goes through the one batch engine (`autograder.batch`): each student's result is
kept as JSON under <root>/results/NN_NAME/ and re-graded only when the submission, the
hidden suite, the assignment's settings or the grader changed. A student's gradebook
entry and feedback page are rewritten only when the result, the submission's timestamp,
the due date, an extension or a grade typed into formgrader changed since they were last
written (the record under <root>/grades/NN_NAME/ remembers, see published.py), so a re-run
with nothing new costs next to nothing, and a new due date or an override still shows up
in the next feedback and export. Every total shown comes from nbgrader's gradebook (see
totals.py). One student's broken submission never stops the batch.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.batch import Status, grade_batch
from autograder.classroom.course import GRADES_CSV, Classroom, nbgrader_environment
from autograder.classroom.feedback import embed_page, generate_feedback, submitted_stamp, write_autograded
from autograder.classroom.gradebook import Entry, read_entries, record, upgrade_cell_names
from autograder.classroom.lms import CANVAS, zip_collect
from autograder.classroom.plug_ins import nbgrader_config
from autograder.classroom.published import recorded_stamp, stamp, write_record
from autograder.classroom.totals import as_published
from autograder.errors import ClassroomError
from autograder.grading import GradeOptions
from autograder.progress import Event, OnEvent, ignore
from autograder.reports.student_page import STUDENT_PAGE, write_student_page
from autograder.results import SubmissionResult
from autograder.sandbox.launcher import choose_isolation
from autograder.submission import pick_submission


@dataclass
class Outcome:
    """What happened to one student's submission in this round."""

    student: str
    status: Status
    result: SubmissionResult | None = None
    late_penalty: float | None = None
    entry: Entry | None = None  # the gradebook's entry once published: the total to show
    feedback: Path | None = None
    problem: str = ""  # for the instructor: why this student has no grade or no feedback


@dataclass(frozen=True)
class RoundOptions:
    """How a round collects, grades and publishes: `collect-grade`'s options, in one object."""

    archives: tuple[Path, ...] = ()  # LMS downloads to collect from instead of the exchange
    pattern: str = CANVAS  # how the LMS's file names name the student
    collect_new: bool = True  # False: grade what already lies in submitted/, collect nothing
    grading: GradeOptions = GradeOptions()
    workers: int | None = 1  # None: as many as the batch finds this machine can feed
    release_feedback: bool = False  # also put the feedback into the exchange for fetch_feedback
    csv: Path | None = None  # where nbgrader's export writes the grades (default: <root>/grades.csv)


@dataclass
class Round:
    assignment: str
    outcomes: list[Outcome] = field(default_factory=list)
    csv: Path | None = None
    collect_log: str = ""


if TYPE_CHECKING:
    from autograder.cluster import DaskExecutor


def collect_grade(
    classroom: Classroom,
    name: str,
    options: RoundOptions = RoundOptions(),
    *,
    on_event: OnEvent | None = None,
    executor: DaskExecutor | None = None,
) -> Round:
    """Collect `name` from the exchange (or LMS archives), grade with our grader, and publish the grades.

    With options.collect_new False nothing is collected: what already lies in submitted/ is graded.
    """
    event = on_event or ignore
    spec = classroom.config.assignment(name)
    grading = options.grading
    choose_isolation(grading.isolation or classroom.config.course.isolation)  # no sandbox: refuse before collecting
    language = grading.language or classroom.config.course.language
    report = Round(name)
    event(Event.step("collect"))
    if options.archives:
        report.collect_log = zip_collect(classroom, name, list(options.archives), options.pattern)
    elif options.collect_new:
        report.collect_log = collect(classroom, name)
    students = submitted_students(classroom, name)
    event(Event.total(len(students)))
    released = classroom.release_dir / classroom.folder(name)
    solution_cells = _solution_cells(classroom, name)
    folders = {student: classroom.step_dir("submitted", name, student) for student in students}

    upgrade_cell_names(classroom, name)  # gradebooks from before cell ids: overrides move along
    published = read_entries(classroom, name, students)

    def finish(done: Event) -> None:
        student, result, status, problem = done.item, done.result, done.status, done.text
        outcome = Outcome(student, status if result is not None else "failed", result, problem=problem)
        if result is not None:
            kept = classroom.grades_dir(name) / f"{student}.json"
            html = classroom.step_dir("feedback", name, student) / f"{classroom.notebook_id(name)}.html"
            timestamp = submitted_timestamp(classroom, name, student)
            if (
                status == "kept"
                and html.is_file()
                and recorded_stamp(kept) == stamp(result, timestamp, published.get(student))
            ):
                outcome.feedback = html  # nothing changed since the last round: gradebook and page stand
                outcome.entry = published[student]
                outcome.late_penalty = outcome.entry.late_penalty
            else:
                try:
                    pick = pick_submission(folders[student], spec.file, released).choosing(
                        result.graded_file
                    )  # the file that counted
                    outcome.late_penalty = record(classroom, name, student, result, timestamp)
                    outcome.entry = read_entries(classroom, name, [student]).get(student)
                    write_autograded(classroom, name, student, result, pick, solution_cells, outcome.entry)
                    outcome.feedback = generate_feedback(classroom, name, student)
                    write_student_page(
                        as_published(result, outcome.entry),
                        outcome.feedback.with_name(STUDENT_PAGE),
                        data_home=classroom.config.data_home,
                        total=outcome.entry.score if outcome.entry else None,
                    )  # the gradebook's total
                    embed_page(
                        outcome.feedback, outcome.feedback.with_name(STUDENT_PAGE), result.language
                    )  # it reaches students only inside
                    write_record(
                        kept,
                        student,
                        classroom.folder(name),
                        result,
                        outcome.entry,
                        stamp(result, timestamp, outcome.entry),
                    )
                except Exception as err:  # the gradebook or nbconvert refused: keep the batch going
                    outcome.problem = f"{type(err).__name__}: {err}"
        report.outcomes.append(outcome)
        event(Event.done(student, outcome.status, outcome, outcome.problem))

    grade_batch(
        folders,
        name,
        classroom.results_dir(name),
        config=classroom.config,
        options=replace(grading, language=language),
        workers=options.workers,
        released=released,
        on_event=finish,
        executor=executor,
    )
    report.outcomes.sort(key=lambda o: o.student)
    if options.release_feedback:
        event(Event.step("release_feedback"))
        publish_feedback(classroom, name)
    event(Event.step("export"))
    report.csv = export_grades(classroom, options.csv or classroom.root / GRADES_CSV)
    return report


def collect(classroom: Classroom, name: str) -> str:
    """nbgrader collect from the exchange (newer submissions replace older ones)."""
    from nbgrader.apps.api import NbGraderAPI

    with nbgrader_environment():
        outcome = NbGraderAPI(config=nbgrader_config(classroom)).collect(classroom.folder(name), update=True)
    log = (outcome or {}).get("log", "")
    if not outcome or not outcome["success"]:
        if submitted_students(classroom, name):
            return log + "\n(collect failed; grading what was collected before)"
        raise ClassroomError(
            f"nbgrader collect failed for {classroom.folder(name)}: "
            f"{(log or outcome.get('error', '')).strip().splitlines()[-1:]}; "
            f"check the exchange (--exchange or $AUTOGRADER_EXCHANGE) and the course id."
        )
    return log


def submitted_students(classroom: Classroom, name: str) -> list[str]:
    """Student ids with a folder under submitted/*/NN_NAME."""
    base = classroom.root / "submitted"
    if not base.is_dir():
        return []
    folder = classroom.folder(name)
    return sorted(p.name for p in base.iterdir() if (p / folder).is_dir() and not p.name.startswith("."))


def submitted_timestamp(classroom: Classroom, name: str, student: str) -> datetime.datetime | None:
    """The time nbgrader's submit (or the LMS file name) recorded, as nbgrader reads it."""
    from nbgrader.utils import parse_utc

    content = submitted_stamp(classroom, name, student)
    try:
        return parse_utc(content.decode("utf-8").strip()) if content is not None else None
    except (ValueError, OverflowError):
        return None


def publish_feedback(classroom: Classroom, name: str) -> None:
    """nbgrader release_feedback: students fetch it with `nbgrader fetch_feedback`."""
    from nbgrader.apps.api import NbGraderAPI

    with nbgrader_environment():
        outcome = NbGraderAPI(config=nbgrader_config(classroom)).release_feedback(classroom.folder(name))
    if not outcome or not outcome["success"]:
        raise ClassroomError(
            f"nbgrader release_feedback failed: {((outcome or {}).get('log') or '').strip().splitlines()[-1:]}"
        )


def export_grades(classroom: Classroom, to: Path) -> Path:
    """nbgrader's export, with the plugin nbgrader_config.py names (its CSV by default)."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin
    from traitlets.utils.importstring import import_item

    config = nbgrader_config(classroom)
    plugin_class = config.ExportApp.get("plugin_class", CsvExportPlugin)
    if isinstance(plugin_class, str):
        plugin_class = import_item(plugin_class)
    plugin = plugin_class(config=config)
    plugin.to = str(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        plugin.export(gb)
    return to


def _solution_cells(classroom: Classroom, name: str) -> set[str]:
    from nbgrader.api import Gradebook, MissingEntry

    if not (classroom.root / "gradebook.db").is_file():
        return set()
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        try:
            return {
                cell.name
                for cell in gb.find_notebook(classroom.notebook_id(name), classroom.folder(name)).solution_cells
            }
        except MissingEntry:
            return set()
