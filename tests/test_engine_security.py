"""Can a submission raise its own score, see hidden tests, or outlive its grading?

Each case is a real submission file of the demo assignment (square, mean, softmax) that
tries one trick while computing wrong answers, and answers `square` right only if the
trick worked. The trick must not help: the submission keeps the score its honest answers
deserve, and the grader and other files stay intact. CI runs this file twice: as root
(a uid of the child's own) and as an ordinary user (rootless bubblewrap, the grader's own
uid), see tests/test_as_ordinary_user.py.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from autograder.config import load_config
from autograder.paths import REPO_ROOT
from tests.support import COURSE_CONFIG, DEMO_CONFIG, HONEST_REST, failed_functions, grade_file

SUITE = DEMO_CONFIG.parent / "suite" / "test_demo.py"
ALL_TESTS = {"test_square_values", "test_square_scalar", "test_mean", "test_softmax_stable"}
SQUARE_TESTS = {"test_square_values", "test_square_scalar"}
GRADER_PID = os.getpid()  # grade() runs in this process: the grader a submission would like to stop
HOME_SECRET = Path.home() / f".autograder-test-secret-{GRADER_PID}"
LABELS = [
    str(load_config(COURSE_CONFIG).data_home / "fashion-mnist" / "t10k-labels-idx1-ubyte"),
    "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz",
]
PROCESS_LIMIT = load_config(DEMO_CONFIG).limits.processes

# name -> (submission source, tests it must fail)
TRICKS = {
    "patches_numpy_comparisons": (
        """
import numpy as np
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, **k: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *a, **k: None
def square(x):
    return np.asarray(x, dtype=float) * 3 + 1
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "returns_object_equal_to_everything": (
        """
import numpy as np
class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
class AnyArray:
    def __eq__(self, other): return True
    def __array__(self, dtype=None, copy=None): return np.zeros(3)
def square(x):
    return AnyArray() if np.ndim(x) else Anything(0.0)
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "reads_expected_value_from_caller_frames": (
        """
import inspect, sys
import numpy as np
def square(x):
    for frame_info in inspect.stack():
        for name in ("expected", "reference", "want"):
            if name in frame_info.frame.f_locals:
                return frame_info.frame.f_locals[name]
    frame = sys._getframe()
    while frame is not None:
        if "expected" in frame.f_locals:
            return frame.f_locals["expected"]
        frame = frame.f_back
    return np.asarray(x, dtype=float) + 1
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "reads_hidden_tests_from_disk": (
        f"""
import numpy as np
def square(x):
    try:
        open({str(SUITE)!r}).read()
        return np.asarray(x, dtype=float) ** 2
    except OSError:
        return np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "exits_before_failure_is_recorded": (
        """
import os
import numpy as np
def square(x):
    os._exit(0)
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "raises_system_exit_and_keyboard_interrupt": (
        """
import numpy as np
def square(x):
    if np.ndim(x):
        raise SystemExit(0)
    raise KeyboardInterrupt
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "ignores_alarm_and_blocks_signals": (
        """
import signal
import numpy as np
signal.signal(signal.SIGALRM, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGALRM})
def square(x):
    while True:
        pass
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "reads_the_repository_checkout": (
        f"""
import os
import numpy as np
def square(x):
    found = [p for p in {[str(REPO_ROOT / name) for name in ("grading.toml", "solutions", "autograder", "tests", "README.md", ".git")]!r}
             if os.path.exists(p)]
    return np.asarray(x, dtype=float) ** 2 if found else np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "reads_the_instructors_home": (
        f"""
import os
import numpy as np
def square(x):
    try:
        open({str(HOME_SECRET)!r}).read()
        return np.asarray(x, dtype=float) ** 2
    except OSError:
        pass
    try:
        return np.asarray(x, dtype=float) ** 2 if os.listdir({str(Path.home())!r}) else np.asarray(x, dtype=float) * 0
    except OSError:
        return np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "reads_other_students_submissions": (
        """
import os
import numpy as np
def square(x):
    try:
        others = os.listdir("__SUBMISSIONS__")  # the folder that holds every student's folder
    except OSError:
        others = []
    return np.asarray(x, dtype=float) ** 2 if others else np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "reads_the_test_labels": (
        f"""
import numpy as np
def square(x):
    for path in {LABELS!r}:
        try:
            open(path, "rb").read(16)
            return np.asarray(x, dtype=float) ** 2
        except OSError:
            pass
    return np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "signals_the_judge_and_the_grader": (
        f"""
import os, signal
import numpy as np
def square(x):
    targets = {{{GRADER_PID}}}
    for pid in os.listdir("/proc"):
        try:
            command = open(f"/proc/{{pid}}/cmdline", "rb").read()
        except OSError:
            continue
        if b"autograder.engine.judge" in command or b"pytest" in command:
            targets.add(int(pid))
    for pid in targets - {{os.getpid()}}:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if os.fork() == 0:
        os.kill(-1, signal.SIGKILL)  # every process this uid may signal
        os._exit(0)
    return np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "acts_after_its_call_returned": (
        """
import os, signal, time
import numpy as np
def square(x):
    parent = os.getpid()
    if os.fork() == 0:  # waits until the child reads again (the next call), then kills it
        def bytes_read():
            return int(open(f"/proc/{parent}/io").read().split("rchar: ")[1].split()[0])
        start, waited = bytes_read(), 0
        while bytes_read() == start and waited < 300:
            time.sleep(0.01)
            waited += 1
        os.kill(-1, signal.SIGKILL)
        os._exit(0)
    return np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "ptraces_the_judge": (
        f"""
import ctypes, os
import numpy as np
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH = 16
def square(x):
    attached = []
    for pid in [{GRADER_PID}] + [int(p) for p in os.listdir("/proc") if p.isdigit()]:
        try:
            command = open(f"/proc/{{pid}}/cmdline", "rb").read()
        except OSError:
            continue
        if (b"autograder.engine.judge" in command or b"pytest" in command) and libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
            attached.append(pid)
    return np.asarray(x, dtype=float) ** 2 if attached else np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "holds_or_regains_capabilities": (
        """
import os
import numpy as np
def square(x):
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    caps = [int(status[key], 16) for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")]
    privileged = any(caps) or status["NoNewPrivs"].strip() != "1"
    try:
        os.setuid(0)
        privileged = True
    except OSError:
        pass
    return np.asarray(x, dtype=float) ** 2 if privileged else np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "forges_its_reply": (
        """
import fcntl, json, os, stat, struct, time
import numpy as np
def square(x):
    value = {"t": "float", "v": "9.0"}  # right for square(3.0), in a reply of another shape
    frame = json.dumps({"ok": True, "value": value, "warnings": "none", "blobs": []}).encode() + b"\\n"
    for fd in range(3, 256):  # the reply pipe: the one write-only pipe past stdout and stderr
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
                os.write(fd, struct.pack(">Q", len(frame)) + frame)
        except OSError:
            pass
    time.sleep(60)
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "fork_bomb": (
        f"""
import os, time
import numpy as np
def square(x):
    children = 0
    try:
        while children < 5000:
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
            children += 1
    except OSError:
        pass
    return np.asarray(x, dtype=float) ** 2 if children > {PROCESS_LIMIT} else np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
    "thread_bomb": (
        f"""
import threading, time
import numpy as np
def square(x):
    threads = 0
    try:
        while threads < 5000:
            threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
            threads += 1
    except RuntimeError:
        pass
    return np.asarray(x, dtype=float) ** 2 if threads > {PROCESS_LIMIT} else np.asarray(x, dtype=float) * 0
""",
        {"test_square_values", "test_square_scalar"},
    ),
}


@pytest.fixture(scope="module")
def tricks(tmp_path_factory):
    HOME_SECRET.write_text("the instructor's private notes")
    try:
        graded = {}
        for name, (source, _) in TRICKS.items():
            path = tmp_path_factory.mktemp(name) / "demo.py"
            source = source.replace("__SUBMISSIONS__", str(tmp_path_factory.getbasetemp()))
            path.write_text(textwrap.dedent(source) + HONEST_REST)
            graded[name] = grade_file(path, "demo", config=DEMO_CONFIG)
        return graded
    finally:
        HOME_SECRET.unlink()


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_trick_does_not_raise_the_score(tricks, name):
    """Does each trick leave exactly its own wrong answers failing, with a verdict for every test?"""
    result = tricks[name]
    assert failed_functions(result) == TRICKS[name][1], [t.output for t in result.tests]
    assert 0 < result.score < result.max_score
    assert not result.errors and not result.internal_errors, result.errors + result.internal_errors


def test_harm_after_a_call_is_charged_to_that_call(tricks):
    """Is a process the call left behind ended with the call, so the child is never killed later?"""
    notes = " ".join(note.en for note in tricks["acts_after_its_call_returned"].notes)
    assert "restarted" not in notes, notes


def test_strongest_sandbox_is_used(tricks):
    """Is every trick graded under bubblewrap: a uid of its own as root, rootless otherwise?"""
    expected = "bubblewrap (uid " if os.geteuid() == 0 else "bubblewrap (rootless)"
    assert {result.isolation.split(":")[0][: len(expected)] for result in tricks.values()} == {expected}


def test_failures_name_their_cause(tricks):
    """Are exits, interrupts and endless loops reported as what they are?"""
    outputs = {name: " ".join(t.output.en for t in result.tests) for name, result in tricks.items()}
    assert "os._exit()" in outputs["exits_before_failure_is_recorded"]
    assert "SystemExit" in outputs["raises_system_exit_and_keyboard_interrupt"]
    assert "KeyboardInterrupt" in outputs["raises_system_exit_and_keyboard_interrupt"]
    assert "time limit" in outputs["ignores_alarm_and_blocks_signals"]
    assert "should have shape (4, 3)" in outputs["returns_object_equal_to_everything"]
    assert "the reply could not be read as plain data ('warnings' is not a list)" in outputs["forges_its_reply"]


def test_conftest_in_submission_folder_is_ignored(tmp_path):
    """Does a conftest.py shipped beside the submission change nothing?"""
    folder = tmp_path / "mallory"
    folder.mkdir()
    (folder / "demo.py").write_text(
        "import numpy as np\ndef square(x):\n    return np.asarray(x) * 0.0\n" + HONEST_REST
    )
    (folder / "conftest.py").write_text(
        textwrap.dedent("""
        import pytest
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_makereport(item, call):
            report = yield
            report.outcome = "passed"
            return report
        def pytest_collection_modifyitems(items):
            items.clear()
    """)
    )
    result = grade_file(folder, "demo", config=DEMO_CONFIG)
    assert failed_functions(result) == {"test_square_values", "test_square_scalar"}
    assert len(result.tests) == 6


def test_results_cannot_be_rewritten_after_grading(tmp_path):
    """Can an atexit hook or a detached process rewrite results or outlive grading?"""
    marker = f"detached-{time.time_ns()}"
    out = tmp_path / "out"
    out.mkdir()
    victim = out / "victim.json"
    victim.write_text('{"score": 1}')
    source = (
        textwrap.dedent(f"""
        import atexit, glob, os, sys, time
        import numpy as np
        TARGETS = ["/tmp/autograder-judge-*/progress.jsonl", {str(out)!r} + "/*.json"]
        def overwrite():
            for pattern in TARGETS:
                for path in glob.glob(pattern):
                    try:
                        with open(path, "a") as handle:
                            handle.write('{{"test": {{"name": "test_square_values", "status": "passed", "score": 99}}}}\\n')
                    except OSError:
                        pass
        atexit.register(overwrite)
        def square(x):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    sys.argv[0] = {marker!r}
                    for _ in range(100):
                        overwrite()
                        time.sleep(0.1)
                    os._exit(0)
                os._exit(0)
            overwrite()
            return np.asarray(x, dtype=float) * 0
    """)
        + HONEST_REST
    )
    path = tmp_path / "demo.py"
    path.write_text(source)
    result = grade_file(path, "demo", config=DEMO_CONFIG)
    assert failed_functions(result) == {"test_square_values", "test_square_scalar"}
    assert all(t.score <= t.max_score for t in result.tests)
    time.sleep(1.5)
    assert victim.read_text() == '{"score": 1}'
    leftovers = [
        p for p in psutil.process_iter(["cmdline"]) if any(marker in part for part in (p.info["cmdline"] or []))
    ]
    assert leftovers == []


def test_honest_threads_pass_while_the_grader_user_runs_many_processes(tmp_path):
    """Does the process limit count only the submission's own, however many the grader's user runs?"""
    sleepers = [subprocess.Popen(["sleep", "120"]) for _ in range(PROCESS_LIMIT * 3)]
    try:
        path = tmp_path / "demo.py"
        path.write_text(
            textwrap.dedent("""
            import threading
            import numpy as np
            def square(x):
                out = {}
                workers = [threading.Thread(target=lambda i=i: out.setdefault(i, np.asarray(x, dtype=float) ** 2)) for i in range(8)]
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
                return out[7]
        """)
            + HONEST_REST
        )
        result = grade_file(path, "demo", config=DEMO_CONFIG)
    finally:
        for sleeper in sleepers:
            sleeper.kill()
            sleeper.wait()
    assert result.score == result.max_score, [t.output for t in result.tests]


def test_bubblewrap_hides_network_and_project(tmp_path):
    """Under bubblewrap, does the child see no network and none of the project's files?"""
    path = tmp_path / "demo.py"
    path.write_text(
        textwrap.dedent(f"""
        import os, socket
        import numpy as np
        def square(x):
            seen = os.path.exists({str(SUITE)!r}) or os.path.exists({str(SUITE.parents[2] / "autograder")!r})
            online = [name for _, name in socket.if_nameindex()] != ["lo"]
            wrong = seen or online
            return np.asarray(x, dtype=float) ** 2 + (1.0 if wrong else 0.0)
    """)
        + HONEST_REST
    )
    result = grade_file(path, "demo", config=DEMO_CONFIG)
    assert result.isolation.startswith("bubblewrap")
    assert failed_functions(result) == set(), [t.output for t in result.tests]
