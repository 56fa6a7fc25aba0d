"""Does honest breakage get one clear message and a fair score, and nothing worse?"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import nbformat
import psutil
import pytest

from autograder.batch import grade_all
from autograder.config import load_config
from autograder.errors import InstructorError
from autograder.grading import GradeOptions
from autograder.paths import REPO_ROOT
from tests.support import CORRECT_DEMO, DEMO_CONFIG, SLOW_DEMO, failed_functions, grade_file, inside_slow_square

CORRECT = CORRECT_DEMO
ALL = {"test_square_values", "test_square_scalar", "test_mean", "test_softmax_stable"}


def write(tmp_path, source: str | bytes, name: str = "demo.py"):
    path = tmp_path / name
    if isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(textwrap.dedent(source))
    return path


def grade_source(tmp_path, source, **kwargs):
    return grade_file(write(tmp_path, source), "demo", config=DEMO_CONFIG, **kwargs)


def test_correct_submission_gets_full_marks(tmp_path):
    """Does a correct submission score 10/10 and say which isolation was used?"""
    result = grade_source(tmp_path, CORRECT)
    assert result.score == result.max_score == 10
    assert result.isolation


def test_subprocess_isolation_also_grades(tmp_path):
    """Does the fallback without bubblewrap grade the same and say it is weaker?"""
    result = grade_source(tmp_path, CORRECT, isolation="subprocess")
    assert result.score == 10
    assert result.isolation.startswith("subprocess")


@pytest.mark.parametrize(
    "source, phrase",
    [
        ("def square(x):\n    return x **\n", "SyntaxError"),
        ("import numpy as np\nimport tensorflow_not_installed_anywhere\n", "ModuleNotFoundError"),
        ("raise RuntimeError('boom at import')\n", "boom at import"),
        ("import time\ntime.sleep(60)\n", "longer than 10 s allows"),
        (b"label = '\xff\xfe'\ndef square(x):\n    return x\n", "SyntaxError"),
    ],
)
def test_unimportable_submission_scores_zero_with_one_message(tmp_path, source, phrase):
    """Is a submission that cannot be imported given 0 and one message naming why?"""
    result = grade_source(tmp_path, source)
    assert result.score == 0
    assert len(result.errors) == 1 and phrase in result.errors[0].en, result.errors
    assert all(t.cause == "import" for t in result.tests)


@pytest.mark.parametrize(
    "broken, failing, phrase",
    [
        ("def square(x):\n    while True:\n        pass\n", {"test_square_values", "test_square_scalar"}, "time limit"),
        ("def square(x):\n    return np.ones(10**10)\n", {"test_square_values", "test_square_scalar"}, "memory"),
        # many buffers up to the limit; bytes() is zero pages the kernel hands out untouched, so the limit is reached at once
        # (writing 1 GB first can take longer than the demo's 3 s call limit on a machine short of free memory)
        (
            "def square(x):\n    blob = [bytes(10**8) for _ in range(100)]\n    return x\n",
            {"test_square_values", "test_square_scalar"},
            "memory",
        ),
        ("def square(x):\n    print('x' * 50_000_000)\n    return np.asarray(x, dtype=float) ** 2\n", set(), ""),
        (
            "import sys\ndef square(x):\n    sys.stdout.buffer.write(b'\\xff\\xfe\\x00' * 1000)\n    return np.asarray(x, dtype=float) ** 2\n",
            set(),
            "",
        ),
        ("def square(x):\n    return np.asarray(x, dtype=float).T ** 2\n", {"test_square_values"}, "shape"),
        (
            "def square(x):\n    return np.asarray(x, dtype=float) * np.nan\n",
            {"test_square_values", "test_square_scalar"},
            "NaN",
        ),
        ("def square(x):\n    return None\n", {"test_square_values", "test_square_scalar"}, "forget a `return`"),
        ("def square(x):\n    return 'nine'\n", {"test_square_values", "test_square_scalar"}, "not numbers"),
        (
            "def square(x):\n    raise NotImplementedError\n",
            {"test_square_values", "test_square_scalar"},
            "not implemented",
        ),
        ("def squared(x):\n    return x\n", {"test_square_values", "test_square_scalar"}, "no function named square"),
    ],
)
def test_broken_function_loses_only_its_own_tests(tmp_path, broken, failing, phrase):
    """Does one broken function cost its own tests, with a message naming the problem?"""
    source = CORRECT.replace("def square(x):\n    return np.asarray(x, dtype=float) ** 2\n", textwrap.dedent(broken))
    result = grade_source(tmp_path, source)
    assert failed_functions(result) == failing, [t.output for t in result.tests]
    outputs = " ".join(t.output.en for t in result.tests if t.status != "passed")
    assert phrase in outputs
    assert not result.internal_errors


def test_same_submission_graded_twice_gets_same_score(tmp_path):
    """Is grading reproducible, with fresh random inputs each run?"""
    source = CORRECT.replace("return float(np.mean(x))", "return float(np.mean(x)) if len(x) < 50 else 0.0")
    first, second = grade_source(tmp_path, source), grade_source(tmp_path, source)
    assert first.score == second.score
    assert [t.status for t in first.tests] == [t.status for t in second.tests]
    assert first.seed != second.seed


def test_notebook_cells_graded_after_a_broken_cell(tmp_path):
    """Are magics dropped and later cells graded when one notebook cell raises?"""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Demo"),
        nbformat.v4.new_code_cell("%matplotlib inline\n!pip install nothing\nimport numpy as np"),
        nbformat.v4.new_code_cell("def square(x):\n    return np.asarray(x, dtype=float) ** 2"),
        nbformat.v4.new_code_cell("undefined_name + 1"),
        nbformat.v4.new_code_cell("%%bash\necho hi"),
        nbformat.v4.new_code_cell(
            CORRECT.split("def mean")[0].replace("import numpy as np", "") + "def mean" + CORRECT.split("def mean")[1]
        ),
    ]
    path = tmp_path / "demo.ipynb"
    nbformat.write(notebook, path)
    result = grade_file(path, "demo", config=DEMO_CONFIG)
    assert result.score == 10, [t.output for t in result.tests]
    assert any("cell 3" in note.en and "NameError" in note.en for note in result.notes), result.notes


def test_broken_notebook_gets_a_clear_message(tmp_path):
    """Is a notebook that is not JSON reported as unreadable, with a score of 0?"""
    path = write(tmp_path, "{ this is not json", name="demo.ipynb")
    result = grade_file(path, "demo", config=DEMO_CONFIG)
    assert result.score == 0
    assert "not a readable Jupyter notebook" in result.errors[0].en


def test_feedback_in_korean(tmp_path):
    """Is feedback given in Korean when the course language is ko?"""
    result = grade_source(tmp_path, CORRECT.replace("** 2", "* 2"), language="ko")
    rendered = result.to_gradescope()  # what the student reads: the result's language picked from both
    assert result.language == "ko" and "틀렸습니다" in " ".join(test["output"] for test in rendered["tests"])


def test_grade_all_isolates_students_and_resumes(tmp_path):
    """Does one student's disaster leave others intact, and does a rerun keep finished work?"""
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    write(submissions, CORRECT, name="alice.py")
    (submissions / "bob").mkdir()
    write(submissions / "bob", "import os\nos.kill(os.getppid(), 9)\nwhile True:\n    pass\n", name="demo.py")
    write(submissions, "def square(x) return x", name="carol.py")
    out = tmp_path / "out"
    config = load_config(DEMO_CONFIG)
    first = {
        r.student: r
        for r in grade_all(submissions, "demo", out, workers=2, config=config, options=GradeOptions(language="en"))
    }
    assert first["alice"].score == 10
    assert first["bob"].score == 0 and first["carol"].score == 0
    assert "SyntaxError" in first["carol"].errors[0].en
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert rows[0].startswith("student,assignment,score") and len(rows) == 4
    assert not list(out.glob(".*.tmp"))

    alice_json = (out / "alice.json").read_text()
    (out / "carol.json").unlink()  # as if the run had been interrupted before carol
    second = {
        r.student: r for r in grade_all(submissions, "demo", out, config=config, options=GradeOptions(language="en"))
    }
    assert (out / "alice.json").read_text() == alice_json
    assert second["carol"].score == 0 and (out / "carol.json").exists()
    assert json.loads(alice_json)["seed"] == second["alice"].seed


def run_cli(*args, cwd=REPO_ROOT):
    return subprocess.run([sys.executable, "-m", "autograder.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_exit_codes(tmp_path):
    """Is exit 0 a verdict whatever the score, and exit 2 a grader problem in one sentence?"""
    wrong = write(tmp_path, "def square(x) return x")
    verdict = run_cli(
        "--config",
        str(DEMO_CONFIG),
        "grade",
        str(wrong),
        "-a",
        "demo",
        "--json",
        str(tmp_path / "r.json"),
        "--gradescope",
        str(tmp_path / "results.json"),
    )
    assert verdict.returncode == 0, verdict.stderr
    gradescope = json.loads((tmp_path / "results.json").read_text())
    assert gradescope["score"] == 0 and {"name", "score", "max_score", "status", "output", "visibility"} <= set(
        gradescope["tests"][0]
    )
    assert "internal_errors" not in json.dumps(gradescope)

    unknown = run_cli("--config", str(DEMO_CONFIG), "grade", str(wrong), "-a", "nope")
    assert (
        unknown.returncode == 2
        and "no assignment 'nope'" in unknown.stdout
        and "Traceback" not in unknown.stdout + unknown.stderr
    )


def test_a_slow_top_level_line_of_a_py_is_named_and_what_came_before_is_graded(tmp_path):
    """A .py whose last top-level line sleeps past the import time: that line is named, the functions above it graded."""
    result = grade_source(tmp_path, CORRECT + "\nimport time\ntime.sleep(60)\n")
    assert result.score == 10, [t.output for t in result.tests if t.status != "passed"]
    note = " ".join(note.en for note in result.notes)
    assert "was stopped after" in note and "lines after it were not run" in note, result.notes


def _judges_of(pid: int) -> list[psutil.Process]:
    found = []
    for proc in psutil.Process(pid).children(recursive=True):
        try:
            if "autograder.engine.judge" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def test_a_grader_stopped_by_sigterm_leaves_no_judge_or_sandbox_behind(tmp_path):
    """`kill PID` of `autograder grade` (a scheduler's time limit, say) ends its judge and the student's process too."""
    (tmp_path / "demo.py").write_text(SLOW_DEMO.replace("time.sleep(2)", "time.sleep(120)"), encoding="utf-8")
    demo = DEMO_CONFIG.read_text(encoding="utf-8")  # the demo course with time for a long call, read from tmp_path
    demo = demo.replace("call_time = 3\n", "call_time = 300\n").replace("wall_time = 60\n", "wall_time = 600\n")
    demo = demo.replace(
        'data_home = "../../datasets/home"', f"data_home = {str(DEMO_CONFIG.parent / '../../datasets/home')!r}"
    )
    demo = demo.replace('suite = "suite"', f"suite = {str(DEMO_CONFIG.parent / 'suite')!r}")
    assert "call_time = 300" in demo and str(DEMO_CONFIG.parent) in demo
    (tmp_path / "grading.toml").write_text(demo, encoding="utf-8")
    grader = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "autograder.cli",
            "--config",
            str(tmp_path / "grading.toml"),
            "grade",
            str(tmp_path / "demo.py"),
            "-a",
            "demo",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            if inside_slow_square():
                break
            time.sleep(0.1)
        assert inside_slow_square(), "the slow square() never started"
        judges = _judges_of(grader.pid)
        assert judges
        time.sleep(1)
        grader.send_signal(signal.SIGTERM)
        grader.wait(timeout=30)
        for _ in range(50):
            if not inside_slow_square() and not any(map(_alive, judges)):
                break
            time.sleep(0.1)
        assert not inside_slow_square()
        assert not any(map(_alive, judges))
    finally:
        grader.kill()


CROWDS_ITS_OWN_IMPORT = (
    CORRECT_DEMO
    + """
import subprocess, sys
crowd = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(12)]
while True:  # the import's own thread now waits behind its twelve children
    pass
"""
)


def test_an_import_that_crowds_the_cpus_with_its_own_processes_still_runs_out_of_time(tmp_path):
    """Waiting behind its own children is the submission's doing: the import is stopped at its limit, never "overloaded"."""
    path = tmp_path / "demo.py"
    path.write_text(CROWDS_ITS_OWN_IMPORT, encoding="utf-8")
    started = time.monotonic()
    result = grade_file(path, "demo", config=DEMO_CONFIG, seed=8)
    assert not result.grader_failure, result.grader_failure
    assert any("10 s" in note.en and "Line" in note.en for note in result.notes), result.notes
    assert time.monotonic() - started < 120  # the demo's 10 s import, not the 10x backstop of a starved one


def test_demo_weights_come_from_its_settings(tmp_path):
    """Do the demo's [weights] (2 for two tests, 1 for the others) share its 10 points?"""
    result = grade_source(tmp_path, CORRECT_DEMO)
    shares = {t.name: t.max_score for t in result.tests}
    assert shares["test_square_values"] == shares["test_softmax_stable"] == 2 * shares["test_mean[1]"]


def test_a_weight_marker_in_a_hidden_suite_is_refused(tmp_path):
    """Is a @pytest.mark.weight refused, naming where weights are set, so that there is one way to set them?"""
    course = tmp_path / "course"
    shutil.copytree(DEMO_CONFIG.parent, course)
    suite = course / "suite" / "test_demo.py"
    suite.write_text(
        suite.read_text().replace("def test_softmax_stable", "@pytest.mark.weight(2)\ndef test_softmax_stable")
    )
    with pytest.raises(InstructorError, match=r"assignment.toml's \[weights\]"):
        grade_file(write(tmp_path, CORRECT_DEMO), "demo", config=course / "grading.toml")
