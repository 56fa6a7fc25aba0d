"""`autograder grade-examples`: the example class is assembled from solutions, releases and variants."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from autograder.cli import main
from autograder.config import load_config
from autograder.course.examples import example_class
from autograder.course.release import build_release
from autograder.paths import REPO_ROOT

SOLUTION = '''\
# %% [markdown]
# # Demo

# %%
import numpy as np


# %%
def square(x):
    """x squared, element by element."""
    ### BEGIN SOLUTION
    return np.asarray(x, dtype=float) ** 2
    ### END SOLUTION


# %%
def mean(x):
    """The mean of x."""
    ### BEGIN SOLUTION
    return np.mean(np.asarray(x, dtype=float))
    ### END SOLUTION


# %%
def softmax(x):
    """Row-wise softmax."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
    ### END SOLUTION
'''


def _demo_course(root: Path) -> Path:
    """A one-assignment course graded by the engine's demo suite, with two variants."""
    (root / "grading.toml").write_text(
        textwrap.dedent(f'''\
        [course]
        name = "Demo"
        language = "en"
        [limits]
        wall_time = 60
        call_time = 5
        [assignments.demo]
        number = 0
        title = "Demo"
        file = "demo.py"
        points = 10
        suite = "{REPO_ROOT / "tests" / "demo" / "suite"}"
        '''),
        encoding="utf-8",
    )
    (root / "solutions" / "00_demo").mkdir(parents=True)
    (root / "solutions" / "00_demo" / "demo.py").write_text(SOLUTION, encoding="utf-8")
    variants = root / "solutions" / "00_demo" / "variants"
    variants.mkdir(parents=True)
    body = SOLUTION.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", "")
    (variants / "bug_mean_is_sum.py").write_text(
        "# expect-fail: test_mean\n" + body.replace("np.mean(", "np.sum("), encoding="utf-8"
    )
    (variants / "bug_wrongly_labelled.py").write_text(
        "# expect-fail: test_square_scalar\n" + body.replace("** 2", "** 3"), encoding="utf-8"
    )
    return root / "grading.toml"


def test_example_class_lists_reference_stub_and_variants(tmp_path):
    """Are the reference, the released stub and each variant students, with their expectations?"""
    config = load_config(_demo_course(tmp_path))
    assert [e.student for e in example_class("demo", config)] == [
        "reference",
        "bug_mean_is_sum",
        "bug_wrongly_labelled",
    ]
    build_release("demo", config)
    examples = {e.student: e for e in example_class("demo", config)}
    assert list(examples) == ["reference", "stub", "bug_mean_is_sum", "bug_wrongly_labelled"]
    assert examples["stub"].path == tmp_path / "assignments" / "00_demo" / "demo.py"
    assert examples["reference"].expectation.fails == frozenset()
    assert examples["stub"].expectation.fails is None
    assert examples["bug_mean_is_sum"].expectation.fails == {"test_mean"}


def test_grade_examples_writes_gradebooks_and_flags_a_wrong_expectation(tmp_path):
    """Does grade-examples grade the class, write CSV and JSON, and exit 1 naming the variant that broke its promise?"""
    config_path = _demo_course(tmp_path)
    build_release("demo", load_config(config_path))
    out = tmp_path / "grades"
    run = CliRunner().invoke(
        main,
        [
            "--config",
            str(config_path),
            "grade-examples",
            "--out",
            str(out),
            "--isolation",
            "subprocess",
            "--language",
            "en",
        ],
    )
    assert run.exit_code == 1, run.output
    assert "demo/bug_wrongly_labelled: unexpectedly failed test_square_values" in run.output
    for kept_its_promise in ("demo/reference:", "demo/stub:", "demo/bug_mean_is_sum:"):
        assert kept_its_promise not in run.output
    rows = {row["student"]: row for row in csv.DictReader((out / "demo" / "gradebook.csv").open(encoding="utf-8"))}
    assert set(rows) == {"reference", "stub", "bug_mean_is_sum", "bug_wrongly_labelled"}
    assert float(rows["reference"]["percent"]) == 100 and float(rows["stub"]["score"]) == 0
    results = json.loads((out / "demo" / "gradebook.json").read_text(encoding="utf-8"))
    assert {r["student"] for r in results} == set(rows)
    assert not list(tmp_path.glob("solutions/00_demo/variants/*.json")), "nothing is written beside the variants"
