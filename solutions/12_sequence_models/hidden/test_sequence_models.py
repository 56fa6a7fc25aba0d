"""Hidden tests of assignment 12: rnn_step, lstm_step, build_model(kind) and a trained LSTM.

The cell steps are compared with torch.nn.RNNCell / LSTMCell / LSTM computed here, with
the student's weight layout mapped onto PyTorch's: weight_ih = Wx.T (4H, D),
weight_hh = Wh.T (4H, H), bias_ih = b, bias_hh = 0. The `run` fixture trains
build_model("lstm") once in the sandbox with the grader's seed (autograder/engine/training.py).
"""

import numpy as np
import pytest
import torch

from autograder.engine.checks import as_array, check_close, check_finite, check_no_warnings, check_shape, check_tuple
from autograder.engine.feedback import fail, ko, label
from autograder.engine.recording import StudentCall
from autograder.engine.training import TrainingRun, run_training


def weights(rng, n: int, d: int, h: int, gates: int, scale: float = 0.5):
    x = rng.normal(size=(n, d))
    state = rng.normal(size=(n, h)) * 0.5
    wx = rng.normal(size=(d, gates * h)) * scale
    wh = rng.normal(size=(h, gates * h)) * scale
    b = rng.normal(size=gates * h) * scale
    return x, state, wx, wh, b


def torch_cell(cell, wx, wh, b):
    """Load the student's layout into a torch cell: weight_ih = Wx.T, weight_hh = Wh.T."""
    with torch.no_grad():
        cell.weight_ih.copy_(torch.from_numpy(wx.T))
        cell.weight_hh.copy_(torch.from_numpy(wh.T))
        cell.bias_ih.copy_(torch.from_numpy(b))
        cell.bias_hh.zero_()
    return cell


# -- rnn_step ----------------------------------------------------------------------------------
@pytest.mark.parametrize("n, d, h", [(4, 5, 3), (1, 28, 16), (7, 2, 9)])
def test_rnn_step_values(student, rng, n, d, h):
    """Does rnn_step match torch.nn.RNNCell (tanh) with the same weights, batch-first?

    ko: 같은 가중치에서 rnn_step이 torch.nn.RNNCell(tanh)과 같은 결과를 내나요 (배치 축이 먼저)?
    """
    x, state, wx, wh, b = weights(rng, n, d, h, 1)
    cell = torch_cell(torch.nn.RNNCell(d, h, nonlinearity="tanh").double(), wx, wh, b)
    with torch.no_grad():
        expected = cell(torch.from_numpy(x), torch.from_numpy(state)).numpy()
    what = label(f"rnn_step for N={n}, D={d}, H={h}", f"N={n}, D={d}, H={h}일 때 rnn_step")
    check_close(student.rnn_step(x, state, wx, wh, b), expected, what, rtol=1e-5, atol=1e-7)


def test_rnn_step_large_inputs(student, rng):
    """Does rnn_step stay in [−1, 1] without nan or warnings for huge pre-activations?

    ko: 활성화 함수에 들어가는 값이 매우 클 때도 rnn_step이 nan이나 경고 없이 [−1, 1] 안에 머무르나요?
    """
    x, state, wx, wh, b = weights(rng, 5, 4, 3, 1, scale=400.0)
    what = label("rnn_step with large weights", "가중치가 클 때 rnn_step")
    got = as_array(student.rnn_step(x, state, wx, wh, b), what)
    check_no_warnings(student, what)
    check_shape(got, (5, 3), what)
    check_finite(got, what)
    if np.abs(got).max() > 1 + 1e-12:
        fail(
            "rnn_step returned values outside [−1, 1]; it should end with tanh.",
            "rnn_step이 [−1, 1] 밖의 값을 반환했습니다. 마지막에 tanh를 적용해야 합니다.",
            cause="values",
        )


def _as_kind(kind: str, *arrays):
    """The arrays as sent: float32 arrays, or (for "list") the first two as Python lists, the weights as they are."""
    if kind == "float32":
        return tuple(a.astype(np.float32) for a in arrays)
    return tuple(a.tolist() for a in arrays[:2]) + arrays[2:]


@pytest.mark.parametrize("kind", ["float32", "list"])
def test_rnn_step_input_types(student, rng, kind):
    """Does rnn_step take float32 arrays, and x and h as Python lists (float32 or float64 results both count)?

    ko: rnn_step이 float32 배열과, Python 리스트로 된 x와 h도 받나요 (결과는 float32든 float64든 괜찮습니다)?
    """
    sent = _as_kind(kind, *weights(rng, 3, 4, 5, 1))
    x, state, wx, wh, b = (np.asarray(a, dtype=np.float64) for a in sent)
    cell = torch_cell(torch.nn.RNNCell(4, 5, nonlinearity="tanh").double(), wx, wh, b)
    with torch.no_grad():
        expected = cell(torch.from_numpy(x), torch.from_numpy(state)).numpy()
    what = label(
        f"rnn_step for {'float32 arrays' if kind == 'float32' else 'x and h given as Python lists'}",
        f"{'float32 배열' if kind == 'float32' else 'Python 리스트로 준 x와 h'}에 대한 rnn_step",
    )
    check_close(student.rnn_step(*sent), expected, what, rtol=1e-4, atol=1e-5)


# -- lstm_step ---------------------------------------------------------------------------------
def expected_lstm(x, state, cell_state, wx, wh, b):
    h = state.shape[1]
    cell = torch_cell(torch.nn.LSTMCell(x.shape[1], h).double(), wx, wh, b)
    with torch.no_grad():
        h_new, c_new = cell(torch.from_numpy(x), (torch.from_numpy(state), torch.from_numpy(cell_state)))
    return h_new.numpy(), c_new.numpy()


@pytest.mark.parametrize("n, d, h", [(4, 5, 3), (1, 28, 16), (6, 3, 8)])
def test_lstm_step_matches_lstmcell(student, rng, n, d, h):
    """Does lstm_step give torch.nn.LSTMCell's (h, c), gates in the order i, f, g, o?

    ko: lstm_step이 게이트 순서 i, f, g, o로 torch.nn.LSTMCell과 같은 (h, c)를 내나요?
    """
    x, state, wx, wh, b = weights(rng, n, d, h, 4)
    cell_state = rng.normal(size=(n, h))
    h_expected, c_expected = expected_lstm(x, state, cell_state, wx, wh, b)
    reply = check_tuple(student.lstm_step(x, state, cell_state, wx, wh, b), 2, "lstm_step")
    what = label(f"lstm_step for N={n}, D={d}, H={h}", f"N={n}, D={d}, H={h}일 때 lstm_step")
    check_close(
        reply[1],
        c_expected,
        label(f"the cell state c returned by {what}", f"{ko(what)}이 반환한 셀 상태 c"),
        rtol=1e-5,
        atol=1e-7,
    )
    check_close(
        reply[0],
        h_expected,
        label(f"the hidden state h returned by {what}", f"{ko(what)}이 반환한 은닉 상태 h"),
        rtol=1e-5,
        atol=1e-7,
    )


def test_lstm_step_large_inputs(student, rng):
    """Is lstm_step stable (no nan, no warning) when the gates saturate?

    ko: 게이트가 포화될 때도 lstm_step이 안정적인가요 (nan도, 경고도 없이)?
    """
    x, state, wx, wh, b = weights(rng, 4, 3, 5, 4, scale=500.0)
    cell_state = rng.normal(size=(4, 5))
    what = label("lstm_step with large weights", "가중치가 클 때 lstm_step")
    reply = check_tuple(student.lstm_step(x, state, cell_state, wx, wh, b), 2, what)
    check_no_warnings(student, what)
    h_expected, c_expected = expected_lstm(x, state, cell_state, wx, wh, b)
    check_close(
        reply[1],
        c_expected,
        label("c from lstm_step with large weights", "가중치가 클 때 lstm_step이 반환한 c"),
        rtol=1e-5,
        atol=1e-7,
    )
    check_close(
        reply[0],
        h_expected,
        label("h from lstm_step with large weights", "가중치가 클 때 lstm_step이 반환한 h"),
        rtol=1e-5,
        atol=1e-7,
    )


def test_lstm_step_unrolled_matches_lstm(student, rng):
    """Unrolled over 28 rows of an image-like input, does lstm_step end where torch.nn.LSTM ends?

    ko: 이미지 같은 입력의 28개 행을 따라 lstm_step을 반복하면 torch.nn.LSTM과 같은 결과에서 끝나나요?
    """
    n, d, h, steps = 3, 28, 8, 28
    _, _, wx, wh, b = weights(rng, n, d, h, 4, scale=0.3)
    sequence = rng.uniform(0, 1, size=(n, steps, d))
    lstm = torch.nn.LSTM(d, h, batch_first=True).double()
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.from_numpy(wx.T))
        lstm.weight_hh_l0.copy_(torch.from_numpy(wh.T))
        lstm.bias_ih_l0.copy_(torch.from_numpy(b))
        lstm.bias_hh_l0.zero_()
        _, (h_last, c_last) = lstm(torch.from_numpy(sequence))
    state, cell_state = np.zeros((n, h)), np.zeros((n, h))
    for t in range(steps):
        state, cell_state = check_tuple(student.lstm_step(sequence[:, t], state, cell_state, wx, wh, b), 2, "lstm_step")
        state = as_array(state, label("h from lstm_step", "lstm_step이 반환한 h"))
        cell_state = as_array(cell_state, label("c from lstm_step", "lstm_step이 반환한 c"))
    check_close(
        state,
        h_last[0].numpy(),
        label("h after 28 steps of lstm_step", "lstm_step을 28번 반복한 뒤의 h"),
        rtol=1e-4,
        atol=1e-6,
    )


@pytest.mark.parametrize("kind", ["float32", "list"])
def test_lstm_step_input_types(student, rng, kind):
    """Does lstm_step take float32 arrays, and x, h and c as Python lists (float32 or float64 results both count)?

    ko: lstm_step이 float32 배열과, Python 리스트로 된 x, h, c도 받나요 (결과는 float32든 float64든 괜찮습니다)?
    """
    x, state, wx, wh, b = weights(rng, 3, 4, 5, 4)
    cell_state = rng.normal(size=(3, 5))
    sent = _as_kind(kind, x, state, wx, wh, b)
    sent_c = cell_state.astype(np.float32) if kind == "float32" else cell_state.tolist()
    plain = [np.asarray(a, dtype=np.float64) for a in (*sent[:2], sent_c, *sent[2:])]
    h_expected, c_expected = expected_lstm(*plain)
    what = label(
        f"lstm_step for {'float32 arrays' if kind == 'float32' else 'x, h and c given as Python lists'}",
        f"{'float32 배열' if kind == 'float32' else 'Python 리스트로 준 x, h, c'}에 대한 lstm_step",
    )
    reply = check_tuple(student.lstm_step(sent[0], sent[1], sent_c, *sent[2:]), 2, what)
    check_close(
        reply[1],
        c_expected,
        label(f"the cell state c returned by {what}", f"{ko(what)}이 반환한 셀 상태 c"),
        rtol=1e-4,
        atol=1e-5,
    )
    check_close(
        reply[0],
        h_expected,
        label(f"the hidden state h returned by {what}", f"{ko(what)}이 반환한 은닉 상태 h"),
        rtol=1e-4,
        atol=1e-5,
    )


# -- build_model(kind) -------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_build_model_kind(student, rng, kind):
    """Does build_model(kind) read (N, 28, 28) batch-first with the right recurrent layer and give (N, 10)?

    ko: build_model(kind)이 (N, 28, 28)을 배치 축이 먼저인 입력으로 읽고, 알맞은 순환층을 써서 (N, 10)을 내나요?
    """
    x = rng.uniform(0, 1, size=(5, 28, 28)).astype(np.float32)
    reply = student.drive(
        "sequence_forward",
        label=f"build_model({kind!r})",
        calls=[StudentCall("build_model", (kind,))],
        kind=kind,
        x=x,
        seed=int(rng.integers(1 << 30)),
    )
    if not isinstance(reply, dict):
        fail(
            f"build_model({kind!r}) could not be run.", f"build_model({kind!r})을(를) 실행할 수 없습니다.", cause="type"
        )
    what = label(
        f"build_model({kind!r})(x) for x of shape (5, 28, 28)",
        f"모양이 (5, 28, 28)인 x에 대한 build_model({kind!r})(x)",
    )
    logits = as_array(reply.get("logits"), what)
    check_shape(logits, (5, 10), what)
    check_finite(logits, what)
    first = label(f"build_model({kind!r}) on the first image alone", f"첫 이미지 하나만 넣은 build_model({kind!r})")
    alone = as_array(reply.get("first_alone"), first)
    check_shape(alone, (1, 10), first)
    if not np.allclose(alone[0], logits[0], rtol=1e-4, atol=1e-5):
        fail(
            f"build_model({kind!r}) gives the first image different logits alone and in a batch: the images of a "
            "batch are mixed up. Create the recurrent layer with batch_first=True.",
            f"build_model({kind!r})이(가) 첫 이미지에 대해 혼자일 때와 배치 안에서 다른 로짓을 냅니다. 배치의 이미지가 "
            "섞였습니다. 순환층을 batch_first=True로 만드세요.",
            cause="batch_first",
        )
    layers = [str(name) for name in reply.get("layers", [])] if isinstance(reply.get("layers"), list) else []
    wanted = kind.upper()
    others = [k.upper() for k in ("rnn", "lstm", "gru") if k != kind]
    if not any(wanted in name for name in layers) or any(o in name for name in layers for o in others):
        have = ", ".join(sorted(set(layers))[:10])
        fail(
            f"build_model({kind!r}) should use a {wanted} layer (nn.{wanted}) only; its layers are: {have or 'none'}.",
            f"build_model({kind!r})은(는) {wanted} 층(nn.{wanted})만 써야 합니다. 지금 층: {have or '없음'}.",
            cause="architecture",
        )


# -- the LSTM trained on Fashion-MNIST rows ----------------------------------------------------
@pytest.fixture(scope="session")
def run(student, training) -> TrainingRun:
    return run_training(student, training, build_kwargs={"kind": "lstm"})


def test_predictions_are_labels(run, thresholds):
    """Does predict() return one integer label per image, from a model that learned?

    ko: predict()가 이미지마다 정수 레이블 하나를 반환하고, 모델이 실제로 학습했나요?
    """
    run.require_honest(thresholds)


def test_untrained_model_near_chance(run, thresholds):
    """Does build_model("lstm") return an untrained model, near chance before the grader trains it?

    ko: build_model("lstm")이 훈련되지 않은 모델을 반환하나요 (채점기가 훈련하기 전에는 무작위로 찍는 수준)?
    """
    run.require_before_training(thresholds)


def test_trained_model_is_lstm(run, thresholds):
    """Is the trained model an LSTM (nn.LSTM or nn.LSTMCell)?

    ko: 훈련된 모델이 LSTM(nn.LSTM 또는 nn.LSTMCell)인가요?
    """
    run.check_layers(
        thresholds,
        need=("LSTM",),
        forbid=("Conv",),
        what_en='an LSTM from build_model("lstm") (nn.LSTM, no convolution)',
        what_ko='build_model("lstm")의 LSTM (nn.LSTM, 합성곱 없이)',
    )


def test_accuracy_partial(run, thresholds):
    """Does the trained LSTM reach the partial-credit accuracy on the grader's hold-out?

    ko: 훈련된 LSTM이 채점기가 떼어 둔 이미지에서 부분 점수 기준 정확도에 도달하나요?
    """
    run.check_accuracy(thresholds, "accuracy_half")


def test_accuracy(run, thresholds):
    """Does the trained LSTM reach the full accuracy threshold on the grader's hold-out?

    ko: 훈련된 LSTM이 채점기가 떼어 둔 이미지에서 만점 기준 정확도에 도달하나요?
    """
    run.check_accuracy(thresholds, "accuracy")
