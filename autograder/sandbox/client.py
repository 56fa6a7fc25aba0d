"""The parent's handle on one running submission: start it, call into it, kill it.

Every read from the child has a time budget and a size cap, and every reply is decoded as
plain data. Budgets are charged on an idle clock of the child's process tree (`idleclock`):
time its threads wait for a CPU that other work holds is not charged, and a wall-clock
backstop of `limits.backstop` times the budget ends a call that other work starves as
"overloaded" (the grading machine's failure, graded again), never as the student's time-out.
Whatever goes wrong in the child (a timeout, a crash, `os._exit`, a reply that is garbage
or too big) comes back as a `ChildFailure` with a named cause; nothing the child does can
raise anything else here.
"""

from __future__ import annotations

import json
import os
import selectors
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, NoReturn, TypeVar

import psutil

from autograder.config import Limits
from autograder.processes import kill_and_wait, processes_of
from autograder.sandbox import launcher, protocol
from autograder.sandbox.idleclock import IdleClock, descendants

IMPORT_GRACE = 5.0  # seconds past import_time before the child is taken for hung
POLL_SECONDS = 0.5  # how often a running call's clock is read (a call answered sooner never starts one)
_Message = TypeVar("_Message", protocol.Ready, protocol.Reply)


class ChildFailure(Exception):
    """The child did not answer a call properly; `cause` says how."""

    def __init__(self, cause: str, detail: str = ""):
        super().__init__(f"{cause}: {detail}" if detail else cause)
        self.cause = cause  # timeout, overloaded, killed, crashed, garbage, too_large
        self.detail = detail


@dataclass
class StudentError:
    """An exception raised by the student's own code, as reported by the child."""

    type: str
    message: str
    traceback: str = ""


@dataclass
class Reply:
    ok: bool
    value: object = None
    error: StudentError | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    charged: float = 0.0  # seconds of the budget it used (idle-machine seconds)


@dataclass
class Hello:
    ok: bool
    error: StudentError | None
    cell_errors: list[protocol.StepError]
    functions: list[str]
    seconds: float


class OutputTail:
    """Drains the child's stderr (its prints) in a thread, keeping only the first bytes."""

    def __init__(self, stream: IO[bytes], limit: int):
        self.limit, self.kept, self.dropped = limit, bytearray(), 0
        self.thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self.thread.start()

    def _drain(self, stream: IO[bytes]) -> None:
        try:
            while chunk := stream.read(65536):
                room = max(self.limit - len(self.kept), 0)
                self.kept += chunk[:room]
                self.dropped += len(chunk) - len(chunk[:room])
        except (OSError, ValueError):  # the stream was closed when the child was killed
            pass

    def text(self) -> str:
        text = bytes(self.kept).decode("utf-8", errors="replace")
        return text + (f"\n... ({self.dropped} more bytes of output cut)" if self.dropped else "")


class SandboxedSubmission:
    """One child process running one submission under one isolation."""

    def __init__(
        self,
        files: dict[str, bytes],
        module_file: str,
        limits: Limits,
        *,
        cells: list[protocol.Cell] | None = None,
        inputs: Path | None = None,
        preload: tuple[str, ...] = (),
        device: str = "cpu",
        threads: int = 1,
        isolation: str = "auto",
        hidden: tuple[str, ...] = (),
        gpu: int | None = None,
        drivers: Path | None = None,
    ):
        self.files, self.module_file, self.limits = files, module_file, limits
        self.drivers = drivers  # the assignment's own sandbox-side drivers (solutions/NN_NAME/drivers.py), if any
        self.cells, self.inputs, self.preload, self.hidden = cells, inputs, preload, tuple(hidden)
        self.device, self.gpu, self.threads = (
            device,
            gpu,
            threads,
        )  # gpu: N of /dev/nvidiaN, the only GPU the child gets
        self.prefer = isolation
        self.isolation = launcher.choose_isolation(isolation)
        self.process: psutil.Popen | None = None
        self.output: OutputTail | None = None
        self.hello: Hello | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._launched: set[int] = set()  # the child's own processes once it has imported
        self._launched_at = 0.0  # time.monotonic() of the last launch: the import's clock starts there
        self.starts = 0
        self.last_charged = 0.0  # budget seconds the last start or call used, time-out or not

    # -- life cycle -------------------------------------------------------------------
    def launch(self) -> None:
        """Start a fresh child and return at once: it imports the submission (a framework takes seconds) while the
        grader goes on preparing. `start()` then waits for its hello. The inputs folder is bound as a folder, so
        data the grader writes into it before the first call reach the child."""
        self.close()
        self.starts += 1
        self.last_charged = 0.0
        self.hello = None
        self.isolation = launcher.choose_isolation(self.prefer)  # a fresh uid per start
        self._tmp = tempfile.TemporaryDirectory(prefix="autograder-")
        files = dict(self.files)
        if self.cells is not None:
            files["__cells__.json"] = json.dumps(self.cells).encode()
        layout = launcher.stage(
            Path(self._tmp.name), files, self.inputs, self.hidden, self.drivers, child_uid=self.isolation.uid
        )
        inner = launcher.inner_paths(self.isolation, layout)
        config: protocol.RunnerConfig = {
            "module_name": Path(self.module_file).stem,
            "module_path": f"{inner['submission']}/{self.module_file}",
            "cells_path": f"{inner['submission']}/__cells__.json" if self.cells is not None else None,
            "limits": launcher.rlimits(self.limits, self.isolation, self.threads),
            "reply_bytes": self.limits.reply_mb << 20,
            "import_time": self.limits.import_time,  # the runner shares it out between cells and stops itself in time
            "threads": self.threads,  # for the runner's idle clock
            "preload": list(self.preload),
            "paths": inner,
        }
        argv, extra = launcher.command(
            self.isolation, layout, json.dumps(config), self.device, self.gpu, scratch_mb=self.limits.scratch_mb
        )
        env = launcher.child_environment(
            self.threads, self.device, self.gpu, sandboxed=self.isolation.kind == "bubblewrap"
        )
        if self.isolation.kind == "subprocess":
            env.update(HOME=inner["home"], TMPDIR=inner["tmp"])
        self._launched_at = time.monotonic()
        self.process = psutil.Popen(
            argv, stdin=-1, stdout=-1, stderr=-1, env=env, start_new_session=True, close_fds=True, **extra
        )
        self.output = OutputTail(self.process.stderr, self.limits.output_kb * 1024)

    @property
    def launching(self) -> bool:
        """A child was launched and has not said hello yet (it may have died meanwhile: `start()` says how)."""
        return self.process is not None and self.hello is None

    def start(self) -> Hello:
        """Wait (within the import limit, counted from its launch) for the launched child to import; launch a
        fresh one first unless one is launching."""
        if not self.launching:
            self.launch()
        ready = self._receive(  # a backstop: the runner stops first
            protocol.unpack_ready, self.limits.import_time + IMPORT_GRACE, during="import", since=self._launched_at
        )
        error = ready["error"]
        self.hello = Hello(
            ok=ready["ok"],
            error=_student_error(error) if error else None,
            cell_errors=ready["cell_errors"][:50],
            functions=ready["functions"][:500],
            seconds=ready["import_seconds"],
        )
        self._launched = set(_family_pids(self.process))
        return self.hello

    def close(self) -> None:
        launcher.kill_everything(self.process, self.isolation)
        for stream in ("stdin", "stdout", "stderr"):
            handle = getattr(self.process, stream, None) if self.process else None
            if handle:
                try:
                    handle.close()
                except OSError:
                    pass
        self.process = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- calls --------------------------------------------------------------------------
    def call(
        self,
        name: str,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        op: Literal["call", "drive"] = "call",
        timeout: float | None = None,
    ) -> Reply:
        """Call a function of the submission (or a driver) and return its plain reply."""
        self.last_charged = 0.0
        if not self.alive:
            raise ChildFailure("crashed", "the submission's process is not running")
        assert self.process is not None  # alive
        frame = protocol.pack_request({"op": op, "name": name, "args": list(args), "kwargs": dict(kwargs or {})})
        started = time.perf_counter()
        try:
            self.process.stdin.write(frame)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self._fail("crashed", "the submission's process exited before the call")
        reply = self._receive(protocol.unpack_reply, timeout or self.limits.call_time, during=name)
        seconds = time.perf_counter() - started
        self._end_leftovers()
        if reply["ok"]:
            return Reply(True, reply["value"], None, _warnings(reply["warnings"]), seconds, self.last_charged)
        return Reply(
            False,
            None,
            _student_error(reply["error"]),
            _warnings(reply.get("warnings", [])),
            seconds,
            self.last_charged,
        )

    def _end_leftovers(self) -> None:
        """Kill what the call started and left running, so that nothing it did lands in a later call.

        A call may fork a process that acts after the reply (e.g. `kill(-1)` once it is scheduled);
        without this its harm would be charged to whichever test runs next. If it already killed
        the child, wait for the child to be seen dead, so the next test starts a fresh one.
        """
        assert self.process is not None  # the call's reply came from it (a failed read closes it and raises)
        try:
            if all(pid in self._launched for pid in _family_pids(self.process)):
                return  # the common case, read without a psutil object per process
            family = _family(self.process)
        except psutil.Error:
            family = []
        strays = [p for p in family if p.pid not in self._launched]
        if not strays:
            return
        kill_and_wait(strays, timeout=2)
        if not self._launched <= {p.pid for p in family if _running(p)}:
            try:
                self.process.wait(timeout=2)
            except psutil.TimeoutExpired:
                pass

    def _receive(
        self, read: Callable[[bytes], _Message], timeout: float, *, during: str, since: float | None = None
    ) -> _Message:
        """The child's next message, checked by `read` (protocol.unpack_ready or unpack_reply) before any use;
        `timeout` is charged from `since` (a time.monotonic()), else from now."""
        limit = (self.limits.reply_mb << 20) + 65536
        body = self._read_body(timeout, limit, during, since)
        try:
            return read(body)
        except (protocol.ProtocolError, ValueError, OverflowError) as err:
            self._fail("garbage", f"the reply could not be read as plain data ({err})")

    def _read_body(self, budget: float, limit: int, during: str, since: float | None) -> bytes:
        meter = _Meter(budget, self.limits.backstop, self.threads, self._tree, since)
        assert self.process is not None  # started, and not yet closed
        fd = self.process.stdout.fileno()
        buffer = bytearray()
        needed = protocol.HEADER.size
        size = None
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while len(buffer) < needed:
                wait = meter.check()
                self.last_charged = meter.charged
                if meter.verdict:
                    self._fail(*meter.verdict)
                if not selector.select(wait):
                    continue
                chunk = os.read(fd, min(1 << 20, needed - len(buffer)))
                if not chunk:
                    cause, detail = self._death_cause()
                    if during == "import" and self.output is not None:
                        time.sleep(0.05)
                        detail += "; its last output: " + self.output.text()[-1500:].strip()
                    self._fail(cause, detail)
                buffer += chunk
                if size is None and len(buffer) >= protocol.HEADER.size:
                    (size,) = protocol.HEADER.unpack(bytes(buffer[: protocol.HEADER.size]))
                    if size > limit:
                        self._fail(
                            "too_large", f"a reply of {size} bytes is over the limit of {self.limits.reply_mb} MB"
                        )
                    needed = protocol.HEADER.size + size
        meter.check(final=True)
        self.last_charged = meter.charged
        return bytes(buffer[protocol.HEADER.size :])

    def _tree(self) -> list[int]:
        """The pids whose threads the budget is charged for: the child and everything below it.

        Under bubblewrap a process that detaches stays in the child's PID namespace, below it;
        a plain subprocess with a uid of its own also owns whatever escaped the tree.
        """
        process = self.process
        if process is None:
            return []
        try:
            pids = _family_pids(process)
        except psutil.Error:
            pids = [process.pid]
        if self.isolation.kind == "subprocess" and self.isolation.uid is not None:
            pids += [p.pid for p in processes_of(self.isolation.uid)]
        return pids

    def _death_cause(self) -> tuple[str, str]:
        assert self.process is not None  # the read that saw it end has not closed it yet
        try:
            code = self.process.wait(timeout=2)
        except psutil.TimeoutExpired:
            code = None
        if code is not None and code < 0:
            signal_number = -code
            if signal_number == 9:
                return "killed", "the process was killed (SIGKILL): usually it ran out of memory"
            if signal_number == 24:
                return "timeout", "the process used up its CPU time"
            return "crashed", f"the process died from signal {signal_number}"
        return "crashed", f"the process exited early with code {code}"

    def _fail(self, cause: str, detail: str) -> NoReturn:
        self.close()
        raise ChildFailure(cause, detail)


class _Meter:
    """One call's budget, charged on an idle clock of the child's tree; `verdict` says when it is spent.

    The first `POLL_SECONDS` are charged as wall time, so a quick call never reads /proc. A
    budget used up is the submission's time-out; the wall-clock backstop passed first means
    other work kept the submission from a CPU: "overloaded", the grading machine's failure.
    """

    def __init__(
        self, budget: float, backstop: float, threads: int, tree: Callable[[], list[int]], since: float | None = None
    ):
        self.budget, self.threads, self.tree = budget, threads, tree
        self.backstop = budget * backstop
        self.started = time.monotonic() if since is None else since
        self.clock: IdleClock | None = None
        self.before_clock = 0.0
        self.charged = 0.0
        self.verdict: tuple[str, str] | None = None

    def check(self, final: bool = False) -> float:
        """Bring the charge up to date; return how long to wait before the next check."""
        elapsed = time.monotonic() - self.started
        if self.clock is None:
            self.charged = elapsed
            if not final and elapsed >= min(POLL_SECONDS, self.budget):
                self.clock, self.before_clock = IdleClock(self.tree, self.threads), elapsed
        else:
            self.charged = self.before_clock + self.clock.read()
        if final:
            return 0.0
        if self.charged >= self.budget:
            self.verdict = ("timeout", f"no answer within {self.budget:g} s")
        elif elapsed >= self.backstop:
            waited = self.clock.waited if self.clock else 0.0
            self.verdict = (
                "overloaded",
                f"after {elapsed:.0f} s the submission had had {self.charged:.0f} s of its {self.budget:g} s: "
                f"its threads waited {waited:.0f} s for a CPU other work held",
            )
        return max(min(POLL_SECONDS, self.budget - self.charged, self.backstop - elapsed), 0.01)


def _family_pids(process: psutil.Popen) -> list[int]:
    """The pids of the child and every process below it (`_family`, without a psutil object for each)."""
    if not _CHILDREN_LISTS:
        return [process.pid, *(child.pid for child in process.children(recursive=True))]
    return [process.pid, *descendants(process.pid)]


def _family(process: psutil.Popen) -> list[psutil.Process]:
    """The child and every process below it.

    Read from the kernel's list of each thread's children (/proc/PID/task/TID/children), which
    costs a read per process of the tree; psutil's `children()` reads every process on the
    machine, after every call, and a busy machine has thousands.
    """
    if not _CHILDREN_LISTS:
        return [process, *process.children(recursive=True)]
    family: list[psutil.Process] = [process]
    for pid in descendants(process.pid):
        try:
            family.append(psutil.Process(pid))
        except psutil.Error:
            continue  # it ended meanwhile
    return family


_CHILDREN_LISTS = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")  # CONFIG_PROC_CHILDREN


def _running(proc: psutil.Process) -> bool:
    try:
        return bool(proc.status() != psutil.STATUS_ZOMBIE)  # psutil has no types: its comparison reads as Any
    except psutil.Error:
        return False


def _student_error(error: protocol.ErrorInfo) -> StudentError:
    return StudentError(error["type"][:4000], error["message"][:4000], error["traceback"][:4000])


def _warnings(values: list[str]) -> list[str]:
    return [value[:300] for value in values[:20]]
