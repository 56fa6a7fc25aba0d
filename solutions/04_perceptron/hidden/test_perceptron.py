"""Hidden tests of assignment 04: perceptron_output, the four gates and train_perceptron.

Training is graded by what the returned weights separate, classified here with the
perceptron's own rule τ(X·w + b) (τ(0) = 1), never by the weights' exact values.
Weights live in its assignment.toml, under [weights].
"""

import numpy as np
import pytest

from autograder.engine.checks import (
    as_array,
    as_number,
    check_close,
    check_finite,
    check_integral,
    check_shape,
    check_tuple,
)
from autograder.engine.draws import with_edge_rows, with_edges
from autograder.engine.feedback import fail, ko, label

BITS = [(0, 0), (0, 1), (1, 0), (1, 1)]
OR_DATA, AND_DATA, XOR_DATA = (
    label("the OR data", "OR 데이터"),
    label("the AND data", "AND 데이터"),
    label("the XOR data", "XOR 데이터"),
)
TRUTH = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0], "XOR": [0, 1, 1, 0]}
GATE_INPUTS = np.array(BITS, dtype=np.float64)
MARGIN = 0.4
# Separable, margin 0.12 (with the bias): the rule from zero weights needs 45 epochs here, and an epoch
# with a single mistake comes long before the first without one, so stopping early leaves a point wrong.
# Novikoff's bound, (R / margin)² = 1311 mistakes, caps the epochs any order or start needs.
THIN_MARGIN = (np.array([[0.0, -1.0], [3.0, -2.0], [3.0, -3.0], [1.0, 1.0]]), np.array([1, -1, 1, 1]))
THIN_MARGIN_EPOCHS = 1400
# Small separable sets (boundaries away from the origin) for train_perceptron's defaults, lr = 0.1 and epochs = 100.
# Novikoff's bound, (R / margin)² with R and the margin taken with the bias, is at most 28 mistakes on each, so the
# rule from zero weights separates each within 29 epochs in any order of the rows (from a small random start, such
# as 0.01·N(0, 1), only a fraction of a mistake more). Each of these bugs leaves a point wrong on at least one set,
# whatever the order of its rows: a start from b = −1 or b = +1 (worth ten updates at lr = 0.1), a stop after an
# epoch with exactly one mistake, w ← w + lr + y·x, w ← w + (lr % y)·x, b ← b + lr % y.
DEFAULT_SETS = [
    (np.array([[0.0, 1.0], [-3.0, 2.0], [3.0, -1.0], [-2.0, 3.0]]), np.array([1, -1, 1, -1])),
    (np.array([[2.0, -2.0], [-2.0, 1.0], [-1.0, -3.0]]), np.array([-1, 1, 1])),
    (np.array([[1.0, 3.0], [-1.0, -3.0], [2.0, 1.0], [-3.0, -2.0], [2.0, -3.0]]), np.array([-1, 1, 1, 1, 1])),
    (np.array([[-1.0, 0.0], [-2.0, -2.0], [2.0, -2.0]]), np.array([-1, 1, -1])),
    (np.array([[0.0, -2.0], [1.0, 3.0], [3.0, 0.0]]), np.array([1, 1, -1])),
]


def tau(values: np.ndarray) -> np.ndarray:
    return np.where(values >= 0, 1, -1)


def check_gate(student, gate: str) -> None:
    for (x1, x2), expected in zip(BITS, TRUTH[gate]):
        label = f"{gate}({x1}, {x2})"
        got = as_number(student.call(gate, x1, x2), label)
        check_integral(got, label)
        check_close(got, expected, label, rtol=0, atol=0, show=True)


def trained(student, X, y, what: str, **kwargs):
    """(w, b) from train_perceptron, checked for type and shape (`what`, the data, is a label)."""
    result = check_tuple(
        student.train_perceptron(X, y, **kwargs),
        2,
        label(f"train_perceptron on {what}", f"{ko(what)}에 대한 train_perceptron"),
    )
    w_what = label(f"w returned by train_perceptron on {what}", f"{ko(what)}에서 train_perceptron이 반환한 w")
    w = as_array(result[0], w_what)
    check_shape(w, (np.shape(X)[1],), w_what)
    check_finite(w, w_what)
    b_what = label(f"b returned by train_perceptron on {what}", f"{ko(what)}에서 train_perceptron이 반환한 b")
    b = as_number(result[1], b_what)
    check_finite(b, b_what)
    return w, float(b)


SEPARATES_HINT = (
    "Check that τ(0) = 1 and that both w and b are updated on every mistake.",
    "τ(0) = 1인지, 틀릴 때마다 w와 b를 모두 고치는지 확인하세요.",
)


def check_separates(w, b, X, y, what: str, hint: tuple[str, str] = SEPARATES_HINT) -> None:
    wrong = int(np.sum(tau(np.asarray(X, dtype=np.float64) @ w + b) != np.asarray(y)))
    if wrong:
        fail(
            f"The weights train_perceptron learnt on {what} misclassify {wrong} of {len(y)} points "
            f"(classified with τ(X·w + b)); this data is linearly separable, so the rule should classify every point. {hint[0]}",
            f"train_perceptron이 {ko(what)}에서 학습한 가중치가 {len(y)}개 중 {wrong}개를 잘못 분류합니다 (τ(X·w + b)로 분류). "
            f"이 데이터는 선형 분리 가능하므로 모든 점을 맞혀야 합니다. {hint[1]}",
            cause="values",
        )


# Slips in train_perceptron that a random separable set may hide: each is run here, rows in the order the test
# sends them, from w = 0, b = 0 with lr = 0.1, and a set that one of them still classifies right is drawn again,
# so each fails test_train_separable on every seed. Stopping after the first epoch whatever its mistakes (a stop
# test such as `mistakes > 0` or `!= 0`, or a count that never grows); stopping after an epoch with exactly one
# mistake (a count started at −1, or `mistakes == 1`); w ← w + lr·y − x, w + lr·y + x or w + lr·y / x instead of
# w + lr·y·x; b ← b + lr // y; deciding a mistake with τ(x·w − b) or τ(x·w^b) instead of τ(x·w + b); a τ that
# gives 0 or 2 instead of 1, or 1 only at exactly 0. Each entry: the mistake test, the update of w, that of b, the stop.
SLIPS = {
    "one mistake": ("τ(x·w + b)", "+ lr·y·x", "+ lr·y", "one mistake"),
    "first epoch": ("τ(x·w + b)", "+ lr·y·x", "+ lr·y", "first epoch"),
    "w + lr·y / x": ("τ(x·w + b)", "+ lr·y / x", "+ lr·y", "no mistake"),
    "w + lr·y − x": ("τ(x·w + b)", "+ lr·y − x", "+ lr·y", "no mistake"),
    "w + lr·y + x": ("τ(x·w + b)", "+ lr·y + x", "+ lr·y", "no mistake"),
    "b + lr // y": ("τ(x·w + b)", "+ lr·y·x", "+ lr // y", "no mistake"),
    "x·w − b": ("τ(x·w − b)", "+ lr·y·x", "+ lr·y", "no mistake"),
    "x·w^b": ("τ(x·w^b)", "+ lr·y·x", "+ lr·y", "no mistake"),
    "τ(0) = 0 or 2": ("τ ∈ {0, −1}", "+ lr·y·x", "+ lr·y", "no mistake"),
    "τ = 1 only at 0": ("τ = 1 only at 0", "+ lr·y·x", "+ lr·y", "no mistake"),
}


def slipped_training(X: np.ndarray, y: np.ndarray, epochs: int, slip: str, lr: float = 0.1):
    """(w, b) from the rule with one of SLIPS, as a submission with that slip would learn them (Python floats, for speed)."""
    decide, w_rule, b_rule, stop = SLIPS[slip]
    rows = [([float(v) for v in xi], float(yi)) for xi, yi in zip(X, y)]
    w, b = [0.0] * X.shape[1], 0.0
    for _ in range(epochs):
        mistakes = 0
        for xi, yi in rows:
            if decide == "τ(x·w^b)":
                with np.errstate(all="ignore"):
                    score = float(np.array(xi) @ (np.array(w) ** b))
            else:
                score = sum(v * u for v, u in zip(xi, w)) + (-b if decide == "τ(x·w − b)" else b)
            if decide == "τ ∈ {0, −1}":
                said = 0.0 if score >= 0 else -1.0
            elif decide == "τ = 1 only at 0":
                said = 1.0 if score == 0 else -1.0
            else:
                said = 1.0 if score >= 0 else -1.0
            if said != yi:
                if w_rule == "+ lr·y − x":
                    w = [u + lr * yi - v for v, u in zip(xi, w)]
                elif w_rule == "+ lr·y + x":
                    w = [u + lr * yi + v for v, u in zip(xi, w)]
                elif w_rule == "+ lr·y / x":
                    if 0.0 in xi:
                        return np.full(len(w), np.inf), b  # numpy's division by zero: w is no longer finite
                    w = [u + lr * yi / v for v, u in zip(xi, w)]
                else:
                    w = [u + lr * yi * v for v, u in zip(xi, w)]
                b = b + (lr // yi if b_rule == "+ lr // y" else lr * yi)
                mistakes += 1
        if mistakes == 0 or stop == "first epoch" or (stop == "one mistake" and mistakes == 1):
            break
    return np.array(w), b


def hides_a_slip(X: np.ndarray, y: np.ndarray, epochs: int) -> bool:
    """Whether some slip of SLIPS still learns finite weights that classify every point of (X, y)."""
    for slip in SLIPS:  # the quick ones first
        w, b = slipped_training(X, y, epochs, slip)
        with np.errstate(all="ignore"):
            if np.all(np.isfinite(w)) and np.isfinite(b) and np.all(tau(X @ w + b) == y):
                return True
    return False


def separable_data(rng, d: int):
    """Labels ±1 split by a plane at distance 1.2–2 from the origin, with a margin; drawn again while it hides a slip.

    A small diamond of points around the origin sits on one side, so the origin lies inside
    that class's convex hull: no boundary through the origin (b = 0) separates the data.
    A draw that one of SLIPS still separates is replaced by a new one from the same rng.
    Returns X, y and the number of epochs Novikoff's bound guarantees for the rule.
    """
    while True:
        X, y, epochs = separable_draw(rng, d)
        if not hides_a_slip(X, y, epochs):
            return X, y, epochs


def separable_draw(rng, d: int):
    """One draw for separable_data, with no check on SLIPS."""
    normal = rng.normal(size=d)
    normal /= np.linalg.norm(normal)
    offset = rng.uniform(1.2, 2.0)
    while True:
        X = rng.uniform(-3, 3, size=(60, d))
        s = X @ normal + offset
        X = X[np.abs(s) >= MARGIN]
        if np.sum(X @ normal + offset < 0) >= 3:
            break
    diamond = np.vstack([np.eye(d) * 0.5, -np.eye(d) * 0.5])
    X = np.vstack([X, diamond])
    side = rng.choice([-1, 1])  # the diamond's class
    y = tau(X @ normal + offset) * side
    order = rng.permutation(len(X))
    order = order[np.argsort(y[order] != side, kind="stable")]  # the diamond's class first, each class in random order
    X, y = X[order], y[order]
    radius = np.sqrt(np.max(np.sum(X**2, axis=1)) + 1.0)
    gamma = MARGIN / np.sqrt(1.0 + offset**2)
    epochs = int(np.ceil((radius / gamma) ** 2)) + 2
    return X, y, epochs


def random_bias(rng) -> float:
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 1.5))


def both_sides(rng, X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """X with four rows, at random places, where X·w + b is −(1.5 to 3), −|b| / 2, |b| / 2 and 1.5 to 3.

    An output that is always 1 (or −1), a threshold moved off 0, or b applied other than by
    adding it (X·w / b, X·w − b) then fails on every seed, whatever the sign of b.
    """
    direction = w / float(w @ w)
    targets = [-rng.uniform(1.5, 3.0), -abs(b) / 2, abs(b) / 2, rng.uniform(1.5, 3.0)]
    return with_edge_rows(rng, X, [(target - b) * direction for target in targets])


# -- perceptron_output ------------------------------------------------------------------------
@pytest.mark.parametrize("d", [2, 5])
def test_perceptron_output_values(student, rng, d):
    """Does perceptron_output give τ(X·w + b), 1 or −1 per row, on random data?

    ko: 무작위 데이터에서 perceptron_output이 τ(X·w + b), 즉 행마다 1 또는 −1을 내나요?
    """
    n = int(rng.integers(5, 30))
    w, b = rng.normal(size=d), random_bias(rng)
    X = both_sides(rng, rng.normal(size=(n, d)), w, b)
    what = label(
        f"perceptron_output for random X of shape {(n, d)}", f"모양이 {(n, d)}인 무작위 X에 대한 perceptron_output"
    )
    got = as_array(student.perceptron_output(X, w, b), what)
    check_shape(got, (n,), what)
    check_integral(got, what)
    check_close(got, tau(X @ w + b), what, rtol=0, atol=0)


def test_perceptron_output_shape(student, rng):
    """Does perceptron_output return one value per row of X, shape (n,)?

    ko: perceptron_output이 X의 행마다 값을 하나씩, 모양 (n,)으로 반환하나요?
    """
    X, w = rng.normal(size=(9, 3)), rng.normal(size=3)
    check_shape(
        as_array(student.perceptron_output(X, w, 0.1), "perceptron_output(X, w, b)"),
        (9,),
        label(
            "perceptron_output(X, w, b) for X of shape (9, 3)", "모양이 (9, 3)인 X에 대한 perceptron_output(X, w, b)"
        ),
    )


def test_perceptron_output_zero(student):
    """Does perceptron_output give 1 where X·w + b is exactly 0 (τ(0) = 1)?

    ko: X·w + b가 정확히 0인 곳에서 perceptron_output이 1을 내나요 (τ(0) = 1)?
    """
    X, w = np.array([[1.0, 1.0], [0.0, 0.0], [2.0, -1.0], [3.0, 1.0]]), np.array([1.0, -1.0])
    label = "perceptron_output([[1, 1], [0, 0], [2, -1], [3, 1]], [1, -1], 0)"
    check_close(student.perceptron_output(X, w, 0.0), [1, 1, 1, 1], label, rtol=0, atol=0, show=True)
    label = "perceptron_output([[1, 1], [0, 0], [2, -1], [3, 1]], [1, -1], -2)"
    check_close(student.perceptron_output(X, w, -2.0), [-1, -1, 1, 1], label, rtol=0, atol=0, show=True)


def test_perceptron_output_int_inputs(student, rng):
    """Does perceptron_output take 0/1 inputs as an int array and an int bias, as a gate gives them?

    ko: perceptron_output이 게이트처럼 0/1 입력을 int 배열로, 편향을 int로 받아도 되나요?
    """
    X = np.array(BITS * 2, dtype=np.int64)
    for b in (-1, 1, int(rng.choice([-2, 2]))):
        w = with_edges(
            rng, rng.uniform(-2, 2, size=2), (float(rng.uniform(0.2, 0.9)) * -b, float(rng.uniform(1.1, 2.0)) * -b)
        )
        what = label(
            f"perceptron_output(X of 0/1 ints, random w, {b})", f"perceptron_output(0/1 int 배열 X, 무작위 w, {b})"
        )
        got = as_array(student.perceptron_output(X, w, b), what)
        check_integral(got, what)
        check_close(got, tau(X @ w + b), what, rtol=0, atol=0)


def test_perceptron_output_lists(student, rng):
    """Does perceptron_output accept Python lists for X and w?

    ko: perceptron_output이 X와 w로 Python 리스트도 받나요?
    """
    w, b = rng.normal(size=2), random_bias(rng)
    X = both_sides(rng, rng.normal(size=(6, 2)), w, b)
    check_close(
        student.perceptron_output(X.tolist(), w.tolist(), b),
        tau(X @ w + b),
        label(
            "perceptron_output for X and w given as Python lists",
            "X와 w를 Python 리스트로 주었을 때의 perceptron_output",
        ),
        rtol=0,
        atol=0,
    )


# -- gates ------------------------------------------------------------------------------------
def test_and_gate(student):
    """Does AND give 0, 0, 0, 1 on (0,0), (0,1), (1,0), (1,1)?

    ko: AND가 (0,0), (0,1), (1,0), (1,1)에서 0, 0, 0, 1을 내나요?
    """
    check_gate(student, "AND")


def test_or_gate(student):
    """Does OR give 0, 1, 1, 1 on (0,0), (0,1), (1,0), (1,1)?

    ko: OR가 (0,0), (0,1), (1,0), (1,1)에서 0, 1, 1, 1을 내나요?
    """
    check_gate(student, "OR")


def test_nand_gate(student):
    """Does NAND give 1, 1, 1, 0 on (0,0), (0,1), (1,0), (1,1)?

    ko: NAND가 (0,0), (0,1), (1,0), (1,1)에서 1, 1, 1, 0을 내나요?
    """
    check_gate(student, "NAND")


def test_xor_gate(student):
    """Does XOR (AND of OR and NAND) give 0, 1, 1, 0 on (0,0), (0,1), (1,0), (1,1)?

    ko: XOR(OR와 NAND를 AND로 합친 것)가 (0,0), (0,1), (1,0), (1,1)에서 0, 1, 1, 0을 내나요?
    """
    check_gate(student, "XOR")


# -- train_perceptron -------------------------------------------------------------------------
def test_train_returns_tuple(student):
    """Does train_perceptron return a tuple (w, b) with one weight per column of X?

    ko: train_perceptron이 X의 열마다 가중치가 하나씩 있는 튜플 (w, b)를 반환하나요?
    """
    trained(student, GATE_INPUTS, np.array([-1, 1, 1, 1]), OR_DATA)


def test_train_or(student):
    """Do the weights learnt on OR (labels ±1) classify all four points correctly?

    ko: OR(레이블 ±1)에서 학습한 가중치가 네 점을 모두 올바르게 분류하나요?
    """
    y = np.array(TRUTH["OR"]) * 2 - 1
    w, b = trained(student, GATE_INPUTS, y, OR_DATA, lr=0.5)
    check_separates(w, b, GATE_INPUTS, y, OR_DATA)


def test_train_and(student):
    """Do the weights learnt on AND (labels ±1) classify all four points correctly?

    ko: AND(레이블 ±1)에서 학습한 가중치가 네 점을 모두 올바르게 분류하나요?
    """
    y = np.array(TRUTH["AND"]) * 2 - 1
    w, b = trained(student, GATE_INPUTS, y, AND_DATA, lr=0.5)
    check_separates(w, b, GATE_INPUTS, y, AND_DATA)


@pytest.mark.parametrize("d", [2, 3])
def test_train_separable(student, rng, d):
    """Do the weights learnt on random linearly separable data (boundary away from the origin) classify every point?

    ko: 선형 분리 가능한 무작위 데이터(경계가 원점을 지나지 않음)에서 학습한 가중치가 모든 점을 올바르게 분류하나요?
    """
    X, y, epochs = separable_data(rng, d)
    what = label(f"random separable data of shape {X.shape}", f"모양이 {X.shape}인 무작위 선형 분리 가능 데이터")
    w, b = trained(student, X, y, what, epochs=epochs)
    check_separates(w, b, X, y, what)


@pytest.mark.parametrize("kind", ["list", "int"])
def test_train_input_types(student, kind):
    """Do the weights learnt on AND given as Python lists, or as int arrays, classify all four points?

    ko: AND 데이터를 Python 리스트나 int 배열로 주어도 학습한 가중치가 네 점을 모두 올바르게 분류하나요?
    """
    X, y = GATE_INPUTS.astype(np.int64), np.array(TRUTH["AND"]) * 2 - 1
    sent = (X.tolist(), y.tolist()) if kind == "list" else (X, y)
    what = label(
        f"the AND data as {'Python lists' if kind == 'list' else 'int arrays'}",
        f"{'Python 리스트' if kind == 'list' else 'int 배열'}로 준 AND 데이터",
    )
    w, b = trained(student, *sent, what, lr=0.5)
    check_separates(w, b, X, y, what)


def test_train_until_no_mistakes(student):
    """On a small separable data set with a thin margin, does training go on until an epoch without a mistake?

    ko: 여백이 좁은 작은 선형 분리 가능 데이터에서 실수가 없는 epoch이 나올 때까지 학습을 계속하나요?
    """
    X, y = THIN_MARGIN
    what = label("a small separable data set with a thin margin", "여백이 좁은 작은 선형 분리 가능 데이터")
    w, b = trained(student, X, y, what, epochs=THIN_MARGIN_EPOCHS)
    check_separates(w, b, X, y, what)


def test_train_defaults(student):
    """With its defaults (lr=0.1, epochs=100), do the weights learnt on small separable data sets classify every point?

    ko: 기본값(lr=0.1, epochs=100)으로 작은 선형 분리 가능 데이터에서 학습한 가중치가 모든 점을 올바르게 분류하나요?
    """
    hint = (
        "The rule starts from w = 0, b = 0, updates w ← w + lr·y·x and b ← b + lr·y on every mistake, and stops "
        "only after an epoch without mistakes; with the defaults it separates this data within 30 epochs.",
        "학습 규칙은 w = 0, b = 0에서 시작해 틀릴 때마다 w ← w + lr·y·x, b ← b + lr·y로 고치고, 실수가 없는 epoch 뒤에만 "
        "멈춥니다. 기본값으로도 이 데이터는 30 epoch 안에 나뉩니다.",
    )
    for X, y in DEFAULT_SETS:
        what = label(
            f"the separable data X = {X.astype(int).tolist()}, y = {y.tolist()} (default lr and epochs)",
            f"선형 분리 가능한 데이터 X = {X.astype(int).tolist()}, y = {y.tolist()} (lr과 epochs는 기본값)",
        )
        w, b = trained(student, X, y, what)
        check_separates(w, b, X, y, what, hint)


def test_train_xor(student):
    """Does train_perceptron run on XOR (which it cannot separate) and still return (w, b) of the right shapes?

    ko: train_perceptron이 (분리할 수 없는) XOR에서도 오류 없이 실행되어 올바른 모양의 (w, b)를 반환하나요?
    """
    trained(student, GATE_INPUTS, np.array(TRUTH["XOR"]) * 2 - 1, XOR_DATA)
