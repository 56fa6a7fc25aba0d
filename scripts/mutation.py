"""How strong are the hidden tests? Mutation testing of the reference solutions, written to solutions/MUTATION.md.

    .venv/bin/python scripts/mutation.py [NAME ...]   # measure (all ten by default; slow) and rewrite the report
    .venv/bin/python scripts/mutation.py --report      # rewrite the report from its records and the equivalents file
    .venv/bin/python scripts/mutation.py --check       # change nothing; exit 1 if the report is stale or a survivor is unexplained
    .venv/bin/python scripts/mutation.py --write-mutants DIR [NAME ...]  # only write each mutant as DIR/NAME/ID.py

Measuring needs cosmic-ray (`make mutation` installs it: the `mutation` extra). Each
mutant is graded through `autograder grade-all` and the sandbox (autograder/course/mutation_run.py);
the report and its checks live in autograder/course/mutation_report.py. Exit status: 0 when
the report is current and every survivor is marked equivalent; 1 when an assignment is stale
or a survivor is unexplained or a known gap; 2 when the run could not be made.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from autograder.config import load_config
from autograder.course.mutation_report import (
    counts,
    explanations,
    leftovers,
    problems,
    read_records,
    render,
    scope,
    stale,
)
from autograder.errors import InstructorError, MutationError
from autograder.paths import REPO_ROOT

REPORT = REPO_ROOT / "solutions" / "MUTATION.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help="assignments to measure (default: each with a [mutation] table)"
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when the report is stale or incomplete"
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="only rewrite the report from its records (after editing a [mutation.equivalent] table)",
    )
    parser.add_argument("-w", "--workers", type=int, default=2, help="mutants graded at once (default 2)")
    parser.add_argument(
        "--confirm", type=int, default=2, help="times each survivor is graded again with new seeds (default 2)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="forget earlier gradings in build/mutation and grade every mutant again"
    )
    parser.add_argument(
        "--config", type=Path, default=None, help="grading.toml (default: $AUTOGRADER_CONFIG or the repository's)"
    )
    parser.add_argument(
        "--write-mutants",
        type=Path,
        metavar="DIR",
        help="grade nothing; write each mutant as DIR/NAME/ID.py (for check_variants_across_seeds.py --mutants)",
    )
    args = parser.parse_args()
    try:
        config = load_config(args.config)
        explained = explanations(config)
        records = read_records(REPORT)
        if args.check:
            return _check(records, explained, config)
        if args.write_mutants is not None:
            return _write_mutants(args, config)
        if args.report:
            _write(records, explained)
        else:
            _measure(args, records, explained, config)
        return _check(records, explained, config)
    except InstructorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _write(records, explained) -> None:
    REPORT.write_text(render(records, explained), encoding="utf-8")
    print(f"wrote {REPORT.relative_to(REPO_ROOT)}")


def _mutation_run(names: list[str], config):
    """autograder.course.mutation_run, which needs cosmic-ray, once the names asked for are known to be in scope."""
    try:
        from autograder.course import mutation_run
    except ModuleNotFoundError as err:
        if not (err.name or "").startswith("cosmic_ray"):
            raise
        raise MutationError(
            "cosmic-ray is not installed; run `make mutation`, or "
            '`.venv/bin/python -m pip install -c requirements.lock -e ".[mutation]"`.'
        ) from None
    measured = scope(config)
    unknown = [name for name in names if name not in measured]
    if unknown:
        raise MutationError(
            f"{unknown[0]!r} is not part of the mutation run (its assignment.toml has no [mutation] table); "
            f"choose from {', '.join(measured)}."
        )
    return mutation_run


def _write_mutants(args, config) -> int:
    run = _mutation_run(args.names, config)
    for name in args.names or list(scope(config)):
        written = run.write_mutants(name, args.write_mutants, config_path=args.config)
        print(f"{name}: {len(written)} mutants in {args.write_mutants / name}")
    return 0


def _measure(args, records, explained, config) -> None:
    """Measure each assignment asked for, rewriting the report after each one (an interrupted run keeps what it finished)."""
    measure = _mutation_run(args.names, config).measure
    for name in args.names or list(scope(config)):
        started = time.monotonic()
        record = measure(name, config_path=args.config, workers=args.workers, confirm=args.confirm, fresh=args.fresh)
        c = counts(record, explained)
        score = "—" if c.score is None else f"{c.score:.1f} %"
        print(
            f"{name}: {c.mutants} mutants, {c.killed} killed ({record.timed_out} by a time limit), "
            f"{c.equivalent} equivalent, {c.survived} survived: score {score}, in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        records[name] = record
        _write(records, explained)


def _check(records, explained, config) -> int:
    found = stale(records, config)
    for line in found:
        print(f"stale: {line}")
    if found:
        print("Measure them again: `make mutation NAME=...` or `scripts/mutation.py NAME ...`.")
    issues = problems(records, explained)
    for line in issues:
        print(line)
    for line in leftovers(records, explained):
        print(f"note: {line}")
    if not found and not issues:
        print(f"{REPORT.relative_to(REPO_ROOT)} is current and every survivor is explained.")
    return 1 if found or issues else 0


if __name__ == "__main__":
    sys.exit(main())
