# %% [markdown]
# # 과제 11 · CNN으로 Fashion-MNIST 분류 (PyTorch) / Assignment 11 · Fashion-MNIST with a CNN (PyTorch)
#
# **한국어**
#
# 같은 과제의 PyTorch 판입니다 (강의 3일차). 함수 세 개의 약속은 Keras 판과 같습니다.
# `nn.Conv2d`는 (N, 채널, 높이, 너비) 모양을 받으므로 (N, 28, 28) 이미지에 채널 축을 하나
# 붙여야 합니다 (`nn.Unflatten(1, (1, 28))` 또는 `x.unsqueeze(1)`). PyTorch 판에서는 체크포인트와
# TensorBoard 로그가 필수가 아닙니다. GPU가 있으면 채점기가 모델을 GPU로 옮기므로
# `next(model.parameters()).device`로 장치를 알아내세요.
#
# **English**
#
# The PyTorch version of the same assignment (lecture day 3); the three functions keep the Keras
# version's contract. `nn.Conv2d` wants (N, channels, height, width), so give the (N, 28, 28)
# images a channel axis (`nn.Unflatten(1, (1, 28))` or `x.unsqueeze(1)`). On the PyTorch track the
# checkpoint and TensorBoard logs are not required. With a GPU present the grader moves the model
# there, so find the device with `next(model.parameters()).device`.

# %%
import numpy as np
import torch
from torch import nn

# %% [markdown]
# ## 1. 모델 만들기 / Building the model

# %%
def build_model() -> nn.Module:
    """An untrained CNN for 28×28 grey images and 10 classes.

    (Conv2d → BatchNorm2d → ReLU → MaxPool2d) × 2 → Flatten → Linear → Linear(10).
    Batch normalisation makes the few epochs a CPU can afford go further.

    Returns:
        an untrained nn.Module mapping a (N, 28, 28) float tensor to (N, 10) logits.
    Example:
        >>> build_model()(torch.zeros(2, 28, 28)).shape
        torch.Size([2, 10])

    학습하지 않은 CNN: (Conv2d → BatchNorm2d → ReLU → MaxPool2d) × 2 → Flatten → Linear → Linear(10).
    배치 정규화 덕분에 CPU에서 돌릴 수 있는 적은 에포크로도 잘 학습됩니다.
    반환값: (N, 28, 28) 텐서 → (N, 10) 로짓을 내는 학습 전 nn.Module.
    예: build_model()(torch.zeros(2, 28, 28)).shape → torch.Size([2, 10])
    """
    ### BEGIN SOLUTION
    return nn.Sequential(
        nn.Unflatten(1, (1, 28)),  # (N, 28, 28) → (N, 1, 28, 28)
        nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),   # → (N, 32, 13, 13)
        nn.Conv2d(32, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),  # → (N, 32, 5, 5)
        nn.Flatten(),
        nn.Linear(32 * 5 * 5, 128), nn.ReLU(), nn.Dropout(0.3),
        nn.Linear(128, 10),
    )
    ### END SOLUTION


# %% [markdown]
# ## 2. 학습 / Training

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
    epochs = 10
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
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
