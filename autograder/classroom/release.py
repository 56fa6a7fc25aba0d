"""`autograder release NAME`: build the student files, register them with nbgrader, publish them.

nbgrader's generate_assignment runs on a source notebook generated from solutions/ (see
course.py), writing the same assignments/NN_NAME that build-release writes and recording
the assignment, its cells and their checksums in the gradebook. build-release stays the
one writer of the released bytes: whatever nbgrader writes differently (never the
content, at most the formatting) is put back. release_assignment then copies the folder
into the exchange, only when the exchange does not already hold the same files.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import nbformat

from autograder.classroom.course import Classroom, nbgrader_environment
from autograder.errors import ClassroomError
from autograder.progress import Event, OnEvent, ignore

STEPS = ("build-release", "generate_assignment", "release_assignment")  # the steps `release` reports, in order


def release(classroom: Classroom, name: str, *, due: str | None = None, on_event: OnEvent | None = None) -> Path:
    """Build, generate and release `name`; returns the exchange folder students fetch from."""
    event = on_event or ignore
    build, generate_step, publish_step = STEPS
    event(Event.step(build))
    build_student_files(classroom, name)
    event(Event.step(generate_step))
    generate(classroom, name)
    if due is not None:
        set_due_date(classroom, name, due)
    event(Event.step(publish_step))
    return publish(classroom, name)


def build_student_files(classroom: Classroom, name: str) -> list[Path]:
    """assignments/NN_NAME from solutions/NN_NAME (rewrites only files that changed)."""
    from autograder.course.release import build_release

    return build_release(name, classroom.config)  # a ReleaseError says what to fix, as build-release says it


def stage_source(classroom: Classroom, name: str) -> Path:
    """<root>/source/NN_NAME: the solution notebook nbgrader starts from, plus the released files."""
    from autograder.course.layout import is_ignored, layout
    from autograder.course.release import source_notebook

    spot = layout(name, classroom.config)
    released = classroom.release_dir / classroom.folder(name)
    if not (released / spot.notebook).is_file():
        raise ClassroomError(f"{released / spot.notebook} does not exist; run `autograder release {name}` to build it.")
    source = classroom.step_dir("source", name)
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    # the same cells build-release gives nbgrader, self-check cells included
    notebook, _ = source_notebook(spot, spot.file, language=classroom.config.course.language)
    nbformat.write(notebook, source / spot.notebook, version=4)
    for path in sorted(released.rglob("*")):
        relative = path.relative_to(released)
        if path.is_file() and not is_ignored(relative) and path.suffix != ".ipynb":
            (source / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, source / relative)
    return source


def generate(classroom: Classroom, name: str) -> None:
    """nbgrader generate_assignment into assignments/NN_NAME, recorded in the gradebook."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import SaveCells
    from nbgrader.utils import capture_log

    from autograder.classroom.plug_ins import nbgrader_config

    stage_source(classroom, name)
    folder = classroom.folder(name)
    released = classroom.release_dir / folder
    before = {p.relative_to(released): p.read_bytes() for p in released.rglob("*") if p.is_file()}
    config = nbgrader_config(classroom)
    with nbgrader_environment():
        if _has_submissions(classroom, name):
            # nbgrader refuses to change a graded notebook's cells; the gradebook keeps its record.
            config.GenerateAssignment.no_database = True
            defaults = GenerateAssignment.class_traits()["preprocessors"].default()
            config.GenerateAssignment.preprocessors = [p for p in defaults if p is not SaveCells]
        coursedir = CourseDirectory(config=config, assignment_id=folder)
        app = GenerateAssignment(coursedir=coursedir, config=config)
        app.force = True
        app.create_assignment = True
        outcome = capture_log(app)
    if not outcome["success"]:
        _restore(released, before)
        raise ClassroomError(f"nbgrader generate_assignment failed for {folder}: {_last_lines(outcome)}")
    _check_same_release(released, before)
    _restore(released, before)


def _check_same_release(released: Path, before: dict[Path, bytes]) -> None:
    """nbgrader's notebook must carry the same cells as build-release's, or the gradebook would lie."""
    for relative, content in before.items():
        if relative.suffix != ".ipynb":
            continue
        ours = nbformat.reads(content.decode("utf-8"), as_version=4)
        theirs = nbformat.read(released / relative, as_version=4)
        if [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in ours.cells] != [
            (c.cell_type, c.source, c.metadata.get("nbgrader")) for c in theirs.cells
        ]:
            raise ClassroomError(
                f"nbgrader's {relative} differs from build-release's; rebuild with "
                f"`autograder build-release` and report the difference."
            )


def _restore(released: Path, before: dict[Path, bytes]) -> None:
    released.mkdir(parents=True, exist_ok=True)
    for path in [p for p in released.rglob("*") if p.is_file()]:
        if path.relative_to(released) not in before:
            path.unlink()
    for relative, content in before.items():
        path = released / relative
        if not path.is_file() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def set_due_date(classroom: Classroom, name: str, due: str) -> None:
    """Record the due date where nbgrader keeps it: the gradebook's assignment row."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    try:
        when = parse_utc(due)
    except (ValueError, OverflowError):
        raise ClassroomError(
            f"Cannot read the due date {due!r}; write it like '2025-03-14 23:59:00 Asia/Seoul' "
            f"or '2025-03-14T23:59:00+09:00'."
        ) from None
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        gb.update_or_create_assignment(classroom.folder(name), duedate=when)


def publish(classroom: Classroom, name: str) -> Path:
    """nbgrader release_assignment, skipped when the exchange already holds the same files."""
    from nbgrader.apps.api import NbGraderAPI

    from autograder.classroom.plug_ins import nbgrader_config

    folder = classroom.folder(name)
    config = nbgrader_config(classroom)
    config.ExchangeReleaseAssignment.force = True
    with nbgrader_environment():
        api = NbGraderAPI(config=config)
        outbound = Path(api.exchange_root) / classroom.course_id / "outbound" / folder
        if outbound.is_dir() and _same_tree(classroom.release_dir / folder, outbound):
            return outbound
        outcome = api.release_assignment(folder)
    if not outcome or not outcome["success"]:
        raise ClassroomError(
            f"nbgrader release_assignment failed for {folder}: {_last_lines(outcome or {})} "
            f"(choose the exchange with --exchange or $AUTOGRADER_EXCHANGE)."
        )
    return outbound


def _same_tree(left: Path, right: Path) -> bool:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__", ".ipynb_checkpoints"])

    def same(c: filecmp.dircmp) -> bool:
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        return not mismatch and not errors and all(same(sub) for sub in c.subdirs.values())

    return same(comparison)


def _has_submissions(classroom: Classroom, name: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry

    if not (classroom.root / "gradebook.db").is_file():
        return False
    with Gradebook(classroom.db_url, classroom.course_id) as gb:
        try:
            return len(gb.find_assignment(classroom.folder(name)).submissions) > 0
        except MissingEntry:
            return False


def _last_lines(outcome: dict) -> str:
    text = (outcome.get("log") or "") + (outcome.get("error") or "")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines[-3:]) or "no log"
