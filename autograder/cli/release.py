"""`autograder release`: build assignments/NN_NAME if stale, then nbgrader generate_assignment and release_assignment."""

from __future__ import annotations

import click

from autograder.cli.options import (
    config_of,
    console,
    course_id_option,
    course_root_option,
    exchange_option,
)


@click.command("release")
@click.argument("name")
@click.option(
    "--due", default=None, help="Due date stored in nbgrader's gradebook, e.g. '2025-03-14 23:59:00 Asia/Seoul'."
)
@course_root_option
@exchange_option
@course_id_option
@click.pass_context
def release_command(ctx, name, due, course_root, exchange, course_id):
    """Build assignments/NN_NAME if stale, then nbgrader generate_assignment and release_assignment."""
    from autograder.classroom.commands import run_release

    run_release(
        config_of(ctx), name, due=due, root=course_root, exchange=exchange, course_id=course_id, console=console
    )
