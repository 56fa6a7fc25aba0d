"""How the untrusted child is started: which isolation, which files it sees, which limits.

Bubblewrap (Debian's `bubblewrap`) gives the child no network, a filesystem holding only
the interpreter, the submission, the runner and read-only inputs, and its own PID, IPC
and UTS namespaces. As root the child also runs under a uid of its own (setpriv), which
makes the process limit real and lets the parent kill every process of that uid. As an
ordinary user bubblewrap makes a user namespace of its own instead ("rootless"): the
kernel then counts the process limit per namespace (Linux 5.14+), and the PID namespace
takes every leftover process down with it. `isolation = "auto"` never falls back to an
unsandboxed child: it refuses with the probe's reason. Only `"subprocess"`, chosen on
purpose, runs a plain subprocess, and every result says so.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from autograder.config import Limits
from autograder.devices import DEV, cuda_environment, gpu_nodes
from autograder.processes import kill_and_wait, kill_group, processes_of
from autograder.sandbox import probe

RUNNER_FILES = ("runner.py", "protocol.py", "drivers.py", "idleclock.py")
ASSIGNMENT_DRIVERS_FILE = "assignment_drivers.py"  # an assignment's own drivers.py, beside the runner's (drivers.py)
SANDBOX_DIR = Path(__file__).resolve().parent
_UID_BASE, _UID_SPAN = 200_000, 100_000
PER_NAMESPACE_NPROC = (5, 14)  # from this kernel on, RLIMIT_NPROC counts processes per user namespace
UNISOLATED = "network and filesystem are not isolated"


@dataclass(frozen=True)
class Isolation:
    """Which isolation is in force; `describe()` goes into every result."""

    kind: str  # "bubblewrap" or "subprocess"
    uid: int | None  # a uid of the child's own (root only); None: the grader's user
    notes: tuple[str, ...] = ()
    rootless: bool = False  # bubblewrap in a user namespace of its own
    disable_userns: bool = False  # bwrap forbids further user namespaces inside

    def describe(self) -> str:
        if self.rootless:
            who = "rootless"
        else:
            who = f"uid {self.uid}" if self.uid is not None else "the grader's own user"
        text = f"{self.kind} ({who})"
        return text + (": " + "; ".join(self.notes) if self.notes else "")

    @property
    def shares_grader_uid(self) -> bool:
        """Does RLIMIT_NPROC in the child count the grader's own processes too?"""
        if self.uid is not None:
            return False
        return not (self.rootless and _kernel_at_least(PER_NAMESPACE_NPROC))


@dataclass
class Layout:
    """Where the staged files live on the host and where the child sees them."""

    staging: Path
    submission: Path
    runner: Path
    work: Path
    home: Path
    inputs: Path | None = None
    inner: dict[str, str] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()  # host folders (data sets with test labels) the child must not see


def choose_isolation(prefer: str = "auto") -> Isolation:
    """Bubblewrap (as root with a fresh uid, else rootless); a subprocess only when asked for.

    Raises `errors.SandboxUnavailable` with the real cause when `prefer` is "auto" and no
    sandbox can be made: student code never runs unisolated by accident.
    """
    if prefer == "subprocess":
        return _subprocess_isolation()
    found = probe.require()
    if found.rootless:
        return Isolation(
            "bubblewrap",
            None,
            ("no network", "private filesystem", "own user, PID, IPC and UTS namespaces", "no capabilities"),
            rootless=True,
            disable_userns=found.disable_userns,
        )
    return Isolation(
        "bubblewrap",
        _fresh_uid(),
        ("no network", "private filesystem", "own PID, IPC and UTS namespaces", "no capabilities"),
    )


def _subprocess_isolation() -> Isolation:
    found = probe.probe()
    why = (
        "bubblewrap would have worked here"
        if found.works
        else found.reason.removeprefix("No sandbox can be made here: ").split(";")[0]
    )
    notes = [f'isolation = "subprocess" was chosen ({why})']
    uid = _fresh_uid() if os.geteuid() == 0 else None
    if uid is not None and not _reachable_by_others(sys.executable):
        uid = None
        notes.append("the Python interpreter is not readable by other users")
    if uid is None:
        notes.append(UNISOLATED + ": the submission can read whatever the grader's user can, the hidden tests included")
    else:
        notes.append(UNISOLATED + ": only file permissions keep the child's uid from the hidden tests")
    return Isolation("subprocess", uid, tuple(notes))


def _kernel_at_least(version: tuple[int, int]) -> bool:
    try:
        numbers = tuple(int(part) for part in os.uname().release.split("-")[0].split(".")[:2])
    except ValueError:
        return False
    return numbers >= version


def _reachable_by_others(path: str) -> bool:
    """Can an unprivileged uid reach the interpreter (and so its standard library)?"""
    real = Path(os.path.realpath(path))
    return all(parent.stat().st_mode & 0o001 for parent in real.parents) and bool(real.stat().st_mode & 0o005)


def _fresh_uid() -> int:
    return _UID_BASE + secrets.randbelow(_UID_SPAN)


def stage(
    staging: Path,
    submission_files: dict[str, bytes],
    inputs: Path | None,
    hidden: tuple[str, ...] = (),
    drivers: Path | None = None,
    child_uid: int | None = None,
) -> Layout:
    """Lay out the child's world: runner (with the assignment's own `drivers`, if any), submission, writable work
    and home folders.

    Only the grader and the child may enter `staging`: other users of the machine (students on the same
    JupyterHub) must neither read a submission while it is graded nor plant files in its work or home. A child
    of its own uid (`child_uid`, root only) gets the folder's group and owns its work and home.
    """
    runner = staging / "runner"
    submission = staging / "submission"
    work = staging / "work"
    home = staging / "home"
    for folder in (runner, submission, work, home):
        folder.mkdir(parents=True)
    for name in RUNNER_FILES:
        shutil.copyfile(SANDBOX_DIR / name, runner / name)
    if drivers is not None:  # imported by drivers.py under this name
        shutil.copyfile(drivers, runner / ASSIGNMENT_DRIVERS_FILE)
    for relative, content in submission_files.items():
        target = submission / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for path in staging.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    for writable in (work, home):
        writable.chmod(0o700)
        if child_uid is not None:
            os.chown(writable, child_uid, child_uid)
    if child_uid is None:
        staging.chmod(0o700)
    else:  # a plain subprocess under that uid reaches its files through this folder
        os.chown(staging, os.geteuid(), child_uid)
        staging.chmod(0o750)
    return Layout(staging, submission, runner, work, home, inputs, hidden=tuple(hidden))


def rlimits(limits: Limits, isolation: Isolation, threads: int = 1) -> dict[str, int]:
    """Hard limits the runner applies to itself before importing the submission.

    CPU time grows `threads` times faster than the wall clock when training uses every
    thread it was given, so the CPU limit scales with them. Where the child's uid also
    owns the grader's processes (a subprocess, or a kernel older than 5.14), RLIMIT_NPROC
    would count those too, so the limit starts from what that uid already runs.
    """
    mb = 1024 * 1024
    already = _tasks_of_uid(os.getuid()) if isolation.shares_grader_uid else 0
    return {
        "RLIMIT_DATA": limits.memory_mb * mb,
        "RLIMIT_FSIZE": limits.file_size_mb * mb,
        "RLIMIT_NPROC": already + limits.processes,
        "RLIMIT_CPU": int(limits.wall_time * max(threads, 1)) + 5,
        "RLIMIT_CORE": 0,
    }


def _tasks_of_uid(uid: int) -> int:
    """Processes and threads whose real uid is `uid`: what RLIMIT_NPROC counts."""
    total = 0
    for proc in psutil.process_iter(["uids", "num_threads"]):
        if proc.info["uids"] and proc.info["uids"].real == uid:
            total += proc.info["num_threads"] or 1
    return total


def child_environment(threads: int, device: str, gpu: int | None = None, *, sandboxed: bool = True) -> dict[str, str]:
    """A clean environment: nothing of the grader's leaks in; CUDA sees only the child's GPU.

    `sandboxed`: bubblewrap shows the child no GPU node but its own (see `devices.cuda_environment`).
    """
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/home/student",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "OMP_WAIT_POLICY": "PASSIVE",
    }
    for name in (
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
        "TF_NUM_INTEROP_THREADS",
    ):
        env[name] = str(threads)
    if device == "cpu" or gpu is not None:
        env.update(cuda_environment(None if device == "cpu" else gpu, sandboxed=sandboxed))
    return env


def command(
    isolation: Isolation,
    layout: Layout,
    runner_config: str,
    device: str,
    gpu: int | None = None,
    dev: Path = DEV,
    *,
    scratch_mb: int,
) -> tuple[list[str], dict[str, Any]]:
    """The argv for the child and the extra Popen keyword arguments it needs.

    On "cuda" the sandbox holds GPU `gpu`'s node from `dev` and the driver's control nodes, no other GPU's. Each
    folder the child may write (work, home, /tmp, /dev/shm) holds at most `scratch_mb` ([limits] scratch_mb).
    """
    python = sys.executable
    child = [python, "-I", "-X", "utf8"]
    if isolation.kind == "bubblewrap":
        # The bwrap the probe found on the grader's PATH: the child's environment has a PATH of its own.
        argv = [
            shutil.which("bwrap") or "bwrap",
            *probe.namespace_flags(isolation.rootless, isolation.disable_userns),
            *_bwrap_mounts(layout, device, gpu, dev, scratch_mb << 20),
            "--chdir",
            "/workdir",
        ]
        if not isolation.rootless:  # root: a uid of its own, no capabilities (bwrap drops them itself when rootless)
            argv += [
                "setpriv",
                f"--reuid={isolation.uid}",
                f"--regid={isolation.uid}",
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--no-new-privs",
            ]
        return argv + [*child, "/grader/runner.py", runner_config], {}
    extra: dict[str, Any] = {"cwd": str(layout.work)}
    if isolation.uid is not None:
        extra.update(user=isolation.uid, group=isolation.uid, extra_groups=[])
    return [*child, str(layout.runner / "runner.py"), runner_config], extra


def inner_paths(isolation: Isolation, layout: Layout) -> dict[str, str]:
    """Paths as the child sees them (the sandbox remaps the staging folders)."""
    if isolation.kind == "bubblewrap":
        paths = {"submission": "/submission", "work": "/workdir", "home": "/home/student", "tmp": "/tmp"}
        if layout.inputs:
            paths["inputs"] = "/inputs"
        return paths
    paths = {
        "submission": str(layout.submission),
        "work": str(layout.work),
        "home": str(layout.home),
        "tmp": str(layout.work),
    }
    if layout.inputs:
        paths["inputs"] = str(layout.inputs)
    return paths


def _bwrap_mounts(layout: Layout, device: str, gpu: int | None, dev: Path, scratch: int) -> list[str]:
    args: list[str] = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for etc in (
        "/etc/alternatives",
        "/etc/ld.so.cache",
        "/etc/ld.so.conf",
        "/etc/ld.so.conf.d",
        "/etc/localtime",
        "/etc/ssl/certs",
    ):
        args += ["--ro-bind-try", etc, etc]
    # Every folder the child may write (these and /dev/shm, below) is a tmpfs of bounded size, never the grader's
    # disk or memory, which a loop of writes would otherwise fill for everyone (other students' gradings, their
    # results, the course's server).
    for writable in ("/tmp", "/workdir", "/home/student"):
        args += ["--perms", "1777", "--size", str(scratch), "--tmpfs", writable]
    bound: set[str] = set()
    for prefix in _python_prefixes():
        for parent in reversed(Path(prefix).parents):
            if str(parent) != "/" and str(parent) not in bound and not str(parent).startswith("/usr"):
                args += ["--perms", "0755", "--dir", str(parent)]
                bound.add(str(parent))
        args += ["--ro-bind", prefix, prefix]
        bound.add(prefix)
    site = sysconfig.get_paths()["purelib"]
    if os.path.isdir(os.path.join(site, "autograder")):  # a non-editable install: the grader, nothing for the child
        args += ["--tmpfs", os.path.join(site, "autograder")]
    for secret in layout.hidden:  # e.g. /usr/share/datasets: an empty tmpfs covers it
        trees = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", *_python_prefixes()]
        if os.path.isdir(secret) and any(Path(secret).is_relative_to(tree) for tree in trees):
            args += ["--tmpfs", secret]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(scratch), "--tmpfs", "/dev/shm"]
    if device != "cpu" and gpu is not None:
        for node in gpu_nodes(gpu, dev):
            args += ["--dev-bind", str(node), f"/dev/{node.name}"]
        args += ["--ro-bind-try", "/sys", "/sys", "--ro-bind-try", "/proc/driver/nvidia", "/proc/driver/nvidia"]
    args += ["--ro-bind", str(layout.runner), "/grader", "--ro-bind", str(layout.submission), "/submission"]
    if layout.inputs:
        args += ["--ro-bind", str(layout.inputs), "/inputs"]
    # The root and /dev are tmpfs too, without a size, and a rootless child owns them: read-only once all is mounted.
    return args + ["--remount-ro", "/", "--remount-ro", "/dev"]


def _python_prefixes() -> list[str]:
    prefixes = []
    for prefix in (sys.base_prefix, sys.prefix):
        real = os.path.realpath(prefix)
        if not real.startswith("/usr") and real not in prefixes:
            prefixes.append(real)
        if prefix != real and not prefix.startswith("/usr") and prefix not in prefixes:
            prefixes.append(prefix)
    return prefixes


def kill_everything(process: psutil.Popen | None, isolation: Isolation) -> None:
    """Kill the child, its process group and everything it left behind.

    Under bubblewrap, killing bwrap ends its PID namespace (--die-with-parent), and with it
    every process inside: no process can leave its PID namespace. A plain subprocess with a
    uid of its own is also swept up by that uid.
    """
    if process is not None and process.poll() is None:
        kill_group(process.pid)
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    if (
        isolation.uid is not None and isolation.kind == "subprocess"
    ):  # bubblewrap's PID namespace holds every process it made
        for _ in range(3):
            left = processes_of(isolation.uid)
            if not left:
                break
            kill_and_wait(left, timeout=1)
    if process is not None:
        try:
            process.wait(timeout=5)
        except psutil.TimeoutExpired:
            pass
