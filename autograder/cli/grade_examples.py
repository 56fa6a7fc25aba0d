"""`autograder grade-examples`: grade the example class of every assignment (reference, stub, variants) and print the gradebook."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autograder.cli.options import (
    config_of,
    console,
    grade_folder,
    isolation_option,
    language_option,
)
from autograder.errors import ExitCode, GraderError
from autograder.grading import GradeOptions
from autograder.reports.terminal import escape, print_gradebook


@click.command("grade-examples")
@click.option("--assignment", "-a", "names", multiple=True, help="Only this assignment (repeatable); default: all.")
@click.option("--skip-models", is_flag=True, help='Leave out assignments of kind "model", which train networks.')
@click.option(
    "--out",
    "-o",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the results go (default: build/example-grades beside grading.toml).",
)
@click.option("--workers", "-w", default=2, show_default=True)
@isolation_option
@language_option
@click.pass_context
def grade_examples_command(ctx, names, skip_models, out, workers, isolation, language):
    """Grade the example class of every assignment (reference, stub, variants) and print the gradebook."""
    from autograder.course.examples import example_class, staged, write_gradebook_json
    from autograder.course.layout import has_hidden_suite
    from autograder.errors import ExpectationError

    config = config_of(ctx)
    out = out or config.source.parent / "build" / "example-grades"
    for name in names:
        config.assignment(name)  # an unknown name stops here, with the list of known ones
    chosen = list(names) or list(config.assignments)
    everything, unmet = [], []
    for name in chosen:
        if skip_models and config.assignment(name).kind == "model":
            continue
        try:
            examples = example_class(name, config)
        except ExpectationError as err:
            raise GraderError(str(err)) from None
        if not examples or not has_hidden_suite(name, config):
            continue
        with staged(examples) as folder:
            results = grade_folder(
                config, folder, name, out / name, workers, GradeOptions(isolation=isolation, language=language)
            )
        write_gradebook_json(out / name / "gradebook.json", results)
        everything += results
        by_student = {r.student: r for r in results}
        for example in examples:
            result = by_student.get(example.student)
            problem = "not graded" if result is None else example.expectation.unmet(result)
            if problem:
                unmet.append((name, example.student, problem))
    if not everything:
        raise GraderError(
            "No example submissions found: write solutions/NN_NAME, run `autograder build-release`, "
            "or add files under solutions/NN_NAME/variants/."
        )
    print_gradebook(everything, console, title=f"Example submissions ({len(everything)}) → {out}")
    for name, student, problem in unmet:
        console.print(f"[red]{escape(f'{name}/{student}: {problem}')}[/]", highlight=False)
    if unmet:
        sys.exit(ExitCode.NEEDS_ATTENTION)
    console.print(f"[green]All {len(everything)} example submissions scored as expected.[/]")
