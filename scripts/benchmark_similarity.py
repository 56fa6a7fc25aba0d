"""How long does `autograder similarity` take for a class, and how far above independent work do copies rank?

A benchmark, not a test: it prints figures and never fails on them. It generates classes of
`activations` hand-ins (tests/similarity_class.py: independent solutions, each written in
its own way, and copies disguised by renaming, reordering, recommenting, respacing and a
loop turned into a comprehension), half as notebooks with outputs, half as .py, and runs
the command's whole path: pick and read every hand-in, fingerprint, compare every pair,
write the page and the CSV. The process is pinned to two cores where the machine allows.

For each size it prints the wall time of the whole command and of the comparison alone, the
lowest score of a copied pair, the highest of an independent pair, and how many copies rank
above every independent pair.

    .venv/bin/python scripts/benchmark_similarity.py [--sizes 40 200] [--copies 4 10] [--seeds 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DISTINCT = 125  # independent students the generator can make with no two sharing more than two function bodies


def run(size: int, copies: int, seed: int) -> dict[str, float]:
    from autograder.config import load_config
    from autograder.reports.similarity_page import write_similarity
    from autograder.similarity import class_similarity
    from tests.similarity_class import generated_class, write_class

    files, copied = generated_class(size, copies, seed=seed)
    with tempfile.TemporaryDirectory(prefix="similarity-") as folder:
        hand_ins = write_class(files, Path(folder) / "class")
        started = time.perf_counter()
        report = class_similarity(load_config(ROOT / "grading.toml"), "activations", hand_ins)
        write_similarity(report, Path(folder) / "similarity.html", language="en")
        total = time.perf_counter() - started
    pairs = {frozenset(pair) for pair in copied}
    copy_scores = [p.score for p in report.pairs if frozenset((p.a, p.b)) in pairs]
    others = [p.score for p in report.pairs if frozenset((p.a, p.b)) not in pairs]
    highest_other = max(others, default=0.0)
    return {
        "total": total,
        "compare": report.seconds,
        "pairs": report.compared,
        "lowest_copy": min(copy_scores, default=0.0),
        "highest_independent": highest_other,
        "above": sum(score > highest_other for score in copy_scores),
        "copies": len(copied),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 200])
    parser.add_argument("--copies", type=int, nargs="+", default=[4, 10], help="copied pairs per size, in order")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores: {cores}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for size, copies in zip(args.sizes, args.copies + args.copies[-1:] * len(args.sizes)):
        if size - copies > DISTINCT:
            print(
                f"class of {size}: beyond {DISTINCT} independent students the generator runs out of different "
                f"solutions, and some independent pairs share three or more of the six functions: the time is the "
                f"figure here, not the ranking"
            )
        for seed in range(args.seeds):
            f = run(size, copies, seed)
            print(
                f"class of {size} (seed {seed}): {f['total']:.1f} s in all, {f['compare']:.1f} s fingerprinting and "
                f"comparing {f['pairs']:.0f} pairs; copies above every independent pair: {f['above']:.0f} of "
                f"{f['copies']:.0f} (lowest copy {f['lowest_copy']:.3f}, highest independent {f['highest_independent']:.3f})"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
