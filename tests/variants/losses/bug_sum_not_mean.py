# expect-fail: test_bce_values, test_bce_edge
# %% [markdown]
# # 과제 02 · 손실 함수 / Assignment 02 · Loss functions
#
# **한국어**
#
# 손실 함수(loss)는 모델의 예측이 정답에서 얼마나 먼지를 **숫자 하나**로 나타냅니다. 학습은 이 숫자를
# 줄이는 방향으로 가중치를 고치는 과정입니다. 이 과제에서는 강의(2일차, 3일차)에 나온 손실 함수 여섯
# 개를 NumPy로 구현합니다.
#
# - 회귀(regression)용: 평균제곱오차 `mse`, 평균절대오차 `mae`, 평균제곱근오차 `rmse`
# - 분류(classification)용: 이진 교차 엔트로피, 범주형 교차 엔트로피, 정수 레이블용(sparse) 범주형 교차 엔트로피
#
# 공통 규칙
# - 모든 함수는 샘플에 대한 **평균** 하나를 반환합니다 (합이 아닙니다).
# - 로그는 **자연로그** `np.log`입니다 (`np.log10`이 아닙니다).
# - 교차 엔트로피는 로그를 취하기 전에 확률 p를 `[eps, 1 − eps]`로 자릅니다(`np.clip`). 그래야 p가 정확히
#   0이나 1이어도 `log(0) = −∞`, `nan`, 경고가 생기지 않습니다.
#
# **English**
#
# A loss measures with **one number** how far a model's predictions are from the truth;
# training changes the weights to make that number smaller. In this assignment you implement
# the six losses of the lecture (days 2 and 3) with NumPy.
#
# - for regression: mean squared error `mse`, mean absolute error `mae`, root mean squared error `rmse`;
# - for classification: binary cross-entropy, categorical cross-entropy, and its sparse version for integer labels.
#
# Rules for every function
# - Return one number: the **mean** over samples (not the sum).
# - Use the **natural** logarithm `np.log` (not `np.log10`).
# - Cross-entropies clip p to `[eps, 1 − eps]` (`np.clip`) before the log, so that p of exactly
#   0 or 1 gives no `log(0) = −∞`, no `nan` and no warning.

# %%
import numpy as np
from numpy.typing import ArrayLike

# %% [markdown]
# ## 1. 회귀 손실 / Regression losses
#
# **한국어** — 오차 eᵢ = yᵢ − ŷᵢ에 대해
# - MSE = mean(e²): 큰 오차에 더 큰 벌을 줍니다.
# - MAE = mean(|e|): 이상치(outlier)에 덜 민감합니다.
# - RMSE = √MSE: 단위가 y와 같아 해석하기 쉽습니다.
#
# 입력이 (N, K) 모양이면 모든 원소에 대해 평균합니다.
#
# **English** — With errors eᵢ = yᵢ − ŷᵢ:
# - MSE = mean(e²) punishes large errors more;
# - MAE = mean(|e|) is less sensitive to outliers;
# - RMSE = √MSE has the same unit as y, which makes it easy to read.
#
# For inputs of shape (N, K), average over every element.

# %%
def mse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean squared error: large errors count quadratically.

    MSE = (1/n) Σ (yᵢ − ŷᵢ)²   over every element

    Args:
        y_true: true values, shape (N,) or (N, K).
        y_pred: predictions, same shape as y_true.
    Returns:
        one number (a numpy float).
    Example:
        >>> float(mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))   # (0 + 0 + 4) / 3
        1.3333333333333333

    평균제곱오차입니다. 큰 오차일수록 제곱으로 크게 반영됩니다.
    MSE = (1/n) Σ (yᵢ − ŷᵢ)²   (모든 원소에 대해)
    인자 y_true: 정답, 모양 (N,) 또는 (N, K). y_pred: 예측, y_true와 같은 모양.
    반환값: 숫자 하나 (numpy float).
    예: mse([1, 2, 3], [1, 2, 5]) → (0 + 0 + 4) / 3 = 1.3333
    """
    ### BEGIN SOLUTION
    error = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return np.mean(error ** 2)
    ### END SOLUTION


# %%
def mae(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean absolute error: every unit of error counts the same.

    MAE = (1/n) Σ |yᵢ − ŷᵢ|   over every element

    Args:
        y_true: true values, shape (N,) or (N, K).
        y_pred: predictions, same shape as y_true.
    Returns:
        one number (a numpy float).
    Example:
        >>> float(mae([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))   # (0 + 0 + 2) / 3
        0.6666666666666666

    평균절대오차입니다. 오차의 크기를 그대로 평균합니다.
    MAE = (1/n) Σ |yᵢ − ŷᵢ|   (모든 원소에 대해)
    인자 y_true: 정답, 모양 (N,) 또는 (N, K). y_pred: 예측, y_true와 같은 모양.
    반환값: 숫자 하나 (numpy float).
    예: mae([1, 2, 3], [1, 2, 5]) → (0 + 0 + 2) / 3 = 0.6667
    """
    ### BEGIN SOLUTION
    error = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return np.mean(np.abs(error))
    ### END SOLUTION


# %%
def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Root mean squared error: MSE brought back to the unit of y.

    RMSE = √MSE

    Args:
        y_true: true values, shape (N,) or (N, K).
        y_pred: predictions, same shape as y_true.
    Returns:
        one number (a numpy float).
    Example:
        >>> float(rmse([0.0, 0.0], [3.0, -3.0]))   # √((9 + 9) / 2)
        3.0

    평균제곱근오차입니다. MSE의 제곱근이라 y와 단위가 같습니다.
    RMSE = √MSE
    인자 y_true: 정답, 모양 (N,) 또는 (N, K). y_pred: 예측, y_true와 같은 모양.
    반환값: 숫자 하나 (numpy float).
    예: rmse([0, 0], [3, −3]) → √((9 + 9) / 2) = 3.0
    """
    ### BEGIN SOLUTION
    return np.sqrt(mse(y_true, y_pred))
    ### END SOLUTION


# %% [markdown]
# ## 2. 이진 교차 엔트로피 / Binary cross-entropy
#
# **한국어** — 정답 y ∈ {0, 1}과 "1일 확률" 예측 p에 대해
# BCE = −mean[ y·log p + (1 − y)·log(1 − p) ].
# 정답에 높은 확률을 줄수록 손실이 0에 가깝고, 틀린 답을 확신할수록 손실이 커집니다.
# p = 0 또는 1이면 log(0)이 되므로 먼저 `np.clip(p, eps, 1 - eps)`로 자르세요.
#
# **English** — For labels y ∈ {0, 1} and predicted probabilities p of class 1:
# BCE = −mean[ y·log p + (1 − y)·log(1 − p) ].
# The loss is near 0 when the true class gets a high probability and grows when the model is
# confidently wrong. p = 0 or 1 would take log(0), so first clip: `np.clip(p, eps, 1 - eps)`.

# %%
def binary_cross_entropy(y_true: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    """Binary cross-entropy, with p clipped so that log never sees 0.

    BCE = −(1/n) Σ [ yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ) ],   p clipped to [eps, 1 − eps]

    Args:
        y_true: labels 0 or 1, shape (N,) (or any shape, averaged over every element).
        p: predicted probabilities of class 1, same shape as y_true.
        eps: how far p is kept from 0 and 1.
    Returns:
        one number (a numpy float), natural logarithm.
    Example:
        >>> round(float(binary_cross_entropy([1, 0], [0.9, 0.1])), 4)   # −log 0.9
        0.1054

    이진 교차 엔트로피입니다. log가 0을 받지 않도록 p를 잘라 냅니다.
    BCE = −(1/n) Σ [ yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ) ],   p는 [eps, 1 − eps]로 자름
    인자 y_true: 0 또는 1인 레이블, 모양 (N,) (다른 모양이면 모든 원소에 대해 평균).
        p: 클래스 1일 확률 예측, y_true와 같은 모양. eps: p를 0과 1에서 떨어뜨리는 정도.
    반환값: 숫자 하나 (numpy float), 자연로그 사용.
    예: binary_cross_entropy([1, 0], [0.9, 0.1]) → −log 0.9 = 0.1054
    """
    ### BEGIN SOLUTION
    y = np.asarray(y_true, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    ### END SOLUTION


# %% [markdown]
# ## 3. 범주형 교차 엔트로피 / Categorical cross-entropy
#
# **한국어** — 클래스가 C개일 때 모델은 샘플마다 확률 벡터(소프트맥스 출력)를 냅니다. 예측 p의 모양은
# (N, C)입니다. 정답이 원-핫 벡터 y로 주어지면 샘플 하나의 손실은 −Σ_c y_c·log p_c, 즉 **정답 클래스의
# 확률에 −log를 취한 값**입니다. 전체 손실은 이것을 **샘플(행)에 대해서만** 평균한 값입니다. 모든
# 원소(N·C개)에 대해 평균하면 C배 작아지니 주의하세요.
#
# 정답이 원-핫 대신 정수 레이블(0, 1, …, C−1)이면 sparse 버전을 씁니다. 값은 같습니다.
#
# 강의 노트의 예: 예측 [[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]], 정답 클래스 [2, 1, 0]이면
# 손실 = −(log .6 + log .6 + log .3) / 3 ≈ 0.74.
#
# **English** — With C classes the model outputs one probability vector per sample (a softmax),
# so p has shape (N, C). With a one-hot label y, one sample's loss is −Σ_c y_c·log p_c: **minus
# the log of the probability given to the true class**. The loss is its mean **over samples
# (rows) only**; averaging over all N·C elements makes it C times too small.
#
# When labels are integers (0, 1, …, C−1) instead of one-hot vectors, use the sparse version;
# the value is the same.
#
# The notes' example: predictions [[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]] with true classes
# [2, 1, 0] give −(log .6 + log .6 + log .3) / 3 ≈ 0.74.

# %%
def categorical_cross_entropy(y_onehot: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    """Cross-entropy for one-hot labels, averaged over samples (not over classes).

    CCE = −(1/N) Σᵢ Σ_c yᵢc·log pᵢc,   p clipped to [eps, 1 − eps]

    Args:
        y_onehot: one-hot labels, shape (N, C).
        p: predicted class probabilities, shape (N, C), each row summing to 1.
        eps: how far p is kept from 0 and 1.
    Returns:
        one number (a numpy float), natural logarithm.
    Example:
        >>> y = [[0, 0, 1], [0, 1, 0], [1, 0, 0]]
        >>> p = [[.1, .3, .6], [.2, .6, .2], [.3, .4, .3]]
        >>> round(float(categorical_cross_entropy(y, p)), 4)
        0.7419

    원-핫 레이블용 교차 엔트로피입니다. 클래스가 아니라 샘플에 대해 평균합니다.
    CCE = −(1/N) Σᵢ Σ_c yᵢc·log pᵢc,   p는 [eps, 1 − eps]로 자름
    인자 y_onehot: 원-핫 레이블, 모양 (N, C).
        p: 클래스별 예측 확률, 모양 (N, C), 각 행의 합은 1. eps: p를 0과 1에서 떨어뜨리는 정도.
    반환값: 숫자 하나 (numpy float), 자연로그 사용.
    예: 위의 강의 노트 예제 → 0.7419
    """
    ### BEGIN SOLUTION
    y = np.asarray(y_onehot, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.mean(np.sum(y * np.log(p), axis=-1))
    ### END SOLUTION


# %%
def sparse_categorical_cross_entropy(y_int: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    """Cross-entropy for integer labels: −log of the true class's probability, averaged.

    SCCE = −(1/N) Σᵢ log pᵢ,yᵢ,   p clipped to [eps, 1 − eps]

    Args:
        y_int: integer class labels in 0 … C−1, shape (N,).
        p: predicted class probabilities, shape (N, C), each row summing to 1.
        eps: how far p is kept from 0 and 1.
    Returns:
        one number (a numpy float), natural logarithm.
    Example:
        >>> p = [[.1, .3, .6], [.2, .6, .2], [.3, .4, .3]]
        >>> round(float(sparse_categorical_cross_entropy([2, 1, 0], p)), 4)
        0.7419

    정수 레이블용 교차 엔트로피입니다. 정답 클래스 확률의 −log를 평균합니다.
    SCCE = −(1/N) Σᵢ log pᵢ,yᵢ,   p는 [eps, 1 − eps]로 자름
    인자 y_int: 0 … C−1 범위의 정수 레이블, 모양 (N,).
        p: 클래스별 예측 확률, 모양 (N, C), 각 행의 합은 1. eps: p를 0과 1에서 떨어뜨리는 정도.
    반환값: 숫자 하나 (numpy float), 자연로그 사용.
    예: sparse_categorical_cross_entropy([2, 1, 0], 위의 p) → 0.7419
    """
    ### BEGIN SOLUTION
    labels = np.asarray(y_int, dtype=np.int64)
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1.0 - eps)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))
    ### END SOLUTION


# %% [markdown]
# ## 직접 확인해 보기 / Try it yourself
#
# **한국어** — 아래 셀을 실행해 보고, 같은 폴더에서 `python -m pytest test_losses.py`로 공개 테스트를 돌려 보세요.
#
# **English** — Run the cell below, then the public tests with `python -m pytest test_losses.py`
# from this folder.

# %%
if __name__ == "__main__":
    predictions = np.array([[.1, .3, .6], [.2, .6, .2], [.3, .4, .3]])
    print("mse  =", mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))
    print("mae  =", mae([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))
    print("rmse =", rmse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))
    print("BCE with p exactly 0 and 1 =", binary_cross_entropy([1, 0, 1, 0], [1.0, 0.0, 0.0, 1.0]))
    print("CCE (notes' example)  =", categorical_cross_entropy(np.eye(3)[[2, 1, 0]], predictions))
    print("SCCE (notes' example) =", sparse_categorical_cross_entropy([2, 1, 0], predictions))
