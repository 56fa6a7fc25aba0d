"""What the round published for each student, stored as <root>/grades/NN_NAME/STUDENT.json.

The gradebook is the one source of a student's total (our scores plus any override typed
into formgrader, minus nbgrader's late penalty); this record keeps what it held when
collect-grade last wrote the student's feedback, for scripts and for the next round. The
grader's own verdict stays untouched in <root>/results/NN_NAME/STUDENT.json: it is the
batch's cache, and a human's override must never come back as an automatic score. The
record also holds a stamp of everything the published page was made from, so a round
with nothing new rewrites nothing.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from autograder.classroom.cell_ids import cell_ids
from autograder.classroom.gradebook import Entry
from autograder.files import write_atomically
from autograder.results import SubmissionResult

FORMAT = 2  # raise when what a published page shows changes, so the next round republishes everyone


def stamp(result: SubmissionResult, timestamp: datetime.datetime | None, entry: Entry | None) -> str:
    """What the published gradebook entry and feedback page were made from ('' when there is no entry)."""
    return f"{FORMAT}|{result.resume_key}|{timestamp}|{entry}" if entry is not None else ""


def write_record(
    path: Path, student: str, assignment: str, result: SubmissionResult, entry: Entry, made_from: str
) -> None:
    """Store `entry` for `student`, manual scores named by test, beside the grader's own total."""
    names = {ident: test for test, ident in cell_ids(t.name for t in result.tests).items()}
    record = {
        "student": student,
        "assignment": assignment,
        "score": entry.score,
        "max_score": entry.max_score,
        "raw_score": entry.raw_score,
        "late_penalty": entry.late_penalty or 0.0,
        "grader_score": result.score,
        "manual": {names.get(ident, ident): score for ident, score in entry.manual.items()},
        "stamp": made_from,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(record, indent=2, ensure_ascii=False))


def recorded_stamp(path: Path) -> str | None:
    """The stamp of the record at `path`, or None when there is none to read."""
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("stamp")
    except (OSError, ValueError, AttributeError):
        return None
