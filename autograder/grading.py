"""grade(): one submission, one judge, one fresh sandbox; shared by the CLI, the batch engine and the Python API.

Each submission gets its own judge process with a wall-clock backstop (the student's own time is
charged inside, on an idle clock; passing the backstop means the grading machine was overloaded). The verdict is
rebuilt from the judge's progress lines against the manifest of tests, so a test with no
recorded verdict (the judge was killed, or crashed) scores 0 with its cause named: a
missing result is never a pass. This process is a child subreaper: whatever a student's
code left running is re-parented here and killed.
"""
from __future__ import annotations

import os
import platform
import secrets
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from autograder.config import GradingConfig, load_config
from autograder.devices import DEV, device_label, gpus
from autograder.engine.feedback import say, set_language
from autograder.engine.inputs import hidden_paths, stage_inputs
from autograder.engine.job import GradingJob, JudgeRecord
from autograder.errors import InstructorError
from autograder.fingerprints import grader_fingerprint, suite_fingerprint
from autograder.judges import WarmJudge, run_judge
from autograder.processes import become_subreaper
from autograder.results import GradedOn, SubmissionResult, TestResult
from autograder.sandbox.launcher import choose_isolation
from autograder.submission import Pick, PreparedSubmission, SubmissionError, pick_submission, prepare

JUDGE_GRACE_SECONDS = 60  # pytest start-up and reference computations on top of the student's time


class GraderError(InstructorError):
    """The grader itself could not run (bad config, broken suite, missing data)."""


@dataclass(frozen=True)
class GradeOptions:
    seed: int | None = None
    isolation: str | None = None  # "auto" (bubblewrap, or refuse) or "subprocess"; None: grading.toml's course.isolation
    language: str | None = None
    threads: int | None = None  # threads for the student's code; None: every core this process may use
    inputs: Path | None = None  # read-only folder for the child; None: what the suite declares (engine.inputs)
    # The one GPU the child gets (N of /dev/nvidiaN; a Dask worker's own); None: none, train on the CPU;
    # "auto": the judge slot's GPU (JudgePool), else this machine's first. grading.toml's device = "cpu" wins.
    gpu: int | Literal["auto"] | None = "auto"


def grade(path: str | os.PathLike, assignment: str, *, config: GradingConfig | None = None,
          options: GradeOptions = GradeOptions(), student: str | None = None,
          released: Path | None = None) -> SubmissionResult:
    """Grade one submission (a .py, a .ipynb or a folder holding one) of `assignment`.

    From a folder, the file the student changed is graded (`submission.pick_submission`);
    `released` is the folder of what students were given (default: assignments/NN_NAME).
    """
    config = config or load_config()
    spec = config.assignment(assignment)
    set_language(options.language or config.course.language)
    pick = pick_submission(Path(path), spec.file, released if released is not None else released_folder(config, assignment))
    return grade_prepared(read_submission(pick, spec.file), assignment, student or student_name(Path(path)),
                          config=config, options=options)


@dataclass(frozen=True)
class Submission:
    """One student's work, read into memory: what the judge gets, or why there is nothing to grade."""

    pick: Pick
    prepared: PreparedSubmission | None
    problem: str | None = None
    notes: tuple[str, ...] = ()  # about the hand-in as a whole (its id), for the student and the instructor
    alternatives: tuple[PreparedSubmission, ...] = ()  # other files as much the student's work: graded too, the best counts

    @property
    def digest(self) -> str:
        own = self.prepared.digest if self.prepared else "unreadable:" + (self.problem or "")
        return ":".join([own, *(alternative.digest for alternative in self.alternatives)])


def read_submission(pick: Pick, expected_file: str) -> Submission:
    try:
        prepared = prepare(pick, expected_file)
    except SubmissionError as err:
        return Submission(pick, None, str(err))
    alternatives = []
    for other in pick.alternatives:
        try:
            alternatives.append(prepare(pick.choosing(other.name), expected_file))
        except SubmissionError:
            continue  # an alternative that cannot be read is no better than the file that can
    return Submission(pick, prepared, alternatives=tuple(alternatives))


def grade_prepared(submission: Submission, assignment: str, student: str, *, config: GradingConfig,
                   options: GradeOptions = GradeOptions(), judge: WarmJudge | None = None) -> SubmissionResult:
    """Grade a submission already read into memory: one fresh judge, one fresh sandbox.

    With `judge` (a batch worker's warm judge) the judge is forked from a process that has
    already paid the imports; otherwise it is a new Python process. With alternatives (the
    notebook and the .py both changed), each is graded with the same seed and the best counts.
    """
    if submission.alternatives:
        return _best_of(submission, assignment, student, config=config, options=options, judge=judge)
    limits = config.limits_for(assignment)
    language = options.language or config.course.language
    set_language(language)
    seed = options.seed if options.seed is not None else secrets.randbits(31)
    isolation = options.isolation or config.course.isolation
    choose_isolation(isolation)  # no sandbox here: stop with the reason before any student code runs
    started = time.perf_counter()
    prepared = submission.prepared
    inputs = options.inputs or stage_inputs(config, assignment)
    become_subreaper()
    device, gpu = _placement(config, options, judge)
    job = GradingJob.for_config(
        config, student=student, assignment=assignment,
        submission=prepared.to_wire() if prepared else None, problem=submission.problem,
        seed=seed, language=language, isolation=isolation, device=device, gpu=gpu,
        threads=options.threads or _cpu_count(), inputs=str(inputs) if inputs else None, hidden=hidden_paths(config))
    with tempfile.TemporaryDirectory(prefix="autograder-judge-") as scratch:
        progress = Path(scratch) / "progress.jsonl"
        job_file = Path(scratch) / "job.json"
        job_file.write_text(job.model_dump_json(), encoding="utf-8")
        timeout = limits.wall_time * limits.backstop + JUDGE_GRACE_SECONDS
        if judge is not None:
            log, judge_failure, judge_died = judge.run(job_file, progress, Path(scratch) / "judge.log", timeout)
        else:
            log, judge_failure, judge_died = run_judge(job_file, progress, timeout)
        result = _rebuild(progress, student, assignment, seed, language)
    result.execution_time = time.perf_counter() - started
    result.graded_on = GradedOn(host=platform.node(), device=device_label(job.device, job.gpu), isolation=result.isolation,
                                grader=grader_fingerprint(), suite=suite_fingerprint(config, assignment, language))
    if prepared is not None:
        result.graded_file, result.submission_digest = prepared.graded_file, prepared.digest
    result.notes[:0] = [*(note for note in submission.pick.notes if note != submission.problem),
                        *(prepared.notes if prepared else ()), *submission.notes]
    if not result.tests:
        raise GraderError(f"The hidden tests of {assignment!r} could not be run ({judge_failure or 'no tests were collected'}); "
                          f"run `pytest {config.suite_dir(assignment)}` to see why. Judge output: {log[-1500:]}")
    if judge_failure:
        result.errors.append(say(f"Grading stopped early: {judge_failure}. Tests without a verdict score 0.",
                                 f"채점이 도중에 멈췄습니다: {judge_failure}. 결과가 없는 테스트는 0점입니다."))
    if judge_died:
        result.grader_failure = judge_failure
    if not result.isolation and judge_failure:
        result.isolation = "unknown (the judge stopped before reporting it)"
    return SubmissionResult.model_validate(result.model_dump())  # every text field cleaned (results.Text), as on disk


def _best_of(submission: Submission, assignment: str, student: str, *, config: GradingConfig, options: GradeOptions,
             judge: WarmJudge | None) -> SubmissionResult:
    """Grade the picked file and each alternative with one seed; the highest score counts (the picked file on a tie)."""
    same = replace(options, seed=options.seed if options.seed is not None else secrets.randbits(31))
    results = [grade_prepared(replace(submission, alternatives=()), assignment, student, config=config, options=same, judge=judge)]
    for alternative in submission.alternatives:
        results.append(grade_prepared(replace(submission, prepared=alternative, alternatives=()), assignment, student,
                                      config=config, options=same, judge=judge))
    best = max(results, key=lambda result: result.score)
    others = [result for result in results if result is not best]
    named = ", ".join(f"{r.graded_file} {r.score:g}" for r in others)
    named_ko = ", ".join(f"{r.graded_file} {r.score:g}점" for r in others)
    best.notes.append(say(f"Both {best.graded_file} and {', '.join(r.graded_file for r in others)} hold your work, so each was graded; "
                          f"{best.graded_file} scored {best.score:g} ({named}) and counts.",
                          f"{best.graded_file}와(과) {', '.join(r.graded_file for r in others)}에 모두 작업이 있어 각각 채점했습니다. "
                          f"{best.graded_file}이(가) {best.score:g}점({named_ko})으로 이 점수가 반영됩니다."))
    best.submission_digest = submission.digest
    return best


def _rebuild(progress: Path, student: str, assignment: str, seed: int, language: str) -> SubmissionResult:
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
                name=entry.name, description=entry.description, max_score=entry.max_score,
                output=say("Not graded: grading stopped before this test ran.", "채점하지 못했습니다: 이 테스트 전에 채점이 멈췄습니다."))
        if record.test is not None and record.test.name in tests:
            verdict = record.test
            tests[verdict.name] = tests[verdict.name].model_copy(update={
                "status": verdict.status, "score": min(verdict.score, tests[verdict.name].max_score),
                "cause": verdict.cause, "output": verdict.output})
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


def released_folder(config: GradingConfig, assignment: str) -> Path | None:
    """assignments/NN_NAME, where the released stub lies (to tell it from the student's work)."""
    from autograder.course.layout import layout

    folder = layout(assignment, config).release_dir
    return folder if folder.is_dir() else None


def _device(config: GradingConfig, dev: Path = DEV) -> str:
    if config.course.device != "auto":
        return config.course.device
    return "cuda" if gpus(dev) else "cpu"


def _placement(config: GradingConfig, options: GradeOptions, judge: WarmJudge | None,
               dev: Path = DEV) -> tuple[str, int | None]:
    """(device, GPU) for one submission: the course's device, and the one GPU its child may use."""
    device = _device(config, dev)
    if device == "cpu" or options.gpu is None:
        return "cpu", None
    if options.gpu != "auto":
        return "cuda", options.gpu
    if judge is not None and judge.gpu is not None:
        return "cuda", judge.gpu
    present = gpus(dev)
    return "cuda", present[0] if present else None


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def student_name(path: Path) -> str:
    """One hand-in's id (a batch also keeps ids apart: autograder.student_ids)."""
    from autograder.student_ids import handin_stem, safe_id

    return safe_id(handin_stem(path.name, path.is_dir() and not path.is_symlink()))
