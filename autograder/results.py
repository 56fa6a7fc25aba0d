"""One results model for every report: per test, per submission, Gradescope-shaped.

Scores are derived, never stored twice: a submission's score is the sum of its tests'.
`to_gradescope()` writes Gradescope's results.json schema, with our own fields beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, computed_field

from autograder.bilingual import Said, from_plain
from autograder.untrusted_text import printable

Status = Literal["passed", "failed", "error", "timeout", "not_run"]
# Any text a student's code or files could have shaped: kept without control characters at every boundary
# the model crosses (judge to grader, worker to batch, disk to report), so no report ever prints an escape.
Text = Annotated[str, AfterValidator(printable)]
# What a student (or the instructor) reads, in both languages (bilingual.Said, each language printable as Text);
# a renderer picks one from the result's `language`. A result stored before both were kept holds a plain string:
# it reads as that text in both languages.
Prose = Annotated[Said, BeforeValidator(from_plain)]


class TestResult(BaseModel):
    __test__ = False  # not a pytest class

    name: str  # the pytest item name, stable across runs
    description: Prose = Said()
    max_score: float
    score: float = 0.0
    status: Status = "not_run"
    cause: str = ""  # which property failed: shape, nan, values, timeout, import...
    output: Prose = Said()  # the student-facing message
    visibility: Literal["visible", "hidden", "after_due_date", "after_published"] = "visible"

    @property
    def function(self) -> str:
        """The test function's name: one for all its parametrized cases (test_mean[7] -> test_mean)."""
        return self.name.split("[")[0]


class Curve(BaseModel):
    """A student's function beside the expected one on a public 1-D sweep (never hidden inputs)."""

    function: str  # e.g. "sigmoid"
    x: list[float]
    expected: list[float]
    got: list[float | None] = Field(default_factory=list)  # None where the value was missing or not finite
    problem: Prose = Said()  # why there are no values (the call raised, wrong shape): student-facing


class Mistake(BaseModel):
    """One misclassified test image: its index in the public test set and the two classes."""

    index: int
    true: int
    predicted: int


class ModelReport(BaseModel):
    """What a trained model did on the test images, for the feedback page's plots."""

    confusion: list[list[int]]  # [true class][predicted class], test images only
    mistakes: list[Mistake] = Field(default_factory=list)  # a few, spread over the classes
    history: dict[Text, list[float]] = Field(
        default_factory=dict
    )  # per-epoch series the training left (loss, val_accuracy, ...)
    history_source: str = ""  # where the series came from: "keras History", "TensorBoard", "model.history"

    @property
    def per_class_accuracy(self) -> list[float]:
        return [row[i] / sum(row) if sum(row) else 0.0 for i, row in enumerate(self.confusion)]


class Figures(BaseModel):
    """The data behind the feedback page's pictures; rendered by autograder/reports, never by the judge."""

    curves: list[Curve] = Field(default_factory=list)
    model: ModelReport | None = None


class GradedOn(BaseModel):
    """Where and by what a result was graded, so any verdict can be traced and reproduced."""

    host: str = ""
    worker: str = ""  # the Dask worker's address, when a cluster graded it
    device: str = ""
    isolation: str = ""
    grader: str = ""  # the grader's version and a digest of its code
    suite: str = ""  # a digest of the hidden suite, the assignment's settings and the language


class SubmissionResult(BaseModel):
    student: Text
    assignment: str
    tests: list[TestResult] = Field(default_factory=list)
    isolation: Text = ""
    seed: int = 0
    execution_time: float = 0.0
    import_time: float = 0.0
    errors: list[Prose] = Field(default_factory=list)  # one clear sentence each, for the student
    notes: list[Prose] = Field(default_factory=list)  # cell errors, restarts: context for the student
    internal_errors: list[Prose] = Field(default_factory=list)  # grader bugs: for the instructor only
    graded_file: Text = ""  # the student's file that was graded (a folder may hold the stub beside it)
    submission_digest: str = ""  # sha256 of what reached the sandbox
    resume_key: str = ""  # submission, hidden suite, settings and grader: a batch keeps a result only while it matches
    grader_failure: Prose = Said()  # grading itself failed (the judge died): a batch grades this student again
    graded_on: GradedOn = Field(default_factory=GradedOn)
    language: str = "en"  # the language its renderers show (every text holds both)
    figures: Figures = Field(default_factory=Figures)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form, which mypy does not model
    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 4)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form, which mypy does not model
    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 4)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def to_gradescope(self) -> dict[str, Any]:
        """Gradescope's results.json in the result's language, plus our own fields under their own names."""
        language = self.language
        output = "\n".join(text.in_language(language) for text in self.errors + self.notes)
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 3),
            "output": output,
            "visibility": "visible",
            "tests": [
                {
                    "name": t.description.in_language(language) or t.name,
                    "number": t.name,
                    "score": t.score,
                    "max_score": t.max_score,
                    "status": "passed" if t.status == "passed" else "failed",
                    "output": t.output.in_language(language),
                    "visibility": t.visibility,
                }
                for t in self.tests
            ],
            "autograder": self.model_dump(mode="json", exclude={"tests", "internal_errors", "figures"}),
        }


def read_result(path: Path) -> SubmissionResult | None:
    """The one reader of a stored result (OUT/STUDENT.json): None for a file that is missing, unreadable or not a
    valid result (pydantic's ValidationError and UnicodeDecodeError are ValueErrors), never an exception."""
    try:
        return SubmissionResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
