"""Hidden tests of assignment 11: a CNN trained by the grader on Fashion-MNIST.

The `run` fixture trains the submission once, in the sandbox, with the grader's seed and
validation split; every test judges that one run (see autograder/engine/training.py). On
the Keras track the run also reloads workdir/best.keras (scored here on the test set) and
reads the tags of the TensorBoard event files under workdir/logs.
Thresholds live in its assignment.toml, under [thresholds].
"""

import pytest

from autograder.engine.feedback import fail
from autograder.engine.training import TrainingRun, run_training


@pytest.fixture(scope="session")
def run(student, training) -> TrainingRun:
    return run_training(student, training, keras_extras=True)


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


def test_model_is_cnn(run, thresholds):
    """Does the model convolve (Conv2D / nn.Conv2d layers)?

    ko: 모델이 합성곱(Conv2D / nn.Conv2d 층)을 쓰나요?
    """
    run.check_layers(
        thresholds,
        need=("Conv",),
        forbid=("RNN", "LSTM", "GRU"),
        what_en="a CNN (convolution layers such as Conv2D or nn.Conv2d)",
        what_ko="CNN (Conv2D 또는 nn.Conv2d 같은 합성곱층)",
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


def test_best_checkpoint(run, thresholds):
    """Keras track: does workdir/best.keras load and score well on the grader's held-out images?

    ko: Keras 트랙: workdir/best.keras를 불러올 수 있고, 채점기가 떼어 둔 이미지에서 좋은 점수를 내나요?
    """
    run.require_honest(thresholds)
    if run.framework != "keras":
        return  # the checkpoint is asked of the Keras track only
    checkpoint = run.checkpoint or {"found": False}
    if not checkpoint.get("found"):
        fail(
            "train() did not save workdir/best.keras; add keras.callbacks.ModelCheckpoint(os.path.join(workdir, "
            "'best.keras'), monitor='val_accuracy', save_best_only=True) to model.fit's callbacks.",
            "train()이 workdir/best.keras를 저장하지 않았습니다. model.fit의 callbacks에 keras.callbacks.ModelCheckpoint("
            "os.path.join(workdir, 'best.keras'), monitor='val_accuracy', save_best_only=True)를 넣으세요.",
            cause="checkpoint",
        )
    if "accuracy" not in checkpoint:
        fail(
            f"workdir/best.keras could not be used: {checkpoint['error'].en}",
            f"workdir/best.keras를 사용할 수 없습니다: {checkpoint['error'].ko}",
            cause="checkpoint",
        )
    needed = thresholds["accuracy_half"]
    if checkpoint["accuracy"] < needed:
        on_en = "on the training images kept aside" if checkpoint.get("on") == "holdout" else "on the test set"
        on_ko = "따로 떼어 둔 학습 이미지에서의" if checkpoint.get("on") == "holdout" else "테스트 세트에서의"
        fail(
            f"The model reloaded from best.keras has accuracy {100 * checkpoint['accuracy']:.1f} % {on_en} (needs "
            f"{100 * needed:.1f} %); save the best model by validation accuracy (monitor='val_accuracy').",
            f"best.keras에서 다시 불러온 모델의 {on_ko} 정확도는 {100 * checkpoint['accuracy']:.1f} %입니다 "
            f"({100 * needed:.1f} % 이상 필요). 검증 정확도 기준(monitor='val_accuracy')으로 가장 좋은 모델을 저장하세요.",
            cause="checkpoint",
        )


def test_tensorboard_logs(run, thresholds):
    """Keras track: are there TensorBoard event files under workdir/logs with accuracy scalars?

    ko: Keras 트랙: workdir/logs 아래에 정확도 기록이 담긴 TensorBoard 이벤트 파일이 있나요?
    """
    run.require_honest(thresholds)
    if run.framework != "keras":
        return  # the logs are asked of the Keras track only
    logs = run.logs or {}
    if not logs.get("files"):
        fail(
            "No TensorBoard event files were found under workdir/logs; add keras.callbacks.TensorBoard("
            "log_dir=os.path.join(workdir, 'logs')) to model.fit's callbacks.",
            "workdir/logs 아래에 TensorBoard 이벤트 파일이 없습니다. model.fit의 callbacks에 keras.callbacks.TensorBoard("
            "log_dir=os.path.join(workdir, 'logs'))를 넣으세요.",
            cause="logs",
        )
    tags = [str(tag) for tag in logs.get("tags", [])]
    if not any("acc" in tag for tag in tags):
        shown = ", ".join(tags[:8])
        fail(
            f"The TensorBoard logs hold no accuracy scalars (tags: {shown or 'none'}); compile the model with "
            "metrics=['accuracy'] and pass validation data to fit.",
            f"TensorBoard 로그에 정확도 기록이 없습니다 (태그: {shown or '없음'}). metrics=['accuracy']로 컴파일하고 fit에 "
            "검증 데이터를 넘기세요.",
            cause="logs",
        )
