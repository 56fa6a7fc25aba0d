"""`autograder similarity`: rank the pairs of NAME's hand-ins that share the most code, for a person to read (never a verdict)."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.batch import discover
from autograder.cli.options import (
    config_of,
    console,
    course_id_option,
    course_root_option,
    exchange_option,
    language_option,
)
from autograder.errors import GraderError
from autograder.reports.terminal import print_similarity


@click.command("similarity")
@click.argument("name")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "-o",
    "page",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML page to write, the CSV beside it (default: FOLDER/similarity-NAME.html, or "
    "COURSE_ROOT/similarity/NN_NAME.html).",
)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Pairs shown side by side.")
@language_option
@course_root_option
@exchange_option
@course_id_option
@click.pass_context
def similarity_command(ctx, name, folder, page, top, language, course_root, exchange, course_id):
    """Rank the pairs of NAME's hand-ins that share the most code, for a person to read (never a verdict).

    FOLDER holds one subfolder or file per student (as for grade-all); without it, the
    submissions collect-grade filed under the course root.
    """
    from autograder.reports.similarity_page import write_similarity
    from autograder.similarity import class_similarity

    config = config_of(ctx)
    spec = config.assignment(name)
    if folder is not None:
        hand_ins, where = dict(discover(folder)), folder
        page = page or folder / f"similarity-{name}.html"
    else:
        from autograder.classroom.course import open_classroom
        from autograder.classroom.rounds import submitted_students

        classroom = open_classroom(config=config, root=course_root, exchange=exchange, course_id=course_id)
        hand_ins = {s: classroom.step_dir("submitted", name, s) for s in submitted_students(classroom, name)}
        where = classroom.root / "submitted"
        page = page or classroom.root / "similarity" / f"{classroom.folder(name)}.html"
    if len(hand_ins) < 2:
        raise GraderError(
            f"Found {len(hand_ins)} hand-in(s) of {name} in {where}; give the folder with one subfolder "
            f"or file per student (autograder similarity {name} FOLDER), or collect a round first."
        )
    report = class_similarity(config, name, hand_ins)
    language = language or config.course.language
    title = spec.title_ko if language == "ko" and spec.title_ko else spec.title
    written = write_similarity(
        report, page, language=language, title=f"{spec.number:02d} {title}", course=config.course.name, top=top
    )
    print_similarity(console, report, len(hand_ins), written)
