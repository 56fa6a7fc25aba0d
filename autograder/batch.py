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

import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from autograder.bilingual import Said, say
from autograder.config import GradingConfig, load_config
from autograder.cores import TRAINING_CORES, usable_cores
from autograder.errors import GraderError
from autograder.files import write_atomically, write_csv_atomically
from autograder.fingerprints import grader_fingerprint, suite_fingerprint
from autograder.grading import GradeOptions, grade_prepared, released_folder
from autograder.judges import JudgePool
from autograder.progress import Event, OnEvent, ignore
from autograder.reports import plots
from autograder.reports.student_page import write_student_page
from autograder.results import SubmissionResult, read_result
from autograder.sandbox.launcher import choose_isolation
from autograder.student_ids import HANDIN_SUFFIXES, assign_ids, handin_stem
from autograder.submission import Pick, Submission, pick_submission, read_submission
from autograder.untrusted_text import csv_row

if TYPE_CHECKING:
    from autograder.cluster import DaskExecutor

# Reading notebooks imports nbformat, which imports jsonschema, whose optional IRI format checker (rfc3987_syntax, its
# only user) compiles a parser grammar when imported: 1-2 s of every grading command, more than grading a submission,
# for a check no notebook read makes. Without it jsonschema imports in a tenth of a second and validates as before.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

log = logging.getLogger(__name__)
Status = Literal["graded", "kept", "failed"]


def resume_key(submission: Submission, suite: str) -> str:
    return key_of(submission.digest, suite)


def key_of(digest: str, suite: str) -> str:
    return hashlib.sha256(f"{digest}:{suite}:{grader_fingerprint()}".encode()).hexdigest()


RESUME_INDEX = ".resume-index"  # OUT/: each hand-in's file signature (hashed) and the digest of what was read from it
MAX_SIGNED_ENTRIES, MAX_SIGNED_DEPTH = 256, 6  # a bigger or deeper hand-in is read every time
RACY_SECONDS = 3  # a file changed this close to when its signature was taken is read again (coarse file-system clocks)


def file_signature(path: Path) -> list | None:
    """What changes whenever a hand-in's files change: each entry's relative name, inode, size, mtime and ctime (the
    ctime no user can set), without following links. None for a hand-in too big or deep to sign, or unreadable."""
    found: list = []

    def walk(folder: Path, depth: int) -> bool:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return False
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            found.append(
                [os.path.relpath(entry.path, path), info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
            )
            if len(found) > MAX_SIGNED_ENTRIES:
                return False
            if entry.is_dir(follow_symlinks=False) and (
                depth >= MAX_SIGNED_DEPTH or not walk(Path(entry.path), depth + 1)
            ):
                return False
        return True

    try:
        info = path.lstat()
        found.append([".", info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns])
        if path.is_dir() and not path.is_symlink() and not walk(path, 1):
            return None
    except OSError:
        return None
    return found


def _hashed(signature: list) -> str:
    return hashlib.sha256(json.dumps(signature).encode()).hexdigest()


class ResumeIndex:
    """OUT/.resume-index (JSON): for each student, a hash of the hand-in's file signature and the digest read from them.

    A re-run finds an unchanged student's resume key from the signature alone, without reading the hand-in: a
    notebook is read (and validated) only when its files changed. Valid only for the same grader, expected file and
    released stub; an entry whose files changed within RACY_SECONDS of being signed is not trusted (as git does)."""

    def __init__(self, out: Path, context: str):
        self.path, self.context = out / RESUME_INDEX, context
        self.entries: dict[str, dict] = {}
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored.get("context") == context:
                self.entries = dict(stored.get("students", {}))
        except (OSError, ValueError, AttributeError):
            pass
        self.fresh: dict[str, dict] = {}

    def digest(self, stem: str, signature: list | None) -> str | None:
        entry = self.entries.get(stem)
        if signature is None or not isinstance(entry, dict) or entry.get("signature") != _hashed(signature):
            return None
        newest = max(max(item[3], item[4]) for item in signature)
        if newest >= entry.get("signed_ns", 0) - RACY_SECONDS * 10**9:
            return None
        return entry.get("digest")

    def remember(self, stem: str, signature: list | None, digest: str, signed_ns: int) -> None:
        if signature is not None:  # hashed: the students' file names are not copied into OUT
            self.fresh[stem] = {"signature": _hashed(signature), "digest": digest, "signed_ns": signed_ns}

    def save(self) -> None:
        try:
            write_atomically(self.path, json.dumps({"context": self.context, "students": self.fresh}))
        except (OSError, ValueError):
            pass  # the index only saves time: the next run reads every hand-in


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


def grade_batch(
    submissions: dict[str, Path],
    assignment: str,
    out: Path,
    *,
    config: GradingConfig,
    options: GradeOptions = GradeOptions(),
    workers: int | None = None,
    released: Path | None = None,
    on_event: OnEvent | None = None,
    executor: DaskExecutor | None = None,
) -> dict[str, SubmissionResult]:
    """Grade each student's file or folder into OUT/STUDENT.json (and the page OUT/STUDENT.html), keeping what is still valid.

    Here, `workers` at a time (None: `default_workers`); with `executor`, on a Dask cluster (autograder.cluster).
    """
    spec = config.assignment(assignment)
    choose_isolation(options.isolation or config.course.isolation)  # refuse once, before the class
    language = options.language or config.course.language
    out.mkdir(parents=True, exist_ok=True)
    released = released if released is not None else released_folder(config, assignment)
    suite = suite_fingerprint(config, assignment, language)
    event = on_event or ignore

    def done(student: str, result: SubmissionResult | None, status: Status, problem: str) -> None:
        event(Event.done(student, status, result, problem))

    results: dict[str, SubmissionResult] = {}
    pending: dict[str, tuple[Submission, str]] = {}
    stems, id_notes = assign_ids({student: student for student in submissions})  # OUT/STEM.json: never a class file
    if isinstance(submissions, Roster):
        id_notes = {**{stems[s]: note for s, note in submissions.notes.items()}, **id_notes}
    released_signature = file_signature(released) if released is not None else None
    index = ResumeIndex(out, _hashed([grader_fingerprint(), spec.file, str(released), released_signature]))
    at_once, threads = plan_slots(spec.kind, workers)
    run_options = replace(options, threads=options.threads or threads)
    # Grading starts with the first submission that needs it, while the others are still being read.
    if executor is None:
        grading: Grading = _LocalGrading(assignment, config=config, options=run_options, workers=at_once)
    else:
        from autograder.cluster import DaskGrading

        grading = DaskGrading(executor, assignment, config=config, options=options)
    unseen = sum(not (out / f"{stems[student]}.json").exists() for student in submissions)
    log.info(
        "%s: %d hand-ins, %d never graded into %s; %s, %d at once, %d threads each",
        assignment,
        len(submissions),
        unseen,
        out,
        "on Dask" if executor is not None else "here",
        at_once,
        run_options.threads,
    )
    if unseen:  # students never graded into OUT: judges (a cluster) start while the class is read
        grading.start_ahead(min(unseen, at_once))

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
        done(
            student,
            result,
            "graded",
            page.problem if isinstance(page, PageWritten) else _write_page(result, html, config),
        )

    try:
        for student, path in submissions.items():
            stem = stems[student]
            signed_ns, signature = time.time_ns(), file_signature(Path(path))
            digest = index.digest(stem, signature)  # unchanged files: the digest read last time, without reading again
            submission = None
            if digest is None:
                submission = _read_one(path, spec.file, released, id_notes.get(stem))
                digest = submission.digest
            index.remember(stem, signature, digest, signed_ns)
            key = key_of(digest, suite)
            previous = read_result(out / f"{stem}.json")
            if previous is not None and previous.resume_key == key and not previous.grader_failure:
                results[student] = previous
                page = out / f"{stem}.html"  # a result kept from before pages existed gets its page now
                done(student, previous, "kept", "" if page.is_file() else _write_page(previous, page, config))
                continue
            if submission is None:  # to be graded: read now, and the key from what was read
                submission = _read_one(path, spec.file, released, id_notes.get(stem))
                key = resume_key(submission, suite)
                index.remember(stem, signature, submission.digest, signed_ns)
            pending[student] = (submission, key)
            grading.submit(student, submission, out / f"{stem}.html")
        index.save()
        log.info("%d kept from before, %d to grade", len(results), len(pending))
        for student, result, problem, page in grading.finished():
            keep(student, result, problem, page)
    finally:
        grading.close()
    return {student: results[student] for student in submissions if student in results}


class PageWritten:
    """A page the worker that graded the student has already written; `problem` is why not, when it could not."""

    def __init__(self, problem: str = ""):
        self.problem = problem


Page = PageWritten | str | None  # written already / HTML drawn on a Dask worker, written here / none: drawn here


class Grading(Protocol):
    """Where a batch's jobs run: here (`_LocalGrading`) or on a Dask cluster (`cluster.DaskGrading`).

    Nothing starts until `start_ahead` (judges, a cluster: while the class is read) or the first `submit`;
    `finished` yields (student, result or None, why not graded, page) as each job ends.
    """

    def start_ahead(self, judges: int) -> None: ...

    def submit(self, student: str, submission: Submission, page: Path) -> None: ...

    def finished(self) -> Iterator[tuple[str, SubmissionResult | None, str, Page]]: ...

    def close(self) -> None: ...


class _LocalGrading:
    """Grading on this machine, `workers` at a time, each worker with a warm judge of its own, from the first
    submission handed in (judges start while the rest of the class is read). Pages are drawn by a thread of their
    own while the judges grade the next students: a judge never waits for a picture. No judge starts when
    nothing is submitted."""

    def __init__(self, assignment: str, *, config: GradingConfig, options: GradeOptions, workers: int):
        self.assignment, self.config, self.options, self.workers = assignment, config, options, max(1, workers)
        self._judges = JudgePool()
        self._pool: ThreadPoolExecutor | None = None
        self._pages = ThreadPoolExecutor(max_workers=1)  # matplotlib holds the GIL: one drawing thread is enough
        self._futures: dict = {}

    def start_ahead(self, judges: int) -> None:
        """Start `judges` judges and the page thread's warm-up now: both overlap the reading of the class."""
        self._judges.start_ahead(self.config.suite_dir(self.assignment), judges)
        self._start()

    def submit(self, student: str, submission: Submission, page: Path) -> None:
        self._start()
        self._futures[self._pool.submit(self._one, student, submission, page)] = student

    def _start(self) -> None:
        if self._pool is None:
            self._pages.submit(plots.warm_quietly)  # fonts and imports, while the judges start
            self._pool = ThreadPoolExecutor(max_workers=self.workers)

    def _one(self, student: str, submission: Submission, page: Path) -> tuple[SubmissionResult, Future]:
        judge = self._judges.judge(self.config.suite_dir(self.assignment))
        result = grade_prepared(
            submission, self.assignment, student, config=self.config, options=self.options, judge=judge
        )
        return result, self._pages.submit(_write_page, result, page, self.config)

    def finished(self) -> Iterator[tuple[str, SubmissionResult | None, str, Page]]:
        """(student, result, problem, page) for each submission, as each is done."""
        for future in as_completed(self._futures):
            try:
                result, page = future.result()
                yield self._futures[future], result, "", PageWritten(page.result())
            except GraderError as err:
                yield self._futures[future], None, str(err), None
            except Exception as err:  # one student's grading failed in an unforeseen way: the class goes on
                yield self._futures[future], None, f"{type(err).__name__}: {err}", None

    def close(self) -> None:
        """Stop what has not started (an interrupted batch), wait for what runs, and end the judges."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pages.shutdown(wait=True)
        self._judges.close()


class Roster(dict):
    """student id -> hand-in, with a note for each id that had to differ from its hand-in's name."""

    def __init__(
        self,
        entries: dict[str, Path] | None = None,
        notes: dict[str, Said] | None = None,
        ignored: list[str] | None = None,
    ):
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


def _read_one(path: Path, expected_file: str, released: Path | None, id_note: Said | None) -> Submission:
    """One student's hand-in read into memory; whatever goes wrong stays this student's message."""
    notes = (id_note,) if id_note else ()
    try:
        return replace(read_submission(pick_submission(path, expected_file, released), expected_file), notes=notes)
    except (
        Exception
    ) as err:  # an odd file the intake has not met: this student's 0 with the reason, not the class's stop
        problem = say(
            f"Your hand-in could not be read ({type(err).__name__}); hand in your notebook or .py file again.",
            f"제출물을 읽을 수 없습니다({type(err).__name__}). 노트북이나 .py 파일을 다시 제출해 주세요.",
        )
        return Submission(Pick(None, None, (problem,)), None, problem, notes)


def grade_all(
    folder: str | os.PathLike,
    assignment: str,
    out: str | os.PathLike,
    *,
    workers: int | None = None,
    config: GradingConfig | None = None,
    options: GradeOptions = GradeOptions(),
    on_event: OnEvent | None = None,
    executor: DaskExecutor | None = None,
) -> list[SubmissionResult]:
    """Grade every student in `folder` into `out` (STUDENT.json and gradebook.csv), resuming earlier work."""
    config = config or load_config()
    out = Path(out)
    results = grade_batch(
        discover(Path(folder)),
        assignment,
        out,
        config=config,
        options=options,
        workers=workers,
        on_event=on_event,
        executor=executor,
    )
    ordered = list(results.values())
    write_gradebook(out / "gradebook.csv", ordered)
    return ordered


def write_gradebook(path: Path, results: list[SubmissionResult]) -> None:
    names = sorted({t.name for r in results for t in r.tests})
    rows = [["student", "assignment", "score", "max_score", "percent", *names, "graded_file", "isolation", "errors"]]
    for r in results:
        per_test = {t.name: t.score for t in r.tests}
        rows.append(
            csv_row(
                [
                    r.student,
                    r.assignment,
                    r.score,
                    r.max_score,
                    round(r.percent, 1),
                    *[per_test.get(n, "") for n in names],
                    r.graded_file,
                    r.isolation,
                    " | ".join(error.in_language(r.language) for error in r.errors),
                ]
            )
        )
    write_csv_atomically(path, rows)


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
