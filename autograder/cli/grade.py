"""`autograder grade`: grade one submission: a .py, a .ipynb or a folder holding it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from autograder.cli.options import (
    config_of,
    console,
    isolation_option,
    language_option,
)
from autograder.errors import GraderError
from autograder.files import write_atomically
from autograder.grading import GradeOptions, grade
from autograder.reports.terminal import print_result


@click.command("grade")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--assignment", "-a", required=True, help="Assignment name from grading.toml, e.g. activations.")
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the full result here."
)
@click.option(
    "--gradescope",
    "gradescope_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write Gradescope's results.json here.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the student's feedback page (one self-contained HTML file) here.",
)
@click.option("--seed", type=int, default=None, help="Replay a run with its seed.")
@isolation_option
@language_option
@click.pass_context
def grade_command(ctx, path, assignment, json_path, gradescope_path, html_path, seed, isolation, language):
    """Grade one submission: a .py, a .ipynb or a folder holding it."""
    result = grade(
        path, assignment, config=config_of(ctx), options=GradeOptions(seed=seed, isolation=isolation, language=language)
    )
    print_result(result, console)
    if json_path:
        write_atomically(json_path, result.model_dump_json(indent=2))
    if gradescope_path:
        write_atomically(gradescope_path, json.dumps(result.to_gradescope(), indent=2, ensure_ascii=False))
    if html_path:
        from autograder.reports.student_page import write_student_page

        try:
            write_student_page(result, html_path, data_home=config_of(ctx).data_home)
        except OSError as err:
            raise GraderError(f"Could not write the feedback page {html_path}: {err.strerror or err}.") from None
