"""Sandbox-side drivers of assignment 07: dropout with a numpy Generator per seed.

Runs inside the sandbox beside the grader's generic drivers (autograder/sandbox/drivers.py), which the launcher
copies there with this file as assignment_drivers.py; it imports only the standard library, numpy, what the
submission itself uses, and `drivers`.
"""

from __future__ import annotations

from typing import Any

from drivers import driver


@driver
def dropout_with_seeds(module: Any, x: Any, p: float, seeds: list[int], training: bool = True) -> list[Any]:
    """dropout(x, p, training, rng) once per seed, each with a fresh Generator built here.

    A numpy Generator cannot cross the wire, so the parent sends seeds and compares the
    outputs: equal seeds must give equal masks.
    """
    import numpy as np

    return [module.dropout(x, p, training=training, rng=np.random.default_rng(int(seed))) for seed in seeds]
