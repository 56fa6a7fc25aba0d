"""`autograder release`: build assignments/NN_NAME if stale, then nbgrader generate_assignment and release_assignment."""

from __future__ import annotations

import click

from autograder.cli.options import (
    classroom_of,
    console,
    course_id_option,
    course_root_option,
    exchange_option,
)
from autograder.reports.terminal import print_released, release_progress


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
    from autograder.classroom.release import STEPS, release

    classroom = classroom_of(ctx, course_root, exchange, course_id)
    folder = classroom.folder(name)  # an unknown name is refused here, before the bar starts
    with release_progress(console, folder, STEPS) as on_event:
        outbound = release(classroom, name, due=due, on_event=on_event)
    print_released(console, folder, classroom.course_id, outbound)
