"""How long does grading a model assignment take, and how much of it is training?

A benchmark, not a test: it prints figures and never fails on them. Each reference
solution of assignments 10-12 is graded through the real grader (judge, sandbox, hidden
suite) with one or more seeds; for each run it prints the scored hold-out accuracy, the test
accuracy (shown, not scored), the integrity figures (predict()'s agreement with the model's own
forward pass, answers that follow relabelled classes, reload agreement, accuracy with shuffled
weights), the time the submission's import took in the sandbox (its framework's import: a
student's own run of the same code pays it too; torch, which the sandbox imports before a
hand-in that uses it, is not in it, so for PyTorch the second ratio below is an upper bound),
the training time measured in the sandbox,
the whole grading wall time, and two ratios: grading / train() and grading / (import +
train()), the cost of a student's own run of the same code (the rest is the judge, data,
predictions and the integrity checks: the closer to 1, the less grading costs on top of
training). The runs are sequential, so the figures do not disturb each other.

    .venv/bin/python scripts/benchmark_models.py [--seeds 5] [--only mlp-keras cnn-torch] [--jsonl out.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import load_config  # noqa: E402
from autograder.grading import GradeOptions, grade  # noqa: E402

SOLUTIONS = ROOT / "solutions"
REFERENCES = {
    "mlp-keras": ("fashion_mlp", SOLUTIONS / "10_fashion_mlp" / "fashion_mlp.py"),
    "mlp-torch": ("fashion_mlp", SOLUTIONS / "10_fashion_mlp" / "pytorch" / "fashion_mlp.py"),
    "cnn-keras": ("fashion_cnn", SOLUTIONS / "11_fashion_cnn" / "fashion_cnn.py"),
    "cnn-torch": ("fashion_cnn", SOLUTIONS / "11_fashion_cnn" / "pytorch" / "fashion_cnn.py"),
    "lstm-torch": ("sequence_models", SOLUTIONS / "12_sequence_models" / "sequence.py"),
}
FIRST_SEED = 1001
_TRAINED = re.compile(r"train\(\) took ([\d.]+) s")
_ACCURACY = re.compile(r"test accuracy ([\d.]+) %")
_UNTRAINED = re.compile(r"accuracy before training ([\d.]+) %")
_HOLDOUT = re.compile(r"training images kept aside ([\d.]+) %")
_RELOAD = re.compile(r"repeats ([\d.]+) % of the answers")
_SCRAMBLED = re.compile(r"weights shuffled ([\d.]+) %")
_FORWARD = re.compile(r"model's own answer for ([\d.]+) % of the images")
_RELABELLED = re.compile(r"relabelled class outputs ([\d.]+) %")


def _share(pattern: re.Pattern, note: str) -> float | None:
    found = pattern.search(note)
    return float(found.group(1)) / 100 if found else None


def measure(label: str, seed: int) -> dict:
    """Grade one reference with one seed; the figures of its run."""
    assignment, path = REFERENCES[label]
    config = load_config()
    result = grade(path, assignment, config=config, options=GradeOptions(seed=seed, language="en"))
    note = " ".join(note.en for note in result.notes)
    trained = _TRAINED.search(note)
    return {
        "reference": label,
        "assignment": assignment,
        "seed": seed,
        "accuracy": _share(_ACCURACY, note),
        "untrained_accuracy": _share(_UNTRAINED, note),
        "holdout_accuracy": _share(_HOLDOUT, note),
        "reload_agreement": _share(_RELOAD, note),
        "scrambled_accuracy": _share(_SCRAMBLED, note),
        "forward_agreement": _share(_FORWARD, note),
        "relabelled": _share(_RELABELLED, note),
        "import_seconds": round(result.import_time, 2),
        "train_seconds": float(trained.group(1)) if trained else None,
        "wall_seconds": round(result.execution_time, 1),
        "score": result.score,
        "max_score": result.max_score,
        "threshold": config.assignment(assignment).thresholds.get("accuracy"),
        "problems": [t.output.en for t in result.tests if t.status != "passed"][:2]
        + [error.en for error in result.internal_errors[:1]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="grader seeds per reference (default 1)")
    parser.add_argument("--only", nargs="*", choices=sorted(REFERENCES), help="references to run (default all)")
    parser.add_argument("--jsonl", type=Path, help="also append one JSON line per run to this file")
    args = parser.parse_args()
    labels = args.only or list(REFERENCES)
    print(
        f"{'reference':<11} {'seed':>5} {'untrained':>9} {'test':>9} {'scored':>9} {'forward':>7} {'relabel':>7} "
        f"{'reload':>7} {'shuffled':>8} {'import s':>8} {'train s':>8} {'grade s':>8} {'ratio':>6} {'w/ imp':>6}  score"
    )
    runs: dict[str, list[dict]] = {}
    for label in labels:
        for seed in range(FIRST_SEED, FIRST_SEED + args.seeds):
            run = measure(label, seed)
            runs.setdefault(label, []).append(run)
            accuracy, untrained, holdout, forward, relabelled, reload, shuffled = (
                f"{100 * run[key]:.1f} %" if run[key] is not None else "-"
                for key in (
                    "accuracy",
                    "untrained_accuracy",
                    "holdout_accuracy",
                    "forward_agreement",
                    "relabelled",
                    "reload_agreement",
                    "scrambled_accuracy",
                )
            )
            trained = run["train_seconds"]
            ratio = f"{run['wall_seconds'] / trained:.2f}" if trained else "-"
            own_run = f"{run['wall_seconds'] / (trained + run['import_seconds']):.2f}" if trained else "-"
            print(
                f"{label:<11} {seed:>5} {untrained:>9} {accuracy:>9} {holdout:>9} {forward:>7} {relabelled:>7} {reload:>7} {shuffled:>8} "
                f"{run['import_seconds']:>8} {trained or '-':>8} {run['wall_seconds']:>8} {ratio:>6} {own_run:>6}  "
                f"{run['score']:g}/{run['max_score']:g} {'; '.join(run['problems'])[:200]}",
                flush=True,
            )
            if args.jsonl:
                with args.jsonl.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(run) + "\n")
    print()
    for label, group in runs.items():
        accuracies = [r["accuracy"] for r in group if r["accuracy"] is not None]
        scored = [r["holdout_accuracy"] for r in group if r["holdout_accuracy"] is not None]
        trained = [r["train_seconds"] for r in group if r["train_seconds"]]
        imports = [r["import_seconds"] for r in group if r["train_seconds"]]
        walls = [r["wall_seconds"] for r in group]
        gaps = [
            r["accuracy"] - r["holdout_accuracy"]
            for r in group
            if r["accuracy"] is not None and r["holdout_accuracy"] is not None
        ]
        if accuracies and trained:
            print(
                f"{label:<11} scored (hold-out) worst {100 * min(scored, default=float('nan')):.2f} %, "
                f"test worst {100 * min(accuracies):.2f} %, mean {100 * statistics.mean(accuracies):.2f} %, "
                f"largest test − hold-out gap {100 * max(gaps, default=0):+.1f} points, "
                f"import {statistics.mean(imports):.1f} s, training {statistics.mean(trained):.1f} s, "
                f"grading {statistics.mean(walls):.1f} s, ratio {statistics.mean(walls) / statistics.mean(trained):.2f} "
                f"(with the import {statistics.mean(walls) / (statistics.mean(trained) + statistics.mean(imports)):.2f}), "
                f"threshold {group[0]['threshold']}"
            )


if __name__ == "__main__":
    main()
