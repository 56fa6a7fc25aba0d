"""Does the Gradescope zip hold what Gradescope needs, and nothing students must not see?"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest

from autograder.config import load_config
from autograder.deploy.gradescope import VENV, build_package
from autograder.paths import REPO_ROOT
from tests import refusing_hosts

ASSIGNMENT = "activations"
pytestmark = pytest.mark.skipif(
    not (REPO_ROOT / "solutions" / "01_activations" / "hidden").is_dir(),
    reason="the activations suite is not in this checkout",
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = build_package(ASSIGNMENT, tmp_path_factory.mktemp("gs") / "autograder.zip", config=load_config())
    return zipfile.ZipFile(path)


def test_zip_has_gradescope_entry_points(archive):
    """Are setup.sh and run_autograder at the zip's root, executable, and naming the assignment?"""
    names = set(archive.namelist())
    assert {"setup.sh", "run_autograder", "grading.toml", "requirements.lock", "pyproject.toml"} <= names
    assert {
        "README.md",
        "docs/security.md",
    } <= names  # the README and the pages it links to (the sandbox's refusals cite one)
    for name in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(archive.getinfo(name).external_attr >> 16) & 0o111
    run = archive.read("run_autograder").decode()
    assert f"--assignment {ASSIGNMENT}" in run and "/autograder/results/results.json" in run


def test_zip_holds_no_solutions_and_no_other_suites(archive):
    """Are reference solutions and other assignments' hidden tests left out, the assignment's own settings in?"""
    names = archive.namelist()
    assert not [n for n in names if n.startswith(("tests/", "assignments/", ".venv/"))]
    own = [n for n in names if n.startswith("solutions/")]
    assert "solutions/01_activations/assignment.toml" in own
    assert all(
        n in ("solutions/01_activations/assignment.toml", "solutions/01_activations/drivers.py")
        or n.startswith("solutions/01_activations/hidden/")
        for n in own
    )
    assert "solutions/01_activations/hidden/test_activations.py" in own


@pytest.mark.parametrize("container", ["allows namespaces", "forbids namespaces"])
def test_run_autograder_grades_a_submission(archive, tmp_path, container):
    """Does run_autograder, unpacked from the zip alone, write results.json under the best sandbox the container allows?

    Where a seccomp filter forbids namespaces (Docker's default), it must still grade, on
    purpose in a subprocess, and the result must say so and why.
    """
    if container == "forbids namespaces" and not refusing_hosts.supported():
        pytest.skip("the seccomp filter is written for x86_64 and aarch64")
    root = tmp_path / "autograder"
    archive.extractall(root / "source")
    (root / "submission").mkdir()
    (root / "submission" / "activations.py").write_text("def sigmoid(x):\n    raise NotImplementedError\n")
    script = (
        archive.read("run_autograder").decode().replace(f"{VENV}/bin/autograder", f"{sys.executable} -m autograder.cli")
    )
    script = script.replace("/autograder/", f"{root}/").replace(f"{root}/data", str(load_config().data_home))
    wrap = [sys.executable, refusing_hosts.__file__, "seccomp"] if container == "forbids namespaces" else []
    done = subprocess.run(
        [*wrap, "bash", "-c", script],
        env={**os.environ, "PYTHONPATH": str(root / "source")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    verdict = json.loads((root / "results" / "results.json").read_text())
    assert verdict["score"] == 0 and verdict["tests"], done.stdout + done.stderr
    assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(verdict["tests"][0])
    isolation = verdict["autograder"]["isolation"]
    if container == "allows namespaces":
        assert isolation.startswith("bubblewrap"), isolation
    else:
        assert isolation.startswith("subprocess") and "seccomp filter" in isolation, isolation
        assert "seccomp filter" in done.stdout  # check-sandbox's reason, in Gradescope's log


def test_setup_keeps_hidden_tests_and_test_labels_from_other_users(archive, tmp_path):
    """Do setup.sh's permission lines leave the source and the test labels readable by root only, the rest usable?"""
    setup = archive.read("setup.sh").decode()
    lines = [line for line in setup.splitlines() if line.startswith(("chmod", "find"))]
    assert lines, "setup.sh no longer sets permissions"
    source, venv, data = tmp_path / "source", tmp_path / "venv", tmp_path / "data"
    for folder in (source / "solutions" / "01_activations" / "hidden", venv / "bin", data / "fashion-mnist"):
        folder.mkdir(parents=True)
    for path in (
        source / "solutions" / "01_activations" / "hidden" / "test_x.py",
        venv / "bin" / "python",
        data / "fashion-mnist" / "train-labels-idx1-ubyte",
        data / "fashion-mnist" / "t10k-labels-idx1-ubyte",
    ):
        path.write_text("x")
        path.chmod(0o644)
    script = "\n".join(lines).replace("/autograder/source", str(source)).replace("/autograder/data", str(data))
    script = script.replace("/opt/dl-course-venv", str(venv))
    subprocess.run(["bash", "-euo", "pipefail", "-c", script], check=True)
    others = lambda path: stat.S_IMODE(path.stat().st_mode) & 0o077  # noqa: E731
    assert others(source / "solutions" / "01_activations" / "hidden" / "test_x.py") == 0
    assert others(data / "fashion-mnist" / "t10k-labels-idx1-ubyte") == 0
    assert others(data / "fashion-mnist" / "train-labels-idx1-ubyte") & 0o004
    assert others(venv / "bin" / "python") & 0o004
