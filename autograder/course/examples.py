"""The example class: every assignment's submissions assembled from what the repository holds.

Students are the reference solution ("reference"), the released stub ("stub") and each
file of solutions/NN_NAME/variants/ (named after the file). An assignment with a second track
(say pytorch/fashion_mlp.py) adds "reference_pytorch" and "stub_pytorch". They are staged as symbolic links in
a scratch folder (an overlay variant as the whole file it stands for), so `grade_all`
grades them like any class.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.config import GradingConfig, load_config
from autograder.course.expectations import FAIL_ALL, PASS_ALL, Expectation, overlay_source, variant_expectation
from autograder.course.layout import has_hidden_suite, layout
from autograder.course.release import solution_tracks
from autograder.errors import ExpectationError, GraderError
from autograder.files import write_atomically
from autograder.results import SubmissionResult

REFERENCE = "reference"
STUB = "stub"


@dataclass(frozen=True)
class ExampleSubmission:
    student: str
    path: Path
    expectation: Expectation
    source: str | None = None  # the whole submission when it is not simply the file at `path`


def example_class(name: str, config: GradingConfig | None = None) -> list[ExampleSubmission]:
    """The example submissions of `name` that exist now, reference and stub first."""
    spot = layout(name, config or load_config())
    found = []
    if spot.solution_file.is_file():
        found.append(ExampleSubmission(REFERENCE, spot.solution_file, PASS_ALL))
    stub = spot.release_dir / spot.file
    if stub.is_file():
        found.append(ExampleSubmission(STUB, stub, FAIL_ALL))
    if spot.solution_file.is_file():
        for track in solution_tracks(spot)[1:]:
            suffix = Path(track).parent.name or Path(track).stem
            found.append(ExampleSubmission(f"{REFERENCE}_{suffix}", spot.solution_dir / track, PASS_ALL))
            if (spot.release_dir / track).is_file():
                found.append(ExampleSubmission(f"{STUB}_{suffix}", spot.release_dir / track, FAIL_ALL))
    taken = {example.student for example in found}
    for variant in spot.variants():
        if variant.stem not in taken:
            found.append(
                ExampleSubmission(
                    variant.stem, variant, variant_expectation(variant), overlay_source(variant, spot.solution_file)
                )
            )
    return found


@contextlib.contextmanager
def staged(examples: list[ExampleSubmission]) -> Iterator[Path]:
    """A scratch folder holding one file per student, in the layout `grade_all` discovers."""
    with tempfile.TemporaryDirectory(prefix="autograder-examples-") as folder:
        for example in examples:
            staged_file = Path(folder) / f"{example.student}{example.path.suffix}"
            if example.source is not None:
                staged_file.write_text(example.source, encoding="utf-8")
            else:
                shutil.copyfile(example.path, staged_file)  # a copy: the intake never follows a link
        yield Path(folder)


def write_gradebook_json(path: Path, results: list[SubmissionResult]) -> None:
    """All results of one assignment's example class in one JSON file, beside gradebook.csv."""
    payload = "[\n" + ",\n".join(r.model_dump_json(indent=2) for r in results) + "\n]\n"
    write_atomically(path, payload)


@dataclass
class ExampleRun:
    """The example classes graded: every result, and each example that did not score as its expectation says."""

    results: list[SubmissionResult]
    unmet: list[tuple[str, str, str]]  # (assignment, student, what was expected and what came)


GradeFolder = Callable[[Path, str, Path], list[SubmissionResult]]  # (class folder, assignment, out) -> results


def grade_examples(
    config: GradingConfig, names: Sequence[str], out: Path, grade: GradeFolder, *, skip_models: bool = False
) -> ExampleRun:
    """Grade the example class of each assignment named (all of them if none) with `grade`, into out/NAME, and check
    every example against its expectation. Raises GraderError when there is nothing to grade."""
    for name in names:
        config.assignment(name)  # an unknown name stops here, with the list of known ones
    run = ExampleRun([], [])
    for name in list(names) or list(config.assignments):
        if skip_models and config.assignment(name).kind == "model":
            continue
        try:
            examples = example_class(name, config)
        except ExpectationError as err:
            raise GraderError(str(err)) from None
        if not examples or not has_hidden_suite(name, config):
            continue
        with staged(examples) as folder:
            results = grade(folder, name, out / name)
        write_gradebook_json(out / name / "gradebook.json", results)
        run.results += results
        by_student = {r.student: r for r in results}
        for example in examples:
            result = by_student.get(example.student)
            problem = "not graded" if result is None else example.expectation.unmet(result)
            if problem:
                run.unmet.append((name, example.student, problem))
    if not run.results:
        raise GraderError(
            "No example submissions found: write solutions/NN_NAME, run `autograder build-release`, "
            "or add files under solutions/NN_NAME/variants/."
        )
    return run
