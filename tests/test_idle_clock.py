"""The idle clock that time limits are charged on (autograder/sandbox/idleclock.py).

A busy machine must not run a submission's time down, and a submission must not be able to
stop its own clock. These tests read the kernel's real scheduler statistics; the ones that
need a busy machine start their own CPU hogs, each in a session of its own as other users'
programs are, and kill them by pid.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from autograder.sandbox import idleclock
from autograder.sandbox.idleclock import IdleClock, starved
from tests.support import cpu_hogs

pytestmark = pytest.mark.skipif(
    not idleclock.available(), reason="this kernel keeps no per-thread scheduler statistics"
)


def _tree(process: subprocess.Popen):
    def pids():
        try:
            return [process.pid, *(child.pid for child in psutil.Process(process.pid).children(recursive=True))]
        except psutil.Error:
            return []

    return pids


def _watch(code: str, seconds: float, threads: int = 1) -> tuple[IdleClock, float]:
    """Run `code` in a new process for about `seconds` of wall time; return its clock and the tree's CPU time by psutil."""
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], start_new_session=True)
    try:
        time.sleep(0.3)  # the interpreter is up and its threads started
        pids = _tree(process)
        before = _cpu(pids())
        clock = IdleClock(pids, threads)
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            time.sleep(0.2)
            clock.read()
        after = _cpu(pids())
        return clock, sum(after.get(pid, 0.0) - before.get(pid, 0.0) for pid in after)
    finally:
        for pid in reversed(_tree(process)()):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        process.wait()


def _cpu(pids) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            found[pid] = times.user + times.system
        except psutil.Error:
            continue
    return found


SPIN_THREADS_AND_CHILD = """
import subprocess, sys, threading
child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
def spin():
    while True:
        sum(range(1000))
for _ in range(2):
    threading.Thread(target=spin, daemon=True).start()
spin()
"""


def test_cpu_time_of_a_process_tree_counts_its_threads_and_child_processes():
    """The clock's CPU time is that of every thread of every process in the tree, as psutil's rusage tells it."""
    clock, by_psutil = _watch(SPIN_THREADS_AND_CHILD, 2.5, threads=4)
    assert by_psutil > 0.3
    assert clock.cpu == pytest.approx(by_psutil, rel=0.15)


def test_sleeping_is_charged_like_the_wall_clock():
    clock, _ = _watch("import time\ntime.sleep(60)", 2.0)
    assert clock.charged == pytest.approx(clock.wall, rel=0.05)


def test_waiting_for_a_cpu_other_work_holds_is_not_charged():
    """With three hogs per core, a busy loop is charged about its CPU time, far less than the wall time."""
    with cpu_hogs(3):
        clock, by_psutil = _watch("while True: pass", 4.0)
    assert clock.wall > 2 * clock.charged
    assert clock.charged == pytest.approx(by_psutil, rel=0.35, abs=0.3)


def test_a_sleeper_on_a_busy_machine_is_still_charged_its_sleep():
    with cpu_hogs(3):
        clock, _ = _watch("import time\ntime.sleep(60)", 2.0)
    assert clock.charged == pytest.approx(clock.wall, rel=0.1)


def test_threads_beyond_those_given_cannot_slow_the_clock():
    """Eight busy processes given one thread: the waiting among them is their own doing.

    Wanting more CPUs than it was given, a submission is charged at least the CPU time it got
    divided by its threads: on an idle machine the wall time, on a busy one what one thread
    would have done.
    """
    many = (
        "import subprocess, sys\n"
        + "\n".join(['subprocess.Popen([sys.executable, "-c", "while True: pass"])'] * 8)
        + "\nimport time\ntime.sleep(60)"
    )
    clock, _ = _watch(many, 2.5, threads=1)
    assert clock.charged >= 0.9 * min(clock.wall, clock.cpu)


def test_starved_seconds():
    assert starved(1.0, 0.0, [], 2) == 0  # nothing waited: running or asleep
    assert starved(1.0, 0.25, [0.75], 2) == 0.75  # one thread kept waiting three quarters of the time
    assert starved(1.0, 0.5, [0.75, 0.75], 2) == 0.75  # the two given threads, each waiting 0.75 s
    assert starved(1.0, 0.5, [0.75], 2) == 0.75  # one thread at a barrier while the other waited: the slower one counts
    assert starved(1.0, 2.0, [62 / 64] * 64, 2) == pytest.approx(0.0, abs=1e-9)  # 64 busy threads on their own two CPUs
    assert starved(1.0, 0.0, [1.5], 2) == 1.0  # never more than the span
