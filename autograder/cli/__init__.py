"""The `autograder` command: click wiring only, one module a command; the work lives in the library and the
text in autograder/reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from autograder.cli.options import console
from autograder.errors import ExitCode, InstructorError
from autograder.reports.terminal import print_error


class _Errors(click.Group):
    """Turns every error an instructor can fix into its one sentence and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InstructorError as err:
            print_error(console, str(err))
            sys.exit(ExitCode.INSTRUCTOR_ERROR)


@click.group(cls=_Errors)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="grading.toml to use (default: $AUTOGRADER_CONFIG or the repository's).",
)
@click.option(
    "-v", "--verbose", count=True, help="Say what the grader does: -v its steps, -vv its details (on stderr)."
)
@click.pass_context
def main(ctx, config_path, verbose):
    """Grade deep-learning assignments with hidden tests, in a sandbox.

    Exit status: 0 done; 1 done, and something needs you (said above it); 2 could not run (one sentence says why).
    """
    ctx.obj = {"config_path": config_path}
    _log_to_stderr(verbose)


def _log_to_stderr(verbose: int) -> None:
    """-v: the library's INFO log lines on stderr, -vv: DEBUG; without it, warnings only. Student text never goes here."""
    import logging

    from rich.logging import RichHandler

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = RichHandler(console=Console(stderr=True), show_path=False, markup=False, rich_tracebacks=False)
    logger = logging.getLogger("autograder")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


from autograder.cli import (  # noqa: E402  (each registers below)
    build_release,
    calibrate,
    check_sandbox,
    collect_grade,
    data,
    export,
    grade,
    grade_all,
    grade_examples,
    gradescope,
    hub_setup,
    release,
    report,
    similarity,
    worker,
)

main.add_command(grade.grade_command)
main.add_command(check_sandbox.check_sandbox_command)
main.add_command(calibrate.calibrate_command)
main.add_command(grade_all.grade_all_command)
main.add_command(report.report_command)
main.add_command(grade_examples.grade_examples_command)
main.add_command(build_release.build_release_command)
main.add_command(worker.worker_command)
main.add_command(data.data_group)
main.add_command(gradescope.gradescope_command)
main.add_command(release.release_command)
main.add_command(collect_grade.collect_grade_command)
main.add_command(export.export_command)
main.add_command(hub_setup.hub_setup_command)
main.add_command(similarity.similarity_command)
