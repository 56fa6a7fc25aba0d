"""What crosses the boundary between the grader and a judge, both ways, as validated models.

A `GradingJob` is self-contained: the submission's bytes (a `PreparedSubmission` as it
travels), the assignment, the content of grading.toml (an in-memory configuration reaches the judge as it is), the seed and the
options. The judge answers with `JudgeRecord` lines, one per event, appended as they
happen, so a judge killed halfway still leaves every verdict it reached; the grader reads
them back through the same models and rebuilds the `SubmissionResult` from them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from autograder.bilingual import Said, say
from autograder.config import GradingConfig
from autograder.results import Figures, Status, SubmissionResult, TestResult
from autograder.sandbox.protocol import Cell


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WireCell(_Wire):
    """A notebook cell as the job carries it (pydantic reads only typing_extensions' TypedDicts on Python 3.11)."""

    number: int
    source: str


class WireSubmission(_Wire):
    files: dict[str, str]  # name -> base64 content
    module_file: str
    cells: list[WireCell] | None
    graded_file: str


@dataclass(frozen=True)
class PreparedSubmission:
    """A submission read into memory (autograder.submission reads it): exactly what its sandbox gets, and notes."""

    files: dict[str, bytes]  # relative name -> content, staged into the sandbox
    module_file: str  # the file the runner imports, e.g. activations.py
    cells: list[Cell] | None  # notebook cells, or None for a .py
    graded_file: str  # the student's file that was graded, e.g. activations.ipynb
    notes: tuple[Said, ...] = ()  # helper modules left out, for the student (never reaches the sandbox)

    @property
    def is_notebook(self) -> bool:
        return self.cells is not None

    @property
    def digest(self) -> str:
        """sha256 of everything that reaches the sandbox: a resubmission changes it, a re-run does not."""
        digest = hashlib.sha256(self.graded_file.encode() + b"\0" + json.dumps(self.cells).encode())
        for name in sorted(self.files):
            digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(self.files[name]).digest())
        return digest.hexdigest()

    def to_wire(self) -> WireSubmission:
        """As the judge's job carries it: the judge never reads the student's folder."""
        return WireSubmission(
            files={name: base64.b64encode(data).decode() for name, data in self.files.items()},
            module_file=self.module_file,
            cells=None if self.cells is None else [WireCell(**cell) for cell in self.cells],
            graded_file=self.graded_file,
        )

    @classmethod
    def from_wire(cls, wire: WireSubmission) -> PreparedSubmission:
        return cls(
            {name: base64.b64decode(text) for name, text in wire.files.items()},
            wire.module_file,
            None if wire.cells is None else [{"number": cell.number, "source": cell.source} for cell in wire.cells],
            wire.graded_file,
        )


class GradingJob(_Wire):
    student: str
    assignment: str
    config: dict[str, Any]  # grading.toml's content, as validated by GradingConfig
    config_source: str  # grading.toml's path: suites and the data home are found beside it
    submission: WireSubmission | None  # None: nothing readable was handed in (see `problem`)
    problem: Said | None = None
    seed: int
    language: str
    isolation: str
    device: str
    gpu: int | None = None  # with device "cuda": the GPU (N of /dev/nvidiaN) the child gets, and no other
    threads: int
    inputs: str | None = None  # read-only folder of training data for the child
    hidden: tuple[str, ...] = ()  # host folders the child must never see (test labels)

    @classmethod
    def for_config(cls, config: GradingConfig, **fields: Any) -> GradingJob:
        return cls(config=config.model_dump(mode="json"), config_source=str(config.source), **fields)

    def grading_config(self) -> GradingConfig:
        return GradingConfig.model_validate({**self.config, "source": Path(self.config_source)})


class ManifestEntry(_Wire):
    name: str
    description: Said = Said()
    max_score: float


class TestVerdict(_Wire):
    __test__ = False  # not a pytest class

    name: str
    max_score: float
    status: Status
    score: float
    cause: str = ""
    output: Said = Said()


class JudgeSummary(_Wire):
    isolation: str = ""
    import_time: float = 0.0
    notes: list[Said] = []
    errors: list[Said] = []
    internal_errors: list[Said] = []
    figures: Figures = Figures()
    overloaded: Said = Said()  # other work starved the submission: the grading machine's failure, not a verdict


class JudgeRecord(_Wire):
    """One line of the judge's progress file: exactly one of the three is set."""

    manifest: list[ManifestEntry] | None = None
    test: TestVerdict | None = None
    summary: JudgeSummary | None = None


def rebuild_result(progress: Path, student: str, assignment: str, seed: int, language: str) -> SubmissionResult:
    """The result from the judge's records; a test it never reached scores 0, never passes."""
    result = SubmissionResult(student=student, assignment=assignment, seed=seed, language=language)
    records = []
    if progress.exists():
        for line in progress.read_text(encoding="utf-8").splitlines():
            try:
                records.append(JudgeRecord.model_validate_json(line))
            except ValueError:  # a judge killed while writing leaves a torn last line
                continue
    tests: dict[str, TestResult] = {}
    for record in records:
        for entry in record.manifest or ():
            tests[entry.name] = TestResult(
                name=entry.name,
                description=entry.description,
                max_score=entry.max_score,
                output=say(
                    "Not graded: grading stopped before this test ran.",
                    "채점하지 못했습니다: 이 테스트 전에 채점이 멈췄습니다.",
                ),
            )
        if record.test is not None and record.test.name in tests:
            verdict = record.test
            tests[verdict.name] = tests[verdict.name].model_copy(
                update={
                    "status": verdict.status,
                    "score": min(verdict.score, tests[verdict.name].max_score),
                    "cause": verdict.cause,
                    "output": verdict.output,
                }
            )
        if record.summary is not None:
            summary = record.summary
            result.isolation, result.import_time = summary.isolation, summary.import_time
            result.notes.extend(summary.notes)
            result.errors.extend(summary.errors)
            result.internal_errors.extend(summary.internal_errors)
            result.figures = summary.figures
            if summary.overloaded:
                result.grader_failure = summary.overloaded
    result.tests = list(tests.values())
    return result
