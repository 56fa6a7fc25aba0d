"""Is a model's score its own? The trusted checks behind `TrainingRun.require_honest`.

Fashion-MNIST is public, test and training images alike, so a submission could answer from
a table instead of from the model the grader trained. The score therefore comes only from
what the student cannot know in advance, and several independent checks are layered, each
cheap and each tuned by `[assignments.NAME.integrity]` in grading.toml:

1. Scored on the hold-out: the accuracy tests judge a hold-out of training images the
   sandbox never received, drawn anew per grading; the test set's accuracy is measured and
   shown, but knowing the test set buys nothing.
2. Scored by the model itself: the grader computes the scored answers with the framework's
   own forward pass on the trained model (`model(x)`), not with the student's predict();
   predict() must agree with it. A class-relabelling probe (the last layer's outputs
   permuted) must move every answer with it, so an answer fixed in code, not in the
   weights, earns nothing even when it hides in forward()/call().
3. Information in the source: a table has to live in the submission's code. The sandbox
   runs the code without comments and docstrings (code_only.py), and its size once compressed
   (every remaining byte of every Python file and notebook code cell) is capped; beyond a free
   allowance, each byte is charged to the scored accuracy as the lift a table that size could
   buy (`Integrity.charge`), so a table nets at most what fits in the allowance.
4. Unmatchable images: test and hold-out images are shuffled together and each given a
   little noise, so no image arrives byte for byte as published and the order says nothing.
5. Hold-out gap: a model that learned scores about the same on the test images and on the
   hold-out; predict() answers from a table of the test set do not.
6. Reload: a fresh build_model() given the trained weights must predict what the trained
   model predicted; a switch kept outside the weights does not travel.
7. Scrambled weights: with its weights shuffled a network falls to chance; an answer that
   does not come from the weights stays high.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from autograder.assignments import Integrity
from autograder.engine.feedback import fail


def source_kilobytes(sources: list[str]) -> float:
    """Kilobytes of the submission's code once compressed (zlib, level 9), all files together.

    Every byte counts (names, whitespace, strings, numbers alike): compression measures the
    information the code carries, whatever form a table is written in. Model assignments measure
    the code as their sandbox runs it, without comments and docstrings (code_only.py).
    """
    return len(zlib.compress("\n".join(sources).encode("utf-8", errors="replace"), 9)) / 1024


def derangement(seed: int, classes: int = 10) -> np.ndarray:
    """A relabelling of the classes that moves every class (perm[c] != c), drawn from the seed."""
    rng = np.random.default_rng([seed, 12])
    while True:
        perm = rng.permutation(classes)
        if not np.any(perm == np.arange(classes)):
            return perm


def withheld_indices(seed: int, total: int, count: int) -> np.ndarray:
    """The training images kept from the sandbox for this grading run, sorted."""
    rng = np.random.default_rng([seed, 11])
    return np.sort(rng.choice(total, size=min(count, total // 2), replace=False))


@dataclass(frozen=True)
class EvaluationSet:
    """Test and hold-out images shuffled together and perturbed; `is_test` says which is which."""

    images: np.ndarray  # uint8, what the child receives
    labels: np.ndarray  # never leaves the parent
    is_test: np.ndarray
    check: np.ndarray  # positions of the smaller sample the reload and scramble checks use
    origin: np.ndarray  # each image's index in the test set (test rows) or in the hold-out

    @staticmethod
    def build(
        x_test: np.ndarray,
        y_test: np.ndarray,
        x_holdout: np.ndarray,
        y_holdout: np.ndarray,
        rng: np.random.Generator,
        noise: int,
        check_size: int = 2000,
    ) -> EvaluationSet:
        images = np.concatenate([x_test, x_holdout])
        labels = np.concatenate([y_test, y_holdout]).astype(np.int64)
        is_test = np.concatenate([np.ones(len(y_test), bool), np.zeros(len(y_holdout), bool)])
        origin = np.concatenate([np.arange(len(y_test)), np.arange(len(y_holdout))])
        order = rng.permutation(len(labels))
        images, labels, is_test, origin = images[order], labels[order], is_test[order], origin[order]
        if noise:
            jitter = rng.integers(-noise, noise + 1, size=images.shape, dtype=np.int16)
            images = np.clip(images.astype(np.int16) + jitter, 0, 255).astype(np.uint8)
        check = np.sort(rng.choice(len(labels), size=min(check_size, len(labels)), replace=False))
        return EvaluationSet(images, labels, is_test, check, origin)

    def accuracy(self, predicted: np.ndarray, part: str = "test") -> float:
        mask = self.is_test if part == "test" else ~self.is_test
        return float(np.mean(predicted[mask] == self.labels[mask]))


@dataclass
class Evidence:
    """What the checks measured; None where a check did not run (the pipeline stopped first)."""

    source_kb: float = 0.0
    charge: float = 0.0  # taken off the scored accuracy: what a table the size of the code beyond free_kb could buy
    holdout_size: int = 0
    answered_test: float | None = None  # predict()'s own answers: test accuracy
    answered_holdout: float | None = None  # ... and hold-out accuracy
    forward_agreement: float | None = None  # share of images where predict() gave the forward pass's answer
    relabelled: float | None = None  # share of answers that moved with the relabelled last layer
    relabel_error: str | None = None  # why the relabelling probe could not run (no 10-way last layer)
    reload_agreement: float | None = None
    reload_error: str | None = None
    scrambled_accuracy: float | None = None

    def judge_source(self, settings: Integrity) -> None:
        """Fail before anything runs when the source carries more data than a model needs."""
        if self.source_kb > settings.source_kb:
            fail(
                f"The submission's code holds {self.source_kb:.1f} KB of information (its size once compressed), more "
                f"than the {settings.source_kb:g} KB a model assignment allows: the model must learn from the data "
                "train() is given, not from data written into the code (in strings, numbers, names or whitespace "
                "alike). Remove large tables, embedded files or long unused code (comments, docstrings, notebook "
                "outputs and markdown do not count).",
                f"제출물의 코드에 담긴 정보가 {self.source_kb:.1f} KB(압축한 크기)로, 모델 과제에 허용되는 "
                f"{settings.source_kb:g} KB를 넘습니다. 모델은 코드에 적어 넣은 데이터가 아니라 train()이 받는 데이터로 "
                "학습해야 합니다 (문자열, 숫자, 이름, 공백 어디에 적어도 마찬가지입니다). 큰 표나 코드에 넣은 파일, "
                "쓰지 않는 긴 코드를 지우세요 (주석, 독스트링, 노트북의 출력과 마크다운은 세지 않습니다).",
                cause="literal_data",
            )

    def judge_answers(self, settings: Integrity) -> None:
        """Fail when predict()'s answers do not behave like those of the trained model."""
        test, holdout = self.answered_test, self.answered_holdout
        if holdout is not None and test is not None and test - holdout > settings.max_gap:
            fail(
                f"predict() scores {percent(test)} on the test images but only {percent(holdout)} on "
                f"{self.holdout_size:,} training images the grader kept aside (train() never saw them). A model that "
                "learned from its training data scores about the same on both, so these answers do not come from the "
                "trained model: predict() must return what the model train() trained predicts.",
                f"predict()가 테스트 이미지에서는 {percent(test)}를 맞히지만, 채점기가 따로 떼어 둔 학습 이미지 "
                f"{self.holdout_size:,}장(train()이 보지 못한 이미지)에서는 {percent(holdout)}만 맞힙니다. "
                "학습 데이터로 배운 모델은 두 곳에서 비슷한 정확도를 내므로, 이 답은 학습된 모델에서 나온 것이 아닙니다. "
                "predict()는 train()이 학습시킨 모델의 예측을 반환해야 합니다.",
                cause="holdout_gap",
            )
        if self.reload_error is not None:
            fail(
                f"The trained weights do not load into a fresh build_model() ({self.reload_error}); train() must "
                "train and return the model it is given, with the same layers.",
                f"학습된 가중치를 새로 만든 build_model()에 불러올 수 없습니다 ({self.reload_error}). train()은 받은 "
                "모델을 같은 층 그대로 학습시켜 반환해야 합니다.",
                cause="reload",
            )
        if self.reload_agreement is not None and self.reload_agreement < settings.reload_agreement:
            fail(
                f"A fresh build_model() loaded with the trained weights repeats only {percent(self.reload_agreement)} of "
                f"predict()'s answers (at least {percent(settings.reload_agreement)} expected): the predictions depend on "
                "something other than the model's weights. Keep what the model knows in its layers and let predict() "
                "use only the model.",
                f"학습된 가중치를 불러온 새 build_model() 모델이 predict()의 답 중 {percent(self.reload_agreement)}만 "
                f"똑같이 냅니다 (적어도 {percent(settings.reload_agreement)}여야 합니다). 예측이 모델의 가중치가 아닌 "
                "다른 것에 달려 있습니다. 모델이 배운 것은 층 안에 두고, predict()는 모델만 쓰게 하세요.",
                cause="reload",
            )
        if self.scrambled_accuracy is not None and self.scrambled_accuracy > settings.scrambled_max:
            fail(
                f"With its trained weights shuffled, the model still scores {percent(self.scrambled_accuracy)} (a network "
                f"whose weights mean nothing scores about 10 %, at most {percent(settings.scrambled_max)}): predict() "
                "answers without using the trained weights. It must return the model's own predictions.",
                f"학습된 가중치를 뒤섞은 뒤에도 모델이 {percent(self.scrambled_accuracy)}를 맞힙니다 (가중치가 의미 없는 "
                f"신경망은 10 % 안팎, 많아야 {percent(settings.scrambled_max)}). predict()가 학습된 가중치를 쓰지 않고 "
                "답합니다. 모델 자신의 예측을 반환해야 합니다.",
                cause="scrambled",
            )
        if self.forward_agreement is not None and self.forward_agreement < settings.forward_agreement:
            fail(
                f"predict() gives the model's own answer (the class with the highest output of model(x)) for only "
                f"{percent(self.forward_agreement)} of the images (at least {percent(settings.forward_agreement)} "
                "expected). The grader scores the model's own answers, so predict() must return the argmax of the "
                "model's output for the images it is given, as they are; put any preprocessing inside the model "
                "(for example a Rescaling or Normalization layer, or a step of forward()).",
                f"predict()가 모델 자신의 답(model(x) 출력이 가장 큰 클래스)을 낸 이미지가 {percent(self.forward_agreement)}뿐입니다 "
                f"(적어도 {percent(settings.forward_agreement)}여야 합니다). 채점기는 모델 자신의 답으로 채점하므로, "
                "predict()는 받은 이미지 그대로에 대한 모델 출력의 argmax를 반환해야 합니다. 전처리가 필요하면 모델 "
                "안에 넣으세요 (예: Rescaling이나 Normalization 층, 또는 forward()의 한 단계).",
                cause="forward_pass",
            )


def scored_correct(
    labels: np.ndarray, forward: np.ndarray, relabelled: np.ndarray | None, perm: np.ndarray
) -> np.ndarray:
    """Which scored answers count: the forward pass is right and, where the relabelling probe ran,
    the relabelled model gave the relabelled answer (an answer fixed outside the weights does not move)."""
    right: np.ndarray = forward == labels
    if relabelled is not None:
        right &= relabelled == perm[forward]
    return right


def percent(value: float) -> str:
    """A share as students read it: 0.873 -> '87.3 %'."""
    return f"{100 * value:.1f} %"


def points(fraction: float, language: str = "en") -> str:
    """An accuracy difference in percentage points: "0.4 points", "0.4%p"."""
    return f"{100 * fraction:.1f}%p" if language == "ko" else f"{100 * fraction:.1f} points"
