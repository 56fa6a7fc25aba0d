"""Grade every mutant of one reference like a class of students, and count what the hidden tests kill.

The mutants (autograder.course.mutants) are written as one student each, beside the
unmutated reference, into build/mutation/NAME/stage and graded in one batch by the real
command line, `autograder grade-all STAGE -a NAME -o OUT -w N`: the sandbox, the judge pool,
one fresh grader seed per submission, and grade-all's resume (a second run re-grades only
what changed). A mutant is killed when it fails a hidden test that the reference passes (with
the whole suite: when it scores below full marks). Each survivor is graded
again `confirm` times with new seeds, so a kill that depends on a test's random inputs shows
up as such instead of as a survivor. When only some functions are in scope (sequence_models'
numpy cells), only their hidden tests run, through a derived grading.toml whose suite is a
copy of the hidden one with a `-k` selection; the rest of that suite trains a network.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.config import GradingConfig, load_config
from autograder.course.layout import layout
from autograder.course.mutants import Mutant, enumerate_mutants, record_outcomes
from autograder.course.mutation_report import Mutation, Record, digests, scope, tool_version
from autograder.engine.judge import suite_ini
from autograder.errors import MutationError
from autograder.paths import REPO_ROOT
from autograder.results import SubmissionResult, read_result

BUILD = REPO_ROOT / "build" / "mutation"
REFERENCE = "reference"


@dataclass(frozen=True)
class Graded:
    """One mutant's verdicts, first pass then confirmations, judged on the tests the reference passed."""

    mutant: Mutant
    results: list[SubmissionResult]
    baseline: frozenset[str]

    def passed(self, result: SubmissionResult) -> bool:
        return not result.grader_failure and all(t.status == "passed" for t in result.tests if t.name in self.baseline)

    @property
    def outcome(self) -> str:
        """killed, timeout or survived: a time limit in any run counts as a kill, reported apart."""
        if all(self.passed(r) for r in self.results):
            return "survived"
        return "timeout" if any(t.status == "timeout" for r in self.results for t in r.tests) else "killed"

    def failed(self, result: SubmissionResult) -> list[str]:
        """The hidden tests (by function) that the reference passed and this mutant did not."""
        return sorted({t.function for t in result.tests if t.name in self.baseline and t.status != "passed"})

    def summary(self) -> str:
        return "; ".join(
            f"seed {r.seed}: {r.score:g}/{r.max_score:g}"
            + (f", failed {', '.join(self.failed(r))}" if self.failed(r) else "")
            for r in self.results
        )


def measure(
    name: str, *, config_path: Path | None = None, workers: int = 2, confirm: int = 2, fresh: bool = False, say=print
) -> Record:
    """Enumerate, stage and grade every mutant of `name`; the record its report section is made from."""
    config = load_config(config_path)
    measured_ones = scope(config)
    if name not in measured_ones:
        raise MutationError(
            f"{name!r} is not part of the mutation run (its assignment.toml has no [mutation] table); "
            f"choose from {', '.join(measured_ones)}."
        )
    spot = layout(name, config)
    if not spot.solution_file.is_file():
        raise MutationError(f"There is no reference solution {spot.solution_file}; mutation testing starts from it.")
    work = BUILD / name
    if fresh and work.exists():
        shutil.rmtree(work)
    functions = measured_ones[name]
    label = spot.solution_file.relative_to(config.source.parent).as_posix()
    measured = digests(config, name)  # before grading: what the results below were graded against
    mutants = enumerate_mutants(name, spot.solution_file, work / "session.sqlite", functions, label=label)
    grading_config, tests = _grading_config(config, name, functions, work)
    say(
        f"{name}: {len(mutants)} mutants of {label}; grading them with `autograder grade-all -w {workers}` "
        f"(log: {(work / 'grade-all.log').relative_to(REPO_ROOT)})"
    )
    sources = {REFERENCE: spot.solution_file.read_text(encoding="utf-8"), **{m.id: m.source for m in mutants}}
    results = _grade(
        sources, name, work / "stage", work / "out", grading_config, config, workers, work / "grade-all.log"
    )
    reference = results.get(REFERENCE)
    if reference is None or not _clean(reference, selected=bool(tests)):
        got = "no result" if reference is None else f"{reference.score:g}/{reference.max_score:g}"
        raise MutationError(
            f"The reference solution of {name} scored {got} with its hidden tests; mutation testing needs "
            f"it at full marks. Grade it with `autograder grade {label} -a {name}` and fix that first."
        )
    baseline = frozenset(t.name for t in reference.tests if t.status == "passed")
    graded = {m.id: Graded(m, [results[m.id]], baseline) for m in mutants if m.id in results}
    for round_ in range(1, confirm + 1):
        alive = {key: g for key, g in graded.items() if g.outcome == "survived"}
        if not alive:
            break
        say(f"{name}: grading the {len(alive)} survivor(s) again with new seeds (confirmation {round_} of {confirm})")
        again = _grade(
            {key: g.mutant.source for key, g in alive.items()},
            name,
            work / f"confirm-{round_}",
            work / f"confirm-{round_}-out",
            grading_config,
            config,
            workers,
            work / "grade-all.log",
        )
        for key, result in again.items():
            graded[key] = Graded(graded[key].mutant, graded[key].results + [result], baseline)
    missing = sorted(m.id for m in mutants if m.id not in graded or any(r.grader_failure for r in graded[m.id].results))
    if missing:
        raise MutationError(
            f"{len(missing)} mutant(s) of {name} could not be graded (grading itself failed, e.g. "
            f"{missing[0]}); see {work / 'grade-all.log'} and run again: finished results are kept."
        )
    record_outcomes(work / "session.sqlite", {key: (g.mutant, g.outcome, g.summary()) for key, g in graded.items()})
    return _record(name, label, functions, tests, list(graded.values()), measured)


def write_mutants(name: str, folder: Path, *, config_path: Path | None = None) -> list[Path]:
    """Write each mutant of `name`'s reference as a whole file, folder/NAME/ID.py, without grading any.

    For graders other than this run: `scripts/check_variants_across_seeds.py --mutants folder`
    grades them on several seeds to find tests whose verdict depends on the draw.
    """
    config = load_config(config_path)
    spot = layout(name, config)
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="autograder-mutants-") as scratch:
        mutants = enumerate_mutants(name, spot.solution_file, Path(scratch) / "session.sqlite", scope(config)[name])
    written = []
    for mutant in mutants:
        path = target / f"{mutant.id}.py"
        path.write_text(mutant.source, encoding="utf-8")
        written.append(path)
    return written


def _record(name: str, label: str, functions, tests: str, graded: list[Graded], measured: dict[str, str]) -> Record:
    survivors = [_mutation(g.mutant, [r.seed for r in g.results]) for g in graded if g.outcome == "survived"]
    seed_dependent = []
    for g in graded:
        first, *later = g.results
        if later and g.passed(first) and g.outcome != "survived":
            passed = [r.seed for r in g.results if g.passed(r)]
            caught = sorted({t for r in g.results for t in g.failed(r)})
            seed_dependent.append(_mutation(g.mutant, passed, caught))
    return Record(
        assignment=name,
        file=label,
        functions=list(functions) if functions else None,
        tests=tests,
        mutants=len(graded),
        killed=sum(g.outcome != "survived" for g in graded),
        timed_out=sum(g.outcome == "timeout" for g in graded),
        survivors=survivors,
        seed_dependent=seed_dependent,
        digests=measured,
        tool=tool_version() or "cosmic-ray",
        date=datetime.date.today().isoformat(),
    )


def _mutation(mutant: Mutant, seeds: list[int], failed: list[str] | None = None) -> Mutation:
    return Mutation(
        id=mutant.id,
        function=mutant.function,
        operator=mutant.operator,
        line=mutant.line,
        column=mutant.column,
        diff=mutant.diff,
        seeds=seeds,
        failed=failed or [],
    )


def _grade(
    sources: dict[str, str],
    name: str,
    stage: Path,
    out: Path,
    grading_config: Path,
    config: GradingConfig,
    workers: int,
    log: Path,
) -> dict[str, SubmissionResult]:
    """Stage one file per student and grade the folder with `autograder grade-all`; student → result."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for student, source in sources.items():
        (stage / f"{student}.py").write_text(source, encoding="utf-8")
    command = [
        *_autograder(),
        "--config",
        str(grading_config),
        "grade-all",
        str(stage),
        "-a",
        name,
        "-o",
        str(out),
        "-w",
        str(workers),
        "--language",
        "en",
    ]
    env = {**os.environ, "AUTOGRADER_DATA_HOME": str(config.data_home), "COLUMNS": "120"}
    with log.open("a", encoding="utf-8") as stream:
        stream.write(f"$ {' '.join(command)}\n")
        stream.flush()
        code = subprocess.run(command, stdout=stream, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT).returncode
    if code != 0:
        said = [
            line[len("error: ") :]
            for line in log.read_text(encoding="utf-8").splitlines()
            if line.startswith("error: ")
        ]
        reason = f": {said[-1]}" if said else ""
        raise MutationError(
            f"`autograder grade-all` stopped with exit code {code} while grading {name}'s mutants{reason} "
            f"(its output is in {log})."
        )
    results = {}
    for student in sources:
        result = read_result(out / f"{student}.json")
        if result is not None:
            results[student] = result
    return results


def _grading_config(config: GradingConfig, name: str, functions, work: Path) -> tuple[Path, str]:
    """(the grading.toml to grade with, the -k selection or ""): the course's own unless only some functions are in scope."""
    if not functions:
        return config.source, ""
    selection = " or ".join(functions)
    suite = work / "suite" / name
    if suite.parent.exists():
        shutil.rmtree(suite.parent)
    shutil.copytree(config.suite_dir(name), suite, ignore=shutil.ignore_patterns("__pycache__"))
    shared = suite_ini(config.suite_dir(name))
    ini = shared.read_text(encoding="utf-8")
    if "addopts" in ini:
        raise MutationError(f"{shared} already sets addopts; the mutation run cannot add its -k selection to it.")
    # The copy's own pytest.ini, which the judge prefers to the shared one (engine/judge.py, suite_ini).
    (suite / "pytest.ini").write_text(ini.rstrip("\n") + f'\naddopts = -k "{selection}"\n', encoding="utf-8")
    derived = work / "grading.toml"
    derived.write_text(
        _with_suite(config.source.read_text(encoding="utf-8"), name, suite, config.solutions_dir.resolve()),
        encoding="utf-8",
    )
    return derived, selection


def _with_suite(text: str, name: str, suite: Path, solutions: Path) -> str:
    """grading.toml's text with `suite = "…"` set in [assignments.NAME] and the assignment folders where they are."""
    lines = text.splitlines()
    header = f"[assignments.{name}]"
    setting = f"suite = {json.dumps(str(suite))}"  # a JSON string is a valid TOML basic string
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:  # no override of the folder's settings yet: the derived file adds one
        lines += [header, setting]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        kept = [line for line in lines[start + 1 : end] if not line.lstrip().startswith("suite")]
        lines = lines[: start + 1] + [setting] + kept + lines[end:]
    course = next((i for i, line in enumerate(lines) if line.strip() == "[course]"), None)
    if course is None:
        raise MutationError("grading.toml has no [course] table to say where the assignment folders are.")
    end = next((i for i in range(course + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    kept = [line for line in lines[course + 1 : end] if not line.lstrip().startswith("solutions")]
    folders = f"solutions = {json.dumps(str(solutions))}"  # the derived file lives elsewhere
    return "\n".join(lines[: course + 1] + [folders] + kept + lines[end:]) + "\n"


def _autograder() -> list[str]:
    script = Path(sys.executable).with_name("autograder")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "autograder.cli"]


def _clean(reference: SubmissionResult, selected: bool) -> bool:
    """Full marks; with a -k selection, every selected test passed (the others stay "not run", at 0 points)."""
    if not selected:
        return reference.max_score > 0 and reference.score >= reference.max_score - 1e-9
    return any(t.status == "passed" for t in reference.tests) and all(
        t.status in ("passed", "not_run") for t in reference.tests
    )
