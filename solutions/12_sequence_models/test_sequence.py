"""Public sanity tests for assignment 12 (run: python -m pytest test_sequence.py).

The cell examples come from the docstrings; the classifier is trained on a tiny made-up
data set, so passing here does not mean the accuracy threshold is reached: the grader
trains build_model("lstm") on Fashion-MNIST itself.
공개 테스트: 셀 예제는 docstring에 있는 값이고, 분류기는 작은 가짜 데이터로만 확인합니다.
"""
import numpy as np
import pytest
import torch

from sequence import build_model, lstm_step, predict, rnn_step, train


def test_rnn_step_docstring_example():
    """Does rnn_step give tanh(1 + 1) for ones weights and a zero state?"""
    h = rnn_step(np.ones((1, 2)), np.zeros((1, 1)), np.ones((2, 1)), np.ones((1, 1)), np.zeros(1))
    assert np.allclose(h, np.tanh(2.0))


def test_rnn_step_is_batch_first():
    """Does rnn_step return (N, H) for N inputs?"""
    h = rnn_step(np.zeros((4, 3)), np.zeros((4, 5)), np.zeros((3, 5)), np.zeros((5, 5)), np.zeros(5))
    assert np.asarray(h).shape == (4, 5)


def test_lstm_step_docstring_example():
    """With zero weights, is c halved (f = 0.5) and h = 0.5 · tanh(c)?"""
    h, c = lstm_step(np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)), np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
    assert np.allclose(c, 0.5)
    assert np.allclose(h, 0.5 * np.tanh(0.5))


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_build_model_gives_ten_logits(kind):
    """Does build_model(kind) map (N, 28, 28) to (N, 10)?"""
    model = build_model(kind)
    assert isinstance(model, torch.nn.Module)
    assert tuple(model(torch.zeros(3, 28, 28)).shape) == (3, 10)


def striped_images(count: int, seed: int):
    """Class k is a bright horizontal band at rows 2k+4 to 2k+6, plus noise: easy to learn."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=count)
    images = rng.uniform(0, 0.3, size=(count, 28, 28)).astype(np.float32)
    for image, label in zip(images, labels):
        image[2 * label + 4: 2 * label + 7, :] = 1.0
    return images, labels


def test_lstm_learns_an_easy_pattern(tmp_path):
    """After train() on 1,000 striped images, are fresh ones classified correctly?"""
    x_train, y_train = striped_images(1000, seed=0)
    x_val, y_val = striped_images(200, seed=1)
    model = train(build_model("lstm"), x_train, y_train, x_val, y_val, str(tmp_path))
    x_new, y_new = striped_images(200, seed=2)
    labels = np.asarray(predict(model, x_new))
    assert labels.shape == (200,)
    assert np.mean(labels == y_new) >= 0.9
