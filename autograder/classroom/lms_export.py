"""`autograder export --lms canvas|moodle|blackboard`: the gradebook's totals as the file each LMS imports.

The scores are the gradebook's (totals.py): our grader's, any score typed into formgrader,
less nbgrader's late penalty, rounded once (gradebook.final_score) and shown with 2 decimals
at most, the digits of the feedback page, the `collect-grade` table and grades.csv. One row
per student, one column per assignment; an assignment a student has no entry for is left
empty (every LMS then keeps what it holds).

Each LMS finds its students by its own ids, so a roster (CSV, default
COURSE_ROOT/lms-roster.csv) maps the course's student ids to them. Every export fills it in
where it can: a row for every student of the gradebook, the Canvas user id and login read
from the names of Canvas download zips that `collect-grade --zip` unpacked, the full name
from Moodle's download folders, the names and e-mail nbgrader's gradebook holds. A value
already in the roster is never changed, so the instructor's own entries win. A student the
chosen LMS cannot match is left out of the file with one sentence saying what to fill in.

Layouts (see docs/nbgrader.md, "Grades into the LMS", for the LMS documentation they follow):
- canvas: Student, ID, SIS User ID, SIS Login ID, Section, then `Title (assignment id)`
  (or `Title`, which Canvas imports as a new assignment), and a Points Possible row first.
- moodle: ID number, Email address, Full name, then one column per assignment; Moodle's
  import maps the file's `ID number` to useridnumber (or `Email address` to useremail).
- blackboard: Last Name, First Name, Username, Student ID, then `Title [Total Pts: P Score] |column id`
  (or `Title`, a new column); every field quoted, as Blackboard's upload asks.

Files are UTF-8 with a byte-order mark, so Excel keeps Korean names; text a student could
have chosen (a name in a zip) is quoted where a spreadsheet would run it (csv_cell).
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.classroom.course import Classroom, nbgrader_environment
from autograder.classroom.gradebook import read_entries
from autograder.errors import ClassroomError
from autograder.reports.scores import shown
from autograder.untrusted_text import csv_cell, printable

LMS_NAMES = ("canvas", "moodle", "blackboard")
ROSTER_FILE = "lms-roster.csv"
ROSTER_COLUMNS = (
    "student_id",
    "name",
    "email",
    "canvas_id",
    "sis_user_id",
    "sis_login_id",
    "section",
    "id_number",
    "username",
)
ENCODING = "utf-8-sig"  # Excel reads UTF-8 only with the byte-order mark; every LMS here accepts it

# The student's part of an LMS download's file names (lms.py reads the same names to file the submissions).
_CANVAS_NAME = re.compile(r"^(?P<login>[A-Za-z0-9.\-]+)_(?:LATE_)?(?P<user_id>\d+)_\d+_[^/]+$")
_MOODLE_FOLDER = re.compile(r"^(?P<name>[^/_]+)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_$")


@dataclass
class LmsExport:
    """What `export_lms` wrote, and who it had to leave out."""

    lms: str
    path: Path
    roster: Path
    students: list[str] = field(default_factory=list)  # in the file
    assignments: list[str] = field(default_factory=list)  # columns, as grading.toml names them
    unmapped: dict[str, str] = field(default_factory=dict)  # student -> the sentence saying what to fill in
    learned: int = 0  # roster cells filled in by this export


# -- the roster -----------------------------------------------------------------------------------


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """student id -> the roster's row (every ROSTER_COLUMNS key present, '' where empty); {} when there is no file."""
    if not path.is_file():
        return {}
    try:
        with open(path, newline="", encoding=ENCODING) as stream:
            reader = csv.DictReader(stream)
            if reader.fieldnames is None or "student_id" not in reader.fieldnames:
                raise ClassroomError(
                    f"{path} has no student_id column; its first line must name the columns "
                    f"({', '.join(ROSTER_COLUMNS)}). Fix the header or remove the file."
                )
            rows = {}
            for row in reader:
                student = _unquoted(row.get("student_id") or "")
                if student:
                    rows[student] = {
                        key: _unquoted(row.get(key) or "") for key in (*ROSTER_COLUMNS, *reader.fieldnames) if key
                    }
    except UnicodeDecodeError:
        raise ClassroomError(
            f'{path} is not UTF-8 text; save it from the spreadsheet as "CSV UTF-8" and run again.'
        ) from None
    except csv.Error as err:
        raise ClassroomError(f"{path} is not a readable CSV file ({err}); fix it or remove it and run again.") from None
    return rows


def write_roster(path: Path, rows: dict[str, dict[str, str]]) -> None:
    """The roster, sorted by student id, ROSTER_COLUMNS first and any column the instructor added after them."""
    extra = sorted({key for row in rows.values() for key in row} - set(ROSTER_COLUMNS))
    columns = [*ROSTER_COLUMNS, *extra]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding=ENCODING) as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(columns)
        for student in sorted(rows):
            writer.writerow([csv_cell(rows[student].get(key, "")) for key in columns])
    partial.replace(path)


def learned_ids(classroom: Classroom) -> dict[str, dict[str, str]]:
    """What the course already knows of each student's LMS identity: download names and nbgrader's gradebook."""
    known: dict[str, dict[str, str]] = {}
    for name in _downloaded_names(classroom.root / "downloaded"):
        parts = name.split("/")
        canvas = _CANVAS_NAME.match(parts[-1])
        moodle = next((m for m in map(_MOODLE_FOLDER.match, parts[:-1]) if m), None)
        if moodle:
            known.setdefault(moodle["student_id"], {})["name"] = printable(moodle["name"]).strip()
        elif canvas:
            known.setdefault(canvas["login"], {}).update(canvas_id=canvas["user_id"])
    for student, row in _gradebook_students(classroom).items():
        for key, value in row.items():
            known.setdefault(student, {}).setdefault(key, value)
    return known


def fill_roster(rows: dict[str, dict[str, str]], students: list[str], known: dict[str, dict[str, str]]) -> int:
    """Add a row for every student and fill empty cells from `known`, in place; returns how many cells were filled."""
    filled = 0
    for student in sorted(students):
        row = rows.setdefault(student, {key: "" for key in ROSTER_COLUMNS})
        row["student_id"] = student
        for key, value in known.get(student, {}).items():
            if value and not row.get(key):
                row[key] = value
                filled += 1
    return filled


def _downloaded_names(folder: Path) -> list[str]:
    """File names inside the LMS downloads collect-grade unpacked (downloaded/NN_NAME/archive and extracted)."""
    names: list[str] = []
    if not folder.is_dir():
        return names
    for path in sorted(folder.glob("*/archive/*")):
        if path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as bundle:
                    names += bundle.namelist()
            except (OSError, zipfile.BadZipFile):
                continue
    for extracted in sorted(folder.glob("*/extracted")):
        names += [p.relative_to(extracted).as_posix() for p in extracted.rglob("*") if p.is_file()]
    return names


def _gradebook_students(classroom: Classroom) -> dict[str, dict[str, str]]:
    """student id -> name, email and LMS user id as nbgrader's gradebook holds them ('' skipped)."""
    from nbgrader.api import Gradebook

    if not (classroom.root / "gradebook.db").is_file():
        return {}
    found = {}
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        for student in gb.students:
            name = " ".join(part for part in (student.first_name, student.last_name) if part)
            row = {
                "name": printable(name or ""),
                "email": printable(student.email or ""),
                "canvas_id": printable(str(student.lms_user_id or "")),
            }
            found[student.id] = {key: value.strip() for key, value in row.items() if value and value.strip()}
    return found


def _unquoted(value: str) -> str:
    """A roster cell as typed: the apostrophe csv_cell put before a formula-like text taken off again."""
    value = value.strip()
    return value[1:] if value.startswith("'") and csv_cell(value[1:]) != value[1:] else value


# -- the totals -----------------------------------------------------------------------------------


def gradebook_totals(classroom: Classroom) -> tuple[list[str], list[str], dict[str, dict[str, float]]]:
    """(students, assignments, student -> assignment -> final score) as nbgrader's gradebook holds them.

    Assignments are those of grading.toml the gradebook has, in grading.toml's order.
    """
    from nbgrader.api import Gradebook

    if not (classroom.root / "gradebook.db").is_file():
        raise ClassroomError(
            f"No gradebook at {classroom.root / 'gradebook.db'}: grade a round first "
            f"(`autograder collect-grade NAME`), or give the course with --course-root."
        )
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        students = sorted(student.id for student in gb.students)
        present = {assignment.name for assignment in gb.assignments}
    names = [name for name in classroom.config.assignments if classroom.folder(name) in present]
    totals: dict[str, dict[str, float]] = {student: {} for student in students}
    for name in names:
        for student, entry in read_entries(classroom, name, students).items():
            totals[student][name] = entry.score
    return students, names, totals


# -- the export -----------------------------------------------------------------------------------


def export_lms(
    classroom: Classroom,
    lms: str,
    *,
    out: Path | None = None,
    roster: Path | None = None,
    column_ids: dict[str, str] | None = None,
    moodle_match: str = "auto",
) -> LmsExport:
    """Write the import file of `lms` from the gradebook; fill the roster in on the way.

    column_ids: assignment name -> the LMS's id of its column (Canvas assignment id, Blackboard
    column id); an assignment without one becomes a new column in the LMS. moodle_match:
    "id_number", "email" or "auto" (ID number when any student has one, else e-mail).
    """
    if lms not in LMS_NAMES:
        raise ClassroomError(f"Unknown LMS {lms!r}; choose one of {', '.join(LMS_NAMES)}.")
    column_ids = dict(column_ids or {})
    for name in column_ids:
        classroom.config.assignment(name)  # an unknown name stops here, with the list of known ones
    students, names, totals = gradebook_totals(classroom)
    roster_path = roster or classroom.root / ROSTER_FILE
    rows = read_roster(roster_path)
    learned = fill_roster(rows, students, learned_ids(classroom))
    write_roster(roster_path, rows)

    path = out or classroom.root / f"lms-{lms}.csv"
    report = LmsExport(lms, path, roster_path, assignments=names, learned=learned)
    layout = {"canvas": _canvas, "moodle": _moodle, "blackboard": _blackboard}[lms]
    header, lines, unmapped = layout(classroom, students, names, totals, rows, column_ids, moodle_match, roster_path)
    report.unmapped = unmapped
    report.students = [student for student in students if student not in unmapped]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding=ENCODING) as stream:
        quoting = csv.QUOTE_ALL if lms == "blackboard" else csv.QUOTE_MINIMAL
        writer = csv.writer(stream, lineterminator="\r\n", quoting=quoting)
        writer.writerow(header)
        writer.writerows(lines)
    partial.replace(path)
    return report


def _scores(student: str, names: list[str], totals: dict[str, dict[str, float]]) -> list[str]:
    return [shown(totals[student][name]) if name in totals[student] else "" for name in names]


def _title(classroom: Classroom, name: str) -> str:
    return classroom.config.assignment(name).title


def _canvas(classroom, students, names, totals, rows, column_ids, _match, roster_path):
    columns = [f"{_title(classroom, n)} ({column_ids[n]})" if n in column_ids else _title(classroom, n) for n in names]
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *columns]
    points = ["    Points Possible", "", "", "", "", *(shown(classroom.config.assignment(n).points) for n in names)]
    lines, unmapped = [points], {}
    for student in students:
        row = rows.get(student, {})
        if not (row.get("canvas_id") or row.get("sis_user_id") or row.get("sis_login_id")):
            unmapped[student] = (
                f"{student}: no canvas_id, sis_user_id or sis_login_id in {roster_path}; copy the ID or "
                f"SIS User ID column of Canvas's gradebook export (Grades → Export) into that row and run again."
            )
            continue
        lines.append(
            [
                csv_cell(_canvas_name(row.get("name", "") or student)),
                csv_cell(row.get("canvas_id", "")),
                csv_cell(row.get("sis_user_id", "")),
                csv_cell(row.get("sis_login_id", "")),
                csv_cell(row.get("section", "")),
                *_scores(student, names, totals),
            ]
        )
    return header, lines, unmapped


def _moodle(classroom, students, names, totals, rows, _column_ids, match, roster_path):
    if match == "auto":
        match = "id_number" if any(rows.get(s, {}).get("id_number") for s in students) else "email"
    if match not in ("id_number", "email"):
        raise ClassroomError(f"Moodle matches students by id_number or email, not {match!r}.")
    column = {"id_number": "ID number", "email": "Email address"}[match]
    header = ["ID number", "Email address", "Full name", *(_title(classroom, n) for n in names)]
    lines, unmapped = [], {}
    for student in students:
        row = rows.get(student, {})
        if not row.get(match):
            unmapped[student] = (
                f"{student}: no {match} in {roster_path}, and this file matches Moodle's users by "
                f"{column}; copy it from Moodle's grade export (Export → Plain text file) into that row "
                f"and run again."
            )
            continue
        lines.append(
            [
                csv_cell(row.get("id_number", "")),
                csv_cell(row.get("email", "")),
                csv_cell(row.get("name", "") or student),
                *_scores(student, names, totals),
            ]
        )
    return header, lines, unmapped


def _blackboard(classroom, students, names, totals, rows, column_ids, _match, roster_path):
    columns = []
    for name in names:
        spec = classroom.config.assignment(name)
        columns.append(
            f"{spec.title} [Total Pts: {shown(spec.points)} Score] |{column_ids[name]}"
            if name in column_ids
            else spec.title
        )
    header = ["Last Name", "First Name", "Username", "Student ID", *columns]
    lines, unmapped = [], {}
    for student in students:
        row = rows.get(student, {})
        if not row.get("username"):
            unmapped[student] = (
                f"{student}: no username in {roster_path}; Blackboard matches students by Username only: "
                f"copy it from the Grade Center's download (Work Offline → Download) into that row and run again."
            )
            continue
        last, first = _split_name(row.get("name", ""))
        lines.append(
            [
                csv_cell(last),
                csv_cell(first),
                csv_cell(row["username"]),
                csv_cell(row.get("id_number", "")),
                *_scores(student, names, totals),
            ]
        )
    return header, lines, unmapped


def _canvas_name(name: str) -> str:
    """Canvas's Student column: 'Last, First' for a two-part name, else the name as it is (홍길동 stays 홍길동)."""
    last, first = _split_name(name)
    return f"{last}, {first}" if first else last


def _split_name(name: str) -> tuple[str, str]:
    """(last, first): 'Last, First' and 'First Last' split; a one-word (or Korean) name is all last name."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return last.strip(), first.strip()
    if " " in name and name.isascii():
        first, _, last = name.rpartition(" ")
        return last, first
    return name, ""
