"""Small pure pieces of the engine: the wire format's arrays, the judge server's answers and the split of points."""

import numpy as np
import pytest

from autograder.engine.job import PreparedSubmission
from autograder.engine.judge_server import read_ended, read_started
from autograder.engine.plugin import mentions_torch, split_points
from autograder.sandbox.protocol import decode_value, encode_value


@pytest.mark.parametrize(
    "array",
    [
        np.array(2.5),  # 0-d: a scalar returned as an array
        np.arange(12, dtype=np.float32).reshape(3, 4).T,  # not C-contiguous
        np.zeros((0, 3)),  # empty
        np.array(["a", "bc"]),
    ],
)
def test_arrays_keep_shape_dtype_and_values_on_the_wire(array):
    blobs: list[bytes] = []
    back = decode_value(encode_value(array, blobs), blobs)
    assert back.shape == array.shape and back.dtype == array.dtype
    np.testing.assert_array_equal(back, array)


def test_the_judge_servers_answers_are_read():
    assert read_started(b'{"started": 4242}\n') == {"started": 4242}
    assert read_ended(b'{"ended": -9}\n') == {"ended": -9}


@pytest.mark.parametrize(
    "line", [b'{"started": "4242"}', b'{"started": true}', b"[4242]", b'{"ended": 0}', b"4242 started"]
)
def test_a_judge_server_answer_of_another_shape_is_refused(line):
    """A ValueError is what WarmJudge.run takes for a server that died: it restarts it and the job is a grader failure."""
    with pytest.raises(ValueError):
        read_started(line)


@pytest.mark.parametrize(
    "points, weights",
    [
        (10, {"a": 1, "b": 1, "c": 1}),
        (20, {"a": 1, "b": 1, "c": 1, "d": 3.5, "e": 3.5}),
        (7, {f"t{i}": 1 for i in range(9)}),
        (15, {"x": 2, "y": 0.5, "z": 0.25}),
    ],
)
def test_test_shares_add_up_to_the_assignment_points_exactly(points, weights):
    shares = split_points(points, weights)
    assert sum(round(v * 10_000) for v in shares.values()) == points * 10_000
    for name, weight in weights.items():  # each share stays within one rounding unit of its exact value
        assert abs(shares[name] - points * weight / sum(weights.values())) <= 1e-4


def test_equal_weights_get_equal_shares_when_they_divide_evenly():
    assert split_points(10, {"a": 1, "b": 1}) == {"a": 5.0, "b": 5.0}
    assert split_points(10, {}) == {}


@pytest.mark.parametrize(
    "text, imports",
    [
        ("import torch\n", True),
        ("import numpy as np, torchvision\n", True),
        ("    from torch import nn\n", True),
        ("net = importlib.import_module('torch')\n", True),
        ("import keras\n# PyTorch works too: return a torch.nn.Module\n", False),
        ("import keras\nNOTE = 'not torch'\n", False),
    ],
)
def test_torch_is_imported_first_only_for_a_hand_in_that_imports_it(text, imports):
    """torch goes before TensorFlow in the sandbox when the hand-in imports it; a Keras hand-in that only names it in a
    comment or a string does not pay for importing it (in a .py or in a notebook's cells)."""
    as_file = PreparedSubmission({"m.py": text.encode()}, "m.py", None, "m.py")
    as_cells = PreparedSubmission({"m.py": b""}, "m.py", [{"number": 1, "source": text}], "m.ipynb")
    assert mentions_torch(as_file) is imports and mentions_torch(as_cells) is imports
