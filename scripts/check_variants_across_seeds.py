"""Grade every reference, stub, variant (and mutant) of the numeric assignments with many grader seeds.

The same submission must earn the same score whatever the seed: a hidden test whose random
inputs only sometimes tell a bug from a correct answer shows up here. Two reports:

- unexpected: a seed where a reference, stub or variant scores other than its
  `# expect-fail:` line says (or the grader met an internal error);
- varying: a test (one parametrized case) that passes on some seeds and fails on others for
  the same submission. Every submission is checked, the reference and stub included, and with
  `--mutants DIR` also each whole-file mutant DIR/NAME/*.py of NAME's reference (as written by
  `scripts/mutation.py --write-mutants DIR`), which carries no expectation of its own.

    .venv/bin/python scripts/check_variants_across_seeds.py --seeds 8 [-a losses] [--mutants build/mutants]

Prints each finding, then the counts and the time taken; exits 1 if anything was found.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import torch  # noqa: F401  (before anything that may load tensorflow)

from autograder.batch import grade_batch
from autograder.config import load_config
from autograder.course.examples import example_class, staged
from autograder.course.expectations import Expectation
from autograder.grading import GradeOptions


@dataclass(frozen=True)
class Job:
    assignment: str
    student: str
    path: Path
    expectation: Expectation | None  # None: a mutant, judged only on whether its verdicts vary
    seed: int


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="grader seeds per submission")
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("-a", "--assignment", action="append", help="only these assignments (repeatable)")
    parser.add_argument("--mutants", type=Path, help="also grade DIR/NAME/*.py, whole-file mutants of NAME's reference")
    parser.add_argument("-w", "--workers", type=int, default=2)
    args = parser.parse_args()
    config = load_config()
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    started = time.monotonic()

    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="autograder-seeds-")))
        groups: dict[tuple[str, int], list[Job]] = defaultdict(list)  # one batch per assignment and seed
        for name in args.assignment or list(config.assignments):
            if config.assignment(name).trains_on_fashion_mnist:
                continue  # minutes per grading: tests/test_models.py covers these
            examples = example_class(name, config)  # reference, stub and variants, each with what it must score
            folder = stack.enter_context(staged(examples))
            mutants = sorted((args.mutants / name).glob("*.py")) if args.mutants is not None else []
            for seed in seeds:
                groups[(name, seed)] += [
                    Job(name, e.student, folder / f"{e.student}{e.path.suffix}", e.expectation, seed) for e in examples
                ]
                groups[(name, seed)] += [Job(name, f"mutant-{m.stem}", m, None, seed) for m in mutants]
        unexpected, verdicts, gradings = 0, defaultdict(lambda: defaultdict(dict)), 0
        for (name, seed), jobs in groups.items():
            options = GradeOptions(seed=seed, language="en")
            results = grade_batch(
                {job.student: job.path for job in jobs},
                name,
                scratch / name / str(seed),
                config=config,
                options=options,
                workers=args.workers,
            )
            for job in jobs:
                gradings += 1
                result = results.get(job.student)
                problem = (
                    "not graded (the grader itself failed)"
                    if result is None
                    else (result.internal_errors[0].en[:200] if result.internal_errors else None)
                )
                if result is not None and job.expectation is not None:
                    problem = job.expectation.unmet(result) or problem
                if problem:
                    unexpected += 1
                    print(f"unexpected: {name} {job.student} seed {seed}: {problem}", flush=True)
                for test in result.tests if result is not None else []:
                    verdicts[(name, job.student)][test.name][seed] = test.status == "passed"
    varying = 0
    for (name, student), tests in verdicts.items():
        for test, by_seed in tests.items():
            if len(set(by_seed.values())) > 1:
                varying += 1
                failing = [seed for seed, passed in by_seed.items() if not passed]
                print(f"varying: {name} {student} {test} fails on seeds {failing} of {sorted(by_seed)}", flush=True)
    submissions = len(verdicts)
    print(
        f"{gradings} gradings of {submissions} submissions in {time.monotonic() - started:.0f} s: "
        f"{unexpected} unexpected, {varying} varying"
    )
    return 1 if unexpected or varying else 0


if __name__ == "__main__":
    sys.exit(main())
