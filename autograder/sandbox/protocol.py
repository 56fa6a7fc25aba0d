"""The wire format between the trusted parent and the untrusted child: plain data only.

A message is a frame: an 8-byte big-endian length, then that many bytes holding a
JSON header line and the raw array blobs it references. Values are a small tagged tree
(int, float, bool, str, None, list, tuple, dict with str keys, ndarray); an array travels as
its C-ordered bytes, its dtype and its shape named in the header, and is read back only as a
plain numeric or text dtype whose size matches the bytes exactly (never an object, a record
or a pickle), so no bytes from the child can ever run code in the parent. Parsing numpy's
.npy header instead costs an `ast.literal_eval` a value, a fifth of a small call. This file is copied into the sandbox, so it imports only the
standard library and numpy.
"""

from __future__ import annotations

import json
import math
import struct
from typing import IO, Any, TypeVar

import numpy as np

HEADER = struct.Struct(">Q")
MAX_DEPTH = 32
_NUMERIC_KINDS = "biufc"
_T = TypeVar("_T")


class ProtocolError(Exception):
    """A message that is not well-formed plain data (too big, too deep, or garbage)."""


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


def pack(message: dict[str, Any], values: dict[str, Any] | None = None) -> bytes:
    """One frame: a JSON header (with encoded `values`) followed by its blobs."""
    blobs: list[bytes] = []
    header = dict(message)
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
