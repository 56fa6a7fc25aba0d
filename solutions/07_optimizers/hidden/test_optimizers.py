"""Hidden tests of 07 optimizers (optim.py): SGD, momentum, Adam against torch.optim; dropout.

The optimizers are replayed step by step against torch.optim in float64, feeding the
student's own returned state (velocity, moments) back in, as a training loop would.
Dropout's mask is drawn in the child from seeds the parent chooses (a Generator cannot
cross the wire) through the `dropout_with_seeds` driver.
"""

import numpy as np
import pytest
import torch

from autograder.engine.checks import as_array, check_close, check_shape, check_tuple
from autograder.engine.draws import with_edges
from autograder.engine.feedback import Failure, fail, ko, label
from autograder.engine.recording import Made, StudentCall

torch.set_num_threads(1)
SHAPES = [(5,), (3, 4), (2, 3, 2)]


def _part(name_en: str, name_ko: str, what: str, *, when_en: str = "", when_ko: str = ""):
    """One returned value of a step, e.g. "w from momentum_step at step 2 (shape (5,))", in both languages."""
    return label(
        f"{name_en} from {what}{when_en and ' ' + when_en}", f"{when_ko and when_ko + ' '}{ko(what)}에서 나온 {name_ko}"
    )


class _TorchOptimizer:
    """One float64 parameter under a torch optimizer; `step(grad)` returns the new weights."""

    def __init__(self, w: np.ndarray, kind, **options):
        self.param = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
        self.opt = kind([self.param], **options)

    def step(self, grad: np.ndarray, lr: float | None = None) -> np.ndarray:
        if lr is not None:
            self.opt.param_groups[0]["lr"] = lr
        self.param.grad = torch.tensor(grad, dtype=torch.float64)
        self.opt.step()
        return self.param.detach().numpy().copy()

    def state(self, key: str) -> np.ndarray:
        return self.opt.state[self.param][key].detach().numpy().copy()


# -- SGD ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES)
def test_sgd_step(student, rng, shape):
    """Does sgd_step match one step of torch.optim.SGD?

    ko: sgd_step이 torch.optim.SGD의 한 걸음과 같은 결과를 내나요?
    """
    w, grad, lr = rng.normal(size=shape), rng.normal(size=shape), float(rng.uniform(0.001, 0.5))
    expected = _TorchOptimizer(w, torch.optim.SGD, lr=lr).step(grad)
    what = label(
        f"sgd_step(w, grad, lr={lr:.4g}) for shape {shape}",
        f"모양 {shape}의 입력에 대한 sgd_step(w, grad, lr={lr:.4g})",
    )
    check_close(student.sgd_step(w, grad, lr), expected, what, rtol=1e-9)


def test_sgd_step_lists_and_scalars(student, rng):
    """Does sgd_step accept Python lists and scalars?

    ko: sgd_step이 파이썬 리스트와 스칼라도 받나요?
    """
    w, grad, lr = rng.normal(size=4), rng.normal(size=4), 0.1
    check_close(student.sgd_step(w.tolist(), grad.tolist(), lr), w - lr * grad, "sgd_step(list, list, 0.1)", rtol=1e-9)
    check_close(student.sgd_step(2.0, 0.5, 0.1), 1.95, "sgd_step(2.0, 0.5, 0.1)", rtol=1e-9)


def test_sgd_step_float32(student, rng):
    """Does sgd_step take float32 weights and gradients (float32 or float64 results both count)?

    ko: sgd_step이 float32 가중치와 기울기도 받나요 (결과는 float32든 float64든 괜찮습니다)?
    """
    w, grad, lr = rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=(3, 4)).astype(np.float32), 0.05
    expected = w.astype(np.float64) - lr * grad.astype(np.float64)
    check_close(
        student.sgd_step(w, grad, lr),
        expected,
        label("sgd_step(float32 w, float32 grad, 0.05)", "sgd_step(float32 w, float32 grad, 0.05)"),
        rtol=1e-6,
        atol=1e-6,
    )


# -- momentum ------------------------------------------------------------------------------------
def _momentum_run(student, rng, shape, *, steps: int, lrs=None, v0=None, momentum=None):
    """Replay `steps` momentum steps; yields (student w, student v, torch w, torch v, label)."""
    w0 = rng.normal(size=shape)
    lr = float(rng.uniform(0.01, 0.2))
    options = {"lr": lr, "momentum": 0.9 if momentum is None else momentum}
    ref = _TorchOptimizer(w0, torch.optim.SGD, **options)
    w, v = w0, (np.zeros(shape) if v0 is None else v0)
    if v0 is not None:
        ref.opt.state[ref.param]["momentum_buffer"] = torch.tensor(v0, dtype=torch.float64)
    for step in range(steps):
        grad = rng.normal(size=shape)
        step_lr = lr if lrs is None else lrs[step]
        expected_w = ref.step(grad, step_lr)
        kwargs = {} if momentum is None else {"momentum": momentum}
        what = label(
            f"momentum_step at step {step + 1} (shape {shape})", f"momentum_step의 {step + 1}번째 걸음 (모양 {shape})"
        )
        result = check_tuple(student.momentum_step(w, grad, v, step_lr, **kwargs), 2, what)
        w, v = (
            as_array(result[0], _part("w", "w", what)),
            as_array(result[1], _part("velocity", "속도(velocity)", what)),
        )
        yield w, v, expected_w, ref.state("momentum_buffer"), what


@pytest.mark.parametrize("shape", SHAPES)
def test_momentum_weights_match_torch(student, rng, shape):
    """Over several steps from zero velocity, do the weights follow torch.optim.SGD(momentum=0.9)?

    ko: 속도 0에서 시작해 여러 걸음을 가는 동안 가중치가 torch.optim.SGD(momentum=0.9)를 따라가나요?
    """
    for w, _, expected_w, _, what in _momentum_run(student, rng, shape, steps=6):
        check_close(w, expected_w, _part("w", "w", what), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("shape", SHAPES[:2])
def test_momentum_velocity_matches_torch(student, rng, shape):
    """Is the returned velocity PyTorch's momentum buffer v = mu * v + g (not scaled by the learning rate)?

    ko: 반환한 속도가 PyTorch의 모멘텀 버퍼 v = mu * v + g인가요 (학습률을 곱하지 않은 값)?
    """
    for _w, v, _expected_w, expected_v, what in _momentum_run(student, rng, shape, steps=4):
        check_close(v, expected_v, _part("velocity", "속도(velocity)", what), rtol=1e-8, atol=1e-10)


def test_momentum_changing_lr(student, rng):
    """When the learning rate changes between steps, do the weights still follow torch.optim.SGD?

    ko: 걸음마다 학습률이 바뀌어도 가중치가 torch.optim.SGD를 따라가나요?
    """
    lrs = [0.2, 0.1, 0.05, 0.3, 0.01, 0.15]
    for w, _, expected_w, _, what in _momentum_run(student, rng, (4, 3), steps=6, lrs=lrs):
        check_close(
            w,
            expected_w,
            _part("w", "w", what, when_en="with a changing learning rate", when_ko="학습률이 바뀔 때"),
            rtol=1e-8,
            atol=1e-10,
        )


def test_momentum_initial_velocity(student, rng):
    """Starting from a non-zero velocity, does the first step give w - lr * (mu * v + g)?

    ko: 0이 아닌 속도에서 시작할 때 첫 걸음의 결과가 w - lr * (mu * v + g)인가요?
    """
    v0 = rng.normal(size=(6,))
    when = {"when_en": "starting from a non-zero velocity", "when_ko": "0이 아닌 속도에서 시작할 때"}
    for w, v, expected_w, expected_v, what in _momentum_run(student, rng, (6,), steps=2, v0=v0):
        check_close(w, expected_w, _part("w", "w", what, **when), rtol=1e-8, atol=1e-10)
        check_close(v, expected_v, _part("velocity", "속도(velocity)", what, **when), rtol=1e-8, atol=1e-10)


def test_momentum_other_mu(student, rng):
    """With momentum=0.5 instead of the default, do the weights follow torch.optim.SGD?

    ko: 기본값 대신 momentum=0.5를 주어도 가중치가 torch.optim.SGD를 따라가나요?
    """
    for w, _, expected_w, _, what in _momentum_run(student, rng, (5,), steps=4, momentum=0.5):
        check_close(
            w,
            expected_w,
            _part("w", "w", what, when_en="with momentum=0.5", when_ko="momentum=0.5일 때"),
            rtol=1e-8,
            atol=1e-10,
        )


def test_momentum_lists_and_scalars(student, rng):
    """Does momentum_step take Python lists, and Python floats for a single weight?

    ko: momentum_step이 Python 리스트와, 가중치 하나일 때 Python float도 받나요?
    """
    w, grad, v = rng.normal(size=4), rng.normal(size=4), rng.normal(size=4)
    for sent, what in [
        ((w.tolist(), grad.tolist(), v.tolist()), "momentum_step(list, list, list, 0.1)"),
        ((float(w[0]), float(grad[0]), float(v[0])), "momentum_step(float, float, float, 0.1)"),
    ]:
        result = check_tuple(student.momentum_step(*sent, 0.1), 2, what)
        velocity = 0.9 * np.asarray(sent[2]) + np.asarray(sent[1])
        check_close(result[1], velocity, _part("velocity", "속도(velocity)", what), rtol=1e-9)
        check_close(result[0], np.asarray(sent[0]) - 0.1 * velocity, _part("w", "w", what), rtol=1e-9)


# -- Adam ------------------------------------------------------------------------------------------
TINY_GRADIENTS = [
    1e-7,
    -1e-7,
]  # near eps: tells sqrt(v̂) + eps from sqrt(v̂) − eps, or eps in the wrong place, on every seed


def _adam_gradient(rng, shape) -> np.ndarray:
    return with_edges(rng, rng.normal(size=shape) * 10.0 ** rng.uniform(-2, 1), TINY_GRADIENTS)


def _adam_run(student, rng, shape, *, steps: int, first: int = 1, **hyper):
    """Replay `steps` Adam steps from t = `first`; before that, torch alone takes the first - 1 steps and hands over its state."""
    w0 = rng.normal(size=shape)
    options = {
        "lr": hyper.get("lr", 1e-3),
        "betas": (hyper.get("beta1", 0.9), hyper.get("beta2", 0.999)),
        "eps": hyper.get("eps", 1e-8),
    }
    ref = _TorchOptimizer(w0, torch.optim.Adam, **options)
    w, m, v = w0, np.zeros(shape), np.zeros(shape)
    if first > 1:
        for _ in range(first - 1):
            w = ref.step(_adam_gradient(rng, shape))
        m, v = ref.state("exp_avg"), ref.state("exp_avg_sq")
    for t in range(first, first + steps):
        grad = _adam_gradient(rng, shape)
        expected_w = ref.step(grad)
        what = label(f"adam_step at t={t} (shape {shape})", f"adam_step의 t={t} 걸음 (모양 {shape})")
        result = check_tuple(student.adam_step(w, grad, m, v, t, **hyper), 3, what)
        w, m, v = (as_array(value, _part(name, name, what)) for value, name in zip(result, ("w", "m", "v")))
        yield w, m, v, expected_w, ref.state("exp_avg"), ref.state("exp_avg_sq"), what


@pytest.mark.parametrize("shape", SHAPES)
def test_adam_matches_torch(student, rng, shape):
    """Over several steps, t = 1, 2, ..., do the weights follow torch.optim.Adam?

    ko: t = 1, 2, ...로 여러 걸음을 가는 동안 가중치가 torch.optim.Adam을 따라가나요?
    """
    for w, _, _, expected_w, _, _, what in _adam_run(student, rng, shape, steps=8, lr=0.01):
        check_close(w, expected_w, _part("w", "w", what), rtol=1e-7, atol=1e-10)


def test_adam_moments_match_torch(student, rng):
    """Are the returned m and v Adam's moving averages of g and g**2 (before bias correction)?

    ko: 반환한 m과 v가 g와 g**2에 대한 Adam의 이동 평균(편향 보정 전)인가요?
    """
    for _, m, v, _, expected_m, expected_v, what in _adam_run(student, rng, (3, 4), steps=5, lr=0.01):
        check_close(m, expected_m, _part("m", "m", what), rtol=1e-8, atol=1e-12)
        check_close(v, expected_v, _part("v", "v", what), rtol=1e-8, atol=1e-12)


def test_adam_first_step_bias_correction(student, rng):
    """With bias correction, does the first step (t=1) move every weight by almost exactly lr?

    ko: 편향 보정을 하면 첫 걸음(t=1)에서 모든 가중치가 거의 정확히 lr만큼 움직이나요?
    """
    w, lr = rng.normal(size=10), 0.05
    grad = rng.choice([-1.0, 1.0], size=10) * rng.uniform(0.1, 5.0, size=10)
    result = check_tuple(student.adam_step(w, grad, np.zeros(10), np.zeros(10), 1, lr=lr), 3, "adam_step(..., t=1)")
    first_w = label("w from adam_step(..., t=1)", "adam_step(..., t=1)의 w")
    moved = as_array(result[0], first_w) - w
    check_shape(moved, (10,), first_w)
    if not np.allclose(np.abs(moved), lr, rtol=1e-5):
        fail(
            "The first Adam step (t=1) should move each weight by about lr, opposite to its gradient. "
            "Divide m by (1 - beta1**t) and v by (1 - beta2**t) (bias correction), with t counting from 1.",
            "Adam의 첫 걸음(t=1)은 각 가중치를 기울기 반대 방향으로 약 lr만큼 옮겨야 합니다. "
            "m을 (1 − beta1**t)로, v를 (1 − beta2**t)로 나누세요 (편향 보정, t는 1부터).",
            cause="values",
        )
    check_close(moved, -lr * np.sign(grad), label("the first Adam step", "Adam의 첫 걸음"), rtol=1e-5)


def test_adam_hyperparameters(student, rng):
    """With non-default lr, beta1, beta2 and eps, does adam_step still follow torch.optim.Adam?

    ko: lr, beta1, beta2, eps에 기본값이 아닌 값을 주어도 adam_step이 torch.optim.Adam을 따라가나요?
    """
    hyper = {"lr": 0.03, "beta1": 0.8, "beta2": 0.99, "eps": 1e-4}
    settings = "lr=0.03, beta1=0.8, beta2=0.99, eps=1e-4"
    for w, _, _, expected_w, _, _, what in _adam_run(student, rng, (7,), steps=6, **hyper):
        check_close(
            w,
            expected_w,
            _part("w", "w", what, when_en=f"with {settings}", when_ko=f"{settings}일 때"),
            rtol=1e-7,
            atol=1e-10,
        )


@pytest.mark.parametrize("beta1, beta2", [(0.3, 0.999), (0.9, 0.4)], ids=["beta1=0.3", "beta2=0.4"])
def test_adam_small_betas(student, rng, beta1, beta2):
    """With beta1 or beta2 below 0.5 (torch.optim.Adam takes any beta in [0, 1)), do w, m and v follow torch.optim.Adam?

    ko: beta1이나 beta2가 0.5보다 작아도 (torch.optim.Adam은 [0, 1)의 어떤 beta도 받습니다) w, m, v가 torch.optim.Adam을 따라가나요?
    """
    settings = f"beta1={beta1}, beta2={beta2}"
    when = {"when_en": f"with {settings}", "when_ko": f"{settings}일 때"}
    for w, m, v, expected_w, expected_m, expected_v, what in _adam_run(
        student, rng, (3, 4), steps=4, lr=0.01, beta1=beta1, beta2=beta2
    ):
        check_close(m, expected_m, _part("m", "m", what, **when), rtol=1e-8, atol=1e-12)
        check_close(v, expected_v, _part("v", "v", what, **when), rtol=1e-8, atol=1e-12)
        check_close(w, expected_w, _part("w", "w", what, **when), rtol=1e-7, atol=1e-10)


def test_adam_late_steps(student, rng):
    """Late in training, at t = 1000 to 1003 (m and v from torch's first 999 steps), does adam_step follow torch.optim.Adam?

    ko: 학습 후반인 t = 1000~1003에서 (m과 v는 torch가 앞의 999걸음에서 만든 값) adam_step이 torch.optim.Adam을 따라가나요?
    """
    when = {"when_en": "late in training", "when_ko": "학습 후반"}
    for w, m, v, expected_w, expected_m, expected_v, what in _adam_run(
        student, rng, (6,), steps=4, first=1000, lr=0.01
    ):
        check_close(m, expected_m, _part("m", "m", what, **when), rtol=1e-8, atol=1e-12)
        check_close(v, expected_v, _part("v", "v", what, **when), rtol=1e-8, atol=1e-12)
        check_close(w, expected_w, _part("w", "w", what, **when), rtol=1e-7, atol=1e-10)


def test_adam_lists(student, rng):
    """Does adam_step take Python lists for w, grad, m and v, and still follow torch.optim.Adam?

    ko: adam_step이 w, grad, m, v를 Python 리스트로 받아도 torch.optim.Adam을 따라가나요?
    """
    w0 = rng.normal(size=5)
    ref = _TorchOptimizer(w0, torch.optim.Adam, lr=0.01)
    w, m, v = w0.tolist(), [0.0] * 5, [0.0] * 5
    for t in (1, 2):
        grad = rng.normal(size=5)
        expected = ref.step(grad)
        what = label(f"adam_step(lists, t={t}, lr=0.01)", f"adam_step(리스트, t={t}, lr=0.01)")
        result = check_tuple(student.adam_step(w, grad.tolist(), m, v, t, lr=0.01), 3, what)
        check_close(result[0], expected, _part("w", "w", what), rtol=1e-7, atol=1e-10)
        w, m, v = (as_array(value, _part(name, name, what)).tolist() for value, name in zip(result, ("w", "m", "v")))


# -- dropout -----------------------------------------------------------------------------------------
def _dropout(student, x: np.ndarray, p: float, seeds: list[int], training: bool = True, sent=None) -> list[np.ndarray]:
    """dropout(x, p, training, rng) once per seed, each output checked for type and shape; `sent`, x as sent if not x itself."""
    try:
        given = x if sent is None else sent
        rng = Made(("numpy Generator",))
        outputs = student.drive(
            "dropout_with_seeds",
            x=given,
            p=p,
            seeds=seeds,
            training=training,
            calls=[StudentCall("dropout", (given, p), {"training": training, "rng": rng})],
        )
    except Failure as failure:  # name the student's function, not the driver
        raise Failure(
            failure.en.replace("dropout_with_seeds()", "dropout()"),
            failure.ko.replace("dropout_with_seeds()", "dropout()"),
            cause=failure.cause,
        ) from None
    if not isinstance(outputs, (list, tuple, np.ndarray)) or len(outputs) != len(seeds):
        fail(
            "dropout() returned something that is not an array.",
            "dropout()이(가) 배열이 아닌 값을 반환했습니다.",
            cause="type",
        )
    what = label(f"dropout(x of shape {x.shape}, p={p})", f"모양 {x.shape}의 x에 대한 dropout(x, p={p})")
    arrays = [as_array(out, what) for out in outputs]
    for out in arrays:
        check_shape(out, x.shape, what)
    return arrays


@pytest.mark.parametrize("p", [0.2, 0.3, 0.75])
def test_dropout_inverted_scaling(student, rng, p):
    """Is every output either 0 or x / (1 - p) (kept units scaled up, inverted dropout)?

    ko: 모든 출력이 0이거나 x / (1 - p)인가요 (남은 유닛의 크기를 키우는 역드롭아웃)?
    """
    x = rng.uniform(0.5, 2.0, size=(40, 25)) * rng.choice([-1.0, 1.0], size=(40, 25))
    out = _dropout(student, x, p, [int(rng.integers(1 << 30))])[0]
    kept = out != 0
    if not kept.any():
        fail(
            f"dropout(x, p={p}) dropped every unit.", f"dropout(x, p={p})이(가) 모든 유닛을 버렸습니다.", cause="values"
        )
    if np.allclose(out[kept], x[kept], rtol=1e-6):
        fail(
            f"dropout(x, p={p}) keeps units at their old size: scale the kept units by 1 / (1 - p) (inverted dropout).",
            f"dropout(x, p={p})이(가) 남은 유닛의 크기를 그대로 두었습니다. 남은 유닛에 1 / (1 − p)를 곱하세요 (역드롭아웃).",
            cause="values",
        )
    check_close(
        out[kept],
        x[kept] / (1 - p),
        label(f"the kept units of dropout(x, p={p})", f"dropout(x, p={p})에서 남은 유닛"),
        rtol=1e-6,
    )


@pytest.mark.parametrize("p", [0.2, 0.7])
def test_dropout_fraction_dropped(student, rng, p):
    """On 100,000 units, is the fraction set to 0 close to p (p is the probability of dropping)?

    ko: 유닛 100,000개 중 0이 된 비율이 p에 가까운가요 (p는 버릴 확률)?
    """
    x = rng.uniform(0.5, 2.0, size=(200, 500))
    out = _dropout(student, x, p, [int(rng.integers(1 << 30))])[0]
    dropped = float(np.mean(out == 0))
    if abs(dropped - p) > 0.01:  # more than 6 standard deviations of an honest mask
        fail(
            f"dropout(x, p={p}) set {dropped:.1%} of the units to 0; about {p:.0%} should be dropped (p is the probability of DROPPING).",
            f"dropout(x, p={p})이(가) 유닛의 {dropped:.1%}를 0으로 만들었습니다. 약 {p:.0%}를 버려야 합니다 (p는 버릴 확률).",
            cause="values",
        )


def test_dropout_keeps_expected_value(student, rng):
    """Is the mean of dropout's output close to the mean of its input (inverted dropout keeps E[x])?

    ko: dropout 출력의 평균이 입력의 평균에 가까운가요 (역드롭아웃은 E[x]를 유지)?
    """
    x = np.ones((200, 500))
    out = _dropout(student, x, 0.4, [int(rng.integers(1 << 30))])[0]
    if abs(float(out.mean()) - 1.0) > 0.03:
        fail(
            f"The mean of dropout(ones, p=0.4) is {float(out.mean()):.3f}, but inverted dropout keeps it near 1.",
            f"dropout(ones, p=0.4)의 평균이 {float(out.mean()):.3f}입니다. 역드롭아웃은 평균을 1 근처로 유지해야 합니다.",
            cause="values",
        )


def test_dropout_same_seed_same_mask(student, rng):
    """Does an rng with the same seed give the same mask, and a different seed a different one?

    ko: 같은 시드의 rng는 같은 마스크를, 다른 시드의 rng는 다른 마스크를 만드나요?
    """
    x = rng.uniform(0.5, 2.0, size=(30, 40))
    seed = int(rng.integers(1 << 30))
    first, again, other = _dropout(student, x, 0.5, [seed, seed, seed + 1])
    if not np.array_equal(first == 0, again == 0):
        fail(
            "dropout() gave different masks for two Generators with the same seed: draw the mask with the `rng` argument.",
            "같은 시드의 Generator 두 개로 dropout()을 호출했는데 마스크가 다릅니다. 마스크는 인자로 받은 `rng`로 뽑으세요.",
            cause="values",
        )
    if np.array_equal(first == 0, other == 0):
        fail(
            "dropout() gave the same mask for Generators with different seeds: draw the mask with the `rng` argument.",
            "시드가 다른 Generator로 호출했는데 dropout()의 마스크가 같습니다. 마스크는 인자로 받은 `rng`로 뽑으세요.",
            cause="values",
        )


@pytest.mark.parametrize("kind", ["float32", "list"])
def test_dropout_input_types(student, rng, kind):
    """Given a float32 array or a Python list, is every output either 0 or x / (1 − p)?

    ko: float32 배열이나 Python 리스트를 주어도 모든 출력이 0이거나 x / (1 − p)인가요?
    """
    x = rng.uniform(0.5, 2.0, size=(20, 30)) * rng.choice([-1.0, 1.0], size=(20, 30))
    sent = x.astype(np.float32) if kind == "float32" else x.tolist()
    x = np.asarray(sent, dtype=np.float64)
    got = _dropout(student, x, 0.25, [int(rng.integers(1 << 30))], sent=sent)[0]
    what = label(
        f"dropout(x as a {kind} of shape (20, 30), p=0.25)", f"모양 (20, 30)의 {kind} x에 대한 dropout(x, p=0.25)"
    )
    kept = got != 0
    if not kept.any() or kept.all():
        fail(
            f"{what} dropped {'every' if not kept.any() else 'no'} unit.",
            f"{ko(what)}이(가) 유닛을 {'모두' if not kept.any() else '하나도 안'} 버렸습니다.",
            cause="values",
        )
    check_close(got[kept], x[kept] / 0.75, label(f"the kept units of {what}", f"{ko(what)}에서 남은 유닛"), rtol=1e-6)


@pytest.mark.parametrize("shape", SHAPES)
def test_dropout_not_training_identity(student, rng, shape):
    """With training=False, is the input returned unchanged?

    ko: training=False이면 입력을 그대로 반환하나요?
    """
    x = rng.normal(size=shape)
    what = label(
        f"dropout(x of shape {shape}, p=0.5, training=False)",
        f"모양 {shape}의 x에 대한 dropout(x, p=0.5, training=False)",
    )
    check_close(student.dropout(x, 0.5, training=False), x, what, rtol=0, atol=0)


def test_dropout_p_zero_identity(student, rng):
    """With p = 0 (and no rng given), is the input returned unchanged?

    ko: p = 0이면 (rng를 주지 않아도) 입력을 그대로 반환하나요?
    """
    x = rng.normal(size=(6, 7))
    check_close(student.dropout(x, 0.0), x, "dropout(x, p=0)", rtol=1e-12, atol=0)
