"""A real multi-user JupyterHub course: students and the instructor, each on their own account, in Chromium.

Run as root (as CI is), the test creates Unix accounts with passwords (an instructor, two
students; a second course's instructor and student), copies a small course (grading.toml,
nbgrader_config.py, the reference solutions of two assignments) into the instructor's home,
and follows the recipe of docs/nbgrader.md ("On a shared JupyterHub"): `autograder
hub-setup` as root, then `jupyterhub -f HUB_DIR/jupyterhub_config.py` (PAM login, the local
process spawner, configurable-http-proxy from npm), on 127.0.0.1 only. Then, each person in a browser of their own:

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
import datetime
import grp
import json
import os
import pwd
import re
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
from selenium.webdriver.common.by import By

from autograder.paths import REPO_ROOT
from autograder.reports.scores import shown
from tests.browser import SCREENSHOTS
from tests.browser import wait_for as poll
from tests.support import reachable_by_others

SHOTS = SCREENSHOTS / "hub"
VENV_BIN = Path(sys.executable).parent
PREFIX = "aghub"  # every account and group the test makes starts with it
INSTRUCTOR, ALICE, BOB = f"{PREFIX}-ann", f"{PREFIX}-alice", f"{PREFIX}-bob"
OTHER_INSTRUCTOR, CAROL = f"{PREFIX}-ben", f"{PREFIX}-carol"
COURSE, OTHER_COURSE = "introduction-to-deep-learning", "second-course"
ASSIGNMENTS = {"activations": "01_activations", "losses": "02_losses"}
GROUPS = {
    COURSE: (f"{PREFIX}-dl-graders", f"{PREFIX}-dl-students"),
    OTHER_COURSE: (f"{PREFIX}-c2-graders", f"{PREFIX}-c2-students"),
}
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


needs_hub = pytest.mark.skipif(bool(_missing()), reason=_missing() or "-")


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
        shutil.copytree(
            REPO_ROOT / "solutions" / nn,
            folder / "solutions" / nn,
            ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"),
        )
    subprocess.run(["chown", "-R", f"{owner}:{owner}", str(folder)], check=True)
    return folder


def as_user(
    user: str,
    argv: list[str],
    *,
    cwd: Path | None = None,
    check: bool = True,
    env: dict | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess:
    """Run `argv` really as `user` (setpriv, the user's groups), with the environment their hub server gives."""
    entry = pwd.getpwnam(user)
    environment = {
        "HOME": entry.pw_dir,
        "USER": user,
        "LANG": "C.UTF-8",
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        **(env or {}),
    }
    done = subprocess.run(
        ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups", *argv],
        cwd=cwd or entry.pw_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(argv)} as {user} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def wait_for(condition, what: str, timeout: float = WAIT):
    return poll(condition, what, timeout)


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
        # The recipe of docs/nbgrader.md, word for word, once per course.
        for instructor, students, groups in (
            (INSTRUCTOR, f"{ALICE},{BOB}", GROUPS[COURSE]),
            (OTHER_INSTRUCTOR, CAROL, GROUPS[OTHER_COURSE]),
        ):
            done = subprocess.run(
                [
                    str(VENV_BIN / "autograder"),
                    "--config",
                    str(homes[instructor] / "course" / "grading.toml"),
                    "hub-setup",
                    "--instructor",
                    instructor,
                    "--students",
                    students,
                    "--hub-dir",
                    str(hub_dir),
                    "--exchange",
                    str(exchange),
                    "--graders-group",
                    groups[0],
                    "--students-group",
                    groups[1],
                ],
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            assert f"sandbox as {instructor}: isolation: bubblewrap (rootless)" in " ".join(done.stdout.split()), (
                done.stdout
            )
        port = _free_port()
        log = scratch / "jupyterhub.log"
        with open(log, "w") as stream:
            server = subprocess.Popen(
                [
                    str(VENV_BIN / "jupyterhub"),
                    "-f",
                    str(hub_dir / "jupyterhub_config.py"),
                    f"--JupyterHub.bind_url=http://127.0.0.1:{port}",
                    f"--JupyterHub.hub_port={_free_port()}",
                    f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}",
                ],
                cwd=hub_dir,
                stdout=stream,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/root"},
            )  # as sudo would start it
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
    return driver.execute_script(
        "return !!document.querySelector('#jp-main-dock-panel') && !document.querySelector('#jupyterlab-splash');"
    )


def hub_env(hub: Hub) -> dict[str, str]:
    """What the hub's spawner puts in every server's (and so every terminal's) environment."""
    settings = json.loads((hub.hub_dir / "hub.json").read_text())
    return {
        "AUTOGRADER_EXCHANGE": settings["exchange"],
        "JUPYTER_CONFIG_PATH": str(hub.hub_dir / "jupyter"),
        "PATH": settings["path"],
    }


def kit(hub: Hub, instructor: str, *argv: str) -> str:
    """An `autograder` command typed by the instructor in a terminal of their own server."""
    done = as_user(
        instructor,
        ["autograder", *argv],
        cwd=hub.course_home(instructor),  # the server's PATH finds the kit's
        env={**hub_env(hub), "AUTOGRADER_CONFIG": str(hub.course_home(instructor) / "grading.toml")},
    )
    return done.stdout


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def assignment_list(driver):
    """nbgrader's Assignments list in JupyterLab: Nbgrader menu → Assignment List."""
    from selenium.webdriver.common.by import By

    wait_for(lambda: lab_ready(driver), "JupyterLab never finished loading", timeout=180)
    wait_for(
        lambda: driver.find_elements(
            By.XPATH, "//li[contains(@class,'lm-MenuBar-item')][.//div[normalize-space()='Nbgrader']]"
        ),
        "JupyterLab showed no Nbgrader menu",
    )[0].click()
    wait_for(
        lambda: driver.find_elements(
            By.XPATH, "//li[contains(@class,'lm-Menu-item')][.//div[normalize-space()='Assignment List']]"
        ),
        "the Nbgrader menu has no Assignment List",
    )[0].click()
    wait_for(lambda: driver.find_elements(By.ID, "nbgrader-assignment-list"), "the Assignments list never opened")
    wait_for(
        lambda: not driver.find_element(By.ID, "released_assignments_list_loading").is_displayed(),
        "the list kept loading",
    )


def released_row(driver, folder: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(
        By.XPATH,
        f"//div[@id='released_assignments_list']//div[contains(@class,'list_item')]"
        f"[.//span[contains(@class,'item_name')][normalize-space()='{folder}']]",
    )


def fetch_in_list(driver, folder: str) -> None:
    from selenium.webdriver.common.by import By

    wait_for(lambda: released_row(driver, folder), f"{folder} never showed among the released assignments")[
        0
    ].find_element(By.XPATH, ".//button[normalize-space()='Fetch']").click()
    wait_for(lambda: fetched_link(driver, folder), f"{folder} was never fetched")


def fetched_link(driver, folder: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(
        By.XPATH,
        "//div[@id='fetched_assignments_list']//a[contains(@class,'assignment-notebooks-link')]"
        f"[normalize-space()='{folder}']",
    )


def save_through_server(driver, path: str, notebook) -> None:
    """Save `notebook` at `path` through the person's own server (the contents API JupyterLab saves with)."""
    import nbformat

    status = driver.execute_async_script(
        """
        const [path, content, done] = arguments;
        const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]+)/) || [])[1];
        const base = location.pathname.replace(/\\/lab(\\/.*)?$/, '');
        fetch(base + '/api/contents/' + path, {method: 'PUT', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json', 'X-XSRFToken': xsrf ? decodeURIComponent(xsrf) : ''},
              body: JSON.stringify({type: 'notebook', format: 'json', content: content})})
          .then(r => done(r.status)).catch(e => done(String(e)));""",
        path,
        json.loads(nbformat.writes(notebook)),
    )
    assert status == 200, status


def validate_in_list(driver, course: str, folder: str, screenshot: str) -> str:
    """Validate's dialog text for the fetched notebook (a screenshot of it taken), then close it."""
    from selenium.webdriver.common.by import By

    panel = f"nbgrader-{course}-{folder}"
    if not driver.find_element(By.ID, panel).is_displayed():
        fetched_link(driver, folder)[0].click()
    wait_for(
        lambda: [
            b
            for b in driver.find_elements(By.XPATH, f"//div[@id='{panel}']//button[normalize-space()='Validate']")
            if b.is_displayed()
        ],
        "no Validate button",
    )[0].click()
    dialog = wait_for(
        lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog"), "validation never answered", timeout=300
    )[0]
    time.sleep(0.5)
    text = dialog.text
    shot(driver, screenshot)
    dialog.find_element(By.CSS_SELECTOR, "button.jp-mod-accept, button").click()
    wait_for(lambda: not driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog"), "the validation dialog stayed open")
    return text


def submitted_rows(driver):
    from selenium.webdriver.common.by import By

    """One row per submission (nbgrader lists each one's timestamp under its assignment)."""
    return driver.find_elements(
        By.XPATH, "//div[@id='submitted_assignments_list']//div[contains(@class,'nested_list_item')]"
    )


def submit_in_list(driver, folder: str) -> None:
    from selenium.webdriver.common.by import By

    before = len(submitted_rows(driver))
    row = fetched_link(driver, folder)[0].find_element(By.XPATH, "./ancestor::div[contains(@class,'list_item')][1]")
    row.find_element(By.XPATH, ".//button[normalize-space()='Submit']").click()
    wait_for(lambda: len(submitted_rows(driver)) > before, f"{folder} was never submitted", timeout=180)


def answered(hub: Hub, folder: str, replace: dict[str, str]):
    """The released notebook of `folder` with the reference answers (some cells replaced), as a student would write it."""
    import nbformat

    from tests.support import solved_notebook

    notebook = f"{folder.split('_', 1)[1]}"
    released = nbformat.read(hub.exchange / COURSE / "outbound" / folder / f"{notebook}.ipynb", as_version=4)
    return solved_notebook(hub.course_home() / "solutions" / folder / f"{notebook}.py", released, replace)


def student_works(hub: Hub, student: str, replace: dict[str, str], shots: str) -> str:
    """The student logs in, fetches 01_activations from the Assignments list, writes it, validates and submits."""
    with browser(hub, student) as driver:
        assignment_list(driver)
        for folder in ASSIGNMENTS.values():
            assert released_row(driver, folder), f"{folder} is not in {student}'s list"
        assert not driver.find_elements(
            By.XPATH, "//span[contains(@class,'item_course')][normalize-space()='" + OTHER_COURSE + "']"
        )
        shot(driver, f"{shots}-1-assignments")
        fetch_in_list(driver, "01_activations")
        save_through_server(
            driver, f"{COURSE}/01_activations/activations.ipynb", answered(hub, "01_activations", replace)
        )
        verdict = validate_in_list(driver, COURSE, "01_activations", f"{shots}-2-validated")
        submit_in_list(driver, "01_activations")
        shot(driver, f"{shots}-3-submitted")
    return verdict


# -- the round, step by step --------------------------------------------------------------------

WRONG_RELU = "def relu(x):\n    import numpy as np\n    return np.asarray(x, dtype=float)  # forgot max(0, x)\n"
F64 = "test_relu_values[float64]"
TYPED = 0.1  # the instructor's score for bob's F64, typed into formgrader


def classroom_of(hub: Hub, instructor: str = INSTRUCTOR):
    from autograder.classroom.course import open_classroom

    return open_classroom(hub.course_home(instructor) / "grading.toml", exchange=hub.exchange)


def release_step(hub: Hub) -> None:
    """The instructors release (two assignments in the first course, one in the second) with the kit's command."""
    due = utc(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7))
    for name in ASSIGNMENTS:
        printed = kit(hub, INSTRUCTOR, "release", name, "--due", due)
        assert "released" in printed and COURSE in printed, printed
    kit(hub, OTHER_INSTRUCTOR, "release", "activations", "--due", due)


def submit_step(hub: Hub) -> None:
    """alice (right) and bob (relu wrong) fetch, write, validate and submit in time; then the due date passes and
    alice submits again, late."""
    hub.state["validated"] = {
        ALICE: student_works(hub, ALICE, {}, "alice"),
        BOB: student_works(hub, BOB, {"relu": WRONG_RELU}, "bob"),
    }
    # The due date moves to now (both first submissions stay in time), so alice's second one comes after it.
    kit(
        hub,
        INSTRUCTOR,
        "release",
        "activations",
        "--due",
        utc(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=2)),
    )
    with browser(hub, ALICE) as driver:
        assignment_list(driver)
        wait_for(lambda: fetched_link(driver, "01_activations"), "alice's fetched assignment is gone")
        submit_in_list(driver, "01_activations")
        assert len(submitted_rows(driver)) == 2
        shot(driver, "alice-4-resubmitted-late")


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    import csv

    with open(path, newline="", encoding="utf-8") as stream:
        return {row["student_id"]: row for row in csv.DictReader(stream) if row["assignment"] == "01_activations"}


def grade_step(hub: Hub) -> None:
    """The instructor collects and grades with the kit (in the sandbox, as their own account)."""
    printed = kit(hub, INSTRUCTOR, "collect-grade", "activations", "--seed", "20240601")
    rows = read_csv(classroom_of(hub).root / "grades.csv")
    assert set(rows) == {ALICE, BOB}, printed
    alice, bob = rows[ALICE], rows[BOB]
    assert (
        float(alice["raw_score"]) == 10
        and float(alice["late_submission_penalty"]) == 1.0
        and float(alice["score"]) == 9
    )
    assert 0 < float(bob["raw_score"]) < 10 and float(bob["late_submission_penalty"] or 0) == 0
    hub.state["first"] = {student: float(row["raw_score"]) for student, row in rows.items()}
    record = json.loads((classroom_of(hub).results_dir("activations") / f"{BOB}.json").read_text(encoding="utf-8"))
    isolation = record.get("isolation") or record.get("result", {}).get("isolation", "")
    assert isolation.startswith("bubblewrap (rootless)"), (
        isolation
    )  # graded in the sandbox, as the instructor's own account


def gradebook(hub: Hub):
    from nbgrader.api import Gradebook

    from autograder.classroom.course import nbgrader_environment

    classroom = classroom_of(hub)
    return nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id)


def override_step(hub: Hub) -> None:
    """The instructor opens formgrader on the hub, gives bob a score for one test, and releases the feedback."""
    from selenium.webdriver.common.keys import Keys

    from autograder.classroom.cell_ids import cell_id
    from tests.test_formgrader_browser import score_box

    environment, gb = gradebook(hub)
    with environment, gb:
        submission = gb.find_submission_notebook("activations", "01_activations", BOB).id
    with browser(hub, INSTRUCTOR) as driver:
        wait_for(lambda: lab_ready(driver), "JupyterLab never finished loading", timeout=180)
        base = f"{hub.url}/user/{INSTRUCTOR}/formgrader"
        driver.get(f"{base}/manage_assignments")
        wait_for(
            lambda: "01_activations" in driver.find_element(By.TAG_NAME, "body").text,
            "formgrader never listed 01_activations",
        )
        shot(driver, "instructor-1-formgrader-assignments")
        driver.get(f"{base}/submissions/{submission}/?index=0")
        box = score_box(driver, F64)
        box.send_keys(str(TYPED), Keys.TAB)

        def saved():
            environment, gb = gradebook(hub)
            with environment, gb:
                return gb.find_grade(cell_id(F64), "activations", "01_activations", BOB).manual_score is not None

        wait_for(saved, "the override never reached the gradebook")
        driver.get(f"{base}/submissions/{submission}/?index=0")
        score_box(driver, F64)
        hub.state["formgrader_bob"] = driver.find_element(By.TAG_NAME, "body").text
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", score_box(driver, F64))
        shot(driver, "instructor-2-formgrader-override")
        environment, gb = gradebook(hub)
        with environment, gb:
            alice = gb.find_submission_notebook("activations", "01_activations", ALICE).id
        driver.get(f"{base}/submissions/{alice}/?index=0")
        wait_for(
            lambda: "/ 10" in driver.find_element(By.TAG_NAME, "body").text, "formgrader never showed alice's total"
        )
        hub.state["formgrader_alice"] = driver.find_element(By.TAG_NAME, "body").text
    hub.state["printed"] = kit(
        hub, INSTRUCTOR, "collect-grade", "activations", "--seed", "20240601", "--release-feedback"
    )


def feedback_page(hub: Hub, student: str) -> tuple[str, Path]:
    """The student fetches their feedback from the Assignments list and opens it in their browser."""
    folder = hub.homes[student] / COURSE / "01_activations" / "feedback"
    with browser(hub, student) as driver:
        assignment_list(driver)
        row = wait_for(
            lambda: driver.find_elements(
                By.XPATH, "//div[@id='submitted_assignments_list']//button[normalize-space()='Fetch Feedback']"
            ),
            "no Fetch Feedback button",
        )[0]
        row.click()
        pages = wait_for(
            lambda: sorted(folder.glob("*/activations.html")), f"{student}'s feedback never arrived", timeout=180
        )
        time.sleep(1)
        shot(driver, f"{student.split('-')[1]}-5-feedback-fetched")
        relative = pages[-1].relative_to(hub.homes[student])
        driver.get(f"{hub.url}/user/{student}/files/{relative.as_posix()}")
        wait_for(
            lambda: "activations" in driver.find_element(By.TAG_NAME, "body").text, "the feedback page never showed"
        )
        text = driver.find_element(By.TAG_NAME, "body").text
        driver.set_window_size(1400, 1600)
        shot(driver, f"{student.split('-')[1]}-6-feedback-page")
        frame = driver.find_element(By.CSS_SELECTOR, "#autograder-page iframe")  # the kit's own page, with its plots
        driver.execute_script("arguments[0].scrollIntoView()", frame)
        driver.switch_to.frame(frame)
        hub.state[f"page_{student}"] = (
            driver.find_element(By.ID, "score").text,
            driver.find_element(By.ID, "student").text,
            len(driver.find_elements(By.TAG_NAME, "img")),
        )
        driver.switch_to.default_content()
        shot(driver, f"{student.split('-')[1]}-7-autograder-page")
    return text, pages[-1]


def feedback_step(hub: Hub) -> None:
    hub.state["feedback"] = {student: feedback_page(hub, student) for student in (ALICE, BOB)}


def denied(user: str, command: str) -> bool:
    """Does `command`, typed by `user` in a shell of their own (su, as a terminal on the hub would run it), hit a wall?"""
    done = subprocess.run(
        ["su", "-s", "/bin/sh", user, "-c", command],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C"},
    )
    return done.returncode != 0 and ("Permission denied" in done.stderr or "Operation not permitted" in done.stderr)


def allowed(user: str, command: str) -> bool:
    done = subprocess.run(
        ["su", "-s", "/bin/sh", user, "-c", command],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C"},
    )
    return done.returncode == 0


def permissions_step(hub: Hub) -> None:
    """From their own accounts, students reach their own work only; the second course's people reach none of the first's."""
    course = hub.course_home()
    bob_page = hub.state["feedback"][BOB][1]
    alice_page = hub.state["feedback"][ALICE][1]
    q = lambda path: "'" + str(path).replace("'", "'\\''") + "'"  # noqa: E731
    inside = {  # what alice must not read
        "bob's notebook in his home": f"cat {q(hub.homes[BOB] / COURSE / '01_activations' / 'activations.ipynb')}",
        "bob's fetched feedback": f"cat {q(bob_page)}",
        "the exchange's submissions (list)": f"ls {q(hub.exchange / COURSE / 'inbound')}",
        "the exchange's feedback (list)": f"ls {q(hub.exchange / COURSE / 'feedback')}",
        "bob's collected submission": f"cat {q(course / 'classroom' / 'submitted' / BOB / '01_activations' / 'activations.ipynb')}",
        "bob's feedback at the instructor's": f"cat {q(course / 'classroom' / 'feedback' / BOB / '01_activations' / 'activations.html')}",
        "the gradebook": f"cat {q(course / 'classroom' / 'gradebook.db')}",
        "the hidden suite": f"cat {q(course / 'solutions' / '01_activations' / 'test_activations.py')}",
        "the reference solution": f"cat {q(course / 'solutions' / '01_activations' / 'activations.py')}",
        "the instructor's source notebook": f"cat {q(course / 'classroom' / 'source' / '01_activations' / 'activations.ipynb')}",
        "the course folder (list)": f"ls {q(course)}",
        "the second course in the exchange": f"ls {q(hub.exchange / OTHER_COURSE)}",
    }
    leaks = [what for what, command in inside.items() if not denied(ALICE, command)]
    assert not leaks, f"alice could read: {leaks}"
    assert allowed(ALICE, f"cat {q(alice_page)} >/dev/null && ls {q(hub.exchange / COURSE / 'outbound')} >/dev/null")
    # The second course's student and instructor reach nothing of the first course.
    assert denied(CAROL, f"ls {q(hub.exchange / COURSE)}") and denied(
        OTHER_INSTRUCTOR, f"cat {q(course / 'classroom' / 'gradebook.db')}"
    )
    assert denied(OTHER_INSTRUCTOR, f"cat {q(course / 'solutions' / '01_activations' / 'test_activations.py')}")
    assert allowed(CAROL, f"ls {q(hub.exchange / OTHER_COURSE / 'outbound' / '01_activations')} >/dev/null")


def second_course_step(hub: Hub) -> None:
    """carol, in the second course only, sees its assignment and none of the first course's, and cannot open alice's server."""
    with browser(hub, CAROL) as driver:
        assignment_list(driver)
        wait_for(lambda: released_row(driver, "01_activations"), "carol never saw her course's assignment")
        courses = {
            e.text
            for e in driver.find_elements(
                By.XPATH, "//div[@id='released_assignments_list']//span[contains(@class,'item_course')]"
            )
        }
        assert courses == {OTHER_COURSE}, courses
        shot(driver, "carol-1-second-course")
        driver.get(f"{hub.url}/user/{ALICE}/lab")
        time.sleep(2)
        assert f"/user/{ALICE}/" not in driver.current_url or "403" in driver.find_element(By.TAG_NAME, "body").text


@pytest.mark.slow
@needs_hub
def test_a_course_round_on_a_real_hub(hub):
    """Release, fetch, submit (once late), collect-grade, a formgrader override, feedback: each person on their own account."""
    release_step(hub)
    submit_step(hub)
    assert "Success" in hub.state["validated"][ALICE], hub.state["validated"]
    grade_step(hub)
    override_step(hub)
    feedback_step(hub)

    # One total everywhere: the CSV, the printed table, formgrader and each student's own page, late penalty included.
    rows = read_csv(classroom_of(hub).root / "grades.csv")
    alice, bob = rows[ALICE], rows[BOB]
    bob_total = round(hub.state["first"][BOB] + TYPED, 4)
    assert (float(alice["raw_score"]), float(alice["late_submission_penalty"]), float(alice["score"])) == (10, 1, 9)
    assert float(bob["raw_score"]) == float(bob["score"]) == pytest.approx(bob_total) and not float(
        bob["late_submission_penalty"] or 0
    )
    printed = hub.state["printed"]
    assert re.search(rf"│ {ALICE}\s*│\s*10 / 10\s*│\s*1\s*│\s*9\s*│", printed), printed  # the instructor's table
    assert re.search(
        rf"│ {BOB}\s*│\s*{re.escape(shown(bob_total))} / 10\s*│\s*│\s*{re.escape(shown(bob_total))}\s*│", printed
    ), printed
    for student, row in rows.items():
        score = float(row["score"])
        text = hub.state["feedback"][student][0]
        assert f"(Score: {round(score, 2)} / 10.0)" in text, text[:300]  # nbgrader's header
        assert f"점수: {shown(score)} / 10" in text  # our summary cell
        assert f"점수: {shown(score)} / 10" in hub.state[f"formgrader_{student.split('-')[1]}"]
        page_score, page_student, pictures = hub.state[f"page_{student}"]
        assert page_score == f"{shown(score)} / 10" and page_student == student and pictures, hub.state[
            f"page_{student}"
        ]
    assert "Late submission penalty (Score: -1.0)" in hub.state["feedback"][ALICE][0]
    assert "지각 감점 −1" in hub.state["feedback"][ALICE][0] and "지각 감점 −1" in hub.state["formgrader_alice"]
    assert "Late submission penalty" not in hub.state["feedback"][BOB][0]

    permissions_step(hub)
    second_course_step(hub)


# -- hub-setup's refusals, without a hub ---------------------------------------------------------


def test_hub_setup_refuses_anyone_but_root(monkeypatch, tmp_path):
    """Run by an ordinary user, does hub-setup say in one sentence to run it as root, and change nothing?"""
    from autograder.classroom.course import open_classroom
    from autograder.classroom.hub import hub_setup
    from autograder.errors import ClassroomError

    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(ClassroomError, match=r"^hub-setup changes groups.*run it as root \(sudo\)\.$"):
        hub_setup(
            open_classroom(REPO_ROOT / "grading.toml"), instructors=["ann"], students=[], hub_dir=tmp_path / "hub"
        )
    assert not (tmp_path / "hub").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="hub-setup looks at accounts only when run as root")
def test_hub_setup_refuses_what_would_break_the_hub(tmp_path):
    """A missing account, root as instructor, or the kit's own checkout as the course folder: one sentence each, nothing changed."""
    from autograder.classroom.course import open_classroom
    from autograder.classroom.hub import hub_setup
    from autograder.errors import ClassroomError

    repository = open_classroom(REPO_ROOT / "grading.toml", exchange=tmp_path / "exchange")
    groups, mode = {g.gr_name for g in grp.getgrall()}, REPO_ROOT.stat().st_mode
    with pytest.raises(
        ClassroomError, match=r"There is no account 'aghub-nobody-here' on this machine: create it first"
    ):
        hub_setup(repository, instructors=["aghub-nobody-here"], students=[], hub_dir=tmp_path / "hub")
    with pytest.raises(ClassroomError, match="An instructor must be an ordinary account"):
        hub_setup(repository, instructors=["root"], students=[], hub_dir=tmp_path / "hub")
    ordinary = next((e.pw_name for e in pwd.getpwall() if e.pw_name == "nobody" or 1000 <= e.pw_uid < 60000), None)
    if ordinary is not None:
        with pytest.raises(ClassroomError, match="holds the kit's Python"):
            hub_setup(repository, instructors=[ordinary], students=[], hub_dir=tmp_path / "hub")
    assert {g.gr_name for g in grp.getgrall()} == groups and REPO_ROOT.stat().st_mode == mode
    assert not (tmp_path / "hub").exists() and not (tmp_path / "exchange").exists()


def test_default_groups_are_valid_unix_names():
    from autograder.classroom.hub import GROUP_NAME, default_groups

    for course_id in ("introduction-to-deep-learning", "x" * 80, "2025-spring", "Deep Learning 101"):
        for group in default_groups(course_id):
            assert GROUP_NAME.match(group) and len(group) <= 32, group
