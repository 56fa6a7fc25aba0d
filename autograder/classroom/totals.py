"""The one total: the gradebook's, shown the same way wherever the round shows a score.

nbgrader's gradebook holds our grader's score for every hidden test and any score an
instructor typed into formgrader, so it is the source of truth; nothing adds up our own
result again. Its totals carry float noise (the SQL sum of 0.4 + 0.5 + ... can be
9.999999999999995), so every place starts from the same float, gradebook.final_score()
(4 decimals), and shows it rounded to 2 (reports/scores.py). The places: nbgrader's feedback header and our
summary cell (a GenerateFeedback preprocessor, so formgrader's own "Generate Feedback"
button agrees too), the `collect-grade` table, grades.csv (an export plugin) and the
record the round stores per student (published.py). formgrader's manual grading page
shows the same summary cell, refreshed on every load.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode, v4
from nbgrader.plugins import CsvExportPlugin
from traitlets import Bool

from autograder.bilingual import Said, say
from autograder.classroom.cell_ids import cell_ids
from autograder.classroom.gradebook import PLACES, Entry, final_score
from autograder.reports.scores import shown
from autograder.results import SubmissionResult
from autograder.untrusted_text import csv_cell

TOTAL_CELL = "autograder-total"
SCORE_COLUMNS = ("raw_score", "late_submission_penalty", "score", "max_score")


def total_markdown(
    language: str, score: float, max_score: float, raw_score: float, late_penalty: float, manual: int
) -> str:
    """The summary cell's heading and total, in the student's language."""
    lines: list[Said | str] = [
        "# " + say("Autograder results", "자동 채점 결과"),
        "",
        "**" + say("Score", "점수") + f": {shown(score)} / {shown(max_score)}**",
    ]
    parts: list[Said | str] = []
    if late_penalty:
        parts.append(
            say(
                f"tests {shown(raw_score)}, late submission penalty −{shown(late_penalty)}",
                f"테스트 점수 {shown(raw_score)}, 지각 감점 −{shown(late_penalty)}",
            )
        )
    if manual:
        parts.append(
            say(
                f"{manual} score{'s' if manual > 1 else ''} set by your instructor", f"강사가 직접 매긴 점수 {manual}개"
            )
        )
    if parts:
        lines += ["", "(" + Said.same("; ").join(parts) + ")"]
    return Said.same("\n").join(lines).in_language(language)


def total_cell(language: str, entry: Entry | None, fallback: tuple[float, float]) -> NotebookNode:
    """The summary cell for `entry` (the grader's own score and maximum when the gradebook has none yet)."""
    if entry is None:
        text = total_markdown(language, fallback[0], fallback[1], fallback[0], 0.0, 0)
    else:
        text = total_markdown(
            language, entry.score, entry.max_score, entry.raw_score, entry.late_penalty or 0.0, len(entry.manual)
        )
    cell = v4.new_markdown_cell(text)
    cell.id = TOTAL_CELL
    cell.metadata["autograder"] = {"role": "total", "language": language}
    return cell


class GradebookSummary(Preprocessor):
    """At feedback time, after nbgrader's GetGrades: the gradebook's total, rounded once, in its header and our summary.

    GetGrades hands nbgrader's feedback template the unrounded total; it is replaced with
    final_score(), the float grades.csv and the table show, so all round to the same digits.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        from nbgrader.api import Gradebook

        ids = resources["nbgrader"]
        with Gradebook(ids["db_url"]) as gb:
            totals = _fill(nb, gb.find_submission_notebook(ids["notebook"], ids["assignment"], ids["student"]))
        ids.update(totals)
        return nb, resources


class FormgraderSummary(GradebookSummary):
    """The same summary on formgrader's manual grading page, so a reload after an override shows the new total."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        from nbgrader.api import Gradebook

        if "submission_id" not in resources or "nbgrader" in resources:  # not formgrader's page
            return nb, resources
        with Gradebook(self.config.CourseDirectory.db_url) as gb:
            _fill(nb, gb.find_submission_notebook_by_id(resources["submission_id"]))
        return nb, resources


def _fill(nb: NotebookNode, notebook) -> dict[str, float]:
    """Write the total of nbgrader's submitted `notebook` into our summary cell; returns it as nbgrader's template reads it."""
    raw = round(float(notebook.score), PLACES)
    penalty = round(float(notebook.late_submission_penalty or 0.0), PLACES)
    maximum = round(float(notebook.max_score), PLACES)
    manual = sum(1 for g in notebook.grades if g.manual_score is not None or g.extra_credit is not None)
    for cell in nb.cells:
        role = cell.metadata.get("autograder") or {}
        if role.get("role") == "total":
            cell.source = total_markdown(
                role.get("language", "en"), final_score(raw, penalty), maximum, raw, penalty, manual
            )
    return {"score": final_score(raw, penalty), "max_score": maximum, "late_penalty": penalty}


class RoundedCsvExport(CsvExportPlugin):
    """nbgrader's CSV export, with its score columns rounded to 4 decimals (never 9.999999999999995)
    and no text cell a spreadsheet would run as a formula."""

    def export(self, gradebook) -> None:
        super().export(gradebook)
        path = Path(self.to or "grades.csv")
        with open(path, newline="", encoding="utf-8") as stream:
            rows = list(csv.reader(stream))
        if not rows:
            return
        columns = {key: i for i, key in enumerate(rows[0]) if key in SCORE_COLUMNS}
        for row in rows[1:]:
            try:
                values = {key: round(float(row[i] or 0.0), PLACES) for key, i in columns.items()}
            except (IndexError, ValueError):  # a name with a comma shifted the row: leave it as nbgrader wrote it
                continue
            values["score"] = final_score(values["raw_score"], values["late_submission_penalty"])
            for key, i in columns.items():
                row[i] = str(values[key] + 0.0)
        score_columns = set(columns.values())
        rows[1:] = [[cell if i in score_columns else csv_cell(cell) for i, cell in enumerate(row)] for row in rows[1:]]
        with open(path, "w", newline="", encoding="utf-8") as stream:
            csv.writer(stream, lineterminator="\n").writerows(rows)


def as_published(result: SubmissionResult, entry: Entry | None) -> SubmissionResult:
    """Our result with the scores an instructor typed into formgrader, for the student's own page."""
    if entry is None or not entry.manual:
        return result
    ids = cell_ids(test.name for test in result.tests)
    note = say(" (This score was set by your instructor.)", " (이 점수는 담당 교수자가 정했습니다.)")
    tests = [
        test.model_copy(update={"score": max(0.0, entry.manual[ids[test.name]]), "output": test.output + note})
        if ids[test.name] in entry.manual
        else test
        for test in result.tests
    ]
    return result.model_copy(update={"tests": tests})
