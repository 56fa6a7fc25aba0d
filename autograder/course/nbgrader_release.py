"""Run nbgrader's own generate_assignment on one notebook, in a throw-away course.

The scratch course has the layout nbgrader expects (source/<assignment>/, release/...)
and its own gradebook database; nothing of it outlives the call. nbgrader clears the
solution regions, locks the read-only cells and records each cell's checksum, so the
released notebook carries the metadata its collect / autograde / feedback steps need.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from traitlets.config import Config

from autograder.course.cells import BEGIN_SOLUTION, END_SOLUTION
from autograder.errors import NbgraderError

GRADEBOOK = "gradebook.db"
_KEEP_ALIVE: list[tempfile.TemporaryDirectory] = []
CODE_STUB = "# 여기에 코드를 작성하세요 / YOUR CODE HERE\nraise NotImplementedError()"


def nbgrader_config() -> Config:
    """The configuration our releases are generated with (shared with later nbgrader steps)."""
    config = Config()
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    config.ClearSolutions.begin_solution_delimeter = BEGIN_SOLUTION
    config.ClearSolutions.end_solution_delimeter = END_SOLUTION
    config.ClearSolutions.enforce_metadata = True
    return config


def generate_assignment(
    assignment_id: str, notebook_name: str, notebook: NotebookNode, files: dict[str, bytes]
) -> dict[str, bytes]:
    """nbgrader's student version of `notebook` plus `files`, as name -> content."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log

    with tempfile.TemporaryDirectory(prefix="autograder-nbgrader-") as root:
        source = Path(root, "source", assignment_id)
        source.mkdir(parents=True)
        nbformat.write(notebook, source / notebook_name, version=4)
        for name, content in files.items():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes(content)
        shutil.copyfile(_empty_gradebook(), Path(root, GRADEBOOK))
        config = nbgrader_config()
        coursedir = CourseDirectory(config=config, root=root, assignment_id=assignment_id)
        app = GenerateAssignment(coursedir=coursedir, config=config)
        app.force = True
        app.log.setLevel(logging.WARNING)
        with _alembic_on_path():
            outcome = capture_log(app)
        if not outcome["success"]:
            raise NbgraderError(
                f"nbgrader could not generate {assignment_id}: {outcome.get('log') or outcome.get('error')}"
            )
        released = Path(root, "release", assignment_id)
        return {
            str(path.relative_to(released)): path.read_bytes() for path in sorted(released.rglob("*")) if path.is_file()
        }


@functools.cache
def _empty_gradebook() -> Path:
    """A new, empty gradebook database, made once per process and copied into each scratch course.

    Creating one runs `alembic` in a subprocess (seconds); a copy is instant.
    """
    from nbgrader.api import Gradebook

    folder = tempfile.TemporaryDirectory(prefix="autograder-gradebook-")
    _KEEP_ALIVE.append(folder)  # removed when the process exits
    path = Path(folder.name, GRADEBOOK)
    with _alembic_on_path(), Gradebook(f"sqlite:///{path}"):
        pass
    return path


@contextlib.contextmanager
def _alembic_on_path():
    """nbgrader's gradebook runs the `alembic` command, which lives beside our Python."""
    before = os.environ.get("PATH", "")
    if shutil.which("alembic") is None:
        os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), before])
    try:
        yield
    finally:
        os.environ["PATH"] = before
