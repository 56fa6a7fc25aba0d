"""The GPU check's two scripts, and the sandbox using the bubblewrap the grader's PATH names.

scripts/gpu_check.sh carries Debian's bubblewrap to a GPU machine that has none and puts it on
PATH; the probe finds it there, and the sandbox must start that same bwrap, although the child's
own environment has a PATH of its own (/usr/local/bin:/usr/bin:/bin).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from autograder.paths import REPO_ROOT
from autograder.sandbox import probe
from tests.support import CORRECT_DEMO, DEMO_CONFIG

SCRIPTS = [REPO_ROOT / "scripts" / "gpu_prepare.sh", REPO_ROOT / "scripts" / "gpu_check.sh"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_script_parses(script):
    """Is each script valid bash (it runs for real only where a GPU or the registries are at hand)?"""
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_gpu_check_refuses_an_unknown_reference_in_one_sentence(tmp_path):
    """Does a typo in --only stop the check at once, naming the references there are?"""
    done = subprocess.run(
        [str(SCRIPTS[1]), "--only", "mlp-tensorflow"],
        capture_output=True,
        text=True,
        env={**os.environ, "OUT": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 2
    assert "no reference mlp-tensorflow; choose from:" in done.stderr and "mlp-torch" in done.stderr
    assert not list(tmp_path.iterdir()), "nothing is written before the arguments are understood"


def test_sandbox_starts_the_bwrap_on_the_graders_path(tmp_path):
    """With bwrap only where the grader's PATH says (as a carried copy is), is that bwrap the one that sandboxes?"""
    real = shutil.which("bwrap")
    if real is None or not probe.probe().works:
        pytest.skip("bubblewrap cannot make a sandbox on this machine: " + probe.probe().reason)
    folder = tmp_path / "carried"
    folder.mkdir()
    log = tmp_path / "bwrap.log"
    wrapper = folder / "bwrap"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    submission = tmp_path / "demo.py"
    submission.write_text(CORRECT_DEMO)
    submission.chmod(0o644)
    result = tmp_path / "result.json"
    env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder.cli",
            "--config",
            str(DEMO_CONFIG),
            "grade",
            str(submission),
            "-a",
            "demo",
            "--isolation",
            "auto",
            "--json",
            str(result),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    graded = json.loads(result.read_text())
    assert graded["score"] == graded["max_score"] and graded["isolation"].startswith("bubblewrap")
    launched = [line for line in log.read_text().splitlines() if "/grader/runner.py" in line]
    assert launched, "the submission was sandboxed by another bwrap than the one on the grader's PATH"
