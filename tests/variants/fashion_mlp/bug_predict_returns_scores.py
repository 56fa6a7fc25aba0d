# expect-fail: test_predictions_are_labels, test_untrained_model_near_chance, test_model_is_mlp, test_accuracy_partial, test_accuracy
# %% [markdown]
# # 과제 10 · MLP로 Fashion-MNIST 분류 / Assignment 10 · Fashion-MNIST with an MLP
#
# **한국어**
#
# Fashion-MNIST는 옷과 신발 사진 70,000장(28×28 흑백, 10개 클래스)입니다. 이 과제에서는
# 강의(2일차)처럼 **다층 퍼셉트론(MLP)** 으로 이 사진을 분류합니다: 이미지를 한 줄로 펴고
# (`Flatten`), 완전연결층(`Dense`)을 몇 개 쌓고, 과적합을 막기 위해 드롭아웃(`Dropout`)을 넣습니다.
#
# 함수 세 개를 작성합니다.
# - `build_model()`: **학습하지 않은** 모델을 만들어 반환합니다.
# - `train(model, x_train, y_train, x_val, y_val, workdir)`: 모델을 학습시키고 반환합니다.
# - `predict(model, x)`: 이미지마다 클래스 번호(0–9) 하나를 반환합니다.
#
# 채점기는 `build_model()`이 만든 모델을 **채점기 안에서 직접** 학습시킵니다(시드 고정, 시간 제한).
# 그다음 여러분의 코드가 한 번도 정답을 본 적 없는 테스트 세트 10,000장으로 정확도를 잽니다.
# 그래서 `build_model()`은 반드시 학습 전 모델을 돌려줘야 하고, `train()`은 제한 시간 안에
# (CPU 두 개에서 몇 분 안에) 끝나야 합니다. 이 파일은 Keras로 작성했지만 PyTorch로 작성해도
# 됩니다 (`build_model()`이 `torch.nn.Module`을 반환하면 채점기가 알아서 인식합니다).
#
# **English**
#
# Fashion-MNIST holds 70,000 photos of clothes and shoes (28×28 grey, 10 classes). As in the
# lecture (day 2), you classify them with a **multi-layer perceptron (MLP)**: flatten the image
# (`Flatten`), stack a few fully connected layers (`Dense`) and add dropout (`Dropout`) against
# over-fitting.
#
# You write three functions:
# - `build_model()` returns an **untrained** model;
# - `train(model, x_train, y_train, x_val, y_val, workdir)` trains it and returns it;
# - `predict(model, x)` returns one class number (0–9) per image.
#
# The grader trains the model returned by `build_model()` **inside the grader** (fixed seed, time
# limit), then measures its accuracy on the 10,000 test images, whose labels your code never
# sees. So `build_model()` must return a model before training, and `train()` must finish within
# the time limit (a few minutes on two CPU cores). This file uses Keras; PyTorch is accepted too
# (return a `torch.nn.Module` from `build_model()` and the grader notices).

# %%
import numpy as np
import keras
from keras import layers

# %% [markdown]
# ## 1. 모델 만들기 / Building the model
#
# **한국어** — 입력 (28, 28) → `Flatten` → `Dense`(ReLU) 층 몇 개 → `Dense(10)`. 마지막 층은
# 10개 클래스의 점수(또는 softmax 확률)를 냅니다. `Dropout`을 은닉층 뒤에 두면 테스트 정확도가
# 올라갑니다. 컴파일(옵티마이저, 손실 함수)도 여기서 해 두면 `train()`이 간단해집니다.
#
# **English** — Input (28, 28) → `Flatten` → a few `Dense` (ReLU) layers → `Dense(10)`. The last
# layer gives the 10 class scores (or softmax probabilities). `Dropout` after the hidden layers
# raises test accuracy. Compiling here (optimizer, loss) keeps `train()` short.

# %%
def build_model() -> keras.Model:
    """An untrained MLP for 28×28 images and 10 classes.

    Flatten → Dense(ReLU) … → Dense(10); dropout between the hidden layers.

    Returns:
        a compiled, untrained keras.Model mapping (N, 28, 28) float32 → (N, 10) scores.
    Example:
        >>> model = build_model()
        >>> model.predict(np.zeros((2, 28, 28), "float32"), verbose=0).shape
        (2, 10)

    학습하지 않은 MLP를 만듭니다 (28×28 이미지, 클래스 10개).
    Flatten → Dense(ReLU) … → Dense(10), 은닉층 사이에 드롭아웃.
    반환값: 컴파일된, 학습 전 keras.Model. (N, 28, 28) float32 → (N, 10) 점수.
    예: build_model().predict(np.zeros((2, 28, 28), "float32"), verbose=0).shape → (2, 10)
    """
    ### BEGIN SOLUTION
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
    ### END SOLUTION


# %% [markdown]
# ## 2. 학습 / Training
#
# **한국어** — `x_train`은 (N, 28, 28) float32 배열(값은 0–1), `y_train`은 0–9 정수입니다.
# 검증 데이터 `(x_val, y_val)`로 에포크마다 성능을 확인하세요. 채점기는 CPU 코어 두 개에서
# 시간 제한(grading.toml)을 두고 학습시키므로 에포크 수를 적당히(예: 10) 정하세요. Keras의
# 진행 막대는 출력이 매우 길어지므로 `verbose=2`(에포크마다 한 줄)나 `verbose=0`을 쓰세요.
# `workdir`는 체크포인트나 로그를 써도 되는 폴더입니다 (이 과제에서는 쓰지 않아도 됩니다).
#
# **English** — `x_train` is a (N, 28, 28) float32 array (values 0–1) and `y_train` holds
# integers 0–9. Watch the validation data `(x_val, y_val)` every epoch. The grader trains on two
# CPU cores under a time limit (grading.toml), so choose a moderate number of epochs (e.g. 10).
# Keras's progress bars print a lot: use `verbose=2` (one line per epoch) or `verbose=0`.
# `workdir` is a folder you may write checkpoints or logs to (not required here).

# %%
def train(model: keras.Model, x_train: np.ndarray, y_train: np.ndarray,
          x_val: np.ndarray, y_val: np.ndarray, workdir: str) -> keras.Model:
    """Train the model on (x_train, y_train), watching (x_val, y_val); return it.

    Args:
        model: the model from build_model().
        x_train: (N, 28, 28) float32 in [0, 1];  y_train: (N,) integers 0–9.
        x_val: (M, 28, 28) float32 in [0, 1];    y_val: (M,) integers 0–9.
        workdir: a writable folder for checkpoints and logs.
    Returns:
        the trained model.
    Example:
        >>> model = train(build_model(), x_train, y_train, x_val, y_val, "work")

    모델을 (x_train, y_train)으로 학습시키고 (x_val, y_val)로 검증한 뒤 반환합니다.
    인자: x_train (N, 28, 28) float32 [0, 1], y_train (N,) 정수 0–9, x_val/y_val 검증 데이터,
    workdir 체크포인트와 로그를 쓸 수 있는 폴더.
    반환값: 학습된 모델.
    """
    ### BEGIN SOLUTION
    epochs = 15
    # cosine decay: full learning rate first, smaller steps at the end
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 1e-3 * 0.5 * (1 + np.cos(np.pi * epoch / epochs)))
    model.fit(x_train, y_train, validation_data=(x_val, y_val),
              epochs=epochs, batch_size=128, callbacks=[schedule], verbose=2)
    return model
    ### END SOLUTION


# %% [markdown]
# ## 3. 예측 / Prediction
#
# **한국어** — 모델 출력은 (N, 10) 점수입니다. 채점기는 이미지마다 **클래스 번호 하나**를
# 원하므로 가장 큰 점수의 위치(`argmax`)를 반환하세요. 결과 모양은 (N,)입니다.
#
# **English** — The model outputs (N, 10) scores. The grader wants **one class number** per
# image, so return the position of the largest score (`argmax`): shape (N,).

# %%
def predict(model: keras.Model, x: np.ndarray) -> np.ndarray:
    """Class labels for images x.

    Args:
        model: a trained model.
        x: (N, 28, 28) float32 in [0, 1].
    Returns:
        (N,) integer labels 0–9 (argmax of the model's scores).
    Example:
        >>> predict(model, x_test[:3])
        array([9, 2, 1])

    이미지 x의 클래스 번호를 반환합니다.
    인자 x: (N, 28, 28) float32 [0, 1].
    반환값: (N,) 정수 레이블 0–9 (모델 점수의 argmax).
    예: predict(model, x_test[:3]) → array([9, 2, 1])
    """
    ### BEGIN SOLUTION
    scores = model.predict(x, batch_size=1024, verbose=0)
    return scores  # BUG: (N, 10) scores instead of (N,) labels
    ### END SOLUTION
