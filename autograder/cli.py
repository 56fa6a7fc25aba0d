"""The `autograder` command: click wiring only; the work lives in grading, data and reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from autograder.batch import discover, grade_all
from autograder.config import load_config
from autograder.errors import ExitCode, InstructorError
from autograder.files import write_atomically
from autograder.grading import GradeOptions, GraderError, grade
from autograder.paths import REPO_ROOT
from autograder.reports.terminal import escape, print_gradebook, print_result
from autograder.untrusted_text import shown_name

console = Console()


class _Errors(click.Group):
    """Turns every error an instructor can fix into its one sentence and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InstructorError as err:
            console.print(f"[red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
            sys.exit(ExitCode.INSTRUCTOR_ERROR)


@click.group(cls=_Errors)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="grading.toml to use (default: $AUTOGRADER_CONFIG or the repository's).",
)
@click.option(
    "-v", "--verbose", count=True, help="Say what the grader does: -v its steps, -vv its details (on stderr)."
)
@click.pass_context
def main(ctx, config_path, verbose):
    """Grade deep-learning assignments with hidden tests, in a sandbox.

    Exit status: 0 done; 1 done, and something needs you (said above it); 2 could not run (one sentence says why).
    """
    ctx.obj = {"config_path": config_path}
    _log_to_stderr(verbose)


def _log_to_stderr(verbose: int) -> None:
    """-v: the library's INFO log lines on stderr, -vv: DEBUG; without it, warnings only. Student text never goes here."""
    import logging

    from rich.logging import RichHandler

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = RichHandler(console=Console(stderr=True), show_path=False, markup=False, rich_tracebacks=False)
    logger = logging.getLogger("autograder")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def _config(ctx):
    return load_config(ctx.obj["config_path"])


_isolation = click.option(
    "--isolation",
    type=click.Choice(["auto", "subprocess"]),
    default=None,
    help="auto: bubblewrap, or refuse with the reason; subprocess: no sandbox, on purpose "
    "(default: grading.toml's course.isolation).",
)
_language = click.option(
    "--language",
    type=click.Choice(["ko", "en"]),
    default=None,
    help="Feedback language (default: grading.toml's course.language).",
)


@main.command("grade")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--assignment", "-a", required=True, help="Assignment name from grading.toml, e.g. activations.")
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the full result here."
)
@click.option(
    "--gradescope",
    "gradescope_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write Gradescope's results.json here.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the student's feedback page (one self-contained HTML file) here.",
)
@click.option("--seed", type=int, default=None, help="Replay a run with its seed.")
@_isolation
@_language
@click.pass_context
def grade_command(ctx, path, assignment, json_path, gradescope_path, html_path, seed, isolation, language):
    """Grade one submission: a .py, a .ipynb or a folder holding it."""
    result = grade(
        path, assignment, config=_config(ctx), options=GradeOptions(seed=seed, isolation=isolation, language=language)
    )
    print_result(result, console)
    if json_path:
        write_atomically(json_path, result.model_dump_json(indent=2))
    if gradescope_path:
        write_atomically(gradescope_path, json.dumps(result.to_gradescope(), indent=2, ensure_ascii=False))
    if html_path:
        from autograder.reports.student_page import write_student_page

        try:
            write_student_page(result, html_path, data_home=_config(ctx).data_home)
        except OSError as err:
            raise GraderError(f"Could not write the feedback page {html_path}: {err.strerror or err}.") from None


@main.command("check-sandbox")
@_isolation
@click.pass_context
def check_sandbox_command(ctx, isolation):
    """Say which sandbox grading gets on this machine, or why none can be made (exit 2)."""
    from autograder.sandbox.launcher import choose_isolation

    found = choose_isolation(isolation or _config(ctx).course.isolation)
    console.print(f"isolation: {found.describe()}", highlight=False, soft_wrap=True)


def _executor_options(command):
    """--executor, --scheduler, --local-workers: where a batch runs."""
    command = click.option(
        "--local-workers",
        type=click.IntRange(min=1),
        default=None,
        help="With --executor dask: a LocalCluster of N worker processes on this machine.",
    )(command)
    command = click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="With --executor dask: the scheduler to send jobs to (tls://host:8786, or tcp://127.0.0.1 over SSH).",
    )(command)
    return click.option(
        "--executor",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="local: this machine, --workers at a time; dask: a Dask cluster.",
    )(command)


def _executor(executor: str, scheduler: str | None, local_workers: int | None):
    if executor == "local":
        if scheduler or local_workers:
            raise click.UsageError("--scheduler and --local-workers go with --executor dask.")
        return None
    from autograder.cluster import DaskExecutor

    return DaskExecutor(scheduler=scheduler, local_workers=local_workers)


@main.command("calibrate")
def calibrate_command():
    """How fast is this machine against the one the time limits were measured on? Prints the time_scale to set."""
    from autograder.calibration import calibrate

    found = calibrate()
    for name, seconds in found.seconds.items():
        console.print(f"{name:6} {seconds:6.2f} s   (reference machine {found.reference[name]:.2f} s)", highlight=False)
    console.print(
        f"This machine takes {found.ratio:.2f}x the reference machine's time (other programs' load not counted).",
        highlight=False,
    )
    console.print(
        f"Set [bold]time_scale = {found.time_scale:g}[/] under \\[limits] in grading.toml"
        + (" (the default)." if found.time_scale == 1 else "."),
        highlight=False,
    )


@main.command("grade-all")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--assignment", "-a", required=True)
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once (local executor). Default: what this machine's cores can feed: one per core "
    "for a numeric assignment, one per two cores for a model assignment (never more trainings than cores); "
    "each sandbox gets its share of the cores as threads.",
)
@_executor_options
@_isolation
@_language
@click.pass_context
def grade_all_command(ctx, folder, assignment, out, workers, executor, scheduler, local_workers, isolation, language):
    """Grade every student's submission in FOLDER; resumes where an earlier run stopped."""
    results = _grade_folder(
        _config(ctx),
        folder,
        assignment,
        out,
        workers,
        GradeOptions(isolation=isolation, language=language),
        executor=_executor(executor, scheduler, local_workers),
    )
    print_gradebook(results, console, title=f"{assignment}: {len(results)} submissions → {out}/gradebook.csv")


@main.command("report")
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
@_language
@click.pass_context
def report_command(ctx, folder, page, with_csv, language):
    """The class report of what grade-all or collect-grade stored in FOLDER (or in its subfolders)."""
    from autograder.reports.class_csv import write_class_csv
    from autograder.reports.class_page import assignment_titles, write_class_page
    from autograder.reports.class_report import build_class_report, read_results

    config, loaded = _config(ctx), read_results(folder)
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
    skipped = f" ({len(loaded.skipped)} other JSON files skipped)" if loaded.skipped else ""
    console.print(
        f"class report of {report.submissions} results, assignments: {len(report.assignments)}{skipped} → "
        + ", ".join(map(str, written)),
        highlight=False,
        soft_wrap=True,
    )


@main.command("grade-examples")
@click.option("--assignment", "-a", "names", multiple=True, help="Only this assignment (repeatable); default: all.")
@click.option("--skip-models", is_flag=True, help='Leave out assignments of kind "model", which train networks.')
@click.option(
    "--out", "-o", default=REPO_ROOT / "build" / "example-grades", type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--workers", "-w", default=2, show_default=True)
@_isolation
@_language
@click.pass_context
def grade_examples_command(ctx, names, skip_models, out, workers, isolation, language):
    """Grade the example class of every assignment (reference, stub, variants) and print the gradebook."""
    from autograder.course.examples import example_class, staged, write_gradebook_json
    from autograder.course.expectations import ExpectationError
    from autograder.course.layout import has_hidden_suite

    config = _config(ctx)
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
            results = _grade_folder(
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
            "or add files under tests/variants/NAME."
        )
    print_gradebook(everything, console, title=f"Example submissions ({len(everything)}) → {out}")
    for name, student, problem in unmet:
        console.print(f"[red]{escape(f'{name}/{student}: {problem}')}[/]", highlight=False)
    if unmet:
        sys.exit(ExitCode.NEEDS_ATTENTION)
    console.print(f"[green]All {len(everything)} example submissions scored as expected.[/]")


@main.command("build-release")
@click.argument("names", nargs=-1)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 and name the files that a build would change.")
@click.pass_context
def build_release_command(ctx, names, check):
    """Generate assignments/NN_NAME (stub .py, notebook, README, public tests) from solutions/NN_NAME."""
    from autograder.course.layout import assignments_with_solutions, layout
    from autograder.course.release import ReleaseError, build_release, release_is_current

    config = _config(ctx)
    names = list(names) or assignments_with_solutions(config)
    if not names:
        raise GraderError(f"No reference solutions under {config.source.parent / 'solutions'}; nothing to release.")
    for name in names:
        config.assignment(name)  # an unknown name stops here, with the list of known ones
    stale, failed = [], 0
    for name in names:  # one broken assignment does not hold back the others
        try:
            if check:
                stale += release_is_current(name, config)
            else:
                files = build_release(name, config)
                folder = layout(name, config).release_dir
                console.print(
                    f"[green]released[/] {folder.relative_to(config.source.parent)}: "
                    + ", ".join(str(p.relative_to(folder)) for p in files),
                    highlight=False,
                )
        except ReleaseError as err:
            console.print(f"[red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
            failed += 1
    if failed:
        sys.exit(ExitCode.INSTRUCTOR_ERROR)
    if check:
        for path in stale:
            console.print(f"[red]stale:[/] {escape(str(path))}", highlight=False)
        if stale:
            console.print("Run `autograder build-release` to regenerate them.")
            sys.exit(ExitCode.NEEDS_ATTENTION)
        console.print(f"[green]Releases are current:[/] {', '.join(names)}", highlight=False)


def _grade_folder(config, folder, assignment, out, workers, options, executor=None):
    roster = discover(folder)
    total = len(roster)
    if roster.ignored:  # said, never skipped in silence
        names = ", ".join(shown_name(name) for name in roster.ignored[:8]) + (" …" if len(roster.ignored) > 8 else "")
        console.print(f"[yellow]not graded, no student's file or folder: {escape(names)}[/]", highlight=False)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"grading {assignment}", total=total)

        def done(name, result, status, problem):
            if result is None or problem:  # no result, or a result whose feedback page could not be written
                progress.console.print(f"[red]{escape(f'{name}: {problem}')}[/]", highlight=False)
            progress.advance(task)

        return grade_all(
            folder, assignment, out, workers=workers, config=config, options=options, on_done=done, executor=executor
        )


@main.command("worker")
@click.option(
    "--scheduler",
    required=True,
    metavar="ADDRESS",
    help="The Dask scheduler to join, e.g. tls://grader.example.edu:8786.",
)
@click.option(
    "--nthreads",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Submissions this worker grades at once.",
)
@click.option("--name", default=None, help="The worker's name in the cluster (default: Dask's).")
@click.option(
    "--gpu",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="The GPU this worker trains on, N of /dev/nvidiaN (default: the first Slurm or CUDA_VISIBLE_DEVICES "
    "gave it, else the machine's only GPU, else none).",
)
@click.pass_context
def worker_command(ctx, scheduler, nthreads, name, gpu):
    """Join a Dask cluster as a grading worker, after checking this machine's data and sandbox."""
    from autograder.cluster import run_worker

    run_worker(_config(ctx), scheduler, nthreads=nthreads, name=name, console=console, gpu=gpu)


@main.group("data")
def data_group():
    """Fashion-MNIST: install it into the data home, or verify what is there."""


@data_group.command("verify")
@click.pass_context
def data_verify(ctx):
    """Show which data files are present and verified; exit 1 if any is not."""
    from autograder.data.commands import verify_command

    sys.exit(verify_command(_config(ctx.parent).data_home))


@data_group.command("install")
@click.pass_context
def data_install(ctx):
    """Fetch whatever is missing (Debian's package first, then the official mirrors)."""
    from autograder.data.commands import install_command

    sys.exit(install_command(_config(ctx.parent).data_home))


@main.command("gradescope")
@click.argument("assignment")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the zip (default: build/gradescope/ASSIGNMENT.zip).",
)
@click.pass_context
def gradescope_command(ctx, assignment, out):
    """Build a Gradescope autograder zip for one assignment (upload it as "Zip file")."""
    from autograder.deploy.gradescope import build_package

    path = build_package(
        assignment, out or REPO_ROOT / "build" / "gradescope" / f"{assignment}.zip", config=_config(ctx)
    )
    console.print(
        f"wrote {path}: upload it in Gradescope's autograder settings; students submit {_config(ctx).assignment(assignment).file} or the notebook."
    )


# -- the nbgrader round (autograder/classroom) ------------------------------------------------

_course_root = click.option(
    "--course-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="nbgrader's course root (default: $AUTOGRADER_COURSE_ROOT or classroom/ beside grading.toml).",
)
_exchange = click.option(
    "--exchange",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="nbgrader's exchange folder (default: $AUTOGRADER_EXCHANGE or nbgrader's own).",
)
_course_id = click.option(
    "--course-id",
    default=None,
    help="nbgrader course id (default: $AUTOGRADER_COURSE_ID or from grading.toml's course name).",
)


@main.command("release")
@click.argument("name")
@click.option(
    "--due", default=None, help="Due date stored in nbgrader's gradebook, e.g. '2025-03-14 23:59:00 Asia/Seoul'."
)
@_course_root
@_exchange
@_course_id
@click.pass_context
def release_command(ctx, name, due, course_root, exchange, course_id):
    """Build assignments/NN_NAME if stale, then nbgrader generate_assignment and release_assignment."""
    from autograder.classroom.commands import run_release

    run_release(_config(ctx), name, due=due, root=course_root, exchange=exchange, course_id=course_id, console=console)


@main.command("collect-grade")
@click.argument("name")
@click.option(
    "--zip",
    "archives",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Collect from an LMS download instead of the exchange (repeatable).",
)
@click.option(
    "--pattern",
    default="canvas",
    show_default=True,
    help="How LMS file names name the student: canvas, moodle, or a regex with (?P<student_id>) and (?P<file_id>).",
)
@click.option("--no-collect", is_flag=True, help="Grade what already lies in COURSE_ROOT/submitted; collect nothing.")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once. Default: one per core for a numeric assignment, one per two cores for a "
    "model assignment (as grade-all).",
)
@click.option("--release-feedback", is_flag=True, help="Also put the feedback into the exchange for fetch_feedback.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where nbgrader's export writes the grades (default: COURSE_ROOT/grades.csv).",
)
@click.option("--seed", type=int, default=None, help="Replay a grading run with its seed.")
@_executor_options
@_isolation
@_language
@_course_root
@_exchange
@_course_id
@click.pass_context
def collect_grade_command(
    ctx,
    name,
    archives,
    pattern,
    no_collect,
    workers,
    release_feedback,
    csv_path,
    seed,
    executor,
    scheduler,
    local_workers,
    isolation,
    language,
    course_root,
    exchange,
    course_id,
):
    """Collect NAME, grade new submissions, write nbgrader's gradebook and feedback, export the CSV."""
    from autograder.classroom.commands import run_collect_grade

    run_collect_grade(
        _config(ctx),
        name,
        archives=list(archives),
        pattern=pattern,
        collect_new=not no_collect,
        options=GradeOptions(seed=seed, isolation=isolation, language=language),
        workers=workers,
        release_feedback=release_feedback,
        csv=csv_path,
        root=course_root,
        exchange=exchange,
        course_id=course_id,
        console=console,
        executor=_executor(executor, scheduler, local_workers),
    )


@main.command("export")
@click.option(
    "--lms",
    required=True,
    type=click.Choice(["canvas", "moodle", "blackboard"]),
    help="The LMS whose grade import file to write.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write (default: COURSE_ROOT/lms-LMS.csv).",
)
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV mapping student ids to LMS ids; filled in where the course knows them "
    "(default: COURSE_ROOT/lms-roster.csv).",
)
@click.option(
    "--column-id",
    "column_ids",
    multiple=True,
    metavar="NAME=ID",
    help="The LMS's id of an assignment's column (Canvas assignment id, Blackboard column id); repeatable.",
)
@click.option(
    "--match",
    "moodle_match",
    type=click.Choice(["auto", "id_number", "email"]),
    default="auto",
    show_default=True,
    help="Moodle: which roster column identifies students.",
)
@_course_root
@_exchange
@_course_id
@click.pass_context
def export_command(ctx, lms, out, roster, column_ids, moodle_match, course_root, exchange, course_id):
    """Write the gradebook's totals (overrides and late penalties included) as the LMS's grade import file."""
    from autograder.classroom.commands import _classroom
    from autograder.classroom.lms_export import export_lms

    ids = {}
    for item in column_ids:
        name, sep, ident = item.partition("=")
        if not sep or not name.strip() or not ident.strip():
            raise click.UsageError(f"--column-id takes NAME=ID (e.g. activations=12345), not {item!r}.")
        ids[name.strip()] = ident.strip()
    classroom = _classroom(_config(ctx), course_root, exchange, course_id, console)
    report = export_lms(classroom, lms, out=out, roster=roster, column_ids=ids, moodle_match=moodle_match)
    for message in report.unmapped.values():
        console.print(f"[yellow]not in the file:[/] {escape(message)}", highlight=False, soft_wrap=True)
    console.print(
        f"wrote {report.path}: {len(report.students)} students, {len(report.assignments)} assignments "
        f"({', '.join(report.assignments) or 'none graded yet'}); roster {report.roster}"
        + (f", {report.learned} ids filled in" if report.learned else ""),
        highlight=False,
        soft_wrap=True,
    )
    if report.unmapped:
        console.print(
            f"[yellow]{len(report.unmapped)} students left out: fill in their rows of {report.roster} and run again.[/]",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(ExitCode.NEEDS_ATTENTION)


@main.command("hub-setup")
@click.option(
    "--instructor",
    "instructors",
    multiple=True,
    required=True,
    metavar="USER",
    help="An instructor's Unix account (repeatable; the first owns the course folder).",
)
@click.option(
    "--students",
    "students",
    multiple=True,
    metavar="USER[,USER...]",
    help="Students' Unix accounts (repeatable, or comma-separated).",
)
@click.option(
    "--student-list",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A file with one student account a line.",
)
@click.option(
    "--hub-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("/srv/jupyterhub"),
    show_default=True,
    help="Where the hub's configuration goes (run `jupyterhub -f HUB_DIR/jupyterhub_config.py` from there).",
)
@click.option(
    "--graders-group", default=None, help="Unix group of the course's instructors (default: COURSE_ID-graders)."
)
@click.option(
    "--students-group", default=None, help="Unix group of the course's members (default: COURSE_ID-students)."
)
@_course_root
@_exchange
@_course_id
@click.pass_context
def hub_setup_command(
    ctx, instructors, students, student_list, hub_dir, graders_group, students_group, course_root, exchange, course_id
):
    """As root: groups, exchange, course folder modes and JupyterHub's configuration for one course on a shared hub."""
    from autograder.classroom.course import open_classroom
    from autograder.classroom.hub import hub_setup

    names = [n.strip() for group in students for n in group.split(",") if n.strip()]
    if student_list:
        names += [
            line.strip()
            for line in student_list.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    classroom = open_classroom(config=_config(ctx), root=course_root, exchange=exchange, course_id=course_id)
    done = hub_setup(
        classroom,
        instructors=list(instructors),
        students=list(dict.fromkeys(names)),
        hub_dir=hub_dir,
        exchange=exchange,
        graders_group=graders_group,
        students_group=students_group,
    )
    console.print(
        f"course [bold]{escape(done.course_id)}[/]: {len(done.students)} students in {done.students_group}, "
        f"instructors {', '.join(done.instructors)} in {done.graders_group}; exchange {done.exchange}",
        highlight=False,
    )
    for name, line in done.sandbox.items():
        console.print(f"sandbox as {name}: {escape(line)}", highlight=False, soft_wrap=True)
    console.print(f"start the hub: cd {hub_dir} && jupyterhub -f {hub_dir / 'jupyterhub_config.py'}", highlight=False)


@main.command("similarity")
@click.argument("name")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "-o",
    "page",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML page to write, the CSV beside it (default: FOLDER/similarity-NAME.html, or "
    "COURSE_ROOT/similarity/NN_NAME.html).",
)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Pairs shown side by side.")
@_language
@_course_root
@_exchange
@_course_id
@click.pass_context
def similarity_command(ctx, name, folder, page, top, language, course_root, exchange, course_id):
    """Rank the pairs of NAME's hand-ins that share the most code, for a person to read (never a verdict).

    FOLDER holds one subfolder or file per student (as for grade-all); without it, the
    submissions collect-grade filed under the course root.
    """
    from autograder.reports.similarity_page import write_similarity
    from autograder.similarity import class_similarity

    config = _config(ctx)
    spec = config.assignment(name)
    if folder is not None:
        hand_ins, where = dict(discover(folder)), folder
        page = page or folder / f"similarity-{name}.html"
    else:
        from autograder.classroom.commands import _classroom
        from autograder.classroom.rounds import submitted_students

        classroom = _classroom(config, course_root, exchange, course_id, console)
        hand_ins = {s: classroom.step_dir("submitted", name, s) for s in submitted_students(classroom, name)}
        where = classroom.root / "submitted"
        page = page or classroom.root / "similarity" / f"{classroom.folder(name)}.html"
    if len(hand_ins) < 2:
        raise GraderError(
            f"Found {len(hand_ins)} hand-in(s) of {name} in {where}; give the folder with one subfolder "
            f"or file per student (autograder similarity {name} FOLDER), or collect a round first."
        )
    report = class_similarity(config, name, hand_ins)
    language = language or config.course.language
    title = spec.title_ko if language == "ko" and spec.title_ko else spec.title
    written = write_similarity(
        report, page, language=language, title=f"{spec.number:02d} {title}", course=config.course.name, top=top
    )
    for student, problem in sorted(report.problems.items()):
        console.print(f"[yellow]not compared:[/] {escape(f'{student}: {problem}')}", highlight=False, soft_wrap=True)
    best = report.pairs[0] if report.pairs else None
    console.print(
        f"{len(hand_ins) - len(report.problems)} hand-ins, {report.compared} pairs in {report.seconds:.1f} s; "
        + (
            f"most similar: {escape(best.a)} · {escape(best.b)} {100 * best.score:.0f} % shared; "
            if best
            else "no pair shares code beyond the starter code; "
        )
        + f"a ranking to read, not a verdict → {written[0]}, {written[1]}",
        highlight=False,
        soft_wrap=True,
    )


if __name__ == "__main__":
    main()
