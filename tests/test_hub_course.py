"""A real multi-user JupyterHub course: students and the instructor, each on their own account, in Chromium.

Run as root (as CI is), the test creates Unix accounts with passwords (an instructor, two
students; a second course's instructor and student), copies a small course (grading.toml,
nbgrader_config.py, the reference solutions of two assignments) into the instructor's home,
and follows the README's recipe: `autograder hub-setup` as root, then `jupyterhub -f
HUB_DIR/jupyterhub_config.py` (PAM login, the local process spawner, configurable-http-proxy
from npm), on 127.0.0.1 only. Then, each person in a browser of their own:

- the instructor (an ordinary account in the course's graders group) releases two
  assignments with `autograder release`;
- alice and bob log in, fetch from the Assignments list of nbgrader's JupyterLab extension,
  write their notebooks through their own server (alice correct, bob with relu wrong),
  validate and submit; after the due date moves, alice submits again (late);
- the instructor runs `autograder collect-grade`, overrides one of bob's tests in formgrader
  and releases the feedback; each student fetches it and reads their own page, whose total
  matches formgrader's and the CSV's, late penalty included;
- from their own accounts, students cannot read one another's submission or feedback, the
  instructor's course folder, the reference solutions or the hidden suites;
- a second course on the same hub stays apart from the first.

Screenshots go to build/screenshots/hub/. Everything made is removed at the end: the hub
and its servers stopped by pid, the accounts and groups deleted.
"""
from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from autograder.paths import REPO_ROOT
from tests.browser import SCREENSHOTS
from tests.support import reachable_by_others

SHOTS = SCREENSHOTS / "hub"
VENV_BIN = Path(sys.executable).parent
PREFIX = "aghub"  # every account and group the test makes starts with it
INSTRUCTOR, ALICE, BOB = f"{PREFIX}-ann", f"{PREFIX}-alice", f"{PREFIX}-bob"
OTHER_INSTRUCTOR, CAROL = f"{PREFIX}-ben", f"{PREFIX}-carol"
COURSE, OTHER_COURSE = "introduction-to-deep-learning", "second-course"
ASSIGNMENTS = {"activations": "01_activations", "losses": "02_losses"}
GROUPS = {COURSE: (f"{PREFIX}-dl-graders", f"{PREFIX}-dl-students"), OTHER_COURSE: (f"{PREFIX}-c2-graders", f"{PREFIX}-c2-students")}
WAIT = 120


def _missing() -> str:
    if os.geteuid() != 0:
        return "the hub test creates Unix accounts and runs JupyterHub as root: run it as root"
    for tool in ("useradd", "userdel", "groupadd", "chpasswd", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} is missing: the test needs it to make the course's accounts"
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is not installed (scripts/setup.sh installs it with npm as root)"
    if not (VENV_BIN / "jupyterhub").exists():
        return "jupyterhub is not installed in the virtual environment (make setup)"
    if not Path("/etc/pam.d/login").exists():
        return "PAM's login service is not configured on this machine"
    if not reachable_by_others(VENV_BIN):
        return f"{VENV_BIN} lies under a folder other accounts cannot enter, so their servers cannot run its Python"
    return ""


pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(_missing()), reason=_missing() or "-")]


@dataclass
class Hub:
    url: str
    pid: int
    hub_dir: Path
    exchange: Path
    passwords: dict[str, str]
    homes: dict[str, Path]
    log: Path
    state: dict = field(default_factory=dict)

    def course_home(self, instructor: str = INSTRUCTOR) -> Path:
        return self.homes[instructor] / "course"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _make_account(name: str, password: str) -> Path:
    subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name], check=True)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return Path(pwd.getpwnam(name).pw_dir)


def _remove_accounts() -> None:
    for entry in pwd.getpwall():
        if entry.pw_name.startswith(PREFIX + "-"):
            for process in psutil.process_iter(["uids"]):  # this account's processes, each by its pid
                if process.info["uids"] and process.info["uids"].real == entry.pw_uid:
                    with contextlib.suppress(psutil.Error):
                        process.kill()
            subprocess.run(["userdel", "--remove", "--force", entry.pw_name], capture_output=True)
    for group in grp.getgrall():
        if group.gr_name.startswith(PREFIX + "-"):
            subprocess.run(["groupdel", group.gr_name], capture_output=True)


def _course_folder(home: Path, owner: str, name: str | None = None) -> Path:
    """A course as an instructor keeps it: grading.toml, nbgrader_config.py and two assignments' solutions."""
    folder = home / "course"
    folder.mkdir()
    text = (REPO_ROOT / "grading.toml").read_text(encoding="utf-8")
    if name:
        text = text.replace('name = "Introduction to Deep Learning / 딥러닝 입문"', f'name = "{name}"', 1)
    (folder / "grading.toml").write_text(text, encoding="utf-8")
    shutil.copyfile(REPO_ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    for nn in ASSIGNMENTS.values():
        shutil.copytree(REPO_ROOT / "solutions" / nn, folder / "solutions" / nn, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    subprocess.run(["chown", "-R", f"{owner}:{owner}", str(folder)], check=True)
    return folder


def as_user(user: str, argv: list[str], *, cwd: Path | None = None, check: bool = True, env: dict | None = None,
            timeout: float = 900) -> subprocess.CompletedProcess:
    """Run `argv` really as `user` (setpriv, the user's groups), with the environment their hub server gives."""
    entry = pwd.getpwnam(user)
    environment = {"HOME": entry.pw_dir, "USER": user, "LANG": "C.UTF-8", "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
                   **(env or {})}
    done = subprocess.run(["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups", *argv],
                          cwd=cwd or entry.pw_dir, env=environment, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(argv)} as {user} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def wait_for(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"{what} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def hub():
    _remove_accounts()  # what an interrupted run left
    scratch = Path(tempfile.mkdtemp(prefix="autograder-hub-"))
    scratch.chmod(0o755)
    passwords = {name: secrets.token_urlsafe(12) for name in (INSTRUCTOR, ALICE, BOB, OTHER_INSTRUCTOR, CAROL)}
    server = None
    try:
        homes = {name: _make_account(name, password) for name, password in passwords.items()}
        _course_folder(homes[INSTRUCTOR], INSTRUCTOR)
        _course_folder(homes[OTHER_INSTRUCTOR], OTHER_INSTRUCTOR, name="Second Course")
        hub_dir, exchange = scratch / "hub", scratch / "exchange"
        # The README's recipe, word for word, once per course.
        for instructor, students, groups in ((INSTRUCTOR, f"{ALICE},{BOB}", GROUPS[COURSE]), (OTHER_INSTRUCTOR, CAROL, GROUPS[OTHER_COURSE])):
            done = subprocess.run([str(VENV_BIN / "autograder"), "--config", str(homes[instructor] / "course" / "grading.toml"),
                                   "hub-setup", "--instructor", instructor, "--students", students,
                                   "--hub-dir", str(hub_dir), "--exchange", str(exchange),
                                   "--graders-group", groups[0], "--students-group", groups[1]],
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stdout + done.stderr
            assert f"sandbox as {instructor}: isolation: bubblewrap (rootless)" in " ".join(done.stdout.split()), done.stdout
        port = _free_port()
        log = scratch / "jupyterhub.log"
        with open(log, "w") as stream:
            server = subprocess.Popen(
                [str(VENV_BIN / "jupyterhub"), "-f", str(hub_dir / "jupyterhub_config.py"),
                 f"--JupyterHub.bind_url=http://127.0.0.1:{port}", f"--JupyterHub.hub_port={_free_port()}",
                 f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}"],
                cwd=hub_dir, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True,
                env={"PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/root"})
        url = f"http://127.0.0.1:{port}"

        def up():
            try:
                with urllib.request.urlopen(f"{url}/hub/api", timeout=3):
                    return True
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"jupyterhub stopped:\n{log.read_text()[-4000:]}")
                return False

        wait_for(up, "the hub never answered")
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield Hub(url, server.pid, hub_dir, exchange, passwords, homes, log)
    finally:
        if server is not None and server.poll() is None:
            os.kill(server.pid, signal.SIGTERM)  # the hub stops the users' servers and its proxy on the way out
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        proxy = scratch / "hub" / "jupyterhub-proxy.pid"
        if proxy.exists():
            with contextlib.suppress(ValueError, ProcessLookupError):
                os.kill(int(proxy.read_text().strip()), signal.SIGTERM)
        _remove_accounts()
        shutil.rmtree(scratch, ignore_errors=True)


# -- a person in a browser ----------------------------------------------------------------------

@contextlib.contextmanager
def browser(hub: Hub, user: str):
    """A fresh headless Chromium logged in to the hub as `user` (typed into the hub's login form), their server started."""
    from selenium.webdriver.common.by import By

    from tests.browser import chromium_driver

    driver = chromium_driver()
    driver.set_window_size(1400, 1000)
    try:
        driver.get(f"{hub.url}/hub/login")
        wait_for(lambda: driver.find_elements(By.ID, "username_input"), "the hub's login page never showed")
        driver.find_element(By.ID, "username_input").send_keys(user)
        driver.find_element(By.ID, "password_input").send_keys(hub.passwords[user])
        driver.find_element(By.ID, "login_submit").click()
        wait_for(lambda: f"/user/{user}/" in driver.current_url, f"{user}'s server never opened", timeout=240)
        yield driver
    finally:
        driver.quit()


def shot(driver, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def lab_ready(driver) -> bool:
    return driver.execute_script("return !!document.querySelector('#jp-main-dock-panel') && "
                                 "!document.querySelector('#jupyterlab-splash');")


def test_a_student_logs_in_with_their_password(hub):
    """Does PAM log a student in and start JupyterLab under their own account?"""
    with browser(hub, ALICE) as driver:
        wait_for(lambda: lab_ready(driver), "JupyterLab never finished loading", timeout=180)
        shot(driver, "01-student-lab")
    servers = subprocess.run(["pgrep", "-u", ALICE, "-f", "jupyterhub-singleuser"], capture_output=True, text=True).stdout.split()
    assert servers, "alice's server does not run as alice"
