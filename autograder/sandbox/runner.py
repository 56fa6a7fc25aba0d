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

import idleclock  # noqa: E402  (the copy beside this file)
import protocol  # noqa: E402

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
    config = json.loads(sys.argv[1])
    _CLOCK_OFFSET = time.monotonic() - _STARTED
    _CLOCK = idleclock.IdleClock(idleclock.own_tree, int(config.get("threads", 1)))
    requests, replies = _take_protocol_streams()
    _apply_limits(config["limits"])
    for name in config.get("preload", []):
        try:
            __import__(name)  # e.g. torch before tensorflow: the reverse order crashes
        except Exception:
            pass
    reply_limit = int(config["reply_bytes"])

    started = time.perf_counter()
    module, import_error, cell_errors = _import_submission(config)
    cell_errors = cell_errors[:50]
    hello = {
        "kind": "ready",
        "ok": import_error is None,
        "error": import_error,
        "cell_errors": cell_errors,
        "functions": sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        if module is not None
        else [],
        "import_seconds": round(time.perf_counter() - started, 3),
    }
    _send(replies, hello, reply_limit)

    drivers = None
    while True:
        body = protocol.read_frame(requests, limit=1 << 31)
        if body is None:
            return 0
        request = protocol.unpack(body, value_keys=("args", "kwargs"))
        if request.get("op") == "drive":
            if drivers is None:
                import drivers as drivers_module

                drivers = drivers_module
                drivers.PATHS = dict(config.get("paths", {}))  # where the inputs and work folders are
            target = getattr(drivers, "DRIVERS", {}).get(request.get("name"))
            if target is None:
                reply = _error_reply("GraderError", f"unknown driver {request.get('name')!r}", "")
            else:
                reply = _invoke(functools.partial(target, module), request)
        else:
            function = getattr(module, str(request.get("name")), None)
            if not callable(function):
                reply = {
                    "ok": False,
                    "error": {"type": "MissingFunction", "message": str(request.get("name")), "traceback": ""},
                }
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
    return _CLOCK_OFFSET + _CLOCK.read()  # type: ignore[union-attr,no-any-return]  # main() starts the clock first


def _on_alarm(signum: int, frame: types.FrameType | None) -> None:
    left = _ALARM_AT - _charged()
    if left > 0.01:  # other work held the CPU: this statement's time is not used up yet
        signal.setitimer(signal.ITIMER_REAL, left)
        return
    raise _TimeLimit()


def _import_submission(
    config: dict[str, Any],
) -> tuple[types.ModuleType | None, dict[str, Any] | None, list[dict[str, Any]]]:
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
    deadline = float(config.get("import_time", 30)) - IMPORT_MARGIN  # on the import's clock (_charged)
    share = float(config.get("import_time", 30)) * CELL_SHARE
    signal.signal(signal.SIGALRM, _on_alarm)
    errors: list[dict[str, Any]] = []
    try:
        if config.get("cells_path"):
            with open(config["cells_path"], encoding="utf-8") as handle:
                cells = json.load(handle)
            for cell in cells:
                where = {"cell": cell["number"], "first_line": _first_line(cell["source"])}
                try:
                    tree = ast.parse(cell["source"], f"<cell {cell['number']}>")
                except BaseException as err:  # a broken cell must not hide later ones
                    errors.append({**where, **_describe(err)})
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
                return None, {k: first[k] for k in ("type", "message", "traceback")}, []
    except BaseException as err:
        return None, _describe(err), errors
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return module, None, errors


def _run(
    tree: ast.Module, filename: str, module: types.ModuleType, budget: float, where: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each top-level statement of `tree` in the module, at most `budget` seconds in all; after a time-out,
    the rest of a cell is skipped (a .py's budget is the whole import time, so nothing is left there either)."""
    global _ALARM_AT
    import __future__

    flags = 0
    errors: list[dict[str, Any]] = []
    ends = _charged() + budget
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                feature = getattr(__future__, alias.name, None)
                flags |= feature.compiler_flag if feature is not None else 0
        limit = ends - _charged()
        here = where or {"line": node.lineno}
        if limit <= 0:
            errors.append(
                {**here, "type": "TimeLimit", "message": "not run: the time for importing was used up", "traceback": ""}
            )
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
            errors.append(
                {
                    **here,
                    "type": "TimeLimit",
                    "message": f"stopped after {limit:.3g} s",
                    "seconds": round(limit, 3),
                    "traceback": "",
                }
            )
            if where:
                break  # the rest of a cell that ran out of time is not run; the next cell is
        except BaseException as err:  # SystemExit, KeyboardInterrupt and input() at EOF included
            errors.append({**here, **_describe(err)})
    return errors


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.strip().startswith("#"):
            return line.strip()[:80]
    return ""


def _invoke(function: Callable[..., Any], request: dict[str, Any]) -> dict[str, Any]:
    args = request.get("args") or []
    kwargs = request.get("kwargs") or {}
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


def _describe(err: BaseException) -> dict[str, Any]:
    """Exception type, message and the student's own frames of the traceback."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if not f.filename.startswith(RUNNER_DIR)]
    trace = "".join(traceback.format_list(frames[-8:]))
    if isinstance(err, SyntaxError):
        trace += "".join(traceback.format_exception_only(type(err), err))
    message = str(err)
    if isinstance(err, SyntaxError):
        message = f"{err.msg} (line {err.lineno})"
    return {"type": type(err).__name__, "message": message[:1000], "traceback": trace[-_MAX_TRACE:]}


def _error_reply(kind: str, message: str, trace: str) -> dict[str, Any]:
    return {"ok": False, "error": {"type": kind, "message": message, "traceback": trace}}


def _send(stream: IO[bytes], reply: dict[str, Any], limit: int) -> None:
    try:
        frame = protocol.pack(
            {k: v for k, v in reply.items() if k != "value"}, {"value": reply["value"]} if "value" in reply else None
        )
    except Exception as err:
        frame = protocol.pack(_error_reply("BadReturn", str(err)[:500], ""))
    if len(frame) > limit:
        frame = protocol.pack(_error_reply("ReplyTooLarge", f"{len(frame)} bytes", ""))
    stream.write(frame)


if __name__ == "__main__":
    sys.exit(main())
