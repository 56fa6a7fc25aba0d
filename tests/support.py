"""Helpers for the project's own tests: grade a file through the real grader."""
from __future__ import annotations

from pathlib import Path

from autograder.config import load_config
from autograder.course.expectations import failed_functions  # noqa: F401  (re-exported for the tests)
from autograder.grading import GradeOptions, grade
from autograder.paths import REPO_ROOT
from autograder.results import SubmissionResult

COURSE_CONFIG = REPO_ROOT / "grading.toml"
DEMO_CONFIG = REPO_ROOT / "tests" / "demo" / "grading.toml"


def grade_file(path: Path, assignment: str, *, config: Path = COURSE_CONFIG, seed: int | None = None,
               isolation: str = "auto", language: str = "en") -> SubmissionResult:
    """Grade one submission with the real judge and sandbox, in English by default."""
    options = GradeOptions(seed=seed, isolation=isolation, language=language)
    return grade(path, assignment, config=load_config(config), options=options)


def failed(result: SubmissionResult) -> set[str]:
    """Names of the tests that did not pass (pytest item names, e.g. test_mean[7])."""
    return {t.name for t in result.tests if t.status != "passed"}

