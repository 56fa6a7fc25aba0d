"""How many points could a lookup table of public images buy within a model assignment's free code allowance?

A calculation, not a test: it prints figures. The hold-out the accuracy is scored on is drawn
afresh from Fashion-MNIST's 60,000 public training images, so a table of training images a
weak model gets wrong lifts the scored accuracy by about one point for every 600 entries. What
limits the entries is the code's compressed size (`free_kb` is free; beyond it the score is
charged, `Integrity.charge`). This asks how small an entry can be made, at best:

- the table must say which images it holds, from their pixels alone (the child never sees the
  hold-out, so it cannot look an image up by its index): a key of `k` bits per image, stored as a
  sorted set coded by its gaps, costs about k − log2(n) + log2(e) bits an entry for n entries;
- and the label, only for images the model gets wrong: log2(9) bits;
- a key that is too short also matches hold-out images that are not in the table (about
  holdout × n / 2^k of them), and each such false match replaces an answer the model had right
  (with probability `accuracy`) by the table's.

For each budget (the free allowance less the code the submission needs anyway: a model, its
training and the lookup itself) it prints the best key length, the entries, the bytes an entry
and the net lift in points. The result is a bound on what information can buy, not a measured
cheat: nobody has built such a network.

    .venv/bin/python scripts/table_bound.py [--free-kb 1.5] [--code-kb 0.3 0.5 0.7] [--accuracy 0.9]
"""

from __future__ import annotations

import argparse
import math

POOL = 60_000  # the training images the hold-out is drawn from
HOLDOUT = 5_000  # the images the accuracy tests are scored on
LABEL_BITS = math.log2(9)  # the right label among the nine a wrong answer did not give


def entries(budget_bytes: float, key_bits: int) -> float:
    """How many entries fit in the budget with keys of `key_bits`, gap-coded (solved by fixed-point iteration)."""
    count = 100.0
    for _ in range(200):
        per_entry = max(key_bits - math.log2(count) + math.log2(math.e), 1.0) + LABEL_BITS
        count = 8 * budget_bytes / per_entry
    return count


def net_lift(count: float, key_bits: int, accuracy: float) -> float:
    """Points of scored accuracy: hold-out images in the table made right, less false matches made wrong."""
    hits = count * HOLDOUT / POOL
    false_matches = HOLDOUT * min(1.0, count / 2**key_bits)
    return 100 * (hits - accuracy * false_matches) / HOLDOUT


def best(budget_bytes: float, accuracy: float) -> tuple[float, int, float]:
    """(lift in points, key bits, entries) for the key length that buys the most."""
    return max(
        (net_lift(entries(budget_bytes, bits), bits, accuracy), bits, entries(budget_bytes, bits))
        for bits in range(8, 40)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--free-kb", type=float, default=1.5, help="the free allowance (assignment.toml's free_kb)")
    parser.add_argument(
        "--code-kb", type=float, nargs="*", default=[0.0, 0.3, 0.5, 0.7], help="compressed code besides the table"
    )
    parser.add_argument("--accuracy", type=float, default=0.9, help="the model's accuracy on images not in the table")
    args = parser.parse_args()
    print(f"{'code KB':>8} {'table B':>8} {'key bits':>8} {'entries':>8} {'B/entry':>8} {'lift (points)':>14}")
    for code in args.code_kb:
        budget = max(0.0, (args.free_kb - code) * 1024)
        lift, bits, count = best(budget, args.accuracy) if budget else (0.0, 0, 0.0)
        per = budget / count if count else float("nan")
        print(f"{code:>8.1f} {budget:>8.0f} {bits:>8} {count:>8.0f} {per:>8.2f} {lift:>14.2f}")


if __name__ == "__main__":
    main()
