"""How fast is a whole class graded, feedback pages included, next to `nbgrader autograde` on the same notebooks?

A benchmark, not a test: it prints figures and never fails on them. It generates a class of
`activations` notebooks (most answered from the reference solution, some with one bug),
lays it out both for nbgrader (a temporary course: release, submitted/) and for
`autograder grade-all` (one folder per student), and times, alternating one run of each:

- `nbgrader autograde 01_activations --force` (its kernel runs every notebook),
- `autograder grade-all CLASS -a activations -o OUT [-w WORKERS]` into a fresh OUT (a JSON
  result and a feedback page per student; without --workers, grade-all's own default),
- the same grade-all again into the same OUT (nothing changed: every result kept),
- the same on Dask, `--executor dask --local-workers 1` and `2` into fresh folders, and again
  with nothing changed; the 1 -> 2 worker efficiency is t1 / (2 x t2),
- `autograder collect-grade activations --no-collect` (grading, nbgrader's gradebook,
  feedback pages, export), then again with nothing changed.

It prints the median of each, the ratio to nbgrader with pages on, the cost of a re-run per
unchanged submission on every path, the Dask efficiency, and the load average before and
after (the figures mean little on a machine that others are loading).

    .venv/bin/python scripts/benchmark_class.py [--students 40] [--buggy 10] [--rounds 3] [--workers N] [--no-dask]
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.classroom.course import open_classroom  # noqa: E402
from autograder.classroom.release import release  # noqa: E402
from tests.support import solved_notebook  # noqa: E402

NAME, FOLDER, NOTEBOOK = "activations", "01_activations", "activations.ipynb"
BUGS = [
    "return np.maximum(0, np.asarray(x))",
    "return np.tanh(np.asarray(x, dtype=np.float64))",
]  # relu's and tanh's answers


def make_course(root: Path, students: int, buggy: int) -> tuple[Path, Path]:
    """A temporary course with `students` submissions collected for nbgrader, and the same class as folders."""
    shutil.copyfile(ROOT / "grading.toml", root / "grading.toml")
    shutil.copyfile(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(
        ROOT / "solutions" / FOLDER, root / "solutions" / FOLDER, ignore=shutil.ignore_patterns("__pycache__")
    )
    classroom = open_classroom(root / "grading.toml", exchange=root / "exchange")
    release(classroom, NAME)
    released = classroom.release_dir / FOLDER
    good = solved_notebook(
        ROOT / "solutions" / FOLDER / "activations.py", nbformat.read(released / NOTEBOOK, as_version=4)
    )
    folders = root / "class"
    for number in range(students):
        student = f"s{number:03d}"
        notebook = copy.deepcopy(good)
        if number < buggy:
            line = BUGS[number % len(BUGS)]
            cell = next(cell for cell in notebook.cells if line in cell.source)
            cell.source = cell.source.replace(line, "return np.asarray(x)  # a student's mistake")
        for target in (classroom.step_dir("submitted", NAME, student), folders / student):
            target.mkdir(parents=True)
            shutil.copyfile(released / "activations.py", target / "activations.py")  # the untouched stub, as fetched
            nbformat.write(notebook, target / NOTEBOOK)
        (classroom.step_dir("submitted", NAME, student) / "timestamp.txt").write_text("2026-11-01 12:00:00.000000 UTC")
    return root, folders


def timed(command: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{command[0]} failed with code {done.returncode}")
    return seconds


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--buggy", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="grade-all's -w (default: grade-all's own default)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask runs")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    started_load = load()
    with tempfile.TemporaryDirectory(prefix="autograder-class-") as scratch:
        root, folders = make_course(Path(scratch), args.students, args.buggy)
        env = {**os.environ, "AUTOGRADER_EXCHANGE": str(root / "exchange")}
        # The course's configuration refuses nbgrader's own autograde (it runs student code outside the sandbox);
        # the baseline puts nbgrader's default exporter back for this command only.
        nbgrader = [
            str(bin_dir / "nbgrader"),
            "autograde",
            FOLDER,
            "--force",
            "--Autograde.exporter_class=nbconvert.exporters.NotebookExporter",
        ]
        workers = ["-w", str(args.workers)] if args.workers else []
        label = f"-w {args.workers}" if args.workers else "default -w"
        autograder = [str(bin_dir / "autograder"), "--config", str(root / "grading.toml")]
        ours = [*autograder, "grade-all", str(folders), "-a", NAME, *workers, "-o"]
        dask = [*autograder, "grade-all", str(folders), "-a", NAME, "--executor", "dask", "--local-workers"]
        collect = [*autograder, "collect-grade", NAME, "--no-collect", *workers]
        fresh, again = f"grade-all, {label}", "grade-all, nothing changed"
        names = ["nbgrader autograde", fresh, again]
        if not args.no_dask:
            names += ["dask, 1 local worker", "dask, 2 local workers", "dask, nothing changed"]
        names += [f"collect-grade, {label}", "collect-grade, nothing changed"]
        figures: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(args.rounds):
            out = root / f"out-{round_number}"
            figures["nbgrader autograde"].append(timed(nbgrader, root, env))
            figures[fresh].append(timed([*ours, str(out)], root, env))
            figures[again].append(timed([*ours, str(out)], root, env))
            if not args.no_dask:
                figures["dask, 1 local worker"].append(
                    timed([*dask, "1", "-o", str(root / f"dask1-{round_number}")], root, env)
                )
                figures["dask, 2 local workers"].append(
                    timed([*dask, "2", "-o", str(root / f"dask2-{round_number}")], root, env)
                )
                figures["dask, nothing changed"].append(
                    timed([*dask, "2", "-o", str(root / f"dask2-{round_number}")], root, env)
                )
            shutil.rmtree(root / "classroom" / "results", ignore_errors=True)  # collect-grade grades everyone again
            figures[f"collect-grade, {label}"].append(timed(collect, root, env))
            figures["collect-grade, nothing changed"].append(timed(collect, root, env))
            print(
                f"round {round_number + 1} (load {load()}): "
                + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in figures.items()),
                flush=True,
            )
        with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        full = sum(float(row["score"]) == float(row["max_score"]) for row in rows)
        graded = {row["graded_file"] for row in rows}
        pages = len(list(out.glob("*.html")))
        print(
            f"grade-all's verdicts: {full} of {len(rows)} at full marks, {len(rows) - full} below "
            f"(graded {', '.join(sorted(graded))}); {pages} feedback pages"
        )
        if not args.no_dask:
            with open(root / f"dask2-{args.rounds - 1}" / "gradebook.csv", newline="", encoding="utf-8") as handle:
                on_dask = {row["student"]: row["score"] for row in csv.DictReader(handle)}
            differ = [row["student"] for row in rows if on_dask.get(row["student"]) != row["score"]]
            print("Dask's scores: " + ("the same as grade-all's" if not differ else f"differ for {', '.join(differ)}"))
    print(
        f"\n{args.students} notebooks of {NAME} ({args.buggy} with one bug), {len(os.sched_getaffinity(0))} cores, "
        f"median of {args.rounds}; load average {started_load} before, {load()} after:"
    )
    medians = {name: statistics.median(values) for name, values in figures.items()}
    for name, value in medians.items():
        print(f"  {name:<32} {value:6.1f} s   ({value / args.students:.3f} s a submission)")
    print(
        f"  grade-all with pages is {medians['nbgrader autograde'] / medians[fresh]:.2f}x as fast as nbgrader autograde"
    )
    reruns = [name for name in medians if "nothing changed" in name]
    print(
        "  a re-run costs "
        + ", ".join(
            f"{medians[name] / args.students:.3f} s per unchanged submission ({name.split(',')[0]})" for name in reruns
        )
    )
    if not args.no_dask:
        one, two = medians["dask, 1 local worker"], medians["dask, 2 local workers"]
        print(
            f"  Dask from 1 to 2 local workers: {one:.1f} s -> {two:.1f} s, efficiency {one / (2 * two):.0%} (t1 / (2 x t2))"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
