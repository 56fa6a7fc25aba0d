"""Feedback notebooks: the student's own cells plus our results, rendered by nbgrader.

nbgrader's generate_feedback reads the `autograded` step, which we write instead of its
in-kernel autograder: the graded notebook (or the graded .py, turned into a notebook)
with outputs cleared, our summary on top, and at the end one graded code cell per hidden
test (nbgrader's kind for autograder tests, so formgrader counts it under Code Score and
Tests failed?), its source naming the test and its output holding our verdict and
message. The scores are not in our text: nbgrader shows each cell's score from the
gradebook (gradebook.py wrote them; formgrader may have overridden them), and the total
in the summary is the gradebook's (totals.py rewrites it when the feedback is rendered).
Nothing of the hidden tests but their questions and our messages is written.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
from nbformat import NotebookNode, v4

from autograder.bilingual import say
from autograder.classroom.cell_ids import cell_ids
from autograder.classroom.course import Classroom, nbgrader_environment
from autograder.classroom.gradebook import Entry
from autograder.classroom.plug_ins import nbgrader_config
from autograder.classroom.totals import total_cell
from autograder.intake import read_regular
from autograder.results import SubmissionResult, TestResult
from autograder.submission import Pick, SubmissionError, read_notebook

TIMESTAMP_BYTES = 256  # nbgrader's timestamp.txt is one short line

_MARKS = {"passed": "✔", "failed": "✘", "timeout": "⏱", "error": "!", "not_run": "–"}


def write_autograded(
    classroom: Classroom,
    name: str,
    student: str,
    result: SubmissionResult,
    pick: Pick,
    solution_cells: set[str] = frozenset(),
    entry: Entry | None = None,
) -> Path:
    """autograded/STUDENT/NN_NAME/S.ipynb, ready for nbgrader's generate_feedback and formgrader.

    `entry` is the student's gradebook entry after our scores were recorded: its total heads the notebook.
    """
    language = result.language
    notebook = _student_notebook(pick, classroom, name, solution_cells)
    notebook.cells[0:0] = [
        total_cell(result.language, entry, (result.score, result.max_score)),
        _cell("autograder-summary", _summary(result, pick)),
    ]
    notebook.cells.append(_cell("autograder-tests", "## " + say("Test results", "테스트 결과").in_language(language)))
    ids = cell_ids(test.name for test in result.tests)
    for number, test in enumerate(result.tests, start=1):
        notebook.cells.append(_test_cell(f"autograder-test-{number:03d}", ids[test.name], test, language))
    target = classroom.step_dir("autograded", name, student)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    path = target / f"{classroom.notebook_id(name)}.ipynb"
    nbformat.write(notebook, path, version=4)
    stamp = submitted_stamp(classroom, name, student)
    if stamp is not None:
        (target / "timestamp.txt").write_bytes(stamp)
    # nbgrader's release_feedback names each page by a hash of this secret, which only the submitting student also holds
    secret = read_regular(classroom.step_dir("submitted", name, student) / "submission_secret.txt", TIMESTAMP_BYTES)
    if secret is not None:
        (target / "submission_secret.txt").write_bytes(secret)
    return path


def embed_page(nbgrader_page: Path, page: Path, language: str) -> None:
    """Put our feedback page (its plots included) inside nbgrader's, the only page nbgrader hands students.

    nbgrader's release_feedback and fetch_feedback carry one HTML file per submitted notebook,
    so our page travels inside it: an iframe whose document is the page itself, escaped into
    `srcdoc`, with `sandbox` set empty (no scripts, no forms, no access to the outer page).
    Our page is built from escaped text only; the sandbox makes that a second wall.
    """
    import html

    ours = page.read_text(encoding="utf-8")
    title = html.escape(
        say("The autograder's feedback page, with its plots", "자동 채점기의 피드백 페이지 (그래프 포함)").in_language(
            language
        )
    )
    block = (
        f'<section id="autograder-page" style="margin:2em auto;max-width:1100px"><h2>{title}</h2>'
        f'<iframe title="{title}" sandbox="" style="width:100%;height:90vh;border:1px solid #ccc;border-radius:6px" '
        f'srcdoc="{html.escape(ours, quote=True)}"></iframe></section>'
    )
    text = nbgrader_page.read_text(encoding="utf-8")
    end = text.rfind("</body>")
    text = text[:end] + block + text[end:] if end >= 0 else text + block
    nbgrader_page.write_text(text, encoding="utf-8")


def submitted_stamp(classroom: Classroom, name: str, student: str) -> bytes | None:
    """nbgrader's timestamp.txt of a submission, read through the intake: never a student's link or pipe in its place."""
    return read_regular(classroom.step_dir("submitted", name, student) / "timestamp.txt", TIMESTAMP_BYTES)


def generate_feedback(classroom: Classroom, name: str, student: str) -> Path:
    """nbgrader generate_feedback for one student; returns the HTML file."""
    from nbgrader.apps.api import NbGraderAPI

    with nbgrader_environment():
        outcome = NbGraderAPI(config=nbgrader_config(classroom)).generate_feedback(classroom.folder(name), student)
    html = classroom.step_dir("feedback", name, student) / f"{classroom.notebook_id(name)}.html"
    if not outcome["success"] or not html.is_file():
        text = (outcome.get("log") or "") + (outcome.get("error") or "")
        raise RuntimeError(
            f"nbgrader generate_feedback failed for {student}: {text.strip().splitlines()[-1:] or 'no log'}"
        )
    return html


def _student_notebook(pick: Pick, classroom: Classroom, name: str, solution_cells: set[str]) -> NotebookNode:
    """The graded file as a notebook, cleaned so nbgrader trusts none of the student's metadata."""
    notebook = None
    try:
        content = pick.read() if pick.file is not None else None
    except SubmissionError:
        content = None
    if content is not None and pick.file.suffix == ".ipynb":
        try:
            notebook = read_notebook(content)
        except Exception:
            notebook = None
    elif content is not None:
        from autograder.course.conversion import notebook_from_percent

        try:
            notebook = notebook_from_percent(content.decode("utf-8-sig", errors="replace"))
        except Exception:
            notebook = None
    if notebook is None:
        notebook = v4.new_notebook()
    released = classroom.release_dir / classroom.folder(name) / f"{classroom.notebook_id(name)}.ipynb"
    metadata = {}
    if released.is_file():
        metadata = dict(nbformat.read(released, as_version=4).metadata)
    clean = v4.new_notebook(metadata=metadata)
    seen: set[str] = set()
    for number, cell in enumerate(notebook.cells, start=1):
        kind = cell.get("cell_type")
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if kind == "code":
            new = v4.new_code_cell(source)
        elif kind == "markdown":
            new = v4.new_markdown_cell(source)
        else:
            new = v4.new_raw_cell(source)
        new.id = f"student-{number:03d}"
        grade_id = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")
        if kind == "code" and grade_id in solution_cells and grade_id not in seen:
            seen.add(grade_id)  # keeps formgrader's comment box on the student's answer
            new.metadata["nbgrader"] = {
                "grade": False,
                "solution": True,
                "locked": False,
                "grade_id": grade_id,
                "schema_version": 3,
            }
        clean.cells.append(new)
    return clean


def _summary(result: SubmissionResult, pick: Pick) -> str:
    """Which file was graded and why, and anything that stopped the grader: never a score (see totals.py)."""
    language, lines = result.language, []
    if pick.name is not None:
        lines += [say(f"Graded file: `{pick.name}`", f"채점한 파일: `{pick.name}`").in_language(language), ""]
    for text in [*result.errors, *result.notes]:  # the notes start with why this file was graded
        lines += [_fenced(text.in_language(language)), ""]
    lines.append(
        say(
            "The result of every test is at the end of this notebook.", "테스트별 결과는 이 노트북의 맨 끝에 있습니다."
        ).in_language(language)
    )
    return "\n".join(lines)


_STATUS = {
    "passed": ("passed", "통과"),
    "failed": ("failed", "실패"),
    "timeout": ("time limit reached", "시간 초과"),
    "error": ("error", "오류"),
    "not_run": ("not run", "실행되지 않음"),
}


def _test_cell(number_id: str, grade_id: str, test: TestResult, language: str) -> NotebookNode:
    """A locked autograder-test code cell: the test's question as a comment, our verdict as its output."""
    question = " ".join((test.description.in_language(language) or test.name).split())
    source = f"# {question}" if question == test.name else f"# {question}\n# {test.name}"
    status = say(*_STATUS.get(test.status, (test.status, test.status))).in_language(language)
    verdict = f"{_MARKS.get(test.status, '?')} {status}"
    if test.status != "passed" and test.output:
        verdict += "\n\n" + test.output.in_language(language)
    cell = v4.new_code_cell(source, outputs=[v4.new_output("stream", name="stdout", text=verdict + "\n")])
    cell.id = number_id
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": grade_id,
        "points": test.max_score,
        "schema_version": 3,
    }
    return cell


def _fenced(text: str) -> str:
    """A message as a code block: shown as written, never read as markdown or HTML."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _cell(cell_id: str, source: str) -> NotebookNode:
    cell = v4.new_markdown_cell(source)
    cell.id = cell_id
    return cell
