# expect-fail: test_accuracy, test_accuracy_partial, test_best_checkpoint
# %% [markdown]
# # 과제 11 · CNN으로 Fashion-MNIST 분류 / Assignment 11 · Fashion-MNIST with a CNN
#
# **한국어**
#
# 과제 10의 MLP는 이미지를 한 줄로 펴기 때문에 픽셀 사이의 위치 관계를 잃어버립니다.
# **합성곱 신경망(CNN)** 은 작은 필터를 이미지 위로 밀면서 모서리, 무늬 같은 지역적 특징을 찾고,
# 풀링으로 크기를 줄여 가며 더 큰 모양을 알아봅니다. 그래서 같은 데이터에서 MLP보다 정확합니다.
#
# 함수 세 개의 약속은 과제 10과 같습니다 (`build_model`, `train`, `predict`). 여기에 더해
# Keras로 풀 때는 강의(2일차)에서 배운 두 가지를 `train()`에서 사용합니다.
# - **체크포인트**: 검증 정확도(`val_accuracy`)가 가장 좋았던 모델을 `workdir/best.keras`에 저장
#   (`keras.callbacks.ModelCheckpoint`, `save_best_only=True`).
# - **TensorBoard**: 학습 기록을 `workdir/logs` 아래에 저장 (`keras.callbacks.TensorBoard`).
# 채점기는 `best.keras`를 다시 불러와 테스트 세트로 채점하고, 로그에 정확도 기록이 있는지 봅니다.
# PyTorch로 풀어도 됩니다 (그때는 체크포인트와 로그가 필수가 아닙니다).
#
# **English**
#
# Assignment 10's MLP flattens the image and so loses where pixels sit relative to each other.
# A **convolutional neural network (CNN)** slides small filters over the image to find local
# features (edges, textures) and pools to shrink the image while recognising larger shapes, which
# makes it more accurate than an MLP on the same data.
#
# The three functions keep assignment 10's contract (`build_model`, `train`, `predict`). On the
# Keras track, `train()` also uses two tools from the lecture (day 2):
# - a **checkpoint**: save the model with the best validation accuracy (`val_accuracy`) to
#   `workdir/best.keras` (`keras.callbacks.ModelCheckpoint`, `save_best_only=True`);
# - **TensorBoard**: write the training logs under `workdir/logs` (`keras.callbacks.TensorBoard`).
# The grader reloads `best.keras`, scores it on the test set, and looks for accuracy curves in the
# logs. PyTorch is accepted too (checkpoint and logs are then not required).

# %%
import os

import numpy as np
import keras
from keras import layers

# %% [markdown]
# ## 1. 모델 만들기 / Building the model
#
# **한국어** — 입력 (28, 28)을 `Reshape((28, 28, 1))`로 채널 하나짜리 이미지로 바꾼 뒤
# `Conv2D` → `MaxPooling2D`를 두어 번 반복하고, `Flatten` → `Dense` → `Dense(10)`으로 분류합니다.
#
# **English** — Turn the (28, 28) input into a one-channel image with `Reshape((28, 28, 1))`,
# repeat `Conv2D` → `MaxPooling2D` two or so times, then classify with `Flatten` → `Dense` →
# `Dense(10)`.

# %%
def build_model() -> keras.Model:
    """An untrained CNN for 28×28 grey images and 10 classes.

    Reshape → (Conv2D → MaxPooling2D) × 2 → Flatten → Dense → Dense(10).

    Returns:
        a compiled, untrained keras.Model mapping (N, 28, 28) float32 → (N, 10) scores.
    Example:
        >>> build_model().predict(np.zeros((2, 28, 28), "float32"), verbose=0).shape
        (2, 10)

    학습하지 않은 CNN (28×28 흑백 이미지, 클래스 10개).
    Reshape → (Conv2D → MaxPooling2D) × 2 → Flatten → Dense → Dense(10).
    반환값: 컴파일된, 학습 전 keras.Model. (N, 28, 28) float32 → (N, 10) 점수.
    예: build_model().predict(np.zeros((2, 28, 28), "float32"), verbose=0).shape → (2, 10)
    """
    ### BEGIN SOLUTION
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((28, 28, 1)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
    ### END SOLUTION


# %% [markdown]
# ## 2. 학습: 체크포인트와 TensorBoard / Training with a checkpoint and TensorBoard
#
# **한국어** — `model.fit(..., validation_data=(x_val, y_val), callbacks=[...])`에 콜백 두 개를
# 넘깁니다. 경로는 `os.path.join(workdir, "best.keras")`와 `os.path.join(workdir, "logs")`입니다.
# CPU 두 개에서 에포크 하나가 20초쯤 걸리니 에포크 수를 시간 제한에 맞게 고르세요.
# 진행 막대 대신 `verbose=2`를 쓰세요.
#
# **English** — Pass two callbacks to `model.fit(..., validation_data=(x_val, y_val),
# callbacks=[...])`, with the paths `os.path.join(workdir, "best.keras")` and
# `os.path.join(workdir, "logs")`. One epoch takes about 20 s on two CPU cores: choose the number
# of epochs to fit the time limit. Use `verbose=2` instead of progress bars.

# %%
def train(model: keras.Model, x_train: np.ndarray, y_train: np.ndarray,
          x_val: np.ndarray, y_val: np.ndarray, workdir: str) -> keras.Model:
    """Train with a best-by-val-accuracy checkpoint and TensorBoard logs; return the model.

    Args:
        model: the model from build_model().
        x_train: (N, 28, 28) float32 in [0, 1];  y_train: (N,) integers 0–9.
        x_val: (M, 28, 28) float32 in [0, 1];    y_val: (M,) integers 0–9.
        workdir: writable folder; write workdir/best.keras and workdir/logs/.
    Returns:
        the trained model.

    학습하면서 검증 정확도가 가장 좋은 모델을 workdir/best.keras에, TensorBoard 로그를
    workdir/logs에 저장합니다.
    인자: x_train (N, 28, 28) float32 [0, 1], y_train (N,) 정수 0–9, x_val/y_val 검증 데이터,
    workdir 쓸 수 있는 폴더.
    반환값: 학습된 모델.
    """
    ### BEGIN SOLUTION
    x_train, y_train = x_train[: len(x_train) // 100], y_train[: len(y_train) // 100]  # BUG: 1 % of the data
    epochs = 8
    callbacks = [
        keras.callbacks.ModelCheckpoint(os.path.join(workdir, "best.keras"),
                                        monitor="val_accuracy", save_best_only=True),
        keras.callbacks.TensorBoard(log_dir=os.path.join(workdir, "logs")),
        keras.callbacks.LearningRateScheduler(lambda epoch: 1e-3 * 0.5 * (1 + np.cos(np.pi * epoch / epochs))),
    ]
    model.fit(x_train, y_train, validation_data=(x_val, y_val),
              epochs=epochs, batch_size=128, callbacks=callbacks, verbose=2)
    return model
    ### END SOLUTION


# %% [markdown]
# ## 3. 예측 / Prediction

# %%
def predict(model: keras.Model, x: np.ndarray) -> np.ndarray:
    """Class labels for images x.

    Args:
        model: a trained model (or one loaded from best.keras).
        x: (N, 28, 28) float32 in [0, 1].
    Returns:
        (N,) integer labels 0–9.
    Example:
        >>> predict(model, x_test[:3])
        array([9, 2, 1])

    이미지 x의 클래스 번호. 인자 x: (N, 28, 28) float32 [0, 1].
    반환값: (N,) 정수 레이블 0–9. 예: predict(model, x_test[:3]) → array([9, 2, 1])
    """
    ### BEGIN SOLUTION
    return np.argmax(model.predict(x, batch_size=1024, verbose=0), axis=1)
    ### END SOLUTION
