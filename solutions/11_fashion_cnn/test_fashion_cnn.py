"""Public sanity tests for assignment 11 (run: python -m pytest test_fashion_cnn.py).

They use a tiny made-up data set, not Fashion-MNIST: passing them means the three
functions fit together, not that the accuracy threshold is reached. The grader trains your
model on the real data itself.
공개 테스트: 작은 가짜 데이터로 세 함수가 맞물려 돌아가는지만 확인합니다. 정확도 기준은
채점기가 실제 데이터로 학습시켜 확인합니다.
"""
import numpy as np

from fashion_cnn import build_model, predict, train


def framework_of(model) -> str:
    modules = {klass.__module__.split(".")[0] for klass in type(model).__mro__}
    return "torch" if "torch" in modules else "keras" if modules & {"keras", "tensorflow"} else "unknown"


def striped_images(count: int, seed: int):
    """Class k is a bright horizontal band at rows 2k+4 to 2k+6, plus noise: easy to learn."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=count)
    images = rng.uniform(0, 0.3, size=(count, 28, 28)).astype(np.float32)
    for image, label in zip(images, labels):
        image[2 * label + 4: 2 * label + 7, :] = 1.0
    return images, labels


def test_build_model_returns_a_keras_or_torch_model():
    """Is build_model() a keras.Model or a torch.nn.Module?"""
    assert framework_of(build_model()) in ("keras", "torch")


def test_predict_returns_one_label_per_image():
    """Does predict() return shape (N,) integer labels 0–9 (not (N, 10) scores)?"""
    labels = np.asarray(predict(build_model(), np.zeros((5, 28, 28), dtype=np.float32)))
    assert labels.shape == (5,)
    assert np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() <= 9


def test_train_learns_an_easy_pattern(tmp_path):
    """After train() on 1,000 striped images, are fresh striped images classified correctly?"""
    x_train, y_train = striped_images(1000, seed=0)
    x_val, y_val = striped_images(200, seed=1)
    model = train(build_model(), x_train, y_train, x_val, y_val, str(tmp_path))
    x_new, y_new = striped_images(200, seed=2)
    assert np.mean(np.asarray(predict(model, x_new)) == y_new) >= 0.9


def test_keras_track_writes_checkpoint_and_logs(tmp_path):
    """Keras track: does train() write workdir/best.keras and TensorBoard logs under workdir/logs?"""
    model = build_model()
    if framework_of(model) != "keras":
        return  # not asked of the PyTorch track
    x_train, y_train = striped_images(500, seed=3)
    x_val, y_val = striped_images(100, seed=4)
    train(model, x_train, y_train, x_val, y_val, str(tmp_path))
    assert (tmp_path / "best.keras").is_file()
    assert any("tfevents" in path.name for path in (tmp_path / "logs").rglob("*"))
