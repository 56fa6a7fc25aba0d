"""`autograder build-release`: turn solutions/NN_NAME into the students' assignments/NN_NAME.

The reference solution (a jupytext percent script) becomes a notebook with nbgrader cell
metadata; nbgrader's generate_assignment clears the solution regions; the released
notebook is written as NAME.ipynb and, through jupytext again, as the plain .py stub.
README.md, the public tests and any other file of the solution folder (but its
assignment.toml and hidden suite, the instructor's alone) come along unchanged, except that a README's `{{ threshold.accuracy }}` or `{{ limit.call_time }}`
becomes the number the settings hold ("87 %", "600 s"), so students read the real
levels, and `{{ selfcheck.ko }}` / `{{ selfcheck.en }}` the sentences on the notebook's
self-check cells. Those cells (selfcheck.py) run the public tests inside the notebook;
the .py stub leaves them out. Output is deterministic, so `--check` can compare it byte
for byte.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.config import GradingConfig, load_config
from autograder.course.cells import BEGIN_SOLUTION, mark_for_nbgrader
from autograder.course.conversion import notebook_from_percent, notebook_text, percent_from_notebook
from autograder.course.guard import marker_problems, release_problems
from autograder.course.layout import AssignmentLayout, is_ignored, is_instructor_only, layout
from autograder.course.nbgrader_release import generate_assignment
from autograder.course.selfcheck import (
    HELPER,
    Plan,
    SelfCheckError,
    add_check_cells,
    helper_path,
    helper_source,
    plan_checks,
    public_tests_for,
    readme_text,
    without_check_cells,
)
from autograder.errors import NbgraderError, ReleaseError


def render_release(name: str, config: GradingConfig | None = None) -> dict[str, bytes]:
    """The files of assignments/NN_NAME as they should be, without writing anything."""
    config = config or load_config()
    spot = layout(name, config)
    if not spot.solution_file.is_file():
        raise ReleaseError(
            f"There is no reference solution at {spot.solution_file}; write it before releasing {name!r}."
        )
    tracks = solution_tracks(spot)
    prepared = {track: source_notebook(spot, track, language=config.course.language) for track in tracks}
    companions = {
        relative: _fill_in(name, relative, content, config, spot, prepared[spot.file][1])
        for relative, content in _companion_files(spot).items()
        if relative not in tracks
    }
    for track, (_, plan) in prepared.items():
        if plan is not None:
            if helper_path(track) in companions:
                raise ReleaseError(
                    f"{spot.solution_dir.relative_to(spot.root) / helper_path(track)} would be replaced by "
                    f"the notebook's self-check helper; rename it."
                )
            companions[helper_path(track)] = helper_source(plan, config.course.language).encode("utf-8")
    files: dict[str, bytes] = {}
    sources, notebooks = [], []
    for track in tracks:
        source = (spot.solution_dir / track).read_text(encoding="utf-8")
        notebook = prepared[track][0]
        notebook_name = str(Path(track).with_suffix(".ipynb"))
        try:  # companions travel with the main track, so nbgrader copies them as it would any course file
            released = generate_assignment(
                spot.folder, Path(notebook_name).name, notebook, companions if track == spot.file else {}
            )
        except NbgraderError as err:
            raise ReleaseError(str(err)) from None
        released_notebook = nbformat.reads(released.pop(Path(notebook_name).name).decode("utf-8"), as_version=4)
        files[track] = percent_from_notebook(without_check_cells(released_notebook)).encode("utf-8")
        files[notebook_name] = notebook_text(released_notebook).encode("utf-8")
        files.update(released)
        sources.append(source)
        notebooks.append((notebook_name, notebook, released_notebook))
    problems = release_problems(sources, notebooks, files, _hidden_suite(name, config))
    if problems:
        raise ReleaseError(
            f"Refusing to release {name!r} from {spot.solution_dir.relative_to(spot.root)}: " + " ".join(problems)
        )
    return dict(sorted(files.items()))


def source_notebook(spot: AssignmentLayout, track: str, *, language: str) -> tuple[NotebookNode, Plan | None]:
    """The notebook nbgrader starts from: the track's cells with nbgrader metadata, plus its self-check cells.

    `autograder release` starts from the same notebook, so nbgrader's gradebook records the
    cells students receive. The plan is None when no public test file belongs to the track.
    """
    where = spot.solution_dir.relative_to(spot.root) / track
    notebook = mark_for_nbgrader(notebook_from_percent((spot.solution_dir / track).read_text(encoding="utf-8")))
    problems = marker_problems(notebook, str(where))  # before the check cells, so cell numbers match the file
    if problems:
        raise ReleaseError(" ".join(problems))
    tests = public_tests_for(spot.solution_dir, track)
    if tests is None:
        return notebook, None
    tests_path = Path(os.path.relpath(tests, (spot.solution_dir / track).parent)).as_posix()
    try:
        plan = plan_checks(notebook, tests.read_text(encoding="utf-8"), Path(track).stem, tests_path)
    except SelfCheckError as err:
        raise ReleaseError(f"Cannot place the self-checks of {where}: {err}") from None
    lone = replace(plan, tests_path=tests.name)  # a notebook opened alone: helper and tests side by side
    setup = {HELPER: helper_source(lone, language), tests.name: tests.read_text(encoding="utf-8")}
    return add_check_cells(notebook, plan, setup), plan


def solution_tracks(spot: AssignmentLayout) -> list[str]:
    """The solution files to strip: the assignment's file, then any other .py holding solution regions.

    A second track (say pytorch/fashion_mlp.py beside a Keras fashion_mlp.py) is released
    the same way, as a stub and a notebook at the same relative place.
    """
    others = [
        relative
        for relative, content in _companion_files(spot).items()
        if relative.endswith(".py") and BEGIN_SOLUTION.encode() in content
    ]
    return [spot.file, *others]


def build_release(name: str, config: GradingConfig | None = None) -> list[Path]:
    """(Re)write assignments/NN_NAME from its source; returns the files it now holds."""
    config = config or load_config()
    spot = layout(name, config)
    files = render_release(name, config)
    target = spot.release_dir
    for stale in _released_files(target):
        if str(stale.relative_to(target)) not in files:
            stale.unlink()
    written = []
    for relative, content in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
        written.append(path)
    return written


def release_is_current(name: str, config: GradingConfig | None = None) -> list[str]:
    """The released files (relative to the course root) that differ from a fresh build."""
    config = config or load_config()
    spot = layout(name, config)
    files = render_release(name, config)
    target = spot.release_dir
    stale = []
    for relative, content in files.items():
        path = target / relative
        if not path.is_file() or path.read_bytes() != content:
            stale.append(str(path.relative_to(spot.root)))
    for path in _released_files(target):
        if str(path.relative_to(target)) not in files:
            stale.append(str(path.relative_to(spot.root)))
    return sorted(stale)


def _companion_files(spot: AssignmentLayout) -> dict[str, bytes]:
    """Everything of the solution folder but the solution itself and what is the instructor's alone: README, public tests, data."""
    found = {}
    for path in sorted(spot.solution_dir.rglob("*")):
        relative = path.relative_to(spot.solution_dir)
        if (
            path.is_file()
            and not is_ignored(relative)
            and not is_instructor_only(relative)
            and str(relative) not in (spot.file, spot.notebook)
        ):
            found[str(relative)] = path.read_bytes()
    return found


def _hidden_suite(name: str, config: GradingConfig) -> list[str]:
    """The hidden tests' Python sources, which nothing released may repeat."""
    suite = config.suite_dir(name)
    return [path.read_text(encoding="utf-8") for path in sorted(suite.rglob("*.py"))] if suite.is_dir() else []


_PLACEHOLDER = re.compile(r"\{\{\s*(threshold|limit|integrity|selfcheck)\.(\w+)\s*\}\}")


def _fill_in(
    name: str, relative: str, content: bytes, config: GradingConfig, spot: AssignmentLayout, plan: Plan | None
) -> bytes:
    """A README with the assignment's thresholds, limits and integrity settings, and the self-check sentences, written in."""
    if not relative.endswith(".md"):
        return content
    spec, limits = config.assignment(name), config.limits_for(name)

    def value(match: re.Match) -> str:
        kind, key = match.groups()
        if kind == "selfcheck":
            if key not in ("ko", "en"):
                raise ReleaseError(
                    f"{relative} of {name!r} mentions {match.group(0)}; "
                    "write {{ selfcheck.ko }} or {{ selfcheck.en }}."
                )
            try:
                return readme_text(plan, key, spot.notebook)
            except SelfCheckError as err:
                raise ReleaseError(f"{relative} of {name!r} mentions {match.group(0)}, but {err}.") from None
        if kind == "threshold" and key in spec.thresholds:
            number = spec.thresholds[key]
            return (
                f"{number * 100:g} %"
                if "accuracy" in key or key.endswith("_max") or key.endswith("_min")
                else f"{number:g}"
            )
        if kind == "limit" and hasattr(limits, key):
            amount = getattr(limits, key)
            return (
                f"{amount:,g} MB"
                if key.endswith("_mb")
                else f"{amount:,g} s"
                if key.endswith("_time")
                else f"{amount:,g}"
            )
        if kind == "integrity" and hasattr(spec.integrity, key):
            amount = getattr(spec.integrity, key)
            return f"{amount:,g} KB" if key.endswith("_kb") else f"{amount:,g}"
        raise ReleaseError(
            f"{relative} of {name!r} mentions {match.group(0)}, but its settings (assignment.toml, grading.toml) have no {kind} {key!r}."
        )

    return _PLACEHOLDER.sub(value, content.decode("utf-8")).encode("utf-8")


def _released_files(target: Path) -> list[Path]:
    if not target.is_dir():
        return []
    return [p for p in sorted(target.rglob("*")) if p.is_file() and not is_ignored(p.relative_to(target))]
