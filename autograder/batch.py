"""One batch engine: grade-all, grade-examples and collect-grade all grade a class through it.

For each student it picks the file with the one rule (`submission.pick_submission`), reads
it into memory and computes a resume key from everything a verdict depends on: the
submission as the sandbox would get it, the hidden suite's files, the assignment's part of
grading.toml, the feedback language and the grader's own code. A stored result is kept
only when its key matches and grading itself finished it (a judge that died leaves a
result marked `grader_failure`, graded again next time, never kept as a 0). Every result
is written atomically the moment it is done, so a killed batch resumes where it stopped.
"""
from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from autograder.config import GradingConfig, load_config
from autograder.engine.feedback import say, set_language
from autograder.grading import (GradeOptions, GraderError, JudgePool, Submission, grade_prepared, grader_fingerprint,
                                read_submission, released_folder, suite_fingerprint, write_atomically)
from autograder.reports.student_page import write_student_page
from autograder.results import SubmissionResult
from autograder.sandbox.launcher import choose_isolation
from autograder.student_ids import HANDIN_SUFFIXES, assign_ids, handin_stem
from autograder.submission import Pick, pick_submission
from autograder.untrusted_text import csv_row

if TYPE_CHECKING:
    from autograder.cluster import DaskExecutor

Status = Literal["graded", "kept", "failed"]
OnDone = Callable[[str, SubmissionResult | None, Status, str], None]  # (student, result, status, problem)


def resume_key(submission: Submission, suite: str) -> str:
    return hashlib.sha256(f"{submission.digest}:{suite}:{grader_fingerprint()}".encode()).hexdigest()


def grade_batch(submissions: dict[str, Path], assignment: str, out: Path, *, config: GradingConfig,
                options: GradeOptions = GradeOptions(), workers: int = 1, released: Path | None = None,
                on_done: OnDone | None = None, executor: DaskExecutor | None = None) -> dict[str, SubmissionResult]:
    """Grade each student's file or folder into OUT/STUDENT.json (and the page OUT/STUDENT.html), keeping what is still valid.

    Here, `workers` at a time; with `executor`, on a Dask cluster (autograder.cluster).
    """
    spec = config.assignment(assignment)
    choose_isolation(options.isolation or config.course.isolation)  # refuse once, before the class
    language = options.language or config.course.language
    set_language(language)
    out.mkdir(parents=True, exist_ok=True)
    released = released if released is not None else released_folder(config, assignment)
    suite = suite_fingerprint(config, assignment, language)
    done = on_done or (lambda *_: None)
    results: dict[str, SubmissionResult] = {}
    pending: dict[str, tuple[Submission, str]] = {}
    stems, id_notes = assign_ids({student: student for student in submissions})  # OUT/STEM.json: never a class file
    if isinstance(submissions, Roster):
        id_notes = {**{stems[s]: note for s, note in submissions.notes.items()}, **id_notes}
    for student, path in submissions.items():
        submission = _read_one(path, spec.file, released, id_notes.get(stems[student]))
        key = resume_key(submission, suite)
        previous = _load(out / f"{stems[student]}.json")
        if previous is not None and previous.resume_key == key and not previous.grader_failure:
            results[student] = previous
            page = out / f"{stems[student]}.html"  # a result kept from before pages existed gets its page now
            done(student, previous, "kept", "" if page.is_file() else _write_page(previous, page, config))
        else:
            pending[student] = (submission, key)

    threads = max(1, (os.cpu_count() or 1) // max(workers, 1))
    run_options = replace(options, threads=options.threads or threads)

    def keep(student: str, result: SubmissionResult | None, problem: str) -> None:
        if result is None:
            done(student, None, "failed", problem)
            return
        result.resume_key = pending[student][1]
        try:
            write_atomically(out / f"{stems[student]}.json", result.model_dump_json(indent=2))
        except (OSError, ValueError) as err:  # the disk, or a name the file system refuses: this student only
            done(student, None, "failed", f"{stems[student]}.json not written: {type(err).__name__}: {err}")
            return
        results[student] = result
        done(student, result, "graded", _write_page(result, out / f"{stems[student]}.html", config))

    if executor is not None:
        from autograder.cluster import grade_on_dask

        jobs = {student: submission for student, (submission, _) in pending.items()}
        for student, result, problem in grade_on_dask(executor, jobs, assignment, config=config, options=options):
            keep(student, result, problem)
    else:
        for student, result, problem in _grade_here(pending, assignment, config=config, options=run_options, workers=workers):
            keep(student, result, problem)
    return {student: results[student] for student in submissions if student in results}


def _grade_here(pending: dict[str, tuple[Submission, str]], assignment: str, *, config: GradingConfig,
                options: GradeOptions, workers: int):
    """Grade on this machine, `workers` at a time, each worker with a warm judge of its own."""
    judges = JudgePool()

    def one(student: str, submission: Submission) -> SubmissionResult:
        judge = judges.judge(config.suite_dir(assignment))
        return grade_prepared(submission, assignment, student, config=config, options=options, judge=judge)

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(one, student, submission): student for student, (submission, _) in pending.items()}
            for future in as_completed(futures):
                try:
                    yield futures[future], future.result(), ""
                except GraderError as err:
                    yield futures[future], None, str(err)
                except Exception as err:  # one student's grading failed in an unforeseen way: the class goes on
                    yield futures[future], None, f"{type(err).__name__}: {err}"
    finally:
        judges.close()


class Roster(dict):
    """student id -> hand-in, with a note for each id that had to differ from its hand-in's name."""

    def __init__(self, entries: dict[str, Path] | None = None, notes: dict[str, str] | None = None,
                 ignored: list[str] | None = None):
        super().__init__(entries or {})
        self.notes = notes or {}
        self.ignored = ignored or []  # names in the folder that are no hand-in (hidden files, other kinds of file)


def discover(folder: Path) -> Roster:
    """One entry per student: each subfolder, each .py, .ipynb, .zip or .tar file directly inside, and anything that
    pretends to be one (a link, a pipe), which is then graded as refused, never skipped in silence.

    Ids come from the names (autograder.student_ids): distinct, safe as file names, never a class file's.
    """
    stems: dict[str, str] = {}  # entry name -> the name its id is made of
    ignored: list[str] = []
    with os.scandir(folder) as listing:
        found = sorted(listing, key=lambda entry: entry.name)
    for entry in found:
        if entry.name.startswith("."):
            ignored.append(entry.name)
            continue
        is_folder = entry.is_dir(follow_symlinks=False)
        if is_folder or not entry.is_file(follow_symlinks=False) or entry.name.lower().endswith(HANDIN_SUFFIXES):
            stems[entry.name] = handin_stem(entry.name, is_folder)
        else:
            ignored.append(entry.name)
    ids, notes = assign_ids(stems)
    roster = Roster(ignored=ignored)
    for name, student in ids.items():
        roster[student] = Path(folder) / name
        if student in notes:
            roster.notes[student] = notes[student]
    return roster


def _read_one(path: Path, expected_file: str, released: Path | None, id_note: str | None) -> Submission:
    """One student's hand-in read into memory; whatever goes wrong stays this student's message."""
    notes = (id_note,) if id_note else ()
    try:
        return replace(read_submission(pick_submission(path, expected_file, released), expected_file), notes=notes)
    except Exception as err:  # an odd file the intake has not met: this student's 0 with the reason, not the class's stop
        problem = say(f"Your hand-in could not be read ({type(err).__name__}); hand in your notebook or .py file again.",
                      f"제출물을 읽을 수 없습니다({type(err).__name__}). 노트북이나 .py 파일을 다시 제출해 주세요.")
        return Submission(Pick(None, None, (problem,)), None, problem, notes)


def grade_all(folder: str | os.PathLike, assignment: str, out: str | os.PathLike, *, workers: int = 1,
              config: GradingConfig | None = None, options: GradeOptions = GradeOptions(),
              on_done: OnDone | None = None, executor: DaskExecutor | None = None) -> list[SubmissionResult]:
    """Grade every student in `folder` into `out` (STUDENT.json and gradebook.csv), resuming earlier work."""
    config = config or load_config()
    out = Path(out)
    results = grade_batch(discover(Path(folder)), assignment, out, config=config, options=options,
                          workers=workers, on_done=on_done, executor=executor)
    ordered = list(results.values())
    write_gradebook(out / "gradebook.csv", ordered)
    return ordered


def write_gradebook(path: Path, results: list[SubmissionResult]) -> None:
    names = sorted({t.name for r in results for t in r.tests})
    rows = [["student", "assignment", "score", "max_score", "percent", *names, "graded_file", "isolation", "errors"]]
    for r in results:
        per_test = {t.name: t.score for t in r.tests}
        rows.append(csv_row([r.student, r.assignment, r.score, r.max_score, round(r.percent, 1),
                             *[per_test.get(n, "") for n in names], r.graded_file, r.isolation, " | ".join(r.errors)]))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gradebook.", suffix=".tmp")
    with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    os.replace(temporary, path)


def _write_page(result: SubmissionResult, path: Path, config: GradingConfig) -> str:
    """Write the student's feedback page beside the JSON; a page that fails is a one-line problem, never a lost result."""
    try:
        write_student_page(result, path, data_home=config.data_home)
    except Exception as err:  # a picture or the disk failed: the JSON result stands and the batch goes on
        return f"{path.name} not written: {type(err).__name__}: {(str(err).splitlines() or [''])[0]}"
    return ""


def _load(path: Path) -> SubmissionResult | None:
    try:
        return SubmissionResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
