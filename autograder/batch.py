"""One batch engine: grade-all, grade-examples and collect-grade all grade a class through it.

For each student it picks the file with the one rule (`submission.pick_submission`), reads
it into memory and computes a resume key from everything a verdict depends on: the
submission as the sandbox would get it, the hidden suite's files, the assignment's part of
grading.toml, the feedback language and the grader's own code. A stored result is kept
only when its key matches and grading itself finished it (a judge that died leaves a
result marked `grader_failure`, graded again next time, never kept as a 0). Every result
is written atomically the moment it is done, so a killed batch resumes where it stopped.

A student's feedback page is drawn where the student was graded, right after: by the worker
that graded it (here) or on the Dask worker (autograder.cluster), so pages are drawn in
parallel with grading, never one after another at the end; pictures that are the same for
many students are drawn once per process (reports.plots).

How many at once: `workers` (grade-all's -w) defaults to what this machine can feed
(`default_workers`): one submission per core for a numeric assignment, one per
TRAINING_CORES cores for a model assignment; a model assignment never trains more
submissions at once than there are cores, whatever -w says. Each sandbox gets its share of
the cores as its thread count (torch, TensorFlow, OpenMP/BLAS), so N slots on C cores start
about C threads in all, never N x C.
"""
from __future__ import annotations

import csv
import hashlib
import os
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from autograder.config import GradingConfig, load_config
from autograder.engine.feedback import say, set_language
from autograder.grading import (GradeOptions, GraderError, JudgePool, Submission, grade_prepared, grader_fingerprint,
                                read_submission, released_folder, suite_fingerprint, write_atomically)
from autograder.reports import plots
from autograder.reports.student_page import write_student_page
from autograder.results import SubmissionResult
from autograder.sandbox.launcher import choose_isolation
from autograder.student_ids import HANDIN_SUFFIXES, assign_ids, handin_stem
from autograder.submission import Pick, pick_submission
from autograder.untrusted_text import csv_row

if TYPE_CHECKING:
    from autograder.cluster import DaskExecutor

# Reading notebooks imports nbformat, which imports jsonschema, whose optional IRI format checker (rfc3987_syntax, its
# only user) compiles a parser grammar when imported: 1-2 s of every grading command, more than grading a submission,
# for a check no notebook read makes. Without it jsonschema imports in a tenth of a second and validates as before.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

Status = Literal["graded", "kept", "failed"]
TRAINING_CORES = 2  # cores that feed one model's training (its math threads, its data pipeline) without starving
OnDone = Callable[[str, SubmissionResult | None, Status, str], None]  # (student, result, status, problem)


def resume_key(submission: Submission, suite: str) -> str:
    return hashlib.sha256(f"{submission.digest}:{suite}:{grader_fingerprint()}".encode()).hexdigest()


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity (taskset, a Slurm allocation, a cpuset), within a cgroup's
    CPU quota where one is set (a container limited to 2 CPUs on a 64-core host has 2)."""
    try:
        cores = len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    return max(1, min(cores, quota)) if quota else cores


def _cgroup_cpu_quota() -> int | None:
    """The whole CPUs cgroup v2's cpu.max grants this process (rounded up), or None where there is no quota."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                limit, period = (Path("/sys/fs/cgroup") / line[3:].lstrip("/") / "cpu.max").read_text().split()[:2]
                return None if limit == "max" else max(1, -(-int(limit) // int(period)))
    except (OSError, ValueError):
        return None
    return None


def default_workers(kind: str, cores: int | None = None) -> int:
    """Submissions graded at once when -w is not given: one per core for a numeric assignment (a judge and its
    sandbox take about one core), one per TRAINING_CORES cores for a model assignment (trainings never starve each other)."""
    cores = cores or usable_cores()
    return max(1, cores // TRAINING_CORES) if kind == "model" else cores


def plan_slots(kind: str, workers: int | None, cores: int | None = None) -> tuple[int, int]:
    """(submissions graded at once, threads each sandbox gets) for `workers` slots (None: the default) on `cores` cores.

    A model assignment never trains more submissions at once than there are cores to feed them; each sandbox gets
    its share of the cores, at least one thread.
    """
    cores = cores or usable_cores()
    at_once = default_workers(kind, cores) if workers is None else max(1, workers)
    if kind == "model":
        at_once = min(at_once, cores)
    return at_once, max(1, cores // at_once)


def grade_batch(submissions: dict[str, Path], assignment: str, out: Path, *, config: GradingConfig,
                options: GradeOptions = GradeOptions(), workers: int | None = None, released: Path | None = None,
                on_done: OnDone | None = None, executor: DaskExecutor | None = None) -> dict[str, SubmissionResult]:
    """Grade each student's file or folder into OUT/STUDENT.json (and the page OUT/STUDENT.html), keeping what is still valid.

    Here, `workers` at a time (None: `default_workers`); with `executor`, on a Dask cluster (autograder.cluster).
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
    if not pending:  # nothing to grade: no judge, no cluster is started
        return {student: results[student] for student in submissions if student in results}

    at_once, threads = plan_slots(spec.kind, workers)
    run_options = replace(options, threads=options.threads or threads)

    def keep(student: str, result: SubmissionResult | None, problem: str, page: Page) -> None:
        html = out / f"{stems[student]}.html"
        if result is None:
            done(student, None, "failed", problem)
            return
        result.resume_key = pending[student][1]
        try:
            write_atomically(out / f"{stems[student]}.json", result.model_dump_json(indent=2))
        except (OSError, ValueError) as err:  # the disk, or a name the file system refuses: this student only
            html.unlink(missing_ok=True)
            done(student, None, "failed", f"{stems[student]}.json not written: {type(err).__name__}: {err}")
            return
        results[student] = result
        if isinstance(page, str):  # drawn on a Dask worker: written here
            page = _write_text(page, html)
        done(student, result, "graded", page.problem if isinstance(page, PageWritten) else _write_page(result, html, config))

    if executor is not None:
        from autograder.cluster import grade_on_dask

        jobs = {student: submission for student, (submission, _) in pending.items()}
        for student, result, problem, page in grade_on_dask(executor, jobs, assignment, config=config, options=options):
            keep(student, result, problem, page)
    else:
        pages = {student: out / f"{stems[student]}.html" for student in pending}
        for student, result, problem, page in _grade_here(pending, assignment, config=config, options=run_options,
                                                          workers=at_once, pages=pages):
            keep(student, result, problem, page)
    return {student: results[student] for student in submissions if student in results}


class PageWritten:
    """A page the worker that graded the student has already written; `problem` is why not, when it could not."""

    def __init__(self, problem: str = ""):
        self.problem = problem


Page = PageWritten | str | None  # written already / HTML drawn on a Dask worker, written here / none: drawn here


def _grade_here(pending: dict[str, tuple[Submission, str]], assignment: str, *, config: GradingConfig,
                options: GradeOptions, workers: int, pages: dict[str, Path]):
    """Grade on this machine, `workers` at a time, each worker with a warm judge of its own; each worker then
    draws the page of the student it graded, while the other workers grade."""
    judges = JudgePool()

    def one(student: str, submission: Submission) -> tuple[SubmissionResult, PageWritten]:
        judge = judges.judge(config.suite_dir(assignment))
        result = grade_prepared(submission, assignment, student, config=config, options=options, judge=judge)
        return result, PageWritten(_write_page(result, pages[student], config))

    try:
        threading.Thread(target=warm_pictures, daemon=True).start()  # fonts and imports, while the judges start
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(one, student, submission): student for student, (submission, _) in pending.items()}
            for future in as_completed(futures):
                try:
                    result, page = future.result()
                    yield futures[future], result, "", page
                except GraderError as err:
                    yield futures[future], None, str(err), None
                except Exception as err:  # one student's grading failed in an unforeseen way: the class goes on
                    yield futures[future], None, f"{type(err).__name__}: {err}", None
    finally:
        judges.close()


def warm_pictures() -> None:
    """reports.plots.warm, in a thread of its own while judges start."""
    try:
        plots.warm()
    except Exception:  # a warm-up that failed costs nothing: the first page draws as it can, and says why
        pass


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


def grade_all(folder: str | os.PathLike, assignment: str, out: str | os.PathLike, *, workers: int | None = None,
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
        return page_problem(path.name, err)
    return ""


def _write_text(html: str, path: Path) -> PageWritten:
    try:
        write_atomically(path, html)
    except (OSError, ValueError) as err:
        return PageWritten(page_problem(path.name, err))
    return PageWritten()


def page_problem(name: str, err: BaseException) -> str:
    return f"{name} not written: {type(err).__name__}: {(str(err).splitlines() or [''])[0]}"


def _load(path: Path) -> SubmissionResult | None:
    try:
        return SubmissionResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
