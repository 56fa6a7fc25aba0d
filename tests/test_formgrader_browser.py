"""Does an override typed into a real formgrader save, and then show as the one total everywhere?

A class of three (alice right, bob with relu wrong, carol with step(0) wrong) goes through
the course of test_nbgrader_round.py and `collect_grade`. A real jupyter server with
nbgrader's formgrader runs in the course folder (127.0.0.1, a free port, a token), and
headless chromium grades by hand as an instructor would: a score typed for
`test_relu_values[float64]` and "Full credit" for `test_relu_values[float32]` on bob's
page. After a reload both still show, and so does the new total in our summary cell; the
Code Score and Tests failed? columns are filled; the Autograde button refuses. A second collect-grade must then show bob's new
total in nbgrader's feedback header, our summary cell, the printed table, grades.csv
and our stored record. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from rich.console import Console

from autograder.classroom.cell_ids import cell_id
from autograder.classroom.course import nbgrader_environment
from autograder.classroom.release import release
from autograder.classroom.rounds import RoundOptions, collect_grade
from autograder.grading import GradeOptions
from autograder.reports.terminal import print_round
from tests.browser import SCREENSHOTS, chromium_driver, look_at, wait_for
from tests.test_nbgrader_round import FOLDER, NAME, SEED, WRONG_RELU, read_csv, submit_class

WRONG_STEP = (
    "def step(x):\n    import numpy as np\n    return np.where(np.asarray(x) > 0, 1, -1)  # step(0) must be 1\n"
)
OPTIONS = GradeOptions(seed=SEED, language="en")
F64, F32 = "test_relu_values[float64]", "test_relu_values[float32]"
TYPED = 0.1  # the score typed into F64's box; F32 gets "Full credit"
WAIT = 90  # seconds; a busy machine (a class grading beside the test) slows formgrader's first page


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    release(course, NAME)
    submit_class(
        course,
        tmp_path_factory.mktemp("homes"),
        {"alice": {}, "bob": {"relu": WRONG_RELU}, "carol": {"step": WRONG_STEP}},
    )
    report = collect_grade(course, NAME, RoundOptions(grading=OPTIONS))
    assert [(o.student, o.status, o.problem) for o in report.outcomes] == [
        (s, "graded", "") for s in ("alice", "bob", "carol")
    ]
    return course, {o.student: o for o in report.outcomes}


@contextlib.contextmanager
def formgrader(classroom, scratch: Path):
    """A jupyter server with nbgrader's formgrader in the course folder; yields its base URL and token."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOGRADER_", "JUPYTER"))}
    env.update(
        AUTOGRADER_EXCHANGE=str(classroom.exchange),
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
        JUPYTER_DATA_DIR=str(scratch / "data"),
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    log = open(scratch / "server.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={classroom.home}",
            "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=True",
        ],
        cwd=classroom.home,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"formgrader did not start:\n{(scratch / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def log_in(driver, base: str, token: str) -> None:
    """Type the token into jupyter server's login page, as an instructor would; the cookie covers formgrader's API calls."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login")
    driver.find_element(By.ID, "password_input").send_keys(token)
    driver.find_element(By.ID, "login_submit").click()
    until(lambda: driver.get_cookies(), "the login set no cookie")
    # The login redirects (to the server's front page); a page asked for before that lands is replaced by it.
    until(
        lambda: (
            "/login" not in driver.current_url and driver.execute_script("return document.readyState") == "complete"
        ),
        "the login never finished its redirect",
    )


def until(condition, what: str):
    return wait_for(condition, what, WAIT)


def manual_scores(classroom) -> dict[str, float | None]:
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        return {test: gb.find_grade(cell_id(test), "activations", FOLDER, "bob").manual_score for test in (F64, F32)}


def score_box(driver, test: str):
    """The score input of `test`'s cell once formgrader has bound it to the gradebook (its placeholder is set)."""
    from selenium.webdriver.common.by import By

    def bound():
        found = driver.find_elements(By.ID, cell_id(test))
        return found[0] if found and found[0].get_attribute("placeholder") not in (None, "") else None

    return until(bound, f"formgrader never bound a score box to {test}")


def test_override_in_formgrader_shows_everywhere(graded, tmp_path):
    """Do two overrides typed in formgrader save, and show as one total in feedback, table, CSV and record?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    classroom, first = graded
    bob = first["bob"].result
    tests = {t.name: t for t in bob.tests}
    assert tests[F64].score == tests[F32].score == 0 and tests[F32].max_score > 0
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        submission = gb.find_submission_notebook("activations", FOLDER, "bob").id
    autograded = classroom.step_dir("autograded", NAME, "bob") / "activations.ipynb"
    before = autograded.read_bytes()
    total = round(bob.score + TYPED + tests[F32].max_score, 4)  # what every report must show after the overrides
    shown = f"{round(total, 2):g}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    driver = chromium_driver()
    try:
        with formgrader(classroom, tmp_path) as (base, token):
            log_in(driver, base, token)
            page = f"{base}/formgrader/submissions/{submission}/?index=0"
            driver.get(page)
            box = score_box(driver, F64)
            assert (
                box.get_attribute("value") == ""
            )  # no manual score yet (clearing it would save one, racing the typing)
            box.send_keys(str(TYPED), Keys.TAB)  # formgrader saves on change
            full = score_box(driver, F32).find_element(
                By.XPATH, "./ancestor::div[contains(@class, 'nbgrader_cell')]//button[contains(@class, 'full-credit')]"
            )
            until(
                lambda: driver.execute_script("return !jQuery('body, html').is(':animated')"),
                "formgrader kept scrolling",
            )  # leaving a box scrolls the page to the next one, animated
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", full)
            full.click()
            saved = until(
                lambda: None not in manual_scores(classroom).values() and manual_scores(classroom),
                "the overrides never reached the gradebook",
            )
            assert saved == {F64: pytest.approx(TYPED), F32: pytest.approx(tests[F32].max_score)}

            reloaded = look_at(driver, page, "formgrader-bob-reloaded")  # a fresh page: the boxes show what was saved
            assert f"Score: {shown} / 10\n" in reloaded.text and "2 scores set by your instructor" in reloaded.text
            assert float(score_box(driver, F64).get_attribute("value")) == pytest.approx(TYPED)
            assert float(score_box(driver, F32).get_attribute("value")) == pytest.approx(tests[F32].max_score)
            driver.set_window_size(1280, 1000)  # look_at stretched it to the whole page
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", score_box(driver, F64))
            driver.save_screenshot(str(SCREENSHOTS / "formgrader-override.png"))

            # Our hidden tests count as code: Code Score and Tests failed? are filled for bob.
            driver.get(f"{base}/formgrader/gradebook/{FOLDER}/activations")
            row = f"//tr[.//a[contains(@href, '{submission}')]]"
            code = until(
                lambda: driver.find_elements(By.XPATH, f"{row}//td[contains(@class, 'code-score')]"),
                "the notebook's submissions never listed bob",
            )[0]
            assert code.text.split(" / ")[1] == "10" and code.text != "0 / 0"
            assert driver.find_elements(By.XPATH, f"{row}//td[contains(@class, 'tests-failed')]//span")
            driver.save_screenshot(str(SCREENSHOTS / "formgrader-code-score.png"))

            # The Autograde button refuses, saying what to run, and changes nothing.
            driver.get(f"{base}/formgrader/manage_submissions/{FOLDER}")
            button = until(
                lambda: driver.find_elements(
                    By.XPATH,
                    "//tr[td[contains(@class, 'student-id')][normalize-space()='bob']]//td[contains(@class, 'autograde')]//a",
                ),
                "manage submissions never listed bob",
            )[0]
            button.click()
            modal = until(
                lambda: [m for m in driver.find_elements(By.ID, "error-modal") if m.is_displayed()],
                "Autograde showed no error",
            )[0]
            assert "autograder collect-grade activations" in modal.text
            driver.save_screenshot(str(SCREENSHOTS / "formgrader-autograde-refused.png"))
            assert autograded.read_bytes() == before and manual_scores(classroom) == saved

        # The next collect-grade publishes the gradebook's total everywhere.
        printed = io.StringIO()
        again = collect_grade(classroom, NAME, RoundOptions(collect_new=False, grading=OPTIONS))
        print_round(again, classroom.root, Console(file=printed, width=200))
        row = next(line for line in printed.getvalue().splitlines() if "│ bob" in line)
        assert re.search(rf"│\s*{re.escape(shown)} / 10\s*│\s*│\s*{re.escape(shown)}\s*│\s*kept", row), (
            printed.getvalue()
        )
        assert float(read_csv(classroom.root / "grades.csv")["bob"]["score"]) == total
        record = json.loads((classroom.grades_dir(NAME) / "bob.json").read_text(encoding="utf-8"))
        assert record["score"] == total and record["manual"] == {F64: TYPED, F32: tests[F32].max_score}
        feedback = look_at(driver, first["bob"].feedback.resolve().as_uri(), "feedback-bob-after-override")
        assert f"(Score: {round(total, 2)} / 10.0)" in feedback.text  # nbgrader's header
        assert f"Score: {shown} / 10\n" in feedback.text + "\n" and "2 scores set by your instructor" in feedback.text
        for student in ("alice", "carol"):  # the others keep what they had
            assert float(read_csv(classroom.root / "grades.csv")[student]["score"]) == first[student].result.score
    finally:
        driver.quit()


def test_formgrader_shows_a_students_html_without_running_it(graded, tmp_path):
    """A student's markdown with <img onerror> and <script>, as collect-grade copies it into the autograded
    notebook: does formgrader's page (in Chromium) show it without running either?"""
    import nbformat

    classroom, _ = graded
    autograded = classroom.step_dir("autograded", NAME, "carol") / "activations.ipynb"
    notebook = nbformat.read(autograded, as_version=4)
    hostile = nbformat.v4.new_markdown_cell(
        "<img src=x onerror=\"window.pwned = 1; document.title = 'PWNED'\">\n\n"
        "<script>window.pwned = 2</script>\n\n**mine**"
    )
    hostile.id = "student-hostile"
    notebook.cells.insert(2, hostile)
    nbformat.write(notebook, autograded)
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        submission = gb.find_submission_notebook("activations", FOLDER, "carol").id
    driver = chromium_driver()
    try:
        with formgrader(classroom, tmp_path) as (base, token):
            log_in(driver, base, token)
            page = look_at(
                driver, f"{base}/formgrader/submissions/{submission}/?index=0", "formgrader-hostile-markdown"
            )
            ran = driver.execute_script(
                "return [window.pwned || 0, document.title, document.querySelectorAll('[onerror]').length]"
            )
    finally:
        driver.quit()
    assert ran[0] == 0 and ran[1] != "PWNED" and ran[2] == 0, ran
    assert "mine" in page.text
