"""grading.toml: the instructor's one configuration file, loaded into a validated model.

Every mistake an instructor can make in the file (unknown key, wrong type, negative
limit, threshold outside [0, 1]) becomes one `ConfigError` sentence that names the key
and its line, so nobody reads a pydantic traceback.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from autograder.errors import ConfigError
from autograder.paths import REPO_ROOT

DEFAULT_CONFIG = REPO_ROOT / "grading.toml"
DATA_HOME_ENV = "AUTOGRADER_DATA_HOME"
CONFIG_ENV = "AUTOGRADER_CONFIG"
ASSIGNMENT_NAME = r"^[a-z][a-z0-9_]*$"
RELEASES = "assignments"  # beside grading.toml: one folder NN_NAME per assignment, as students get it


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Strict):
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
    output_kb: int = Field(64, gt=0, description="stdout/stderr kept from the student")
    reply_mb: int = Field(64, gt=0, description="largest value one call may return")


class LimitsOverride(_Strict):
    """Per-assignment overrides: any key of [limits], all optional."""

    wall_time: float | None = Field(None, gt=0)
    call_time: float | None = Field(None, gt=0)
    import_time: float | None = Field(None, gt=0)
    backstop: float | None = Field(None, ge=1.5, le=100)
    memory_mb: int | None = Field(None, gt=0)
    processes: int | None = Field(None, gt=0)
    file_size_mb: int | None = Field(None, gt=0)
    output_kb: int | None = Field(None, gt=0)
    reply_mb: int | None = Field(None, gt=0)


class Integrity(_Strict):
    """How a model assignment checks that its score comes from the model train() trained.

    The public data can be looked up instead of learned; each key below tunes one layer
    of the defence (docs/security.md, "What the grader checks on model assignments"; the figures
    behind the defaults are in solutions/MODELS.md).
    """

    holdout: int = Field(
        5000,
        ge=500,
        le=20000,
        description="training images kept from the sandbox; the accuracy tests are scored on them",
    )
    max_gap: float = Field(0.019, gt=0, le=1, description="test accuracy may exceed hold-out accuracy by at most this")
    noise: int = Field(3, ge=0, le=20, description="grey levels of noise added to every image the model is scored on")
    reload_agreement: float = Field(
        0.95, ge=0, le=1, description="share of predictions a fresh build_model() with the trained weights must repeat"
    )
    scrambled_max: float = Field(0.30, ge=0, le=1, description="highest accuracy once the trained weights are shuffled")
    forward_agreement: float = Field(
        0.99,
        ge=0,
        le=1,
        description="share of images on which predict() must give the model's own forward pass's answer",
    )
    source_kb: float = Field(
        10,
        gt=0,
        le=100_000,
        description="kilobytes the submission's code (comments and docstrings removed) may hold once compressed",
    )
    free_kb: float = Field(
        1.5,
        ge=0,
        le=100_000,
        description="compressed code up to this size costs nothing; beyond it the scored accuracy is charged",
    )
    entry_bytes: float = Field(
        3, gt=0, le=1000, description="bytes a lookup table needs for one image and its label (the charge's unit)"
    )

    @model_validator(mode="after")
    def _free_within_cap(self) -> Integrity:
        if self.free_kb > self.source_kb:
            raise ValueError(f"free_kb ({self.free_kb:g}) must not exceed source_kb ({self.source_kb:g})")
        return self

    def charge(self, code_kb: float, pool: int) -> float:
        """The most a lookup table as large as the code beyond `free_kb` could lift the scored accuracy (a fraction):
        one image per `entry_bytes`, out of the `pool` training images the hold-out is drawn from."""
        extra_bytes = max(0.0, code_kb - self.free_kb) * 1024
        return min(1.0, extra_bytes / self.entry_bytes / pool) if pool else 0.0


class Assignment(_Strict):
    number: int = Field(ge=0, le=99)
    title: str
    title_ko: str | None = None
    file: str = Field(description="the file the student submits, e.g. activations.py")
    points: float = Field(gt=0, description="the assignment's total; test weights share it")
    kind: Literal["numeric", "model"] = "numeric"
    suite: str | None = Field(None, description="folder of hidden tests, default autograder/suites/<name>")
    limits: LimitsOverride = LimitsOverride()
    weights: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    thresholds: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    integrity: Integrity = Integrity()

    @property
    def trains_on_fashion_mnist(self) -> bool:
        """Does grading train a network on the full data (minutes), not a toy like XOR (seconds)?"""
        return self.kind == "model" and "accuracy" in self.thresholds

    @field_validator("file")
    @classmethod
    def _plain_python_file(cls, value: str) -> str:
        if "/" in value or not value.endswith(".py"):
            raise ValueError("must be a bare file name ending in .py, such as activations.py")
        return value


class Course(_Strict):
    name: str
    language: Literal["ko", "en"] = "en"
    data_home: str = "datasets/home"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    isolation: Literal["auto", "subprocess"] = "auto"


class GradingConfig(_Strict):
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
        return f"{self.assignment(name).number:02d}_{name}"

    def release_dir(self, name: str) -> Path:
        """assignments/NN_NAME beside grading.toml: what students were given (the stub, the notebook, the public tests)."""
        return self.source.parent / RELEASES / self.folder_name(name)

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


def load_config(path: str | os.PathLike[str] | None = None) -> GradingConfig:
    """Read and validate grading.toml ($AUTOGRADER_CONFIG or the repository's own)."""
    path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"No configuration file at {path}; create it or pass --config.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(
            f"Cannot read the configuration file {path} ({err}); check that it is a UTF-8 text file."
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(_describe_syntax(err, text, path)) from None
    try:
        return GradingConfig.model_validate({**raw, "source": path.resolve()})
    except ValidationError as err:
        raise ConfigError(_describe(err, text, path)) from None


_TOML_POSITION = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def _describe_syntax(err: tomllib.TOMLDecodeError, text: str, path: Path) -> str:
    """tomllib's message, turned around to lead with the file and line and to quote the line."""
    message = str(err)
    lines = text.splitlines() or [""]
    found = _TOML_POSITION.match(message)
    if found:
        number, what, column = int(found["line"]), found["what"], f" at column {found['column']}"
    else:  # "(at end of document)": the last entry is unfinished
        number, what, column = (
            len(lines),
            message.replace("(at end of document)", "").strip(),
            " at the end of the file",
        )
    quoted = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    quoted = quoted if len(quoted) <= 60 else quoted[:57] + "..."
    what = what[:1].lower() + what[1:]
    return (
        f"{path.name}, line {number}: `{quoted}` is not valid TOML ({what}{column}); "
        "fix that line (strings need both quotes, tables [brackets], keys one = value)."
    )


def _describe(err: ValidationError, text: str, path: Path) -> str:
    """The first validation error as one sentence: file, line, key, what is wrong, what is allowed."""
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"]]
    if loc[-1:] == ["[key]"]:  # a bad table name, such as [assignments.Fashion-MLP]
        loc = loc[:-1]
        line = _line_of(text, loc)
        where = f"{path.name}, line {line}" if line else path.name
        problem = (
            f"the name {loc[-1]!r} in [{'.'.join(loc)}] is not allowed; use lower-case letters, "
            "digits and _, starting with a letter"
        )
    else:
        key = ".".join(loc)
        line = _line_of(text, loc)
        where = f"{path.name}, line {line}" if line else path.name
        if first["type"] == "extra_forbidden":
            known = _known_keys(loc[:-1])
            allowed = f"the keys allowed there are {', '.join(known)}" if known else "remove it or fix its spelling"
            problem = f"unknown key {key!r}; {allowed}"
        elif first["type"] == "missing":
            problem = f"the required key {key!r} is missing; add it"
        else:
            message = first["msg"].removeprefix("Value error, ").rstrip(".")
            message = re.sub(r"^Input should", "should", message)
            value = first.get("input")
            shown = "" if isinstance(value, (dict, list)) else f" = {_toml_value(value)}"
            problem = f"{key}{shown} is invalid: it {message}"
    more = len(err.errors()) - 1
    suffix = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
    return f"{where}: {problem}{suffix}."


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


def _known_keys(loc: list[str]) -> list[str]:
    """The keys the table at `loc` accepts, read from the models (so never out of date)."""
    model: Any = GradingConfig
    for part in loc:
        model = _unwrap(model)
        if isinstance(model, type) and issubclass(model, BaseModel) and part in model.model_fields:
            model = model.model_fields[part].annotation
        elif get_origin(model) is dict:
            model = get_args(model)[1]
        else:
            return []
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [name for name in model.model_fields if name != "source"]
    return []


def _unwrap(annotation: Any) -> Any:
    """X from Annotated[X, ...] and from X | None."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _split_key(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in key.split(".")]


def _line_of(text: str, loc: list[str]) -> int | None:
    """The line where the key at `loc` is written (or its table's header if the key is absent)."""
    table: list[str] = []
    best = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            if table and table == loc[: len(table)]:
                best = number
            continue
        key = _KEY.match(line)
        if not key:
            continue
        full = table + _split_key(key.group(1))
        if full == loc:
            return number
        if full == loc[: len(full)]:
            best = number
    return best
