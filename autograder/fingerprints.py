"""What a stored verdict depends on besides the submission: the grader's core and the hidden suite.

A batch keeps a stored result only while both fingerprints are unchanged, and a Dask worker
takes jobs only when its fingerprints equal the client's. So each must change with exactly
what can change a score, no more: a fix to the grading core re-grades a class, while a new
page layout, a CLI option, the nbgrader round, release building or the similarity page
re-grades nobody.

- `grader_fingerprint`: the package version and the code of the grading core, `CORE`. The
  core is what runs between a hand-in and its verdict; pyproject.toml's import-linter
  contracts keep it from importing anything above it (course authoring, classroom,
  reports, similarity, the CLI), so the modules outside `CORE` cannot change a verdict.
- `suite_fingerprint`: one assignment's hidden suite (every file of its folder's hidden/, and its
  drivers.py), its
  settings and limits (assignment.toml with grading.toml's overrides), the feedback language,
  the course's device and isolation. Each assignment has its own, so editing one suite
  re-grades only that assignment, and editing its reference, README or public tests none.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from autograder.config import GradingConfig

PACKAGE = Path(__file__).resolve().parent
# The grading core: modules and packages of `autograder` that a verdict can depend on (the same list as the
# `forbidden` contract's source modules in pyproject.toml; tests/test_layering.py checks that the two agree).
CORE = (
    "assignments",
    "bilingual",
    "check_cells",
    "config",
    "cores",
    "devices",
    "errors",
    "files",
    "fingerprints",
    "grading",
    "intake",
    "job_folders",
    "judges",
    "paths",
    "processes",
    "progress",
    "results",
    "student_ids",
    "submission",
    "toml_files",
    "untrusted_text",
    "data",
    "engine",
    "sandbox",
)


def core_files(package: Path = PACKAGE) -> list[Path]:
    """The Python files of the grading core under `package`, in a fixed order."""
    found: list[Path] = []
    for name in CORE:
        module, folder = package / f"{name}.py", package / name
        if module.is_file():
            found.append(module)
        if folder.is_dir():
            found.extend(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)
    return sorted(found)


def code_fingerprint(package: Path = PACKAGE) -> str:
    """The package version and the grading core's code under `package` (a copy of it, in tests)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        digest = hashlib.sha256(version("dl-course-autograder").encode())
    except PackageNotFoundError:
        digest = hashlib.sha256(b"unpackaged")
    for path in core_files(package):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.cache
def grader_fingerprint() -> str:
    """This grader's fingerprint: a fix to the grading core re-grades, an edit elsewhere does not."""
    return code_fingerprint(PACKAGE)


def suite_fingerprint(config: GradingConfig, assignment: str, language: str) -> str:
    """Changes with the hidden tests, the assignment's settings and limits, or the feedback language."""
    digest = hashlib.sha256(config.assignment(assignment).grading_json().encode())
    digest.update(config.limits_for(assignment).model_dump_json().encode())
    digest.update(f"{language}:{config.course.device}:{config.course.isolation}".encode())
    suite = config.suite_dir(assignment)
    for path in sorted(suite.rglob("*")) if suite.is_dir() else []:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(suite)).encode() + b"\0" + path.read_bytes())
    drivers = config.drivers_file(assignment)
    if drivers is not None:
        digest.update(b"drivers.py\0" + drivers.read_bytes())
    return digest.hexdigest()
