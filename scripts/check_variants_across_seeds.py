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
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import torch  # noqa: F401  (before anything that may load tensorflow)

from autograder.config import load_config
from autograder.course.examples import example_class, staged
from autograder.course.expectations import Expectation
from autograder.grading import GradeOptions, GraderError, grade


@dataclass(frozen=True)
class Job:
    assignment: str
    student: str
    path: Path
    expectation: Expectation | None  # None: a mutant, judged only on whether its verdicts vary
    seed: int


@dataclass(frozen=True)
class Outcome:
    job: Job
    verdicts: dict[str, bool]  # test (parametrized case) -> passed
    problem: str | None  # unexpected score or internal error on this seed


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

    def run(job: Job) -> Outcome:
        try:
            result = grade(job.path, job.assignment, config=config, options=GradeOptions(seed=job.seed, language="en"))
        except GraderError as err:  # the judge itself died (killed from outside, say): one finding, not the end of the run
            return Outcome(job, {}, f"not graded: {str(err)[:200]}")
        problem = result.internal_errors[0][:200] if result.internal_errors else None
        if job.expectation is not None:
            problem = job.expectation.unmet(result) or problem
        return Outcome(job, {t.name: t.status == "passed" for t in result.tests}, problem)

    with contextlib.ExitStack() as stack:
        jobs: list[Job] = []
        for name in args.assignment or list(config.assignments):
            if config.assignment(name).trains_on_fashion_mnist:
                continue  # minutes per grading: tests/test_models.py covers these
            examples = example_class(name, config)  # reference, stub and variants, each with what it must score
            folder = stack.enter_context(staged(examples))
            jobs += [Job(name, e.student, folder / f"{e.student}{e.path.suffix}", e.expectation, seed)
                     for e in examples for seed in seeds]
            if args.mutants is not None:
                jobs += [Job(name, f"mutant {m.stem}", m, None, seed)
                         for m in sorted((args.mutants / name).glob("*.py")) for seed in seeds]
        unexpected, verdicts = 0, defaultdict(lambda: defaultdict(dict))
        with ThreadPoolExecutor(args.workers) as pool:
            for outcome in pool.map(run, jobs):
                job = outcome.job
                if outcome.problem:
                    unexpected += 1
                    print(f"unexpected: {job.assignment} {job.student} seed {job.seed}: {outcome.problem}", flush=True)
                for test, passed in outcome.verdicts.items():
                    verdicts[(job.assignment, job.student)][test][job.seed] = passed
    varying = 0
    for (name, student), tests in verdicts.items():
        for test, by_seed in tests.items():
            if len(set(by_seed.values())) > 1:
                varying += 1
                failing = [seed for seed, passed in by_seed.items() if not passed]
                print(f"varying: {name} {student} {test} fails on seeds {failing} of {sorted(by_seed)}", flush=True)
    submissions = len(verdicts)
    print(f"{len(jobs)} gradings of {submissions} submissions in {time.monotonic() - started:.0f} s: "
          f"{unexpected} unexpected, {varying} varying")
    return 1 if unexpected or varying else 0


if __name__ == "__main__":
    sys.exit(main())
