"""Judges: the trusted processes that run a hidden suite on one submission, started cold or forked warm.

A cold judge is a new Python process (`python -m autograder.engine.judge`); a warm one is forked
by a judge server (engine.judge_server) that has already paid the imports, one server per
batch worker thread (`JudgePool`). Either way the judge runs in a session of its own, is
killed with its whole group when its wall-clock backstop passes, and what a student's code
left behind is reaped (autograder.processes). A judge's exit tells only how grading ended
(`judge_outcome`); its verdicts come back as records (engine.job) and are read by grading.py.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from autograder.bilingual import Said, say
from autograder.devices import gpus
from autograder.engine.judge_server import JobLine, read_ended, read_started
from autograder.processes import kill_group, launch, reap_orphans, track, untrack

LOG_TAIL = 20000  # characters of a judge's output kept for the instructor's error message
_Answer = TypeVar("_Answer")


def _judge_environment() -> dict[str, str]:
    """The grader's environment, without pytest plugins found by entry point and without bytecode files."""
    return {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def run_judge(job: Path, progress: Path, timeout: float) -> tuple[str, Said | None, bool]:
    """Grade `job` in a cold judge: (its output's tail, what stopped grading early, whether the grader failed)."""
    env = _judge_environment()
    process = launch(
        [sys.executable, "-m", "autograder.engine.judge", str(job), str(progress)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    code = None
    try:
        output, _ = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        kill_group(process.pid)
        output, _ = process.communicate()
    finally:
        kill_group(process.pid)
        untrack(process.pid)
        reap_orphans()
    return (output.decode("utf-8", errors="replace")[-LOG_TAIL:], *judge_outcome(code, timeout))


def judge_outcome(code: int | None, timeout: float) -> tuple[Said | None, bool]:
    """(what stopped grading early, whether the grader itself failed); code None: the time ran out."""
    if code is None:  # the student's own time is charged inside the judge: this much wall time is the machine's doing
        return say(
            f"grading took longer than {timeout:g} s of wall-clock time: the grading machine was overloaded",
            f"채점이 실제 시간으로 {timeout:g}초를 넘겼습니다: 채점 컴퓨터에 다른 작업이 너무 많았습니다",
        ), True
    if code != 0:  # student code never runs in the judge: this is the grader's failure
        return say(f"the judge exited with code {code}", f"채점 프로세스가 코드 {code}로 종료되었습니다"), True
    return None, False


class WarmJudge:
    """The grader's end of a judge server (engine.judge_server): one per batch worker.

    Each job is a judge forked from the server, in a session of its own, killed with its
    whole group when its time runs out. A server that dies is started again for the next job.
    `gpu` is the GPU its children train on when the options leave the choice to the judge.
    """

    START_SECONDS = 300  # the first job also waits for the server's imports (torch for models)

    def __init__(self, suite: Path, gpu: int | None = None):
        self.suite, self.gpu = suite, gpu
        self.process: subprocess.Popen[bytes] | None = None
        self._buffer = bytearray()

    def run(self, job: Path, progress: Path, log: Path, timeout: float) -> tuple[str, Said | None, bool]:
        if self.process is None or self.process.poll() is not None:
            self.start()
        pid, code = None, None
        try:
            assert self.process is not None and self.process.stdin is not None  # start() made it, with a pipe
            line: JobLine = {"job": str(job), "progress": str(progress), "log": str(log)}
            self.process.stdin.write(json.dumps(line).encode() + b"\n")
            self.process.stdin.flush()
            started = self._reply(read_started, self.START_SECONDS)
            if started is None:
                raise ValueError("the judge server did not start the job")
            pid = started["started"]
            track(pid)
            ended = self._reply(read_ended, timeout)
            if ended is None:
                kill_group(pid)
                self._reply(read_ended, 30)
            else:
                code = ended["ended"]
        except (OSError, ValueError):  # the server died or said something else
            self.close()
            code = -9
        finally:
            if pid is not None:
                kill_group(pid)
                untrack(pid)
            reap_orphans()
        text = log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:] if log.exists() else ""
        return (text, *judge_outcome(code, timeout))

    def close(self) -> None:
        if self.process is not None:
            kill_group(self.process.pid)
            self.process.wait()
            untrack(self.process.pid)
            self.process = None

    def start(self) -> None:
        """Start the server; its first job waits for its imports."""
        env = _judge_environment()
        self.process = launch(
            [sys.executable, "-m", "autograder.engine.judge_server", str(self.suite)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._buffer = bytearray()

    def _reply(self, read: Callable[[bytes], _Answer], timeout: float) -> _Answer | None:
        """The server's next line, checked by `read`, or None when `timeout` seconds pass without one."""
        deadline = time.monotonic() + timeout
        assert self.process is not None and self.process.stdout is not None  # start() made it, with a pipe
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise ValueError("the judge server stopped")
            self._buffer += chunk
        line, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer = bytearray(rest)
        return read(line)


class JudgePool:
    """A warm judge per thread and hidden suite: a batch's workers, or a Dask worker's threads.

    Each thread is a slot, and slots take `gpus` (default: this machine's) in turn, so that
    `grade-all -w 4` on two GPUs trains two submissions on each; on one GPU all slots share it.
    """

    def __init__(self, gpus: Sequence[int] | None = None):
        self._lock = threading.Lock()  # the slots and the judges, shared by the pool's threads
        self._local = threading.local()
        self._every: list[WarmJudge] = []
        self._ready: dict[Path, list[WarmJudge]] = {}  # started ahead, not yet taken by a thread
        self._gpus = list(gpus) if gpus is not None else None
        self._slots = 0

    def start_ahead(self, suite: Path, count: int) -> None:
        """Start `count` judges now, so that their imports overlap the batch's reading of the class."""
        for _ in range(count):
            judge = WarmJudge(suite, gpu=self._next_gpu())
            judge.start()
            with self._lock:
                self._every.append(judge)
                self._ready.setdefault(suite, []).append(judge)

    def judge(self, suite: Path) -> WarmJudge:
        local = self._local.__dict__
        mine: dict[Path, WarmJudge] = local.setdefault("by_suite", {})
        if suite not in mine:  # each thread pays the judge's imports once
            with self._lock:
                ready = self._ready.get(suite) or []
                taken = next((j for j in ready if j.gpu == local.get("gpu", j.gpu)), None)
                if taken is not None:
                    ready.remove(taken)
            if taken is not None:
                local.setdefault("gpu", taken.gpu)
                mine[suite] = taken
                return taken
            if "gpu" not in local:
                local["gpu"] = self._next_gpu()
            mine[suite] = WarmJudge(suite, gpu=local["gpu"])
            with self._lock:
                self._every.append(mine[suite])
        return mine[suite]

    def _next_gpu(self) -> int | None:
        with self._lock:
            if self._gpus is None:
                self._gpus = gpus()
            slot, self._slots = self._slots, self._slots + 1
        return self._gpus[slot % len(self._gpus)] if self._gpus else None

    def close(self) -> None:
        for judge in self._every:
            judge.close()
