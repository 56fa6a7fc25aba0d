"""`autograder build-release`: generate assignments/NN_NAME (stub .py, notebook, README, public tests) from solutions/NN_NAME."""

from __future__ import annotations

import sys

import click

from autograder.cli.options import (
    config_of,
    console,
)
from autograder.errors import ExitCode, GraderError
from autograder.reports.terminal import print_error, print_release_built, print_release_check


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
                print_release_built(
                    console, str(folder.relative_to(config.source.parent)), [str(p.relative_to(folder)) for p in files]
                )
        except ReleaseError as err:
            print_error(console, str(err))
            failed += 1
    if failed:
        sys.exit(ExitCode.INSTRUCTOR_ERROR)
    if check:
        print_release_check(console, names, [str(path) for path in stale])
        if stale:
            sys.exit(ExitCode.NEEDS_ATTENTION)
