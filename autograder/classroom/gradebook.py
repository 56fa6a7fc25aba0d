"""Write our grader's scores into nbgrader's gradebook database, through nbgrader's API.

Mapping: every hidden test is one graded markdown cell of the assignment's notebook in
the gradebook (name = the pytest item name, max_score = the test's points). The cells
exist only in the database and in the instructor's autograded copy, never in a released
or submitted notebook, so the hidden tests stay hidden while formgrader, feedback and
`nbgrader export` add up exactly the points our grader gave, test by test. A score an
instructor typed into formgrader (manual_score) wins over ours and is never overwritten.

The late penalty is nbgrader's own: its AssignLatePenalties step runs with whatever
plugin nbgrader_config.py names, on the submission's timestamp and the assignment's due
date (plus any extension granted in the gradebook).
"""
from __future__ import annotations

import datetime

from nbformat import v4

from autograder.classroom.course import Classroom, nbgrader_environment
from autograder.results import SubmissionResult

TEST_PREFIX = "test_"


def record(classroom: Classroom, name: str, student: str, result: SubmissionResult,
           timestamp: datetime.datetime | None) -> float | None:
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
            grade.auto_score = float(test.score)
            grade.needs_manual_grade = False
            gb.db.add(grade)
        gb.db.commit()
    return _late_penalty(classroom, name, student)


def _sync_cells(gb, notebook, notebook_id: str, folder: str, result: SubmissionResult) -> dict:
    """One graded cell per hidden test; cells of tests that no longer exist are removed."""
    from nbgrader.api import Grade

    wanted = {test.name: test.max_score for test in result.tests}
    for cell in list(notebook.grade_cells):
        if cell.name.startswith(TEST_PREFIX) and cell.name not in wanted:
            for grade in gb.db.query(Grade).filter(Grade.cell_id == cell.id).all():
                gb.db.delete(grade)
            gb.db.delete(cell)
    gb.db.commit()
    cells = {}
    for test_name, max_score in wanted.items():
        cells[test_name] = gb.update_or_create_grade_cell(test_name, notebook_id, folder, max_score=float(max_score),
                                                           cell_type="markdown")
    return cells


def _late_penalty(classroom: Classroom, name: str, student: str) -> float | None:
    """Run nbgrader's AssignLatePenalties for this submission; returns the penalty it stored."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties

    resources = {"nbgrader": {"notebook": classroom.notebook_id(name), "assignment": classroom.folder(name),
                              "student": student, "db_url": classroom.db_url}}
    with nbgrader_environment():
        AssignLatePenalties(config=classroom.nbgrader_config()).preprocess(v4.new_notebook(), resources)
        with Gradebook(classroom.db_url, classroom.course_id) as gb:
            return gb.find_submission_notebook(classroom.notebook_id(name), classroom.folder(name), student).late_submission_penalty

