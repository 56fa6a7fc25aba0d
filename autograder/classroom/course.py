"""Where nbgrader's course lives: its root, course id, exchange, and the folder mapping.

nbgrader's `source` step must hold notebooks with their solutions, while our one source of
truth is solutions/NN_NAME/F, a percent-format .py. So the source step is a generated
folder (<root>/source/NN_NAME, rebuilt from solutions/ on every release) and nbgrader's
`release` step is the repository's own assignments/ folder, given as an absolute path.
Everything that holds students' work (submitted, autograded, feedback, gradebook.db)
stays under the course root, by default classroom/ beside grading.toml.

Each setting is taken from, in this order: the caller (a command-line flag), an
environment variable, grading.toml.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

from autograder.config import RELEASES, GradingConfig, load_config

COURSE_ROOT_ENV = "AUTOGRADER_COURSE_ROOT"
EXCHANGE_ENV = "AUTOGRADER_EXCHANGE"
COURSE_ID_ENV = "AUTOGRADER_COURSE_ID"
DEFAULT_ROOT = "classroom"
SOURCE_STEP = "source"
CONFIG_FILE = "nbgrader_config.py"
GRADES_CSV = "grades.csv"


@dataclass(frozen=True)
class Classroom:
    """One course as nbgrader sees it, tied to the grading.toml that names its assignments."""

    config: GradingConfig
    root: Path  # nbgrader's CourseDirectory.root
    course_id: str
    exchange: Path | None  # None: nbgrader's own default exchange

    @property
    def home(self) -> Path:
        """The folder of grading.toml, which holds solutions/ and assignments/."""
        return self.config.source.parent

    @property
    def release_dir(self) -> Path:
        return self.home / RELEASES

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def folder(self, name: str) -> str:
        """nbgrader's assignment id: the folder name NN_NAME."""
        return self.config.folder_name(name)

    def notebook_id(self, name: str) -> str:
        """nbgrader's notebook id: the stem of the student's file (`activations`)."""
        return Path(self.config.assignment(name).file).stem

    def step_dir(self, step: str, name: str, student: str = ".") -> Path:
        """<root>/<step>/<student>/NN_NAME, as nbgrader's directory_structure spells it."""
        return Path(os.path.normpath(self.root / step / student / self.folder(name)))

    def results_dir(self, name: str) -> Path:
        """Our grader's JSON results, one per student, kept to resume and to skip regrading."""
        return self.root / "results" / self.folder(name)

    def grades_dir(self, name: str) -> Path:
        """What the gradebook held for each student when collect-grade last published (STUDENT.json)."""
        return self.root / "grades" / self.folder(name)

    def instructor_config(self) -> Config:
        """The instructor's nbgrader_config.py beside grading.toml, with this course's paths on top.

        Enough for a step that only reads the instructor's settings (the late-penalty plug-in);
        a step that runs our parts in nbgrader uses plug_ins.nbgrader_config.
        """
        config = Config()
        path = self.home / CONFIG_FILE
        if path.is_file():
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(self.home)).load_config())
        return configure_paths(config, self)


def open_classroom(
    config_path: str | os.PathLike | None = None,
    *,
    root: str | os.PathLike | None = None,
    exchange: str | os.PathLike | None = None,
    course_id: str | None = None,
    config: GradingConfig | None = None,
) -> Classroom:
    """The course for grading.toml at `config_path` (or $AUTOGRADER_CONFIG, or the repository's)."""
    config = config or load_config(config_path)
    root = Path(root or os.environ.get(COURSE_ROOT_ENV) or config.source.parent / DEFAULT_ROOT)
    exchange = exchange or os.environ.get(EXCHANGE_ENV) or None
    course_id = course_id or os.environ.get(COURSE_ID_ENV) or default_course_id(config)
    return Classroom(
        config, root.expanduser().resolve(), course_id, Path(exchange).expanduser().resolve() if exchange else None
    )


def default_course_id(config: GradingConfig) -> str:
    """grading.toml's course.id if it has one, else its name in lower-case ASCII words joined by '-'."""
    explicit = getattr(config.course, "id", None)
    if explicit:
        return str(explicit)
    words = re.findall(r"[a-z0-9]+", config.course.name.lower())
    return "-".join(words) or "course"


def configure_paths(c: Config, classroom: Classroom) -> Config:
    """Set nbgrader's course directory, course id, release folder, database and exchange for `classroom`, in place.

    Only where the course lives: our parts in nbgrader's steps (the refused autograde, the
    totals) are plugged in by classroom/plug_ins.py, which reads the gradebook, so this module,
    which everything in classroom/ imports, never imports what reads the gradebook.
    """
    from autograder.course.nbgrader_release import nbgrader_config as release_config

    c.merge(release_config())  # the same solution markers and code stub as build-release
    c.CourseDirectory.root = str(classroom.root)
    c.CourseDirectory.course_id = classroom.course_id
    c.CourseDirectory.source_directory = SOURCE_STEP
    c.CourseDirectory.release_directory = str(classroom.release_dir)
    c.CourseDirectory.db_url = classroom.db_url
    if classroom.exchange is not None:
        c.Exchange.root = str(classroom.exchange)
    return c


@contextlib.contextmanager
def nbgrader_environment() -> Iterator[None]:
    """nbgrader's gradebook calls the `alembic` command, which lives beside our Python.

    Also hides the SQLAlchemy warnings nbgrader's own add_submission emits on every new
    submission: they are about nbgrader's code, and say nothing an instructor can act on.
    """
    before = os.environ.get("PATH", "")
    if shutil.which("alembic") is None:
        os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), before])
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session")
            yield
    finally:
        os.environ["PATH"] = before


def __getattr__(name: str) -> object:
    """`from autograder.classroom.course import configure` in a course's nbgrader_config.py from before
    classroom/plug_ins.py still works: the name is looked up there when asked for, so this map of the course never
    imports what plugs into nbgrader (which reads the course)."""
    if name == "configure":
        import importlib

        return importlib.import_module("autograder.classroom.plug_ins").configure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
