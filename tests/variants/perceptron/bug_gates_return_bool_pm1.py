# expect-fail: test_and_gate, test_or_gate, test_nand_gate, test_xor_gate
# %% [markdown]
# # 과제 04 · 퍼셉트론과 논리 게이트 / Assignment 04 · Perceptrons and logic gates
#
# **한국어**
#
# 퍼셉트론은 가장 단순한 인공 뉴런입니다(3일차). 입력 x에 가중치 w를 곱해 더하고 편향 b를 더한 뒤,
# 계단 함수 τ로 1 또는 −1을 냅니다: ŷ = τ(x·w + b). 평면 위에서 보면 퍼셉트론은 직선 x·w + b = 0을
# 경계로 점들을 두 쪽으로 나눕니다.
#
# 이 과제에서 할 일
# 1. `perceptron_output`: 여러 입력(행렬 X의 각 행)에 대한 퍼셉트론의 출력
# 2. AND, OR, NAND 게이트: 퍼셉트론 하나로, 가중치와 편향을 직접 골라서
# 3. XOR 게이트: 직선 하나로는 나눌 수 없으므로 OR와 NAND의 결과를 AND로 합쳐서 (강의 노트의 방법)
# 4. `train_perceptron`: 퍼셉트론 학습 규칙으로 가중치를 데이터에서 배우기
#
# **English**
#
# The perceptron is the simplest artificial neuron (day 3): it multiplies the inputs x by
# weights w, adds a bias b and passes the sum through the step function τ, giving 1 or −1:
# ŷ = τ(x·w + b). In the plane, a perceptron splits the points along the line x·w + b = 0.
#
# What you do
# 1. `perceptron_output`: the perceptron's output for many inputs (the rows of X);
# 2. the AND, OR and NAND gates, each one perceptron whose weights and bias you choose;
# 3. the XOR gate: no single line separates it, so combine OR and NAND with AND (as in the notes);
# 4. `train_perceptron`: learn the weights from data with the perceptron learning rule.

# %%
import numpy as np
from numpy.typing import ArrayLike

# %% [markdown]
# ## 0. 계단 함수 τ / The step function τ
#
# **한국어** — 과제 01에서 만든 `step`을 그대로 옮겨 오세요: x ≥ 0이면 1, 아니면 −1 (τ(0) = 1).
#
# **English** — Copy your `step` from assignment 01: 1 where x ≥ 0, else −1 (τ(0) = 1).

# %%
def step(x: ArrayLike) -> np.ndarray:
    """The perceptron's threshold τ: +1 or −1, with τ(0) = 1.

    step(x) = 1 if x ≥ 0 else −1

    Args:
        x: a number, list or array of any shape.
    Returns:
        integer array of the same shape as x, every value 1 or −1.
    Example:
        >>> step([-0.5, 0.0, 2.0])
        array([-1,  1,  1])

    퍼셉트론의 계단 함수 τ입니다. x ≥ 0이면 1, 아니면 −1 (τ(0) = 1).
    인자 x: 숫자, 리스트 또는 임의 모양의 배열.
    반환값: x와 같은 모양의 정수 배열, 모든 값은 1 또는 −1.
    예: step([-0.5, 0.0, 2.0]) → array([-1, 1, 1])
    """
    ### BEGIN SOLUTION
    return np.where(np.asarray(x) >= 0, 1, -1)
    ### END SOLUTION


# %% [markdown]
# ## 1. 퍼셉트론의 출력 / The perceptron's output
#
# **한국어** — X의 각 행이 입력 하나입니다. X의 모양이 (n, d)이고 w가 (d,)이면 `X @ w + b`는 모양 (n,)인
# 가중합이고, 여기에 τ를 적용하면 행마다 출력 하나(1 또는 −1)가 나옵니다.
#
# **English** — Each row of X is one input. For X of shape (n, d) and w of shape (d,),
# `X @ w + b` holds the n weighted sums; τ of it gives one output (1 or −1) per row.

# %%
def perceptron_output(X: ArrayLike, w: ArrayLike, b: float) -> np.ndarray:
    """One perceptron applied to every row of X.

    ŷ = τ(X·w + b)

    Args:
        X: inputs, shape (n, d), one row per input.
        w: weights, shape (d,).
        b: bias, a number.
    Returns:
        integer array of shape (n,), every value 1 or −1.
    Example:
        >>> perceptron_output([[0, 0], [1, 1]], [0.5, 0.5], -0.7)   # 0.5 + 0.5 − 0.7 ≥ 0 only for [1, 1]
        array([-1,  1])

    퍼셉트론 하나를 X의 모든 행에 적용합니다.
    ŷ = τ(X·w + b)
    인자 X: 입력, 모양 (n, d), 행 하나가 입력 하나. w: 가중치, 모양 (d,). b: 편향, 숫자 하나.
    반환값: 모양 (n,)인 정수 배열, 모든 값은 1 또는 −1.
    예: perceptron_output([[0, 0], [1, 1]], [0.5, 0.5], -0.7) → array([-1, 1])
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    return step(X @ np.asarray(w, dtype=np.float64) + b)
    ### END SOLUTION


# %% [markdown]
# ## 2. 논리 게이트 / Logic gates
#
# **한국어** — 입력 x1, x2와 출력은 0 또는 1입니다. 각 게이트는 **퍼셉트론 하나**로 만듭니다. 진리표를
# 맞추는 가중치 (w1, w2)와 편향 b를 직접 골라 `perceptron_output`에 넣고, 그 결과(1 또는 −1)를 아래
# `to_bit`으로 1 또는 0으로 바꾸세요. 정답 가중치는 하나가 아닙니다. 예를 들어 AND는 두 입력이 모두
# 1일 때만 w1 + w2 + b ≥ 0이면 됩니다.
#
# | x1 | x2 | AND | OR | NAND | XOR |
# |---|---|---|---|---|---|
# | 0 | 0 | 0 | 0 | 1 | 0 |
# | 0 | 1 | 0 | 1 | 1 | 1 |
# | 1 | 0 | 0 | 1 | 1 | 1 |
# | 1 | 1 | 1 | 1 | 0 | 0 |
#
# XOR은 직선 하나로 나눌 수 없어서 퍼셉트론 하나로는 만들 수 없습니다. 강의 노트처럼 **OR와 NAND의
# 출력을 AND에 넣어** 만드세요: XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)). 이것이 층을 쌓는
# 다층 퍼셉트론(MLP)의 시작입니다.
#
# **English** — Inputs x1, x2 and the output are 0 or 1. Build each gate from **one
# perceptron**: choose weights (w1, w2) and a bias b that reproduce its truth table (above), call
# `perceptron_output`, and turn its 1 / −1 into 1 / 0 with `to_bit` below. Many weights work:
# AND, for instance, only needs w1 + w2 + b ≥ 0 when both inputs are 1 and < 0 otherwise.
#
# XOR cannot be drawn with one line, so no single perceptron computes it. As in the notes,
# **feed the outputs of OR and NAND into AND**: XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)). That
# stacking of layers is the start of the multi-layer perceptron (MLP).

# %%
def to_bit(output: ArrayLike) -> int:
    """A perceptron's single output 1 / −1 as the gate's bit 1 / 0 (provided)."""
    return int(np.asarray(output).reshape(-1)[0] > 0)


# %%
def AND(x1: int, x2: int) -> int:
    """The AND gate from one perceptron: 1 only when both inputs are 1.

    Args:
        x1, x2: 0 or 1.
    Returns:
        0 or 1.
    Example:
        >>> AND(1, 1), AND(1, 0)
        (1, 0)

    퍼셉트론 하나로 만든 AND 게이트입니다. 두 입력이 모두 1일 때만 1입니다.
    인자 x1, x2: 0 또는 1. 반환값: 0 또는 1.
    예: AND(1, 1) → 1, AND(1, 0) → 0
    """
    ### BEGIN SOLUTION
    return int(perceptron_output([[x1, x2]], [0.5, 0.5], -0.7)[0])
    ### END SOLUTION


# %%
def OR(x1: int, x2: int) -> int:
    """The OR gate from one perceptron: 1 when at least one input is 1.

    Args:
        x1, x2: 0 or 1.
    Returns:
        0 or 1.
    Example:
        >>> OR(0, 1), OR(0, 0)
        (1, 0)

    퍼셉트론 하나로 만든 OR 게이트입니다. 입력 중 하나라도 1이면 1입니다.
    인자 x1, x2: 0 또는 1. 반환값: 0 또는 1.
    예: OR(0, 1) → 1, OR(0, 0) → 0
    """
    ### BEGIN SOLUTION
    return int(perceptron_output([[x1, x2]], [0.5, 0.5], -0.2)[0])
    ### END SOLUTION


# %%
def NAND(x1: int, x2: int) -> int:
    """The NAND gate from one perceptron: NOT AND, 0 only when both inputs are 1.

    Args:
        x1, x2: 0 or 1.
    Returns:
        0 or 1.
    Example:
        >>> NAND(1, 1), NAND(0, 1)
        (0, 1)

    퍼셉트론 하나로 만든 NAND 게이트입니다 (AND의 반대). 두 입력이 모두 1일 때만 0입니다.
    인자 x1, x2: 0 또는 1. 반환값: 0 또는 1.
    예: NAND(1, 1) → 0, NAND(0, 1) → 1
    """
    ### BEGIN SOLUTION
    return int(perceptron_output([[x1, x2]], [-0.5, -0.5], 0.7)[0])
    ### END SOLUTION


# %%
def XOR(x1: int, x2: int) -> int:
    """The XOR gate as two layers: AND of OR and NAND (no single perceptron can do it).

    XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2))

    Args:
        x1, x2: 0 or 1.
    Returns:
        0 or 1: 1 when exactly one input is 1.
    Example:
        >>> XOR(0, 1), XOR(1, 1)
        (1, 0)

    두 층으로 만든 XOR 게이트입니다: OR와 NAND의 출력을 AND로 합칩니다 (퍼셉트론 하나로는 불가능).
    XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2))
    인자 x1, x2: 0 또는 1. 반환값: 0 또는 1, 입력 중 정확히 하나만 1일 때 1.
    예: XOR(0, 1) → 1, XOR(1, 1) → 0
    """
    ### BEGIN SOLUTION
    return AND(OR(x1, x2), NAND(x1, x2))
    ### END SOLUTION


# %% [markdown]
# ## 3. 퍼셉트론 학습 규칙 / The perceptron learning rule
#
# **한국어** — 가중치를 손으로 고르는 대신 데이터에서 배웁니다. 레이블 y는 1 또는 −1입니다.
# w = 0, b = 0에서 시작해, 에포크(epoch)마다 모든 샘플 (xᵢ, yᵢ)을 차례로 보며
#
# ŷᵢ = τ(xᵢ·w + b)가 yᵢ와 다르면:  w ← w + lr·yᵢ·xᵢ,  b ← b + lr·yᵢ
#
# 로 고칩니다 (맞으면 그대로 둡니다). **편향 b도 반드시 고쳐야** 원점을 지나지 않는 경계를 배울 수
# 있습니다. 한 에포크 동안 틀린 샘플이 없으면 일찍 멈춰도 됩니다. 데이터가 직선(평면)으로 나뉠 수 있으면
# (OR, AND) 이 규칙은 유한한 횟수 안에 모두 맞히는 w, b를 찾습니다. XOR에서는 찾을 수 없습니다.
#
# **English** — Instead of choosing weights by hand, learn them. Labels y are 1 or −1. Start
# from w = 0, b = 0; in every epoch visit each sample (xᵢ, yᵢ) in turn and, when
#
# ŷᵢ = τ(xᵢ·w + b) differs from yᵢ:  w ← w + lr·yᵢ·xᵢ,  b ← b + lr·yᵢ
#
# (leave them alone when it is right). **Update the bias too**, or the boundary can never move
# away from the origin. You may stop early after an epoch without mistakes. On linearly
# separable data (OR, AND) the rule finds a w, b that classifies every point after finitely
# many updates; on XOR it cannot.

# %%
def train_perceptron(X: ArrayLike, y: ArrayLike, lr: float = 0.1, epochs: int = 100) -> tuple[np.ndarray, float]:
    """Weights and bias learnt by the perceptron rule, starting from zero.

    on a mistake (τ(xᵢ·w + b) ≠ yᵢ):  w ← w + lr·yᵢ·xᵢ,   b ← b + lr·yᵢ

    Args:
        X: inputs, shape (n, d).
        y: labels 1 or −1, shape (n,).
        lr: learning rate, the size of each correction.
        epochs: most passes over the data.
    Returns:
        the tuple (w, b): weights of shape (d,) and the bias, a number.
    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> w, b = train_perceptron(X, [-1, 1, 1, 1])               # OR with labels ±1
        >>> perceptron_output(X, w, b)
        array([-1,  1,  1,  1])

    퍼셉트론 학습 규칙으로 0에서 시작해 가중치와 편향을 배웁니다.
    틀렸을 때 (τ(xᵢ·w + b) ≠ yᵢ):  w ← w + lr·yᵢ·xᵢ,   b ← b + lr·yᵢ
    인자 X: 입력, 모양 (n, d). y: 1 또는 −1인 레이블, 모양 (n,).
        lr: 학습률, 한 번에 고치는 크기. epochs: 데이터를 최대 몇 번 돌지.
    반환값: (w, b) 튜플. w는 모양 (d,)인 가중치, b는 편향 숫자 하나.
    예: OR 데이터(레이블 ±1)로 학습하면 perceptron_output(X, w, b) → array([-1, 1, 1, 1])
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for xi, yi in zip(X, y):
            if step(xi @ w + b) != yi:
                w = w + lr * yi * xi
                b = b + lr * yi
                mistakes += 1
        if mistakes == 0:
            break
    return w, b
    ### END SOLUTION


# %% [markdown]
# ## 직접 확인해 보기 / Try it yourself
#
# **한국어** — 아래 셀은 게이트의 진리표와 OR 학습 결과를 보여 줍니다. XOR 데이터로 학습하면 어떻게
# 되는지도 살펴보세요. 공개 테스트는 `python -m pytest test_perceptron.py`로 실행합니다.
#
# **English** — The cell below prints the truth tables and what training learns on OR. Try it on
# XOR too and see what happens. Run the public tests with `python -m pytest test_perceptron.py`.

# %%
if __name__ == "__main__":
    for a in (0, 1):
        for c in (0, 1):
            print(f"x=({a}, {c})  AND={AND(a, c)}  OR={OR(a, c)}  NAND={NAND(a, c)}  XOR={XOR(a, c)}")
    inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    w, b = train_perceptron(inputs, [-1, 1, 1, 1])
    print("OR learnt:  w =", w, " b =", b, " outputs:", perceptron_output(inputs, w, b))
    w, b = train_perceptron(inputs, [-1, 1, 1, -1])
    print("XOR learnt: w =", w, " b =", b, " outputs:", perceptron_output(inputs, w, b), "(never all right)")
