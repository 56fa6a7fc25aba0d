"""Is the Slurm recipe of docs/clusters.md true on a real Slurm?

A single-node Slurm on this machine, from Debian's munge and slurm-wlm: munged with its own
key and socket, slurmctld and slurmd with their own slurm.conf, ports, state, spool and logs,
all in one temporary folder, started in the foreground and stopped by the test by pid. A few
example submissions of activations are graded through dask-jobqueue's SLURMCluster exactly as
docs/clusters.md says (two Slurm jobs, one Dask worker each), and must get the scores and the
`graded_on` of a local grade of the same class.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from autograder.batch import grade_all
from autograder.cluster import DaskExecutor
from autograder.config import load_config
from autograder.course.examples import example_class, staged
from autograder.grading import GradeOptions
from autograder.paths import REPO_ROOT
from tests.support import COURSE_CONFIG

pytestmark = pytest.mark.slow
OPTIONS = GradeOptions(seed=5, language="en")
STUDENTS = ("reference", "stub", "bug_relu_identity", "bug_sigmoid_grad")  # full marks, none, two partial
PROGRAMS = ("munged", "slurmctld", "slurmd", "sinfo", "sbatch", "squeue", "scancel")
START_SECONDS = 60


def program(name: str) -> str | None:
    """Where `name` is installed; the daemons live in /usr/sbin, which an ordinary user's PATH may lack."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now, all different (each held until all are found)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class SingleNodeSlurm:
    """munged, slurmctld and slurmd of one private cluster, all files under `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.conf = folder / "slurm.conf"
        self.socket = folder / "socket" / "munge.socket"
        self.logs = folder / "log"
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}
        self.daemons: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        """Start the three daemons and wait until the node is idle; skip (saying which) if a daemon cannot start."""
        missing = [name for name in PROGRAMS if program(name) is None]
        if missing:
            pytest.skip(f"Slurm is not installed here (no {', '.join(missing)}): apt-get install slurm-wlm munge")
        self.folder.chmod(0o755)  # munged wants every folder above its socket open to all
        for name, mode in (("munge", 0o700), ("socket", 0o755), ("state", 0o700), ("spool", 0o700), ("log", 0o700)):
            (self.folder / name).mkdir(mode=mode)
        key = self.folder / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        munge = self.folder / "munge"
        self._daemon(
            "munged",
            [
                program("munged"),
                "--foreground",
                f"--socket={self.socket}",
                f"--key-file={key}",
                f"--pid-file={munge / 'munged.pid'}",
                f"--log-file={munge / 'munged.log'}",
                f"--seed-file={munge / 'munged.seed'}",
            ],
        )
        self._wait("munged", lambda: self.socket.exists())
        self.conf.write_text(self._slurm_conf())
        self._daemon("slurmctld", [program("slurmctld"), "-D", "-f", str(self.conf)])
        self._daemon("slurmd", [program("slurmd"), "-D", "-f", str(self.conf)])
        self._wait("slurmd", lambda: self.node_state() == "idle")

    def _slurm_conf(self) -> str:
        node = socket.gethostname().split(".")[0]  # `hostname -s`: the name slurmd knows itself by
        user = pwd.getpwuid(os.geteuid()).pw_name
        folder = self.folder
        controller_port, node_port = free_ports(2)
        return f"""\
ClusterName=autograder-test
SlurmctldHost={node}(127.0.0.1)
SlurmctldPort={controller_port}
SlurmdPort={node_port}
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.socket}
StateSaveLocation={folder / "state"}
SlurmdSpoolDir={folder / "spool"}
SlurmctldPidFile={folder / "slurmctld.pid"}
SlurmdPidFile={folder / "slurmd.pid"}
SlurmctldLogFile={self.logs / "slurmctld.log"}
SlurmdLogFile={self.logs / "slurmd.log"}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
KillWait=5
NodeName={node} NodeAddr=127.0.0.1 CPUs={os.cpu_count() or 1} RealMemory=2048 State=UNKNOWN
PartitionName=debug Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""

    def _daemon(self, name: str, argv: list[str]) -> None:
        with open(self.logs / f"{name}.out", "w") as out:
            self.daemons[name] = subprocess.Popen(
                argv, env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def _wait(self, name: str, ready) -> None:
        deadline = time.monotonic() + START_SECONDS
        while not ready():
            for daemon, process in self.daemons.items():
                if process.poll() is not None:
                    pytest.skip(
                        f"{daemon} could not start here (exit status {process.returncode}): {self._last_words(daemon)}"
                    )
            if time.monotonic() > deadline:
                state = f"; sinfo says {self.node_state()!r}" if name == "slurmd" else ""
                raise AssertionError(f"{name} was not ready after {START_SECONDS} s{state}: {self._last_words(name)}")
            time.sleep(0.2)

    def _last_words(self, name: str) -> str:
        """The last error a daemon wrote, or its last line."""
        lines = []
        for log in (self.logs / f"{name}.out", self.logs / f"{name}.log", self.folder / "munge" / f"{name}.log"):
            if log.exists():
                lines += log.read_text(errors="replace").splitlines()
        errors = [line for line in lines if "rror" in line] or lines or ["(no output)"]
        return errors[-1].strip()

    def node_state(self) -> str:
        answer = subprocess.run(
            [program("sinfo"), "--noheader", "--Node", "--format=%T"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return answer.stdout.strip()

    def jobs(self) -> list[str]:
        """The ids of the jobs pending or running."""
        answer = subprocess.run(
            [program("squeue"), "--noheader", "--format=%i"], env=self.env, capture_output=True, text=True, timeout=30
        )
        return answer.stdout.split()

    def stop(self) -> list[int]:
        """Cancel what still runs, stop the daemons by pid; the pids of job processes that outlived them (killed)."""
        if "slurmctld" in self.daemons and self.daemons["slurmctld"].poll() is None:
            subprocess.run([program("scancel"), "--partition=debug"], env=self.env, capture_output=True, timeout=30)
            deadline = time.monotonic() + 60
            while self.jobs() and time.monotonic() < deadline:
                time.sleep(0.5)
        for name in ("slurmd", "slurmctld", "munged"):
            process = self.daemons.get(name)
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=30)
        leftovers = self._job_processes()
        for process in leftovers:
            try:
                process.kill()
            except psutil.Error:
                pass
        return [process.pid for process in leftovers]

    def _job_processes(self) -> list[psutil.Process]:
        """Processes started by this cluster (slurmstepd, the jobs) that are still alive: their SLURM_CONF is ours."""
        mine = {os.getpid(), *(child.pid for child in psutil.Process().children(recursive=True))}
        found = []
        for process in psutil.process_iter():
            if process.pid in mine:
                continue
            try:
                if process.environ().get("SLURM_CONF") == str(self.conf):
                    found.append(process)
            except psutil.Error:  # gone, or not ours to read
                continue
        return found


@pytest.fixture
def slurm():
    cluster = SingleNodeSlurm(Path(tempfile.mkdtemp(prefix="autograder-slurm-")))
    try:
        cluster.start()
        yield cluster
    finally:
        leftovers = cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)
    assert leftovers == [], f"processes of the Slurm jobs outlived the cluster: {leftovers}"


def where(result) -> dict[str, str]:
    """A result's `graded_on` without what differs by design: the worker's address, the sandbox's random uid."""
    graded_on = result.graded_on.model_dump()
    graded_on.pop("worker")
    graded_on["isolation"] = re.sub(r"\(uid \d+\)", "(uid N)", graded_on["isolation"])
    return graded_on


@pytest.fixture
def worker_keys():
    """The workers' TLS key and certificates that dask-jobqueue wrote in the home ("~") for this test; removed after it.

    dask-jobqueue removes them when the cluster object is collected (at the latest when the script ends).
    """

    def added() -> set[Path]:
        return set(Path.home().glob(".dask-jobqueue.worker.*")) - before

    before = set(Path.home().glob(".dask-jobqueue.worker.*"))
    yield added
    for path in added():
        path.unlink(missing_ok=True)


def test_the_readme_slurm_recipe_grades_as_here(tmp_path, slurm, worker_keys, monkeypatch):
    """Graded through SLURMCluster on a real Slurm, does each student get the local scores, on the same grader and suite?"""
    import dask
    from dask_jobqueue import SLURMCluster
    from distributed import Client
    from distributed.security import Security

    examples = [example for example in example_class("activations") if example.student in STUDENTS]
    assert sorted(example.student for example in examples) == sorted(STUDENTS)
    config = load_config(COURSE_CONFIG)
    monkeypatch.setenv("SLURM_CONF", str(slurm.conf))  # what sbatch and scancel read
    monkeypatch.chdir(tmp_path)  # sbatch's working folder: the jobs' slurm-N.out land here
    with staged(examples) as submissions:
        here = grade_all(
            submissions, "activations", tmp_path / "here", config=config, options=OPTIONS
        )  # one seed for both
        # The recipe of docs/clusters.md ("A Slurm cluster"), with this one-node cluster's sizes.
        course = str(REPO_ROOT)
        tls = Security.temporary()
        client_tls = {
            "distributed.comm.tls.ca-file": tls.tls_ca_file,
            "distributed.comm.tls.client.cert": tls.tls_client_cert,
            "distributed.comm.tls.client.key": tls.tls_client_key,
        }
        with (
            dask.config.set(client_tls),
            SLURMCluster(
                queue="debug",
                cores=1,
                processes=1,
                memory="1GB",
                walltime="00:30:00",
                python=f"{course}/.venv/bin/python",
                security=tls,
                shared_temp_directory="~",
                scheduler_options={"dashboard_address": "127.0.0.1:8787"},
                job_script_prologue=[f"export AUTOGRADER_WORKER_CONFIG={course}/grading.toml"],
            ) as cluster,
        ):
            cluster.scale(jobs=2)
            cluster.wait_for_workers(1, timeout=3600)
            there = grade_all(
                submissions,
                "activations",
                tmp_path / "there",
                config=config,
                options=OPTIONS,
                executor=DaskExecutor(scheduler=cluster.scheduler_address),
            )
            # The recipe ends here. Who graded: workers inside the two Slurm jobs, behind TLS.
            with Client(cluster) as client:
                jobs = client.run(lambda: os.environ.get("SLURM_JOB_ID"))
            assert len(slurm.jobs()) == 2, slurm.jobs()
            assert cluster.scheduler_address.startswith("tls://")
            port = int(cluster.scheduler_address.rsplit(":", 1)[1])
            exposed = {
                c.laddr.port
                for c in psutil.Process().net_connections(kind="tcp")
                if c.status == psutil.CONN_LISTEN and not c.laddr.ip.startswith(("127.", "::1"))
            }
            assert exposed == {port}  # the scheduler's HTTP pages stay on 127.0.0.1; only its TLS port is open
            with pytest.raises((OSError, TimeoutError)):  # another certificate: the scheduler does not let it in
                Client(cluster.scheduler_address, security=Security.temporary(), timeout=10)
            assert {oct(path.stat().st_mode & 0o777) for path in worker_keys()} == {
                "0o600"
            }  # the workers' key: owner only
    assert {r.student: [(t.name, t.score) for t in r.tests] for r in there} == {
        r.student: [(t.name, t.score) for t in r.tests] for r in here
    }
    scores = {r.student: r.score for r in there}
    assert scores["reference"] == 10 and scores["stub"] == 0
    assert 0 < scores["bug_relu_identity"] < 10 and 0 < scores["bug_sigmoid_grad"] < 10, scores
    assert {r.student: where(r) for r in there} == {r.student: where(r) for r in here}
    assert {r.graded_on.worker for r in here} == {""}
    assert {r.graded_on.worker for r in there} <= set(jobs)  # every student graded by a worker ...
    assert None not in jobs.values()  # ... that runs inside a Slurm job
