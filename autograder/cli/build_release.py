"""`autograder build-release`: generate assignments/NN_NAME (stub .py, notebook, README, public tests) from solutions/NN_NAME."""

from __future__ import annotations

import sys

import click

from autograder.cli.options import (
    config_of,
    console,
)
from autograder.errors import ExitCode, GraderError
from autograder.reports.terminal import escape


@click.command("build-release")
@click.argument("names", nargs=-1)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 and name the files that a build would change.")
@click.pass_context
def build_release_command(ctx, names, check):
    """Generate assignments/NN_NAME (stub .py, notebook, README, public tests) from solutions/NN_NAME."""
    from autograder.course.layout import assignments_with_solutions, layout
    from autograder.course.release import build_release, release_is_current
    from autograder.errors import ReleaseError

    config = config_of(ctx)
    names = list(names) or assignments_with_solutions(config)
    if not names:
        raise GraderError(f"No reference solutions under {config.source.parent / 'solutions'}; nothing to release.")
    for name in names:
        config.assignment(name)  # an unknown name stops here, with the list of known ones
    stale, failed = [], 0
    for name in names:  # one broken assignment does not hold back the others
        try:
            if check:
                stale += release_is_current(name, config)
            else:
                files = build_release(name, config)
                folder = layout(name, config).release_dir
                console.print(
                    f"[green]released[/] {folder.relative_to(config.source.parent)}: "
                    + ", ".join(str(p.relative_to(folder)) for p in files),
                    highlight=False,
                )
        except ReleaseError as err:
            console.print(f"[red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
            failed += 1
    if failed:
        sys.exit(ExitCode.INSTRUCTOR_ERROR)
    if check:
        for path in stale:
            console.print(f"[red]stale:[/] {escape(str(path))}", highlight=False)
        if stale:
            console.print("Run `autograder build-release` to regenerate them.")
            sys.exit(ExitCode.NEEDS_ATTENTION)
        console.print(f"[green]Releases are current:[/] {', '.join(names)}", highlight=False)
