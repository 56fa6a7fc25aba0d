"""Tests grouped by test function, so every report counts a parametrized test once.

A hidden test such as `test_sigmoid_values[0..4]` is five results but one question for the
student: reports show one row with the cases passed, the summed points and the first
failure's message, in the result's language. The terminal summary, the feedback page and the
class report read these groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from autograder.results import Status, SubmissionResult, TestResult


@dataclass(frozen=True)
class TestGroup:
    __test__ = False  # not a pytest class

    title: str  # the description, without the case's own " [...]" when there are several cases
    cases: tuple[TestResult, ...]
    status: Status  # the first failing case's, else the first case's
    message: str  # the first failing case's message; "" when every case passed
    language: str = "en"  # the result's: the language of `title` and `message`

    @property
    def passed(self) -> int:
        return sum(t.status == "passed" for t in self.cases)

    @property
    def score(self) -> float:
        return sum(t.score for t in self.cases)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.cases)


def group_tests(result: SubmissionResult) -> list[TestGroup]:
    """One group per test function, in the result's order."""
    groups, language = [], result.language
    for _, group in groupby(result.tests, key=lambda test: test.function):
        cases = tuple(group)
        failed = [t for t in cases if t.status != "passed"]
        first = (failed or cases)[0]
        title = first.description.in_language(language) or first.name
        if len(cases) > 1:
            title = title.rsplit(" [", 1)[0]
        message = first.output.in_language(language) if failed else ""
        groups.append(TestGroup(title, cases, first.status, message, language))
    return groups
