"""Hidden tests of assignment 02: mse, mae, rmse and the three cross-entropies.

References: sklearn.metrics for the regression losses and the sparse cross-entropy,
torch.nn.functional for the binary and categorical ones, computed in this process. Every
loss is one number, the mean over samples; cross-entropies clip p to [eps, 1 − eps].
Weights live in grading.toml under [assignments.losses.weights].
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.metrics import log_loss, mean_absolute_error, mean_squared_error

from autograder.engine.checks import as_number, check_close, check_finite, check_no_warnings

EPS = 1e-7
REGRESSION_KINDS = ["float64", "matrix", "float32", "int", "list"]
CLASSIFICATION_KINDS = ["float64", "float32", "list"]
NOTES_P = np.array([[.1, .3, .6], [.2, .6, .2], [.3, .4, .3]])  # the worked example in COURSE.md
NOTES_LABELS = np.array([2, 1, 0])


def regression_pair(rng, kind: str):
    """(y_true to send, y_pred to send, both as float64, rtol, description)."""
    n = int(rng.integers(5, 40))
    if kind == "matrix":
        shape = (n, int(rng.integers(2, 5)))
    else:
        shape = (n,)
    if kind == "int":
        y, yhat = rng.integers(-20, 21, size=shape), rng.integers(-20, 21, size=shape)
        return y, yhat, y.astype(np.float64), yhat.astype(np.float64), 1e-6, f"random int arrays of shape {shape}"
    y, yhat = rng.normal(scale=5, size=shape), rng.normal(scale=5, size=shape)
    if kind == "float32":
        y, yhat = y.astype(np.float32), yhat.astype(np.float32)
        return y, yhat, y.astype(np.float64), yhat.astype(np.float64), 1e-5, f"random float32 arrays of shape {shape}"
    if kind == "list":
        return y.tolist(), yhat.tolist(), y, yhat, 1e-6, f"random Python lists of length {n}"
    return y, yhat, y, yhat, 1e-6, f"random float64 arrays of shape {shape}"


def loss(value, what: str) -> np.ndarray:
    return as_number(value, what)


def clipped(p: np.ndarray, eps: float = EPS) -> np.ndarray:
    return np.clip(np.asarray(p, dtype=np.float64), eps, 1 - eps)


def torch_bce(y: np.ndarray, p: np.ndarray) -> float:
    return float(F.binary_cross_entropy(torch.from_numpy(clipped(p)), torch.from_numpy(np.asarray(y, dtype=np.float64))))


def torch_nll(labels: np.ndarray, p: np.ndarray) -> float:
    return float(F.nll_loss(torch.log(torch.from_numpy(clipped(p))), torch.from_numpy(np.asarray(labels, dtype=np.int64))))


def classification_sample(rng, kind: str):
    """(labels, probabilities as float64, probabilities to send, rtol, description)."""
    n, c = int(rng.integers(4, 30)), int(rng.integers(2, 8))
    p = rng.dirichlet(np.ones(c), size=n)
    labels = rng.integers(0, c, size=n)
    if kind == "float32":
        p32 = p.astype(np.float32)
        return labels, p32.astype(np.float64), p32, 1e-5, f"random float32 probabilities of shape {(n, c)}"
    if kind == "list":
        return labels, p, p.tolist(), 1e-5, f"random probabilities as a Python list, shape {(n, c)}"
    return labels, p, p, 1e-5, f"random float64 probabilities of shape {(n, c)}"


# -- regression losses ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", REGRESSION_KINDS)
def test_mse_values(student, rng, kind):
    """Does mse match scikit-learn's mean_squared_error (mean over every element)?"""
    y, yhat, y64, yhat64, rtol, desc = regression_pair(rng, kind)
    check_close(loss(student.mse(y, yhat), f"mse for {desc}"), mean_squared_error(y64, yhat64), f"mse for {desc}", rtol=rtol)


@pytest.mark.parametrize("kind", REGRESSION_KINDS)
def test_mae_values(student, rng, kind):
    """Does mae match scikit-learn's mean_absolute_error (mean over every element)?"""
    y, yhat, y64, yhat64, rtol, desc = regression_pair(rng, kind)
    check_close(loss(student.mae(y, yhat), f"mae for {desc}"), mean_absolute_error(y64, yhat64), f"mae for {desc}", rtol=rtol)


@pytest.mark.parametrize("kind", REGRESSION_KINDS)
def test_rmse_values(student, rng, kind):
    """Does rmse match the square root of scikit-learn's mean_squared_error?"""
    y, yhat, y64, yhat64, rtol, desc = regression_pair(rng, kind)
    check_close(loss(student.rmse(y, yhat), f"rmse for {desc}"), np.sqrt(mean_squared_error(y64, yhat64)), f"rmse for {desc}", rtol=rtol)


def test_rmse_is_sqrt_of_mse(student, rng):
    """Is rmse the square root of mse on the same data?"""
    y, yhat = rng.normal(size=20), rng.normal(size=20)
    squared = loss(student.mse(y, yhat), "mse")
    root = loss(student.rmse(y, yhat), "rmse")
    check_close(root, np.sqrt(squared), "rmse compared with √mse on the same random data", rtol=1e-6)


@pytest.mark.parametrize("function", ["mse", "mae", "rmse", "binary_cross_entropy",
                                      "categorical_cross_entropy", "sparse_categorical_cross_entropy"])
def test_returns_one_number(student, rng, function):
    """Does the loss return one number for a batch, not one value per sample?"""
    n, c = 6, 3
    if function in ("mse", "mae", "rmse"):
        args = (rng.normal(size=(n, c)), rng.normal(size=(n, c)))
    elif function == "binary_cross_entropy":
        args = (rng.integers(0, 2, size=n), rng.uniform(0.05, 0.95, size=n))
    elif function == "categorical_cross_entropy":
        args = (np.eye(c)[rng.integers(0, c, size=n)], rng.dirichlet(np.ones(c), size=n))
    else:
        args = (rng.integers(0, c, size=n), rng.dirichlet(np.ones(c), size=n))
    check_finite(loss(student.call(function, *args), f"{function} for a batch of {n} samples"), function)


# -- binary cross-entropy ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", CLASSIFICATION_KINDS)
def test_bce_values(student, rng, kind):
    """Does binary_cross_entropy match torch's binary_cross_entropy on random data?"""
    for shape in [(int(rng.integers(5, 40)),), (int(rng.integers(5, 20)), 1)]:
        y = rng.integers(0, 2, size=shape)
        p = rng.uniform(0.02, 0.98, size=shape)
        if kind == "float32":
            p = p.astype(np.float32)
        sent_y, sent_p = (y.tolist(), p.tolist()) if kind == "list" else (y, p)
        what = f"binary_cross_entropy for random {kind} data of shape {shape}"
        check_close(loss(student.binary_cross_entropy(sent_y, sent_p), what), torch_bce(y, p), what, rtol=1e-5, atol=1e-7)


def test_bce_edge(student):
    """Is binary_cross_entropy finite and warning-free for p exactly 0 and 1 (p clipped to [eps, 1 − eps])?"""
    y, p = np.array([1, 0, 1, 0, 1]), np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    what = "binary_cross_entropy([1, 0, 1, 0, 1], [1, 0, 0, 1, 0.5])"
    got = student.binary_cross_entropy(y, p)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_bce(y, p), what, rtol=1e-5, atol=1e-6, show=True)


# -- categorical cross-entropy ----------------------------------------------------------------
@pytest.mark.parametrize("kind", CLASSIFICATION_KINDS)
def test_cce_values(student, rng, kind):
    """Does categorical_cross_entropy match torch's nll_loss of log p, averaged over samples?"""
    labels, p64, p, rtol, desc = classification_sample(rng, kind)
    onehot = np.eye(p64.shape[1])[labels]
    sent_y = onehot.tolist() if kind == "list" else onehot
    what = f"categorical_cross_entropy for {desc}"
    check_close(loss(student.categorical_cross_entropy(sent_y, p), what), torch_nll(labels, p64), what, rtol=rtol, atol=1e-7)


def test_cce_edge(student):
    """Is categorical_cross_entropy finite and warning-free when p holds exact 0s and 1s?"""
    p = np.eye(3)
    onehot = np.eye(3)[[0, 2, 1]]
    what = "categorical_cross_entropy(one-hot of [0, 2, 1], the identity matrix as p)"
    got = student.categorical_cross_entropy(onehot, p)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_nll(np.array([0, 2, 1]), p), what, rtol=1e-5, atol=1e-6, show=True)


def test_cce_worked_example(student):
    """Does the notes' example ([[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]], one-hot of [2, 1, 0]) give ≈ 0.74?"""
    what = "categorical_cross_entropy on the notes' example"
    got = student.categorical_cross_entropy(np.eye(3)[NOTES_LABELS], NOTES_P)
    check_close(loss(got, what), torch_nll(NOTES_LABELS, NOTES_P), what, rtol=1e-5, show=True)


# -- sparse categorical cross-entropy ---------------------------------------------------------
@pytest.mark.parametrize("kind", CLASSIFICATION_KINDS)
def test_sparse_values(student, rng, kind):
    """Does sparse_categorical_cross_entropy match scikit-learn's log_loss with integer labels?"""
    labels, p64, p, rtol, desc = classification_sample(rng, kind)
    sent_labels = labels.tolist() if kind == "list" else labels
    expected = log_loss(labels, p64, labels=np.arange(p64.shape[1]))
    what = f"sparse_categorical_cross_entropy for {desc}"
    check_close(loss(student.sparse_categorical_cross_entropy(sent_labels, p), what), expected, what, rtol=rtol, atol=1e-7)


def test_sparse_edge(student):
    """Is sparse_categorical_cross_entropy finite and warning-free when p holds exact 0s and 1s?"""
    p = np.eye(3)
    what = "sparse_categorical_cross_entropy([0, 2, 1], the identity matrix as p)"
    got = student.sparse_categorical_cross_entropy(np.array([0, 2, 1]), p)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_nll(np.array([0, 2, 1]), p), what, rtol=1e-5, atol=1e-6, show=True)


def test_sparse_worked_example(student):
    """Does the notes' example ([[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]] against classes [2, 1, 0]) give ≈ 0.74?"""
    what = "sparse_categorical_cross_entropy on the notes' example"
    for labels in (NOTES_LABELS, NOTES_LABELS.tolist()):
        got = student.sparse_categorical_cross_entropy(labels, NOTES_P)
        check_close(loss(got, what), torch_nll(NOTES_LABELS, NOTES_P), what, rtol=1e-5, show=True)
