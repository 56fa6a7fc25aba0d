"""The class report's tables as CSV, for a spreadsheet: the same `ClassReport` the page shows.

Three files beside the page: report-scores.csv (one row per assignment: distribution,
histogram bands, grading time), report-items.csv (one row per hidden test, then one per
case of a parametrized test) and report-flags.csv (one row per reason a submission needs a
look). Numbers are written unrounded; reason codes stay machine-readable.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.errors import ReportError
from autograder.files import write_csv_atomically
from autograder.reports.class_report import TOP_MESSAGES, ClassReport, Message
from autograder.untrusted_text import csv_row

SCORES, ITEMS, FLAGS = "report-scores.csv", "report-items.csv", "report-flags.csv"


def score_rows(report: ClassReport) -> list[list]:
    first = report.assignments[0].histogram.edges
    bands = [f"{left:g}-{right:g}%" for left, right in zip(first, first[1:])]
    rows = [
        [
            "assignment",
            "submissions",
            "max_score",
            "mean",
            "median",
            "min",
            "max",
            "full_marks",
            "full_marks_share",
            *bands,
            "time_mean_s",
            "time_median_s",
            "time_max_s",
        ]
    ]
    for a in report.assignments:
        s, t = a.summary, a.timing
        rows.append(
            [
                a.assignment,
                s.count,
                s.max_score,
                s.mean,
                s.median,
                s.minimum,
                s.maximum,
                s.full_marks,
                s.full_marks_share,
                *a.histogram.counts,
                t.mean,
                t.median,
                t.maximum,
            ]
        )
    return rows


def item_rows(report: ClassReport) -> list[list]:
    """A test's own row has an empty `case`; its cases follow when it has several."""
    messages = [column for i in range(1, TOP_MESSAGES + 1) for column in (f"message_{i}", f"count_{i}")]
    rows = [
        [
            "assignment",
            "test",
            "case",
            "description",
            "submissions",
            "passed",
            "pass_rate",
            "mean_points",
            "max_points",
            *messages,
        ]
    ]
    for a in report.assignments:
        for item in a.items:
            rows.append(
                [
                    a.assignment,
                    item.function,
                    "",
                    item.description,
                    item.submissions,
                    item.passed,
                    item.pass_rate,
                    item.mean_points,
                    item.max_points,
                    *_messages(item.messages),
                ]
            )
            if len(item.cases) > 1:
                for case in item.cases:
                    rows.append(
                        [
                            a.assignment,
                            item.function,
                            case.name,
                            case.description,
                            case.submissions,
                            case.passed,
                            case.pass_rate,
                            case.mean_points,
                            case.max_points,
                            *_messages(case.messages),
                        ]
                    )
    return rows


def flag_rows(report: ClassReport) -> list[list]:
    rows = [["assignment", "student", "score", "max_score", "reason", "detail"]]
    for a in report.assignments:
        for review in a.reviews:
            for reason in review.reasons:
                rows.append([a.assignment, review.student, review.score, review.max_score, reason.code, reason.detail])
    return rows


def _messages(messages: tuple[Message, ...]) -> list:
    cells = [cell for message in messages for cell in (message.text, message.count)]
    return cells + [""] * (2 * TOP_MESSAGES - len(cells))


def write_class_csv(report: ClassReport, folder: str | os.PathLike) -> list[Path]:
    """Write the three tables into `folder` (each atomically) and return their paths."""
    folder = Path(folder)
    written = []
    for name, rows in ((SCORES, score_rows(report)), (ITEMS, item_rows(report)), (FLAGS, flag_rows(report))):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_csv_atomically(folder / name, (csv_row(row) for row in rows))
        except OSError as err:
            raise ReportError(f"Could not write {folder / name}: {err.strerror or err}.") from None
        written.append(folder / name)
    return written
