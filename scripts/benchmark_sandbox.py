"""How much does the sandbox cost? Prints per-call and per-submission overhead.

A benchmark, not a test: it prints figures and never fails on them. For each isolation
available here it measures (1) a child's start-up and import of a tiny submission, (2)
the round trip of one call with a small and a large argument, and (3) one whole
`grade()` of the demo assignment (judge process, pytest, sandbox, verdict).

    .venv/bin/python scripts/benchmark_sandbox.py [--calls 500] [--submissions 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import load_config  # noqa: E402
from autograder.grading import GradeOptions, grade  # noqa: E402
from autograder.sandbox.client import SandboxedSubmission  # noqa: E402
from autograder.sandbox.launcher import choose_isolation  # noqa: E402
from autograder.sandbox.probe import probe  # noqa: E402
from tests.support import CORRECT_DEMO, DEMO_CONFIG  # noqa: E402

SUBMISSION = CORRECT_DEMO.encode()


def _ms(seconds: list[float]) -> str:
    return f"median {1000 * statistics.median(seconds):7.2f} ms, p90 {1000 * sorted(seconds)[int(0.9 * (len(seconds) - 1))]:7.2f} ms"


def bench_calls(isolation: str, calls: int) -> None:
    limits = load_config(DEMO_CONFIG).limits_for("demo")
    sandbox = SandboxedSubmission({"demo.py": SUBMISSION}, "demo.py", limits, isolation=isolation)
    started = time.perf_counter()
    hello = sandbox.start()
    start_up = time.perf_counter() - started
    assert hello.ok, hello.error
    small, large = np.arange(3.0), np.random.default_rng(0).normal(size=(256, 1024))
    for label, argument in (("3 floats", small), ("2 MB array", large)):
        seconds = []
        for _ in range(calls if argument is small else max(calls // 10, 10)):
            began = time.perf_counter()
            sandbox.call("square", (argument,))
            seconds.append(time.perf_counter() - began)
        print(f"  call round trip ({label:>10}): {_ms(seconds)}")
    print(
        f"  child start + import of numpy and the submission: {1000 * start_up:.0f} ms ({sandbox.isolation.describe()})"
    )
    sandbox.close()


def bench_submissions(isolation: str, count: int) -> None:
    config = load_config(DEMO_CONFIG)
    seconds = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.py"
        path.write_bytes(SUBMISSION)
        for _ in range(count):
            began = time.perf_counter()
            result = grade(path, "demo", config=config, options=GradeOptions(isolation=isolation, language="en"))
            seconds.append(time.perf_counter() - began)
            assert result.score == result.max_score, [t.output.en for t in result.tests]
    print(f"  whole submission (6 tests, judge + sandbox): {_ms(seconds)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--submissions", type=int, default=5)
    args = parser.parse_args()
    kinds = ["auto", "subprocess"] if probe().works else ["subprocess"]
    for kind in kinds:
        print(f"isolation: {choose_isolation(kind).describe().split(':')[0]}")
        bench_calls(kind, args.calls)
        bench_submissions(kind, args.submissions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
