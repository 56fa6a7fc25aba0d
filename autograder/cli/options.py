"""What several commands share: the console, grading.toml, and the options they take alike."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from autograder.batch import discover, grade_all
from autograder.config import load_config
from autograder.reports.terminal import batch_progress, print_not_graded

console = Console()


def config_of(ctx):
    return load_config(ctx.obj["config_path"])


def classroom_of(ctx, course_root, exchange, course_id):
    """The nbgrader course of grading.toml, where --course-root, --exchange and --course-id put it."""
    from autograder.classroom.course import open_classroom

    return open_classroom(config=config_of(ctx), root=course_root, exchange=exchange, course_id=course_id)


isolation_option = click.option(
    "--isolation",
    type=click.Choice(["auto", "subprocess"]),
    default=None,
    help="auto: bubblewrap, or refuse with the reason; subprocess: no sandbox, on purpose "
    "(default: grading.toml's course.isolation).",
)


language_option = click.option(
    "--language",
    type=click.Choice(["ko", "en"]),
    default=None,
    help="Feedback language (default: grading.toml's course.language).",
)


def executor_options(command):
    """--executor, --scheduler, --local-workers: where a batch runs."""
    command = click.option(
        "--local-workers",
        type=click.IntRange(min=1),
        default=None,
        help="With --executor dask: a LocalCluster of N worker processes on this machine.",
    )(command)
    command = click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="With --executor dask: the scheduler to send jobs to (tls://host:8786, or tcp://127.0.0.1 over SSH).",
    )(command)
    return click.option(
        "--executor",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="local: this machine, --workers at a time; dask: a Dask cluster.",
    )(command)


def executor_of(executor: str, scheduler: str | None, local_workers: int | None):
    if executor == "local":
        if scheduler or local_workers:
            raise click.UsageError("--scheduler and --local-workers go with --executor dask.")
        return None
    from autograder.cluster import DaskExecutor

    return DaskExecutor(scheduler=scheduler, local_workers=local_workers)


course_root_option = click.option(
    "--course-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="nbgrader's course root (default: $AUTOGRADER_COURSE_ROOT or classroom/ beside grading.toml).",
)


exchange_option = click.option(
    "--exchange",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="nbgrader's exchange folder (default: $AUTOGRADER_EXCHANGE or nbgrader's own).",
)


course_id_option = click.option(
    "--course-id",
    default=None,
    help="nbgrader course id (default: $AUTOGRADER_COURSE_ID or from grading.toml's course name).",
)


def grade_folder(config, folder, assignment, out, workers, options, executor=None):
    """grade_all with the terminal's bar: what several commands grade a folder of hand-ins with."""
    roster = discover(folder)
    print_not_graded(console, roster.ignored)
    with batch_progress(console, assignment, len(roster)) as on_event:
        return grade_all(
            folder,
            assignment,
            out,
            workers=workers,
            config=config,
            options=options,
            on_event=on_event,
            executor=executor,
        )
