"""Every released assignment, graded through the real grader: the course content checks itself.

For each assignment with a reference solution and a hidden suite: the solution earns full
marks (as a .py and pasted into the released notebook), the released stub earns nothing
and is told "not implemented", the public tests pass on the solution and fail on the
stub, and each variant in solutions/NN_NAME/variants/ fails exactly the tests its first line
names. Assignments that train networks on Fashion-MNIST (an accuracy threshold) only get
the cheap checks on the stub here; tests/test_models.py trains them. Cases appear as content is written; none are placeholders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.config import load_config
from autograder.course.expectations import variant_expectation, variant_file
from autograder.course.layout import assignments_with_solutions, has_hidden_suite, is_ignored, layout
from autograder.results import SubmissionResult
from tests.support import COURSE_CONFIG, answered_release, grade_file

CONFIG = load_config(COURSE_CONFIG)


def _stub(name: str) -> Path:
    spot = layout(name, CONFIG)
    return spot.release_dir / spot.file


GRADED = [
    name for name in assignments_with_solutions(CONFIG) if has_hidden_suite(name, CONFIG) and _stub(name).is_file()
]
FULL = [name for name in GRADED if not CONFIG.assignment(name).trains_on_fashion_mnist]
PUBLIC = [
    name
    for name in assignments_with_solutions(CONFIG)
    if not CONFIG.assignment(name).trains_on_fashion_mnist
    and (layout(name, CONFIG).release_dir / layout(name, CONFIG).public_tests).is_file()
]
VARIANTS = [
    pytest.param(name, path, id=f"{name}:{path.stem}") for name in FULL for path in layout(name, CONFIG).variants()
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """`graded(name, path)` -> SubmissionResult, each file graded once per module.

    The first request for an assignment grades all its usual submissions (solution, stub,
    notebooks, variants) two at a time, since a judge spends much of its time waiting.
    """
    cache: dict[tuple[str, str], SubmissionResult] = {}
    lock = threading.Lock()

    def grade(name: str, path: Path) -> SubmissionResult:
        with lock:
            if not any(key[0] == name for key in cache):
                paths = list(dict.fromkeys([path, *_usual_submissions(name, tmp_path_factory.getbasetemp())]))
                with ThreadPoolExecutor(max_workers=2) as pool:
                    for key, result in zip(paths, pool.map(lambda p: grade_file(p, name), paths)):
                        cache[(name, str(key))] = result
            if (name, str(path)) not in cache:
                cache[(name, str(path))] = grade_file(path, name)
            return cache[(name, str(path))]

    return grade


def _usual_submissions(name: str, folder: Path) -> list[Path]:
    spot = layout(name, CONFIG)
    if name not in FULL:
        return [_stub(name), spot.release_dir / spot.notebook]
    return [
        spot.solution_file,
        _stub(name),
        spot.release_dir / spot.notebook,
        _completed_notebook(name, folder),
        *(variant_file(v, spot.solution_file, folder) for v in spot.variants()),
    ]


def _report(result: SubmissionResult) -> str:
    """Everything the grader said, for a failure message."""
    lines = [f"{result.student}: {result.score:g}/{result.max_score:g}"]
    lines += [f"  error: {e.en}" for e in result.errors] + [f"  internal: {e.en}" for e in result.internal_errors]
    for t in result.tests:
        lines.append(f"  [{t.status}] {t.name} {t.score:g}/{t.max_score:g} {t.output.en}".rstrip())
    return "\n".join(lines)


def _completed_notebook(name: str, base: Path) -> Path:
    """The released notebook with each solution cell replaced by the reference's cell (made once, under `base`)."""
    folder = base / f"completed-{name}"
    if not folder.is_dir():
        answered_release(name, folder)  # matched by grade id: self-check cells sit between
    return folder / layout(name, CONFIG).notebook


def _run_public_tests(name: str, module: Path, folder: Path) -> subprocess.CompletedProcess:
    """Run the released public tests with `module` as the student's file, in a scratch folder."""
    spot = layout(name, CONFIG)
    for path in sorted(spot.release_dir.rglob("*")):
        relative = path.relative_to(spot.release_dir)
        if path.is_file() and not is_ignored(relative) and path.suffix != ".ipynb":
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / relative)
    shutil.copyfile(module, folder / spot.file)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", spot.public_tests],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# -- grading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FULL)
def test_reference_solution_scores_full_marks(name, graded):
    """Does the reference solution earn every point of the hidden suite?"""
    result = graded(name, layout(name, CONFIG).solution_file)
    assert result.tests and result.score == result.max_score and not result.errors, _report(result)
    assert not result.internal_errors, _report(result)
    assert result.max_score == CONFIG.assignment(name).points, "the tests' points must add up to grading.toml's points"


@pytest.mark.parametrize("name", GRADED)
def test_released_stub_scores_zero_as_not_implemented(name, graded):
    """Does the released stub score 0, each test telling the student it is not implemented?"""
    result = graded(name, _stub(name))
    assert result.tests and result.score == 0, _report(result)
    assert not result.internal_errors, _report(result)
    silent = [t.name for t in result.tests if "not implemented" not in t.output.en.lower()]
    assert not silent, f"tests whose message does not say 'not implemented': {silent}\n{_report(result)}"


@pytest.mark.parametrize("name", GRADED)
def test_released_notebook_scores_zero(name, graded):
    """Does the released notebook, submitted untouched, score 0?"""
    spot = layout(name, CONFIG)
    result = graded(name, spot.release_dir / spot.notebook)
    assert result.tests and result.score == 0 and not result.internal_errors, _report(result)


@pytest.mark.parametrize("name", FULL)
def test_completed_notebook_scores_full_marks(name, graded, tmp_path_factory):
    """Does the released notebook, with the reference answers typed into its cells, earn every point?"""
    result = graded(name, _completed_notebook(name, tmp_path_factory.getbasetemp()))
    assert result.tests and result.score == result.max_score and not result.errors, _report(result)


@pytest.mark.parametrize("name, variant", VARIANTS)
def test_variant_fails_exactly_its_listed_tests(name, variant, graded, tmp_path_factory):
    """Does each variant fail exactly the hidden tests its `# expect-fail:` line names, and pass the rest?"""
    expectation = variant_expectation(variant)
    result = graded(name, variant_file(variant, layout(name, CONFIG).solution_file, tmp_path_factory.getbasetemp()))
    assert result.tests and not result.internal_errors, _report(result)
    assert expectation.unmet(result) is None, f"{variant.name}: {expectation.unmet(result)}\n{_report(result)}"
    if not expectation.fails:
        assert result.score == result.max_score, _report(result)


# -- the public tests students run --------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC)
def test_public_tests_pass_on_the_solution(name, tmp_path):
    """Do the public tests shipped to students pass on the reference solution?"""
    run = _run_public_tests(name, layout(name, CONFIG).solution_file, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("name", PUBLIC)
def test_public_tests_fail_on_the_stub(name, tmp_path):
    """Do the public tests fail (not crash) on the released stub, pointing at NotImplementedError?"""
    run = _run_public_tests(name, _stub(name), tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "NotImplementedError" in run.stdout, run.stdout + run.stderr
