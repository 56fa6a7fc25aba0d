"""Grade every reference, stub and variant of the numeric assignments with many grader seeds.

The tests grade each variant with one fresh seed per run; a hidden test whose random
inputs only sometimes tell a bug from a correct answer shows up here as a seed where a
submission scores other than its `# expect-fail:` line says. Run it after adding a test
or a variant:

    .venv/bin/python scripts/check_variants_across_seeds.py --seeds 8 [-a losses]

Prints each unexpected (assignment, submission, seed) and a total; exits 1 if any.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
from concurrent.futures import ThreadPoolExecutor

import torch  # noqa: F401  (before anything that may load tensorflow)

from autograder.config import load_config
from autograder.course.examples import example_class, staged
from autograder.grading import GradeOptions, grade


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="grader seeds per submission")
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("-a", "--assignment", action="append", help="only these assignments (repeatable)")
    parser.add_argument("-w", "--workers", type=int, default=2)
    args = parser.parse_args()
    config = load_config()
    seeds = range(args.first_seed, args.first_seed + args.seeds)

    def run(job) -> str | None:
        name, path, expectation, seed = job
        result = grade(path, name, config=config, options=GradeOptions(seed=seed, language="en"))
        problem = expectation.unmet(result) or (result.internal_errors[0][:200] if result.internal_errors else None)
        return f"{name} {path.stem} seed {seed}: {problem}" if problem else None

    with contextlib.ExitStack() as stack:
        jobs = []
        for name in args.assignment or list(config.assignments):
            if config.assignment(name).trains_on_fashion_mnist:
                continue  # minutes per grading: tests/test_models.py covers these
            examples = example_class(name, config)  # reference, stub and variants, each with what it must score
            folder = stack.enter_context(staged(examples))
            jobs += [(name, folder / f"{e.student}{e.path.suffix}", e.expectation, seed) for e in examples for seed in seeds]
        unexpected = 0
        with ThreadPoolExecutor(args.workers) as pool:
            for line in pool.map(run, jobs):
                if line:
                    unexpected += 1
                    print(line, flush=True)
    print(f"{len(jobs)} gradings, {unexpected} unexpected")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
