"""Hidden tests of assignment 10: an MLP trained by the grader on Fashion-MNIST.

The `run` fixture trains the submission once, in the sandbox, with the grader's seed and
validation split; every test judges that one run (see autograder/engine/training.py).
Thresholds live in its assignment.toml, under [thresholds].
"""

import pytest

from autograder.engine.training import TrainingRun, run_training


@pytest.fixture(scope="session")
def run(student, training) -> TrainingRun:
    return run_training(student, training)


def test_predictions_are_labels(run, thresholds):
    """Does predict() return one integer label per image, from a model that learned?

    ko: predict()가 이미지마다 정수 레이블 하나를 반환하고, 모델이 실제로 학습했나요?
    """
    run.require_honest(thresholds)


def test_untrained_model_near_chance(run, thresholds):
    """Does build_model() return an untrained model, near chance before the grader trains it?

    ko: build_model()이 훈련되지 않은 모델을 반환하나요 (채점기가 훈련하기 전에는 무작위로 찍는 수준)?
    """
    run.require_before_training(thresholds)


def test_model_is_mlp(run, thresholds):
    """Is the model an MLP: dense layers only, no convolution or recurrence?

    ko: 모델이 MLP인가요 (Dense 층만 있고 합성곱층이나 순환층은 없음)?
    """
    run.check_layers(
        thresholds,
        need=("Dense", "Linear"),
        forbid=("Conv", "RNN", "LSTM", "GRU"),
        what_en="an MLP (Flatten → Dense layers, no convolution or recurrent layers)",
        what_ko="MLP (Flatten → Dense 층, 합성곱층이나 순환층 없이)",
    )


def test_accuracy_partial(run, thresholds):
    """Does the trained model reach the partial-credit accuracy on the grader's hold-out?

    ko: 훈련된 모델이 채점기가 떼어 둔 이미지에서 부분 점수 기준 정확도에 도달하나요?
    """
    run.check_accuracy(thresholds, "accuracy_half")


def test_accuracy(run, thresholds):
    """Does the trained model reach the full accuracy threshold on the grader's hold-out?

    ko: 훈련된 모델이 채점기가 떼어 둔 이미지에서 만점 기준 정확도에 도달하나요?
    """
    run.check_accuracy(thresholds, "accuracy")
