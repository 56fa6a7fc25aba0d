"""Our parts in nbgrader's steps, and the nbgrader configuration that holds them.

nbgrader's own autograde refuses (guard.py: it would run student code outside the sandbox),
and its feedback, formgrader page and CSV export show the gradebook's one total, rounded
(totals.py). Those parts read the gradebook, which reads the course (course.py), so they are
plugged in here, above all three, and course.py stays a plain map of where the course lives.

nbgrader_config.py beside grading.toml calls `configure`; our own commands take their
configuration from `nbgrader_config`.
"""

from __future__ import annotations

import os

from traitlets.config import Config

from autograder.classroom.course import Classroom, configure_paths, open_classroom
from autograder.classroom.guard import RefuseAutograde
from autograder.classroom.totals import FormgraderSummary, GradebookSummary, RoundedCsvExport


def configure(
    c: Config, classroom: Classroom | None = None, *, grading_toml: str | os.PathLike | None = None
) -> Config:
    """Set nbgrader's course paths for `classroom` and plug our parts into its steps, in place."""
    if classroom is None:
        classroom = open_classroom(os.environ.get("AUTOGRADER_CONFIG") or grading_toml)
    configure_paths(c, classroom)
    _plug_in(c)
    return c


def nbgrader_config(classroom: Classroom) -> Config:
    """The instructor's nbgrader_config.py beside grading.toml, with this course's paths and our parts on top."""
    config = classroom.instructor_config()
    _plug_in(config)
    return config


def _plug_in(c: Config) -> None:
    """Our parts in nbgrader's steps: its in-kernel autograde refuses; feedback and export show the one total, rounded.

    The export plugin is only a default: a line after configure() in nbgrader_config.py may choose another.
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbconvert.preprocessors.sanitize import SanitizeHTML
    from nbgrader.preprocessors import GetGrades

    c.Autograde.exporter_class = RefuseAutograde
    # A student's markdown and outputs are data: nbgrader's feedback and formgrade templates render markdown
    # without nbconvert's clean_html, so SanitizeHTML cleans every cell before any template sees it (an
    # <img onerror=...> or <script> is shown as text, never run), and sanitize_html covers nbconvert's own templates.
    c.HTMLExporter.sanitize_html = True
    c.GenerateFeedback.preprocessors = [SanitizeHTML, GetGrades, GradebookSummary, CSSHTMLHeaderPreprocessor]
    c.HTMLExporter.preprocessors = [SanitizeHTML, FormgraderSummary]  # formgrader renders with a plain HTMLExporter
    if "plugin_class" not in c.ExportApp:
        c.ExportApp.plugin_class = RoundedCsvExport
