"""grade(): one submission, one judge, one fresh sandbox; shared by the CLI, the batch engine and the Python API.

Each submission gets its own judge (autograder.judges) with a wall-clock backstop (the student's own time is
charged inside, on an idle clock; passing the backstop means the grading machine was overloaded). The verdict is
rebuilt from the judge's progress lines against the manifest of tests (engine.job.rebuild_result), so a test with no
recorded verdict (the judge was killed, or crashed) scores 0 with its cause named: a
missing result is never a pass. This process is a child subreaper (autograder.processes): whatever a student's
code left running is re-parented here and killed. Each result names where it was graded and the fingerprints
of the grader and the hidden suite (autograder.fingerprints), by which a batch knows what is still valid.
"""

from __future__ import annotations

import os
import platform
import secrets
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from autograder.bilingual import say
from autograder.config import GradingConfig, load_config
from autograder.cores import affinity_cores
from autograder.devices import device_label, placement
from autograder.engine.inputs import hidden_paths, stage_inputs
from autograder.engine.job import GradingJob, rebuild_result
from autograder.errors import GraderError
from autograder.files import write_atomically
from autograder.fingerprints import grader_fingerprint, suite_fingerprint
from autograder.job_folders import job_folder
from autograder.judges import WarmJudge, run_judge
from autograder.processes import become_subreaper
from autograder.results import GradedOn, SubmissionResult
from autograder.sandbox.launcher import choose_isolation
from autograder.student_ids import student_id
from autograder.submission import Submission, pick_submission, read_submission

JUDGE_GRACE_SECONDS = 60  # pytest start-up and reference computations on top of the student's time


@dataclass(frozen=True)
class GradeOptions:
    seed: int | None = None
    isolation: str | None = (
        None  # "auto" (bubblewrap, or refuse) or "subprocess"; None: grading.toml's course.isolation
    )
    language: str | None = None
    threads: int | None = None  # threads for the student's code; None: every core this process may use
    inputs: Path | None = None  # read-only folder for the child; None: what the suite declares (engine.inputs)
    # The one GPU the child gets (N of /dev/nvidiaN; a Dask worker's own); None: none, train on the CPU;
    # "auto": the judge slot's GPU (JudgePool), else this machine's first. grading.toml's device = "cpu" wins.
    gpu: int | Literal["auto"] | None = "auto"


def grade(
    path: str | os.PathLike[str],
    assignment: str,
    *,
    config: GradingConfig | None = None,
    options: GradeOptions = GradeOptions(),
    student: str | None = None,
    released: Path | None = None,
) -> SubmissionResult:
    """Grade one submission (a .py, a .ipynb or a folder holding one) of `assignment`.

    From a folder, the file the student changed is graded (`submission.pick_submission`);
    `released` is the folder of what students were given (default: assignments/NN_NAME).
    """
    config = config or load_config()
    spec = config.assignment(assignment)
    pick = pick_submission(
        Path(path), spec.file, released if released is not None else released_folder(config, assignment)
    )
    return grade_prepared(
        read_submission(pick, spec.file), assignment, student or student_id(Path(path)), config=config, options=options
    )


def grade_prepared(
    submission: Submission,
    assignment: str,
    student: str,
    *,
    config: GradingConfig,
    options: GradeOptions = GradeOptions(),
    judge: WarmJudge | None = None,
) -> SubmissionResult:
    """Grade a submission already read into memory: one fresh judge, one fresh sandbox.

    With `judge` (a batch worker's warm judge) the judge is forked from a process that has
    already paid the imports; otherwise it is a new Python process. With alternatives (the
    notebook and the .py both changed), each is graded with the same seed and the best counts.
    """
    if submission.alternatives:
        return _best_of(submission, assignment, student, config=config, options=options, judge=judge)
    limits = config.limits_for(assignment)
    language = options.language or config.course.language
    seed = options.seed if options.seed is not None else secrets.randbits(31)
    isolation = options.isolation or config.course.isolation
    choose_isolation(isolation)  # no sandbox here: stop with the reason before any student code runs
    started = time.perf_counter()
    prepared = submission.prepared
    inputs = options.inputs or stage_inputs(config, assignment)
    become_subreaper()
    device, gpu = placement(config.course.device, options.gpu, judge.gpu if judge is not None else None)
    job = GradingJob.for_config(
        config,
        student=student,
        assignment=assignment,
        submission=prepared.to_wire() if prepared else None,
        problem=submission.problem,
        seed=seed,
        language=language,
        isolation=isolation,
        device=device,
        gpu=gpu,
        threads=options.threads or affinity_cores(),
        inputs=str(inputs) if inputs else None,
        hidden=hidden_paths(config),
    )
    # The job's private folder: the judge keeps its temporary files here (the sandbox's staging among them), so that
    # removing it here cleans up after a judge that was killed (and the next grading, after a grader that was).
    with job_folder() as scratch:
        progress = Path(scratch) / "progress.jsonl"
        job_file = Path(scratch) / "job.json"
        write_atomically(job_file, job.model_dump_json())  # created 0600
        timeout = limits.wall_time * limits.backstop + JUDGE_GRACE_SECONDS
        if judge is not None:
            log, judge_failure, judge_died = judge.run(job_file, progress, Path(scratch) / "judge.log", timeout)
        else:
            log, judge_failure, judge_died = run_judge(job_file, progress, timeout)
        result = rebuild_result(progress, student, assignment, seed, language)
    result.execution_time = time.perf_counter() - started
    result.graded_on = GradedOn(
        host=platform.node(),
        device=device_label(job.device, job.gpu),
        isolation=result.isolation,
        grader=grader_fingerprint(),
        suite=suite_fingerprint(config, assignment, language),
    )
    if prepared is not None:
        result.graded_file, result.submission_digest = prepared.graded_file, prepared.digest
    result.notes[:0] = [
        *(note for note in submission.pick.notes if note != submission.problem),
        *(prepared.notes if prepared else ()),
        *submission.notes,
    ]
    if not result.tests:
        raise GraderError(
            f"The hidden tests of {assignment!r} could not be run ({judge_failure.en if judge_failure else 'no tests were collected'}); "
            f"run `pytest {config.suite_dir(assignment)}` to see why. Judge output: {log[-1500:]}"
        )
    if judge_failure:
        result.errors.append(
            say(
                f"Grading stopped early: {judge_failure.en}. Tests without a verdict score 0.",
                f"채점이 도중에 멈췄습니다: {judge_failure.ko}. 결과가 없는 테스트는 0점입니다.",
            )
        )
    if judge_died and judge_failure is not None:  # a judge that died always says why
        result.grader_failure = judge_failure
    if not result.isolation and judge_failure:
        result.isolation = "unknown (the judge stopped before reporting it)"
    return SubmissionResult.model_validate(result.model_dump())  # every text field cleaned (results.Text), as on disk


def _best_of(
    submission: Submission,
    assignment: str,
    student: str,
    *,
    config: GradingConfig,
    options: GradeOptions,
    judge: WarmJudge | None,
) -> SubmissionResult:
    """Grade the picked file and each alternative with one seed; the highest score counts (the picked file on a tie)."""
    same = replace(options, seed=options.seed if options.seed is not None else secrets.randbits(31))
    results = [
        grade_prepared(
            replace(submission, alternatives=()), assignment, student, config=config, options=same, judge=judge
        )
    ]
    for alternative in submission.alternatives:
        results.append(
            grade_prepared(
                replace(submission, prepared=alternative, alternatives=()),
                assignment,
                student,
                config=config,
                options=same,
                judge=judge,
            )
        )
    best = max(results, key=lambda result: result.score)
    others = [result for result in results if result is not best]
    named = ", ".join(f"{r.graded_file} {r.score:g}" for r in others)
    named_ko = ", ".join(f"{r.graded_file} {r.score:g}점" for r in others)
    best.notes.append(
        say(
            f"Both {best.graded_file} and {', '.join(r.graded_file for r in others)} hold your work, so each was graded; "
            f"{best.graded_file} scored {best.score:g} ({named}) and counts.",
            f"{best.graded_file}와(과) {', '.join(r.graded_file for r in others)}에 모두 작업이 있어 각각 채점했습니다. "
            f"{best.graded_file}이(가) {best.score:g}점({named_ko})으로 이 점수가 반영됩니다.",
        )
    )
    best.submission_digest = submission.digest
    return best


def released_folder(config: GradingConfig, assignment: str) -> Path | None:
    """assignments/NN_NAME, where the released stub lies (to tell it from the student's work)."""
    folder = config.release_dir(assignment)
    return folder if folder.is_dir() else None
