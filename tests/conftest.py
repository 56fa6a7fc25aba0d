"""Shared set-up for the project's own tests.

torch is imported before anything else: on this platform, loading tensorflow before
torchvision (or torch._dynamo) crashes the interpreter, and several tests load both.
"""

import torch  # noqa: F401  (first, see above)

# isort: split

import pytest

from tests.support import answered_release, mini_course

# The demo assignment's hidden suite and the dishonest variants are graded by the tests, never
# collected as tests themselves (the suite needs the grader's `student` fixture).
collect_ignore = ["demo/suite", "variants"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The mini course of tests/support.py with a temporary exchange: one per test module, which
    may release, collect and grade in it."""
    return mini_course(tmp_path_factory.mktemp("course"), tmp_path_factory.mktemp("exchange"))


@pytest.fixture
def solved_release(tmp_path):
    """`solved_release(name, replace=None, into="student")`: tmp_path/into holding the released assignment
    with its notebook answered from the reference (tests/support.py: answered_release)."""
    return lambda name, replace=None, into="student": answered_release(name, tmp_path / into, replace)
