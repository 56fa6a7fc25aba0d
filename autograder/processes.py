"""Process control, in one place: what the grader, its judges and the sandbox use to leave nothing running.

A student's code may fork, detach, or outlive the test that started it. Three mechanisms
end all of it, and each lives here once:

- prctl(2): a judge makes itself a child subreaper (orphans of its descendants are
  re-parented to it, to be killed) and dies with the thread that started it;
- process groups: every judge runs in a session of its own, and its whole group is killed
  when its time runs out or it is done (`kill_group`);
- a uid of the child's own (root only): whatever escaped the tree is found by that uid
  (`processes_of`) and killed (`kill_and_wait`).

The grader also reaps orphans re-parented to it (`reap_orphans`): it tells a leftover from
a judge still at work by the registry of live judge sessions (`launch`, `track`, `untrack`),
which is read and written under one lock, so a judge another thread starts meanwhile is
never taken for a leftover.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import threading
from typing import Any

import psutil

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

_lock = threading.Lock()
_live: set[int] = set()  # pids of the sessions (judges, judge servers) this process started and still waits on


def become_subreaper() -> None:
    """Orphans of our descendants (a student's detached process) are re-parented here, to be killed."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent() -> None:
    """SIGKILL this process when the thread that started it ends: nothing outlives its grader."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def kill_group(pid: int) -> None:
    """SIGKILL the process group led by `pid` (a session of its own); one already gone, or not ours, is passed over."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def processes_of(uid: int) -> list[psutil.Process]:
    """Every process whose real uid is `uid` (the child's own uid owns whatever escaped its tree)."""
    return [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]


def kill_and_wait(processes: list[psutil.Process], timeout: float) -> None:
    """SIGKILL each of `processes` (those already gone are skipped) and wait up to `timeout` s for them to end."""
    for proc in processes:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(processes, timeout=timeout)


def launch(argv: list[str], **popen: Any) -> subprocess.Popen[Any]:
    """Start `argv` in a session of its own, registered as live in the same step: no reaper sees it unregistered."""
    with _lock:
        process = subprocess.Popen(argv, start_new_session=True, **popen)
        _live.add(process.pid)
    return process


def track(pid: int) -> None:
    """Register a session started elsewhere (a judge forked by a judge server) as live: not a leftover."""
    with _lock:
        _live.add(pid)


def untrack(pid: int) -> None:
    """The session `pid` is over: from now on a process of its left here is a leftover."""
    with _lock:
        _live.discard(pid)


def reap_orphans() -> None:
    """Kill every child re-parented to us from a judge's tree: a student's leftover process.

    Judges run in sessions of their own and so does everything under them, while what this
    process starts for itself (nbgrader's alembic, say, while another thread grades) stays
    in our session: only children outside it, and not a live judge, are leftovers.
    """
    with _lock:  # listed under the lock: a judge another thread starts meanwhile is never taken for a leftover
        live = set(_live)
        children = psutil.Process().children()
    ours = os.getsid(0)
    for child in children:
        if child.pid in live:
            continue
        try:
            if os.getsid(child.pid) == ours:
                continue
            for proc in [*child.children(recursive=True), child]:
                proc.kill()
        except (psutil.Error, OSError):
            pass
        try:
            os.waitpid(child.pid, os.WNOHANG)  # a dead leftover (bwrap's init, say) is reaped, not left a zombie
        except ChildProcessError:
            pass
