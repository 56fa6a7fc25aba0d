"""Can another user of the grading machine read a hand-in while it is graded, plant files in its sandbox, or choose
the data every model trains on? And does a judge that is killed leave a hand-in behind on disk?

The grader usually runs where students have accounts of their own (the course's JupyterHub), so every file it
puts in the shared temporary folder is within their reach unless its permissions say otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from autograder.cluster import local_cluster
from autograder.config import load_config
from autograder.engine.inputs import inputs_cache
from autograder.job_folders import sweep_abandoned
from autograder.paths import REPO_ROOT
from autograder.sandbox.client import SandboxedSubmission
from tests.support import CORRECT_DEMO, DEMO_CONFIG, SLOW_DEMO, grade_file, inside_slow_square

NOBODY = 65534
SECRET = "# ann's own work, for nobody else's eyes\n"
WRITES_WHERE_IT_MAY = """
import os
from pathlib import Path

def leave_files():
    Path("in-work.txt").write_text("mine")
    (Path.home() / "in-home.txt").write_text("mine")
    return sorted(os.listdir(".")) + sorted(os.listdir(Path.home()))
"""


def as_nobody(*argv: str) -> subprocess.CompletedProcess:
    """Run `argv` as another user of the machine (nobody), the way a student's own shell would."""
    switch = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return subprocess.run([*switch, *argv], capture_output=True, text=True, timeout=30)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The shared temporary folder, as this process sees it, moved to a folder this test owns and watches."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    return shared


def test_a_sandbox_is_closed_to_other_users_and_open_to_its_child():
    limits = load_config(DEMO_CONFIG).limits_for("demo")
    child = SandboxedSubmission({"demo.py": (SECRET + WRITES_WHERE_IT_MAY).encode()}, "demo.py", limits)
    try:
        assert child.start().ok
        reply = child.call("leave_files")
        assert reply.ok, reply.error
        assert {"in-work.txt", "in-home.txt"} <= set(reply.value)
        assert child._tmp is not None  # started
        staging = Path(child._tmp.name)
        mode = staging.stat().st_mode & 0o777
        uid = child.isolation.uid
        if uid is None:  # the child is this user (rootless, or an ordinary grader's subprocess)
            assert mode == 0o700
        else:  # a uid of its own: its folder's group, nobody else
            assert mode == 0o750 and staging.stat().st_gid == uid
            assert {(staging / name).stat().st_uid for name in ("work", "home")} == {uid}
        for name in ("work", "home"):
            assert (staging / name).stat().st_mode & 0o077 == 0, name
        if os.geteuid() == 0:
            assert as_nobody("cat", str(staging / "submission" / "demo.py")).returncode != 0
            assert as_nobody("ls", str(staging)).returncode != 0
            assert as_nobody("touch", str(staging / "work" / "planted.py")).returncode != 0
            assert not (staging / "work" / "planted.py").exists()
    finally:
        child.close()


def test_grading_leaves_nothing_in_the_shared_temporary_folder(private_tmp, tmp_path):
    hand_in = tmp_path / "ann.py"
    hand_in.write_text(SECRET + CORRECT_DEMO)
    result = grade_file(hand_in, "demo", config=DEMO_CONFIG, seed=1)
    assert result.score == result.max_score
    assert list(private_tmp.iterdir()) == []


def test_a_killed_judge_leaves_no_hand_in_behind(private_tmp, tmp_path):
    """The judge is killed while the child runs: the hand-in's staging goes with the job's folder."""
    hand_in = tmp_path / "ben.py"
    hand_in.write_text(SECRET + SLOW_DEMO)
    staged: list[Path] = []
    stop = threading.Event()

    def kill_the_judge():
        while not stop.is_set():
            for proc in inside_slow_square():
                try:
                    judge = next(p for p in proc.parents() if "autograder.engine.judge" in " ".join(p.cmdline()))
                except (StopIteration, psutil.Error):
                    continue
                staged.extend(private_tmp.glob("autograder-judge-*/autograder-*/submission/*.py"))
                judge.kill()
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_the_judge)
    killer.start()
    try:
        result = grade_file(hand_in, "demo", config=DEMO_CONFIG, seed=1)
    finally:
        stop.set()
        killer.join()
    assert staged, "the hand-in was not staged inside the job's folder"
    assert result.grader_failure
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("made_by_someone_else", ["writable_by_all", "a_link", "another_users"])
def test_an_inputs_cache_someone_else_made_is_never_used(private_tmp, tmp_path, made_by_someone_else):
    """The cache's name is predictable: made first by another user, it would choose every child's training data."""
    predictable = private_tmp / f"autograder-inputs-{os.geteuid()}"
    if made_by_someone_else == "writable_by_all":
        predictable.mkdir()
        predictable.chmod(0o777)
    elif made_by_someone_else == "a_link":
        (tmp_path / "theirs").mkdir()
        predictable.symlink_to(tmp_path / "theirs")
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        predictable.mkdir()
        os.chown(predictable, NOBODY, NOBODY)
    cache = inputs_cache()
    assert cache != predictable and cache.parent == private_tmp
    found = cache.lstat()
    assert found.st_uid == os.geteuid() and found.st_mode & 0o022 == 0


def test_an_inputs_cache_of_our_own_is_kept_between_runs(private_tmp):
    assert inputs_cache() == inputs_cache() == private_tmp / f"autograder-inputs-{os.geteuid()}"


def test_a_local_dask_cluster_takes_work_only_from_the_grader():
    """`--local-workers` listens on 127.0.0.1, open to every account here: a client without this run's key is refused,
    and no page shows its tasks (students' ids), logs or tracebacks."""
    from distributed import Client
    from distributed.security import Security

    with local_cluster(1) as cluster:
        with Client(cluster, timeout=60) as grader:
            assert grader.submit(sum, [40, 2], key="grade-ann").result(timeout=60) == 42
            pages = grader.run_on_scheduler(lambda dask_scheduler: dask_scheduler.http_server.port)
        assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
        for outsider in ({}, {"security": Security.temporary()}):  # no key, and a key of its own
            with pytest.raises((OSError, TimeoutError, TypeError)):
                Client(cluster.scheduler_address, timeout=10, **outsider).close()
        for page in ("/info/main/workers.html", "/info/main/exceptions.html", "/json/counts.json", "/metrics"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{pages}{page}", timeout=10)
            assert refused.value.code == 404, page


FILLS_ITS_FOLDERS = """
import errno, os
from pathlib import Path

def fill():
    kept = {}
    for folder in (Path.cwd(), Path.home(), Path("/tmp"), Path("/dev/shm")):
        written, error = 0, None
        try:
            for n in range(10_000):
                with open(folder / f"fill-{n}", "wb") as stream:
                    stream.write(b"x" * (4 << 20))
                written += 4 << 20
        except OSError as err:
            error = errno.errorcode.get(err.errno, str(err.errno))
        kept[str(folder)] = [written >> 20, error]
    return kept

def write_elsewhere():
    allowed = []
    for folder in ("/", "/home", "/dev", "/grader", "/submission", "/usr"):
        try:
            with open(os.path.join(folder, "planted"), "wb") as stream:
                stream.write(b"x")
            allowed.append(folder)
        except OSError:
            pass
    return allowed
"""


def test_a_hand_in_that_writes_without_end_fills_its_own_folders_not_the_machine():
    """Files in a loop: each writable folder stops it at `scratch_mb`, held apart from the grading machine's disk."""
    limits = load_config(DEMO_CONFIG).limits_for("demo").model_copy(update={"scratch_mb": 24, "call_time": 30})
    child = SandboxedSubmission({"demo.py": FILLS_ITS_FOLDERS.encode()}, "demo.py", limits)
    try:
        assert child.start().ok
        if child.isolation.kind != "bubblewrap":
            pytest.skip("only a sandbox bounds the folders (isolation is a plain subprocess here)")
        reply = child.call("fill")
        assert reply.ok, reply.error
        elsewhere = child.call("write_elsewhere")
        assert elsewhere.ok and elsewhere.value == [], elsewhere  # no other folder takes a file (unbounded tmpfs)
        assert child._tmp is not None
        on_disk = sum(path.stat().st_size for path in Path(child._tmp.name).rglob("*") if path.is_file())
    finally:
        child.close()
    assert set(reply.value) == {"/workdir", "/home/student", "/tmp", "/dev/shm"}
    for folder, (megabytes, error) in reply.value.items():
        assert error == "ENOSPC" and 16 <= megabytes <= 24, (folder, megabytes, error)
    assert on_disk < 1 << 20  # the staging holds the submission and the runner, nothing the child wrote


GRADES_IN_ITS_OWN_PROCESS = """
import sys
import tempfile

tempfile.tempdir = sys.argv[1]
from tests.support import DEMO_CONFIG, grade_file

grade_file(sys.argv[2], "demo", config=DEMO_CONFIG, seed=1)
"""


def test_a_killed_grader_s_folder_goes_with_the_next_grading(private_tmp, tmp_path):
    """The grader itself is killed (kill -9) while the child runs: its job folder, which holds the hand-in, stays
    behind; a grading of the same account a while later removes it, and never a folder whose grader is alive."""
    hand_in = tmp_path / "cho.py"
    hand_in.write_text(SECRET + SLOW_DEMO)
    grader = subprocess.Popen(
        [sys.executable, "-c", GRADES_IN_ITS_OWN_PROCESS, str(private_tmp), str(hand_in)], cwd=REPO_ROOT
    )
    try:
        deadline = time.monotonic() + 120
        while not inside_slow_square():
            assert grader.poll() is None and time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        left = list(private_tmp.glob("autograder-judge-*"))
        assert len(left) == 1 and list(left[0].glob("autograder-*/submission/*.py"))
        assert sweep_abandoned() == []  # its grader holds it
        grader.kill()
        grader.wait(timeout=30)
    finally:
        if grader.poll() is None:
            grader.kill()
    deadline = time.monotonic() + 30
    while inside_slow_square() and time.monotonic() < deadline:  # the judge and the child die with the grader
        time.sleep(0.05)
    assert left[0].exists()
    assert sweep_abandoned() == []  # too new: a grader locks its folder only just after making it
    two_minutes_ago = time.time() - 120
    os.utime(left[0], (two_minutes_ago, two_minutes_ago))
    other = tmp_path / "dan.py"
    other.write_text(CORRECT_DEMO)
    result = grade_file(other, "demo", config=DEMO_CONFIG, seed=1)
    assert result.score == result.max_score
    assert list(private_tmp.iterdir()) == []
