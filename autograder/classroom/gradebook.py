"""Our grader's scores in nbgrader's gradebook database, written and read back through nbgrader's API.

Mapping: every hidden test is one graded code cell of the assignment's notebook in the
gradebook (an "autograder tests" cell in nbgrader's terms: grade, not solution), named
by cell_ids.cell_id(test name) and worth the test's points. The cells exist only in the
database and in the instructor's autograded copy, never in a released or submitted
notebook, so the hidden tests stay hidden while formgrader (its Code Score and Tests
failed? columns included), feedback and `nbgrader export` add up exactly the points our
grader gave, test by test. A score an instructor typed into formgrader (manual_score)
wins over ours and is never overwritten; the gradebook, holding both, is the one source
of every total the round shows (see totals.py).

The late penalty is nbgrader's own: its AssignLatePenalties step runs with whatever
plugin nbgrader_config.py names, on the submission's timestamp and the assignment's due
date (plus any extension granted in the gradebook).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from nbformat import v4

from autograder.classroom.cell_ids import cell_id, cell_ids
from autograder.classroom.course import Classroom, nbgrader_environment
from autograder.results import SubmissionResult

TEST_PREFIX = "test_"
PLACES = 4  # scores are kept to 4 decimals: the SQL sums of float points carry noise beyond that


@dataclass(frozen=True)
class Entry:
    """A student's entry in the gradebook: what feedback, the table, grades.csv and the record all show."""

    timestamp: str
    due: str
    extension: str
    raw_score: float  # the cells' scores added up, a manual score winning over ours
    max_score: float
    late_penalty: float | None  # None: on time
    manual: dict[str, float] = field(default_factory=dict)  # cell id -> score an instructor set in formgrader

    @property
    def score(self) -> float:
        """The final score: raw minus the late penalty (see final_score)."""
        return final_score(self.raw_score, self.late_penalty)


def final_score(raw_score: float, late_penalty: float | None) -> float:
    """Raw score minus late penalty, each rounded to PLACES first, as every report computes it.

    One formula, one float: rounding it again for display (2 decimals) then gives the same
    digits everywhere, where rounding differently computed floats could not (7.355 vs 7.354999...).
    """
    return round(max(0.0, round(float(raw_score), PLACES) - round(float(late_penalty or 0.0), PLACES)), PLACES) + 0.0


def record(
    classroom: Classroom, name: str, student: str, result: SubmissionResult, timestamp: datetime.datetime | None
) -> float | None:
    """Store `result` as `student`'s grades for `name`; returns the late penalty nbgrader assigned."""
    from nbgrader.api import Grade, Gradebook, MissingEntry, SubmittedNotebook

    folder, notebook_id = classroom.folder(name), classroom.notebook_id(name)
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_assignment(folder)
        try:
            notebook = gb.find_notebook(notebook_id, folder)
        except MissingEntry:
            notebook = gb.add_notebook(notebook_id, folder)
        cells = _sync_cells(gb, notebook, notebook_id, folder, result)
        submission = gb.update_or_create_submission(folder, student, **({"timestamp": timestamp} if timestamp else {}))
        try:
            submitted = gb.find_submission_notebook(notebook_id, folder, student)
        except MissingEntry:
            submitted = SubmittedNotebook(notebook=notebook, assignment=submission)
            gb.db.add(submitted)
        existing = {grade.cell_id: grade for grade in submitted.grades}
        for test in result.tests:
            cell = cells[test.name]
            grade = existing.get(cell.id) or Grade(cell_id=cell.id, notebook=submitted)
            grade.auto_score = round(float(test.score), PLACES)
            grade.needs_manual_grade = False
            gb.db.add(grade)
        gb.db.commit()
    return _late_penalty(classroom, name, student)


def _sync_cells(gb, notebook, notebook_id: str, folder: str, result: SubmissionResult) -> dict:
    """One graded code cell per hidden test; cells of tests that no longer exist are removed."""
    ids = cell_ids(test.name for test in result.tests)
    wanted = {ids[test.name]: test.max_score for test in result.tests}
    for cell in list(notebook.grade_cells):
        if cell.name.startswith(TEST_PREFIX) and cell.name not in wanted:
            _drop(gb, cell)
    gb.db.commit()
    return {
        test.name: gb.update_or_create_grade_cell(
            ids[test.name], notebook_id, folder, max_score=round(float(test.max_score), PLACES), cell_type="code"
        )
        for test in result.tests
    }


def upgrade_cell_names(classroom: Classroom, name: str) -> int:
    """Rename grade cells written under a test's raw name (`test_x[a]`) to its cell id, for every student.

    Renaming keeps every student's grades, manual scores and comments on the same cell. Where a
    cell with the new id already exists, the old cell's manual scores and comments move onto it
    (never replacing one already there) and the old cell is dropped. Returns how many cells changed.
    """
    from nbgrader.api import Gradebook, MissingEntry

    if not (classroom.root / "gradebook.db").is_file():
        return 0
    changed = 0
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        try:
            notebook = gb.find_notebook(classroom.notebook_id(name), classroom.folder(name))
        except MissingEntry:
            return 0
        current = {cell.name: cell for cell in notebook.grade_cells}
        for old in list(current.values()):
            new_name = cell_id(old.name)
            if not old.name.startswith(TEST_PREFIX) or new_name == old.name:
                continue
            changed += 1
            target = current.get(new_name)
            if target is None:
                old.name, old.cell_type = new_name, "code"
                current[new_name] = old
                continue
            _carry_overrides(gb, old, target)
            _drop(gb, old)
        gb.db.commit()
    return changed


def _carry_overrides(gb, old, new) -> None:
    """Move what an instructor set on `old` (manual score, extra credit, comment) onto `new`, per student."""
    from nbgrader.api import Comment, Grade

    grades = {grade.notebook_id: grade for grade in gb.db.query(Grade).filter(Grade.cell_id == new.id)}
    for grade in gb.db.query(Grade).filter(Grade.cell_id == old.id):
        if grade.manual_score is None and grade.extra_credit is None:
            continue
        target = grades.get(grade.notebook_id) or Grade(
            cell_id=new.id, notebook_id=grade.notebook_id, auto_score=grade.auto_score, needs_manual_grade=False
        )
        if target.manual_score is None:
            target.manual_score = grade.manual_score
        if target.extra_credit is None:
            target.extra_credit = grade.extra_credit
        gb.db.add(target)
    comments = {comment.notebook_id: comment for comment in gb.db.query(Comment).filter(Comment.cell_id == new.id)}
    for comment in gb.db.query(Comment).filter(Comment.cell_id == old.id):
        if comment.manual_comment is None:
            continue
        target = comments.get(comment.notebook_id) or Comment(cell_id=new.id, notebook_id=comment.notebook_id)
        if target.manual_comment is None:
            target.manual_comment = comment.manual_comment
        gb.db.add(target)
    gb.db.flush()


def _drop(gb, cell) -> None:
    """Remove a grade cell with every student's grades and comments on it."""
    from nbgrader.api import Comment, Grade

    for model in (Grade, Comment):
        for row in gb.db.query(model).filter(model.cell_id == cell.id).all():
            gb.db.delete(row)
    gb.db.delete(cell)


def read_entries(classroom: Classroom, name: str, students: list[str]) -> dict[str, Entry]:
    """Each student's entry in the gradebook, read in one session (students not in it are left out)."""
    from nbgrader.api import Gradebook, MissingEntry

    if not (classroom.root / "gradebook.db").is_file():
        return {}
    folder, entries = classroom.folder(name), {}
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        try:
            due = str(gb.find_assignment(folder).duedate)
        except MissingEntry:
            return {}
        for student in students:
            try:
                submission = gb.find_submission(folder, student)
                notebook = gb.find_submission_notebook(classroom.notebook_id(name), folder, student)
            except MissingEntry:
                continue
            manual = dict(
                sorted(
                    (grade.name, round(float(grade.score), PLACES))
                    for grade in notebook.grades
                    if grade.manual_score is not None or grade.extra_credit is not None
                )
            )
            penalty = notebook.late_submission_penalty
            entries[student] = Entry(
                str(submission.timestamp),
                due,
                str(submission.extension),
                round(float(submission.score), PLACES),
                round(float(submission.max_score), PLACES),
                None if penalty is None else round(float(penalty), PLACES),
                manual,
            )
    return entries


def _late_penalty(classroom: Classroom, name: str, student: str) -> float | None:
    """Run nbgrader's AssignLatePenalties for this submission; returns the penalty it stored."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties

    resources = {
        "nbgrader": {
            "notebook": classroom.notebook_id(name),
            "assignment": classroom.folder(name),
            "student": student,
            "db_url": classroom.db_url,
        }
    }
    with nbgrader_environment():
        AssignLatePenalties(config=classroom.instructor_config()).preprocess(v4.new_notebook(), resources)
        with Gradebook(classroom.db_url, classroom.course_id) as gb:
            return gb.find_submission_notebook(
                classroom.notebook_id(name), classroom.folder(name), student
            ).late_submission_penalty
