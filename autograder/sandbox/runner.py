"""The untrusted side: imports one submission and answers the parent's calls.

Runs inside the sandbox as `python -I runner.py CONFIG_JSON`. It trusts nothing it
imports and is trusted by nobody: the parent treats every byte it sends as a claim to be
checked. Limits are applied here before the submission is imported, hard and soft alike,
so the student's code cannot raise them again. Only the standard library and numpy.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import resource
import signal
import sys
import time
import traceback
import types
import warnings
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

RUNNER_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, RUNNER_DIR)

if TYPE_CHECKING:  # mypy checks the runner against the grader's own copies of its neighbours
    from autograder.sandbox import idleclock, protocol
else:
    import idleclock  # the copies beside this file
    import protocol

_MAX_TRACE = 3000
_STARTED = time.monotonic()
IMPORT_MARGIN = 1.0  # seconds left for the hello after the last cell: the runner stops itself before the judge gives up
CELL_SHARE = 1 / 3  # the most of the import time one notebook cell may take (a .py has the whole import time)
# The import's time is charged on an idle clock, as the parent charges calls (idleclock.py): a
# statement's alarm that rings while others held the CPU is set again for the time still due.
_CLOCK: idleclock.IdleClock | None = None
_CLOCK_OFFSET = 0.0  # wall seconds from the interpreter's start to the clock's
_ALARM_AT = 0.0  # the charge at which the running statement is stopped


def main() -> int:
    global _CLOCK, _CLOCK_OFFSET
    config: protocol.RunnerConfig = json.loads(sys.argv[1])
    _CLOCK_OFFSET = time.monotonic() - _STARTED
    _CLOCK = idleclock.IdleClock(idleclock.own_tree, config["threads"])
    requests, replies = _take_protocol_streams()
    _apply_limits(config["limits"])
    for name in config["preload"]:
        try:
            __import__(name)  # e.g. torch before tensorflow: the reverse order crashes
        except Exception:
            pass
    reply_limit = config["reply_bytes"]

    started = time.perf_counter()
    module, import_error, cell_errors = _import_submission(config)
    cell_errors = cell_errors[:50]
    hello: protocol.Ready = {
        "kind": "ready",
        "ok": import_error is None,
        "error": import_error,
        "cell_errors": cell_errors,
        "functions": sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        if module is not None
        else [],
        "import_seconds": round(time.perf_counter() - started, 3),
    }
    _send_ready(replies, hello, reply_limit)

    drivers = None
    while True:
        body = protocol.read_frame(requests, limit=1 << 31)
        if body is None:
            return 0
        request = protocol.unpack_request(body)
        reply: protocol.Reply
        if request["op"] == "drive":
            if drivers is None:
                import drivers as drivers_module

                drivers = drivers_module
                drivers.PATHS = dict(config["paths"])  # where the inputs and work folders are
            target: Callable[..., Any] | None = getattr(drivers, "DRIVERS", {}).get(request["name"])
            if target is None:
                reply = _error_reply("GraderError", f"unknown driver {request['name']!r}", "")
            else:
                reply = _invoke(functools.partial(target, module), request)
        else:
            function = getattr(module, request["name"], None)
            if not callable(function):
                reply = _error_reply("MissingFunction", request["name"], "")
            else:
                reply = _invoke(function, request)
        _send(replies, reply, reply_limit)


def _take_protocol_streams() -> tuple[IO[bytes], IO[bytes]]:
    """Keep the real stdin/stdout for the protocol; the student's prints go to stderr."""
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    return requests, replies


def _apply_limits(limits: dict[str, Any]) -> None:
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))


class _TimeLimit(BaseException):
    """A notebook cell ran past its share of the import time, or a .py past the whole."""


class _NoIPython:
    """What a notebook's .py export calls (get_ipython().system("pip install ..."), run_line_magic): nothing here."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


def _charged() -> float:
    """Import seconds charged so far, from the interpreter's start (idle-machine seconds)."""
    return _CLOCK_OFFSET + _CLOCK.read()  # type: ignore[union-attr]  # main() starts the clock first


def _on_alarm(signum: int, frame: types.FrameType | None) -> None:
    left = _ALARM_AT - _charged()
    if left > 0.01:  # other work held the CPU: this statement's time is not used up yet
        signal.setitimer(signal.ITIMER_REAL, left)
        return
    raise _TimeLimit()


def _import_submission(
    config: protocol.RunnerConfig,
) -> tuple[types.ModuleType | None, protocol.ErrorInfo | None, list[protocol.StepError]]:
    """Import the student's file, or run a notebook's cells into a module, one top-level statement at a time.

    A statement that fails is recorded and the next one runs, so `import pandas` failing does not
    leave `np` undefined, and a slow experiment cell is stopped at its time share (and named)
    while everything before and after it is still defined. Returns (module, import error, errors):
    a .py whose statements failed and defined no function at all is an import error.
    """
    name = config["module_name"]
    module = types.ModuleType(name)
    module.__file__ = config["module_path"]
    sys.modules[name] = module
    sys.path.insert(0, os.path.dirname(config["module_path"]))
    import builtins

    builtins.get_ipython = _NoIPython  # type: ignore[attr-defined]  # a Colab "Download .py" keeps its get_ipython() lines
    deadline = config["import_time"] - IMPORT_MARGIN  # on the import's clock (_charged)
    share = config["import_time"] * CELL_SHARE
    signal.signal(signal.SIGALRM, _on_alarm)
    errors: list[protocol.StepError] = []
    try:
        if config["cells_path"]:
            with open(config["cells_path"], encoding="utf-8") as handle:
                cells: list[protocol.Cell] = json.load(handle)
            for cell in cells:
                where: protocol.Place = {"cell": cell["number"], "first_line": _first_line(cell["source"])}
                try:
                    tree = ast.parse(cell["source"], f"<cell {cell['number']}>")
                except BaseException as err:  # a broken cell must not hide later ones
                    errors.append(_step_error(where, _describe(err)))
                    continue
                errors += _run(tree, f"<cell {cell['number']}>", module, min(share, deadline - _charged()), where)
        else:
            with open(config["module_path"], "rb") as handle:
                source = handle.read()
            tree = ast.parse(source, config["module_path"])
            errors += _run(tree, config["module_path"], module, deadline - _charged(), {})
            defined = [
                v
                for k, v in vars(module).items()
                if callable(v) and not k.startswith("_") and not isinstance(v, type(sys))
            ]
            if errors and not defined:
                first = errors[0]
                return None, {"type": first["type"], "message": first["message"], "traceback": first["traceback"]}, []
    except BaseException as err:
        return None, _describe(err), errors
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return module, None, errors


def _run(
    tree: ast.Module, filename: str, module: types.ModuleType, budget: float, where: protocol.Place
) -> list[protocol.StepError]:
    """Each top-level statement of `tree` in the module, at most `budget` seconds in all; after a time-out,
    the rest of a cell is skipped (a .py's budget is the whole import time, so nothing is left there either)."""
    global _ALARM_AT
    import __future__

    flags = 0
    errors: list[protocol.StepError] = []
    ends = _charged() + budget
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                feature = getattr(__future__, alias.name, None)
                flags |= feature.compiler_flag if feature is not None else 0
        limit = ends - _charged()
        here: protocol.Place = where or {"line": node.lineno}
        if limit <= 0:
            errors.append(_step_error(here, _time_limit("not run: the time for importing was used up")))
            break
        try:
            code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True)
            _ALARM_AT = ends
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                exec(code, module.__dict__)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _TimeLimit:
            stopped = _step_error(here, _time_limit(f"stopped after {limit:.3g} s"))
            stopped["seconds"] = round(limit, 3)
            errors.append(stopped)
            if where:
                break  # the rest of a cell that ran out of time is not run; the next cell is
        except BaseException as err:  # SystemExit, KeyboardInterrupt and input() at EOF included
            errors.append(_step_error(here, _describe(err)))
    return errors


def _step_error(place: protocol.Place, error: protocol.ErrorInfo) -> protocol.StepError:
    step: protocol.StepError = {"type": error["type"], "message": error["message"], "traceback": error["traceback"]}
    if "cell" in place:
        step["cell"] = place["cell"]
    if "first_line" in place:
        step["first_line"] = place["first_line"]
    if "line" in place:
        step["line"] = place["line"]
    return step


def _time_limit(message: str) -> protocol.ErrorInfo:
    return {"type": "TimeLimit", "message": message, "traceback": ""}


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.strip().startswith("#"):
            return line.strip()[:80]
    return ""


def _invoke(function: Callable[..., Any], request: protocol.Request) -> protocol.Reply:
    args, kwargs = request["args"], request["kwargs"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = function(*args, **kwargs)
        except BaseException as err:  # SystemExit and KeyboardInterrupt included
            return {"ok": False, "error": _describe(err)}
    found = [f"{w.category.__name__}: {w.message}"[:300] for w in caught[:20]]
    try:
        plain = to_plain(value)
    except Exception as err:
        return {
            "ok": False,
            "error": {"type": "BadReturn", "message": str(err)[:500], "traceback": ""},
            "warnings": found,
        }
    return {"ok": True, "value": plain, "warnings": found}


def to_plain(value: object, depth: int = 0) -> Any:
    """Turn tensors and array-likes into numpy; leave plain Python values alone."""
    if depth > protocol.MAX_DEPTH:
        raise ValueError("the value is nested too deeply")
    import numpy as np

    if value is None or isinstance(value, (bool, int, float, str, np.ndarray, np.generic)):
        if isinstance(value, np.ndarray) and value.dtype == object:
            return _object_array(value)
        return value
    if isinstance(value, tuple):
        return tuple(to_plain(v, depth + 1) for v in value)
    if isinstance(value, list):
        try:
            array = np.asarray(value)
        except Exception:
            array = None
        if array is not None and array.dtype.kind in "biuf" and array.size > 8:
            return array
        return [to_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v, depth + 1) for k, v in value.items()}
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # torch.Tensor
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy") and callable(value.numpy):  # tensorflow tensors
        return np.asarray(value.numpy())
    if hasattr(value, "__array__"):
        return _object_array(np.asarray(value))
    raise ValueError(f"returned an object of type {type(value).__name__}, which is not a number, array or tuple")


def _object_array(array: np.ndarray) -> np.ndarray:
    import numpy as np

    if array.dtype != object:
        return array
    try:
        return np.asarray(array.tolist(), dtype=float)
    except Exception:
        raise ValueError("returned an array of Python objects instead of numbers") from None


def _describe(err: BaseException) -> protocol.ErrorInfo:
    """Exception type, message and the student's own frames of the traceback."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if not f.filename.startswith(RUNNER_DIR)]
    trace = "".join(traceback.format_list(frames[-8:]))
    if isinstance(err, SyntaxError):
        trace += "".join(traceback.format_exception_only(type(err), err))
    message = str(err)
    if isinstance(err, SyntaxError):
        message = f"{err.msg} (line {err.lineno})"
    return {"type": type(err).__name__, "message": message[:1000], "traceback": trace[-_MAX_TRACE:]}


def _error_reply(kind: str, message: str, trace: str) -> protocol.Raised:
    return {"ok": False, "error": {"type": kind, "message": message, "traceback": trace}}


def _send_ready(stream: IO[bytes], ready: protocol.Ready, limit: int) -> None:
    def failed(error: protocol.ErrorInfo) -> bytes:
        return protocol.pack_ready(
            {"kind": "ready", "ok": False, "error": error, "cell_errors": [], "functions": [], "import_seconds": 0.0}
        )

    stream.write(_sendable(lambda: protocol.pack_ready(ready), failed, limit))


def _send(stream: IO[bytes], reply: protocol.Reply, limit: int) -> None:
    stream.write(
        _sendable(
            lambda: protocol.pack_reply(reply), lambda error: protocol.pack_reply({"ok": False, "error": error}), limit
        )
    )


def _sendable(pack: Callable[[], bytes], failed: Callable[[protocol.ErrorInfo], bytes], limit: int) -> bytes:
    """The message's frame; one that cannot be sent (not plain data, or too large) goes as the error that says why."""
    try:
        frame = pack()
    except Exception as err:
        frame = failed({"type": "BadReturn", "message": str(err)[:500], "traceback": ""})
    if len(frame) > limit:
        frame = failed({"type": "ReplyTooLarge", "message": f"{len(frame)} bytes", "traceback": ""})
    return frame


if __name__ == "__main__":
    sys.exit(main())
