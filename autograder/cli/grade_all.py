"""`autograder grade-all`: grade every student's submission in FOLDER; resumes where an earlier run stopped."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.cli.options import (
    config_of,
    console,
    executor_of,
    executor_options,
    grade_folder,
    isolation_option,
    language_option,
)
from autograder.grading import GradeOptions
from autograder.reports.terminal import print_gradebook


@click.command("grade-all")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--assignment", "-a", required=True)
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once (local executor). Default: what this machine's cores can feed: one per core "
    "for a numeric assignment, one per two cores for a model assignment (never more trainings than cores); "
    "each sandbox gets its share of the cores as threads.",
)
@executor_options
@isolation_option
@language_option
@click.pass_context
def grade_all_command(ctx, folder, assignment, out, workers, executor, scheduler, local_workers, isolation, language):
    """Grade every student's submission in FOLDER; resumes where an earlier run stopped."""
    results = grade_folder(
        config_of(ctx),
        folder,
        assignment,
        out,
        workers,
        GradeOptions(isolation=isolation, language=language),
        executor=executor_of(executor, scheduler, local_workers),
    )
    print_gradebook(results, console, title=f"{assignment}: {len(results)} submissions → {out}/gradebook.csv")
