"""The trusted half of a model assignment: train once in the sandbox, judge many times.

One session-scoped run per submission drives the child through build → predict (untrained)
→ train → predict and the model's own forward pass (evaluation images) → checkpoint and logs
→ reload → scrambled weights, each step under its own time limit, so the frameworks are
imported and the model trained once, not once per test. The child gets training data only
(staged at /inputs, minus a hold-out); the evaluation images arrive after training, shuffled
and perturbed, and their labels never leave this process. The accuracy tests are scored on
the hold-out, with the forward pass's answers; the test-set accuracy is shown, not scored.
Every test judges the same `TrainingRun`, and no test passes unless the answers are the
trained model's own (autograder/engine/integrity.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from autograder.assignments import Integrity
from autograder.bilingual import Said, say
from autograder.engine.checks import as_array, check_integral
from autograder.engine.feedback import Failure, fail, ko, label
from autograder.engine.integrity import EvaluationSet, Evidence, derangement, scored_correct, source_kilobytes
from autograder.engine.integrity import percent as _pct
from autograder.engine.integrity import points as _points
from autograder.engine.splits import UNTRAINED_SAMPLE, Splits
from autograder.results import Mistake, ModelReport

if TYPE_CHECKING:
    from autograder.engine.student import StudentProxy

NUM_CLASSES = 10


@dataclass(frozen=True)
class TrainingSettings:
    seed: int
    device: str
    threads: int
    data_home: Path | None
    call_time: float
    integrity: Integrity = Integrity()
    splits: Splits | None = None  # what the child received and what was kept from it (drawn when it was launched)
    sources: tuple[str, ...] = ()  # the submission's Python sources and code cells, measured compressed


# Failures that say the answers are not the trained model's own: they always cost every test.
HONESTY_CAUSES = ("literal_data", "holdout_gap", "reload", "scrambled", "forward_pass", "pretrained", "not_learned")


@dataclass
class TrainingRun:
    """What the child reported, scored here; `failure` is the first step that went wrong."""

    framework: str = ""
    parameters: int | None = None
    layers: list[str] = field(default_factory=list)
    device: str = ""
    untrained_accuracy: float | None = None
    accuracy: float | None = None  # test set, the model's own answers: shown, not scored
    scored_accuracy: float | None = None  # what the accuracy tests judge: the hold-out (the test set without one)
    scored_on: str = ""  # "holdout" or "test"
    train_seconds: float | None = None
    train_size: int = 0
    checkpoint: dict[str, Any] | None = None
    logs: dict[str, Any] | None = None
    failure: Failure | None = None
    integrity: Integrity = field(default_factory=Integrity)
    evidence: Evidence = field(default_factory=Evidence)

    # -- judgements shared by the suites -------------------------------------------------
    def require_honest(self, thresholds: dict[str, float]) -> None:
        """The pipeline ran, the model started near chance and learned something.

        A model that is already good before the grader trains it was not built by
        build_model() the way the assignment asks (pretrained or smuggled weights), and
        predictions no better than guessing (a constant or hard-coded answer) learned
        nothing, and answers that are not the trained model's own (integrity.py) are
        worth no more than guessing: in each case no test of the assignment can pass.
        """
        if self.failure is not None:
            raise self.failure
        self._check_untrained(thresholds)
        floor = thresholds.get("learned_min", 0.50)
        answered = self.evidence.answered_test
        if answered is not None and answered < floor:
            fail(
                f"After training, predict() scores {_pct(answered)} on the test images, barely better than guessing "
                f"(10 %); nothing is graded below {_pct(floor)}. Check that train() fits the model it is given and that "
                "predict() returns the model's own predictions.",
                f"학습 후 predict()의 테스트 정확도가 {_pct(answered)}로, 찍기(10 %)와 거의 같습니다. {_pct(floor)} 미만은 "
                "채점하지 않습니다. train()이 받은 모델을 학습시키는지, predict()가 그 모델의 예측을 반환하는지 확인하세요.",
                cause="not_learned",
            )
        self.evidence.judge_answers(self.integrity)
        assert self.scored_accuracy is not None  # no failure: the whole run was measured
        if self.scored_accuracy < floor:
            fail(
                f"After training, the model's own answers score {_pct(self.scored_accuracy)} on {self._scored_en()}, "
                f"barely better than guessing (10 %); nothing is graded below {_pct(floor)}. Check that train() fits the "
                "model it is given.",
                f"학습 후 모델 자신의 답이 {self._scored_ko()}에서 {_pct(self.scored_accuracy)}로, 찍기(10 %)와 거의 "
                f"같습니다. {_pct(floor)} 미만은 채점하지 않습니다. train()이 받은 모델을 학습시키는지 확인하세요.",
                cause="not_learned",
            )

    def _scored_en(self) -> str:
        if self.scored_on == "holdout":
            return f"the {self.evidence.holdout_size:,} training images the grader kept aside"
        return "the test images"

    def _scored_ko(self) -> str:
        if self.scored_on == "holdout":
            return f"채점기가 따로 떼어 둔 학습 이미지 {self.evidence.holdout_size:,}장"
        return "테스트 이미지"

    def require_before_training(self, thresholds: dict[str, float]) -> None:
        """For what build_model() alone decides (its layers, its accuracy before training).

        When train() or a later step failed after the untrained model was measured, that
        failure does not touch these tests: they are judged on what was measured. Otherwise
        they stand or fall with the whole run (require_honest), so a dishonest model still
        passes nothing.
        """
        if (
            self.failure is not None
            and self.untrained_accuracy is not None
            and self.failure.cause not in HONESTY_CAUSES
        ):
            self._check_untrained(thresholds)
            return
        self.require_honest(thresholds)

    def _check_untrained(self, thresholds: dict[str, float]) -> None:
        ceiling = thresholds.get("untrained_max", 0.30)
        assert self.untrained_accuracy is not None  # measured: the run failed after it, or did not fail at all
        if self.untrained_accuracy > ceiling:
            fail(
                f"Before training, the model from build_model() already scores {_pct(self.untrained_accuracy)} on "
                f"{UNTRAINED_SAMPLE:,} training images (an untrained model scores about 10 %, at most {_pct(ceiling)}). "
                "build_model() must return an untrained model: the grader trains it with your train().",
                f"학습 전에 build_model()의 모델이 이미 학습 이미지 {UNTRAINED_SAMPLE:,}장에서 {_pct(self.untrained_accuracy)}를 "
                f"맞힙니다 (학습하지 않은 모델은 10 % 안팎, 많아야 {_pct(ceiling)}). build_model()은 학습하지 않은 모델을 "
                "반환해야 합니다. 학습은 채점기가 여러분의 train()으로 합니다.",
                cause="pretrained",
            )

    def check_accuracy(self, thresholds: dict[str, float], key: str = "accuracy") -> None:
        """Scored accuracy (the hold-out) at least thresholds[key]:
        "accuracy on 5,000 training images kept aside 84.2 % (threshold 87.0 %); test set 83.9 %"."""
        self.require_honest(thresholds)
        assert self.scored_accuracy is not None and self.accuracy is not None  # an honest run measured both
        needed, full = thresholds[key], thresholds["accuracy"]
        if self.scored_accuracy < needed:
            test_en = (
                f"; on the test set {_pct(self.accuracy)}, shown, not scored" if self.scored_on == "holdout" else ""
            )
            test_ko = (
                f"; 테스트 세트 {_pct(self.accuracy)}, 참고용이며 채점에 쓰지 않음"
                if self.scored_on == "holdout"
                else ""
            )
            what_en = "Accuracy on held-out training images" if self.scored_on == "holdout" else "Test accuracy"
            what_ko = "따로 떼어 둔 학습 이미지의 정확도" if self.scored_on == "holdout" else "테스트 정확도"
            if key == "accuracy":
                fail(
                    f"{what_en} {_pct(self.scored_accuracy)} (threshold {_pct(needed)}{test_en}).{self._charge_en()}",
                    f"{what_ko} {_pct(self.scored_accuracy)} (기준 {_pct(needed)}{test_ko}).{self._charge_ko()}",
                    cause="accuracy",
                )
            fail(
                f"{what_en} {_pct(self.scored_accuracy)} is below {_pct(needed)}, the level for part of the accuracy "
                f"points (all of them from {_pct(full)}{test_en}).{self._charge_en()}",
                f"{what_ko} {_pct(self.scored_accuracy)}가 부분 점수 기준 {_pct(needed)}보다 낮습니다 "
                f"(만점 기준 {_pct(full)}{test_ko}).{self._charge_ko()}",
                cause="accuracy",
            )

    def _charge_en(self) -> str:
        """Why the scored accuracy is lower than the model's own, when code beyond the free allowance cost points."""
        if not self.evidence.charge:
            return ""
        return (
            f" That is after {_points(self.evidence.charge)} taken off: the code holds {self.evidence.source_kb:.1f} KB "
            f"once compressed, more than the {self.integrity.free_kb:g} KB that cost nothing, and a table of images "
            "that size could buy as much. Comments and docstrings do not count; removing unused code gets the points "
            "back."
        )

    def _charge_ko(self) -> str:
        if not self.evidence.charge:
            return ""
        return (
            f" 코드가 압축해서 {self.evidence.source_kb:.1f} KB로, 감점 없이 허용되는 {self.integrity.free_kb:g} KB보다 "
            f"커서 {_points(self.evidence.charge, 'ko')}를 뺀 값입니다 (그만한 크기의 이미지 표로 얻을 수 있는 만큼). "
            "주석과 독스트링은 세지 않으니, 쓰지 않는 코드를 지우면 되돌려 받습니다."
        )

    def check_layers(
        self,
        thresholds: dict[str, float],
        *,
        need: tuple[str, ...],
        forbid: tuple[str, ...],
        what_en: str,
        what_ko: str,
    ) -> None:
        """The model contains a layer whose class name holds one of `need` and none of `forbid`."""
        self.require_before_training(thresholds)
        found = sorted({name for name in self.layers if any(word in name for word in need)})
        banned = sorted({name for name in self.layers if any(word in name for word in forbid)})
        if not found or banned:
            have = ", ".join(sorted(set(self.layers))[:12])
            fail(
                f"This assignment asks for {what_en}; the model from build_model() has the layers: {have or 'none'}.",
                f"이 과제는 {what_ko}을(를) 요구합니다. build_model()의 모델에 있는 층: {have or '없음'}.",
                cause="architecture",
            )

    def summary(self) -> Said:
        """One note for the student: framework, parameters, device, time, accuracies."""
        parts_en, parts_ko = [], []
        if self.framework:
            parts_en.append(f"{self.framework} model with {self.parameters:,} trainable parameters on {self.device}")
            parts_ko.append(f"{self.framework} 모델, 학습 가능한 파라미터 {self.parameters:,}개, 장치 {self.device}")
        if self.untrained_accuracy is not None:
            parts_en.append(f"accuracy before training {_pct(self.untrained_accuracy)}")
            parts_ko.append(f"학습 전 정확도 {_pct(self.untrained_accuracy)}")
        if self.train_seconds is not None:
            parts_en.append(f"train() took {self.train_seconds:.1f} s ({self.train_size:,} training images given)")
            parts_ko.append(f"train() 실행 시간 {self.train_seconds:.1f}초 (학습 이미지 {self.train_size:,}장 제공)")
        if self.scored_accuracy is not None and self.scored_on == "holdout":
            parts_en.append(
                f"scored: accuracy on {self.evidence.holdout_size:,} training images kept aside {_pct(self.scored_accuracy)}"
            )
            parts_ko.append(
                f"채점: 따로 떼어 둔 학습 이미지 {self.evidence.holdout_size:,}장의 정확도 {_pct(self.scored_accuracy)}"
            )
        if self.evidence.source_kb:
            parts_en.append(
                f"code {self.evidence.source_kb:.1f} KB compressed (free up to {self.integrity.free_kb:g} KB"
                + (f", {_points(self.evidence.charge)} taken off the scored accuracy)" if self.evidence.charge else ")")
            )
            parts_ko.append(
                f"압축한 코드 {self.evidence.source_kb:.1f} KB (감점 없는 한도 {self.integrity.free_kb:g} KB"
                + (f", 채점 정확도에서 {_points(self.evidence.charge, 'ko')} 뺌)" if self.evidence.charge else ")")
            )
        if self.accuracy is not None:
            parts_en.append(
                f"test accuracy {_pct(self.accuracy)} (shown, not scored)"
                if self.scored_on == "holdout"
                else f"test accuracy {_pct(self.accuracy)}"
            )
            parts_ko.append(
                f"테스트 정확도 {_pct(self.accuracy)} (참고용, 채점에 쓰지 않음)"
                if self.scored_on == "holdout"
                else f"테스트 정확도 {_pct(self.accuracy)}"
            )
        if self.evidence.forward_agreement is not None:
            parts_en.append(
                f"predict() gives the model's own answer for {_pct(self.evidence.forward_agreement)} of the images"
            )
            parts_ko.append(f"predict()가 모델 자신의 답을 낸 이미지 {_pct(self.evidence.forward_agreement)}")
            if self.evidence.forward_agreement < 1 and self.evidence.answered_test is not None:
                parts_en.append(f"predict()'s own answers: test accuracy {_pct(self.evidence.answered_test)}")
                parts_ko.append(f"predict() 자신의 답: 테스트 정확도 {_pct(self.evidence.answered_test)}")
        if self.evidence.relabelled is not None:
            parts_en.append(f"answers that follow relabelled class outputs {_pct(self.evidence.relabelled)}")
            parts_ko.append(f"클래스 출력을 바꿔 붙였을 때 따라 바뀐 답 {_pct(self.evidence.relabelled)}")
        elif self.evidence.relabel_error:
            parts_en.append(f"class outputs not relabelled ({self.evidence.relabel_error})")
            parts_ko.append(f"클래스 출력을 바꿔 붙이지 못함 ({self.evidence.relabel_error})")
        if self.evidence.reload_agreement is not None:
            parts_en.append(
                f"a fresh build_model() with the trained weights repeats {_pct(self.evidence.reload_agreement)} of the answers"
            )
            parts_ko.append(
                f"학습된 가중치를 불러온 새 build_model()이 같은 답을 낸 비율 {_pct(self.evidence.reload_agreement)}"
            )
        if self.evidence.scrambled_accuracy is not None:
            parts_en.append(f"accuracy with the weights shuffled {_pct(self.evidence.scrambled_accuracy)}")
            parts_ko.append(f"가중치를 뒤섞은 뒤의 정확도 {_pct(self.evidence.scrambled_accuracy)}")
        if not parts_en:
            return say(
                "Training run: the model was not built, so nothing was trained.",
                "학습 결과: 모델을 만들지 못해 학습하지 않았습니다.",
            )
        return say("Training run: " + "; ".join(parts_en) + ".", "학습 결과: " + "; ".join(parts_ko) + ".")


def run_training(
    student: StudentProxy,
    settings: TrainingSettings,
    *,
    build_kwargs: dict[str, Any] | None = None,
    keras_extras: bool = False,
) -> TrainingRun:
    """Drive the child through the whole pipeline once; never raises, records the failure."""
    from autograder.data import load_fashion_mnist

    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(settings.data_home)
    splits = settings.splits or Splits.draw(settings.seed, len(y_train), holdout=0)
    withheld, picked = splits.withheld, splits.picked
    run = TrainingRun(integrity=settings.integrity)
    run.evidence.source_kb = source_kilobytes(list(settings.sources))
    run.evidence.charge = settings.integrity.charge(run.evidence.source_kb, len(y_train))
    # Drawn before the first call, which waits for the child's import: the judge is idle meanwhile.
    evaluation = EvaluationSet.build(
        x_test, y_test, x_train[withheld], y_train[withheld], splits.evaluation_rng(), settings.integrity.noise
    )
    try:
        run.evidence.judge_source(settings.integrity)  # a table in the source: nothing runs
        info = student.drive(
            "model_build",
            label="build_model()",
            seed=settings.seed,
            threads=settings.threads,
            device=settings.device,
            kwargs=dict(build_kwargs or {}),
        )
        _describe_model(run, info)
        before = labels_of(
            student.drive("model_predict", label="predict()", images=x_train[picked]),
            len(picked),
            label("before training", "훈련 전"),
        )
        run.untrained_accuracy = float(np.mean(before == y_train[picked]))
        report = _train(student, settings)
        run.train_seconds, run.train_size = _number(report, "seconds"), int(_number(report, "train_size"))
        what = label("on the test images", "테스트 이미지에서")
        predicted = labels_of(
            student.drive("model_predict", label="predict()", images=evaluation.images), len(evaluation.labels), what
        )
        run.evidence.holdout_size = len(withheld)
        run.evidence.answered_test = evaluation.accuracy(predicted)
        if len(withheld):
            run.evidence.answered_holdout = evaluation.accuracy(predicted, "holdout")
        forward = _score_forward(student, run, evaluation, predicted, settings.seed)
        student.figures.model = model_report(evaluation, forward, report.get("history"))
        if keras_extras and run.framework == "keras":
            run.checkpoint = _checkpoint(student, evaluation)
            logs = student.drive("model_logs", label=label("reading the TensorBoard logs", "TensorBoard 로그 읽기"))
            run.logs = logs if isinstance(logs, dict) else {"files": 0, "tags": []}
        _reload_and_scramble(student, run, evaluation, predicted, settings.seed)
    except Failure as failure:
        run.failure = failure
    student.notes.append(run.summary())
    return run


def _score_forward(
    student: StudentProxy, run: TrainingRun, evaluation: EvaluationSet, predicted: np.ndarray, seed: int
) -> np.ndarray:
    """The model's own answers (the framework's forward pass), scored on the hold-out.

    A scored answer counts only when the relabelling probe (the class outputs of the last
    layer moved by a derangement) moved it too: an answer fixed in code stays put.
    """
    perm = derangement(seed)
    scored = ~evaluation.is_test if run.evidence.holdout_size else evaluation.is_test
    rows = np.flatnonzero(scored)  # the probe only matters where the score is counted
    reply = student.drive(
        "model_forward",
        label=label("the model's own forward pass, model(x)", "모델 자신의 순전파 model(x)"),
        images=evaluation.images,
        perm=perm,
        rows=rows,
    )
    if not isinstance(reply, dict):
        fail(
            "The grader's forward pass in the sandbox returned nothing it can read.",
            "샌드박스의 순전파 단계가 읽을 수 있는 값을 돌려주지 않았습니다.",
            cause="garbage",
        )
    count = len(evaluation.labels)
    forward = labels_of(
        reply.get("predictions"), count, label("(the model's own forward pass)", "(모델 자신의 순전파)")
    )
    relabelled = None
    if reply.get("relabelled") is not None:
        relabelled = labels_of(
            reply["relabelled"], len(rows), label("(class outputs relabelled)", "(클래스 출력을 바꿔 붙인 모델)")
        )
        run.evidence.relabelled = float(np.mean(relabelled == perm[forward[rows]]))
    else:
        run.evidence.relabel_error = str(reply.get("relabel_error") or "")[:300] or None
    run.evidence.forward_agreement = float(np.mean(predicted == forward))
    run.accuracy = evaluation.accuracy(forward)
    run.scored_on = "holdout" if run.evidence.holdout_size else "test"
    measured = float(np.mean(scored_correct(evaluation.labels[rows], forward[rows], relabelled, perm)))
    run.scored_accuracy = max(0.0, measured - run.evidence.charge)
    return forward


def _reload_and_scramble(
    student: StudentProxy, run: TrainingRun, evaluation: EvaluationSet, predicted: np.ndarray, seed: int
) -> None:
    """A fresh build_model() with the trained weights, then the trained model with its weights shuffled."""
    sample = evaluation.images[evaluation.check]
    reply = student.drive(
        "model_reload_predict",
        label=label(
            "predict() with a fresh build_model() and the trained weights",
            "학습된 가중치를 불러온 새 build_model()의 predict()",
        ),
        images=sample,
        seed=seed + 1,
    )
    if isinstance(reply, dict) and "error" in reply:
        run.evidence.reload_error = str(reply["error"])[:300]
        return
    what = label("with the trained weights loaded into a fresh build_model()", "학습된 가중치를 불러온 새 모델로")
    reloaded = labels_of(reply.get("predictions") if isinstance(reply, dict) else None, len(sample), what)
    run.evidence.reload_agreement = float(np.mean(reloaded == predicted[evaluation.check]))
    what = label("with the trained weights shuffled", "학습된 가중치를 뒤섞은 뒤")
    scrambled = labels_of(
        student.drive("model_scrambled_predict", label=f"predict() {what}", images=sample, seed=seed + 2),
        len(sample),
        what,
    )
    run.evidence.scrambled_accuracy = float(np.mean(scrambled == evaluation.labels[evaluation.check]))


def model_report(evaluation: EvaluationSet, predicted: np.ndarray, history: object, mistakes: int = 12) -> ModelReport:
    """The confusion matrix and a few mistakes on the test images, and the learning curve the child sent."""
    test = evaluation.is_test
    truth, guess, index = evaluation.labels[test], predicted[test], evaluation.origin[test]
    confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    np.add.at(confusion, (truth, guess), 1)
    wrong = [np.flatnonzero((truth == c) & (guess != c)) for c in range(NUM_CLASSES)]
    picked = [w[k] for k in range(mistakes) for w in wrong if k < len(w)][:mistakes]  # round robin over the classes
    series, source = _learning_curve(history)
    return ModelReport(
        confusion=confusion.tolist(),
        history=series,
        history_source=source,
        mistakes=[Mistake(index=int(index[i]), true=int(truth[i]), predicted=int(guess[i])) for i in picked],
    )


def _learning_curve(history: object) -> tuple[dict[str, list[float]], str]:
    """The child's per-epoch series, kept only where they are short lists of finite numbers."""
    if not isinstance(history, dict) or not isinstance(history.get("series"), dict):
        return {}, ""
    series: dict[str, list[float]] = {}
    for name, values in list(history["series"].items())[:8]:
        if isinstance(values, list) and not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
        ):
            continue
        numbers = np.asarray(values) if isinstance(values, (list, np.ndarray)) else np.zeros((0, 0))
        if numbers.ndim == 1 and 0 < len(numbers) <= 500 and numbers.dtype.kind in "iuf" and np.isfinite(numbers).all():
            series[str(name)[:40]] = numbers.astype(float).tolist()  # the wire sends long lists as arrays
    return series, str(history.get("source", ""))[:40] if series else ""


def labels_of(value: object, count: int, when: str) -> np.ndarray:
    """predict()'s answer as `count` integer labels 0–9, or a failure that says what is wrong."""
    what = label(f"predict(model, x) {when}", f"{ko(when)} predict(model, x)")
    got = as_array(value, what)
    if got.shape != (count,):
        hint_en = hint_ko = ""
        if got.shape == (count, NUM_CLASSES):
            hint_en, hint_ko = (
                " (those are class scores: take the argmax of each row)",
                " (클래스 점수입니다. 행마다 argmax를 구하세요)",
            )
        fail(
            f"predict returned shape {got.shape}; expected ({count},) labels{hint_en}.",
            f"predict가 모양 {got.shape}를 반환했습니다. 레이블 ({count},)이어야 합니다{hint_ko}.",
            cause="shape",
        )
    check_integral(got, what)
    if got.size and (got.min() < 0 or got.max() >= NUM_CLASSES):
        fail(
            f"{what} returned labels outside 0–9 (from {got.min():g} to {got.max():g}).",
            f"{ko(what)}이(가) 0–9 밖의 레이블을 반환했습니다 ({got.min():g}부터 {got.max():g}까지).",
            cause="values",
        )
    return got.astype(np.int64)


def _train(student: StudentProxy, settings: TrainingSettings) -> Any:  # the child's report
    try:
        return student.drive("model_train", label="train()", seed=settings.seed)
    except Failure as failure:
        if failure.cause != "timeout":
            raise
        raise Failure(
            f"Training used more than its {settings.call_time:g} s and was stopped (or the submission's total "
            "time ran out; time the grading machine spent on other work is not counted); train fewer epochs "
            "or a smaller model.",
            f"학습이 제한 시간 {settings.call_time:g}초를 넘겨 중단되었습니다 (또는 제출물 전체 시간이 "
            "다 되었습니다. 채점 컴퓨터가 다른 작업에 쓴 시간은 세지 않습니다). 에포크 수를 줄이거나 더 작은 모델을 쓰세요.",
            cause="timeout",
        ) from None


def _checkpoint(student: StudentProxy, evaluation: EvaluationSet) -> dict[str, Any]:
    """The checkpoint's own accuracy (on the hold-out, as the accuracy tests), or why there is none."""
    reply = student.drive(
        "model_checkpoint",
        label=label("predict() with the model from best.keras", "best.keras에서 불러온 모델의 predict()"),
        images=evaluation.images,
    )
    if not isinstance(reply, dict) or not reply.get("found"):
        return {"found": False}
    if "predictions" not in reply:
        return {"found": True, "error": Said.same(str(reply.get("error", "unknown error"))[:300])}
    try:
        labels = labels_of(
            reply["predictions"],
            len(evaluation.labels),
            label("with the model loaded from best.keras", "best.keras에서 불러온 모델로"),
        )
    except Failure as failure:
        return {"found": True, "error": failure.text}
    part = "holdout" if (~evaluation.is_test).any() else "test"  # scored where the accuracy tests are
    return {"found": True, "accuracy": evaluation.accuracy(labels, part), "on": part}


def _describe_model(run: TrainingRun, info: object) -> None:
    if not isinstance(info, dict):
        fail("build_model() could not be inspected.", "build_model()의 모델을 확인할 수 없습니다.", cause="type")
    run.framework = str(info.get("framework", ""))[:20]
    run.parameters = int(_number(info, "parameters"))
    run.device = str(info.get("device", ""))[:20]
    layers = info.get("layers", [])
    run.layers = [str(name)[:60] for name in layers][:500] if isinstance(layers, list) else []


def _number(reply: object, key: str) -> float:
    value = reply.get(key) if isinstance(reply, dict) else None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
    ):
        fail(
            f"The grader's training step in the sandbox returned no valid {key}.",
            f"샌드박스의 학습 단계가 올바른 {key} 값을 돌려주지 않았습니다.",
            cause="garbage",
        )
    return float(value)
