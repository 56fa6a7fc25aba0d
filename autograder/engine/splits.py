"""Which training images go where in one model grading, all drawn from the run's seed.

The hold-out never reaches the child (integrity.py); the untrained sample and the validation
split are drawn from the images it does receive. The judge draws them once, when it launches
the child, so that the child's training data can be written while the child still imports its
framework, exactly as train() will receive them (inputs.stage_for_child). The evaluation set
is drawn afterwards, from the same generator.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from autograder.engine.integrity import withheld_indices

UNTRAINED_SAMPLE = 1000  # training images scored before training
VALIDATION_SIZE = 5000  # images the grader gives train() as its validation split


@dataclass(frozen=True)
class Splits:
    withheld: np.ndarray  # training-set indices the child never receives (the scored hold-out), sorted
    given: np.ndarray  # training-set indices the child receives, in order
    picked: np.ndarray  # training-set indices of the untrained sample, sorted
    validation: np.ndarray  # positions in `given` that train() receives as x_val, sorted
    after: np.random.Generator  # the generator as these draws left it: never drawn from, only copied

    @classmethod
    def draw(cls, seed: int, total: int, holdout: int) -> Splits:
        """The splits of `total` training images for the grader seed `seed`, `holdout` of them withheld."""
        withheld = withheld_indices(seed, total, holdout)
        given = np.setdiff1d(np.arange(total), withheld)
        rng = np.random.default_rng([seed, 10])
        picked = np.sort(rng.choice(given, UNTRAINED_SAMPLE, replace=False))
        validation = np.sort(rng.choice(len(given), VALIDATION_SIZE, replace=False))
        return cls(withheld, given, picked, validation, rng)

    def evaluation_rng(self) -> np.random.Generator:
        """A generator that goes on from these draws: the same evaluation set for the same seed."""
        return copy.deepcopy(self.after)

    def train_and_validation(self) -> tuple[np.ndarray, np.ndarray]:
        """Training-set indices of what train() receives as (x_train, x_val), each in order."""
        is_validation = np.zeros(len(self.given), dtype=bool)
        is_validation[self.validation] = True
        return self.given[~is_validation], self.given[is_validation]
