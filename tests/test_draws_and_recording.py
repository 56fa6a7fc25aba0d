"""The suites' shared helpers for random inputs (engine/draws.py) and the call recording (engine/recording.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from autograder.engine.draws import with_edge_rows, with_edges
from autograder.engine.recording import Made, StudentCall, input_classes, pil_image, record, student_calls


@pytest.mark.parametrize("seed", range(20))
def test_with_edges_holds_every_edge_whatever_the_seed(seed):
    """Does every draw hold each telling value, with the draw's shape and dtype, the input left alone?"""
    rng = np.random.default_rng(seed)
    values = rng.uniform(1, 2, size=(3, 4))
    mixed = with_edges(rng, values, (-1.0, 0.0, 0.5))
    assert mixed.shape == values.shape and mixed.dtype == values.dtype
    assert {-1.0, 0.0, 0.5} <= set(mixed.ravel().tolist()) and np.all(values >= 1)
    assert with_edges(rng, rng.integers(5, 9, size=2), (-1, 0, 1)).tolist() in (
        [-1, 0],
        [0, -1],
    )  # the first ones that fit
    rows = with_edge_rows(rng, np.ones((5, 2)), [(0, 0.25), (1, 0.75)])
    assert {(0.0, 0.25), (1.0, 0.75)} <= {tuple(row) for row in rows.tolist()}


def test_empty_and_0_d_draws_pass_through():
    """Are an empty array and a 0-d array returned as they are (there is no room for an edge)?"""
    rng = np.random.default_rng(0)
    assert with_edges(rng, np.zeros(0), (1.0,)).shape == (0,)
    assert with_edges(rng, np.array(3.0), (1.0,)) == 3.0


@pytest.mark.parametrize(
    "value, classes",
    [
        (1.5, ["python float"]),
        (2, ["python int"]),
        (True, ["python bool"]),
        (None, ["None"]),
        ("lstm", ["str"]),
        ([1, 2], ["list"]),
        ([], ["list", "empty"]),
        (np.float64(1.0), ["python float"]),
        (np.int64(3), ["int array", "0-d"]),
        (np.zeros(3, dtype=np.float32), ["float32 array"]),
        (np.array(1.0), ["float64 array", "0-d"]),
        (np.zeros((2, 0)), ["float64 array", "empty"]),
        (np.arange(3), ["int array"]),
        (np.zeros((4, 5), dtype=np.uint8), ["uint8 array", "grey image"]),
        (np.full((4, 5, 3), 128, dtype=np.uint8), ["uint8 array", "colour image"]),
        (
            np.stack([np.full((4, 5), 200), np.full((4, 5), 40), np.full((4, 5), 90)], axis=-1).astype(np.uint8),
            ["uint8 array", "colour image", "strongly coloured image"],
        ),
    ],
)
def test_input_classes(value, classes):
    """Is each kind of argument named as the assignments' [input_classes] tables name it, as the sandbox receives it?"""
    assert input_classes(value) == classes


def test_driver_calls_are_recorded_as_the_students_function(tmp_path):
    """Are driver calls recorded as the functions they call in the sandbox (an assignment's own driver: as its test
    declares), with their arguments' classes and plain values?"""
    path = tmp_path / "calls.jsonl"
    record(
        path,
        "optim.py",
        "drive",
        "dropout_with_seeds",
        (),
        {"x": [1.0, 2.0], "p": 0.5, "seeds": [1, 2], "training": False},
        [StudentCall("dropout", ([1.0, 2.0], 0.5), {"training": False, "rng": Made(("numpy Generator",))})],
    )
    record(
        path,
        "conv.py",
        "drive",
        "call_catching",
        (),
        {"function": "conv_output_size", "args": [5, 7], "kwargs": {"s": 0}},
    )
    record(
        path,
        "preprocess.py",
        "drive",
        "prepare_pil_image",
        (),
        {"pixels": np.zeros((4, 4), dtype=np.uint8), "mode": "L"},
        [StudentCall("prepare_image", (pil_image(np.zeros((4, 4), dtype=np.uint8), "L"),))],
    )
    record(path, "metrics.py", "call", "accuracy", ([1, 0], np.array([1, 1])), {})
    dropout, size, image, accuracy = [json.loads(line) for line in path.read_text().splitlines()]
    assert dropout["function"] == "dropout" and dropout["module"] == "optim.py"
    assert dropout["kwargs"]["training"] == {"classes": ["python bool"], "value": False}
    assert dropout["kwargs"]["rng"]["classes"] == ["numpy Generator"] and dropout["args"][0]["classes"] == ["list"]
    assert (
        size["function"] == "conv_output_size" and size["kwargs"]["s"]["value"] == 0 and size["args"][1]["value"] == 7
    )
    assert image["function"] == "prepare_image" and "PIL L image" in image["args"][0]["classes"]
    assert accuracy["args"][1]["classes"] == ["int array"] and "value" not in accuracy["args"][1]
    assert student_calls("drive", "model_logs", (), {}) == []
    assert student_calls("drive", "dropout_with_seeds", (), {"x": [1.0]}) == []  # an undeclared driver: nothing to say
