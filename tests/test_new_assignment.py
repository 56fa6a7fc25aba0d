"""Adding an assignment is adding one folder: a thirteenth, written here from nothing, is graded and released.

The course below is this project's own grading.toml, unchanged, with one folder more among its assignments
(`solutions/13_dot_product/`: settings, reference, public tests, README and hidden suite). Nothing generic is
touched: no grader module, no list of assignments, no test of the project's.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.config import load_config
from autograder.course.release import build_release, release_is_current
from autograder.paths import REPO_ROOT
from tests.support import grade_file

SETTINGS = """\
title = "Dot products"
title_ko = "내적"
file = "dot.py"
points = 6

[weights]
test_dot_of_vectors = 2
"""

REFERENCE = '''\
# %% [markdown]
# # 13 내적 / Dot products

# %%
import numpy as np


# %%
def dot(a, b):
    """The dot product of two vectors of the same length, as a numpy float.

    Example:
        >>> dot([1, 2], [3, 4])
        11.0
    """
    ### BEGIN SOLUTION
    return np.float64(np.sum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float)))
    ### END SOLUTION
'''

PUBLIC_TESTS = '''\
"""Public tests of assignment 13: python -m pytest test_dot.py"""
from dot import dot


def test_small_example():
    """Is dot([1, 2], [3, 4]) = 11?"""
    assert dot([1, 2], [3, 4]) == 11
'''

HIDDEN_SUITE = '''\
"""Hidden tests of 13 dot_product."""

import numpy as np

from autograder.engine.feedback import fail


def test_dot_of_vectors(student, rng):
    a, b = rng.normal(size=7), rng.normal(size=7)
    got = student.dot(a, b)
    if not np.isclose(got, a @ b):
        fail(f"dot(a, b) gave {got}, expected {a @ b}.", f"dot(a, b)의 값이 {got}입니다. {a @ b}이어야 합니다.")


def test_dot_of_lists(student):
    if not np.isclose(student.dot([1, 0, 2], [3, 5, 7]), 17):
        fail("dot([1, 0, 2], [3, 5, 7]) should be 17.", "dot([1, 0, 2], [3, 5, 7])은 17이어야 합니다.")
'''

README = """\
# 13 Dot products / 내적

Write `dot(a, b)` in `dot.py`. {{ selfcheck.en }}
"""


def course_with_a_new_folder(tmp_path: Path) -> Path:
    """The project's grading.toml, unchanged but for where its data are, and its twelve assignment folders (linked,
    read only), beside which solutions/13_dot_product is written."""
    data_home = load_config(REPO_ROOT / "grading.toml").data_home
    text = (REPO_ROOT / "grading.toml").read_text(encoding="utf-8")
    text = text.replace('data_home = "datasets/home"', f'data_home = "{data_home}"', 1)
    assert str(data_home) in text
    (tmp_path / "grading.toml").write_text(text, encoding="utf-8")
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    for folder in sorted((REPO_ROOT / "solutions").iterdir()):
        if (folder / "assignment.toml").is_file():
            (solutions / folder.name).symlink_to(folder)
    new = solutions / "13_dot_product"
    (new / "hidden").mkdir(parents=True)
    (new / "assignment.toml").write_text(SETTINGS, encoding="utf-8")
    (new / "dot.py").write_text(REFERENCE, encoding="utf-8")
    (new / "test_dot.py").write_text(PUBLIC_TESTS, encoding="utf-8")
    (new / "README.md").write_text(README, encoding="utf-8")
    (new / "hidden" / "test_dot.py").write_text(HIDDEN_SUITE, encoding="utf-8")
    return tmp_path / "grading.toml"


def test_a_thirteenth_assignment_is_one_folder(tmp_path):
    """Is a new folder under solutions/ an assignment the grader grades and the release releases, nothing else added?"""
    config = load_config(course_with_a_new_folder(tmp_path))
    assert list(config.assignments)[-1] == "dot_product" and len(config.assignments) == 13
    spec = config.assignment("dot_product")
    assert (spec.number, spec.points, spec.weights) == (13, 6, {"test_dot_of_vectors": 2})

    right = grade_file(config.assignment_dir("dot_product") / "dot.py", "dot_product", config=config)
    assert (right.score, right.max_score) == (6, 6), [t.output.en for t in right.tests]
    wrong = tmp_path / "dot.py"
    wrong.write_text("def dot(a, b):\n    return sum(a) * sum(b)\n", encoding="utf-8")
    graded = grade_file(wrong, "dot_product", config=config)
    assert graded.score < 6 and any("expected" in t.output.en for t in graded.tests if t.status == "failed")

    released = build_release("dot_product", config)
    names = sorted(path.name for path in released)
    assert names == ["README.md", "dot.ipynb", "dot.py", "selfcheck.py", "test_dot.py"], names
    release_dir = config.release_dir("dot_product")
    stub = (release_dir / "dot.py").read_text(encoding="utf-8")
    assert "np.sum" not in stub and "def dot(a, b):" in stub
    notebook = nbformat.read(release_dir / "dot.ipynb", as_version=4)
    assert any('check("dot")' in cell.source for cell in notebook.cells)
    assert "{{" not in (release_dir / "README.md").read_text(encoding="utf-8")
    assert not release_is_current("dot_product", config)
    assert release_dir == tmp_path / "assignments" / "13_dot_product"
    assert not (REPO_ROOT / "assignments" / "13_dot_product").exists()
