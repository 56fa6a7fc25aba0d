"""Hidden tests of assignment 10: an MLP trained by the grader on Fashion-MNIST.

The `run` fixture trains the submission once, in the sandbox, with the grader's seed and
validation split; every test judges that one run (see autograder/engine/training.py).
Thresholds live in grading.toml under [assignments.fashion_mlp.thresholds].
"""
import pytest

from autograder.engine.training import TrainingRun, run_training


@pytest.fixture(scope="session")
def run(student, training) -> TrainingRun:
    return run_training(student, training)


@pytest.mark.weight(1)
def test_predictions_are_labels(run, thresholds):
    """Does predict() return one integer label per image, from a model that learned?"""
    run.require_honest(thresholds)


@pytest.mark.weight(1)
def test_untrained_model_near_chance(run, thresholds):
    """Does build_model() return an untrained model, near chance before the grader trains it?"""
    run.require_honest(thresholds)


@pytest.mark.weight(1)
def test_model_is_mlp(run, thresholds):
    """Is the model an MLP: dense layers only, no convolution or recurrence?"""
    run.check_layers(thresholds, need=("Dense", "Linear"), forbid=("Conv", "RNN", "LSTM", "GRU"),
                     what_en="an MLP (Flatten → Dense layers, no convolution or recurrent layers)",
                     what_ko="MLP (Flatten → Dense 층, 합성곱층이나 순환층 없이)")


@pytest.mark.weight(3.5)
def test_accuracy_partial(run, thresholds):
    """Does the trained model reach the partial-credit accuracy on the test set?"""
    run.check_accuracy(thresholds, "accuracy_half")


@pytest.mark.weight(3.5)
def test_accuracy(run, thresholds):
    """Does the trained model reach the full accuracy threshold on the test set?"""
    run.check_accuracy(thresholds, "accuracy")
