# %% [markdown]
# # 과제 12 · RNN, LSTM, GRU 시퀀스 분류기 / Assignment 12 · RNN, LSTM and GRU sequence classifiers
#
# **한국어**
#
# 순환 신경망(RNN)은 시퀀스를 한 단계씩 읽으며 은닉 상태 `h`에 지금까지 본 것을 요약합니다.
# 이 과제는 두 부분입니다.
# 1. NumPy로 한 단계 계산을 직접 구현합니다: 기본 RNN 셀(`rnn_step`)과 LSTM 셀(`lstm_step`).
#    `lstm_step`은 같은 가중치를 주면 `torch.nn.LSTMCell`과 같은 값을 내야 합니다.
# 2. PyTorch로 이미지를 시퀀스로 읽는 분류기를 만들고 학습시킵니다 (강의 RNN 장). 28×28
#    이미지를 **28개의 행(시간 단계)**, 각 행을 **28개의 특징**으로 보고, 마지막 시간 단계의
#    은닉 상태로 10개 클래스를 분류합니다. 채점기는 `kind="lstm"` 모델을 Fashion-MNIST로
#    직접 학습시켜 테스트 정확도를 잽니다 (과제 10, 11과 같은 방식).
#
# 모든 배열은 **배치 우선(batch-first)** 입니다: `x`는 (N, 입력 크기), `h`와 `c`는 (N, H).
#
# **English**
#
# A recurrent neural network (RNN) reads a sequence one step at a time and summarises what it
# has seen in a hidden state `h`. This assignment has two parts.
# 1. Implement one step by hand with NumPy: the plain RNN cell (`rnn_step`) and the LSTM cell
#    (`lstm_step`). Given the same weights, `lstm_step` must agree with `torch.nn.LSTMCell`.
# 2. Build and train, with PyTorch, a classifier that reads an image as a sequence (lecture's RNN
#    chapter): the 28×28 image is **28 rows (time steps)** of **28 features** each, and the
#    hidden state after the last step is classified into 10 classes. The grader trains the
#    `kind="lstm"` model on Fashion-MNIST itself and measures test accuracy (as in 10 and 11).
#
# Every array is **batch-first**: `x` is (N, input size), `h` and `c` are (N, H).

# %%
import numpy as np
import torch
from torch import nn

# %% [markdown]
# ## 1. RNN 한 단계 / One RNN step
#
# **한국어** — h_new = tanh(x·Wx + h·Wh + b). `x`는 (N, D), `h`는 (N, H), `Wx`는 (D, H),
# `Wh`는 (H, H), `b`는 (H,)입니다.
#
# **English** — h_new = tanh(x·Wx + h·Wh + b), with `x` (N, D), `h` (N, H), `Wx` (D, H),
# `Wh` (H, H) and `b` (H,).

# %%
def rnn_step(x: np.ndarray, h: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One step of a plain (Elman) RNN cell.

    h_new = tanh(x·Wx + h·Wh + b)

    Args:
        x: (N, D) inputs of this time step.
        h: (N, H) hidden state of the previous step.
        Wx: (D, H) input weights;  Wh: (H, H) recurrent weights;  b: (H,) bias.
    Returns:
        (N, H) new hidden state, every value in (−1, 1).
    Example:
        >>> rnn_step(np.ones((1, 2)), np.zeros((1, 1)), np.ones((2, 1)), np.ones((1, 1)), np.zeros(1))
        array([[0.96402758]])

    기본 RNN 셀의 한 단계: h_new = tanh(x·Wx + h·Wh + b).
    인자: x (N, D) 이번 단계의 입력, h (N, H) 이전 은닉 상태, Wx (D, H), Wh (H, H), b (H,).
    반환값: (N, H) 새 은닉 상태 (값은 (−1, 1) 범위).
    예: 위 예시는 tanh(2) ≈ 0.9640.
    """
    ### BEGIN SOLUTION
    x, h = np.asarray(x, dtype=np.float64), np.asarray(h, dtype=np.float64)
    return np.tanh(x @ np.asarray(Wx, dtype=np.float64) + h @ np.asarray(Wh, dtype=np.float64) + np.asarray(b, dtype=np.float64))
    ### END SOLUTION


# %% [markdown]
# ## 2. LSTM 한 단계 / One LSTM step
#
# **한국어** — z = x·Wx + h·Wh + b는 (N, 4H)이고, 열을 H개씩 네 덩어리로 나눕니다. 순서는
# PyTorch와 같은 **입력(i), 망각(f), 셀 후보(g), 출력(o)** 게이트입니다.
#
#     i = σ(z[:, 0:H]),  f = σ(z[:, H:2H]),  g = tanh(z[:, 2H:3H]),  o = σ(z[:, 3H:4H])
#     c_new = f ⊙ c + i ⊙ g,     h_new = o ⊙ tanh(c_new)
#
# `torch.nn.LSTMCell`의 `weight_ih`(4H, D)는 `Wx.T`, `weight_hh`(4H, H)는 `Wh.T`,
# `bias_ih + bias_hh`는 `b`에 해당합니다. σ는 큰 입력에서도 경고 없이 계산하세요.
#
# **English** — z = x·Wx + h·Wh + b is (N, 4H); split its columns into four blocks of H, in
# PyTorch's order **input (i), forget (f), cell candidate (g), output (o)**:
#
#     i = σ(z[:, 0:H]),  f = σ(z[:, H:2H]),  g = tanh(z[:, 2H:3H]),  o = σ(z[:, 3H:4H])
#     c_new = f ⊙ c + i ⊙ g,     h_new = o ⊙ tanh(c_new)
#
# `torch.nn.LSTMCell`'s `weight_ih` (4H, D) is `Wx.T`, its `weight_hh` (4H, H) is `Wh.T`, and
# `bias_ih + bias_hh` is `b`. Compute σ without warnings for large inputs.

# %%
def lstm_step(x: np.ndarray, h: np.ndarray, c: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
              b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One step of an LSTM cell, gates in PyTorch's order (i, f, g, o).

    z = x·Wx + h·Wh + b;  i, f, o = σ(blocks 0, 1, 3);  g = tanh(block 2)
    c_new = f·c + i·g;  h_new = o·tanh(c_new)

    Args:
        x: (N, D) inputs;  h: (N, H) hidden state;  c: (N, H) cell state.
        Wx: (D, 4H);  Wh: (H, 4H);  b: (4H,)  — columns in the order i, f, g, o.
    Returns:
        (h_new, c_new), each (N, H).
    Example:
        >>> h, c = lstm_step(np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
        ...                  np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
        >>> c   # f = σ(0) = 0.5 keeps half of c; i·g = 0.5·tanh(0) = 0
        array([[0.5]])

    LSTM 셀의 한 단계 (게이트 순서는 PyTorch와 같은 i, f, g, o).
    z = x·Wx + h·Wh + b, i/f/o = σ(0, 1, 3번째 덩어리), g = tanh(2번째 덩어리),
    c_new = f·c + i·g, h_new = o·tanh(c_new).
    인자: x (N, D), h (N, H), c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,).
    반환값: (h_new, c_new) 튜플, 각각 (N, H).
    예: 위 예시에서 c_new = 0.5.
    """
    ### BEGIN SOLUTION
    x, h, c = (np.asarray(a, dtype=np.float64) for a in (x, h, c))
    z = x @ np.asarray(Wx, dtype=np.float64) + h @ np.asarray(Wh, dtype=np.float64) + np.asarray(b, dtype=np.float64)
    H = h.shape[1]

    def sigmoid(v):
        e = np.exp(-np.abs(v))  # never overflows
        return np.where(v >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    i, f, g, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sigmoid(z[:, 3 * H:])
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new
    ### END SOLUTION


# %% [markdown]
# ## 3. 이미지를 행 단위로 읽는 분류기 / A classifier that reads an image row by row
#
# **한국어** — `kind`에 따라 `nn.RNN`, `nn.LSTM`, `nn.GRU` 중 하나를 `batch_first=True`,
# `input_size=28`로 만들고, 마지막 시간 단계의 출력을 `nn.Linear(hidden, 10)`에 넣어 로짓 10개를
# 냅니다. 입력 (N, 28, 28)은 그대로 (배치, 시간 28, 특징 28)입니다.
#
# **English** — Depending on `kind`, create `nn.RNN`, `nn.LSTM` or `nn.GRU` with
# `batch_first=True` and `input_size=28`, and feed the output of the last time step to
# `nn.Linear(hidden, 10)` for 10 logits. The input (N, 28, 28) already is (batch, 28 time
# steps, 28 features).

# %%
class RowReader(nn.Module):
    """Reads (N, 28, 28) images as 28 time steps of 28 features; returns (N, 10) logits."""

    def __init__(self, kind: str = "lstm", hidden: int = 128):
        super().__init__()
        ### BEGIN SOLUTION
        layer = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
        self.recurrent = layer(input_size=28, hidden_size=hidden, batch_first=True)
        self.head = nn.Linear(hidden, 10)
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        outputs, _ = self.recurrent(x)
        return self.head(outputs[:, -1, :])
        ### END SOLUTION


# %%
def build_model(kind: str = "lstm") -> nn.Module:
    """An untrained sequence classifier of the given kind.

    Args:
        kind: "rnn", "lstm" or "gru".
    Returns:
        an untrained nn.Module mapping a (N, 28, 28) float tensor to (N, 10) logits.
    Raises:
        ValueError: for any other kind.
    Example:
        >>> build_model("gru")(torch.zeros(2, 28, 28)).shape
        torch.Size([2, 10])

    kind 종류의 학습 전 시퀀스 분류기를 만듭니다.
    인자 kind: "rnn", "lstm", "gru" 중 하나 (그 밖의 값은 ValueError).
    반환값: (N, 28, 28) 텐서 → (N, 10) 로짓을 내는 nn.Module.
    예: build_model("gru")(torch.zeros(2, 28, 28)).shape → torch.Size([2, 10])
    """
    if kind not in ("rnn", "lstm", "gru"):
        raise ValueError(f"kind must be 'rnn', 'lstm' or 'gru', not {kind!r}")
    ### BEGIN SOLUTION
    return RowReader(kind)
    ### END SOLUTION


# %% [markdown]
# ## 4. 학습과 예측 / Training and prediction
#
# **한국어** — 과제 10, 11과 같습니다. 채점기는 `build_model("lstm")`의 모델을 학습시킵니다.
# LSTM은 MLP보다 느리니 시간 제한 안에 끝나도록 에포크 수를 고르세요. 순환 신경망은
# 기울기가 폭발할 수 있으니 `nn.utils.clip_grad_norm_`로 기울기 크기를 제한하면 안정적입니다.
#
# **English** — As in assignments 10 and 11; the grader trains the model of
# `build_model("lstm")`. An LSTM is slower than an MLP: choose the number of epochs to finish
# within the time limit. Recurrent networks can have exploding gradients: clipping them with
# `nn.utils.clip_grad_norm_` keeps training stable.

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
    epochs = 8
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
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
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
        schedule.step()
        accuracy = float(np.mean(predict(model, x_val) == y_val))
        model.history["loss"].append(loss.item())
        model.history["val_accuracy"].append(accuracy)
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}, validation accuracy {accuracy:.3f}")
    return model
    ### END SOLUTION


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
