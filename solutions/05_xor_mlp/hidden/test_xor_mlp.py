"""Hidden tests of 05 xor_mlp (xor_mlp.py): build and train an MLP on XOR in the sandbox.

The child builds and trains the student's model from a seed chosen here (drivers
`xor_untrained` and `xor_train`) and sends back only the outputs on the four XOR points;
classification and the binary cross-entropy are judged here. Training runs once per
grading and its result is shared by the tests that read it.
"""

import numpy as np

from autograder.engine.checks import as_array, check_finite, check_shape
from autograder.engine.feedback import Failure, fail, ko, label
from autograder.engine.recording import Made, StudentCall

Y = np.array([[0.0], [1.0], [1.0], [0.0]])
EPS = 1e-7
PROBES, REPEATS = 64, 3  # extra points per model; untrained models built from consecutive seeds
_RUNS: dict = {}
BEFORE, AFTER = label("before training", "학습 전"), label("after training", "학습 후")
BUILD_OR_TRAIN = label("build_model() or train()", "build_model() 또는 train()")


# What each driver of drivers.py calls in the student's module (for the call recording of the project's tests).
_CALLS = {
    "xor_untrained": (StudentCall("build_model"),),
    "xor_train": (
        StudentCall("build_model"),
        StudentCall("train", (Made(("model",)), Made(("torch tensor",)), Made(("torch tensor",)))),
    ),
}


def _drive(student, name: str, label: str, **kwargs) -> dict:
    # messages name the student's functions, not the driver
    report = student.drive(name, label=label, calls=_CALLS[name], **kwargs)
    if not isinstance(report, dict):
        fail(
            "The submission's process sent back an unreadable report.",
            "제출물의 프로세스가 읽을 수 없는 결과를 보냈습니다.",
            cause="garbage",
        )
    if report.get("problem"):
        _report_problem(report["problem"])
    return report


# What the drivers report as {"kind", "got", "when"}, worded here in both languages.
_PROBLEMS = {
    "build": (
        "build_model() returned {got}, not a torch.nn.Module",
        "build_model()이(가) torch.nn.Module이 아닌 {got}을(를) 반환했습니다",
    ),
    "train": (
        "train() returned {got}, not the trained torch.nn.Module",
        "train()이(가) 학습된 torch.nn.Module이 아닌 {got}을(를) 반환했습니다",
    ),
    "output": ("the model returned {got}, not a tensor", "모델이 텐서가 아닌 {got}을(를) 반환했습니다"),
}
_WHEN = {"": ("", ""), "before": ("before training, ", "학습 전 "), "after": ("after training, ", "학습 후 ")}


def _report_problem(problem) -> None:
    kind = problem.get("kind") if isinstance(problem, dict) else None
    when = problem.get("when", "") if isinstance(problem, dict) else None
    if not (isinstance(kind, str) and isinstance(when, str) and kind in _PROBLEMS and when in _WHEN):
        fail(
            "The submission's process sent back an unreadable report.",
            "제출물의 프로세스가 읽을 수 없는 결과를 보냈습니다.",
            cause="garbage",
        )
    got = str(problem.get("got", "?"))[:60]
    (en, korean), (when_en, when_ko) = _PROBLEMS[kind], _WHEN[when]
    fail(f"{when_en}{en.format(got=got)}.", f"{when_ko}{korean.format(got=got)}.", cause="type")


def _run(student, rng, name: str, label: str) -> dict:
    """One run per driver per grading, from a seed drawn by the first test that needs it."""
    if name not in _RUNS:
        seed = int(rng.integers(0, 2**31 - 1))
        # Far-away points too: logits may happen to lie in [0, 1] on the XOR points, hardly ever
        # everywhere, and never for several untrained models at once.
        kwargs = {"seed": seed, "points": rng.uniform(-50, 50, size=(PROBES, 2))}
        if name == "xor_untrained":
            kwargs["repeats"] = REPEATS
        try:
            _RUNS[name] = ("ok", _drive(student, name, label, **kwargs))
        except Failure as failure:
            _RUNS[name] = ("failed", failure)
    status, value = _RUNS[name]
    if status == "failed":
        raise value
    return value


def _probabilities(report: dict, when: str) -> np.ndarray:
    """The outputs on the XOR points, after checking that every output is a probability."""
    what = label(f"the model's output on the four XOR points {when}", f"{ko(when)} XOR 네 점에서 모델이 낸 출력")
    got = as_array(report.get("outputs"), what)
    check_shape(got, (4, 1), what)
    check_finite(got, what)
    probe_what = label(
        f"the model's output on {PROBES} other points {when}", f"{ko(when)} 다른 점 {PROBES}개에서 모델이 낸 출력"
    )
    probe = as_array(report.get("probe"), probe_what)
    if probe.ndim != 2 or probe.shape[1:] != (1,) or probe.shape[0] % PROBES:
        check_shape(probe, (PROBES, 1), probe_what)
    check_finite(probe, probe_what)
    both = np.concatenate([got.ravel(), probe.ravel()])
    if both.min() < 0 or both.max() > 1:
        fail(
            f"The model's outputs {when} are not probabilities: some lie outside [0, 1] (from {both.min():.3g} to {both.max():.3g}). "
            "End the model with a sigmoid.",
            f"{ko(when)} 모델의 출력이 확률이 아닙니다: [0, 1] 밖의 값이 있습니다 ({both.min():.3g} ~ {both.max():.3g}). 모델 끝에 sigmoid를 두세요.",
            cause="values",
        )
    return got


def _trained(student, rng) -> dict:
    return _run(student, rng, "xor_train", BUILD_OR_TRAIN)


def test_build_model_returns_module(student, rng):
    """Does build_model() return a torch.nn.Module?

    ko: build_model()이 torch.nn.Module을 반환하나요?
    """
    _run(student, rng, "xor_untrained", "build_model()")


def test_untrained_outputs_are_probabilities(student, rng):
    """Before training, does the model map a (4, 2) float tensor to probabilities of shape (4, 1)?

    ko: 학습 전 모델이 (4, 2) 실수 텐서를 받아 모양 (4, 1)의 확률을 내나요?
    """
    _probabilities(_run(student, rng, "xor_untrained", "build_model()"), BEFORE)


def test_train_returns_model(student, rng):
    """Does train(model, X, Y) finish within the time limit and return a torch.nn.Module?

    ko: train(model, X, Y)가 시간 제한 안에 끝나고 torch.nn.Module을 반환하나요?
    """
    _trained(student, rng)


def test_trained_outputs_are_probabilities(student, rng):
    """After training, are the outputs still probabilities of shape (4, 1)?

    ko: 학습 후에도 출력이 모양 (4, 1)의 확률인가요?
    """
    _probabilities(_trained(student, rng), AFTER)


def test_trained_classifies_xor(student, rng):
    """After training from the grader's seed, are all four XOR points classified correctly (threshold 0.5)?

    ko: 채점기가 정한 시드로 학습한 뒤 XOR 네 점을 모두 올바르게 분류하나요 (기준 0.5)?
    """
    p = _probabilities(_trained(student, rng), AFTER)
    wrong = int(np.sum((p >= 0.5) != (Y == 1)))
    if wrong:
        fail(
            f"After training, {wrong} of the 4 XOR points are classified wrongly (threshold 0.5). "
            "Check the training loop (zero_grad, backward, step), the learning rate and the number of steps, "
            "and that training converges from any seed.",
            f"학습 후 XOR 네 점 중 {wrong}개를 틀리게 분류했습니다 (기준 0.5). 학습 반복(zero_grad, backward, step), "
            "학습률, 반복 횟수를 확인하고 어떤 시드에서도 수렴하는지 확인하세요.",
            cause="values",
        )


def test_trained_bce_below_threshold(student, rng, thresholds):
    """After training, is the binary cross-entropy on the four XOR points below the threshold (0.1)?

    ko: 학습 후 XOR 네 점의 이진 교차 엔트로피가 기준값(0.1)보다 작은가요?
    """
    limit = float(thresholds.get("bce", 0.1))
    p = np.clip(_probabilities(_trained(student, rng), AFTER), EPS, 1 - EPS)
    bce = float(-np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)))
    if not bce < limit:
        fail(
            f"After training, the binary cross-entropy on the four XOR points is {bce:.3f}; it should be below {limit:g}. "
            "Train longer or with a larger learning rate.",
            f"학습 후 XOR 네 점의 이진 교차 엔트로피가 {bce:.3f}입니다. {limit:g}보다 작아야 합니다. "
            "더 오래 또는 더 큰 학습률로 학습하세요.",
            cause="values",
        )
