"""`autograder gradescope`: build a Gradescope autograder zip for one assignment (upload it as "Zip file")."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.cli.options import (
    config_of,
    console,
)


@click.command("gradescope")
@click.argument("assignment")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the zip (default: build/gradescope/ASSIGNMENT.zip beside grading.toml).",
)
@click.pass_context
def gradescope_command(ctx, assignment, out):
    """Build a Gradescope autograder zip for one assignment (upload it as "Zip file")."""
    from autograder.deploy.gradescope import build_package
    from autograder.reports.terminal import print_gradescope_zip

    path = build_package(
        assignment,
        out or config_of(ctx).source.parent / "build" / "gradescope" / f"{assignment}.zip",
        config=config_of(ctx),
    )
    print_gradescope_zip(console, path, config_of(ctx).assignment(assignment).file)
