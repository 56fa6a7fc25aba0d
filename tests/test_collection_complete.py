"""Do the parametrized lists the project's tests compute from the files present cover all twelve assignments?

Those lists (references, stubs, notebooks, public tests, variants, hidden suites) are built
from what exists, so a renamed folder or a pattern that stops matching would make pytest run
fewer cases without a word. An empty list already fails at collection (pyproject's
`empty_parameter_set_mark`); a shorter one fails here, naming the assignments it lost.
"""

from __future__ import annotations

from autograder.config import load_config
from tests import test_course_numeric, test_models, test_release, test_selfcheck, test_suite_coverage
from tests.support import COURSE_CONFIG

CONFIG = load_config(COURSE_CONFIG)
ALL = set(CONFIG.assignments)
TRAINED = {name for name in ALL if CONFIG.assignment(name).trains_on_fashion_mnist}  # 10, 11, 12: minutes each


def _first(params) -> set[str]:
    """The assignment (first value) of each pytest.param of a list."""
    return {param.values[0] for param in params}


def test_the_course_has_twelve_assignments():
    """Does grading.toml hold the twelve assignments of COURSE.md, numbered 1 to 12?"""
    assert sorted(CONFIG.assignment(name).number for name in ALL) == list(range(1, 13)), sorted(ALL)
    assert len(TRAINED) == 3, sorted(TRAINED)


def test_course_numeric_grades_every_assignment():
    """Does tests/test_course_numeric.py grade the stub of all twelve, and reference, notebook, public tests and variants of the nine it can?"""
    assert ALL - set(test_course_numeric.GRADED) == set()
    assert ALL - TRAINED - set(test_course_numeric.FULL) == set()
    assert ALL - TRAINED - set(test_course_numeric.PUBLIC) == set()
    assert ALL - TRAINED - _first(test_course_numeric.VARIANTS) == set(), (
        "assignments without a variant in solutions/NN_NAME/variants/"
    )


def test_models_trains_every_fashion_mnist_assignment():
    """Does tests/test_models.py train a reference, grade the variants and try the dishonest ones for each trained assignment?"""
    assert TRAINED - _first(test_models.REFERENCES) == set()
    assert TRAINED - _first(test_models.MODEL_VARIANTS) == set()
    assert set(test_models.MODEL_ASSIGNMENTS) == TRAINED and test_models.DISHONEST_VARIANTS


def test_release_and_selfcheck_cover_every_assignment():
    """Do the release and self-check tests see the solution and every track of all twelve?"""
    for module in (test_release, test_selfcheck):
        assert ALL - set(module.RELEASED) == set(), module.__name__
        assert ALL - _first(module.TRACKS) == set(), module.__name__


def test_suite_coverage_records_or_exempts_every_assignment():
    """Does tests/test_suite_coverage.py record the calls of every assignment whose functions it does not exempt?"""
    table = test_suite_coverage.TABLE  # the assignments' [input_classes] tables
    exempt_only = {
        name for name in ALL if name not in table and any(key.startswith(f"{name}.") for key in table["exempt"])
    }
    recorded = set(test_suite_coverage.NUMERIC) | set(test_suite_coverage.FAST_SELECTION)
    assert ALL - recorded - exempt_only == set()
