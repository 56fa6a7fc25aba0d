"""Every byte a student hands in is hostile: links, pipes, odd names, huge files and escape codes.

A class folder is built at run time the way a dishonest (or merely unlucky) class would
leave it, then graded through the real command line: `grade-all` for the class (under a
peak-memory probe, with a time limit that a hang would break), `grade` in a pseudo-terminal
for the escape codes, and `collect-grade` for the nbgrader round, whose feedback page is
opened in Chromium. Each hand-in must get the score it deserves and one clear message; no
output may hold the hidden suite, the grader's environment, /etc/shadow or the test
labels; the rest of the class is graded; nothing hangs.
"""

from __future__ import annotations

import csv
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.intake import MAX_DEPTH
from autograder.paths import REPO_ROOT
from tests.support import solved_notebook

SOLUTION = REPO_ROOT / "solutions" / "01_activations" / "activations.py"
RELEASED = REPO_ROOT / "assignments" / "01_activations"
SUITE = REPO_ROOT / "solutions" / "01_activations" / "hidden" / "test_activations.py"
LABELS = REPO_ROOT / "datasets" / "home" / "fashion-mnist" / "t10k-labels-idx1-ubyte"
CANARY = "CANARY-4f1d9e-grader-environment"  # put into the grader's environment: never in any output
PLANTED = ("suite.py", "environ.txt", "shadow.py", "labels.py", "zero.py", "dangling.py")
LONG_ID = "k" * 250
MEMORY_LIMIT_KB = 1 << 20  # 1 GB: the grader's peak, a 4 GB file in the class notwithstanding

pytestmark = pytest.mark.skipif(
    not SOLUTION.is_file(), reason="the reference solution of activations is not written yet"
)


def correct_source() -> str:
    return re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION\n", "", SOLUTION.read_text(encoding="utf-8"), flags=re.MULTILINE)


# A correct module that, when imported, fails loudly with the content of any planted file the sandbox holds.
SNOOP = """
import os as _os
for _name in {planted!r}:
    if _os.path.lexists(_name):
        with open(_name, "rb") as _f:
            raise RuntimeError("STAGED " + _name + ": " + _f.read(4000).decode("latin-1"))
"""


def forbidden_texts() -> list[str]:
    texts = [CANARY]
    suite_lines = [line.strip() for line in SUITE.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40]
    texts += suite_lines[:3]
    if os.access("/etc/shadow", os.R_OK):
        texts.append(Path("/etc/shadow").read_text().splitlines()[0])
    return texts


def make_deep(folder: Path, depth: int) -> None:
    """`depth` nested folders, made through directory descriptors (the path is longer than PATH_MAX)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        os.close(os.open("activations.py", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    finally:
        os.close(fd)


def remove_deep(folder: Path) -> None:
    """Undo make_deep one level at a time (shutil.rmtree, and so pytest's clean-up, recurses past Python's limit)."""
    current, step = folder / "d", 0
    while current.is_dir():
        step += 1
        following = folder / f"up{step}"
        if (current / "d").is_dir():
            os.rename(current / "d", following)
        shutil.rmtree(current)
        current = following


def build_class(root: Path) -> dict[str, tuple[str, str]]:
    """The class folder under root/class; returns {student id: (expected score, message fragment)}."""
    room = root / "class"
    room.mkdir()
    good = correct_source()
    stub = (RELEASED / "activations.py").read_text(encoding="utf-8")
    expected: dict[str, tuple[str, str]] = {}

    def folder(name: str, files: dict[str, str] | None = None) -> Path:
        path = room / name
        path.mkdir()
        for file, text in (files or {}).items():
            (path / file).write_text(text, encoding="utf-8")
        return path

    # A link to the reference through the grader's own working directory: 10/10 before, 0 now.
    sol = folder("sol_link", {"activations.py": stub + "\nfrom helper import *\n"})
    (sol / "helper.py").symlink_to("/proc/self/cwd/solutions/01_activations/activations.py")
    expected["sol_link"] = ("zero", "helper.py is a link")
    # Links to what the sandbox must never hold; the module itself is correct and reports anything staged.
    leaky = folder("leaky", {"activations.py": good + SNOOP.format(planted=PLANTED)})
    targets = {
        "suite.py": SUITE,
        "environ.txt": "/proc/self/environ",
        "shadow.py": "/etc/shadow",
        "labels.py": LABELS,
        "zero.py": "/dev/zero",
        "dangling.py": "/nonexistent/nothing.py",
    }
    for name, target in targets.items():
        (leaky / name).symlink_to(target)
    expected["leaky"] = ("full", "is a link")
    # The graded file, or the student's whole entry, is a link.
    (room / "linked_file.py").symlink_to(SOLUTION)
    expected["linked_file"] = ("zero", "is a link")
    (room / "linked_dir").symlink_to(SOLUTION.parent)
    expected["linked_dir"] = ("zero", "is a link")
    inner = folder("linked_inner")
    (inner / "activations.py").symlink_to(SOLUTION)
    expected["linked_inner"] = ("zero", "is a link")
    # A hard link to a file outside the hand-in (a copy of the reference stands in for the solution's inode).
    outside = root / "outside.py"
    outside.write_text(good, encoding="utf-8")
    hard = folder("hard_link")
    os.link(outside, hard / "activations.py")
    expected["hard_link"] = ("zero", "hard link")
    # Odd files beside correct work: a FIFO, a folder named like a module, a name that is not UTF-8, a deep tree.
    fifo = folder("fifo", {"activations.py": good})
    os.mkfifo(fifo / "data.py")
    expected["fifo"] = ("full", "not an ordinary file")
    os.mkfifo(room / "pipe.py")
    expected["pipe"] = ("zero", "not an ordinary file")
    folder("dir_py", {"activations.py": good})
    (room / "dir_py" / "helper.py").mkdir()
    expected["dir_py"] = ("full", "")
    odd = folder("odd_name", {"activations.py": good})
    (odd / os.fsdecode(b"\xff\xfe.py")).write_bytes(b"x = 1\n")
    expected["odd_name"] = ("full", "not valid text")
    (room / os.fsdecode(b"kim\xff")).mkdir()
    (room / os.fsdecode(b"kim\xff") / "activations.py").write_text(good, encoding="utf-8")
    expected["kim_"] = ("full", "")
    deep = folder("deep", {"activations.py": good})
    make_deep(deep, 1500)
    expected["deep"] = ("full", f"more than {MAX_DEPTH} levels")
    # A 4 GB sparse activations.py beside the student's solved notebook: the notebook is graded, nothing read whole.
    sparse = folder("sparse")
    released = nbformat.read(RELEASED / "activations.ipynb", as_version=4)
    nbformat.write(solved_notebook(SOLUTION, released), sparse / "activations.ipynb")
    with open(sparse / "activations.py", "wb") as stream:
        stream.truncate(4 << 30)
    expected["sparse"] = ("full", "over 5 MB")
    # Ids: two that sanitise alike, one that starts with _, one named like the class report, one very long.
    folder("a b", {"activations.py": good})
    folder("a_b", {"activations.py": stub})
    expected["a_b"] = ("zero", "")
    folder("_lee", {"activations.py": good})
    expected["_lee"] = ("full", "")
    folder("report", {"activations.py": stub})
    folder(LONG_ID, {"activations.py": good})
    # A name made to be a spreadsheet formula, and an exception message made to drive a terminal.
    formula = folder("formula")
    nbformat.write(solved_notebook(SOLUTION, released), formula / "=1+2.ipynb")
    expected["formula"] = ("full", "=1+2.ipynb")
    folder("escapes", {"activations.py": good + ESCAPES})
    expected["escapes"] = ("partial", "")
    return expected


ESCAPES = """
def relu(x):
    raise ValueError("\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[H[/]\\nScore: 10 / 10 [bold red]fake[/bold red]\\u202e")
"""


def run_measured(argv: list[str], *, timeout: float, cwd: Path = REPO_ROOT) -> tuple[subprocess.CompletedProcess, int]:
    """Run the command line and return it with the peak resident memory (KB) of it and everything it waited for."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:])\n"
        "sys.stderr.write('\\nPEAK_KB=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n"
    )
    env = {**os.environ, "AUTOGRADER_TEST_CANARY": CANARY, "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="replace",
    )
    peak = int(re.search(r"PEAK_KB=(\d+)", done.stderr).group(1))
    return done, peak


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    expected = build_class(root)
    out = root / "out"
    started = time.monotonic()
    try:
        done, peak = run_measured(
            [
                sys.executable,
                "-m",
                "autograder.cli",
                "grade-all",
                str(root / "class"),
                "-a",
                "activations",
                "-o",
                str(out),
                "-w",
                "2",
                "--language",
                "en",
            ],
            timeout=900,
        )
    finally:  # 1,500 levels would break pytest's own clean-up (and any os.walk over /tmp) later
        remove_deep(root / "class" / "deep")
    seconds = time.monotonic() - started
    results = {}
    for path in out.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "student" in data:
            results[data["student"]] = (path, data)
    return {
        "root": root,
        "out": out,
        "done": done,
        "peak_kb": peak,
        "seconds": seconds,
        "results": results,
        "expected": expected,
    }


def everything_written(out: Path, done: subprocess.CompletedProcess) -> str:
    texts = [done.stdout, done.stderr]
    for path in out.rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(texts)


def test_the_whole_class_is_graded_in_bounded_memory(graded_class):
    """Does grade-all finish, write a gradebook and grade every hand-in, with the grader's peak memory under 1 GB?"""
    done = graded_class["done"]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (graded_class["out"] / "gradebook.csv").is_file()
    assert set(graded_class["expected"]) <= set(graded_class["results"]), sorted(graded_class["results"])
    assert len(graded_class["results"]) == 20, sorted(graded_class["results"])
    assert graded_class["peak_kb"] < MEMORY_LIMIT_KB, f"peak {graded_class['peak_kb'] / 1024:.0f} MB"


@pytest.mark.parametrize(
    "student",
    [
        "sol_link",
        "leaky",
        "linked_file",
        "linked_dir",
        "linked_inner",
        "hard_link",
        "fifo",
        "pipe",
        "dir_py",
        "odd_name",
        "kim_",
        "deep",
        "sparse",
        "a_b",
        "_lee",
        "formula",
    ],
)
def test_each_hand_in_gets_its_score_and_one_clear_message(graded_class, student):
    """Does each odd hand-in score what its own work deserves, and say in a sentence what was left out?"""
    want, fragment = graded_class["expected"][student]
    _, result = graded_class["results"][student]
    score, maximum = result["score"], result["max_score"]
    assert {"zero": score == 0, "full": score == maximum, "partial": 0 < score < maximum}[want], (
        student,
        score,
        result["errors"],
        result["notes"],
    )
    said = " ".join(text["en"] for text in result["errors"] + result["notes"]) + " " + result["graded_file"]
    assert fragment in said, (student, said)


def test_nothing_outside_a_hand_in_reaches_any_output(graded_class):
    """Do the hidden suite, the grader's environment, /etc/shadow and the planted files stay out of every output?"""
    written = everything_written(graded_class["out"], graded_class["done"])
    for text in forbidden_texts():
        assert text not in written, text[:60]
    assert "STAGED" not in written


def test_ids_are_distinct_and_never_the_class_files(graded_class):
    """Are `a b` and `a_b` two results, `report` kept apart from the class report, and a 250-character id stored?"""
    results = graded_class["results"]
    spaced = [student for student in results if student.startswith("a_b-")]
    assert len(spaced) == 1 and results[spaced[0]][1]["score"] == results[spaced[0]][1]["max_score"]
    assert "recorded as" in " ".join(note["en"] for note in results[spaced[0]][1]["notes"])
    assert results["a_b"][1]["score"] == 0
    reported = [student for student in results if student.startswith("report-")]
    assert len(reported) == 1 and "class file" in " ".join(note["en"] for note in results[reported[0]][1]["notes"])
    long = [student for student in results if student.startswith("kkkk")]
    assert len(long) == 1 and len(results[long[0]][0].name) < 100
    done = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "report", str(graded_class["out"])],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "class report of 20 results" in done.stdout.replace("\n", " "), done.stdout  # _lee and report- included


def test_no_spreadsheet_cell_is_a_formula(graded_class):
    """Is a graded file named =1+2.ipynb written to gradebook.csv as text a spreadsheet will not run?"""
    with open(graded_class["out"] / "gradebook.csv", newline="", encoding="utf-8") as stream:
        cells = [cell for row in csv.reader(stream) for cell in row]
    assert "'=1+2.ipynb" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")], [c for c in cells if c[:1] in ("=", "+", "@")]


def test_no_control_characters_reach_results_or_the_batch_output(graded_class):
    """Does the student's escape-laden exception arrive as plain text in the JSON, the page and the terminal?"""
    _, result = graded_class["results"]["escapes"]
    relu = " ".join(t["output"]["en"] for t in result["tests"] if "relu" in t["name"])
    assert "Score: 10 / 10" in relu and "\x1b" not in relu and "\x07" not in relu and "\u202e" not in relu
    written = everything_written(graded_class["out"], graded_class["done"])
    assert "\x1b]0;" not in written and "\x07" not in written


def test_grade_in_a_terminal_prints_student_text_as_text(tmp_path):
    """Run `grade` in a pseudo-terminal: no title change, no screen clear, and Rich markup shown as written."""
    student = tmp_path / "escapes"
    student.mkdir()
    (student / "activations.py").write_text(correct_source() + ESCAPES, encoding="utf-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", "grade", str(student), "-a", "activations", "--language", "en"],
        cwd=REPO_ROOT,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
        close_fds=True,
    )
    os.close(follower)
    screen = bytearray()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            screen += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=60) == 0
    text = screen.decode("utf-8", errors="replace")
    assert "relu" in text and "[/]" in text and "[bold red]fake" in text, text[-2000:]
    assert "\x1b]" not in text and "\x07" not in text and "\x1b[2J" not in text and "\x1b[H" not in text
    assert "\u202e" not in text


def test_collect_grade_survives_hostile_hand_ins_and_its_pages_run_no_student_script(course, tmp_path):
    """collect-grade with a linked helper, a [/] error and an <img onerror> in markdown: all graded, the round
    ends with its table, and nbgrader's feedback page runs nothing the student wrote (checked in Chromium)."""
    from autograder.classroom.release import release

    classroom = course
    release(classroom, "activations")
    released = nbformat.read(classroom.release_dir / "01_activations" / "activations.ipynb", as_version=4)
    good = solved_notebook(SOLUTION, released)

    def submit(student: str) -> Path:
        folder = classroom.step_dir("submitted", "activations", student)
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2024-03-01 12:00:00.000000 UTC")
        return folder

    linked = submit("linked")
    (linked / "activations.py").write_text((RELEASED / "activations.py").read_text() + "\nfrom helper import *\n")
    (linked / "helper.py").symlink_to(SOLUTION)
    markup = submit("markup")
    broken = nbformat.v4.new_notebook(cells=[*good.cells, nbformat.v4.new_code_cell('raise ValueError("[/] [bold]x")')])
    nbformat.write(broken, markup / "activations.ipynb")
    html = submit("html")
    script = "<img src=x onerror=\"document.title='PWNED'; window.pwned = 1\">\n\n<script>window.pwned = 2</script>"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(script), *good.cells]), html / "activations.ipynb"
    )
    stamp = submit("stamp")
    nbformat.write(good, stamp / "activations.ipynb")
    (stamp / "timestamp.txt").unlink()
    os.mkfifo(stamp / "timestamp.txt")  # nbgrader's file, replaced by a pipe: must not stall the round
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder.cli",
            "--config",
            str(classroom.config.source),
            "collect-grade",
            "activations",
            "--no-collect",
            "--course-root",
            str(classroom.root),
            "--language",
            "en",
        ],
        cwd=classroom.config.source.parent,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "[/] [bold]x" in done.stdout and "Traceback" not in done.stdout + done.stderr
    for student in ("linked", "markup", "html", "stamp"):
        assert student in done.stdout
    feedback = classroom.step_dir("feedback", "activations", "html") / "activations.html"
    assert "<script>window.pwned" not in feedback.read_text(encoding="utf-8")
    from tests.browser import chromium_driver, look_at

    driver = chromium_driver()
    try:
        shown = look_at(driver, feedback.resolve().as_uri(), "hostile-nbgrader-feedback")
        pwned = driver.execute_script(
            "return [document.title, window.pwned || 0, document.querySelectorAll('[onerror]').length]"
        )
    finally:
        driver.quit()
    assert pwned[0] != "PWNED" and pwned[1] == 0 and pwned[2] == 0, pwned
    assert shown.text
