"""Hidden tests of assignment 02: mse, mae, rmse and the three cross-entropies.

References: sklearn.metrics for the regression losses and the sparse cross-entropy,
torch.nn.functional for the binary and categorical ones, computed in this process. Every
loss is one number, the mean over samples; cross-entropies clip p to [eps, 1 − eps].
Weights live in its assignment.toml, under [weights].
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.metrics import log_loss, mean_absolute_error, mean_squared_error

from autograder.engine.checks import as_number, check_close, check_finite, check_no_warnings
from autograder.engine.draws import with_edge_rows, with_edges
from autograder.engine.feedback import given, label

EPS = 1e-7
REGRESSION_KINDS = ["float64", "matrix", "float32", "int", "list", "scalar"]
CLASSIFICATION_KINDS = ["float64", "float32", "list"]
ERRORS, INT_ERRORS = (-2.5, 0.0, 2.5, 0.5, -0.5), (-3, 0, 3, -1, 2)  # in every draw of errors y_true − y_pred
PAIRS = [
    (0, 0.25),
    (1, 0.75),
    (1, 0.25),
    (0, 0.75),
]  # (label, p) in every binary draw: each label with p below and above ½
KIND_KO = {"list": "Python 리스트"}  # kinds as named in Korean messages
NOTES_P = np.array([[0.1, 0.3, 0.6], [0.2, 0.6, 0.2], [0.3, 0.4, 0.3]])  # the worked example in COURSE.md
NOTES_LABELS = np.array([2, 1, 0])


def regression_pairs(rng, kind: str):
    """(y_true to send, y_pred to send, both as 1-D or 2-D float64, rtol, description): once per kind, twice for scalars.

    The errors y_true − y_pred always hold a negative, a zero, a positive, one below 1 in size
    and one above (|e| and e² differ there): a sign or square bug fails on every seed.
    """
    if kind == "scalar":  # one sample each: an error below zero, then one above
        for sign in (-1.0, 1.0):
            y, error = float(rng.normal(scale=5)), sign * float(rng.uniform(1.5, 4.0))
            yield (
                y,
                y - error,
                np.array([y]),
                np.array([y - error]),
                1e-6,
                label("a random pair of Python floats", "무작위 Python float 값 한 쌍"),
            )
        return
    n = int(rng.integers(5, 40))
    shape = (n, int(rng.integers(2, 5))) if kind == "matrix" else (n,)
    if kind == "int":
        y = rng.integers(-20, 21, size=shape)
        yhat = y - with_edges(rng, rng.integers(-6, 7, size=shape), INT_ERRORS)
        yield (
            y,
            yhat,
            y.astype(np.float64),
            yhat.astype(np.float64),
            1e-6,
            label(f"random int arrays of shape {shape}", f"모양이 {shape}인 무작위 int 배열"),
        )
        return
    y = rng.normal(scale=5, size=shape)
    yhat = y - with_edges(rng, rng.normal(scale=5, size=shape), ERRORS)
    if kind == "float32":
        y, yhat = y.astype(np.float32), yhat.astype(np.float32)
        yield (
            y,
            yhat,
            y.astype(np.float64),
            yhat.astype(np.float64),
            1e-5,
            label(f"random float32 arrays of shape {shape}", f"모양이 {shape}인 무작위 float32 배열"),
        )
    elif kind == "list":
        yield (
            y.tolist(),
            yhat.tolist(),
            y,
            yhat,
            1e-6,
            label(f"random Python lists of length {n}", f"길이가 {n}인 무작위 Python 리스트"),
        )
    else:
        yield (
            y,
            yhat,
            y,
            yhat,
            1e-6,
            label(f"random float64 arrays of shape {shape}", f"모양이 {shape}인 무작위 float64 배열"),
        )


def loss(value, what: str) -> np.ndarray:
    return as_number(value, what)


def clipped(p: np.ndarray, eps: float = EPS) -> np.ndarray:
    return np.clip(np.asarray(p, dtype=np.float64), eps, 1 - eps)


def torch_bce(y: np.ndarray, p: np.ndarray, eps: float = EPS) -> float:
    return float(
        F.binary_cross_entropy(torch.from_numpy(clipped(p, eps)), torch.from_numpy(np.asarray(y, dtype=np.float64)))
    )


def torch_nll(labels: np.ndarray, p: np.ndarray, eps: float = EPS) -> float:
    return float(
        F.nll_loss(torch.log(torch.from_numpy(clipped(p, eps))), torch.from_numpy(np.asarray(labels, dtype=np.int64)))
    )


def classification_sample(rng, kind: str):
    """(labels, probabilities as float64, probabilities to send, rtol, description); every class is some sample's label."""
    c = int(rng.integers(2, 8))
    n = int(rng.integers(c + 2, 30))
    # Kept at least 0.2 / c from 0, so that p is never clipped at the default eps: exact 0s and
    # 1s are the edge tests' business, other values of eps the eps tests'.
    p = 0.8 * rng.dirichlet(np.ones(c), size=n) + 0.2 / c
    labels = with_edges(rng, rng.integers(0, c, size=n), rng.permutation(c))
    if kind == "float32":
        p32 = p.astype(np.float32)
        return (
            labels,
            p32.astype(np.float64),
            p32,
            1e-5,
            label(f"random float32 probabilities of shape {(n, c)}", f"모양이 {(n, c)}인 무작위 float32 확률"),
        )
    if kind == "list":
        return (
            labels,
            p,
            p.tolist(),
            1e-5,
            label(
                f"random probabilities as a Python list, shape {(n, c)}",
                f"Python 리스트로 된 무작위 확률(모양 {(n, c)})",
            ),
        )
    return (
        labels,
        p,
        p,
        1e-5,
        label(f"random float64 probabilities of shape {(n, c)}", f"모양이 {(n, c)}인 무작위 float64 확률"),
    )


def eps_sample(rng, eps: float, c: int):
    """(labels, probabilities (N, c)) whose true-class probabilities hold 0, 1, eps / 2, 1 − eps / 2 and random values.

    Clipping to [eps, 1 − eps] changes every one of those four; adding eps inside the log, or
    clipping with a constant of one's own, gives another loss on every seed.
    """
    n = int(rng.integers(8, 20))
    labels = with_edges(rng, rng.integers(0, c, size=n), rng.permutation(c))
    true = with_edges(rng, rng.uniform(0, 1, size=n), (0.0, 1.0, eps / 2, 1 - eps / 2))
    rest = rng.dirichlet(np.ones(c - 1), size=n) * (1 - true)[:, None]
    p = np.zeros((n, c))
    for row, (k, value) in enumerate(zip(labels, true)):
        p[row] = np.insert(rest[row], k, value)
    return labels, p


# -- regression losses ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", REGRESSION_KINDS)
def test_mse_values(student, rng, kind):
    """Does mse match scikit-learn's mean_squared_error (mean over every element)?

    ko: mse가 scikit-learn의 mean_squared_error(모든 원소의 평균)와 같은가요?
    """
    for y, yhat, y64, yhat64, rtol, desc in regression_pairs(rng, kind):
        check_close(
            loss(student.mse(y, yhat), given("mse", desc)),
            mean_squared_error(y64, yhat64),
            given("mse", desc),
            rtol=rtol,
        )


@pytest.mark.parametrize("kind", REGRESSION_KINDS)
def test_mae_values(student, rng, kind):
    """Does mae match scikit-learn's mean_absolute_error (mean over every element)?

    ko: mae가 scikit-learn의 mean_absolute_error(모든 원소의 평균)와 같은가요?
    """
    for y, yhat, y64, yhat64, rtol, desc in regression_pairs(rng, kind):
        check_close(
            loss(student.mae(y, yhat), given("mae", desc)),
            mean_absolute_error(y64, yhat64),
            given("mae", desc),
            rtol=rtol,
        )


@pytest.mark.parametrize("kind", REGRESSION_KINDS)
def test_rmse_values(student, rng, kind):
    """Does rmse match the square root of scikit-learn's mean_squared_error?

    ko: rmse가 scikit-learn의 mean_squared_error의 제곱근과 같은가요?
    """
    for y, yhat, y64, yhat64, rtol, desc in regression_pairs(rng, kind):
        check_close(
            loss(student.rmse(y, yhat), given("rmse", desc)),
            np.sqrt(mean_squared_error(y64, yhat64)),
            given("rmse", desc),
            rtol=rtol,
        )


def test_rmse_is_sqrt_of_mse(student, rng):
    """Is rmse the square root of mse on the same data?

    ko: 같은 데이터에서 rmse가 mse의 제곱근인가요?
    """
    y, yhat = rng.normal(size=20), rng.normal(size=20)
    squared = loss(student.mse(y, yhat), "mse")
    root = loss(student.rmse(y, yhat), "rmse")
    check_close(
        root,
        np.sqrt(squared),
        label("rmse compared with √mse on the same random data", "같은 무작위 데이터에서 √mse와 비교한 rmse"),
        rtol=1e-6,
    )


@pytest.mark.parametrize(
    "function",
    ["mse", "mae", "rmse", "binary_cross_entropy", "categorical_cross_entropy", "sparse_categorical_cross_entropy"],
)
def test_returns_one_number(student, rng, function):
    """Does the loss return one number for a batch, not one value per sample?

    ko: 손실 함수가 샘플마다 값을 하나씩 내지 않고, 배치 전체에 대해 숫자 하나를 반환하나요?
    """
    n, c = 6, 3
    if function in ("mse", "mae", "rmse"):  # every prediction too high: a power that keeps the sign fails on every seed
        y = rng.normal(size=(n, c))
        args = (y, y + rng.uniform(0.1, 2.0, size=(n, c)))
    elif function == "binary_cross_entropy":
        args = (rng.integers(0, 2, size=n), rng.uniform(0.05, 0.95, size=n))
    elif function == "categorical_cross_entropy":
        args = (np.eye(c)[rng.integers(0, c, size=n)], rng.dirichlet(np.ones(c), size=n))
    else:
        args = (rng.integers(0, c, size=n), rng.dirichlet(np.ones(c), size=n))
    check_finite(
        loss(
            student.call(function, *args),
            label(f"{function} for a batch of {n} samples", f"샘플 {n}개짜리 배치에 대한 {function}"),
        ),
        function,
    )


# -- binary cross-entropy ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", CLASSIFICATION_KINDS)
def test_bce_values(student, rng, kind):
    """Does binary_cross_entropy match torch's binary_cross_entropy on random data?

    ko: 무작위 데이터에서 binary_cross_entropy가 torch의 binary_cross_entropy와 같은가요?
    """
    for shape in [(int(rng.integers(5, 40)),), (int(rng.integers(5, 20)), 1)]:
        n = shape[0]
        data = with_edge_rows(
            rng, np.column_stack([rng.integers(0, 2, size=n), rng.uniform(0.02, 0.98, size=n)]), PAIRS
        )
        y, p = data[:, 0].astype(np.int64).reshape(shape), data[:, 1].reshape(shape)
        sent_y, sent_p = y.astype(np.float64), p  # float64: labels 0.0 and 1.0
        if kind == "float32":
            p = sent_p = p.astype(np.float32)
            sent_y = y  # int labels
        elif kind == "list":
            sent_y, sent_p = y.tolist(), p.tolist()
        what = label(
            f"binary_cross_entropy for random {kind} data of shape {shape}",
            f"모양이 {shape}인 무작위 {KIND_KO.get(kind, kind)} 데이터에 대한 binary_cross_entropy",
        )
        check_close(
            loss(student.binary_cross_entropy(sent_y, sent_p), what), torch_bce(y, p), what, rtol=1e-5, atol=1e-7
        )


def test_bce_one_sample(student, rng):
    """Does binary_cross_entropy take one sample given as Python numbers (a label 0 or 1 and a probability)?

    ko: binary_cross_entropy가 Python 숫자로 주어진 샘플 하나(레이블 0 또는 1과 확률)도 받나요?
    """
    for y, p in PAIRS:
        p = float(p + rng.uniform(-0.2, 0.2))
        what = label(f"binary_cross_entropy({y}, a random probability)", f"binary_cross_entropy({y}, 무작위 확률)")
        check_close(
            loss(student.binary_cross_entropy(y, p), what),
            torch_bce(np.array([y]), np.array([p])),
            what,
            rtol=1e-5,
            atol=1e-7,
        )


@pytest.mark.parametrize("eps", [0.05, 1e-3])
def test_bce_eps(student, rng, eps):
    """With another eps, is p clipped to [eps, 1 − eps] before the log (not left to a constant of its own, not added)?

    ko: 다른 eps를 주면 로그 전에 p를 [eps, 1 − eps]로 자르나요 (고정된 상수를 쓰거나 eps를 더하지 않고)?
    """
    n = int(rng.integers(8, 30))
    pairs = [(1, 0.0), (0, 1.0), (1, 1.0), (0, 0.0), (1, eps / 2), (0, 1 - eps / 2)]  # (y, p): both labels meet 0 and 1
    data = with_edge_rows(rng, np.column_stack([rng.integers(0, 2, size=n), rng.uniform(0, 1, size=n)]), pairs)
    y, p = data[:, 0].astype(np.int64), data[:, 1]
    what = label(
        f"binary_cross_entropy(y, p, eps={eps:g}) for random data where p holds 0 and 1",
        f"p에 0과 1이 들어 있는 무작위 데이터에 대한 binary_cross_entropy(y, p, eps={eps:g})",
    )
    got = student.binary_cross_entropy(y, p, eps=eps)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_bce(y, p, eps), what, rtol=1e-5, atol=1e-7)


def test_bce_edge(student):
    """Is binary_cross_entropy finite and warning-free for p exactly 0 and 1 (p clipped to [eps, 1 − eps])?

    ko: p가 정확히 0이나 1일 때도 binary_cross_entropy가 경고 없이 유한한가요 (p는 [eps, 1 − eps]로 잘라서 사용)?
    """
    y, p = np.array([1, 0, 1, 0, 1]), np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    what = "binary_cross_entropy([1, 0, 1, 0, 1], [1, 0, 0, 1, 0.5])"
    got = student.binary_cross_entropy(y, p)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_bce(y, p), what, rtol=1e-5, atol=1e-6, show=True)


# -- categorical cross-entropy ----------------------------------------------------------------
@pytest.mark.parametrize("kind", CLASSIFICATION_KINDS)
def test_cce_values(student, rng, kind):
    """Does categorical_cross_entropy match torch's nll_loss of log p, averaged over samples?

    ko: categorical_cross_entropy가 log p에 대한 torch의 nll_loss(샘플에 대한 평균)와 같은가요?
    """
    labels, p64, p, rtol, desc = classification_sample(rng, kind)
    onehot = np.eye(p64.shape[1])[labels]
    sent_y = {"list": onehot.tolist(), "float32": onehot.astype(np.int64)}.get(
        kind, onehot
    )  # float32 p: int one-hot labels
    what = given("categorical_cross_entropy", desc)
    check_close(
        loss(student.categorical_cross_entropy(sent_y, p), what), torch_nll(labels, p64), what, rtol=rtol, atol=1e-7
    )


def test_cce_edge(student):
    """Is categorical_cross_entropy finite and warning-free when p holds exact 0s and 1s?

    ko: p에 정확히 0과 1인 값이 있을 때도 categorical_cross_entropy가 경고 없이 유한한가요?
    """
    p = np.eye(3)
    onehot = np.eye(3)[[0, 2, 1]]
    what = label(
        "categorical_cross_entropy(one-hot of [0, 2, 1], the identity matrix as p)",
        "categorical_cross_entropy([0, 2, 1]의 원-핫 벡터, p = 단위 행렬)",
    )
    got = student.categorical_cross_entropy(onehot, p)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_nll(np.array([0, 2, 1]), p), what, rtol=1e-5, atol=1e-6, show=True)


def check_eps_clipped(student, rng, eps: float, function: str, y_name: str, y_of) -> None:
    """`function(y, p, eps=eps)` on random data where p holds 0 and 1 (y = y_of(labels, p)) equals torch's NLL of p clipped to [eps, 1 − eps]."""
    labels, p = eps_sample(rng, eps, int(rng.integers(2, 6)))
    what = label(
        f"{function}({y_name}, p, eps={eps:g}) for random data where p holds 0 and 1",
        f"p에 0과 1이 들어 있는 무작위 데이터에 대한 {function}({y_name}, p, eps={eps:g})",
    )
    got = student.call(function, y_of(labels, p), p, eps=eps)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_nll(labels, p, eps), what, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("eps", [0.05, 1e-3])
def test_cce_eps(student, rng, eps):
    """With another eps, is p clipped to [eps, 1 − eps] before the log (not left to a constant of its own, not added)?

    ko: 다른 eps를 주면 로그 전에 p를 [eps, 1 − eps]로 자르나요 (고정된 상수를 쓰거나 eps를 더하지 않고)?
    """
    check_eps_clipped(
        student, rng, eps, "categorical_cross_entropy", "y_onehot", lambda labels, p: np.eye(p.shape[1])[labels]
    )


def test_cce_worked_example(student):
    """Does the notes' example ([[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]], one-hot of [2, 1, 0]) give ≈ 0.74?

    ko: 강의 노트의 예제([[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]], [2, 1, 0]의 원-핫 벡터)가 약 0.74를 내나요?
    """
    what = label("categorical_cross_entropy on the notes' example", "강의 노트 예제에 대한 categorical_cross_entropy")
    got = student.categorical_cross_entropy(np.eye(3)[NOTES_LABELS], NOTES_P)
    check_close(loss(got, what), torch_nll(NOTES_LABELS, NOTES_P), what, rtol=1e-5, show=True)


# -- sparse categorical cross-entropy ---------------------------------------------------------
@pytest.mark.parametrize("kind", CLASSIFICATION_KINDS)
def test_sparse_values(student, rng, kind):
    """Does sparse_categorical_cross_entropy match scikit-learn's log_loss with integer labels?

    ko: 정수 레이블에서 sparse_categorical_cross_entropy가 scikit-learn의 log_loss와 같은가요?
    """
    labels, p64, p, rtol, desc = classification_sample(rng, kind)
    sent_labels = labels.tolist() if kind == "list" else labels
    expected = log_loss(labels, p64, labels=np.arange(p64.shape[1]))
    what = given("sparse_categorical_cross_entropy", desc)
    check_close(
        loss(student.sparse_categorical_cross_entropy(sent_labels, p), what), expected, what, rtol=rtol, atol=1e-7
    )


def test_sparse_edge(student):
    """Is sparse_categorical_cross_entropy finite and warning-free when p holds exact 0s and 1s?

    ko: p에 정확히 0과 1인 값이 있을 때도 sparse_categorical_cross_entropy가 경고 없이 유한한가요?
    """
    p = np.eye(3)
    what = label(
        "sparse_categorical_cross_entropy([0, 2, 1], the identity matrix as p)",
        "sparse_categorical_cross_entropy([0, 2, 1], p = 단위 행렬)",
    )
    got = student.sparse_categorical_cross_entropy(np.array([0, 2, 1]), p)
    check_no_warnings(student, what)
    check_close(loss(got, what), torch_nll(np.array([0, 2, 1]), p), what, rtol=1e-5, atol=1e-6, show=True)


@pytest.mark.parametrize("eps", [0.05, 1e-3])
def test_sparse_eps(student, rng, eps):
    """With another eps, is p clipped to [eps, 1 − eps] before the log (not left to a constant of its own, not added)?

    ko: 다른 eps를 주면 로그 전에 p를 [eps, 1 − eps]로 자르나요 (고정된 상수를 쓰거나 eps를 더하지 않고)?
    """
    check_eps_clipped(student, rng, eps, "sparse_categorical_cross_entropy", "y_int", lambda labels, p: labels)


def test_sparse_worked_example(student):
    """Does the notes' example ([[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]] against classes [2, 1, 0]) give ≈ 0.74?

    ko: 강의 노트의 예제([[.1,.3,.6],[.2,.6,.2],[.3,.4,.3]], 정답 클래스 [2, 1, 0])가 약 0.74를 내나요?
    """
    what = label(
        "sparse_categorical_cross_entropy on the notes' example",
        "강의 노트 예제에 대한 sparse_categorical_cross_entropy",
    )
    for labels in (NOTES_LABELS, NOTES_LABELS.tolist()):
        got = student.sparse_categorical_cross_entropy(labels, NOTES_P)
        check_close(loss(got, what), torch_nll(NOTES_LABELS, NOTES_P), what, rtol=1e-5, show=True)
