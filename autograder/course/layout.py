"""Where an assignment's content lives, found beside the grading.toml that names it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.assignments import DRIVERS, HIDDEN, SETTINGS, VARIANTS
from autograder.config import RELEASES, GradingConfig, load_config

# Files a student's or a test's run leaves behind; never part of a release.
IGNORED = ("__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".DS_Store")
# What of an assignment's folder is the instructor's alone: its settings, hidden suite, drivers and example
# submissions never reach a release.
INSTRUCTOR_ONLY = (SETTINGS, HIDDEN, DRIVERS, VARIANTS)


@dataclass(frozen=True)
class AssignmentLayout:
    """The folders and file names of one assignment; `root` is the course's folder."""

    name: str
    folder: str  # NN_NAME
    file: str  # the student's file, e.g. activations.py
    root: Path
    solution_dir: Path  # the assignment's folder, solutions/NN_NAME

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    @property
    def notebook(self) -> str:
        return f"{self.stem}.ipynb"

    @property
    def public_tests(self) -> str:
        return f"test_{self.stem}.py"

    @property
    def solution_file(self) -> Path:
        return self.solution_dir / self.file

    @property
    def release_dir(self) -> Path:
        return self.root / RELEASES / self.folder

    @property
    def variants_dir(self) -> Path:
        return self.solution_dir / VARIANTS

    def variants(self) -> list[Path]:
        """The variant submissions of the assignment folder's variants/, sorted by name."""
        if not self.variants_dir.is_dir():
            return []
        return sorted(p for p in self.variants_dir.glob("*.py") if not p.name.startswith(("_", ".")))


def layout(name: str, config: GradingConfig | None = None) -> AssignmentLayout:
    """The layout of `name`, rooted beside `config`'s grading.toml."""
    config = config or load_config()
    spec = config.assignment(name)
    return AssignmentLayout(
        name, config.folder_name(name), spec.file, config.source.parent, config.assignment_dir(name)
    )


def assignments_with_solutions(config: GradingConfig | None = None) -> list[str]:
    """Assignments (in grading.toml's order) whose reference solution file exists."""
    config = config or load_config()
    return [name for name in config.assignments if layout(name, config).solution_file.is_file()]


def is_ignored(path: Path) -> bool:
    return any(part in IGNORED or part.endswith(".pyc") for part in path.parts)


def is_instructor_only(relative: Path) -> bool:
    """Is this file of an assignment's folder (relative to it) one that no release may hold?"""
    return bool(relative.parts) and relative.parts[0] in INSTRUCTOR_ONLY


def has_hidden_suite(name: str, config: GradingConfig | None = None) -> bool:
    """Whether the assignment's hidden suite holds any test file yet."""
    config = config or load_config()
    suite = config.suite_dir(name)
    return suite.is_dir() and any(suite.glob("test_*.py"))
