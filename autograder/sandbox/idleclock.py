"""A clock for time limits that a busy machine cannot run down: seconds of this machine when idle.

A wall-clock limit charges a submission for every other program on the grading machine: with
the two cores shared three ways, a model that trains in 120 s takes 360 s and times out. The
kernel keeps, for every thread, the nanoseconds it ran and the nanoseconds it sat runnable on a
run queue while another program held the CPU (`/proc/PID/task/TID/schedstat`, "run delay").
Between two readings this clock advances by the wall time minus the share of it the watched
threads spent waiting for a CPU that other work held. So:

- running, sleeping, blocking on input or on a lock are charged like the wall clock: a
  submission that sleeps or waits forever still runs out of time;
- waiting that the submission causes among its own threads (more busy threads than the
  `threads` it was given) is charged too: starting threads never slows the clock down;
- only waiting caused by others is not charged.

`IdleClock.read()` returns the seconds charged since the clock was made. Where the kernel keeps
no scheduler statistics it counts wall-clock seconds, as before (`measured` says which).
Standard library only: the sandbox's runner uses it too (a copy beside the runner).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

NS = 1e-9


def task_files(pid: int, name: str) -> list[tuple[int, bytes]]:
    """(tid, contents of /proc/PID/task/TID/NAME) for each thread of `pid` still there; none for a process gone."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found = []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/{name}", "rb") as handle:
                found.append((int(tid), handle.read()))
        except (OSError, ValueError):
            continue
    return found


def thread_times(pids: Iterable[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(pid, tid) -> (ns on a CPU, ns runnable but waiting) for every thread of `pids` still there."""
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for pid in pids:
        for tid, text in task_files(pid, "schedstat"):
            try:
                ran, waited, *_ = text.split()
                found[(pid, tid)] = (int(ran), int(waited))
            except ValueError:
                continue
    return found


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, from the kernel's list of each thread's children (a read per process of the tree)."""
    found: list[int] = []
    seen, stack = {pid}, [pid]
    while stack:
        for _, children in task_files(stack.pop(), "children"):
            for child in map(int, children.split()):
                if child not in seen:
                    seen.add(child)
                    found.append(child)
                    stack.append(child)
    return found


def own_tree() -> list[int]:
    """This process and every process below it: what a submission's import starts is charged to it too."""
    return [os.getpid(), *descendants(os.getpid())]


def machine_idle() -> float:
    """Seconds all this machine's CPUs have been idle since boot (/proc/stat; not namespaced, so the sandbox reads it too)."""
    try:
        with open("/proc/stat", "rb") as handle:
            fields = handle.readline().split()
        return (int(fields[4]) + int(fields[5])) / os.sysconf("SC_CLK_TCK")  # idle + iowait
    except (OSError, ValueError, IndexError):
        return 0.0


def available() -> bool:
    return os.path.exists(f"/proc/{os.getpid()}/schedstat")


class IdleClock:
    """Seconds charged to the threads of `pids()` since the clock was made (see the module's docstring).

    `threads`: how many threads the watched code was given; waiting among more busy threads
    than that is the code's own doing and is charged.
    """

    def __init__(
        self, pids: Callable[[], Iterable[int]], threads: int = 1, *, now: Callable[[], float] = time.monotonic
    ):
        self._pids, self._threads, self._now = pids, max(int(threads), 1), now
        self._cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self.measured = available()
        self.started = self._last_time = now()
        self._last = thread_times(pids()) if self.measured else {}
        self._last_idle = machine_idle()
        self.charged = 0.0  # seconds of an idle machine
        self.cpu = 0.0  # seconds on a CPU, all threads together
        self.waited = 0.0  # seconds runnable but waiting, all threads together

    @property
    def wall(self) -> float:
        return self._now() - self.started

    def read(self) -> float:
        """Advance the clock to now and return the seconds charged so far."""
        now = self._now()
        span, self._last_time = max(now - self._last_time, 0.0), now
        if not self.measured:
            self.charged += span
            return self.charged
        current = thread_times(self._pids())
        idle = machine_idle()
        spare, self._last_idle = max(idle - self._last_idle, 0.0), idle
        ran = waited = 0.0
        waits: list[float] = []
        for key, (cpu_ns, wait_ns) in current.items():
            before_cpu, before_wait = self._last.get(key, (0, 0))
            d_cpu, d_wait = max(cpu_ns - before_cpu, 0) * NS, max(wait_ns - before_wait, 0) * NS
            ran += d_cpu
            waited += d_wait
            if d_wait > 0:
                waits.append(d_wait)
        self._last = current
        self.cpu += ran
        self.waited += waited
        saturated = span > 0 and spare < SPARE_SHARE * self._cores * span
        self.charged += span - (starved(span, ran, waits, self._threads) if saturated else 0.0)
        return self.charged


SPARE_SHARE = 0.1  # a machine whose CPUs idled more than this share of the time was not overloaded


def starved(span: float, ran: float, waits: list[float], threads: int) -> float:
    """Seconds of `span` the watched code was kept off a CPU by others.

    Its threads ran `ran` thread-seconds and each waited `waits` for a CPU. Had only the
    code's own `threads` CPUs been there, any demand beyond `threads` × `span` would have
    waited anyway: that part is the code's own doing. The rest, spread over the threads that
    wanted a CPU at once (at most `threads`), is the time others took. When the code wanted no
    more than its threads, its most-delayed thread says it best: parallel work waits for its
    slowest thread (a thread waiting at a barrier for a pre-empted one sleeps meanwhile).
    The caller counts this only while the machine's CPUs were all busy, so waits a submission
    makes for itself (its threads pinned to one CPU, `nice`) with CPUs to spare are charged.
    """
    if span <= 0 or not waits:
        return 0.0
    waited = sum(waits)
    demand = ran + waited  # thread-seconds of wanting a CPU
    own = max(0.0, demand - threads * span)
    spread = max(1.0, min(float(threads), demand / span))
    by_others = max(0.0, waited - own) / spread
    if own == 0:
        by_others = max(by_others, max(waits))
    return min(by_others, span)
