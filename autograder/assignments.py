"""The catalogue of a course's assignments: one folder each, `NN_NAME`, holding everything about it.

An assignment's folder (under the folder grading.toml's `course.solutions` names, `solutions/`
by default) holds its settings in `assignment.toml`, its reference solution, public tests and
README, its hidden suite in `hidden/`, any sandbox-side drivers only it uses in `drivers.py`, and example
submissions in `variants/`. The folder's name declares the assignment's number
and name, once; adding an assignment is adding its folder. Everything else asks this module
(through `GradingConfig`) for an assignment's settings and paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from autograder.errors import ConfigError
from autograder.toml_files import Settings, describe_invalid, read_toml

FOLDER = re.compile(r"^(?P<number>\d\d)_(?P<name>[a-z][a-z0-9_]*)$")
SETTINGS = "assignment.toml"
HIDDEN = "hidden"  # the hidden suite: never released, run only by the trusted judge
DRIVERS = "drivers.py"  # sandbox-side helpers only this assignment's suite calls: never released
VARIANTS = "variants"  # example submissions (bugs and correct alternatives), each naming what it must fail
KNOWN_INPUTS = ("fashion_mnist_train",)


class LimitsOverride(Settings):
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


class Integrity(Settings):
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


def _reasons(entries: dict[str, str]) -> dict[str, str]:
    bad = [key for key, reason in entries.items() if not reason.strip()]
    if bad:
        raise ValueError(f"{bad[0]} needs a reason, a non-empty string")
    return entries


class Mutation(Settings):
    """How `make mutation` measures the hidden suite (solutions/MUTATION.md); authoring, never grading."""

    functions: list[str] | None = Field(None, description="the reference's functions to mutate; default every one")
    equivalent: dict[str, str] = Field(
        default_factory=dict, description="mutant id: why it computes what the reference does on every allowed input"
    )
    gap: dict[str, str] = Field(default_factory=dict, description="mutant id: the input a hidden test should send")

    _equivalent_reasons = field_validator("equivalent", "gap")(_reasons)

    @model_validator(mode="after")
    def _one_verdict_each(self) -> Mutation:
        both = sorted(set(self.equivalent) & set(self.gap))
        if both:
            raise ValueError(f"mutant {both[0]} is marked both equivalent and a gap; keep one")
        return self


# Authoring settings: what the project's own tools read (mutation testing, the suite coverage test). A grading
# never depends on them, so neither does the suite fingerprint (`Assignment.grading_json`).
AUTHORING = frozenset({"mutation", "input_classes", "input_classes_exempt"})


class Assignment(Settings):
    number: int = Field(ge=0, le=99)
    title: str
    title_ko: str | None = None
    file: str = Field(description="the file the student submits, e.g. activations.py")
    points: float = Field(gt=0, description="the assignment's total; test weights share it")
    kind: Literal["numeric", "model"] = "numeric"
    suite: str | None = Field(None, description="folder of hidden tests, relative to grading.toml; default its hidden/")
    inputs: Literal["fashion_mnist_train"] | None = Field(
        None, description="data the sandbox may read at /inputs (read-only): the Fashion-MNIST training split"
    )
    limits: LimitsOverride = LimitsOverride()
    weights: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="a hidden test's share of the points (default 1), by test function name"
    )
    thresholds: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    integrity: Integrity = Integrity()
    mutation: Mutation | None = Field(None, description="measured by `make mutation` when present")
    input_classes: dict[str, dict[str, list[str]]] = Field(
        default_factory=dict, description="function: parameter: the input classes the hidden tests must send"
    )
    input_classes_exempt: dict[str, str] = Field(
        default_factory=dict, description="function: why a fast grading's call recording cannot show its inputs"
    )

    def grading_json(self) -> str:
        """The settings a grading depends on, as JSON: everything but the authoring tables."""
        return self.model_dump_json(exclude=set(AUTHORING))

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


@dataclass(frozen=True)
class AssignmentFolder:
    """Where one assignment's files are: `path` is its NN_NAME folder."""

    name: str
    number: int
    path: Path

    @property
    def settings_file(self) -> Path:
        return self.path / SETTINGS

    @property
    def hidden_dir(self) -> Path:
        return self.path / HIDDEN


def folder_name(name: str, number: int) -> str:
    """NN_NAME, the one spelling of an assignment's folders (solutions/ and the released assignments/)."""
    return f"{number:02d}_{name}"


def find_folders(root: Path) -> dict[str, AssignmentFolder]:
    """The assignment folders under `root` (those holding an assignment.toml), in the order of their numbers."""
    found: dict[str, AssignmentFolder] = {}
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        match = FOLDER.match(path.name)
        if not match or not (path / SETTINGS).is_file():
            continue
        name = match["name"]
        if name in found:
            raise ConfigError(
                f"Two folders of {root} are assignment {name!r} ({found[name].path.name} and {path.name}); "
                "rename or remove one."
            )
        found[name] = AssignmentFolder(name, int(match["number"]), path)
    return found


def read_settings(folder: AssignmentFolder, shown: str) -> dict[str, Any]:
    """The folder's assignment.toml as a table, checked on its own; the number comes from the folder's name.

    `shown` names the file in an error, relative to the course (solutions/01_activations/assignment.toml).
    """
    raw, text = read_toml(folder.settings_file, shown, missing=f"There is no {shown}; add it.")
    if "number" in raw:
        raise ConfigError(
            f"{shown}: remove the key 'number'; the folder's name {folder.path.name} gives the number "
            f"({folder.number}), so rename the folder to change it."
        )
    settings = {"number": folder.number, **raw}
    try:
        Assignment.model_validate(settings)
    except ValidationError as err:
        raise ConfigError(describe_invalid(err, text, shown, Assignment)) from None
    return settings


def with_overrides(settings: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The folder's settings with an instructor's grading.toml table over them, table by table, key by key."""
    merged = dict(settings)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged
