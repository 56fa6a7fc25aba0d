"""`autograder export`: write the gradebook's totals (overrides and late penalties included) as the LMS's grade import file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autograder.cli.options import (
    classroom_of,
    console,
    course_id_option,
    course_root_option,
    exchange_option,
)
from autograder.errors import ExitCode
from autograder.reports.terminal import print_lms_export


@click.command("export")
@click.option(
    "--lms",
    required=True,
    type=click.Choice(["canvas", "moodle", "blackboard"]),
    help="The LMS whose grade import file to write.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write (default: COURSE_ROOT/lms-LMS.csv).",
)
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV mapping student ids to LMS ids; filled in where the course knows them "
    "(default: COURSE_ROOT/lms-roster.csv).",
)
@click.option(
    "--column-id",
    "column_ids",
    multiple=True,
    metavar="NAME=ID",
    help="The LMS's id of an assignment's column (Canvas assignment id, Blackboard column id); repeatable.",
)
@click.option(
    "--match",
    "moodle_match",
    type=click.Choice(["auto", "id_number", "email"]),
    default="auto",
    show_default=True,
    help="Moodle: which roster column identifies students.",
)
@course_root_option
@exchange_option
@course_id_option
@click.pass_context
def export_command(ctx, lms, out, roster, column_ids, moodle_match, course_root, exchange, course_id):
    """Write the gradebook's totals (overrides and late penalties included) as the LMS's grade import file."""
    from autograder.classroom.lms_export import export_lms

    ids = {}
    for item in column_ids:
        name, sep, ident = item.partition("=")
        if not sep or not name.strip() or not ident.strip():
            raise click.UsageError(f"--column-id takes NAME=ID (e.g. activations=12345), not {item!r}.")
        ids[name.strip()] = ident.strip()
    classroom = classroom_of(ctx, course_root, exchange, course_id)
    report = export_lms(classroom, lms, out=out, roster=roster, column_ids=ids, moodle_match=moodle_match)
    print_lms_export(report, console)
    if report.unmapped:
        sys.exit(ExitCode.NEEDS_ATTENTION)
