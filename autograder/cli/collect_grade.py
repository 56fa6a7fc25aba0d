"""`autograder collect-grade`: collect NAME, grade new submissions, write nbgrader's gradebook and feedback, export the CSV."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.cli.options import (
    classroom_of,
    console,
    course_id_option,
    course_root_option,
    exchange_option,
    executor_of,
    executor_options,
    isolation_option,
    language_option,
)
from autograder.grading import GradeOptions
from autograder.reports.terminal import print_round, round_progress


@click.command("collect-grade")
@click.argument("name")
@click.option(
    "--zip",
    "archives",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Collect from an LMS download instead of the exchange (repeatable).",
)
@click.option(
    "--pattern",
    default="canvas",
    show_default=True,
    help="How LMS file names name the student: canvas, moodle, or a regex with (?P<student_id>) and (?P<file_id>).",
)
@click.option("--no-collect", is_flag=True, help="Grade what already lies in COURSE_ROOT/submitted; collect nothing.")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once. Default: one per core for a numeric assignment, one per two cores for a "
    "model assignment (as grade-all).",
)
@click.option("--release-feedback", is_flag=True, help="Also put the feedback into the exchange for fetch_feedback.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where nbgrader's export writes the grades (default: COURSE_ROOT/grades.csv).",
)
@click.option("--seed", type=int, default=None, help="Replay a grading run with its seed.")
@executor_options
@isolation_option
@language_option
@course_root_option
@exchange_option
@course_id_option
@click.pass_context
def collect_grade_command(
    ctx,
    name,
    archives,
    pattern,
    no_collect,
    workers,
    release_feedback,
    csv_path,
    seed,
    executor,
    scheduler,
    local_workers,
    isolation,
    language,
    course_root,
    exchange,
    course_id,
):
    """Collect NAME, grade new submissions, write nbgrader's gradebook and feedback, export the CSV."""
    from autograder.classroom.rounds import RoundOptions, collect_grade

    cluster = executor_of(executor, scheduler, local_workers)  # None: here, on this machine
    options = RoundOptions(
        archives=archives,
        pattern=pattern,
        collect_new=not no_collect,
        grading=GradeOptions(seed=seed, isolation=isolation, language=language),
        workers=workers,
        release_feedback=release_feedback,
        csv=csv_path,
    )
    classroom = classroom_of(ctx, course_root, exchange, course_id)
    folder = classroom.folder(name)  # an unknown name is refused here, before the bar starts
    with round_progress(console, folder) as on_event:
        report = collect_grade(classroom, name, options, on_event=on_event, executor=cluster)
    print_round(report, classroom.root, console)
