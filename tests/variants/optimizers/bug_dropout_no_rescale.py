# expect-fail: test_dropout_inverted_scaling, test_dropout_keeps_expected_value
# %% [markdown]
# # 07 옵티마이저와 드롭아웃 / Optimizers and dropout
#
# **한국어** — 신경망은 손실의 기울기(gradient) g를 따라 가중치 w를 조금씩 옮기며 학습합니다.
# 옮기는 규칙이 옵티마이저입니다. 이 과제에서는 numpy로 세 가지 옵티마이저의 "한 걸음"과,
# 과적합을 줄이는 드롭아웃을 구현합니다. 결과는 PyTorch의 `torch.optim.SGD`, `torch.optim.Adam`과
# 같아야 합니다. 모든 함수는 새 값을 반환하며, 입력 배열을 바꾸지 않는 것이 좋습니다.
#
# **English** — A network learns by moving its weights w a little along the gradient g of
# the loss; the rule for that move is the optimizer. Implement with numpy one step of
# three optimizers, and dropout, which reduces overfitting. Results must match PyTorch's
# `torch.optim.SGD` and `torch.optim.Adam`. Every function returns new values; it is
# best not to modify the input arrays.

# %%
import numpy as np

# %% [markdown]
# ## 1. 경사 하강법 / Gradient descent (SGD)
#
# **한국어** — w ← w − η·g (η는 학습률).
#
# **English** — w ← w − η·g (η is the learning rate).

# %%
def sgd_step(w, grad, lr: float) -> np.ndarray:
    """One step of plain gradient descent.

    Formula: w_new = w - lr * grad.

    Args:
        w: weights, any shape.
        grad: gradient of the loss with respect to w, same shape.
        lr: learning rate.

    Returns:
        the new weights, same shape as w.

    Example:
        >>> sgd_step([1.0, 2.0], [0.5, -1.0], 0.1)
        array([0.95, 2.1 ])

    한국어: 경사 하강법 한 걸음 w_new = w − lr · grad. w와 grad는 같은 모양이고 결과도 같은 모양입니다.
    """
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)
    ### END SOLUTION


# %% [markdown]
# ## 2. 모멘텀 / Momentum
#
# **한국어** — 모멘텀은 지난 기울기들을 속도(velocity) v에 모아 두고 그 방향으로 움직입니다.
# PyTorch 방식: v ← μ·v + g, w ← w − η·v (μ = 0.9가 흔한 값). 처음에는 v = 0 입니다.
# (Keras 교재의 v ← μ·v − η·g, w ← w + v 와는 v의 크기가 다르므로, 여기서는 PyTorch 방식을 따르세요.)
#
# **English** — Momentum collects past gradients in a velocity v and moves along it.
# PyTorch's convention: v ← μ·v + g, w ← w − η·v (μ = 0.9 is common), starting from
# v = 0. (Keras texts write v ← μ·v − η·g, w ← w + v, which scales v differently: follow
# PyTorch here.)

# %%
def momentum_step(w, grad, velocity, lr: float, momentum: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """One step of SGD with momentum, in PyTorch's convention.

    Formulas: v_new = momentum * v + grad;  w_new = w - lr * v_new.

    Args:
        w: weights, any shape.
        grad: gradient, same shape.
        velocity: the velocity from the previous step (zeros at the start), same shape.
        lr: learning rate.
        momentum: μ, how much of the old velocity is kept.

    Returns:
        (w_new, v_new), both the shape of w.

    Example:
        >>> momentum_step([1.0], [2.0], [1.0], lr=0.1)
        (array([0.71]), array([2.9]))

    한국어: 모멘텀 SGD 한 걸음 (PyTorch 방식). v_new = μ · v + grad, w_new = w − lr · v_new.
    (w_new, v_new) 튜플을 반환하며 둘 다 w와 같은 모양입니다.
    """
    ### BEGIN SOLUTION
    velocity = momentum * np.asarray(velocity, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(w, dtype=float) - lr * velocity, velocity
    ### END SOLUTION


# %% [markdown]
# ## 3. Adam
#
# **한국어** — Adam은 기울기의 이동 평균 m(1차 모멘트)과 제곱의 이동 평균 v(2차 모멘트)를 함께 씁니다.
#
# - m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
# - 편향 보정: m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)  (t는 1부터 셉니다)
# - w ← w − η·m̂ / (√v̂ + ε)
#
# m과 v는 0에서 시작하므로 처음 몇 걸음은 0 쪽으로 치우칩니다. 편향 보정이 그것을 바로잡습니다:
# 첫 걸음(t = 1)의 크기는 거의 정확히 η입니다.
#
# **English** — Adam keeps a moving average m of the gradients (first moment) and v of
# their squares (second moment).
#
# - m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
# - bias correction: m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)  (t counts from 1)
# - w ← w − η·m̂ / (√v̂ + ε)
#
# m and v start at 0, so the first steps are biased towards 0; bias correction fixes
# that: the first step (t = 1) has a size of almost exactly η.

# %%
def adam_step(w, grad, m, v, t: int, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam step with bias correction, matching torch.optim.Adam.

    Formulas: m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g**2;
    m_hat = m / (1 - b1**t);  v_hat = v / (1 - b2**t);  w = w - lr * m_hat / (sqrt(v_hat) + eps).

    Args:
        w: weights, any shape.
        grad: gradient, same shape.
        m: first moment from the previous step (zeros at the start), same shape.
        v: second moment from the previous step (zeros at the start), same shape.
        t: the number of this step, counting from 1.
        lr, beta1, beta2, eps: Adam's hyperparameters.

    Returns:
        (w_new, m_new, v_new), each the shape of w.

    Example:
        >>> w, m, v = adam_step([1.0], [0.5], [0.0], [0.0], t=1, lr=0.1)
        >>> w  # the first step moves by almost exactly lr
        array([0.9])

    한국어: 편향 보정을 포함한 Adam 한 걸음 (torch.optim.Adam과 같음). t는 1부터 셉니다.
    (w_new, m_new, v_new) 튜플을 반환하며 모두 w와 같은 모양입니다.
    """
    ### BEGIN SOLUTION
    grad = np.asarray(grad, dtype=float)
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    w = np.asarray(w, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w, m, v
    ### END SOLUTION


# %% [markdown]
# ## 4. 드롭아웃 / Dropout
#
# **한국어** — 학습할 때 각 유닛을 확률 p로 0으로 만들고(버리고), 남은 유닛은 1/(1 − p)배 합니다
# ("inverted dropout"). 그러면 출력의 기댓값이 입력과 같아서, 평가할 때(training=False)는 아무것도
# 하지 않고 입력을 그대로 돌려주면 됩니다. 마스크는 인자로 받은 `rng`(`np.random.Generator`)로
# 뽑으세요: 같은 시드의 rng는 같은 마스크를 만들어야 합니다. `rng`가 None이면
# `np.random.default_rng()`를 쓰세요.
#
# **English** — While training, zero (drop) each unit with probability p and scale the
# kept units by 1/(1 − p) ("inverted dropout"). The output then has the same expected
# value as the input, so at evaluation time (training=False) dropout does nothing and
# returns the input. Draw the mask with the given `rng` (a `np.random.Generator`): an rng
# with the same seed must give the same mask. When `rng` is None, use
# `np.random.default_rng()`.

# %%
def dropout(x, p: float, training: bool = True, rng: np.random.Generator | None = None) -> np.ndarray:
    """Inverted dropout: drop each unit with probability p, scale the kept ones by 1/(1-p).

    Formula: out = x * mask / (1 - p), mask_i = 1 with probability 1 - p, else 0.

    Args:
        x: activations, any shape.
        p: probability of DROPPING a unit, 0 <= p < 1.
        training: when False, return x unchanged.
        rng: np.random.Generator that draws the mask; None means np.random.default_rng().

    Returns:
        array of the shape of x.

    Example:
        >>> out = dropout(np.ones(8), 0.5, rng=np.random.default_rng(0))
        >>> sorted(set(out.tolist()))  # dropped units are 0, kept ones 1 / (1 - 0.5)
        [0.0, 2.0]

    한국어: 역드롭아웃. 각 유닛을 확률 p로 0으로 만들고 남은 유닛은 1/(1 − p)배 합니다.
    p는 "버릴" 확률(0 ≤ p < 1)이고, training=False이면 x를 그대로 반환합니다.
    마스크는 rng로 뽑습니다 (같은 시드 → 같은 마스크). 결과는 x와 같은 모양입니다.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    if not training or p == 0:
        return x
    if rng is None:
        rng = np.random.default_rng()
    keep = rng.random(x.shape) >= p
    return x * keep
    ### END SOLUTION


# %% [markdown]
# ## 확인해 보기 / Try it
#
# **한국어** — f(w) = (w − 3)²를 세 옵티마이저로 최소화해 봅니다. 기울기는 2(w − 3)입니다.
#
# **English** — Minimise f(w) = (w − 3)² with each optimizer; its gradient is 2(w − 3).

# %%
if __name__ == "__main__":
    w_sgd = w_mom = w_adam = np.array([0.0])
    velocity, m, v = np.zeros(1), np.zeros(1), np.zeros(1)
    for t in range(1, 101):
        w_sgd = sgd_step(w_sgd, 2 * (w_sgd - 3), lr=0.05)
        w_mom, velocity = momentum_step(w_mom, 2 * (w_mom - 3), velocity, lr=0.05)
        w_adam, m, v = adam_step(w_adam, 2 * (w_adam - 3), m, v, t, lr=0.1)
    print("SGD:", w_sgd, "momentum:", w_mom, "Adam:", w_adam)
    print(dropout(np.ones((2, 6)), 0.5, rng=np.random.default_rng(0)))
