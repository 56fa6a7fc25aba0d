"""Hosts that refuse a sandbox, made real, so the grader's probe is tested against them.

    python tests/refusing_hosts.py seccomp COMMAND [ARG ...]
    python tests/refusing_hosts.py no-userns UID COMMAND [ARG ...]     (as root)

`seccomp`: Docker's default profile answers `unshare` and `clone` with namespace flags
with EPERM (and `clone3` with ENOSYS, so the C library falls back to `clone`); this loads
the same rule as a classic BPF program through prctl, as root or not.

`no-userns`: `user.max_user_namespaces = 0`, set in a user namespace of the test's own
(the sysctl is per namespace) that maps root and UID to themselves; COMMAND then runs as
UID there, where no further user namespace can be made.
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct
import sys

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
RET_ALLOW, RET_ERRNO = 0x7FFF0000, 0x00050000
EPERM, ENOSYS = 1, 38
NAMESPACE_FLAGS = 0x7E020000  # CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
# machine -> (audit arch, clone, unshare, clone3)
ARCHES = {"x86_64": (0xC000003E, 56, 272, 435), "aarch64": (0xC00000B7, 220, 97, 435)}
LD_W_ABS, JEQ_K, JSET_K, RET_K = 0x20, 0x15, 0x45, 0x06


def supported() -> bool:
    return platform.machine() in ARCHES


def _program() -> bytes:
    arch, clone, unshare, clone3 = ARCHES[platform.machine()]
    insns = [  # (code, jump if true, jump if false, k); jumps count from the next instruction
        (LD_W_ABS, 0, 0, 4),  # 0: A = arch
        (JEQ_K, 0, 6, arch),  # 1: another arch -> allow (8)
        (LD_W_ABS, 0, 0, 0),  # 2: A = syscall number
        (JEQ_K, 5, 0, unshare),  # 3: unshare -> EPERM (9)
        (JEQ_K, 5, 0, clone3),  # 4: clone3 -> ENOSYS (10)
        (JEQ_K, 0, 2, clone),  # 5: not clone -> allow (8)
        (LD_W_ABS, 0, 0, 16),  # 6: A = clone's flags (low half of the first argument)
        (JSET_K, 1, 0, NAMESPACE_FLAGS),  # 7: a namespace flag -> EPERM (9), else allow (8)
        (RET_K, 0, 0, RET_ALLOW),  # 8
        (RET_K, 0, 0, RET_ERRNO | EPERM),  # 9
        (RET_K, 0, 0, RET_ERRNO | ENOSYS),  # 10
    ]
    return b"".join(struct.pack("HBBI", *insn) for insn in insns)


def forbid_namespaces() -> None:
    code = _program()
    program = ctypes.create_string_buffer(code)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(code) // 8, ctypes.addressof(program))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_SECCOMP failed")


CLONE_NEWUSER = 0x10000000


def without_user_namespaces(uid: int, argv: list[str]) -> None:
    """Exec `argv` as `uid` in a user namespace whose user.max_user_namespaces is 0 (needs root)."""
    libc = ctypes.CDLL(None, use_errno=True)
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(ready_r), os.close(go_w)
        if libc.unshare(CLONE_NEWUSER) != 0:
            os._exit(90)
        os.write(ready_w, b"1")
        os.read(go_r, 1)  # the parent has written the id maps
        with open("/proc/sys/user/max_user_namespaces", "w") as handle:
            handle.write("0")
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        os.execvp(argv[0], argv)
    os.close(ready_w), os.close(go_r)
    os.read(ready_r, 1)
    for name in ("uid_map", "gid_map"):
        with open(f"/proc/{child}/{name}", "w") as handle:
            handle.write(f"0 0 1\n{uid} {uid} 1\n")
    os.write(go_w, b"1")
    _, status = os.waitpid(child, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    if sys.argv[1] == "seccomp":
        forbid_namespaces()
        os.execvp(sys.argv[2], sys.argv[2:])
    elif sys.argv[1] == "no-userns":
        without_user_namespaces(int(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit(f"unknown host {sys.argv[1]!r}: seccomp or no-userns")
