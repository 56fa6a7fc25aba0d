"""`autograder build-release`: turn solutions/NN_NAME into the students' assignments/NN_NAME.

The reference solution (a jupytext percent script) becomes a notebook with nbgrader cell
metadata; nbgrader's generate_assignment clears the solution regions; the released
notebook is written as NAME.ipynb and, through jupytext again, as the plain .py stub.
README.md, the public tests and any other file of the solution folder come along
unchanged. Output is deterministic, so `--check` can compare it byte for byte.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.config import GradingConfig, load_config
from autograder.course.cells import mark_for_nbgrader
from autograder.course.conversion import notebook_from_percent, notebook_text, percent_from_notebook
from autograder.course.guard import marker_problems, release_problems
from autograder.course.layout import AssignmentLayout, is_ignored, layout
from autograder.course.nbgrader_release import NbgraderError, generate_assignment


class ReleaseError(Exception):
    """A release cannot be generated, or would leak an answer; the text says where."""


def render_release(name: str, config: GradingConfig | None = None) -> dict[str, bytes]:
    """The files of assignments/NN_NAME as they should be, without writing anything."""
    spot = layout(name, config or load_config())
    source_path = spot.solution_file
    if not source_path.is_file():
        raise ReleaseError(f"There is no reference solution at {source_path}; write it before releasing {name!r}.")
    source = source_path.read_text(encoding="utf-8")
    where = str(source_path.relative_to(spot.root))
    notebook = mark_for_nbgrader(notebook_from_percent(source))
    problems = marker_problems(notebook, where)
    if problems:
        raise ReleaseError(" ".join(problems))
    extras = _companion_files(spot)
    try:
        released = generate_assignment(spot.folder, spot.notebook, notebook, extras)
    except NbgraderError as err:
        raise ReleaseError(str(err)) from None
    released_notebook = nbformat.reads(released.pop(spot.notebook).decode("utf-8"), as_version=4)
    files = {
        spot.file: percent_from_notebook(released_notebook).encode("utf-8"),
        spot.notebook: notebook_text(released_notebook).encode("utf-8"),
        **released,
    }
    problems = release_problems(source, notebook, released_notebook, files)
    if problems:
        raise ReleaseError(f"Refusing to release {name!r} from {where}: " + " ".join(problems))
    return dict(sorted(files.items()))


def build_release(name: str, config: GradingConfig | None = None) -> list[Path]:
    """(Re)write assignments/NN_NAME from its source; returns the files it now holds."""
    config = config or load_config()
    spot = layout(name, config)
    files = render_release(name, config)
    target = spot.release_dir
    for stale in _released_files(target):
        if str(stale.relative_to(target)) not in files:
            stale.unlink()
    written = []
    for relative, content in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
        written.append(path)
    return written


def release_is_current(name: str, config: GradingConfig | None = None) -> list[str]:
    """The released files (relative to the course root) that differ from a fresh build."""
    config = config or load_config()
    spot = layout(name, config)
    files = render_release(name, config)
    target = spot.release_dir
    stale = []
    for relative, content in files.items():
        path = target / relative
        if not path.is_file() or path.read_bytes() != content:
            stale.append(str(path.relative_to(spot.root)))
    for path in _released_files(target):
        if str(path.relative_to(target)) not in files:
            stale.append(str(path.relative_to(spot.root)))
    return sorted(stale)


def _companion_files(spot: AssignmentLayout) -> dict[str, bytes]:
    """Everything of the solution folder but the solution itself: README, public tests, data."""
    found = {}
    for path in sorted(spot.solution_dir.rglob("*")):
        relative = path.relative_to(spot.solution_dir)
        if path.is_file() and not is_ignored(relative) and str(relative) not in (spot.file, spot.notebook):
            found[str(relative)] = path.read_bytes()
    return found


def _released_files(target: Path) -> list[Path]:
    if not target.is_dir():
        return []
    return [p for p in sorted(target.rglob("*")) if p.is_file() and not is_ignored(p.relative_to(target))]
