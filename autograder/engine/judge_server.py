"""A warm judge: pays the judge's imports once, then forks a fresh judge for every job.

The batch engine starts one per worker as `python -m autograder.engine.judge_server SUITE`.
It imports what every judge needs (pytest, numpy, the grading plugin, the modules the
hidden suite imports, torch for model assignments) and probes the sandbox, then waits.
Each line on stdin is a job (`JobLine`: JOB.json, PROGRESS.jsonl, LOG). The server forks; the
child becomes a session leader of its own, sends its output to LOG and runs
`judge.main` exactly as a cold judge would. The server answers `Started` at once
and `Ended` when the judge is gone; the grader (autograder.judges) reads them with `read_started`
and `read_ended`. Nothing of one student reaches the next:
every judge is a fresh copy of the same pristine server, which never runs a test itself,
and each student's code runs in a fresh sandbox of its judge's.
"""

from __future__ import annotations

import ast
import gc
import importlib
import json
import os
import signal
import sys
import traceback
import types
from pathlib import Path
from typing import TypedDict

from autograder.processes import die_with_parent


class JobLine(TypedDict):
    """A job for the server: the GradingJob file, the judge's progress file and the file its output goes to."""

    job: str
    progress: str
    log: str


class Started(TypedDict):
    started: int  # the judge's pid, the leader of its own process group


class Ended(TypedDict):
    ended: int  # the judge's exit code (negative: the signal that ended it)


def read_started(line: bytes) -> Started:
    """The server's answer to a job, checked; anything else is a ValueError (the grader then restarts the server)."""
    return {"started": _number(line, "started")}


def read_ended(line: bytes) -> Ended:
    return {"ended": _number(line, "ended")}


def _number(line: bytes, key: str) -> int:
    message = json.loads(line)
    value = message.get(key) if isinstance(message, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"the judge server answered {line[:200]!r}, not {{{key!r}: a number}}")
    return value


def preload(suite: Path) -> None:
    """Import what a judge of this suite will import anyway; a module that fails is left to the judge."""
    names = ["numpy", "pytest", "autograder.engine.plugin", "autograder.engine.checks"]
    for path in sorted(suite.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    if "torch" in names or any(name.startswith(("torch.", "tensorflow", "keras")) for name in names):
        names.insert(0, "torch")  # torch before anything that may load tensorflow
    for name in dict.fromkeys(names):
        try:
            importlib.import_module(name)
        except Exception:
            pass
    from autograder.sandbox.probe import probe

    probe()  # cached: every forked judge inherits the answer
    gc.collect()
    gc.freeze()  # what every judge inherits is never scanned again by a judge's garbage collections


def serve(suite: Path) -> int:
    die_with_parent()
    preload(suite)
    from autograder.engine import judge

    for line in sys.stdin:
        job: JobLine = json.loads(line)  # from the grader that started this server
        pid = os.fork()
        if pid == 0:
            _run_child(judge, job["job"], job["progress"], job["log"])
        started: Started = {"started": pid}
        print(json.dumps(started), flush=True)
        _, status = os.waitpid(pid, 0)
        ended: Ended = {"ended": os.waitstatus_to_exitcode(status)}
        print(json.dumps(ended), flush=True)
    return 0


def _run_child(judge: types.ModuleType, job: str, progress: str, log: str) -> None:
    """In the forked child: a judge of its own, in a session of its own; never returns."""
    code = 1
    try:
        os.setsid()
        die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        code = judge.main(job, progress)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1])))
