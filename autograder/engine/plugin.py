"""The pytest plugin that turns a hidden suite into scored, student-safe results.

It provides the fixtures hidden tests use (`student`, `rng`, `thresholds`), learns the
manifest of tests at collection, and records one line per test as soon as it finishes,
so a judge killed halfway still leaves every finished verdict behind. Only a `Failure`'s
text reaches the student; anything else is an internal error for the instructor.
"""

from __future__ import annotations

import re
import tempfile
import time
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest

from autograder.assignments import Assignment
from autograder.bilingual import Said, say
from autograder.config import Limits
from autograder.engine.code_only import code_only_submission
from autograder.engine.feedback import Failure
from autograder.engine.inputs import stage_for_child
from autograder.engine.job import JudgeRecord, JudgeSummary, ManifestEntry, PreparedSubmission, TestVerdict
from autograder.engine.splits import Splits
from autograder.engine.student import ImportFailure, Overloaded, StudentProxy
from autograder.engine.training import TrainingSettings
from autograder.results import Figures, Status
from autograder.sandbox.client import SandboxedSubmission


@dataclass
class JudgeContext:
    name: str
    assignment: Assignment
    submission: PreparedSubmission | None
    limits: Limits
    seed: int
    progress: Path  # JSON lines: manifest, one line per test, then a summary
    isolation: str = "auto"
    device: str = "cpu"
    gpu: int | None = None  # with device "cuda": the only GPU (N of /dev/nvidiaN) the child gets
    threads: int = 1
    inputs: Path | None = None
    hidden: tuple[str, ...] = ()  # host folders the child must not see (test labels)
    drivers: Path | None = None  # the assignment's own sandbox-side drivers (solutions/NN_NAME/drivers.py)
    data_home: Path | None = None
    submission_problem: Said | None = None  # why the submission could not even be read
    started: float = field(default_factory=time.monotonic)


class GradingPlugin:
    def __init__(self, context: JudgeContext):
        self.context = context
        self.proxy: StudentProxy | _Unreadable | None = None
        self.sandbox: SandboxedSubmission | None = None
        self.max_scores: dict[str, float] = {}
        self.internal: list[Said] = []  # tracebacks for the instructor: the same in both languages
        self._out = open(context.progress, "a", encoding="utf-8")
        self.splits: Splits | None = None  # a model's training images: what the child gets, what is kept from it
        self._staging: tempfile.TemporaryDirectory[str] | None = None  # the child's training data, less the hold-out
        self._launch_error: Exception | None = None
        self.overloaded = Said()  # why grading stopped: other work starved the submission (Overloaded)
        # What the sandbox runs: a model assignment's code without comments and docstrings, so nothing but code can
        # carry a table into it, and the source cap measures exactly what runs (code_only.py).
        self.runs = context.submission
        if context.submission is not None and context.assignment.kind == "model":
            self.runs = code_only_submission(context.submission)

    # -- the child ------------------------------------------------------------------------
    def launch(self) -> None:
        """Start the submission's child now, before pytest collects the suite: it imports (a framework takes
        seconds) while the grader goes on. A model's training data, less the hold-out, reach its /inputs before
        the first call. Whatever fails here is raised again by the `student` fixture, where a test reports it."""
        context, submission = self.context, self.runs
        if submission is None or self.sandbox is not None or self._launch_error is not None:
            return
        try:
            model = context.assignment.kind == "model"
            given = inputs = context.inputs
            if given is not None and model:  # the child gets a folder of its own, filled once it is launched
                self._staging = tempfile.TemporaryDirectory(prefix="autograder-inputs-")
                inputs = Path(self._staging.name)
                self.splits = Splits.draw(context.seed, _rows(given), context.assignment.integrity.holdout)
            self.sandbox = SandboxedSubmission(
                submission.files,
                submission.module_file,
                context.limits,
                cells=submission.cells,
                inputs=inputs,
                preload=("torch",) if model and mentions_torch(submission) else (),
                device=context.device,
                gpu=context.gpu,
                threads=context.threads,
                isolation=context.isolation,
                hidden=context.hidden,
                drivers=context.drivers,
            )
            self.sandbox.launch()
            if given is not None and inputs is not None and self.splits is not None:
                stage_for_child(given, self.splits, inputs)
        except Exception as error:  # noqa: BLE001 - kept for the fixture, which raises it inside a test
            self._launch_error = error

    def close(self) -> None:
        """End the child and remove its training data; safe to call twice."""
        if self.sandbox is not None:
            self.sandbox.close()
        if self._staging is not None:
            self._staging.cleanup()
            self._staging = None

    # -- fixtures ------------------------------------------------------------------------
    @pytest.fixture(scope="session")
    def student(self) -> Iterator[StudentProxy | _Unreadable]:
        context = self.context
        if self.runs is None:
            assert context.submission_problem is not None  # judge.py names the problem whenever nothing was read
            failure = ImportFailure(context.submission_problem.en, context.submission_problem.ko, cause="import")
            self.proxy = _Unreadable(failure)
            yield self.proxy
            return
        self.launch()  # at once, unless judge.py launched it before pytest started
        try:
            if self._launch_error is not None:
                raise self._launch_error
            assert self.sandbox is not None  # launched
            self.proxy = StudentProxy(self.sandbox, self.runs.module_file, context.limits.wall_time)
            yield self.proxy
        finally:
            self.close()

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest) -> np.random.Generator:
        """Inputs from the parent's generator: a per-run seed mixed with the test's name."""
        return np.random.default_rng(
            np.random.SeedSequence([self.context.seed, zlib.crc32(request.node.nodeid.encode())])
        )

    @pytest.fixture(scope="session")
    def thresholds(self) -> dict[str, float]:
        return dict(self.context.assignment.thresholds)

    @pytest.fixture(scope="session")
    def training(self, student: StudentProxy | _Unreadable) -> TrainingSettings:
        """What a model pipeline needs: the run's seed, device, threads, data and time limit."""
        context = self.context
        submission = self.runs
        sources = (
            ()
            if submission is None
            else tuple(
                [
                    content.decode("utf-8", errors="replace")
                    for name, content in submission.files.items()
                    if name.endswith(".py")
                ]
                + [cell["source"] for cell in submission.cells or []]
            )
        )
        return TrainingSettings(
            seed=context.seed,
            device=context.device,
            threads=context.threads,
            data_home=context.data_home,
            call_time=context.limits.call_time,
            integrity=context.assignment.integrity,
            splits=self.splits,
            sources=sources,
        )

    # -- hooks ---------------------------------------------------------------------------
    def pytest_collection_modifyitems(self, items: list[pytest.Function]) -> None:  # a hidden suite's tests
        weights = self.context.assignment.weights  # assignment.toml's [weights], grading.toml's over them
        raw: dict[str, float] = {}
        for item in items:
            if item.get_closest_marker("weight"):
                raise pytest.UsageError(
                    f"{item.nodeid} has a @pytest.mark.weight; set its weight in assignment.toml's [weights] instead."
                )
            raw[item.name] = weights.get(item.name, weights.get(item.originalname, 1.0))
        self.max_scores = split_points(self.context.assignment.points, raw)
        manifest = [
            ManifestEntry(name=item.name, description=_description(item), max_score=self.max_scores[item.name])
            for item in items
        ]
        self._write(JudgeRecord(manifest=manifest))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self._record(item, call, report)
            if self.overloaded:
                item.session.shouldstop = "the grading machine was overloaded"  # no later verdict could be trusted
        return report

    def pytest_sessionfinish(self) -> None:
        summary = JudgeSummary(
            isolation=self.sandbox.isolation.describe() if self.sandbox else "",
            import_time=self.sandbox.hello.seconds if self.sandbox and self.sandbox.hello else 0.0,
            notes=self.proxy.notes if self.proxy else [],
            internal_errors=self.internal,
            figures=self.proxy.figures if self.proxy else Figures(),
            errors=[self.proxy.import_failure.text] if self.proxy and self.proxy.import_failure else [],
            overloaded=self.overloaded,
        )
        self._write(JudgeRecord(summary=summary))
        self._out.close()
        self.close()  # a child launched for a suite that never asked for it

    # -------------------------------------------------------------------------------------
    def _record(self, item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
        self._write(JudgeRecord(test=self._verdict(item, call, report)))

    def _verdict(self, item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> TestVerdict:
        max_score = self.max_scores.get(item.name, 0.0)
        error = call.excinfo.value if call.excinfo else None

        def verdict(status: Status, output: Said, cause: str = "") -> TestVerdict:
            score = max_score if status == "passed" else 0.0
            return TestVerdict(
                name=item.name, max_score=max_score, status=status, score=score, cause=cause, output=output
            )

        if report.passed:
            return verdict("passed", say("Passed.", "통과했습니다."))
        if report.skipped:
            return verdict("not_run", say("Not run.", "실행되지 않았습니다."))
        if isinstance(error, Overloaded):
            self.overloaded = error.text
            return verdict("error", error.text, "overloaded")
        if isinstance(error, ImportFailure):
            return verdict(
                "failed",
                say(
                    "Not graded: the submission could not be imported (see the message above).",
                    "채점하지 못했습니다: 제출물을 불러올 수 없습니다 (위의 메시지를 보세요).",
                ),
                "import",
            )
        if isinstance(error, Failure):
            return verdict("timeout" if error.cause == "timeout" else "failed", error.text, error.cause)
        self.internal.append(Said.same(f"{item.nodeid}: {report.longreprtext[-4000:]}"))
        return verdict(
            "error",
            say(
                "The grader met an internal error in this test; your instructor will see it.",
                "이 테스트에서 채점기 내부 오류가 발생했습니다. 담당 교수자에게 전달됩니다.",
            ),
            "internal",
        )

    def _write(self, record: JudgeRecord) -> None:
        self._out.write(record.model_dump_json(exclude_none=True) + "\n")
        self._out.flush()


_TORCH_IMPORT = re.compile(
    rb"(?m)^[ \t]*(?:import[^\n#]*\btorch|from[ \t]+torch)|(?:__import__|import_module)\([^)]*torch"
)


def mentions_torch(submission: PreparedSubmission) -> bool:
    """Whether the hand-in imports torch (or torchvision, ...): then the sandbox imports torch before the student's
    code, since torch loaded after TensorFlow in one process can crash. A Keras hand-in that never imports it does not
    pay for importing torch (seconds, and memory); one that only names it in a comment or a string does not either."""
    texts = [*submission.files.values(), *(str(cell.get("source", "")).encode() for cell in submission.cells or [])]
    return any(_TORCH_IMPORT.search(text) for text in texts)


def _rows(inputs: Path) -> int:
    """How many training images the staged inputs hold (read from the .npy header only)."""
    return len(np.load(inputs / "y_train.npy", mmap_mode="r"))


def _description(item: pytest.Item) -> Said:
    """The test's question for the student: the docstring's first line, or its `ko:` line in Korean."""
    lines = [
        line.strip() for line in (getattr(getattr(item, "function", None), "__doc__", None) or "").strip().splitlines()
    ]
    english = lines[0] if lines else ""
    korean = next((line[3:].strip() for line in lines if line.startswith("ko:")), "")
    first = say(english, korean or english)
    param = f" [{item.callspec.id}]" if hasattr(item, "callspec") else ""
    return (first + param) if first else Said.same(item.name)


class _Unreadable:
    """Stands in for a submission that could not be read: every use fails the same way."""

    def __init__(self, failure: ImportFailure):
        self.import_failure, self.figures = failure, Figures()
        self.notes: list[Said] = []
        self.last_warnings: list[str] = []

    def __getattr__(self, name: str) -> NoReturn:
        raise self.import_failure


def split_points(points: float, weights: dict[str, float], places: int = 4) -> dict[str, float]:
    """Shares of `points` in proportion to `weights`, rounded so that they add up to `points` exactly.

    Rounding each share on its own would give totals like 9.9998; the largest-remainder
    method hands the leftover units to the shares that lost most to rounding.
    """
    unit = 10**places
    total_weight = sum(weights.values())
    if not weights or total_weight <= 0:
        return {name: 0.0 for name in weights}
    total_units = round(points * unit)
    exact = {name: total_units * weight / total_weight for name, weight in weights.items()}
    units = {name: int(share) for name, share in exact.items()}
    leftover = total_units - sum(units.values())
    for name in sorted(exact, key=lambda n: exact[n] - units[n], reverse=True)[:leftover]:
        units[name] += 1
    return {name: count / unit for name, count in units.items()}
