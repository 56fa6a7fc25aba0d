"""The `student` object hidden tests call: each attribute is a function in the sandbox.

`student.sigmoid(x)` sends `x` to the child and returns plain numpy. Whatever went wrong
on the other side becomes a `Failure` the student can read: their own exception (with
their own traceback lines), a missing function, a time-out, a crash, a reply that is not
plain data. After a time-out or a crash the next call starts a fresh child, so one bad
function costs only its own tests. The whole submission's time (`wall_time`) is the sum of
what its import and calls were charged (idle-machine seconds, `sandbox/idleclock.py`); a call
that other work starved raises `Overloaded`, the grading machine's failure, never a verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from autograder.bilingual import Said, say
from autograder.engine.feedback import Failure, Label, ko
from autograder.engine.recording import StudentCall, record, recording_path
from autograder.results import Figures
from autograder.sandbox.client import ChildFailure, SandboxedSubmission
from autograder.sandbox.protocol import StepError

MAX_RESTARTS = 5


class ImportFailure(Failure):
    """The submission could not be imported: every test scores 0 with this one message."""


class Overloaded(Exception):
    """Other work on the grading machine kept the submission from a CPU past the wall-clock backstop.

    Not the student's failure: the judge stops, and the result is a grader failure that a
    batch grades again.
    """

    def __init__(self, detail: str):
        self.text = say(
            f"Not graded: the grading machine was overloaded ({detail}); it will be graded again.",
            f"채점하지 못했습니다: 채점 컴퓨터에 다른 작업이 너무 많았습니다 ({detail}). 다시 채점합니다.",
        )
        super().__init__(self.text.en)


class StudentProxy:
    def __init__(self, sandbox: SandboxedSubmission, module_file: str, budget: float):
        self._sandbox = sandbox
        self._module = module_file
        self._budget = budget  # seconds the whole submission may be charged (limits.wall_time)
        self.spent = 0.0  # seconds charged so far: the import and every call, time-outs included
        self.last_warnings: list[str] = []
        self.notes: list[Said] = []
        self.figures = Figures()  # the data behind the feedback page's pictures, filled by the suites
        self.import_failure: ImportFailure | None = None
        self._recording = recording_path()  # a coverage run of the project's tests (engine/recording.py)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)

    def has(self, name: str) -> bool:
        self._ensure_running()
        assert self._sandbox.hello is not None  # a running child has said hello
        return name in self._sandbox.hello.functions

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._request("call", name, args, kwargs)

    def drive(
        self,
        name: str,
        *,
        timeout: float | None = None,
        label: str | None = None,
        calls: Sequence[StudentCall] = (),
        **kwargs: Any,
    ) -> Any:
        """Run a sandbox-side driver (build, train, predict) and return its plain result.

        `label` names, in messages, the student's function the driver calls (e.g. "train()"); `calls` says what an
        assignment's own driver calls, for the call recording (engine/recording.py).
        """
        return self._request("drive", name, (), kwargs, timeout=timeout, label=label, calls=calls)

    # ---------------------------------------------------------------------------------
    def _request(
        self,
        op: Literal["call", "drive"],
        name: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        timeout: float | None = None,
        label: str | None = None,
        calls: Sequence[StudentCall] = (),
    ) -> Any:
        self._ensure_running()
        limit = timeout or self._sandbox.limits.call_time
        limit = min(limit, max(self._budget - self.spent, 0.1))
        label = label or f"{name}()"
        if self._recording is not None:
            record(self._recording, self._module, op, name, args, kwargs, calls)
        try:
            reply = self._sandbox.call(name, args, kwargs, op=op, timeout=limit)
        except ChildFailure as failure:
            self.spent += self._sandbox.last_charged
            if failure.cause == "overloaded":
                raise Overloaded(failure.detail) from None
            raise self._child_failure(label, failure, limit) from None
        self.spent += reply.charged
        self.last_warnings = reply.warnings
        if reply.ok:
            return reply.value
        error = reply.error
        assert error is not None  # a reply that is not ok carries its error (client.call makes it so)
        if error.type == "MissingFunction":
            raise Failure(
                f"{self._module} has no function named {name}; check the spelling and that it is defined at the top level.",
                f"{self._module}에 {name} 함수가 없습니다. 이름의 철자와 최상위(top level)에 정의했는지 확인하세요.",
                cause="missing",
            )
        if error.type == "NotImplementedError":
            raise Failure(
                f"{label} is not implemented yet (it raised NotImplementedError).",
                f"{ko(label)}이(가) 아직 구현되지 않았습니다 (NotImplementedError 발생).",
                cause="not_implemented",
            )
        if error.type == "MemoryError":
            raise Failure(
                f"{label} ran out of memory (limit {self._sandbox.limits.memory_mb} MB).",
                f"{ko(label)}의 메모리가 부족합니다 (제한 {self._sandbox.limits.memory_mb} MB).",
                cause="memory",
            )
        if error.type in ("BadReturn", "ReplyTooLarge"):
            raise Failure(
                f"{label} returned something that is not a number or an array: {error.message}",
                f"{ko(label)}이(가) 숫자나 배열이 아닌 값을 반환했습니다: {error.message}",
                cause="type",
            )
        where = _last_line(error.traceback)
        raise Failure(
            f"{label} raised {error.type}: {error.message}{where}",
            f"{ko(label)}에서 {error.type} 오류가 발생했습니다: {error.message}{ko(where)}",
            cause="exception",
        )

    def _ensure_running(self) -> None:
        if self.import_failure is not None:
            raise self.import_failure.with_traceback(None)  # the same failure for every test, its traceback never grown
        if self._sandbox.launching:  # launched early by the plugin: wait for its import
            self._await_start()
            return
        if self._sandbox.alive:
            return
        if self._sandbox.starts > MAX_RESTARTS:
            raise Failure(
                "Not graded: the submission crashed or timed out too many times.",
                "채점하지 못했습니다: 제출물이 너무 여러 번 멈추거나 시간 제한을 넘었습니다.",
                cause="crashed",
            )
        if self.spent >= self._budget:
            raise Failure(
                "Not graded: the submission used up its total time limit.",
                "채점하지 못했습니다: 제출물이 전체 시간 제한을 모두 사용했습니다.",
                cause="timeout",
            )
        if self._sandbox.starts == 1:
            self.notes.append(
                say(
                    "The submission's process was restarted after a crash or time-out; later tests ran in a fresh process.",
                    "멈추거나 시간 제한을 넘어 제출물의 프로세스를 다시 시작했습니다. 이후 테스트는 새 프로세스에서 실행했습니다.",
                )
            )
        self._await_start()

    def _await_start(self) -> None:
        """Start the child, or wait for the one launched, and take its hello (or its import failure)."""
        try:
            hello = self._sandbox.start()
        except ChildFailure as failure:
            if failure.cause == "overloaded":
                raise Overloaded(failure.detail) from None
            self.import_failure = self._import_failure_from_child(failure)
            raise self.import_failure from None
        finally:
            self.spent += self._sandbox.last_charged
        if not hello.ok:
            error = hello.error
            assert error is not None  # the runner sends its import error with ok false
            if error.type == "TimeLimit":  # the runner stopped the import itself, in time
                self.import_failure = self._slow_import(error.message)
                raise self.import_failure
            where = _last_line(error.traceback)
            self.import_failure = ImportFailure(
                f"{self._module} could not be imported: {error.type}: {error.message}{where}. Fix this first; no test could run.",
                f"{self._module}을(를) 불러올 수 없습니다: {error.type}: {error.message}{ko(where)}. 먼저 이 문제를 고치세요. 어떤 테스트도 실행할 수 없었습니다.",
                cause="import",
            )
            raise self.import_failure.with_traceback(None)
        for cell in hello.cell_errors[:10]:
            self.notes.append(_step_note(cell, self._module, self._sandbox.limits.import_time))

    def _import_failure_from_child(self, failure: ChildFailure) -> ImportFailure:
        if failure.cause == "timeout":
            return self._slow_import()
        return ImportFailure(
            f"{self._module} could not be imported: {failure.detail}.",
            f"{self._module}을(를) 불러올 수 없습니다: {failure.detail}.",
            cause="import",
        )

    def _slow_import(self, detail: str = "") -> ImportFailure:
        limit, why = self._sandbox.limits.import_time, f" ({detail})" if detail else ""
        return ImportFailure(
            f"Importing {self._module} took longer than {limit:g} s allows{why}; "
            "move slow work (training, downloads) out of the top level.",
            f"{self._module}을(를) 불러오는 데 {limit:g}초 넘게 걸렸습니다{why}. "
            "학습이나 다운로드 같은 느린 작업은 함수 안으로 옮기세요.",
            cause="import",
        )

    def _child_failure(self, label: str, failure: ChildFailure, limit: float) -> Failure:
        if failure.cause == "timeout":
            return Failure(
                f"{label} did not finish within {limit:g} s (time limit); look for an endless loop or very slow code.",
                f"{ko(label)}이(가) {limit:g}초 안에 끝나지 않았습니다 (시간 제한). 무한 루프나 매우 느린 코드가 있는지 확인하세요.",
                cause="timeout",
            )
        if failure.cause == "killed":
            return Failure(
                f"{label} was stopped: it most likely used more than {self._sandbox.limits.memory_mb} MB of memory.",
                f"{ko(label)}이(가) 강제로 중단되었습니다: 메모리를 {self._sandbox.limits.memory_mb} MB보다 많이 쓴 것 같습니다.",
                cause="memory",
            )
        if failure.cause in ("garbage", "too_large"):
            return Failure(
                f"{label} sent back something that is not plain numbers: {failure.detail}.",
                f"{ko(label)}이(가) 일반적인 숫자가 아닌 값을 돌려보냈습니다: {failure.detail}.",
                cause="garbage",
            )
        return Failure(
            f"{label} stopped the submission's process: {failure.detail} (exit(), os._exit() or a crash).",
            f"{ko(label)}이(가) 제출물의 프로세스를 멈췄습니다: {failure.detail} (exit(), os._exit() 또는 비정상 종료).",
            cause="crashed",
        )


def _step_note(step: StepError, module: str, import_time: float) -> Said:
    """One sentence for a notebook cell (or a top-level line of a .py) that failed or ran out of time while the rest ran."""
    first = str(step.get("first_line") or "")
    if "cell" in step:
        where = Label(
            f"Notebook cell {step['cell']}" + (f" ({first})" if first else ""),
            f"노트북 셀 {step['cell']}" + (f" ({first})" if first else ""),
        )
        rest = Label("the cells after it were still run", "그 뒤의 셀은 계속 실행했습니다")
    else:
        where = Label(f"Line {step.get('line')} of {module}", f"{module}의 {step.get('line')}번째 줄")
        rest = Label("the lines after it were still run", "그 뒤의 줄은 계속 실행했습니다")
    if step.get("type") == "TimeLimit":
        if str(step.get("message", "")).startswith("not run"):
            return say(
                f"{where} was not run: the {import_time:g} s for running the notebook's top level were used up.",
                f"{ko(where)}은(는) 실행하지 않았습니다: 최상위 코드를 실행하는 {import_time:g}초를 모두 썼습니다.",
            )
        seconds = float(step.get("seconds") or 0)
        if "cell" not in step:  # a .py has the whole import time: what follows the stopped line never ran
            return say(
                f"{where} was stopped after {seconds:.3g} s, when the {import_time:g} s for running the top level ran out, "
                "and the lines after it were not run; move slow work (training, downloads) into a function.",
                f"{ko(where)}은(는) 최상위 코드 실행 시간 {import_time:g}초를 다 써서 {seconds:.3g}초 뒤에 중단했고, "
                "그 뒤의 줄은 실행하지 않았습니다. 학습이나 다운로드 같은 느린 작업은 함수 안으로 옮기세요.",
            )
        return say(
            f"{where} was stopped after {seconds:.3g} s (a notebook cell may take a third of the {import_time:g} s "
            f"for running the top level); move slow experiments into a function or leave them out; {rest}.",
            f"{ko(where)}은(는) {seconds:.3g}초 뒤에 중단했습니다(노트북 셀 하나는 최상위 코드 실행 시간 {import_time:g}초의 "
            f"3분의 1까지 쓸 수 있습니다). 느린 실험은 함수 안으로 옮기거나 빼 주세요. {ko(rest)}.",
        )
    return say(
        f"{where} raised {step.get('type')}: {step.get('message')}; {rest}.",
        f"{ko(where)}에서 {step.get('type')} 오류가 발생했습니다: {step.get('message')}. {ko(rest)}.",
    )


def _last_line(trace: str) -> Label:
    """' (line N of file)' from the student's own innermost frame, if any, in both languages."""
    for line in reversed(trace.splitlines()):
        text = line.strip()
        if text.startswith("File "):
            parts = text.split(",")
            if len(parts) >= 2:
                file = parts[0].removeprefix("File ").strip('"').rsplit("/", 1)[-1]
                number = parts[1].strip().removeprefix("line ").strip()
                return Label(f" (line {number} of {file})", f" ({file}의 {number}번째 줄)")
    return Label("", "")
