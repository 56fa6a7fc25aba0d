"""`autograder grade-examples`: grade the example class of every assignment (reference, stub, variants) and print the gradebook."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autograder.cli.options import (
    config_of,
    console,
    grade_folder,
    isolation_option,
    language_option,
)
from autograder.errors import ExitCode
from autograder.grading import GradeOptions
from autograder.reports.terminal import print_examples


@click.command("grade-examples")
@click.option("--assignment", "-a", "names", multiple=True, help="Only this assignment (repeatable); default: all.")
@click.option("--skip-models", is_flag=True, help='Leave out assignments of kind "model", which train networks.')
@click.option(
    "--out",
    "-o",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the results go (default: build/example-grades beside grading.toml).",
)
@click.option("--workers", "-w", default=2, show_default=True)
@isolation_option
@language_option
@click.pass_context
def grade_examples_command(ctx, names, skip_models, out, workers, isolation, language):
    """Grade the example class of every assignment (reference, stub, variants) and print the gradebook."""
    from autograder.course.examples import grade_examples

    config = config_of(ctx)
    out = out or config.source.parent / "build" / "example-grades"
    options = GradeOptions(isolation=isolation, language=language)

    def grade(folder: Path, name: str, into: Path) -> list:
        return grade_folder(config, folder, name, into, workers, options)

    run = grade_examples(config, names, out, grade, skip_models=skip_models)
    print_examples(console, run.results, run.unmet, out)
    if run.unmet:
        sys.exit(ExitCode.NEEDS_ATTENTION)
