"""solutions/MUTATION.md: the mutation score of each hidden suite, its survivors, and whether it is current.

Each assignment's measurement is a `Record`, kept in the report itself as one JSON comment
line, so the page can be rebuilt for one assignment without re-grading the others, and
`stale()` can tell, without cosmic-ray or a sandbox, when the reference solution, the hidden
suite or its settings changed since it was measured. Which assignments are measured, and
which of their functions, is each assignment.toml's [mutation] table; survivors are explained
there too, read at every rendering: `[mutation.equivalent]` for a mutant that computes the same
values as the reference on every input COURSE.md allows, `[mutation.gap]` for one the hidden
tests should kill and do not yet. Score = killed /
(mutants − equivalent); a mutant killed by a time limit counts as killed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel

from autograder.config import GradingConfig
from autograder.course.layout import layout
from autograder.engine.judge import SUITE_INI
from autograder.errors import MutationError

# What is mutated: every function of the nine numeric references, and of sequence_models
# only its numpy cells (the rest trains a network on Fashion-MNIST for minutes per grading).
TOOL = "cosmic-ray"
_RECORD = re.compile(r"^<!-- mutation-record (\{.*\}) -->$", re.MULTILINE)
_KINDS = ("equivalent", "gap")


class Mutation(BaseModel):
    """One mutant as the report shows it."""

    id: str
    function: str
    operator: str
    line: int
    column: int
    diff: str
    seeds: list[int] = []  # grader seeds it was graded with and passed (survivors) or was killed (seed-dependent kills)
    failed: list[str] = []  # for a seed-dependent kill: the tests that caught it on some seeds


class Record(BaseModel):
    """One assignment's measurement: counts, survivors, and the digests of what it measured."""

    assignment: str
    file: str  # the reference, relative to the repository
    functions: list[str] | None = None  # None: every function
    tests: str = ""  # a pytest -k expression when only part of the hidden suite ran
    mutants: int
    killed: int  # time-outs included
    timed_out: int
    survivors: list[Mutation] = []
    seed_dependent: list[Mutation] = []  # killed on a confirmation seed only
    digests: dict[str, str]
    tool: str
    date: str


def scope(config: GradingConfig) -> dict[str, tuple[str, ...] | None]:
    """The assignments `make mutation` measures (those with a [mutation] table), each with its functions (None: all)."""
    return {
        name: tuple(spec.mutation.functions) if spec.mutation.functions else None
        for name, spec in config.assignments.items()
        if spec.mutation is not None
    }


@dataclass
class Explanations:
    """The assignments' [mutation.equivalent] and [mutation.gap] tables: per assignment, mutant id → reason."""

    equivalent: dict[str, dict[str, str]] = field(default_factory=dict)
    gap: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    mutants: int
    killed: int
    equivalent: int
    survived: int

    @property
    def score(self) -> float | None:
        """Percent of the non-equivalent mutants that were killed; None when there are none."""
        counted = self.mutants - self.equivalent
        return 100.0 * self.killed / counted if counted else None


def counts(record: Record, explained: Explanations) -> Counts:
    equivalent = sum(1 for s in record.survivors if s.id in explained.equivalent.get(record.assignment, {}))
    return Counts(record.mutants, record.killed, equivalent, len(record.survivors) - equivalent)


def digests(config: GradingConfig, name: str) -> dict[str, str]:
    """sha256 of the reference solution, of the hidden suite's files, and of grading.toml's settings for `name`."""
    suite_dir = config.suite_dir(name)
    suite = hashlib.sha256()
    files = (
        sorted(p for p in suite_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        if suite_dir.is_dir()
        else []
    )
    shared = SUITE_INI  # the one pytest configuration every hidden suite runs with
    drivers = config.drivers_file(name)  # what the suite runs in the sandbox besides the submission
    for path in files + ([shared] if shared.is_file() else []) + ([drivers] if drivers else []):
        suite.update(path.name.encode() + b"\0" + path.read_bytes())
    settings = config.assignment(name).grading_json() + config.limits_for(name).model_dump_json()
    reference = layout(name, config).solution_file
    return {
        "reference": hashlib.sha256(reference.read_bytes()).hexdigest() if reference.is_file() else "missing",
        "suite": suite.hexdigest(),
        "settings": hashlib.sha256(settings.encode()).hexdigest(),
    }


def tool_version() -> str | None:
    try:
        return f"{TOOL} {version(TOOL)}"
    except PackageNotFoundError:
        return None


def stale(records: dict[str, Record], config: GradingConfig) -> list[str]:
    """One line per measured assignment whose report is missing or measured something that has changed since."""
    what = {"reference": "the reference solution", "suite": "the hidden suite", "settings": "its settings"}
    installed = tool_version()
    problems = []
    for name in scope(config):
        record = records.get(name)
        if record is None:
            problems.append(f"{name}: not measured yet")
            continue
        now = digests(config, name)
        changed = [what[key] for key in what if record.digests.get(key) != now[key]]
        if changed:
            problems.append(f"{name}: {' and '.join(changed)} changed since it was measured")
        elif installed and installed != record.tool:
            problems.append(f"{name}: measured with {record.tool}, {installed} is installed now")
    return problems


def explanations(config: GradingConfig) -> Explanations:
    """Each measured assignment's reasons for its survivors, from its assignment.toml (checked when it was loaded)."""
    explained = Explanations()
    for name, spec in config.assignments.items():
        if spec.mutation is not None:
            explained.equivalent[name] = dict(spec.mutation.equivalent)
            explained.gap[name] = dict(spec.mutation.gap)
    return explained


def problems(records: dict[str, Record], explained: Explanations) -> list[str]:
    """Survivors nobody explained, known gaps, and explanations that name no survivor."""
    lines = []
    for name, record in sorted(records.items()):
        survivors = {s.id for s in record.survivors}
        equivalent, gap = explained.equivalent.get(name, {}), explained.gap.get(name, {})
        unexplained = sorted(survivors - set(equivalent) - set(gap))
        if unexplained:
            lines.append(
                f"{name}: {len(unexplained)} unexplained survivor(s): {', '.join(unexplained)}; "
                "add a hidden test that kills each, or its reason to [mutation.equivalent] in its assignment.toml"
            )
        gaps = sorted(survivors & set(gap))
        if gaps:
            lines.append(
                f"{name}: {len(gaps)} survivor(s) the hidden tests should kill (known gaps): {', '.join(gaps)}"
            )
    return lines


def leftovers(records: dict[str, Record], explained: Explanations) -> list[str]:
    """Entries of the equivalents file that name no current survivor (killed now, or no longer a mutant)."""
    lines = []
    for kind in _KINDS:
        for name, entries in sorted(getattr(explained, kind).items()):
            if name not in records:
                continue
            gone = sorted(set(entries) - {s.id for s in records[name].survivors})
            if gone:
                lines.append(
                    f"{name}: [mutation.{kind}] of its assignment.toml names mutants that are not survivors now: "
                    f"{', '.join(gone)}; "
                    "remove them"
                    + (" (a mutant marked equivalent was killed: its reason was wrong)" if kind == "equivalent" else "")
                )
    return lines


def read_records(path: Path) -> dict[str, Record]:
    """The records kept in an existing report; none when there is no report yet."""
    if not path.is_file():
        return {}
    records = {}
    for match in _RECORD.finditer(path.read_text(encoding="utf-8")):
        try:
            record = Record.model_validate_json(match.group(1))
        except ValueError:
            raise MutationError(
                f"{path} holds a record that cannot be read; measure its assignment again "
                "(scripts/mutation.py NAME) or restore the file."
            ) from None
        records[record.assignment] = record
    return records


def render(records: dict[str, Record], explained: Explanations) -> str:
    """The whole of MUTATION.md: the table first, then each assignment's survivors, in the order of the folders."""
    ordered = sorted(records.values(), key=lambda record: record.file)  # solutions/NN_NAME/...
    out = [
        "# Mutation testing of the hidden suites",
        "",
        "| assignment | mutants | killed | equivalent | survived | score % |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for record in ordered:
        c = counts(record, explained)
        score = "—" if c.score is None else f"{c.score:.1f}"
        out.append(f"| {record.assignment} | {c.mutants} | {c.killed} | {c.equivalent} | {c.survived} | {score} |")
    dates = sorted({r.date for r in ordered})
    tools = sorted({r.tool for r in ordered})
    out += [
        "",
        f"Measured {dates[-1] if dates else '—'} with {', '.join(tools) or TOOL}. Written by `scripts/mutation.py`; "
        "do not edit by hand (reasons for survivors go in the assignment's assignment.toml, `[mutation.equivalent]`).",
        "",
        "Each mutant is the reference solution with one small change made by cosmic-ray (an operator, a comparison, "
        "a number), inside the solution code only. It is graded like a student's submission, through "
        "`autograder grade-all` and the sandbox; it is *killed* when it fails a hidden test the reference passes, "
        "that is, scores below full marks (a time limit counts as a kill); it *survives* when it passes them all, "
        "with its first grader seed and again with new seeds. A survivor is either "
        "*equivalent* (it computes the same values as the reference on every input COURSE.md allows, so no test "
        "can tell) or a gap in the hidden tests. Score = killed / (mutants − equivalent).",
    ]
    for record in ordered:
        out += ["", *_section(record, explained)]
    return "\n".join(out) + "\n"


def _section(record: Record, explained: Explanations) -> list[str]:
    c = counts(record, explained)
    scope = "every function" if record.functions is None else "only " + ", ".join(f"`{f}`" for f in record.functions)
    tests = "the whole hidden suite" if not record.tests else f'the hidden tests selected by `-k "{record.tests}"`'
    timed = f" ({record.timed_out} by a time limit)" if record.timed_out else ""
    lines = [
        f"## {record.assignment}",
        "",
        f"`{record.file}`, {scope}; graded with {tests}. Measured {record.date}.",
        f"{c.mutants} mutants: {c.killed} killed{timed}, {c.equivalent} equivalent, {c.survived} survived.",
    ]
    equivalent, gap = explained.equivalent.get(record.assignment, {}), explained.gap.get(record.assignment, {})
    for survivor in sorted(record.survivors, key=_order):
        if survivor.id in equivalent:
            verdict, why = "equivalent", f"**Equivalent:** {equivalent[survivor.id]}"
        elif survivor.id in gap:
            verdict, why = "survived, a gap", f"**Gap in the hidden tests:** {gap[survivor.id]}"
        else:
            verdict, why = (
                "survived, unexplained",
                (
                    "**Unexplained:** add a hidden test that kills it, or the reason it "
                    "is equivalent to `[mutation.equivalent]` in its assignment.toml."
                ),
            )
        seeds = ", ".join(str(s) for s in survivor.seeds)
        lines += [
            "",
            f"### `{survivor.id}` · {survivor.function} · {verdict}",
            "",
            f"`{survivor.operator}` at line {survivor.line}:{survivor.column}; full marks with grader seeds {seeds}.",
            "",
            "```diff",
            survivor.diff,
            "```",
            "",
            why,
        ]
    if record.seed_dependent:
        lines += [
            "",
            "Killed on some grader seeds only (the hidden tests that caught them depend on their random inputs):",
            "",
        ]
        for mutant in sorted(record.seed_dependent, key=_order):
            caught = ", ".join(mutant.failed) or "—"
            passed = ", ".join(str(s) for s in mutant.seeds)
            lines.append(
                f"- `{mutant.id}` · {mutant.function} · `{mutant.operator}` at line {mutant.line}:{mutant.column}: "
                f"full marks with seed {passed}, caught by {caught} with another"
            )
    data = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).replace(
        ">", "\\u003e"
    )  # never ends the comment
    lines += ["", f"<!-- mutation-record {data} -->"]
    return lines


def _order(mutant: Mutation) -> tuple:
    return (mutant.line, mutant.column, mutant.operator, mutant.id)
