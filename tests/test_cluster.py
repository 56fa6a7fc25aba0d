"""Does a class graded on a Dask cluster get the scores it gets here, and survive a killed worker?

Real scheduler and worker processes on 127.0.0.1: a LocalCluster (`--local-workers`), and
`dask scheduler` with `autograder worker` processes, one of them under another uid with no
view of the client's folders, one with another hidden suite (refused).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from autograder.batch import grade_all
from autograder.cluster import DaskExecutor
from autograder.config import load_config
from autograder.grading import GradeOptions
from tests.support import (
    CORRECT_DEMO,
    DEMO_CONFIG,
    SLOW_DEMO,
    command_as,
    inside_slow_square,
    ordinary_user,
    run_as,
    shared_folder,
)

pytestmark = pytest.mark.slow
OPTIONS = GradeOptions(seed=11, language="en")
CORRECT = CORRECT_DEMO
SLOW = SLOW_DEMO  # square() takes 2 s, under the 3 s call limit, and names its process


def make_class(folder: Path, sources: dict[str, str]) -> Path:
    folder.mkdir(mode=0o700)
    for student, source in sources.items():
        (folder / f"{student}.py").write_text(source)
    return folder


def scores(results) -> dict[str, list[tuple[str, float]]]:
    return {r.student: [(t.name, t.score) for t in r.tests] for r in results}


def test_local_workers_give_the_scores_of_the_local_executor(tmp_path):
    """With the same seed, does a LocalCluster of real worker processes give exactly the local scores, and the pages?"""
    students = make_class(
        tmp_path / "class",
        {
            "ann": CORRECT,
            "ben": CORRECT.replace("** 2", "* 2"),
            "cat": CORRECT.replace("np.mean(x)", "np.median(x)"),
            "dan": CORRECT,
        },
    )
    config = load_config(DEMO_CONFIG)
    here = grade_all(students, "demo", tmp_path / "here", config=config, options=OPTIONS)
    there = grade_all(
        students, "demo", tmp_path / "there", config=config, options=OPTIONS, executor=DaskExecutor(local_workers=2)
    )
    assert scores(there) == scores(here)
    assert {r.graded_on.worker.startswith("tls://127.0.0.1:") for r in there} == {True}  # for this client only
    assert 0 < next(r for r in there if r.student == "ben").score < 10
    for result in there:  # each page drawn on the worker that graded the student, written here
        assert f'id="student">{result.student}<' in (tmp_path / "there" / f"{result.student}.html").read_text(
            encoding="utf-8"
        )


@pytest.fixture
def scheduler(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(tmp_path / "scheduler.log", "w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("dask")),
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    address = f"tcp://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield address
    process.terminate()
    process.wait(timeout=30)
    log.close()


class Workers:
    """`autograder worker` processes joined to one scheduler, stopped at the end."""

    def __init__(self, address: str, folder: Path):
        self.address, self.folder, self.processes = address, folder, []

    def start(self, config: Path, *, user=None) -> subprocess.Popen:
        argv = [sys.executable, "-m", "autograder.cli", "--config", str(config), "worker", "--scheduler", self.address]
        log = open(self.folder / f"worker-{len(self.processes)}.log", "w")
        if user is None:
            process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        else:
            with command_as(user, argv) as (command, environment, cwd):
                process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def wait_for(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(count, timeout=120)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workers(scheduler, tmp_path):
    pool = Workers(scheduler, tmp_path)
    yield pool
    pool.stop()


def test_killed_worker_loses_no_student_and_leaves_nothing_behind(tmp_path, scheduler, workers):
    """When a worker is killed mid-grade, is every student still graded exactly once, with nothing of the dead worker left?"""
    earlier = {p.pid for p in psutil.process_iter() if _is_judge_server(p)}  # not this test's to judge
    for _ in range(2):
        workers.start(DEMO_CONFIG)
    workers.wait_for(2)
    students = make_class(tmp_path / "class", {"ann": CORRECT, "ben": SLOW, "cat": CORRECT, "dan": CORRECT})
    killed: list[int] = []

    def kill_the_worker_grading_ben():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            for proc in inside_slow_square():
                try:
                    ancestors = {p.pid for p in proc.parents()}
                except psutil.Error:
                    continue
                worker = next((w for w in workers.processes if w.pid in ancestors), None)
                if worker is not None:
                    os.kill(worker.pid, signal.SIGKILL)
                    killed.append(worker.pid)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_the_worker_grading_ben)
    killer.start()
    calls: list[str] = []
    results = grade_all(
        students,
        "demo",
        tmp_path / "out",
        config=load_config(DEMO_CONFIG),
        options=OPTIONS,
        executor=DaskExecutor(scheduler=scheduler),
        on_event=lambda event: calls.append(event.item),
    )
    killer.join()
    assert killed, "the test never saw ben being graded"
    assert sorted(calls) == ["ann", "ben", "cat", "dan"]  # each student once
    assert {r.student: r.score for r in results} == {"ann": 10, "ben": 10, "cat": 10, "dan": 10}
    live = {p.pid for p in workers.processes if p.poll() is None}
    deadline = time.monotonic() + 15  # killed processes take a moment to be reaped on a busy machine
    while True:
        orphans = [
            p.pid
            for p in psutil.process_iter()
            if p.pid not in earlier and _is_judge_server(p) and _owner(p) not in live
        ]
        if not orphans or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert orphans == []  # the dead worker's judges went with it


def _is_judge_server(process: psutil.Process) -> bool:
    try:
        return "autograder.engine.judge_server" in process.cmdline()
    except psutil.Error:  # gone, or a zombie
        return False


def _owner(process: psutil.Process) -> int | None:
    """The first ancestor that is not a judge server: the worker that started it."""
    try:
        return next(
            (parent.pid for parent in process.parents() if "autograder.engine.judge_server" not in parent.cmdline()),
            None,
        )
    except psutil.Error:
        return None


def test_worker_with_another_suite_is_refused_and_bytes_travel(tmp_path, scheduler, workers):
    """Is a worker with another hidden suite given no job, while one with no view of the client's folders grades them all?"""
    with shared_folder() as shared:
        good, bad = shared / "good", shared / "bad"
        for course in (good, bad):
            shutil.copytree(DEMO_CONFIG.parent, course)
            for path in [course, *course.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
        suite = bad / "suite" / "test_demo.py"
        suite.write_text(suite.read_text() + "\n# another version of the hidden tests\n")
        other_uid = os.geteuid() == 0
        good_worker = workers.start(good / "grading.toml", user=ordinary_user() if other_uid else None)
        workers.start(bad / "grading.toml")
        workers.wait_for(2)
        students = make_class(tmp_path / "class", {"ann": CORRECT, "ben": CORRECT.replace("** 2", "* 2")})
        results = grade_all(
            students,
            "demo",
            tmp_path / "out",
            config=load_config(good / "grading.toml"),
            options=OPTIONS,
            executor=DaskExecutor(scheduler=scheduler),
        )
        from distributed import Client

        with Client(scheduler) as client:
            pids = client.run(lambda dask_worker: os.getpid())
            refusals = client.run(
                lambda dask_worker: sorted(filter(None, getattr(dask_worker, "autograder_refusals", {}).values()))
            )
        if other_uid:  # the worker that graded everything could not even list the class folder
            assert run_as(ordinary_user(), ["ls", str(students)], timeout=60).returncode != 0
    good_address = next(address for address, pid in pids.items() if _is_or_descends(pid, good_worker.pid))
    assert {r.student: r.score for r in results}["ann"] == 10
    assert {r.graded_on.worker for r in results} == {good_address}
    assert refusals[good_address] == []
    (bad_refusals,) = [reasons for address, reasons in refusals.items() if address != good_address]
    assert any("hidden suite or settings of 'demo' differ" in reason for reason in bad_refusals), refusals


def _is_or_descends(pid: int, ancestor: int) -> bool:
    try:
        process = psutil.Process(pid)
        return pid == ancestor or any(parent.pid == ancestor for parent in process.parents())
    except psutil.Error:
        return False
