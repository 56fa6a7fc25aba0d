"""The wire format between the trusted parent and the untrusted child: plain data only.

A message is a frame: an 8-byte big-endian length, then that many bytes holding a
JSON header line and the raw array blobs it references. Values are a small tagged tree
(int, float, bool, str, None, list, tuple, dict with str keys, ndarray); an array travels as
its C-ordered bytes, its dtype and its shape named in the header, and is read back only as a
plain numeric or text dtype whose size matches the bytes exactly (never an object, a record
or a pickle), so no bytes from the child can ever run code in the parent. Parsing numpy's
.npy header instead costs an `ast.literal_eval` a value, a fifth of a small call.

Every message has one shape, a TypedDict below, which mypy checks both ends against: the runner's config,
a notebook's cells, the parent's requests, the child's hello (`Ready`) and its replies (`Returned`, `Raised`).
The parent reads the child's messages through `unpack_ready` and `unpack_reply`, which check every field before
any use: a message of another shape is a ProtocolError, like bytes that are not plain data. This file is copied
into the sandbox, so it imports only the standard library and numpy.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping
from typing import IO, Any, Literal, NotRequired, TypedDict, TypeVar

import numpy as np

HEADER = struct.Struct(">Q")
MAX_DEPTH = 32
_NUMERIC_KINDS = "biufc"
_T = TypeVar("_T")


class ProtocolError(Exception):
    """A message that is not well-formed plain data (too big, too deep, or garbage)."""


# -- the messages: one shape each, which mypy checks the parent (client.py) and the child (runner.py) against ----------


class Cell(TypedDict):
    """A notebook code cell as the runner runs it (from __cells__.json): its number among the code cells, its code."""

    number: int
    source: str


class RunnerConfig(TypedDict):
    """The runner's command line: what to import from where, under which limits."""

    module_name: str
    module_path: str
    cells_path: str | None  # None: a .py, imported whole
    limits: dict[str, int]  # resource.RLIMIT_* name -> the hard and soft limit
    reply_bytes: int
    import_time: float
    threads: int  # for the runner's idle clock
    preload: list[str]  # modules imported before the submission (torch before tensorflow)
    paths: dict[str, str]  # the child's view of its folders ("submission", "work", "inputs", ...)


class Request(TypedDict):
    """A call the parent asks of the child: a function of the submission, or a driver (drivers.py) around it."""

    op: Literal["call", "drive"]
    name: str
    args: list[Any]
    kwargs: dict[str, Any]


class ErrorInfo(TypedDict):
    """An exception raised in the child: its type's name, its message and the student's own frames."""

    type: str
    message: str
    traceback: str


class Place(TypedDict, total=False):
    """Where in the submission a step ran: a top-level line of a .py (`line`) or a notebook cell (`cell`, `first_line`)."""

    cell: int
    first_line: str
    line: int


class StepError(ErrorInfo, Place):
    """A step that raised, or that ran out of time (type "TimeLimit", after `seconds`), while the rest was run."""

    seconds: NotRequired[float]


class Ready(TypedDict):
    """The child's first message: whether the submission imported, and the functions it defines."""

    kind: Literal["ready"]
    ok: bool
    error: ErrorInfo | None  # why the import failed, with ok false
    cell_errors: list[StepError]
    functions: list[str]
    import_seconds: float


class Returned(TypedDict):
    """A call's answer: the plain value the function returned (decoded from the frame's blobs)."""

    ok: Literal[True]
    value: Any
    warnings: list[str]


class Raised(TypedDict):
    """A call that raised, or whose answer could not be sent (BadReturn, ReplyTooLarge, MissingFunction)."""

    ok: Literal[False]
    error: ErrorInfo
    warnings: NotRequired[list[str]]


Reply = Returned | Raised


def encode_value(value: object, blobs: list[bytes], depth: int = 0) -> dict[str, Any]:
    """Turn a Python value into a JSON-safe tagged tree; arrays go to `blobs` as .npy."""
    if depth > MAX_DEPTH:
        raise ProtocolError("value is nested too deeply")
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": str(int(value))}
    if isinstance(value, float):
        return {"t": "float", "v": repr(float(value))}
    if isinstance(value, str):
        return {"t": "str", "v": str(value)}
    if isinstance(value, (np.ndarray, np.generic)):
        return _encode_array(np.asarray(value), blobs)
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [encode_value(v, blobs, depth + 1) for v in value]}
    if isinstance(value, list):
        return {"t": "list", "v": [encode_value(v, blobs, depth + 1) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ProtocolError("dictionary keys must be strings")
        return {"t": "dict", "v": {str(k): encode_value(v, blobs, depth + 1) for k, v in value.items()}}
    raise ProtocolError(f"cannot send a value of type {type(value).__name__}")


def _encode_array(array: np.ndarray, blobs: list[bytes]) -> dict[str, Any]:
    if array.dtype.kind not in _NUMERIC_KINDS + "U":
        raise ProtocolError(f"cannot send an array of dtype {array.dtype}")
    blobs.append(np.ascontiguousarray(array).tobytes())
    return {"t": "nd", "i": len(blobs) - 1, "d": array.dtype.str, "s": [int(n) for n in array.shape]}  # 0-d stays 0-d


def decode_value(node: object, blobs: list[bytes], depth: int = 0) -> Any:
    """Rebuild a value from its tagged tree; anything unexpected is a ProtocolError."""
    if depth > MAX_DEPTH:
        raise ProtocolError("value is nested too deeply")
    if not isinstance(node, dict) or not isinstance(node.get("t"), str):
        raise ProtocolError("malformed value")
    tag = node["t"]
    if tag == "none":
        return None
    if tag == "bool":
        return _typed(node.get("v"), bool)
    if tag == "int":
        text = _typed(node.get("v"), str)
        if len(text) > 4000:
            raise ProtocolError("integer is too long")
        return int(text)
    if tag == "float":
        text = _typed(node.get("v"), str)
        number = float(text)
        return number if not math.isnan(number) else math.nan
    if tag == "str":
        return _typed(node.get("v"), str)
    if tag == "nd":
        index = _typed(node.get("i"), int)
        if not 0 <= index < len(blobs):
            raise ProtocolError("array reference out of range")
        return _decode_array(blobs[index], node.get("d"), node.get("s"))
    if tag in ("list", "tuple"):
        items = [decode_value(v, blobs, depth + 1) for v in _typed(node.get("v"), list)]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        mapping = _typed(node.get("v"), dict)
        return {str(k): decode_value(v, blobs, depth + 1) for k, v in mapping.items()}
    raise ProtocolError(f"unknown value tag {tag!r}")


def _typed(value: object, kind: type[_T]) -> _T:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProtocolError("malformed value")
    return value


def _decode_array(blob: bytes, dtype_name: object, shape: object) -> np.ndarray:
    if not isinstance(dtype_name, str) or len(dtype_name) > 16 or not isinstance(shape, list) or len(shape) > MAX_DEPTH:
        raise ProtocolError("malformed array")
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise ProtocolError("malformed array shape")
    try:
        dtype = np.dtype(dtype_name)
    except Exception:  # any parse failure of an untrusted name is just garbage
        raise ProtocolError("unreadable array dtype") from None
    if (
        dtype.kind not in _NUMERIC_KINDS + "U"
        or dtype.hasobject
        or dtype.fields is not None
        or dtype.subdtype is not None
    ):
        raise ProtocolError("array of an unsupported dtype")
    if math.prod(shape) * dtype.itemsize != len(blob):
        raise ProtocolError("array size does not match its bytes")
    return np.frombuffer(blob, dtype=dtype).reshape(shape).copy()  # a writable array of its own


def pack(message: Mapping[str, object], values: Mapping[str, object] | None = None) -> bytes:
    """One frame: a JSON header (with encoded `values`) followed by its blobs."""
    blobs: list[bytes] = []
    header: dict[str, object] = dict(message)
    for key, value in (values or {}).items():
        header[key] = encode_value(value, blobs)
    header["blobs"] = [len(b) for b in blobs]
    head = json.dumps(header, allow_nan=False).encode("utf-8") + b"\n"
    body = head + b"".join(blobs)
    return HEADER.pack(len(body)) + body


def unpack(body: bytes, value_keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """Parse a frame body; keys in `value_keys` are decoded into Python values."""
    newline = body.find(b"\n")
    if newline < 0:
        raise ProtocolError("frame has no header")
    try:
        header = json.loads(body[:newline].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ProtocolError("frame header is not JSON") from None
    if not isinstance(header, dict):
        raise ProtocolError("frame header is not an object")
    sizes = header.get("blobs", [])
    if not isinstance(sizes, list) or not all(isinstance(s, int) and s >= 0 for s in sizes):
        raise ProtocolError("malformed blob table")
    blobs, offset = [], newline + 1
    for size in sizes:
        blobs.append(body[offset : offset + size])
        offset += size
    if offset != len(body):
        raise ProtocolError("frame length does not match its blob table")
    for key in value_keys:
        if key in header:
            header[key] = decode_value(header[key], blobs)
    return header


def pack_request(request: Request) -> bytes:
    return pack({"op": request["op"], "name": request["name"]}, {"args": request["args"], "kwargs": request["kwargs"]})


def unpack_request(body: bytes) -> Request:
    """A request as the child reads it: the parent is trusted, so its fields are taken as sent."""
    header = unpack(body, ("args", "kwargs"))
    return {"op": header["op"], "name": header["name"], "args": header["args"], "kwargs": header["kwargs"]}


def pack_ready(ready: Ready) -> bytes:
    return pack(ready)


def pack_reply(reply: Reply) -> bytes:
    """A call's answer; a returned value travels as a tagged tree and its blobs."""
    if reply["ok"]:
        return pack({"ok": True, "warnings": reply["warnings"]}, {"value": reply["value"]})
    return pack(reply)


def unpack_ready(body: bytes) -> Ready:
    """The child's first message, checked field by field: anything else is a ProtocolError."""
    header = unpack(body)
    if header.get("kind") != "ready":
        raise ProtocolError("the first message is not the submission's hello")
    error = header.get("error")
    return {
        "kind": "ready",
        "ok": _field(header, "ok", bool),
        "error": None if error is None else _error_info(error, "error"),
        "cell_errors": [_step_error(step) for step in _field(header, "cell_errors", list)],
        "functions": _strings(header, "functions"),
        "import_seconds": _number(header.get("import_seconds"), "import_seconds"),
    }


def unpack_reply(body: bytes) -> Reply:
    """A call's answer, checked field by field (its value is decoded, any plain data): else a ProtocolError."""
    header = unpack(body, ("value",))
    if _field(header, "ok", bool):
        if "value" not in header:
            raise ProtocolError("the answer has no value")
        return {"ok": True, "value": header["value"], "warnings": _strings(header, "warnings")}
    raised: Raised = {"ok": False, "error": _error_info(header.get("error"), "error")}
    if "warnings" in header:
        raised["warnings"] = _strings(header, "warnings")
    return raised


def _field(message: dict[str, Any], key: str, kind: type[_T]) -> _T:
    value = message.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProtocolError(f"{key!r} is not a {kind.__name__}")
    return value


def _number(value: object, key: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ProtocolError(f"{key!r} is not a number")
    return float(value)


def _strings(message: dict[str, Any], key: str) -> list[str]:
    values = _field(message, key, list)
    if not all(isinstance(value, str) for value in values):
        raise ProtocolError(f"{key!r} is not a list of strings")
    return values


def _error_info(value: object, key: str) -> ErrorInfo:
    if not isinstance(value, dict):
        raise ProtocolError(f"{key!r} is not an error")
    return {
        "type": _field(value, "type", str),
        "message": _field(value, "message", str),
        "traceback": _field(value, "traceback", str),
    }


def _step_error(value: object) -> StepError:
    if not isinstance(value, dict):
        raise ProtocolError("'cell_errors' holds something that is not an error")
    info = _error_info(value, "cell_errors")
    step: StepError = {"type": info["type"], "message": info["message"], "traceback": info["traceback"]}
    if "cell" in value:
        step["cell"] = _field(value, "cell", int)
    if "first_line" in value:
        step["first_line"] = _field(value, "first_line", str)
    if "line" in value:
        step["line"] = _field(value, "line", int)
    if "seconds" in value:
        step["seconds"] = _number(value["seconds"], "seconds")
    return step


def read_frame(stream: IO[bytes], limit: int) -> bytes | None:
    """Read one frame body from a blocking binary stream; None at end of stream."""
    head = _read_exactly(stream, HEADER.size)
    if head is None:
        return None
    (size,) = HEADER.unpack(head)
    if size > limit:
        raise ProtocolError(f"message of {size} bytes is over the limit of {limit} bytes")
    body = _read_exactly(stream, size)
    if body is None:
        raise ProtocolError("message was cut off")
    return body


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
