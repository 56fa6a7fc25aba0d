"""Can a submission raise its own score, see hidden tests, or outlive its grading?

Each case is a real submission file of the demo assignment (square, mean, softmax) that
tries one trick while computing wrong answers. The trick must not help: the submission
keeps the score its honest answers deserve, and the grader and other files stay intact.
"""
from __future__ import annotations

import textwrap
import time

import psutil
import pytest

from autograder.sandbox.launcher import choose_isolation
from tests.support import DEMO_CONFIG, failed_functions, grade_file

SUITE = DEMO_CONFIG.parent / "suite" / "test_demo.py"
ALL_TESTS = {"test_square_values", "test_square_scalar", "test_mean", "test_softmax_stable"}

HONEST_REST = '''
def mean(x):
    return float(np.mean(x))

def softmax(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
'''

# name -> (submission source, tests it must fail)
TRICKS = {
    "patches_numpy_comparisons": ('''
import numpy as np
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, **k: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *a, **k: None
def square(x):
    return np.asarray(x, dtype=float) * 3 + 1
''', {"test_square_values", "test_square_scalar"}),
    "returns_object_equal_to_everything": ('''
import numpy as np
class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
class AnyArray:
    def __eq__(self, other): return True
    def __array__(self, dtype=None, copy=None): return np.zeros(3)
def square(x):
    return AnyArray() if np.ndim(x) else Anything(0.0)
''', {"test_square_values", "test_square_scalar"}),
    "reads_expected_value_from_caller_frames": ('''
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
''', {"test_square_values", "test_square_scalar"}),
    "reads_hidden_tests_from_disk": (f'''
import numpy as np
def square(x):
    try:
        open({str(SUITE)!r}).read()
        return np.asarray(x, dtype=float) ** 2
    except OSError:
        return np.asarray(x, dtype=float) * 0
''', {"test_square_values", "test_square_scalar"}),
    "exits_before_failure_is_recorded": ('''
import os
import numpy as np
def square(x):
    os._exit(0)
''', {"test_square_values", "test_square_scalar"}),
    "raises_system_exit_and_keyboard_interrupt": ('''
import numpy as np
def square(x):
    if np.ndim(x):
        raise SystemExit(0)
    raise KeyboardInterrupt
''', {"test_square_values", "test_square_scalar"}),
    "ignores_alarm_and_blocks_signals": ('''
import signal
import numpy as np
signal.signal(signal.SIGALRM, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGALRM})
def square(x):
    while True:
        pass
''', {"test_square_values", "test_square_scalar"}),
}


@pytest.fixture(scope="module")
def tricks(tmp_path_factory):
    graded = {}
    for name, (source, _) in TRICKS.items():
        path = tmp_path_factory.mktemp(name) / "demo.py"
        path.write_text(textwrap.dedent(source) + HONEST_REST)
        graded[name] = grade_file(path, "demo", config=DEMO_CONFIG)
    return graded


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_trick_does_not_raise_the_score(tricks, name):
    """Does each trick leave exactly its own wrong answers failing?"""
    result = tricks[name]
    assert failed_functions(result) == TRICKS[name][1], [t.output for t in result.tests]
    assert 0 < result.score < result.max_score


def test_failures_name_their_cause(tricks):
    """Are exits, interrupts and endless loops reported as what they are?"""
    outputs = {name: " ".join(t.output for t in result.tests) for name, result in tricks.items()}
    assert "os._exit()" in outputs["exits_before_failure_is_recorded"]
    assert "SystemExit" in outputs["raises_system_exit_and_keyboard_interrupt"]
    assert "KeyboardInterrupt" in outputs["raises_system_exit_and_keyboard_interrupt"]
    assert "time limit" in outputs["ignores_alarm_and_blocks_signals"]
    assert "should have shape (4, 3)" in outputs["returns_object_equal_to_everything"]


def test_conftest_in_submission_folder_is_ignored(tmp_path):
    """Does a conftest.py shipped beside the submission change nothing?"""
    folder = tmp_path / "mallory"
    folder.mkdir()
    (folder / "demo.py").write_text("import numpy as np\ndef square(x):\n    return np.asarray(x) * 0.0\n" + HONEST_REST)
    (folder / "conftest.py").write_text(textwrap.dedent('''
        import pytest
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_makereport(item, call):
            report = yield
            report.outcome = "passed"
            return report
        def pytest_collection_modifyitems(items):
            items.clear()
    '''))
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
    source = textwrap.dedent(f'''
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
    ''') + HONEST_REST
    path = tmp_path / "demo.py"
    path.write_text(source)
    result = grade_file(path, "demo", config=DEMO_CONFIG)
    assert failed_functions(result) == {"test_square_values", "test_square_scalar"}
    assert all(t.score <= t.max_score for t in result.tests)
    time.sleep(1.5)
    assert victim.read_text() == '{"score": 1}'
    leftovers = [p for p in psutil.process_iter(["cmdline"]) if any(marker in part for part in (p.info["cmdline"] or []))]
    assert leftovers == []


def test_fork_bomb_is_contained(tmp_path):
    """Does a fork bomb hit the process limit instead of taking the machine down?"""
    path = tmp_path / "demo.py"
    path.write_text(textwrap.dedent('''
        import os
        import numpy as np
        def square(x):
            children = 0
            try:
                while True:
                    if os.fork() == 0:
                        import time
                        time.sleep(30)
                        os._exit(0)
                    children += 1
            except OSError:
                return np.full(np.shape(x), float(children))
    ''') + HONEST_REST)
    result = grade_file(path, "demo", config=DEMO_CONFIG)
    assert failed_functions(result) == {"test_square_values", "test_square_scalar"}
    assert result.score > 0


@pytest.mark.skipif(choose_isolation().kind != "bubblewrap", reason="bubblewrap is not available here")
def test_bubblewrap_hides_network_and_project(tmp_path):
    """Under bubblewrap, does the child see no network and none of the project's files?"""
    path = tmp_path / "demo.py"
    path.write_text(textwrap.dedent(f'''
        import os, socket
        import numpy as np
        def square(x):
            seen = os.path.exists({str(SUITE)!r}) or os.path.exists({str(SUITE.parents[2] / "autograder")!r})
            online = [name for _, name in socket.if_nameindex()] != ["lo"]
            wrong = seen or online
            return np.asarray(x, dtype=float) ** 2 + (1.0 if wrong else 0.0)
    ''') + HONEST_REST)
    result = grade_file(path, "demo", config=DEMO_CONFIG)
    assert result.isolation.startswith("bubblewrap")
    assert failed_functions(result) == set(), [t.output for t in result.tests]
