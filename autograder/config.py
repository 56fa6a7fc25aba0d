"""grading.toml: the course's settings, with every assignment's folder settings and the instructor's overrides.

grading.toml holds what is course-wide ([course], [limits]); each assignment's own settings
are in its folder's assignment.toml (autograder/assignments.py finds the folders), and an
[assignments.NAME] table of grading.toml overrides them key by key. Every mistake an instructor
can make in either file (unknown key, wrong type, negative limit, threshold outside [0, 1])
becomes one `ConfigError` sentence that names the file, the key and its line, so nobody
reads a pydantic traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from autograder.assignments import (
    DRIVERS,
    HIDDEN,
    Assignment,
    AssignmentFolder,
    find_folders,
    folder_name,
    read_settings,
    with_overrides,
)
from autograder.errors import ConfigError
from autograder.paths import REPO_ROOT
from autograder.toml_files import Settings, describe_invalid, read_toml

DEFAULT_CONFIG = REPO_ROOT / "grading.toml"  # this checkout's course, the last default (a development install)
COURSE_FILE = "grading.toml"
DATA_HOME_ENV = "AUTOGRADER_DATA_HOME"
CONFIG_ENV = "AUTOGRADER_CONFIG"
ASSIGNMENT_NAME = r"^[a-z][a-z0-9_]*$"
RELEASES = "assignments"  # beside grading.toml: one folder NN_NAME per assignment, as students get it


class Limits(Settings):
    """Resource limits for one submission's sandbox; each is enforced from outside.

    Times are seconds of this machine when idle (`sandbox/idleclock.py`): time the submission's
    threads spend waiting for a CPU that other work holds is not charged. A wall-clock backstop
    of `backstop` times each limit ends a grading that other work starves: "not graded, the
    machine was overloaded", graded again, never a 0. `time_scale` multiplies every time limit
    for a machine slower or faster than the one they were measured on (`autograder calibrate`).
    """

    wall_time: float = Field(300, gt=0, description="seconds for one whole submission")
    call_time: float = Field(20, gt=0, description="seconds for one call into student code")
    import_time: float = Field(30, gt=0, description="seconds to import the submission")
    backstop: float = Field(10, ge=1.5, le=100, description="wall-clock backstop, as a multiple of each time limit")
    time_scale: float = Field(
        1, gt=0, le=100, description="multiplies every time limit (a slower machine: more than 1)"
    )
    memory_mb: int = Field(4096, gt=0, description="address space of the student process")
    processes: int = Field(64, gt=0, description="processes and threads the student may own")
    file_size_mb: int = Field(256, gt=0, description="largest file the student may write")
    scratch_mb: int = Field(
        512, gt=0, description="what the student may keep in each writable folder (work, home, /tmp), in memory"
    )
    output_kb: int = Field(64, gt=0, description="stdout/stderr kept from the student")
    reply_mb: int = Field(64, gt=0, description="largest value one call may return")


class Course(Settings):
    name: str
    language: Literal["ko", "en"] = "en"
    data_home: str = "datasets/home"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    isolation: Literal["auto", "subprocess"] = "auto"
    solutions: str = Field(
        "solutions", description="the folder of the assignment folders (NN_NAME), relative to this file"
    )


class GradingConfig(Settings):
    course: Course
    limits: Limits = Limits()
    assignments: dict[Annotated[str, Field(pattern=ASSIGNMENT_NAME)], Assignment]
    source: Path = Field(DEFAULT_CONFIG, exclude=True)

    def assignment(self, name: str) -> Assignment:
        if name not in self.assignments:
            known = ", ".join(sorted(self.assignments)) or "none"
            raise ConfigError(f"There is no assignment {name!r} in {self.source}; known assignments: {known}.")
        return self.assignments[name]

    def limits_for(self, name: str) -> Limits:
        limits = self.limits.model_copy(update=self.assignment(name).limits.model_dump(exclude_none=True))
        scale = limits.time_scale
        return limits.model_copy(
            update={
                "wall_time": limits.wall_time * scale,
                "call_time": limits.call_time * scale,
                "import_time": limits.import_time * scale,
                "time_scale": 1.0,
            }
        )

    def folder_name(self, name: str) -> str:
        return folder_name(name, self.assignment(name).number)

    @property
    def solutions_dir(self) -> Path:
        """The folder of the assignment folders: grading.toml's course.solutions, beside it."""
        return self.source.parent / self.course.solutions

    def assignment_dir(self, name: str) -> Path:
        """solutions/NN_NAME: the assignment's one folder (settings, reference, public tests, hidden suite)."""
        return self.solutions_dir / self.folder_name(name)

    def release_dir(self, name: str) -> Path:
        """assignments/NN_NAME beside grading.toml: what students were given (the stub, the notebook, the public tests)."""
        return self.source.parent / RELEASES / self.folder_name(name)

    def drivers_file(self, name: str) -> Path | None:
        """The assignment's own sandbox-side drivers (its folder's drivers.py), or None when it has none."""
        path = self.assignment_dir(name) / DRIVERS
        return path if path.is_file() else None

    def suite_dir(self, name: str) -> Path:
        """The hidden suite: the assignment folder's hidden/, or the `suite` folder a grading.toml table names."""
        suite = self.assignment(name).suite
        if suite is None:
            return self.assignment_dir(name) / HIDDEN
        return (self.source.parent / suite).resolve()

    @property
    def data_home(self) -> Path:
        """The data home: $AUTOGRADER_DATA_HOME wins over grading.toml's course.data_home."""
        configured = os.environ.get(DATA_HOME_ENV) or self.course.data_home
        return (self.source.parent / Path(configured).expanduser()).resolve()


def default_config_path() -> Path:
    """$AUTOGRADER_CONFIG; else grading.toml in the current folder (a course, the package installed anywhere); else
    this checkout's own."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    here = Path.cwd() / COURSE_FILE
    if here.is_file() or not DEFAULT_CONFIG.is_file():
        return here
    return DEFAULT_CONFIG


def load_config(path: str | os.PathLike[str] | None = None) -> GradingConfig:
    """Read and validate grading.toml and the assignment folders beside it (`default_config_path()` when no path)."""
    path = Path(path or default_config_path())
    raw, text = read_toml(
        path,
        path.name,
        missing=f"No configuration file at {path}; create it or pass --config.",
        what=f"the configuration file {path}",
    )
    source = path.resolve()
    course = raw.get("course")
    solutions = course.get("solutions", "solutions") if isinstance(course, dict) else "solutions"
    folders = find_folders(source.parent / solutions) if isinstance(solutions, str) else {}
    try:
        return GradingConfig.model_validate(
            {**raw, "assignments": _assignments(raw, folders, source), "source": source}
        )
    except ValidationError as err:  # the folders' files were checked alone: the mistake is grading.toml's
        raise ConfigError(describe_invalid(err, text, path.name, GradingConfig)) from None


def _assignments(raw: dict[str, Any], folders: dict[str, AssignmentFolder], source: Path) -> Any:
    """Each folder's assignment.toml with grading.toml's [assignments.NAME] over it, then the tables with no folder."""
    overrides = raw.get("assignments", {})
    if not isinstance(overrides, dict):
        return overrides  # not a table: validation says so, with its line
    merged: dict[str, Any] = {}
    for name, folder in folders.items():
        table = overrides.get(name, {})
        if isinstance(table, dict) and "number" in table:
            raise ConfigError(
                f"{source.name}: remove [assignments.{name}]'s number; the assignment's number is its folder's "
                f"({folder.path.name})."
            )
        shown = folder.settings_file  # named from the course's folder where it lies inside it
        settings = read_settings(
            folder, (shown.relative_to(source.parent) if shown.is_relative_to(source.parent) else shown).as_posix()
        )
        merged[name] = with_overrides(settings, table) if isinstance(table, dict) else table
    return {**merged, **{name: table for name, table in overrides.items() if name not in folders}}
