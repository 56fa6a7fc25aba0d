"""How many cores this process may use: what a batch plans its slots on and a sandbox gets as threads.

A grading machine is often shared or confined: taskset, a Slurm allocation or a cpuset
narrows the CPU affinity, and a container's cgroup may grant fewer CPUs than the host has.
Planning on `os.cpu_count()` would start more trainings or threads than the cores that feed
them, and a student's model would be charged for the wait. The batch here and a Dask worker
plan on the same count, so both live below them, in the grading core.
"""

from __future__ import annotations

import os
from pathlib import Path

TRAINING_CORES = 2  # cores that feed one model's training (its math threads, its data pipeline) without starving


def affinity_cores() -> int:
    """The cores this process may run on: its CPU affinity (taskset, a Slurm allocation, a cpuset)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity (taskset, a Slurm allocation, a cpuset), within a cgroup's
    CPU quota where one is set (a container limited to 2 CPUs on a 64-core host has 2)."""
    cores = affinity_cores()
    quota = _cgroup_cpu_quota()
    return max(1, min(cores, quota)) if quota else cores


def _cgroup_cpu_quota() -> int | None:
    """The whole CPUs cgroup v2's cpu.max grants this process (rounded up), or None where there is no quota."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                limit, period = (Path("/sys/fs/cgroup") / line[3:].lstrip("/") / "cpu.max").read_text().split()[:2]
                return None if limit == "max" else max(1, -(-int(limit) // int(period)))
    except (OSError, ValueError):
        return None
    return None
