"""Mutants of a reference solution: cosmic-ray's, limited to the code a student writes.

cosmic-ray enumerates the mutations (`cosmic-ray init`: its core operators over every
position of the file, one work item each, in a session database); the ones outside the
solution code are marked skipped in that session, as cosmic-ray's own filters do. The
solution code is what lies between `### BEGIN SOLUTION` and `### END SOLUTION` inside the
functions in scope, less print and logging lines, so docstrings, the `if __name__` block
and the helpers students are given are never mutated. Each remaining work item is applied
with cosmic-ray's `mutate_code` to the reference's text (the file on disk is never touched)
and becomes a `Mutant`: the whole mutated file, a short diff, and an id that stays the same
while the rest of the file changes, so an instructor's verdict on a mutant keeps its key.

Needs the optional dependency: `pip install -c requirements.lock -e ".[mutation]"`.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cosmic_ray.commands
import cosmic_ray.plugins
from cosmic_ray.mutating import mutate_code
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

from autograder.course.cells import BEGIN_SOLUTION, END_SOLUTION

_QUIET_CALLS = {"print", "log", "logger", "logging", "warn", "warnings"}  # output, not computation: never mutated


@dataclass(frozen=True)
class Mutant:
    id: str  # stable: assignment, function, operator, the lines before and after, and which of equal ones
    assignment: str
    function: str
    operator: str  # cosmic-ray's name, e.g. core/ReplaceBinaryOperator_Add_Sub
    line: int  # where cosmic-ray's mutation starts in the reference (1-based line, 0-based column)
    column: int
    job_id: str  # the work item in the cosmic-ray session
    diff: str  # unified diff of the changed lines, one line of context
    source: str  # the whole reference file with this one mutation


def solution_lines(source: str, functions: Iterable[str] | None = None) -> dict[int, str]:
    """Line number → enclosing top-level function, for every line of solution code in scope.

    `functions` limits the scope to those names (a method as `Class.method`); None means all.
    """
    tree = ast.parse(source)
    wanted = set(functions) if functions is not None else None
    owner: dict[int, str] = {}
    for name, node in _definitions(tree):
        if wanted is None or name in wanted:
            owner.update(dict.fromkeys(range(node.lineno, node.end_lineno + 1), name))
    quiet = {line for node in ast.walk(tree) if _is_quiet(node) for line in range(node.lineno, node.end_lineno + 1)}
    lines, inside = {}, False
    for number, text in enumerate(source.splitlines(), 1):
        if BEGIN_SOLUTION in text:
            inside = True
        elif END_SOLUTION in text:
            inside = False
        elif inside and number in owner and number not in quiet and text.strip():
            lines[number] = owner[number]
    return lines


def enumerate_mutants(
    assignment: str, path: Path, session: Path, functions: Iterable[str] | None = None, label: str | None = None
) -> list[Mutant]:
    """Every cosmic-ray mutant of `path`'s solution code, in file order; `session` is (re)made as cosmic-ray's database.

    `label` names the file in diffs (default: its name).
    """
    source = path.read_text(encoding="utf-8")
    scope = solution_lines(source, functions)
    session.parent.mkdir(parents=True, exist_ok=True)
    found, seen = [], Counter()
    with use_db(str(session), WorkDB.Mode.create) as db:
        cosmic_ray.commands.init([path], db, {})  # every argument-free core operator, as `cosmic-ray init` does
        items = sorted(db.work_items, key=lambda item: _position(item.mutations[0]))
        for item in items:
            spec = item.mutations[0]
            line = spec.start_pos[0]
            mutated = None
            if line in scope:
                operator = cosmic_ray.plugins.get_operator(spec.operator_name)(**spec.operator_args)
                mutated = mutate_code(source, operator, spec.occurrence)
            if mutated is None or mutated == source:
                why = "outside the solution code" if line not in scope else "no change"
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=why))
                continue
            before, after = _changed(source, mutated)
            key = (scope[line], spec.operator_name, before, after)
            mutant_id = _mutant_id(assignment, *key, seen[key])
            seen[key] += 1
            found.append(
                Mutant(
                    mutant_id,
                    assignment,
                    scope[line],
                    spec.operator_name,
                    line,
                    spec.start_pos[1],
                    item.job_id,
                    _diff(source, mutated, label or path.name),
                    mutated,
                )
            )
    return found


def record_outcomes(session: Path, outcomes: dict[str, tuple[Mutant, str, str]]) -> None:
    """Write each graded mutant's verdict into the cosmic-ray session, so `cr-report SESSION` shows the run.

    `outcomes` maps a mutant id to (mutant, "killed" | "timeout" | "survived", a one-line summary).
    """
    with use_db(str(session), WorkDB.Mode.open) as db:
        for mutant, outcome, summary in outcomes.values():
            test_outcome = TestOutcome.SURVIVED if outcome == "survived" else TestOutcome.KILLED
            db.set_result(
                mutant.job_id,
                WorkResult(
                    worker_outcome=WorkerOutcome.NORMAL, test_outcome=test_outcome, diff=mutant.diff, output=summary
                ),
            )


def _definitions(tree: ast.Module):
    """(name, node) of each top-level function and each method of a top-level class."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{node.name}.{member.name}", member


def _is_quiet(node: ast.AST) -> bool:
    """A statement that only prints or logs, such as `print(...)` or `logger.info(...)`."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    func = node.value.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id in _QUIET_CALLS


def _position(spec) -> tuple:
    return (spec.start_pos, spec.end_pos, spec.operator_name, spec.occurrence)


def _changed(source: str, mutated: str) -> tuple[str, str]:
    """The changed lines before and after, stripped of indentation: what the mutant id is made of."""
    old, new = source.splitlines(), mutated.splitlines()
    before, after = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            before += [line.strip() for line in old[i1:i2]]
            after += [line.strip() for line in new[j1:j2]]
    return "\n".join(before), "\n".join(after)


def _mutant_id(assignment: str, function: str, operator: str, before: str, after: str, occurrence: int) -> str:
    text = "\0".join([assignment, function, operator, before, after, str(occurrence)])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _diff(source: str, mutated: str, label: str) -> str:
    lines = difflib.unified_diff(
        source.splitlines(), mutated.splitlines(), f"a/{label}", f"b/{label}", n=1, lineterm=""
    )
    return "\n".join(lines)
