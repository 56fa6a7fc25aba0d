"""Does a whole nbgrader round, graded by our trusted grader, give nbgrader the grader's own scores?

One course in a temporary folder (grading.toml, nbgrader_config.py and the reference
solution of `activations`, copied unedited) and a temporary exchange. Two students fetch
and submit through nbgrader's exchange: alice writes the reference answers into the
notebook's solution cells, bob gets relu wrong and submits after the due date.
"""

from __future__ import annotations

import csv
import datetime
import html
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import markupsafe
import nbformat
import pytest
from traitlets.config import Config

from autograder.classroom.course import nbgrader_environment, open_classroom
from autograder.classroom.release import release
from autograder.classroom.rounds import RoundOptions, collect_grade
from autograder.grading import GradeOptions, grade
from autograder.paths import REPO_ROOT
from tests.support import solved_notebook

NAME, FOLDER, NOTEBOOK = "activations", "01_activations", "activations.ipynb"
SEED = 20240601
WRONG_RELU = "def relu(x):\n    import numpy as np\n    return np.asarray(x, dtype=float)  # forgot max(0, x)\n"

pytestmark = pytest.mark.skipif(
    not (REPO_ROOT / "solutions" / FOLDER / "activations.py").is_file(),
    reason="the reference solution of activations is not written yet",
)


def as_student(classroom, student: str, home: Path) -> Config:
    """A student's own nbgrader settings: same exchange and course, their id and home folder."""
    config = Config()
    config.Exchange.root = str(classroom.exchange)
    config.Exchange.cache = str(home / ".nbgrader_cache")
    config.Exchange.assignment_dir = str(home)
    config.CourseDirectory.course_id = classroom.course_id
    config.CourseDirectory.student_id = student
    config.CourseDirectory.root = str(home)
    return config


def exchange_step(config: Config, step: str) -> None:
    """Run nbgrader's fetch_assignment or submit as the student (raises ExchangeError on failure)."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    factory = ExchangeFactory(config=config)
    app_class = {"fetch": factory.FetchAssignment, "submit": factory.Submit}[step]
    coursedir = CourseDirectory(config=config, assignment_id=FOLDER)
    app_class(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


def answer(notebook_path: Path, solution_file: Path, replace: dict[str, str]) -> None:
    """Write the reference answers into the fetched notebook's solution cells (some replaced)."""
    notebook = solved_notebook(solution_file, nbformat.read(notebook_path, as_version=4), replace)
    os.chmod(notebook_path, 0o644)
    nbformat.write(notebook, notebook_path)


def submit_class(classroom, homes: Path, answers: dict[str, dict[str, str]]) -> None:
    """Each student fetches the released assignment into homes/STUDENT, answers it (some cells replaced) and submits."""
    for student, replace in answers.items():
        home = homes / student
        home.mkdir(parents=True)
        config = as_student(classroom, student, home)
        exchange_step(config, "fetch")
        answer(home / FOLDER / NOTEBOOK, classroom.home / "solutions" / FOLDER / "activations.py", replace)
        exchange_step(config, "submit")


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as stream:
        return {row["student_id"]: row for row in csv.DictReader(stream) if row["assignment"] == FOLDER}


def test_full_round_gives_nbgrader_our_scores(course, tmp_path):
    """Do release, fetch, submit, collect, our grading, gradebook, feedback and export agree with grading directly?"""
    classroom = course
    due = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=36)
    outbound = release(classroom, NAME, due=due.isoformat())
    assert (outbound / NOTEBOOK).is_file() and (outbound / "activations.py").is_file()

    submit_class(classroom, tmp_path / "home", {"alice": {}, "bob": {"relu": WRONG_RELU}})
    from nbgrader.api import Gradebook

    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        gb.update_or_create_student("alice")
        gb.update_or_create_submission(FOLDER, "alice")
        gb.grant_extension(FOLDER, "alice", days=3)  # alice asked in time; bob did not

    options = GradeOptions(seed=SEED, language="en")
    report = collect_grade(classroom, NAME, RoundOptions(grading=options))
    assert [o.student for o in report.outcomes] == ["alice", "bob"]
    assert all(o.status == "graded" and not o.problem for o in report.outcomes), [o.problem for o in report.outcomes]

    direct = {
        s: grade(classroom.step_dir("submitted", NAME, s) / NOTEBOOK, NAME, config=classroom.config, options=options)
        for s in ("alice", "bob")
    }
    assert direct["alice"].score == direct["alice"].max_score == 10
    assert 0 < direct["bob"].score < 10
    assert {t.function for t in direct["bob"].tests if t.status != "passed"} <= {
        "test_relu_values",
        "test_relu_nonnegative",
    }

    rows = read_csv(report.csv)
    for student, result in direct.items():
        row = rows[student]
        assert round(float(row["raw_score"]), 4) == result.score
        assert round(float(row["max_score"]), 4) == result.max_score
    assert float(rows["alice"]["late_submission_penalty"] or 0) == 0
    assert float(rows["alice"]["score"]) == pytest.approx(direct["alice"].score)
    penalty = float(rows["bob"]["late_submission_penalty"])
    assert penalty == pytest.approx(round(0.2 * direct["bob"].score, 4))  # 1.5 days late: two days started, 10 % each
    assert float(rows["bob"]["score"]) == pytest.approx(direct["bob"].score - penalty)

    # The hidden tests never reach a notebook that students see or send (a public test of the same name,
    # which the notebook's set-up cell carries for a notebook opened alone, is public anyway).
    public = set(
        re.findall(r"^def (test_\w+)", (classroom.release_dir / FOLDER / "test_activations.py").read_text(), re.M)
    )
    hidden = {t.function for t in direct["alice"].tests} - public
    student_side = [
        *Path(classroom.exchange).rglob("*.ipynb"),
        *(tmp_path / "home").rglob("*.ipynb"),
        *(classroom.root / "submitted").rglob("*.ipynb"),
        *classroom.release_dir.rglob("*.ipynb"),
    ]
    assert student_side
    for path in student_side:
        text = path.read_text(encoding="utf-8")
        assert not [name for name in hidden if re.search(rf"\b{name}\b", text)], path

    # Feedback: nbgrader's HTML, holding our messages and nbgrader's late penalty.
    bob_html = report.outcomes[1].feedback.read_text(encoding="utf-8")
    failing = next(t for t in direct["bob"].tests if t.status != "passed")
    assert failing.output.en.splitlines()[0][:40].replace("<", "&lt;").replace(">", "&gt;") in bob_html
    assert "Late submission penalty" in bob_html
    assert f"(Score: {round(float(rows['bob']['score']), 2)} / " in bob_html  # nbgrader's own total, after the penalty
    ours = (
        report.outcomes[1].feedback.with_name("autograder-feedback.html").read_text(encoding="utf-8")
    )  # our page beside it
    assert 'id="student">bob<' in ours and str(markupsafe.escape(failing.output.en.splitlines()[0][:40])) in ours
    # nbgrader hands students only its own page: ours travels inside it, whole, in a sandboxed frame
    frame = re.search(r'<iframe title="[^"]*" sandbox="" [^>]*srcdoc="([^"]*)"', bob_html)
    assert frame and html.unescape(frame.group(1)) == ours

    # `nbgrader export` from the unedited nbgrader_config.py gives the same CSV.
    nbgrader_csv = tmp_path / "nbgrader-export.csv"
    subprocess.run(
        [str(Path(sys.executable).with_name("nbgrader")), "export", "--to", str(nbgrader_csv)],
        cwd=classroom.home,
        check=True,
        capture_output=True,
        env={**os.environ, "AUTOGRADER_EXCHANGE": str(classroom.exchange)},
    )
    assert read_csv(nbgrader_csv) == rows

    # Releasing again (a README fix) keeps the graded gradebook; a second run grades nothing again.
    release(classroom, NAME)
    pages = {o.student: o.feedback for o in report.outcomes}
    written = {student: page.stat().st_mtime_ns for student, page in pages.items()}
    again = collect_grade(classroom, NAME, RoundOptions(grading=options))
    assert [o.status for o in again.outcomes] == ["kept", "kept"]
    assert read_csv(again.csv) == rows
    assert {student: page.stat().st_mtime_ns for student, page in pages.items()} == written  # nothing rewritten

    # An extension granted afterwards rewrites bob's entry and page only, and removes his penalty.
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        gb.grant_extension(FOLDER, "bob", days=3)
    extended = collect_grade(classroom, NAME, RoundOptions(grading=options))
    assert [o.status for o in extended.outcomes] == ["kept", "kept"]
    assert pages["alice"].stat().st_mtime_ns == written["alice"] and pages["bob"].stat().st_mtime_ns != written["bob"]
    assert float(read_csv(extended.csv)["bob"]["late_submission_penalty"] or 0) == 0
    with nbgrader_environment(), Gradebook(classroom.db_url, classroom.course_id) as gb:
        gb.grant_extension(FOLDER, "bob", days=0)  # as before, for the checks below
    assert read_csv(collect_grade(classroom, NAME, RoundOptions(grading=options)).csv) == rows

    # The same two notebooks downloaded from an LMS, through nbgrader's zip_collect.
    lms = open_classroom(classroom.config.source, root=tmp_path / "lms-course", exchange=classroom.exchange)
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(classroom.step_dir("submitted", NAME, "alice") / NOTEBOOK, "alice_1001_9001_activations.ipynb")
        bundle.write(classroom.step_dir("submitted", NAME, "bob") / NOTEBOOK, "bob_LATE_1002_9002_activations-1.ipynb")
    from_lms = collect_grade(lms, NAME, RoundOptions(archives=(archive,), grading=options))
    lms_rows = read_csv(from_lms.csv)
    assert {s: round(float(r["raw_score"]), 4) for s, r in lms_rows.items()} == {s: r.score for s, r in direct.items()}
    bob = next(o for o in from_lms.outcomes if o.student == "bob")
    assert any("activations-1.ipynb" in note.en for note in bob.result.notes)
