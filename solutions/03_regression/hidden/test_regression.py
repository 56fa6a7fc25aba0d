"""Hidden tests of assignment 03: fit_simple, fit_multiple and predict.

References: scipy.stats.linregress for the simple fit, numpy.linalg.lstsq and scikit-learn's
LinearRegression for the multiple fit, computed in this process on data drawn from `rng`.
Weights live in its assignment.toml, under [weights].
"""

import numpy as np
import pytest
from scipy.stats import linregress
from sklearn.linear_model import LinearRegression

from autograder.engine.checks import as_array, as_number, check_close, check_shape, check_tuple
from autograder.engine.feedback import ko, label

KINDS = ["float64", "float32", "int", "list"]
KIND_KO = {"list": "Python 리스트"}  # kinds as named in Korean messages
SLOPE, INTERCEPT = label("the slope", "기울기"), label("the intercept", "절편")


def simple_data(rng, kind: str):
    """(x to send, y to send, x and y as float64, rtol, atol, description) on a noisy line."""
    n = int(rng.integers(10, 60))
    x = rng.uniform(-10, 10, size=n) + rng.uniform(-5, 5)
    y = rng.uniform(-3, 3) * x + rng.uniform(-5, 5) + rng.normal(scale=1.0, size=n)
    if kind == "int":
        x, y = np.round(x).astype(np.int64), np.round(y).astype(np.int64)
        if np.ptp(x) == 0:
            x[0] += 1
        return (
            x,
            y,
            x.astype(np.float64),
            y.astype(np.float64),
            1e-6,
            1e-8,
            label(f"random int data of length {n}", f"길이가 {n}인 무작위 int 데이터"),
        )
    if kind == "float32":
        x, y = x.astype(np.float32), y.astype(np.float32)
        return (
            x,
            y,
            x.astype(np.float64),
            y.astype(np.float64),
            1e-4,
            1e-4,
            label(f"random float32 data of length {n}", f"길이가 {n}인 무작위 float32 데이터"),
        )
    if kind == "list":
        return (
            x.tolist(),
            y.tolist(),
            x,
            y,
            1e-6,
            1e-8,
            label(f"random data as Python lists of length {n}", f"길이가 {n}인 무작위 Python 리스트 데이터"),
        )
    return x, y, x, y, 1e-6, 1e-8, label(f"random float64 data of length {n}", f"길이가 {n}인 무작위 float64 데이터")


def multiple_data(rng, k: int, kind: str = "float64"):
    """(X to send, y to send, X and y as float64, rtol, atol) from a noisy linear model with an intercept."""
    n = int(rng.integers(3 * k + 10, 3 * k + 60))
    X = rng.normal(scale=rng.uniform(0.5, 3, size=k), size=(n, k)) + rng.uniform(-3, 3, size=k)
    y = rng.uniform(2, 6) * rng.choice([-1, 1]) + X @ rng.uniform(-3, 3, size=k) + rng.normal(scale=0.5, size=n)
    if kind == "float32":
        X, y = X.astype(np.float32), y.astype(np.float32)  # a float32 solve may lose ~4 digits
        return X, y, X.astype(np.float64), y.astype(np.float64), 1e-3, 1e-3
    if kind == "int":
        X, y = np.round(X * 3).astype(np.int64), np.round(y * 3).astype(np.int64)
        return X, y, X.astype(np.float64), y.astype(np.float64), 1e-6, 1e-8
    if kind == "list":
        return X.tolist(), y.tolist(), X, y, 1e-6, 1e-8
    return X, y, X, y, 1e-6, 1e-8


def lstsq_fit(X: np.ndarray, y: np.ndarray):
    A = np.column_stack([np.ones(len(X)), X])
    beta = np.linalg.lstsq(A, y, rcond=None)[0]
    return beta[0], beta[1:]


# -- fit_simple -------------------------------------------------------------------------------
def test_fit_simple_returns_tuple(student, rng):
    """Does fit_simple return a tuple of two numbers (slope, intercept)?

    ko: fit_simple이 숫자 두 개의 튜플 (기울기, 절편)을 반환하나요?
    """
    x, y, *_ = simple_data(rng, "float64")
    slope, intercept = check_tuple(student.fit_simple(x, y), 2, "fit_simple(x, y)")
    as_number(slope, label("the slope returned by fit_simple", "fit_simple이 반환한 기울기"))
    as_number(intercept, label("the intercept returned by fit_simple", "fit_simple이 반환한 절편"))


@pytest.mark.parametrize("kind", KINDS)
def test_fit_simple_slope(student, rng, kind):
    """Is the first value fit_simple returns the least-squares slope Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²?

    ko: fit_simple이 반환하는 첫 번째 값이 최소제곱 기울기 Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²인가요?
    """
    x, y, x64, y64, rtol, atol, desc = simple_data(rng, kind)
    slope, _ = check_tuple(student.fit_simple(x, y), 2, "fit_simple(x, y)")
    check_close(
        as_number(slope, SLOPE),
        linregress(x64, y64).slope,
        label(
            f"the slope (first value) of fit_simple for {desc}", f"{ko(desc)}에 대한 fit_simple의 기울기(첫 번째 값)"
        ),
        rtol=rtol,
        atol=atol,
    )


@pytest.mark.parametrize("kind", KINDS)
def test_fit_simple_intercept(student, rng, kind):
    """Is the second value fit_simple returns the least-squares intercept ȳ − β₁·x̄?

    ko: fit_simple이 반환하는 두 번째 값이 최소제곱 절편 ȳ − β₁·x̄인가요?
    """
    x, y, x64, y64, rtol, atol, desc = simple_data(rng, kind)
    _, intercept = check_tuple(student.fit_simple(x, y), 2, "fit_simple(x, y)")
    check_close(
        as_number(intercept, INTERCEPT),
        linregress(x64, y64).intercept,
        label(
            f"the intercept (second value) of fit_simple for {desc}", f"{ko(desc)}에 대한 fit_simple의 절편(두 번째 값)"
        ),
        rtol=rtol,
        atol=atol,
    )


def test_fit_simple_exact_line(student):
    """Does fit_simple recover slope 3 and intercept −2 from points exactly on y = 3x − 2?

    ko: 정확히 y = 3x − 2 위에 있는 점들에서 fit_simple이 기울기 3과 절편 −2를 찾아내나요?
    """
    x = np.array([-2.0, 0.0, 1.0, 4.0, 5.0])
    result = check_tuple(student.fit_simple(x, 3 * x - 2), 2, "fit_simple(x, y)")
    got = np.array([as_number(result[0], SLOPE), as_number(result[1], INTERCEPT)])
    check_close(
        got,
        [3.0, -2.0],
        label(
            "(slope, intercept) from fit_simple for points on y = 3x − 2",
            "y = 3x − 2 위의 점들에 대한 fit_simple의 (기울기, 절편)",
        ),
        atol=1e-9,
        show=True,
    )


# -- fit_multiple -----------------------------------------------------------------------------
def test_fit_multiple_returns_tuple(student, rng):
    """Does fit_multiple return a tuple (intercept, coef)?

    ko: fit_multiple이 튜플 (절편, 계수)를 반환하나요?
    """
    X, y, *_ = multiple_data(rng, 3)
    intercept, _ = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    as_number(
        intercept,
        label("the intercept (first value) returned by fit_multiple", "fit_multiple이 반환한 절편(첫 번째 값)"),
    )


@pytest.mark.parametrize("k", [1, 2, 5])
def test_fit_multiple_coef_shape(student, rng, k):
    """Does fit_multiple return one coefficient per column of X?

    ko: fit_multiple이 X의 열마다 계수를 하나씩 반환하나요?
    """
    X, y, *_ = multiple_data(rng, k)
    _, coef = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    check_shape(
        as_array(coef, "coef"),
        (k,),
        label(
            f"coef (second value) of fit_multiple for X of shape {X.shape}",
            f"모양이 {X.shape}인 X에 대한 fit_multiple의 coef(두 번째 값)",
        ),
    )


@pytest.mark.parametrize("k", [1, 2, 5])
def test_fit_multiple_coef(student, rng, k):
    """Do fit_multiple's coefficients match numpy's lstsq on [1 | X]?

    ko: fit_multiple의 계수가 [1 | X]에 대한 numpy의 lstsq 결과와 같은가요?
    """
    X, y, *_ = multiple_data(rng, k)
    _, coef = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    check_close(
        coef,
        lstsq_fit(X, y)[1],
        label(
            f"coef (second value) of fit_multiple for random X of shape {X.shape}",
            f"모양이 {X.shape}인 무작위 X에 대한 fit_multiple의 coef(두 번째 값)",
        ),
        rtol=1e-6,
        atol=1e-8,
    )


@pytest.mark.parametrize("k", [1, 2, 5])
def test_fit_multiple_intercept(student, rng, k):
    """Does fit_multiple's intercept match numpy's lstsq on [1 | X]?

    ko: fit_multiple의 절편이 [1 | X]에 대한 numpy의 lstsq 결과와 같은가요?
    """
    X, y, *_ = multiple_data(rng, k)
    intercept, _ = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    check_close(
        as_number(intercept, INTERCEPT),
        lstsq_fit(X, y)[0],
        label(
            f"the intercept (first value) of fit_multiple for random X of shape {X.shape}",
            f"모양이 {X.shape}인 무작위 X에 대한 fit_multiple의 절편(첫 번째 값)",
        ),
        rtol=1e-6,
        atol=1e-8,
    )


@pytest.mark.parametrize("kind", ["float32", "int", "list"])
def test_fit_multiple_input_types(student, rng, kind):
    """Does fit_multiple match scikit-learn's LinearRegression for float32 arrays, int arrays and Python lists?

    ko: float32 배열, int 배열, Python 리스트에서 fit_multiple이 scikit-learn의 LinearRegression과 같은 결과를 내나요?
    """
    X, y, X64, y64, rtol, atol = multiple_data(rng, 3, kind)
    model = LinearRegression().fit(X64, y64)
    intercept, coef = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    what = label(
        f"fit_multiple for random {kind} data of shape {X64.shape}",
        f"모양이 {X64.shape}인 무작위 {KIND_KO.get(kind, kind)} 데이터에 대한 fit_multiple",
    )
    check_close(
        as_number(intercept, INTERCEPT),
        model.intercept_,
        label(f"the intercept of {what}", f"{ko(what)}의 절편"),
        rtol=rtol,
        atol=atol,
    )
    check_close(coef, model.coef_, label(f"coef of {what}", f"{ko(what)}의 coef"), rtol=rtol, atol=atol)


# -- predict ----------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [1, 3])
def test_predict_values(student, rng, k):
    """Does predict(X, intercept, coef) compute intercept + X·coef?

    ko: predict(X, intercept, coef)가 intercept + X·coef를 계산하나요?
    """
    n = int(rng.integers(5, 30))
    X, coef, intercept = rng.normal(size=(n, k)), rng.normal(size=k), float(rng.normal())
    check_close(
        student.predict(X, intercept, coef),
        intercept + X @ coef,
        label(f"predict for random X of shape {(n, k)}", f"모양이 {(n, k)}인 무작위 X에 대한 predict"),
    )


def test_predict_shape(student, rng):
    """Does predict return one prediction per row of X, shape (n,)?

    ko: predict가 X의 행마다 예측값을 하나씩, 모양 (n,)으로 반환하나요?
    """
    X, coef = rng.normal(size=(12, 4)), rng.normal(size=4)
    check_shape(
        as_array(student.predict(X, 0.5, coef), "predict(X, intercept, coef)"),
        (12,),
        label(
            "predict(X, intercept, coef) for X of shape (12, 4)",
            "모양이 (12, 4)인 X에 대한 predict(X, intercept, coef)",
        ),
    )


@pytest.mark.parametrize("kind", ["int", "float32"])
def test_predict_input_types(student, rng, kind):
    """Does predict accept an int X with a Python int intercept, and a float32 X?

    ko: predict가 int 배열 X와 Python int 절편, float32 배열 X도 받나요?
    """
    X, coef = rng.normal(scale=3, size=(int(rng.integers(5, 20)), 3)), rng.normal(size=3)
    if kind == "int":
        X, intercept = np.round(X).astype(np.int64), int(rng.choice([-1, 1]) * rng.integers(1, 10))
    else:
        X, intercept = X.astype(np.float32), float(rng.normal())
    what = label(
        f"predict for a random {kind} X of shape {X.shape}" + (" and an int intercept" if kind == "int" else ""),
        f"모양이 {X.shape}인 무작위 {kind} X" + ("와 int 절편" if kind == "int" else "") + "에 대한 predict",
    )
    check_close(
        student.predict(X, intercept, coef), intercept + X.astype(np.float64) @ coef, what, rtol=1e-5, atol=1e-6
    )


def test_predict_lists(student, rng):
    """Does predict accept Python lists for X and coef?

    ko: predict가 X와 coef로 Python 리스트도 받나요?
    """
    X, coef, intercept = rng.normal(size=(6, 2)), rng.normal(size=2), float(rng.normal())
    check_close(
        student.predict(X.tolist(), intercept, coef.tolist()),
        intercept + X @ coef,
        label("predict for X and coef given as Python lists", "X와 coef를 Python 리스트로 주었을 때의 predict"),
    )
