"""How fast is this machine against the one the time limits were measured on?

The limits in grading.toml (and the thresholds in solutions/MODELS.md) were measured on one
2-core machine. An instructor's laptop with slower cores charges a correct model more
seconds of the same work. `calibrate()` runs two fixed pieces of work the course's
submissions are made of (numpy array arithmetic, and a small PyTorch training loop), one
thread each, timed on the idle clock (`sandbox/idleclock.py`) so that other programs on a
busy machine do not count, and compares them with the reference machine's times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autograder.sandbox.idleclock import IdleClock, own_tree

# Seconds each piece took on the machine the limits were measured on (idle clock, one thread).
REFERENCE_SECONDS = {"numpy": 1.50, "torch": 1.70}
ROUNDS = 3  # the fastest of three runs of each: the least disturbed


@dataclass(frozen=True)
class Calibration:
    seconds: dict[str, float]  # this machine, the fastest of ROUNDS runs of each piece
    reference: dict[str, float]

    @property
    def ratio(self) -> float:
        """This machine's time over the reference's, the geometric mean of the pieces (above 1: slower)."""
        logs = [math.log(self.seconds[name] / self.reference[name]) for name in self.reference]
        return math.exp(sum(logs) / len(logs))

    @property
    def time_scale(self) -> float:
        """The `[limits] time_scale` to set: the ratio rounded up to a tenth, 1.0 within 10 % of the reference."""
        if abs(self.ratio - 1) <= 0.1:
            return 1.0
        return math.ceil(self.ratio * 10) / 10


def calibrate(rounds: int = ROUNDS) -> Calibration:
    """Time each piece of work `rounds` times on this machine, with one thread."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    pieces = {"numpy": _numpy_work, "torch": _torch_work}
    with threadpool_limits(limits=1):  # BLAS and OpenMP pools: one thread, whatever was imported before
        return Calibration(
            {name: min(_timed(work) for _ in range(rounds)) for name, work in pieces.items()}, dict(REFERENCE_SECONDS)
        )


def _timed(work) -> float:
    clock = IdleClock(own_tree, threads=1)
    work()
    return clock.read()


def _numpy_work() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.normal(size=(200, 200))
    for _ in range(1500):
        b = np.tanh(a @ a.T / 200.0)
        a = b - b.mean(axis=0)
    for _ in range(200):
        x = rng.normal(size=(100_000,))
        np.sort(np.exp(-np.abs(x)))


def _torch_work() -> None:
    import torch

    generator = torch.Generator().manual_seed(0)
    x = torch.randn(4096, 784, generator=generator)
    y = torch.randint(0, 10, (4096,), generator=generator)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(30):
        for start in range(0, 4096, 64):
            optimiser.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[start : start + 64]), y[start : start + 64])
            loss.backward()
            optimiser.step()
