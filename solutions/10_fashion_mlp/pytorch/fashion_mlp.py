# %% [markdown]
# # 과제 10 · MLP로 Fashion-MNIST 분류 (PyTorch) / Assignment 10 · Fashion-MNIST with an MLP (PyTorch)
#
# **한국어**
#
# 같은 과제의 PyTorch 판입니다. 함수 세 개의 약속은 Keras 판과 같습니다.
# - `build_model()`: **학습하지 않은** `torch.nn.Module`을 반환합니다 (Flatten → Linear … → Linear(10)).
# - `train(model, x_train, y_train, x_val, y_val, workdir)`: 학습시킨 모델을 반환합니다.
# - `predict(model, x)`: 이미지마다 클래스 번호(0–9) 하나, 모양 (N,).
#
# 채점기는 GPU가 있으면 모델을 GPU로 옮긴 뒤 `train()`을 부릅니다. 그러니 텐서를 만들 때는
# `device = next(model.parameters()).device`로 모델이 있는 장치를 알아내서 같은 장치로 보내세요.
# 이렇게 하면 같은 코드가 CPU와 GPU 모두에서 돌아갑니다.
#
# **English**
#
# The PyTorch version of the same assignment; the three functions keep the Keras version's contract.
# - `build_model()` returns an **untrained** `torch.nn.Module` (Flatten → Linear … → Linear(10)).
# - `train(model, x_train, y_train, x_val, y_val, workdir)` returns the trained model.
# - `predict(model, x)` returns one class number (0–9) per image, shape (N,).
#
# When a GPU is present the grader moves the model to it before calling `train()`. So find the
# model's device with `device = next(model.parameters()).device` and create your tensors there:
# the same code then runs on CPU and GPU.

# %%
import numpy as np
import torch
from torch import nn

# %% [markdown]
# ## 1. 모델 만들기 / Building the model

# %%
def build_model() -> nn.Module:
    """An untrained MLP for 28×28 images and 10 classes.

    Flatten → Linear(ReLU) … → Linear(10); dropout between the hidden layers.

    Returns:
        an untrained nn.Module mapping a (N, 28, 28) float tensor to (N, 10) logits.
    Example:
        >>> build_model()(torch.zeros(2, 28, 28)).shape
        torch.Size([2, 10])

    학습하지 않은 MLP (28×28 이미지, 클래스 10개): Flatten → Linear(ReLU) … → Linear(10).
    반환값: (N, 28, 28) 텐서 → (N, 10) 로짓을 내는 학습 전 nn.Module.
    예: build_model()(torch.zeros(2, 28, 28)).shape → torch.Size([2, 10])
    """
    ### BEGIN SOLUTION
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(28 * 28, 256), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(128, 10),
    )
    ### END SOLUTION


# %% [markdown]
# ## 2. 학습 / Training
#
# **한국어** — 미니배치를 섞어 가며 `CrossEntropyLoss`와 `Adam`으로 몇 에포크 학습합니다.
# 에포크마다 검증 정확도를 한 줄 출력하면 진행 상황을 볼 수 있습니다.
#
# **English** — Shuffle mini-batches and train a few epochs with `CrossEntropyLoss` and `Adam`.
# Printing the validation accuracy once per epoch shows the progress.

# %%
def train(model: nn.Module, x_train: np.ndarray, y_train: np.ndarray,
          x_val: np.ndarray, y_val: np.ndarray, workdir: str) -> nn.Module:
    """Train the model on (x_train, y_train), watching (x_val, y_val); return it.

    Args:
        model: the module from build_model() (possibly already moved to a GPU).
        x_train: (N, 28, 28) float32 in [0, 1];  y_train: (N,) integers 0–9.
        x_val: (M, 28, 28) float32 in [0, 1];    y_val: (M,) integers 0–9.
        workdir: a writable folder for checkpoints and logs.
    Returns:
        the trained module.

    모델을 (x_train, y_train)으로 학습시키고 (x_val, y_val)로 검증한 뒤 반환합니다.
    인자: x_train (N, 28, 28) float32 [0, 1], y_train (N,) 정수 0–9, x_val/y_val 검증 데이터,
    workdir 쓸 수 있는 폴더. 모델은 GPU에 있을 수도 있습니다.
    반환값: 학습된 모듈.
    """
    ### BEGIN SOLUTION
    device = next(model.parameters()).device
    x = torch.as_tensor(x_train, dtype=torch.float32, device=device)
    y = torch.as_tensor(y_train, dtype=torch.long, device=device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epochs = 15
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)  # smaller steps at the end
    loss_fn = nn.CrossEntropyLoss()
    model.history = {"loss": [], "val_accuracy": []}  # the feedback page draws it as the learning curve
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x), device=device)
        for start in range(0, len(x), 128):
            batch = order[start:start + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        schedule.step()
        accuracy = float(np.mean(predict(model, x_val) == y_val))
        model.history["loss"].append(loss.item())
        model.history["val_accuracy"].append(accuracy)
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}, validation accuracy {accuracy:.3f}")
    return model
    ### END SOLUTION


# %% [markdown]
# ## 3. 예측 / Prediction
#
# **한국어** — `model.eval()`로 드롭아웃을 끄고, `torch.no_grad()` 안에서 로짓의 `argmax`를 구해
# NumPy 정수 배열 (N,)로 반환합니다.
#
# **English** — Switch dropout off with `model.eval()`, take the `argmax` of the logits inside
# `torch.no_grad()` and return a NumPy integer array of shape (N,).

# %%
def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Class labels for images x.

    Args:
        model: a trained module.
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
    device = next(model.parameters()).device
    model.eval()
    labels = []
    with torch.no_grad():
        for start in range(0, len(x), 1000):
            batch = torch.as_tensor(x[start:start + 1000], dtype=torch.float32, device=device)
            labels.append(model(batch).argmax(dim=1).cpu().numpy())
    return np.concatenate(labels)
    ### END SOLUTION
