"""The private folder each grading keeps its temporary files in, and the sweep of those a killed grader left.

The grader removes a job's folder however its judge ends. A grader that is itself killed
(`kill -9`, the OOM killer, a scheduler's time limit) cannot, and the folder keeps the hand-in
and, for a model assignment, about 170 MB of training data. So the grader holds a lock on a file
in the folder for the folder's whole life, and every grading first removes this account's job
folders whose lock nobody holds: their grader is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PREFIX = "autograder-judge-"
LOCK = ".held"  # locked (flock) by the grader while the folder is in use
# A folder is swept only when it has not changed for a while: a grader makes its folder and then locks it, so a
# folder seen between the two is new. One without a lock file may be a grader's from before the lock: an hour.
FREE_LOCK_AGE_SECONDS = 60
NO_LOCK_AGE_SECONDS = 3600


@contextlib.contextmanager
def job_folder() -> Iterator[Path]:
    """A new private folder in the shared temporary folder, removed on leaving, and locked while in use."""
    sweep_abandoned()
    with tempfile.TemporaryDirectory(prefix=PREFIX) as scratch:
        folder = Path(scratch)
        # Others may pass through it (a "subprocess" child under a uid of its own reaches its staging this way) but not
        # list it; every file in it is the grader's alone.
        folder.chmod(0o711)
        lock = os.open(folder / LOCK, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # no judge inherits it (O_CLOEXEC): the lock lives as long as this grader
            yield folder
        finally:
            os.close(lock)


def sweep_abandoned() -> list[str]:
    """Remove this account's job folders whose grader is gone; their names. Never follows a link."""
    shared = tempfile.gettempdir()
    removed: list[str] = []
    try:
        entries = list(os.scandir(shared))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and _abandoned(Path(entry.path), info.st_mtime):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.name)
    return removed


def _abandoned(folder: Path, modified: float) -> bool:
    age = time.time() - modified
    if age <= FREE_LOCK_AGE_SECONDS:
        return False
    try:
        lock = os.open(folder / LOCK, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return age > NO_LOCK_AGE_SECONDS
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its grader holds it
    finally:
        os.close(lock)
    return True
