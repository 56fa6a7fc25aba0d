"""Does the sandbox hold when the grader runs from an ordinary account, as most instructors' do?

Run as root (as CI is), these tests create an ordinary account and, really under its uid,
run the tampering and escape suites again, now with rootless bubblewrap and the grader's
own uid shared with the child; the slow one trains a model reference there. Run as an
ordinary user, the whole suite already is that run, and they are skipped.
"""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET

import pytest

from autograder.paths import REPO_ROOT
from tests.support import ordinary_user, run_as, shared_folder
from tests.test_engine_security import TRICKS

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="this run is already an ordinary user's: the suites below ran as it"
)

SUITES = [
    "tests/test_engine_security.py",
    "tests/test_engine_robustness.py",
    "tests/test_sandbox_probe.py",
    "tests/test_other_users.py",  # the grader's temporary files, as an instructor's account makes them
    "tests/test_models.py::test_searching_for_test_labels_gains_nothing",
    # the hostile hand-ins' links, environment and memory cases, graded by an instructor's own account
    "tests/test_intake_hostile.py::test_the_whole_class_is_graded_in_bounded_memory",
    "tests/test_intake_hostile.py::test_each_hand_in_gets_its_score_and_one_clear_message",
    "tests/test_intake_hostile.py::test_nothing_outside_a_hand_in_reaches_any_output",
]
ROOT_ONLY = {
    "test_user_namespaces_switched_off_refuses",  # needs root to switch user namespaces off for another uid
    "test_an_inputs_cache_someone_else_made_is_never_used[another_users]",  # needs root to give a folder away
}


def test_tampering_and_escape_suites_pass_as_an_ordinary_user():
    """Does every tampering and escape case score what it deserves when an ordinary user grades?"""
    user = ordinary_user()
    with shared_folder() as out:
        report = out / "junit.xml"
        done = run_as(
            user,
            [
                sys.executable,
                "-m",
                "pytest",
                *SUITES,
                "-q",
                "-m",
                "not slow",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
            ],
        )
        assert report.exists(), done.stdout[-4000:] + done.stderr[-4000:]
        cases = ET.parse(report).getroot().iter("testcase")
        outcomes = {f"{case.get('classname')}.{case.get('name')}": [child.tag for child in case] for case in cases}
    assert done.returncode == 0, done.stdout[-6000:]
    assert not [name for name, tags in outcomes.items() if "failure" in tags or "error" in tags]
    skipped = {name.rsplit(".", 1)[1] for name, tags in outcomes.items() if "skipped" in tags}
    assert skipped <= ROOT_ONLY, skipped
    security = [name for name in outcomes if ".test_engine_security." in name]
    assert len(security) >= len(TRICKS) + 5, security
    assert any("test_searching_for_test_labels_gains_nothing" in name for name in outcomes)


@pytest.mark.slow
def test_pytorch_mlp_reaches_its_threshold_as_an_ordinary_user():
    """Does the PyTorch MLP reference, trained in the rootless sandbox, earn full marks?"""
    user = ordinary_user()
    reference = REPO_ROOT / "solutions" / "10_fashion_mlp" / "pytorch" / "fashion_mlp.py"
    with shared_folder() as out:
        done = run_as(
            user,
            [
                sys.executable,
                "-m",
                "autograder.cli",
                "grade",
                str(reference),
                "-a",
                "fashion_mlp",
                "--seed",
                "20261124",
                "--language",
                "en",
                "--json",
                str(out / "result.json"),
            ],
        )
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
        result = json.loads((out / "result.json").read_text())
    assert result["isolation"].startswith("bubblewrap (rootless)"), result["isolation"]
    assert result["score"] == result["max_score"], [t["output"] for t in result["tests"]]
