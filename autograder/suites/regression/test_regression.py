"""Hidden tests of assignment 03: fit_simple, fit_multiple and predict.

References: scipy.stats.linregress for the simple fit, numpy.linalg.lstsq and scikit-learn's
LinearRegression for the multiple fit, computed in this process on data drawn from `rng`.
Weights live in grading.toml under [assignments.regression.weights].
"""
import numpy as np
import pytest
from scipy.stats import linregress
from sklearn.linear_model import LinearRegression

from autograder.engine.checks import as_array, as_number, check_close, check_shape, check_tuple

KINDS = ["float64", "float32", "int", "list"]


def simple_data(rng, kind: str):
    """(x to send, y to send, x and y as float64, rtol, atol, description) on a noisy line."""
    n = int(rng.integers(10, 60))
    x = rng.uniform(-10, 10, size=n) + rng.uniform(-5, 5)
    y = rng.uniform(-3, 3) * x + rng.uniform(-5, 5) + rng.normal(scale=1.0, size=n)
    if kind == "int":
        x, y = np.round(x).astype(np.int64), np.round(y).astype(np.int64)
        if np.ptp(x) == 0:
            x[0] += 1
        return x, y, x.astype(np.float64), y.astype(np.float64), 1e-6, 1e-8, f"random int data of length {n}"
    if kind == "float32":
        x, y = x.astype(np.float32), y.astype(np.float32)
        return x, y, x.astype(np.float64), y.astype(np.float64), 1e-4, 1e-4, f"random float32 data of length {n}"
    if kind == "list":
        return x.tolist(), y.tolist(), x, y, 1e-6, 1e-8, f"random data as Python lists of length {n}"
    return x, y, x, y, 1e-6, 1e-8, f"random float64 data of length {n}"


def multiple_data(rng, k: int, kind: str = "float64"):
    """(X to send, y to send, X and y as float64, rtol, atol) from a noisy linear model with an intercept."""
    n = int(rng.integers(3 * k + 10, 3 * k + 60))
    X = rng.normal(scale=rng.uniform(0.5, 3, size=k), size=(n, k)) + rng.uniform(-3, 3, size=k)
    y = rng.uniform(2, 6) * rng.choice([-1, 1]) + X @ rng.uniform(-3, 3, size=k) + rng.normal(scale=0.5, size=n)
    if kind == "float32":
        X, y = X.astype(np.float32), y.astype(np.float32)  # a float32 solve may lose ~4 digits
        return X, y, X.astype(np.float64), y.astype(np.float64), 1e-3, 1e-3
    if kind == "list":
        return X.tolist(), y.tolist(), X, y, 1e-6, 1e-8
    return X, y, X, y, 1e-6, 1e-8


def lstsq_fit(X: np.ndarray, y: np.ndarray):
    A = np.column_stack([np.ones(len(X)), X])
    beta = np.linalg.lstsq(A, y, rcond=None)[0]
    return beta[0], beta[1:]


# -- fit_simple -------------------------------------------------------------------------------
def test_fit_simple_returns_tuple(student, rng):
    """Does fit_simple return a tuple of two numbers (slope, intercept)?"""
    x, y, *_ = simple_data(rng, "float64")
    slope, intercept = check_tuple(student.fit_simple(x, y), 2, "fit_simple(x, y)")
    as_number(slope, "the slope returned by fit_simple")
    as_number(intercept, "the intercept returned by fit_simple")


@pytest.mark.parametrize("kind", KINDS)
def test_fit_simple_slope(student, rng, kind):
    """Is the first value fit_simple returns the least-squares slope Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²?"""
    x, y, x64, y64, rtol, atol, desc = simple_data(rng, kind)
    slope, _ = check_tuple(student.fit_simple(x, y), 2, "fit_simple(x, y)")
    check_close(as_number(slope, "the slope"), linregress(x64, y64).slope,
                f"the slope (first value) of fit_simple for {desc}", rtol=rtol, atol=atol)


@pytest.mark.parametrize("kind", KINDS)
def test_fit_simple_intercept(student, rng, kind):
    """Is the second value fit_simple returns the least-squares intercept ȳ − β₁·x̄?"""
    x, y, x64, y64, rtol, atol, desc = simple_data(rng, kind)
    _, intercept = check_tuple(student.fit_simple(x, y), 2, "fit_simple(x, y)")
    check_close(as_number(intercept, "the intercept"), linregress(x64, y64).intercept,
                f"the intercept (second value) of fit_simple for {desc}", rtol=rtol, atol=atol)


def test_fit_simple_exact_line(student):
    """Does fit_simple recover slope 3 and intercept −2 from points exactly on y = 3x − 2?"""
    x = np.array([-2.0, 0.0, 1.0, 4.0, 5.0])
    result = check_tuple(student.fit_simple(x, 3 * x - 2), 2, "fit_simple(x, y)")
    got = np.array([as_number(result[0], "the slope"), as_number(result[1], "the intercept")])
    check_close(got, [3.0, -2.0], "(slope, intercept) from fit_simple for points on y = 3x − 2", atol=1e-9, show=True)


# -- fit_multiple -----------------------------------------------------------------------------
def test_fit_multiple_returns_tuple(student, rng):
    """Does fit_multiple return a tuple (intercept, coef)?"""
    X, y, *_ = multiple_data(rng, 3)
    intercept, _ = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    as_number(intercept, "the intercept (first value) returned by fit_multiple")


@pytest.mark.parametrize("k", [1, 2, 5])
def test_fit_multiple_coef_shape(student, rng, k):
    """Does fit_multiple return one coefficient per column of X?"""
    X, y, *_ = multiple_data(rng, k)
    _, coef = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    check_shape(as_array(coef, "coef"), (k,), f"coef (second value) of fit_multiple for X of shape {X.shape}")


@pytest.mark.parametrize("k", [1, 2, 5])
def test_fit_multiple_coef(student, rng, k):
    """Do fit_multiple's coefficients match numpy's lstsq on [1 | X]?"""
    X, y, *_ = multiple_data(rng, k)
    _, coef = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    check_close(coef, lstsq_fit(X, y)[1], f"coef (second value) of fit_multiple for random X of shape {X.shape}", rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("k", [1, 2, 5])
def test_fit_multiple_intercept(student, rng, k):
    """Does fit_multiple's intercept match numpy's lstsq on [1 | X]?"""
    X, y, *_ = multiple_data(rng, k)
    intercept, _ = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    check_close(as_number(intercept, "the intercept"), lstsq_fit(X, y)[0],
                f"the intercept (first value) of fit_multiple for random X of shape {X.shape}", rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("kind", ["float32", "list"])
def test_fit_multiple_input_types(student, rng, kind):
    """Does fit_multiple match scikit-learn's LinearRegression for float32 arrays and Python lists?"""
    X, y, X64, y64, rtol, atol = multiple_data(rng, 3, kind)
    model = LinearRegression().fit(X64, y64)
    intercept, coef = check_tuple(student.fit_multiple(X, y), 2, "fit_multiple(X, y)")
    what = f"fit_multiple for random {kind} data of shape {X64.shape}"
    check_close(as_number(intercept, "the intercept"), model.intercept_, f"the intercept of {what}", rtol=rtol, atol=atol)
    check_close(coef, model.coef_, f"coef of {what}", rtol=rtol, atol=atol)


# -- predict ----------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [1, 3])
def test_predict_values(student, rng, k):
    """Does predict(X, intercept, coef) compute intercept + X·coef?"""
    n = int(rng.integers(5, 30))
    X, coef, intercept = rng.normal(size=(n, k)), rng.normal(size=k), float(rng.normal())
    check_close(student.predict(X, intercept, coef), intercept + X @ coef, f"predict for random X of shape {(n, k)}")


def test_predict_shape(student, rng):
    """Does predict return one prediction per row of X, shape (n,)?"""
    X, coef = rng.normal(size=(12, 4)), rng.normal(size=4)
    check_shape(as_array(student.predict(X, 0.5, coef), "predict(X, intercept, coef)"), (12,),
                "predict(X, intercept, coef) for X of shape (12, 4)")


def test_predict_lists(student, rng):
    """Does predict accept Python lists for X and coef?"""
    X, coef, intercept = rng.normal(size=(6, 2)), rng.normal(size=2), float(rng.normal())
    check_close(student.predict(X.tolist(), intercept, coef.tolist()), intercept + X @ coef,
                "predict for X and coef given as Python lists")
