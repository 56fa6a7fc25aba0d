"""Where no sandbox can be made, does grading stop before any student code runs, naming the real cause?

Each cause is made real where this machine allows it (bwrap missing from PATH, a seccomp
filter like a container's, user.max_user_namespaces = 0 in a namespace of the test's
own) and the decision is tested on its own for the causes no test can switch on here
(Debian's sysctl, Ubuntu's AppArmor restriction, root in a container).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from autograder.paths import REPO_ROOT
from autograder.sandbox.probe import HostFacts, diagnose, probe
from tests import refusing_hosts
from tests.support import DEMO_CONFIG, ordinary_user, run_as, shared_folder

OPT_OUT = 'isolation = "subprocess"'
ROOTLESS = HostFacts(
    bwrap="/usr/bin/bwrap",
    setpriv="/usr/bin/setpriv",
    root=False,
    unprivileged_userns_clone=None,
    max_user_namespaces="15000",
    apparmor_restrict=None,
    seccomp_filter=False,
    sys_admin=False,
    error="bwrap: setting up uid map: Permission denied",
)
ROOT = replace(
    ROOTLESS, root=True, sys_admin=True, error="bwrap: Creating new namespace failed: Operation not permitted"
)


@pytest.mark.parametrize(
    "facts, phrases",
    [
        (replace(ROOTLESS, bwrap=None), ["bubblewrap (bwrap) is not installed", "apt-get install bubblewrap"]),
        (replace(ROOT, setpriv=None), ["setpriv", "util-linux"]),
        (
            replace(ROOTLESS, unprivileged_userns_clone="0"),
            ["kernel.unprivileged_userns_clone = 0", "sysctl -w kernel.unprivileged_userns_clone=1"],
        ),
        (
            replace(ROOTLESS, max_user_namespaces="0"),
            ["user.max_user_namespaces = 0", "sysctl -w user.max_user_namespaces="],
        ),
        (
            replace(ROOTLESS, apparmor_restrict="1"),
            ["kernel.apparmor_restrict_unprivileged_userns = 1", "apparmor_parser -r /etc/apparmor.d/bwrap"],
        ),
        (replace(ROOTLESS, seccomp_filter=True), ["seccomp filter", "seccomp=unconfined"]),
        (replace(ROOT, seccomp_filter=True), ["seccomp filter", "seccomp=unconfined"]),
        (replace(ROOT, sys_admin=False), ["root without CAP_SYS_ADMIN", "as an ordinary user"]),
        (ROOTLESS, ["bubblewrap failed", "setting up uid map: Permission denied"]),
        (ROOT, ["bubblewrap failed as root", "Operation not permitted"]),
    ],
)
def test_each_cause_is_named_with_its_fix(facts, phrases):
    """Does the diagnosis name the cause, how to fix it and how to opt out, in one sentence?"""
    reason = diagnose(facts)
    for phrase in phrases:
        assert phrase in reason, reason
    assert reason.startswith("No sandbox can be made here: ") and OPT_OUT in reason and reason.endswith(".")
    assert "\n" not in reason
    without = diagnose(facts, opt_out=False)  # for a grading worker, which may never grade unsandboxed
    assert OPT_OUT not in without and without.endswith(".") and all(phrase in without for phrase in phrases)


def test_root_is_not_blamed_for_user_namespace_settings():
    """As root the sandbox needs no user namespace: is a userns sysctl then left out of the reason?"""
    reason = diagnose(replace(ROOT, max_user_namespaces="0", apparmor_restrict="1"))
    assert "max_user_namespaces" not in reason and "AppArmor" not in reason


def test_this_machine_can_make_a_sandbox():
    """Can the grader sandbox submissions here (as root: a uid of its own; otherwise rootless)?"""
    found = probe()
    assert found.works, found.reason
    assert found.rootless == (os.geteuid() != 0)


# -- real refusals --------------------------------------------------------------------------

MARKER_SOURCE = """
open({marker!r}, "w").write("student code ran")
import numpy as np
def square(x):
    return np.asarray(x, dtype=float) ** 2
"""


@pytest.fixture
def submission():
    """A submission that leaves a marker file the moment any of its code runs."""
    with shared_folder() as folder:
        marker = folder / "ran"
        path = folder / "demo.py"
        path.write_text(textwrap.dedent(MARKER_SOURCE.format(marker=str(marker))))
        path.chmod(0o644)
        yield path, marker


def grade_cli(path: Path, *extra: str, wrap: list[str] = (), env: dict | None = None, json_out: Path | None = None):
    argv = [
        *wrap,
        sys.executable,
        "-m",
        "autograder.cli",
        "--config",
        str(DEMO_CONFIG),
        "grade",
        str(path),
        "-a",
        "demo",
        *extra,
    ]
    if json_out:
        argv += ["--json", str(json_out)]
    return subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, env=env or dict(os.environ), timeout=300)


def assert_refused(done, marker: Path, phrase: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert phrase in output and "Traceback" not in output, output
    assert not marker.exists(), "student code ran although no sandbox could be made"


def test_missing_bwrap_refuses_before_student_code(submission, tmp_path):
    """With bwrap missing from PATH, does grading stop with the reason, running nothing of the student's?"""
    path, marker = submission
    empty = tmp_path / "bin"
    empty.mkdir()
    done = grade_cli(path, env={**os.environ, "PATH": str(empty)})
    assert_refused(done, marker, "bubblewrap (bwrap) is not installed")


@pytest.mark.skipif(not refusing_hosts.supported(), reason="the seccomp filter is written for x86_64 and aarch64")
def test_seccomp_filter_refuses_and_subprocess_opt_in_says_why(submission):
    """Under a container-like seccomp filter, is grading refused, and does an opt-in say why in the result?"""
    path, marker = submission
    wrap = [sys.executable, str(Path(refusing_hosts.__file__)), "seccomp"]
    assert_refused(grade_cli(path, wrap=wrap), marker, "seccomp filter that forbids creating namespaces")

    json_out = path.parent / "result.json"
    done = grade_cli(path, "--isolation", "subprocess", wrap=wrap, json_out=json_out)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(json_out.read_text())
    assert result["isolation"].startswith("subprocess")
    assert 'isolation = "subprocess" was chosen (this process runs under a seccomp filter' in result["isolation"]
    assert "not isolated" in result["isolation"]


@pytest.mark.skipif(
    os.geteuid() != 0, reason="making user.max_user_namespaces = 0 for another uid needs root; the root run covers it"
)
def test_user_namespaces_switched_off_refuses(submission):
    """With user.max_user_namespaces = 0 (in a namespace of the test's own), is the sysctl named?"""
    path, marker = submission
    user = ordinary_user()
    switch = [sys.executable, str(Path(refusing_hosts.__file__)), "no-userns", str(user.uid)]
    done = run_as(
        user,
        [sys.executable, "-m", "autograder.cli", "--config", str(DEMO_CONFIG), "grade", str(path), "-a", "demo"],
        switch=switch,
        timeout=300,
    )
    assert_refused(done, marker, "user.max_user_namespaces = 0")
