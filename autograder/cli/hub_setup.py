"""`autograder hub-setup`: as root: groups, exchange, course folder modes and JupyterHub's configuration for one course on a shared hub."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.cli.options import (
    classroom_of,
    console,
    course_id_option,
    course_root_option,
    exchange_option,
)
from autograder.reports.terminal import print_hub_setup


@click.command("hub-setup")
@click.option(
    "--instructor",
    "instructors",
    multiple=True,
    required=True,
    metavar="USER",
    help="An instructor's Unix account (repeatable; the first owns the course folder).",
)
@click.option(
    "--students",
    "students",
    multiple=True,
    metavar="USER[,USER...]",
    help="Students' Unix accounts (repeatable, or comma-separated).",
)
@click.option(
    "--student-list",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A file with one student account a line.",
)
@click.option(
    "--hub-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("/srv/jupyterhub"),
    show_default=True,
    help="Where the hub's configuration goes (run `jupyterhub -f HUB_DIR/jupyterhub_config.py` from there).",
)
@click.option(
    "--graders-group", default=None, help="Unix group of the course's instructors (default: COURSE_ID-graders)."
)
@click.option(
    "--students-group", default=None, help="Unix group of the course's members (default: COURSE_ID-students)."
)
@course_root_option
@exchange_option
@course_id_option
@click.pass_context
def hub_setup_command(
    ctx, instructors, students, student_list, hub_dir, graders_group, students_group, course_root, exchange, course_id
):
    """As root: groups, exchange, course folder modes and JupyterHub's configuration for one course on a shared hub."""
    from autograder.classroom.hub import hub_setup

    names = [n.strip() for group in students for n in group.split(",") if n.strip()]
    if student_list:
        names += [
            line.strip()
            for line in student_list.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    classroom = classroom_of(ctx, course_root, exchange, course_id)
    done = hub_setup(
        classroom,
        instructors=list(instructors),
        students=list(dict.fromkeys(names)),
        hub_dir=hub_dir,
        exchange=exchange,
        graders_group=graders_group,
        students_group=students_group,
    )
    print_hub_setup(done, hub_dir, console)
