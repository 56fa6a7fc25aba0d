"""What the hidden suites send to a submission: one line per call, for the project's coverage test.

With AUTOGRADER_RECORD_CALLS=FILE in the grader's environment, the judge appends to FILE
one JSON line per call into student code: the student's function (a driver call is
mapped to the functions it calls in the sandbox: an assignment's own driver by what the
test that drives it declares, `StudentCall`), each argument by position or keyword
with its input classes ("float32 array", "python int", "PIL RGB image", ...), and the
value of plain scalars. tests/test_suite_coverage.py compares the record with the
signatures in COURSE.md, so a parameter or an input class no hidden test sends shows up.

AUTOGRADER_SELECT_TESTS=EXPR (pytest's -k) narrows a recording run to some tests, say the
cell steps of an assignment whose other tests train for minutes. It is ignored unless
recording is on, so it can never change a real grade. Grading is otherwise unchanged and
nothing here reaches the student.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

RECORD_ENV = "AUTOGRADER_RECORD_CALLS"
SELECT_ENV = "AUTOGRADER_SELECT_TESTS"
STRONG_COLOUR = 60  # mean spread (max − min channel, grey levels) from which a colour photo counts as strongly coloured


@dataclass(frozen=True)
class Made:
    """An argument the sandbox makes itself (a model, a tensor, a generator), named by its input classes."""

    classes: tuple[str, ...]


@dataclass(frozen=True)
class StudentCall:
    """A call an assignment's own driver makes into the student's module, as the hidden test that runs it declares.

    The recording cannot see inside the sandbox, so a test that drives one of its assignment's drivers
    (drivers.py in its folder) says what the driver calls: `args` and `kwargs` are the values the driver passes
    on, or `Made` for what it makes itself.
    """

    function: str
    args: tuple[object, ...] = ()
    kwargs: Mapping[str, object] = field(default_factory=dict)


def recording_path() -> Path | None:
    value = os.environ.get(RECORD_ENV)
    return Path(value) if value else None


def selected_tests() -> str | None:
    """The -k expression of a recording run; None outside recording runs."""
    return (os.environ.get(SELECT_ENV) or None) if recording_path() else None


def input_classes(value: object) -> list[str]:
    """The classes of one argument as the sandbox receives it, e.g. ["float32 array", "empty"], ["python float"],
    ["uint8 array", "colour image"] (in the order of sandbox/protocol.py's encode_value)."""
    if value is None:
        return ["None"]
    if isinstance(value, bool):
        return ["python bool"]
    if isinstance(value, int):
        return ["python int"]
    if isinstance(value, float):
        return ["python float"]
    if isinstance(value, str):
        return ["str"]
    if isinstance(value, (list, tuple)):
        return ["list" if isinstance(value, list) else "tuple"] + (["empty"] if len(value) == 0 else [])
    if isinstance(
        value, (np.ndarray, np.generic)
    ):  # a numpy scalar arrives as a 0-d array (np.float64: a Python float)
        return _array_classes(np.asarray(value))
    return [type(value).__name__]


def _array_classes(array: np.ndarray) -> list[str]:
    kind = array.dtype
    if kind == np.bool_:
        name = "bool array"
    elif kind == np.uint8:
        name = "uint8 array"
    elif kind.kind in "iu":
        name = "int array"
    elif kind in (np.float32, np.float64):
        name = f"{kind} array"
    else:
        name = f"{kind} array"
    classes = [name]
    if array.ndim == 0:
        classes.append("0-d")
    if array.size == 0:
        classes.append("empty")
    if kind == np.uint8:
        classes += image_classes(array)
    return classes


def image_classes(pixels: np.ndarray) -> list[str]:
    """ "grey image" (H, W), or "colour image" (H, W, 3) and, when its channels differ a lot, "strongly coloured image"."""
    if pixels.ndim == 2:
        return ["grey image"]
    if pixels.ndim == 3 and pixels.shape[-1] == 3 and pixels.size:
        spread = float(np.mean(pixels.max(axis=-1).astype(np.int16) - pixels.min(axis=-1)))
        return ["colour image"] + (["strongly coloured image"] if spread >= STRONG_COLOUR else [])
    return []


def _argument(value: object) -> dict[str, Any]:
    if isinstance(value, Made):
        return {"classes": list(value.classes)}
    entry: dict[str, Any] = {"classes": input_classes(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        entry["value"] = value
    return entry


def pil_image(pixels: object, mode: str) -> Made:
    """The PIL image a driver makes of `pixels` in `mode`, by its input classes."""
    classes = ["PIL image", f"PIL {mode} image"]
    if mode == "L":
        classes.append("grey image")
    elif mode == "RGB":
        classes += image_classes(np.asarray(pixels, dtype=np.uint8))
    return Made(tuple(classes))


_MODEL = {"classes": ["model"]}


def student_calls(
    op: str, name: str, args: Sequence[object], kwargs: Mapping[str, Any], declared: Sequence[StudentCall] = ()
) -> list[tuple[str, list[dict[str, Any]], dict[str, dict[str, Any]]]]:
    """(function, positional arguments, keyword arguments) the call runs in the sandbox, each argument described.

    A call runs what it names; an assignment's own driver runs what its test `declared`; the sandbox's shared
    drivers (sandbox/drivers.py) run what every model assignment defines (build_model, train, predict).
    """
    if op == "call":
        return [(name, [_argument(a) for a in args], {k: _argument(v) for k, v in kwargs.items()})]
    if declared:
        return [
            (call.function, [_argument(a) for a in call.args], {k: _argument(v) for k, v in call.kwargs.items()})
            for call in declared
        ]
    if name == "call_catching":
        return [
            (
                kwargs["function"],
                [_argument(a) for a in kwargs.get("args") or []],
                {k: _argument(v) for k, v in (kwargs.get("kwargs") or {}).items()},
            )
        ]
    if name == "model_build":
        return [("build_model", [], {k: _argument(v) for k, v in (kwargs.get("kwargs") or {}).items()})]
    if name == "model_train":
        return [
            (
                "train",
                [_MODEL] + [{"classes": ["float32 array"]}, {"classes": ["int array"]}] * 2 + [{"classes": ["str"]}],
                {},
            )
        ]
    if name in ("model_predict", "model_reload_predict", "model_scrambled_predict", "model_checkpoint"):
        return [("predict", [_MODEL, {"classes": ["float32 array"]}], {})]
    return []  # drivers that call nothing of the student's (model_logs)


def record(
    path: Path,
    module: str,
    op: str,
    name: str,
    args: Sequence[object],
    kwargs: Mapping[str, Any],
    declared: Sequence[StudentCall] = (),
) -> None:
    """Append the call's lines to `path`: the submission's module, the test that made the call and pytest's phase
    ("call", "teardown"), then the student's function and its arguments."""
    test, _, phase = os.environ.get("PYTEST_CURRENT_TEST", "").partition(" ")
    with open(path, "a", encoding="utf-8") as stream:
        for function, positional, keywords in student_calls(op, name, args, kwargs, declared):
            line = {
                "module": module,
                "test": test,
                "phase": phase.strip("()"),
                "function": function,
                "args": positional,
                "kwargs": keywords,
            }
            stream.write(json.dumps(line) + "\n")
