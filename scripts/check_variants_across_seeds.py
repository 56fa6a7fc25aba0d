"""Grade every reference and variant of the numeric assignments with many grader seeds.

The tests grade each variant with one fresh seed per run; a hidden test whose random
inputs only sometimes tell a bug from a correct answer shows up here as a seed where a
submission scores other than its `# expect-fail:` line says. Run it after adding a test
or a variant:

    .venv/bin/python scripts/check_variants_across_seeds.py --seeds 8 [-a losses]

Prints each unexpected (assignment, submission, seed) and a total; exits 1 if any.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch  # noqa: F401  (before anything that may load tensorflow)

from autograder.config import load_config
from autograder.course.expectations import PASS_ALL, variant_expectation, variant_file
from autograder.course.layout import layout
from autograder.grading import GradeOptions, grade


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="grader seeds per submission")
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("-a", "--assignment", action="append", help="only these assignments (repeatable)")
    parser.add_argument("-w", "--workers", type=int, default=2)
    args = parser.parse_args()
    config = load_config()
    folder = Path(tempfile.mkdtemp(prefix="variant-seeds-"))
    jobs = []
    for name in args.assignment or list(config.assignments):
        spec = config.assignment(name)
        if spec.kind == "model" and "accuracy" in spec.thresholds:
            continue  # trains on Fashion-MNIST: tests/test_models.py covers these
        spot = layout(name, config)
        submissions = [(spot.solution_file, PASS_ALL)]
        submissions += [(variant_file(v, spot.solution_file, folder), variant_expectation(v)) for v in spot.variants()]
        jobs += [(name, path, expectation, seed) for path, expectation in submissions
                 for seed in range(args.first_seed, args.first_seed + args.seeds)]

    def run(job) -> str | None:
        name, path, expectation, seed = job
        result = grade(path, name, config=config, options=GradeOptions(seed=seed, language="en"))
        problem = expectation.unmet(result) or (result.internal_errors[0][:200] if result.internal_errors else None)
        return f"{name} {path.name} seed {seed}: {problem}" if problem else None

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
