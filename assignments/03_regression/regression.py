# %% [markdown]
# # 과제 03 · 닫힌 형태의 선형 회귀 / Assignment 03 · Linear regression by the closed form
#
# **한국어**
#
# 선형 회귀는 데이터에 가장 잘 맞는 직선(또는 평면) ŷ = β₀ + β₁x₁ + … + β_k x_k를 찾습니다. "가장 잘
# 맞는다"는 것은 오차 제곱의 합 Σ(y − ŷ)²이 가장 작다는 뜻입니다(최소제곱법). 선형 회귀는 경사 하강법
# 없이도 공식 하나(닫힌 형태, closed form)로 답을 바로 구할 수 있습니다.
#
# 이 과제에서 구현할 것
# 1. `fit_simple(x, y)`: 입력이 하나인 단순 회귀의 기울기와 절편
# 2. `fit_multiple(X, y)`: 입력이 여러 개인 다중 회귀의 절편과 계수
# 3. `predict(X, intercept, coef)`: 학습한 값으로 예측
#
# **English**
#
# Linear regression finds the line (or plane) ŷ = β₀ + β₁x₁ + … + β_k x_k that fits the data
# best, where "best" means the smallest sum of squared errors Σ(y − ŷ)² (least squares). Unlike
# most models, it needs no gradient descent: one formula (the closed form) gives the answer.
#
# What you implement
# 1. `fit_simple(x, y)`: slope and intercept of a simple regression with one input;
# 2. `fit_multiple(X, y)`: intercept and coefficients of a multiple regression;
# 3. `predict(X, intercept, coef)`: predictions from the fitted values.

# %%
import numpy as np
from numpy.typing import ArrayLike


# %% [markdown]
# ## 1. 단순 선형 회귀 / Simple linear regression
#
# **한국어** — 입력 x 하나로 y를 예측하는 직선 ŷ = β₀ + β₁x의 최소제곱 해는
#
# β₁ = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²,  β₀ = ȳ − β₁·x̄
#
# 입니다 (x̄, ȳ는 평균). 분자와 분모를 같은 방식으로 계산해야 합니다. 예를 들어 분자에만 n − 1로 나누는
# 공분산(`np.cov`)을 쓰고 분모에 n으로 나누는 분산(`np.var`)을 쓰면 기울기가 틀립니다.
# 반환값은 **(기울기, 절편)** 순서의 튜플입니다.
#
# **English** — The least-squares line ŷ = β₀ + β₁x through data (x, y) is
#
# β₁ = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²,  β₀ = ȳ − β₁·x̄
#
# where x̄ and ȳ are means. Compute numerator and denominator the same way: mixing a covariance
# divided by n − 1 (`np.cov`) with a variance divided by n (`np.var`) gives a wrong slope.
# Return the tuple **(slope, intercept)**, in that order.

# %%
def fit_simple(x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    """The least-squares line through (x, y) by the closed form.

    β₁ = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²,   β₀ = ȳ − β₁·x̄

    Args:
        x: inputs, shape (n,), not all equal.
        y: targets, shape (n,).
    Returns:
        the tuple (slope β₁, intercept β₀), two numbers.
    Example:
        >>> slope, intercept = fit_simple([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])   # y = 2x + 1
        >>> float(slope), float(intercept)
        (2.0, 1.0)

    닫힌 형태 공식으로 (x, y)에 가장 잘 맞는 직선을 구합니다.
    β₁ = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²,   β₀ = ȳ − β₁·x̄
    인자 x: 입력, 모양 (n,), 모두 같은 값이면 안 됩니다. y: 목표값, 모양 (n,).
    반환값: (기울기 β₁, 절편 β₀) 튜플, 숫자 두 개.
    예: fit_simple([0, 1, 2], [1, 3, 5]) → (2.0, 1.0)   (y = 2x + 1)
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %% [markdown]
# ## 2. 다중 선형 회귀 / Multiple linear regression
#
# **한국어** — 입력이 k개면 X는 (n, k) 행렬입니다. 절편을 다루는 요령은 X 왼쪽에 **1로 채운 열**을 붙인
# 행렬 A = [1 | X]를 만드는 것입니다. 그러면 β = (β₀, β₁, …, β_k)는 정규방정식
#
# AᵀA β = Aᵀy
#
# 의 해입니다. `np.linalg.solve`로 풀면 됩니다 (`np.linalg.lstsq`도 좋습니다). 1의 열을 빼먹으면 직선이
# 원점을 지나도록 강제되어 절편과 계수가 모두 틀립니다. 반환값은 **(절편, 계수 배열)**이고 계수 배열은
# X의 열마다 하나씩, 모양 (k,)입니다.
#
# **English** — With k inputs, X is an (n, k) matrix. The trick for the intercept is to prepend
# a **column of ones**: A = [1 | X]. Then β = (β₀, β₁, …, β_k) solves the normal equations
#
# AᵀA β = Aᵀy
#
# which `np.linalg.solve` handles (`np.linalg.lstsq` is fine too). Forgetting the ones column
# forces the fit through the origin, and both intercept and coefficients come out wrong. Return
# **(intercept, coef)**, with one coefficient per column of X: shape (k,).

# %%
def fit_multiple(X: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
    """Least squares with an intercept, by the normal equations on [1 | X].

    β = (AᵀA)⁻¹ Aᵀ y   with A = [1 | X];   intercept = β₀, coef = (β₁, …, β_k)

    Args:
        X: inputs, shape (n, k), one row per sample and one column per feature.
        y: targets, shape (n,).
    Returns:
        the tuple (intercept, coef): a number and an array of shape (k,).
    Example:
        >>> X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 3.0]]
        >>> y = [2.0, 4.0, 5.0, 10.0]                      # y = 1 + 3·x₁ + 1·x₂
        >>> intercept, coef = fit_multiple(X, y)
        >>> round(float(intercept), 6), np.round(coef, 6)
        (1.0, array([3., 1.]))

    [1 | X]에 대한 정규방정식으로 절편이 있는 최소제곱 해를 구합니다.
    β = (AᵀA)⁻¹ Aᵀ y,  A = [1 | X];   intercept = β₀, coef = (β₁, …, β_k)
    인자 X: 입력, 모양 (n, k). 행은 샘플, 열은 특성. y: 목표값, 모양 (n,).
    반환값: (절편, 계수) 튜플. 절편은 숫자 하나, 계수는 모양 (k,)인 배열.
    예: 위의 X, y (y = 1 + 3·x₁ + 1·x₂) → (1.0, array([3., 1.]))
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %% [markdown]
# ## 3. 예측 / Prediction
#
# **한국어** — 학습한 절편과 계수로 ŷ = β₀ + Xβ를 계산합니다. X의 모양이 (n, k)이면 예측은 모양 (n,)입니다.
#
# **English** — With the fitted intercept and coefficients, ŷ = β₀ + Xβ. For X of shape (n, k)
# the predictions have shape (n,).

# %%
def predict(X: ArrayLike, intercept: float, coef: ArrayLike) -> np.ndarray:
    """Predictions of a fitted linear model.

    ŷ = β₀ + X·β

    Args:
        X: inputs, shape (n, k).
        intercept: β₀, a number.
        coef: β, shape (k,).
    Returns:
        predictions, shape (n,).
    Example:
        >>> predict([[1.0, 2.0], [0.0, 0.0]], 1.0, [3.0, 1.0])
        array([6., 1.])

    학습한 선형 모델로 예측합니다.
    ŷ = β₀ + X·β
    인자 X: 입력, 모양 (n, k). intercept: β₀, 숫자 하나. coef: β, 모양 (k,).
    반환값: 예측값, 모양 (n,).
    예: predict([[1, 2], [0, 0]], 1.0, [3, 1]) → array([6., 1.])
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %% [markdown]
# ## 직접 확인해 보기 / Try it yourself
#
# **한국어** — 아래 셀은 잡음이 섞인 데이터에서 원래의 직선을 거의 되찾는지 보여 줍니다. 공개 테스트는
# `python -m pytest test_regression.py`로 실행합니다.
#
# **English** — The cell below checks that the fit nearly recovers the line behind noisy data.
# Run the public tests with `python -m pytest test_regression.py`.

# %%
if __name__ == "__main__":
    generator = np.random.default_rng(0)
    x = generator.uniform(0, 10, size=50)
    y = 2.5 * x - 1.0 + generator.normal(scale=0.5, size=50)
    print("fit_simple   (true 2.5, -1.0):", fit_simple(x, y))
    X = generator.normal(size=(100, 3))
    y = 4.0 + X @ np.array([1.0, -2.0, 0.5]) + generator.normal(scale=0.1, size=100)
    intercept, coef = fit_multiple(X, y)
    print("fit_multiple (true 4.0, [1, -2, 0.5]):", intercept, coef)
    print("first predictions:", predict(X[:3], intercept, coef), "targets:", y[:3])
