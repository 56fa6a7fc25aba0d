"""Can bubblewrap make a sandbox on this machine, and if not, exactly why not?

The probe runs bwrap once with the namespaces grading will ask for (cached per process).
When it fails, the facts that explain a failure are read from the kernel and the process
itself, and `diagnose()`, a pure function of those facts, names the one real cause with
its fix: bwrap missing, unprivileged user namespaces switched off, Ubuntu's AppArmor
restriction, a container's seccomp filter, root without CAP_SYS_ADMIN. Grading refuses
with that sentence rather than run student code unsandboxed.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SandboxUnavailable

CAP_SYS_ADMIN = 21
SYSCTLS = {
    "unprivileged_userns_clone": "/proc/sys/kernel/unprivileged_userns_clone",  # Debian's and Ubuntu's older kernels
    "max_user_namespaces": "/proc/sys/user/max_user_namespaces",
    "apparmor_restrict": "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",  # Ubuntu 23.10+
}
OPT_OUT = (
    'or grade without a sandbox on purpose with isolation = "subprocess" in grading.toml\'s [course] '
    "(or --isolation subprocess), knowing that network and filesystem are then not isolated"
)
DOCS_SECTION = 'the "How grading works" section of docs/security.md'


@dataclass(frozen=True)
class HostFacts:
    """What decides whether bubblewrap can work here, read once."""

    bwrap: str | None  # its path, None when it is not on PATH
    setpriv: str | None
    root: bool
    unprivileged_userns_clone: str | None  # each sysctl's value, None where the kernel has no such file
    max_user_namespaces: str | None
    apparmor_restrict: str | None
    seccomp_filter: bool  # this process runs under a seccomp filter (a container's profile)
    sys_admin: bool  # CAP_SYS_ADMIN in the effective set
    error: str = ""  # what bwrap printed when the probe failed


@dataclass(frozen=True)
class Probe:
    works: bool
    rootless: bool  # bubblewrap makes its own user namespace (the grader is not root)
    disable_userns: bool  # bwrap can forbid further user namespaces inside (0.8+)
    reason: str = ""  # why it does not work: one sentence with the fix and the opt-out
    cause: str = ""  # the same without the opt-out, for where none exists (a grading worker)


def namespace_flags(rootless: bool, disable_userns: bool) -> list[str]:
    """The namespaces every sandbox gets, the probe's too, so a probe that works means grading works."""
    flags = ["--unshare-user"] if rootless else []
    if rootless and disable_userns:
        flags.append("--disable-userns")
    return flags + [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
    ]


@functools.cache
def probe() -> Probe:
    """Try bubblewrap for real with the flags grading uses; explain a failure."""
    rootless = os.geteuid() != 0
    bwrap = shutil.which("bwrap")
    disable_userns = bwrap is not None and _supports(bwrap, "--disable-userns")
    if bwrap and (rootless or shutil.which("setpriv")):
        argv = [
            bwrap,
            *namespace_flags(rootless, disable_userns),
            "--ro-bind",
            "/",
            "/",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "true",
        ]
        try:
            done = subprocess.run(argv, capture_output=True, timeout=30)
            if done.returncode == 0:
                return Probe(True, rootless, disable_userns)
            error = done.stderr.decode("utf-8", "replace").strip()
        except (OSError, subprocess.SubprocessError) as err:
            error = str(err)
    else:
        error = ""
    facts = read_facts(error)
    return Probe(False, rootless, disable_userns, diagnose(facts), diagnose(facts, opt_out=False))


def read_facts(error: str = "") -> HostFacts:
    status = _proc_status()
    effective = int(status.get("CapEff", "0"), 16)
    return HostFacts(
        bwrap=shutil.which("bwrap"),
        setpriv=shutil.which("setpriv"),
        root=os.geteuid() == 0,
        **{name: _read(path) for name, path in SYSCTLS.items()},
        seccomp_filter=status.get("Seccomp", "0").strip() == "2",
        sys_admin=bool(effective >> CAP_SYS_ADMIN & 1),
        error=error,
    )


def diagnose(facts: HostFacts, *, opt_out: bool = True) -> str:
    """One sentence: the first real cause found, what fixes it, and (with `opt_out`) how to grade unsandboxed on purpose."""
    text = "No sandbox can be made here: " + _cause_and_fix(facts)
    return text + (f", {OPT_OUT}." if opt_out else ".")


def _cause_and_fix(facts: HostFacts) -> str:
    if not facts.bwrap:
        return (
            "bubblewrap (bwrap) is not installed; install it (`sudo apt-get install bubblewrap` on Debian or Ubuntu, "
            "`sudo dnf install bubblewrap` on Fedora)"
        )
    if facts.root and not facts.setpriv:
        return "setpriv (util-linux) is missing, and root needs it to give each submission a uid of its own; install util-linux"
    if not facts.root:
        if facts.unprivileged_userns_clone == "0":
            return (
                "unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone = 0); switch them on "
                "with `sudo sysctl -w kernel.unprivileged_userns_clone=1` and keep it in /etc/sysctl.d/, or grade as root"
            )
        if facts.max_user_namespaces == "0":
            return (
                "user namespaces are switched off (user.max_user_namespaces = 0); allow them with "
                "`sudo sysctl -w user.max_user_namespaces=15000` and keep it in /etc/sysctl.d/, or grade as root"
            )
        if facts.apparmor_restrict == "1":
            return (
                "Ubuntu's AppArmor forbids unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1) "
                f"and no AppArmor profile lets bwrap use them; add the profile for /usr/bin/bwrap given in {DOCS_SECTION} "
                "and load it with `sudo apparmor_parser -r /etc/apparmor.d/bwrap`, or grade as root"
            )
    if facts.seccomp_filter:
        return (
            "this process runs under a seccomp filter that forbids creating namespaces (a container's default profile, "
            "such as Docker's or Kubernetes' RuntimeDefault); run the grader outside the container, or start the "
            "container with a profile that allows unshare and clone with namespace flags (Docker: --security-opt "
            "seccomp=unconfined)"
        )
    if facts.root and not facts.sys_admin:
        return (
            "the grader runs as root without CAP_SYS_ADMIN (a container), so bubblewrap cannot make namespaces; "
            "run the grader as an ordinary user on a host that allows user namespaces"
        )
    who = " as root" if facts.root else ""
    return f"bubblewrap failed{who} ({_first_line(facts.error)}); fix what it names"


def require() -> Probe:
    """The working probe, or SandboxUnavailable with the reason."""
    result = probe()
    if not result.works:
        raise SandboxUnavailable(result.reason)
    return result


def _supports(bwrap: str, flag: str) -> bool:
    try:
        return flag in subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False


def _proc_status() -> dict[str, str]:
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {}
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def _first_line(error: str) -> str:
    line = next((part.strip() for part in error.splitlines() if part.strip()), "")
    return f"it said: {line[:200]}" if line else "it gave no reason"
