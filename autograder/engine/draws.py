"""Random inputs that always hold the values that tell a wrong answer from a right one.

A hidden test's inputs come from the run's seed. A bug that shows only on some values (a
relu that forgets negatives, a loss that squares instead of taking |e|, a gate wrong on
one row) must fail on every seed, never on the draws that happen to hold such a value:
the same submission earns the same score whatever the seed. These helpers write fixed
telling values (negatives, zeros, ties, both classes...) at random places of a random
draw, so the draw stays random and always holds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def with_edges(rng: np.random.Generator, values: ArrayLike, edges: Sequence[Any]) -> np.ndarray:
    """A copy of `values` with each of `edges` written once at a random place (as many as fit, in order).

    Put the most telling value first: an array smaller than `edges` keeps only the first ones.
    """
    array = np.array(values, copy=True)
    if array.ndim == 0 or array.size == 0 or len(edges) == 0:
        return array
    flat = array.reshape(-1)
    count = min(len(edges), flat.size)
    flat[rng.choice(flat.size, size=count, replace=False)] = np.asarray(edges[:count], dtype=array.dtype)
    return array


def with_edge_rows(rng: np.random.Generator, values: ArrayLike, rows: Sequence[Any]) -> np.ndarray:
    """A copy of `values` (N, ...) with each of `rows` written once over a random row (as many as fit, in order).

    For values that tell a bug apart only together, such as a label and its probability.
    """
    array = np.array(values, copy=True)
    count = min(len(rows), len(array))
    array[rng.choice(len(array), size=count, replace=False)] = np.asarray(rows[:count], dtype=array.dtype)
    return array
