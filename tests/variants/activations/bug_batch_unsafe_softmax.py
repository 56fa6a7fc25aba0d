# expect-fail: test_softmax_batch, test_softmax_rows_sum_to_one, test_softmax_axis0, test_softmax_middle_axis, test_softmax_batch_stable
# %% [markdown]
# # 과제 01 · 활성화 함수 / Assignment 01 · Activation functions
#
# **한국어**
#
# 신경망의 각 뉴런은 입력의 가중합 `z = x·w + b`를 계산한 뒤 **활성화 함수**를 통과시킵니다.
# 활성화 함수가 비선형이기 때문에 층을 여러 개 쌓은 신경망이 직선(평면)으로는 나눌 수 없는
# 문제도 풀 수 있습니다. 이 과제에서는 강의(2일차)에 나온 활성화 함수 여섯 개를 NumPy로 직접
# 구현합니다.
#
# 모든 함수는 다음을 지켜야 합니다.
# - 입력은 파이썬 숫자, 리스트, NumPy 배열 모두 가능합니다. 출력은 NumPy 배열이며 입력과 모양(shape)이 같습니다.
# - `x = ±1000` 같은 큰 입력에서도 오버플로, `nan`, 경고(warning)가 없어야 합니다 (수치 안정성).
# - `for` 문 대신 NumPy의 배열 연산을 쓰면 짧고 빠릅니다. (반복문을 써도 정답이면 만점입니다.)
#
# **English**
#
# Every neuron computes a weighted sum `z = x·w + b` and passes it through an **activation
# function**. Because the activation is non-linear, a network of several layers can solve
# problems that no straight line (or plane) can separate. In this assignment you implement the
# six activation functions of the lecture (day 2) with NumPy.
#
# Every function must:
# - accept Python numbers, lists and NumPy arrays, and return a NumPy array of the same shape;
# - stay numerically stable: no overflow, no `nan` and no warning even for `x = ±1000`;
# - preferably use NumPy's array operations instead of `for` loops (a correct loop still earns full marks).

# %%
import numpy as np
from numpy.typing import ArrayLike

# %% [markdown]
# ## 1. 시그모이드 / Sigmoid
#
# **한국어** — 시그모이드는 모든 실수를 0과 1 사이로 눌러 줍니다: σ(x) = 1 / (1 + e^(−x)).
# 그대로 계산하면 `x = −1000`에서 `e^1000`이 오버플로합니다. `x ≥ 0`이면 1 / (1 + e^(−x)),
# `x < 0`이면 같은 값인 e^x / (1 + e^x)를 쓰면 지수가 항상 0 이하라서 안전합니다.
#
# **English** — The sigmoid squashes every real number into (0, 1): σ(x) = 1 / (1 + e^(−x)).
# Computed literally, `x = −1000` overflows in `e^1000`. Use 1 / (1 + e^(−x)) for `x ≥ 0` and the
# equal e^x / (1 + e^x) for `x < 0`: the exponent is then never positive.

# %%
def sigmoid(x: ArrayLike) -> np.ndarray:
    """The logistic sigmoid, computed so that large |x| never overflows.

    σ(x) = 1 / (1 + e^(−x))

    Args:
        x: a number, list or array of any shape.
    Returns:
        array of the same shape as x, every value in [0, 1].
    Example:
        >>> sigmoid([0.0, 2.0])
        array([0.5       , 0.88079708])

    시그모이드 함수입니다. |x|가 커도 오버플로가 나지 않게 계산합니다.
    σ(x) = 1 / (1 + e^(−x))
    인자 x: 숫자, 리스트 또는 임의 모양의 배열.
    반환값: x와 같은 모양의 배열, 모든 값은 [0, 1] 범위.
    예: sigmoid([0.0, 2.0]) → array([0.5, 0.8808])
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    z = np.exp(-np.abs(x))  # exponent ≤ 0: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    ### END SOLUTION


# %% [markdown]
# ## 2. 하이퍼볼릭 탄젠트 / Hyperbolic tangent
#
# **한국어** — tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))는 값의 범위가 (−1, 1)이고 0을 중심으로
# 대칭인(홀함수, tanh(−x) = −tanh(x)) 시그모이드 모양 함수입니다. 공식을 그대로 쓰면 큰 x에서
# inf / inf = nan이 되니 주의하세요.
#
# **English** — tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)) is an S-shaped function with range
# (−1, 1), centred on 0 (odd: tanh(−x) = −tanh(x)). The literal formula gives inf / inf = nan for
# large x, so be careful.

# %%
def tanh(x: ArrayLike) -> np.ndarray:
    """The hyperbolic tangent, a zero-centred sigmoid.

    tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))

    Args:
        x: a number, list or array of any shape.
    Returns:
        array of the same shape as x, every value in [−1, 1].
    Example:
        >>> tanh([0.0, 1.0])
        array([0.        , 0.76159416])

    하이퍼볼릭 탄젠트입니다. 0을 중심으로 하는 시그모이드 모양 함수입니다.
    tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))
    인자 x: 숫자, 리스트 또는 임의 모양의 배열.
    반환값: x와 같은 모양의 배열, 모든 값은 [−1, 1] 범위.
    예: tanh([0.0, 1.0]) → array([0., 0.7616])
    """
    ### BEGIN SOLUTION
    return np.tanh(np.asarray(x, dtype=np.float64))
    ### END SOLUTION


# %% [markdown]
# ## 3. ReLU
#
# **한국어** — ReLU(x) = max(0, x): 음수는 0으로, 양수는 그대로 통과시킵니다. 계산이 빠르고
# 기울기가 사라지는 문제가 적어 은닉층에서 가장 많이 쓰입니다.
#
# **English** — ReLU(x) = max(0, x): negatives become 0, positives pass unchanged. It is cheap
# and its gradient does not vanish for positive inputs, so it is the usual hidden-layer choice.

# %%
def relu(x: ArrayLike) -> np.ndarray:
    """The rectified linear unit, element by element.

    relu(x) = max(0, x)

    Args:
        x: a number, list or array of any shape.
    Returns:
        array of the same shape as x, every value ≥ 0.
    Example:
        >>> relu([-2.0, 0.0, 3.0])
        array([0., 0., 3.])

    ReLU 함수입니다. 원소마다 max(0, x)를 계산합니다.
    인자 x: 숫자, 리스트 또는 임의 모양의 배열.
    반환값: x와 같은 모양의 배열, 모든 값은 0 이상.
    예: relu([-2.0, 0.0, 3.0]) → array([0., 0., 3.])
    """
    ### BEGIN SOLUTION
    return np.maximum(0, np.asarray(x))
    ### END SOLUTION


# %% [markdown]
# ## 4. 계단 함수 / Step function
#
# **한국어** — 퍼셉트론(3일차)의 활성화 함수 τ입니다. x ≥ 0이면 1, 아니면 −1을 내는 정수
# 함수입니다. **x = 0일 때 1**이라는 점에 주의하세요. 과제 04의 퍼셉트론이 이 함수를 씁니다.
#
# **English** — The perceptron's activation τ (day 3): 1 where x ≥ 0, otherwise −1, as
# integers. Note that **x = 0 gives 1**. Assignment 04's perceptron uses this function.

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
# ## 5. 소프트맥스 / Softmax
#
# **한국어** — 소프트맥스는 점수(logit) 벡터를 확률 분포로 바꿉니다:
# softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ). 결과는 모두 양수이고 합이 1입니다.
#
# 두 가지를 조심하세요.
# 1. **배치(batch)**: 입력이 (N, C) 모양이면 *각 행*이 따로 합 1이 되어야 합니다. 강의 노트의 한 줄
#    코드 `e / e.sum()`은 배열 전체를 더하므로 배치에서 틀립니다. `axis`와 `keepdims=True`를 쓰세요.
# 2. **안정성**: e^1000은 오버플로합니다. 각 슬라이스에서 최댓값을 빼도 결과는 같고
#    (softmax(x) = softmax(x − c)), 지수가 0 이하가 되어 안전합니다.
#
# **English** — Softmax turns a vector of scores (logits) into a probability distribution:
# softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ). All outputs are positive and they sum to 1.
#
# Two pitfalls:
# 1. **Batches**: for an input of shape (N, C) *each row* must sum to 1 on its own. The notes'
#    one-liner `e / e.sum()` sums the whole array and is wrong for batches: use `axis` and
#    `keepdims=True`.
# 2. **Stability**: e^1000 overflows. Subtracting each slice's maximum changes nothing
#    (softmax(x) = softmax(x − c)) and keeps every exponent ≤ 0.

# %%
def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """Exponentials normalised along `axis`, so that every slice is a probability distribution.

    softmax(x)ᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x)   (along `axis`)

    Args:
        x: a vector (C,) or a batch such as (N, C); any shape works.
        axis: the axis whose slices are normalised; −1 (the last) by default.
    Returns:
        array of the same shape as x; every slice along `axis` sums to 1.
    Example:
        >>> softmax([1.0, 1.0])
        array([0.5, 0.5])
        >>> softmax([[0.0, 0.0], [1000.0, 0.0]])   # each row on its own
        array([[0.5, 0.5],
               [1. , 0. ]])

    `axis` 방향으로 지수를 정규화해 각 슬라이스를 확률 분포로 만듭니다.
    softmax(x)ᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x)   (`axis` 방향)
    인자 x: 벡터 (C,) 또는 (N, C) 같은 배치. 어떤 모양이든 됩니다.
        axis: 정규화할 축. 기본값 −1 (마지막 축).
    반환값: x와 같은 모양의 배열. `axis` 방향의 각 슬라이스 합이 1입니다.
    예: softmax([1.0, 1.0]) → array([0.5, 0.5])
        softmax([[0.0, 0.0], [1000.0, 0.0]]) → array([[0.5, 0.5], [1., 0.]])  (행마다 따로)
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - np.max(x))
    return e / e.sum()
    ### END SOLUTION


# %% [markdown]
# ## 6. 시그모이드의 도함수 / Derivative of the sigmoid
#
# **한국어** — 역전파(backpropagation)에서는 활성화 함수의 기울기가 필요합니다. 시그모이드의
# 도함수는 자기 자신으로 표현됩니다: σ'(x) = σ(x)(1 − σ(x)). 최댓값은 x = 0에서 0.25이고,
# |x|가 크면 0에 가까워집니다 (기울기 소실). 위에서 만든 `sigmoid`를 다시 쓰세요.
#
# **English** — Backpropagation needs the slope of each activation. The sigmoid's derivative is
# written with the sigmoid itself: σ'(x) = σ(x)(1 − σ(x)). It peaks at 0.25 for x = 0 and tends
# to 0 for large |x| (the vanishing gradient). Reuse your `sigmoid` from above.

# %%
def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """The sigmoid's slope, which backpropagation multiplies into the gradient.

    σ'(x) = σ(x)(1 − σ(x))

    Args:
        x: a number, list or array of any shape.
    Returns:
        array of the same shape as x, every value in [0, 0.25].
    Example:
        >>> sigmoid_grad([0.0, 2.0])
        array([0.25      , 0.10499359])

    시그모이드의 기울기입니다. 역전파에서 그래디언트에 곱해집니다.
    σ'(x) = σ(x)(1 − σ(x))
    인자 x: 숫자, 리스트 또는 임의 모양의 배열.
    반환값: x와 같은 모양의 배열, 모든 값은 [0, 0.25] 범위.
    예: sigmoid_grad([0.0, 2.0]) → array([0.25, 0.105])
    """
    ### BEGIN SOLUTION
    s = sigmoid(x)
    return s * (1.0 - s)
    ### END SOLUTION


# %% [markdown]
# ## 직접 확인해 보기 / Try it yourself
#
# **한국어** — 아래 셀을 실행해 결과를 확인하세요. 같은 폴더에서 `python -m pytest test_activations.py`로
# 공개 테스트도 돌려 볼 수 있습니다.
#
# **English** — Run the cell below to see your functions at work. You can also run the public
# tests from this folder with `python -m pytest test_activations.py`.

# %%
if __name__ == "__main__":
    print("sigmoid([-1000, 0, 1000]) =", sigmoid([-1000.0, 0.0, 1000.0]))
    print("tanh([-1, 0, 1])          =", tanh([-1.0, 0.0, 1.0]))
    print("relu([-2, 0, 3])          =", relu([-2.0, 0.0, 3.0]))
    print("step([-0.5, 0, 2])        =", step([-0.5, 0.0, 2.0]))
    print("softmax([[1, 2, 3], [1000, 0, -1000]]) =\n", softmax([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]))
    print("sigmoid_grad([0, 2])      =", sigmoid_grad([0.0, 2.0]))
