"""Does nbgrader's own autograde refuse, run no student code and leave our autograded work alone?

`nbgrader autograde` and formgrader's Autograde button would execute each submitted
notebook in a kernel outside the sandbox. The course folder holds what an instructor keeps
(grading.toml, the unedited nbgrader_config.py), the assignment and its notebook in the
gradebook, and one submission whose cell writes a file: everything nbgrader needs to run
it, as the control run without our guard shows. With the guard the file never appears.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.classroom.course import nbgrader_environment
from autograder.classroom.plug_ins import nbgrader_config
from tests.support import mini_course

FOLDER, STUDENT = "01_activations", "mallory"
COMMAND = "autograder collect-grade activations"


@pytest.fixture
def refused_course(tmp_path):
    classroom = mini_course(tmp_path / "course", tmp_path / "exchange")
    marker = tmp_path / "student-code-ran"
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w').write('ran')"))
    submitted = classroom.step_dir("submitted", "activations", STUDENT)
    submitted.mkdir(parents=True)
    nbformat.write(notebook, submitted / "activations.ipynb")
    ours = classroom.step_dir("autograded", "activations", STUDENT) / "activations.ipynb"
    ours.parent.mkdir(parents=True)
    ours.write_text("our autograded notebook", encoding="utf-8")
    from nbgrader.api import Gradebook

    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        gb.update_or_create_assignment(FOLDER)
        gb.add_notebook("activations", FOLDER)
    return classroom, marker, ours


def _submissions(classroom) -> list[str]:
    from nbgrader.api import Gradebook

    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        return [s.student.id for s in gb.find_assignment(FOLDER).submissions]


def _autograde(classroom, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("nbgrader")), "autograde", FOLDER, "--force", *options],
        cwd=classroom.home,
        env=_environment(classroom),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _environment(classroom) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER_")}
    env["AUTOGRADER_EXCHANGE"] = str(classroom.exchange)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def test_nbgrader_autograde_command_refuses(refused_course):
    """`nbgrader autograde 01_activations --force` exits non-zero naming our command; nothing ran or changed."""
    classroom, marker, ours = refused_course
    done = _autograde(classroom)
    assert done.returncode != 0
    assert COMMAND in done.stderr and "outside the sandbox" in done.stderr, done.stderr
    assert not marker.exists()
    assert ours.read_text(encoding="utf-8") == "our autograded notebook"  # not cleared, not overwritten
    assert _submissions(classroom) == []  # nbgrader stopped before touching the gradebook


def test_without_the_guard_nbgrader_would_run_the_student_code(refused_course):
    """The control: the same course with nbgrader's own exporter runs the student's cell (so the test above means something)."""
    classroom, marker, _ = refused_course
    _autograde(classroom, "--Autograde.exporter_class=nbconvert.exporters.NotebookExporter")
    assert marker.read_text() == "ran"


def test_formgrader_autograde_button_refuses(refused_course):
    """The call behind formgrader's Autograde button answers failure, with our sentence in the log it shows."""
    from nbgrader.apps.api import NbGraderAPI

    classroom, marker, ours = refused_course
    with nbgrader_environment():
        outcome = NbGraderAPI(config=nbgrader_config(classroom)).autograde(FOLDER, STUDENT)
    assert outcome["success"] is False
    assert COMMAND in outcome["log"] and "Traceback" not in outcome["log"]
    assert not marker.exists()
    assert ours.read_text(encoding="utf-8") == "our autograded notebook"
