"""The instructor's view of a whole class, as numbers only.

`read_results` / `load_results` read what `grade-all` and `collect-grade` stored (one
STUDENT.json per student, in one folder per assignment); `build_class_report` turns those
results into a `ClassReport`. The HTML page (class_page) and the CSV tables (class_csv)
both render this one object, so the page and the spreadsheet never disagree, and neither
does any arithmetic of its own. The students' messages in it read in each result's own language.

Rules for "needs a human look" (`Reason.code`), in the order a submission lists them:

- `internal`: the grader met an internal error in a hidden test (`internal_errors`);
- `grader_failure`: grading itself stopped (the judge died);
- `isolation`: the submission ran under anything weaker than bubblewrap (`subprocess`,
  or an isolation that was never recorded);
- `timeout`, `memory`, `crashed`: a test hit the time or memory limit, or the submission's
  process stopped (status "timeout", or that cause: autograder/engine/student.py's names);
- `error`: the result carries an error sentence for the student (say, the import failed);
- `near_threshold`: a model's accuracy test failed (cause "accuracy") although the
  submission still scored at least 80 % of the points: close enough to the threshold
  that a person should look at the run. Nothing is parsed out of messages.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import ReportError
from autograder.reports.groups import TestGroup, group_tests
from autograder.results import SubmissionResult, TestResult, read_result

FULL_ISOLATION = "bubblewrap"  # how every result graded in the sandbox names its isolation
LIMIT_CAUSES = ("timeout", "memory", "crashed")  # the causes autograder/engine/student.py gives a limit
NEAR_THRESHOLD_SHARE = 0.8  # a failed accuracy test is "close" when the score is at least this share of the points
TOP_MESSAGES = 3
SLOWEST = 5
BINS = 10  # the histogram's bins, each 100 / BINS percent wide
REASONS = ("internal", "grader_failure", "isolation", *LIMIT_CAUSES, "error", "near_threshold")


@dataclass(frozen=True)
class Summary:
    """A score distribution in points; `max_score` is the assignment's total."""

    count: int
    max_score: float
    mean: float
    median: float
    minimum: float
    maximum: float
    full_marks: int

    @property
    def full_marks_share(self) -> float:
        return self.full_marks / self.count if self.count else 0.0


@dataclass(frozen=True)
class Histogram:
    """Counts of submissions per percent band: bin i holds [edges[i], edges[i+1]), the last one includes 100."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Message:
    text: str
    count: int  # submissions that got it


@dataclass(frozen=True)
class Case:
    """One pytest item (a parametrized case, or the whole test when it has none)."""

    name: str
    description: str
    submissions: int
    passed: int
    mean_points: float
    max_points: float
    messages: tuple[Message, ...]

    @property
    def pass_rate(self) -> float:
        return self.passed / self.submissions if self.submissions else 0.0


@dataclass(frozen=True)
class Item:
    """One hidden test function; a submission passed it when it passed every one of its cases."""

    function: str
    description: str
    submissions: int
    passed: int
    mean_points: float
    max_points: float
    messages: tuple[Message, ...]  # each submission counted once per distinct message
    cases: tuple[Case, ...]

    @property
    def pass_rate(self) -> float:
        return self.passed / self.submissions if self.submissions else 0.0

    @property
    def cases_differ(self) -> bool:
        """Do its parametrized cases tell different stories (worth showing one by one)?"""
        return len(self.cases) > 1 and len({case.passed for case in self.cases}) > 1


@dataclass(frozen=True)
class Reason:
    code: str  # one of REASONS
    detail: str  # what the result says: the isolation, the tests, the first error


@dataclass(frozen=True)
class Review:
    """A submission that needs a human look, with every reason why."""

    student: str
    score: float
    max_score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Timed:
    student: str
    seconds: float


@dataclass(frozen=True)
class Timing:
    mean: float
    median: float
    maximum: float
    slowest: tuple[Timed, ...]


@dataclass(frozen=True)
class AssignmentReport:
    assignment: str
    summary: Summary
    histogram: Histogram
    items: tuple[Item, ...]
    reviews: tuple[Review, ...]
    timing: Timing


@dataclass(frozen=True)
class ClassReport:
    assignments: tuple[AssignmentReport, ...]
    skipped: tuple[str, ...] = ()  # JSON files that were not grading results (gradebook.json, ...)

    @property
    def submissions(self) -> int:
        return sum(a.summary.count for a in self.assignments)


@dataclass(frozen=True)
class Loaded:
    results: list[SubmissionResult]
    skipped: tuple[str, ...]


# -- reading ---------------------------------------------------------------------------------


def read_results(folder: str | Path) -> Loaded:
    """Every result in `folder` (grade-all's OUT) or in its subfolders (one per assignment).

    Only two levels are read, so a course root with students' own files further down is
    never mistaken for results. A JSON file that is not a result is skipped and counted;
    the same student twice for one assignment stops with the two paths.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(f"{folder} is not a folder: point `autograder report` at the folder that `grade-all` wrote.")
    files = [*_json_files(folder)]
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and not sub.name.startswith("."):
            files += _json_files(sub)
    results: list[SubmissionResult] = []
    skipped: list[str] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in files:
        result = _read(path)
        if result is None:
            skipped.append(str(path.relative_to(folder)))
            continue
        key = (result.assignment, result.student)
        if key in seen:
            raise ReportError(
                f"{result.student}'s result for {result.assignment} is both in {seen[key]} and in {path}; "
                f"point `autograder report` at a folder holding each result once."
            )
        seen[key] = path
        results.append(result)
    if not results:
        also = f" ({len(skipped)} JSON file(s) there are not results)" if skipped else ""
        raise ReportError(
            f"No grading results in {folder}{also}: point `autograder report` at a folder that "
            f"`grade-all` or `collect-grade` wrote (STUDENT.json files), or at the folder holding those."
        )
    return Loaded(results, tuple(skipped))


def load_results(folder: str | Path) -> list[SubmissionResult]:
    """The results in `folder` (see `read_results`), without the list of skipped files."""
    return read_results(folder).results


def _json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.is_file() and not p.name.startswith("."))


def _read(path: Path) -> SubmissionResult | None:
    result = read_result(path)
    return result if result is not None and result.tests else None  # grading never stores a result without tests


# -- computing -------------------------------------------------------------------------------


def build_class_report(
    results: Iterable[SubmissionResult], *, skipped: Sequence[str] = (), order: Sequence[str] = ()
) -> ClassReport:
    """One section per assignment, in `order` (grading.toml's) first, then by name."""
    by_assignment: dict[str, list[SubmissionResult]] = {}
    for result in results:
        by_assignment.setdefault(result.assignment, []).append(result)
    if not by_assignment:
        raise ReportError("There are no grading results to report on.")
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(by_assignment, key=lambda name: (rank.get(name, len(rank)), name))
    return ClassReport(tuple(assignment_report(name, by_assignment[name]) for name in names), tuple(skipped))


def assignment_report(assignment: str, results: Sequence[SubmissionResult]) -> AssignmentReport:
    results = sorted(results, key=lambda r: r.student)
    return AssignmentReport(
        assignment,
        _summary(results),
        _histogram(results),
        _items(results),
        tuple(review for r in results if (review := _review(r)) is not None),
        _timing(results),
    )


def _summary(results: Sequence[SubmissionResult]) -> Summary:
    scores = [r.score for r in results]
    full = sum(1 for r in results if r.max_score > 0 and r.score >= r.max_score - 1e-6)
    return Summary(
        len(results),
        max(r.max_score for r in results),
        statistics.fmean(scores),
        statistics.median(scores),
        min(scores),
        max(scores),
        full,
    )


def _histogram(results: Sequence[SubmissionResult]) -> Histogram:
    counts = [0] * BINS
    for result in results:
        counts[min(int(round(result.percent, 6) // (100 / BINS)), BINS - 1)] += 1
    return Histogram(tuple(100 * i / BINS for i in range(BINS + 1)), tuple(counts))


def _items(results: Sequence[SubmissionResult]) -> tuple[Item, ...]:
    """Per test function (reports.groups' grouping), in the hidden suite's order, with its cases."""
    by_function: dict[str, list[TestGroup]] = {}  # function -> one group per submission
    for result in results:
        for group in group_tests(result):
            by_function.setdefault(group.cases[0].function, []).append(group)
    items = []
    for function, groups in by_function.items():
        cases: dict[str, list[tuple[TestResult, str]]] = {}  # each case with its result's language
        for group in groups:
            for test in group.cases:
                cases.setdefault(test.name, []).append((test, group.language))
        messages = Counter(
            text for g in groups for text in {t.output.in_language(g.language) for t in g.cases if t.status != "passed"}
        )
        items.append(
            Item(
                function=function,
                description=groups[0].title,
                submissions=len(groups),
                passed=sum(1 for g in groups if g.passed == len(g.cases)),
                mean_points=statistics.fmean(g.score for g in groups),
                max_points=max(g.max_score for g in groups),
                messages=_top(messages),
                cases=tuple(_case(name, tests) for name, tests in cases.items()),
            )
        )
    return tuple(items)


def _case(name: str, read: list[tuple[TestResult, str]]) -> Case:
    """One case over the class; `read`: each submission's test with its result's language."""
    tests = [test for test, _ in read]
    first, language = read[0]
    return Case(
        name=name,
        description=first.description.in_language(language),
        submissions=len(tests),
        passed=sum(1 for t in tests if t.status == "passed"),
        mean_points=statistics.fmean(t.score for t in tests),
        max_points=max(t.max_score for t in tests),
        messages=_top(Counter(t.output.in_language(language) for t, language in read if t.status != "passed")),
    )


def _top(messages: Counter) -> tuple[Message, ...]:
    """The most common messages, ties broken by text so that every run reads the same."""
    ranked = sorted(messages.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(Message(text, count) for text, count in ranked[:TOP_MESSAGES])


def _review(result: SubmissionResult) -> Review | None:
    reasons = list(reasons_for(result))
    return Review(result.student, result.score, result.max_score, tuple(reasons)) if reasons else None


def reasons_for(result: SubmissionResult) -> Iterable[Reason]:
    """Why a person should look at this result (the rules in the module's docstring), in the result's language."""
    language = result.language
    if result.internal_errors:
        more = f" (+{len(result.internal_errors) - 1})" if len(result.internal_errors) > 1 else ""
        yield Reason("internal", _internal_summary(result.internal_errors[0].in_language(language)) + more)
    if result.grader_failure:
        yield Reason("grader_failure", result.grader_failure.in_language(language))
    isolation = result.isolation or result.graded_on.isolation
    if not isolation.startswith(FULL_ISOLATION):
        yield Reason("isolation", isolation)
    for cause in LIMIT_CAUSES:
        hit = [t.name for t in result.tests if t.cause == cause or (cause == "timeout" and t.status == "timeout")]
        if hit:
            yield Reason(cause, ", ".join(hit))
    if result.errors:
        yield Reason("error", " | ".join(error.in_language(language) for error in result.errors))
    if result.percent >= 100 * NEAR_THRESHOLD_SHARE:
        for test in result.tests:
            if test.cause == "accuracy" and test.status != "passed":
                yield Reason("near_threshold", f"{test.name}: {test.output.in_language(language)}")


def _internal_summary(text: str) -> str:
    """ "nodeid: the error" out of "nodeid: pytest's long report" (its last `E   ` line names the error)."""
    where, _, report = text.partition(": ")
    lines = [line.strip() for line in report.splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    error = errors[-1] if errors else (lines[-1] if lines else "")
    line = f"{where}: {error}" if error else where
    return line if len(line) <= 300 else line[:299] + "…"


def _timing(results: Sequence[SubmissionResult]) -> Timing:
    times = [r.execution_time for r in results]
    slowest = sorted(results, key=lambda r: (-r.execution_time, r.student))[:SLOWEST]
    return Timing(
        statistics.fmean(times),
        statistics.median(times),
        max(times),
        tuple(Timed(r.student, r.execution_time) for r in slowest),
    )
