"""grading.toml: the instructor's one configuration file, loaded into a validated model.

Every mistake an instructor can make in the file (unknown key, wrong type, negative
limit, threshold outside [0, 1]) becomes one `ConfigError` sentence that names the key
and its line, so nobody reads a pydantic traceback.
"""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from autograder.paths import REPO_ROOT

DEFAULT_CONFIG = REPO_ROOT / "grading.toml"
DATA_HOME_ENV = "AUTOGRADER_DATA_HOME"
CONFIG_ENV = "AUTOGRADER_CONFIG"


class ConfigError(Exception):
    """A problem in grading.toml, phrased for the instructor who wrote it."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Strict):
    """Resource limits for one submission's sandbox; each is enforced from outside."""

    wall_time: float = Field(300, gt=0, description="seconds for one whole submission")
    call_time: float = Field(20, gt=0, description="seconds for one call into student code")
    import_time: float = Field(30, gt=0, description="seconds to import the submission")
    memory_mb: int = Field(4096, gt=0, description="address space of the student process")
    processes: int = Field(64, gt=0, description="processes and threads the student may own")
    file_size_mb: int = Field(256, gt=0, description="largest file the student may write")
    output_kb: int = Field(64, gt=0, description="stdout/stderr kept from the student")
    reply_mb: int = Field(64, gt=0, description="largest value one call may return")


class LimitsOverride(_Strict):
    """Per-assignment overrides: any key of [limits], all optional."""

    wall_time: float | None = Field(None, gt=0)
    call_time: float | None = Field(None, gt=0)
    import_time: float | None = Field(None, gt=0)
    memory_mb: int | None = Field(None, gt=0)
    processes: int | None = Field(None, gt=0)
    file_size_mb: int | None = Field(None, gt=0)
    output_kb: int | None = Field(None, gt=0)
    reply_mb: int | None = Field(None, gt=0)


class Assignment(_Strict):
    number: int = Field(ge=0, le=99)
    title: str
    title_ko: str | None = None
    file: str = Field(description="the file the student submits, e.g. activations.py")
    points: float = Field(gt=0, description="the assignment's total; test weights share it")
    kind: Literal["numeric", "model"] = "numeric"
    suite: str | None = Field(None, description="folder of hidden tests, default autograder/suites/<name>")
    limits: LimitsOverride = LimitsOverride()
    weights: dict[str, float] = Field(default_factory=dict)
    thresholds: dict[str, float] = Field(default_factory=dict)

    @field_validator("file")
    @classmethod
    def _plain_python_file(cls, value: str) -> str:
        if "/" in value or not value.endswith(".py"):
            raise ValueError("must be a bare file name ending in .py, such as activations.py")
        return value

    @field_validator("weights")
    @classmethod
    def _non_negative_weights(cls, value: dict[str, float]) -> dict[str, float]:
        for name, weight in value.items():
            if weight < 0:
                raise ValueError(f"weight of {name} must be zero or more, not {weight}")
        return value

    @field_validator("thresholds")
    @classmethod
    def _thresholds_are_fractions(cls, value: dict[str, float]) -> dict[str, float]:
        for name, threshold in value.items():
            if not 0 <= threshold <= 1:
                raise ValueError(f"threshold {name} must lie in [0, 1], not {threshold}")
        return value


class Course(_Strict):
    name: str
    language: Literal["ko", "en"] = "en"
    data_home: str = "datasets/home"
    device: Literal["auto", "cpu", "cuda"] = "auto"


class GradingConfig(_Strict):
    course: Course
    limits: Limits = Limits()
    assignments: dict[str, Assignment]
    source: Path = Field(DEFAULT_CONFIG, exclude=True)

    @field_validator("assignments")
    @classmethod
    def _names_are_identifiers(cls, value: dict[str, Assignment]) -> dict[str, Assignment]:
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"assignment name {name!r} must be lower-case letters, digits and _")
        return value

    def assignment(self, name: str) -> Assignment:
        if name not in self.assignments:
            known = ", ".join(sorted(self.assignments)) or "none"
            raise ConfigError(f"There is no assignment {name!r} in {self.source}; known assignments: {known}.")
        return self.assignments[name]

    def limits_for(self, name: str) -> Limits:
        override = self.assignment(name).limits.model_dump(exclude_none=True)
        return self.limits.model_copy(update=override)

    def folder_name(self, name: str) -> str:
        return f"{self.assignment(name).number:02d}_{name}"

    def suite_dir(self, name: str) -> Path:
        suite = self.assignment(name).suite
        if suite is None:
            return REPO_ROOT / "autograder" / "suites" / name
        return (self.source.parent / suite).resolve()

    @property
    def data_home(self) -> Path:
        """The data home: $AUTOGRADER_DATA_HOME wins over grading.toml's course.data_home."""
        configured = os.environ.get(DATA_HOME_ENV) or self.course.data_home
        return (self.source.parent / Path(configured).expanduser()).resolve()


def load_config(path: str | os.PathLike | None = None) -> GradingConfig:
    """Read and validate grading.toml ($AUTOGRADER_CONFIG or the repository's own)."""
    path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"No configuration file at {path}; create it or pass --config.") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path} is not valid TOML: {err}.") from None
    try:
        return GradingConfig.model_validate({**raw, "source": path.resolve()})
    except ValidationError as err:
        raise ConfigError(_describe(err, text, path)) from None


def _describe(err: ValidationError, text: str, path: Path) -> str:
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"]]
    key = ".".join(loc)
    line = _line_of(text, loc)
    where = f"{path.name}, line {line}" if line else path.name
    if first["type"] == "extra_forbidden":
        problem = f"unknown key {key!r}; check its spelling against the README's list of keys"
    elif first["type"] == "missing":
        problem = f"missing required key {key!r}"
    else:
        message = first["msg"].removeprefix("Value error, ")
        problem = f"{key} = {first.get('input')!r} is invalid: {message}"
    more = len(err.errors()) - 1
    suffix = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
    return f"{where}: {problem}{suffix}."


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"']+)\s*=")


def _line_of(text: str, loc: list[str]) -> int | None:
    """The line where the key at `loc` is written (or its table's header if the key is absent)."""
    table: list[str] = []
    best = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = [part.strip().strip('"') for part in header.group(1).split(".")]
            if table and table == loc[: len(table)]:
                best = number
            continue
        key = _KEY.match(line)
        if key and table + [key.group(1).strip('"')] == loc[: len(table) + 1]:
            if len(table) + 1 == len(loc):
                return number
            best = number
    return best
