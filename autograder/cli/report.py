"""`autograder report`: the class report of what grade-all or collect-grade stored in FOLDER (or in its subfolders)."""

from __future__ import annotations

from pathlib import Path

import click

from autograder.cli.options import (
    config_of,
    console,
    language_option,
)


@click.command("report")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "-o",
    "page",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML page to write (default: FOLDER/report.html).",
)
@click.option(
    "--csv",
    "with_csv",
    is_flag=True,
    help="Also write report-scores.csv, report-items.csv and report-flags.csv beside the page.",
)
@language_option
@click.pass_context
def report_command(ctx, folder, page, with_csv, language):
    """The class report of what grade-all or collect-grade stored in FOLDER (or in its subfolders)."""
    from autograder.reports.class_csv import write_class_csv
    from autograder.reports.class_page import assignment_titles, write_class_page
    from autograder.reports.class_report import build_class_report, read_results
    from autograder.reports.terminal import print_class_report

    config, loaded = config_of(ctx), read_results(folder)
    language = language or config.course.language
    report = build_class_report(loaded.results, skipped=loaded.skipped, order=list(config.assignments))
    page = write_class_page(
        report,
        page or folder / "report.html",
        language=language,
        course=config.course.name,
        titles=assignment_titles(config, language),
        source=str(folder),
    )
    written = [page, *(write_class_csv(report, page.parent) if with_csv else [])]
    print_class_report(console, report.submissions, len(report.assignments), len(loaded.skipped), written)
