"""Does the parent read every message of the child through its declared shape, and refuse any other shape?

The child runs the student's code, so each message it sends is a claim (autograder/sandbox/protocol.py). A
submission can write to the reply pipe itself; a message of the wrong shape must end as the same clear failure
as bytes that are not plain data (cause "garbage"), never as a KeyError or TypeError in the judge.
"""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest

from autograder.config import load_config
from autograder.sandbox import protocol
from autograder.sandbox.client import ChildFailure, SandboxedSubmission
from tests.support import DEMO_CONFIG

READY = {
    "kind": "ready",
    "ok": True,
    "error": None,
    "cell_errors": [
        {"type": "TimeLimit", "message": "stopped after 3 s", "traceback": "", "cell": 2, "first_line": "fit()"},
        {"type": "ImportError", "message": "no pandas", "traceback": "", "line": 1},
    ],
    "functions": ["mean", "square"],
    "import_seconds": 0.25,
}
RAISED = {"ok": False, "error": {"type": "ValueError", "message": "bad x", "traceback": 'File "demo.py", line 3'}}
NONE = {"t": "none"}  # a value as it travels: a tagged tree


def body(header: dict) -> bytes:
    """A frame's body with no blobs: its JSON header line."""
    return json.dumps({**header, "blobs": []}).encode() + b"\n"


def test_each_message_comes_back_as_it_was_sent():
    assert protocol.unpack_ready(protocol.pack_ready(READY)[protocol.HEADER.size :]) == READY
    assert protocol.unpack_reply(protocol.pack_reply(RAISED)[protocol.HEADER.size :]) == RAISED
    returned = protocol.unpack_reply(
        protocol.pack_reply({"ok": True, "value": (np.arange(3.0), "x"), "warnings": ["UserWarning: w"]})[8:]
    )
    assert returned["ok"] and returned["warnings"] == ["UserWarning: w"]
    np.testing.assert_array_equal(returned["value"][0], np.arange(3.0))
    request = {"op": "drive", "name": "model_train", "args": [1], "kwargs": {"seed": 3}}
    assert protocol.unpack_request(protocol.pack_request(request)[8:]) == request


@pytest.mark.parametrize(
    "change, named",
    [
        ({"kind": "reply"}, "hello"),
        ({"ok": "yes"}, "'ok'"),
        ({"error": "it broke"}, "'error'"),
        ({"error": {"type": "ImportError", "message": "no numpy"}}, "'traceback'"),
        ({"cell_errors": None}, "'cell_errors'"),
        ({"cell_errors": ["cell 3 broke"]}, "'cell_errors'"),
        ({"cell_errors": [{**READY["cell_errors"][0], "cell": "3"}]}, "'cell'"),
        ({"cell_errors": [{**READY["cell_errors"][0], "seconds": "3"}]}, "'seconds'"),
        ({"functions": 5}, "'functions'"),
        ({"functions": ["square", 5]}, "'functions'"),
        ({"import_seconds": "soon"}, "'import_seconds'"),
        ({"import_seconds": float("nan")}, "'import_seconds'"),
    ],
)
def test_a_hello_of_another_shape_is_refused(change, named):
    with pytest.raises(protocol.ProtocolError, match=named):
        protocol.unpack_ready(body({**READY, **change}))


@pytest.mark.parametrize(
    "header, named",
    [
        ({"value": NONE, "warnings": []}, "'ok'"),
        ({"ok": 1, "value": NONE, "warnings": []}, "'ok'"),
        ({"ok": True, "warnings": []}, "value"),
        ({"ok": True, "value": NONE, "warnings": "careful"}, "'warnings'"),
        ({"ok": True, "value": NONE}, "'warnings'"),
        ({"ok": False}, "'error'"),
        ({**RAISED, "error": {**RAISED["error"], "type": 1}}, "'type'"),
        ({**RAISED, "warnings": [None]}, "'warnings'"),
    ],
)
def test_a_reply_of_another_shape_is_refused(header, named):
    with pytest.raises(protocol.ProtocolError, match=named):
        protocol.unpack_reply(body(header))


# A submission that writes a frame of its own to the reply pipe (the only write-only pipe past stderr), then waits.
FORGES = """
import fcntl, json, os, stat, struct, time

def forge(header):
    frame = json.dumps({**header, "blobs": []}).encode() + b"\\n"
    for fd in range(3, 256):
        try:
            pipe = stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
        except OSError:
            continue
        if pipe:
            os.write(fd, struct.pack(">Q", len(frame)) + frame)
    time.sleep(60)
"""


def sandbox(source: str) -> SandboxedSubmission:
    limits = load_config(DEMO_CONFIG).limits_for("demo")
    return SandboxedSubmission({"demo.py": (textwrap.dedent(FORGES) + source).encode()}, "demo.py", limits)


def test_a_forged_hello_is_garbage_not_a_traceback():
    child = sandbox(f"forge({dict(READY, functions=5)!r})\n")
    try:
        with pytest.raises(ChildFailure) as failure:
            child.start()
    finally:
        child.close()
    assert failure.value.cause == "garbage"
    assert failure.value.detail == "the reply could not be read as plain data ('functions' is not a list)"


def test_a_forged_reply_is_garbage_and_the_child_is_stopped():
    child = sandbox("def square(x):\n    forge({'ok': False, 'error': 'no'})\n")
    try:
        assert child.start().ok
        with pytest.raises(ChildFailure) as failure:
            child.call("square", (3.0,))
        assert not child.alive
    finally:
        child.close()
    assert failure.value.cause == "garbage"
    assert failure.value.detail == "the reply could not be read as plain data ('error' is not an error)"
