"""`autograder hub-setup`: what a multi-user JupyterHub needs before a course can run on it.

One Unix account per person, a hub that logs them in with PAM and starts each one's own
Jupyter server as that account (the local process spawner), and one nbgrader exchange
shared by every course on the hub. Run as root, once per course (again after the class
list changes); every step is idempotent:

- the course's two groups: GRADERS (the instructors, who may read the course folder:
  solutions, hidden suites, gradebook, everyone's submissions) and STUDENTS (the class and
  its instructors, who may enter the course's folder in the exchange); a person in no
  group of a course cannot see that course at all, which keeps two courses on one hub apart;
- the exchange: its root world-writable with the sticky bit (nbgrader's rule), the
  course's folder in it owned by the first instructor and open to STUDENTS only; inside it
  nbgrader's own modes (outbound readable, inbound writable but not listable, feedback
  reachable only by a hash of the student's own notebook);
- the course folder (grading.toml's folder and the course root) owned by GRADERS, mode
  2770: students cannot read the reference solutions, the hidden tests or anyone's work;
  every member's home is made private (no access for others) if it was not;
- the hub's own folder HUB_DIR: jupyterhub_config.py (PAM, local process spawner, the
  kit's jupyterhub-singleuser, every course's groups allowed), the Jupyter configuration
  every single-user server reads (jupyter/: the exchange), the one students' servers read
  too (jupyter-students/: formgrader, the course list and Create Assignment hidden), and
  one record per course under courses/; restart the hub after hub-setup;
- each instructor's ~/.jupyter/nbgrader_config.py, loading the course's, so formgrader
  and nbgrader's commands find the course from anywhere;
- the sandbox checked as each instructor (rootless bubblewrap), since collect-grade runs
  as their ordinary account.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder.classroom.course import Classroom
from autograder.errors import ClassroomError

DEFAULT_EXCHANGE = Path("/usr/local/share/nbgrader/exchange")
DEFAULT_HUB_DIR = Path("/srv/jupyterhub")
MARK = "# written by `autograder hub-setup`"
# nbgrader's instructor tools, hidden from students in JupyterLab and in the server.
INSTRUCTOR_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
GROUP_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")

HUB_CONFIG = '''{mark}, and rewritten on every run: to change a setting for good,
# copy this file beside it and start the hub with the copy (`jupyterhub -f my_config.py`).
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
hub = json.loads((HERE / "hub.json").read_text())
courses = [json.loads(p.read_text()) for p in sorted((HERE / "courses").glob("*.json"))]

c = get_config()  # noqa: F821
c.JupyterHub.authenticator_class = "pam"  # the machine's Unix accounts and passwords
c.LocalAuthenticator.allowed_groups = {{g for course in courses for g in (course["graders_group"], course["students_group"])}}
c.JupyterHub.spawner_class = "localprocess"  # each person's server runs as their own account
c.Spawner.cmd = [hub["singleuser"]]
c.Spawner.default_url = "/lab"
graders = {{name for course in courses for name in course["instructors"]}}


def jupyter_config_path(spawner):
    """Everyone reads jupyter/ (the exchange); students also jupyter-students/ (nbgrader's instructor tools hidden)."""
    shared = str(HERE / "jupyter")
    return shared if spawner.user.name in graders else str(HERE / "jupyter-students") + ":" + shared


c.Spawner.environment = {{
    "JUPYTER_CONFIG_PATH": jupyter_config_path,
    "AUTOGRADER_EXCHANGE": hub["exchange"],  # `autograder release` and `collect-grade` use the same exchange
    "PATH": hub["path"],
}}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # put the hub behind HTTPS before opening it to the network
c.JupyterHub.cookie_secret_file = str(HERE / "jupyterhub_cookie_secret")
c.JupyterHub.db_url = "sqlite:///" + str(HERE / "jupyterhub.sqlite")
c.ConfigurableHTTPProxy.pid_file = str(HERE / "jupyterhub-proxy.pid")
'''

NBGRADER_CONFIG = """{mark}: every single-user server on the hub reads it.
c = get_config()  # noqa: F821
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True  # a student of two courses gets COURSE/NN_NAME, never one folder for both
"""

INSTRUCTOR_NBGRADER_CONFIG = """{mark}: the course {course_id} (formgrader and nbgrader's commands anywhere).
c = get_config()  # noqa: F821
load_subconfig({config!r})  # noqa: F821
"""


@dataclass
class HubCourse:
    """One course on the hub, as hub-setup left it (saved as HUB_DIR/courses/COURSE_ID.json)."""

    course_id: str
    course_home: str
    course_root: str
    graders_group: str
    students_group: str
    instructors: list[str]
    students: list[str]
    exchange: str
    sandbox: dict[str, str] = field(default_factory=dict)  # instructor -> check-sandbox's line


def default_groups(course_id: str) -> tuple[str, str]:
    """Unix group names (at most 32 characters) for a course's graders and its students."""
    base = re.sub(r"[^a-z0-9_-]", "-", course_id.lower()).lstrip("-0123456789") or "course"
    return f"{base[:23]}-graders", f"{base[:22]}-students"


def hub_setup(
    classroom: Classroom,
    *,
    instructors: list[str],
    students: list[str],
    hub_dir: Path = DEFAULT_HUB_DIR,
    exchange: Path | None = None,
    graders_group: str | None = None,
    students_group: str | None = None,
    check_sandbox: bool = True,
) -> HubCourse:
    """Set up the groups, the exchange, the course folder and the hub's configuration for `classroom`."""
    if os.geteuid() != 0:
        raise ClassroomError(
            "hub-setup changes groups, owners and modes of other accounts' files: run it as root (sudo)."
        )
    if not instructors:
        raise ClassroomError("Name at least one instructor with --instructor USER (an ordinary account, not root).")
    accounts = {name: _account(name) for name in [*instructors, *students]}
    if any(accounts[name].pw_uid == 0 for name in instructors):
        raise ClassroomError(
            "An instructor must be an ordinary account: grading as root would run students' code as root."
        )
    hub_dir = Path(hub_dir).resolve()
    exchange = Path(exchange or classroom.exchange or _hub_exchange(hub_dir) or DEFAULT_EXCHANGE).resolve()
    known = _hub_exchange(hub_dir)
    if known and Path(known) != exchange:
        raise ClassroomError(
            f"This hub's exchange is {known}: pass --exchange {known} (or leave it out) so every course shares it."
        )
    default_graders, default_students = default_groups(classroom.course_id)
    graders_group, students_group = graders_group or default_graders, students_group or default_students
    for group in (graders_group, students_group):
        if not GROUP_NAME.match(group):
            raise ClassroomError(
                f"{group!r} is not a valid Unix group name: use at most 32 lower-case letters, digits, '-' or '_'."
            )
    owner = accounts[instructors[0]]
    kit, home = Path(sys.prefix).resolve(), classroom.home.resolve()
    if kit == home or home in kit.parents:
        raise ClassroomError(
            f"The course folder {classroom.home} holds the kit's Python ({kit}), which every person's server runs, "
            "so it cannot be closed to students: copy grading.toml, nbgrader_config.py and solutions/ "
            "into the instructor's home and pass --config there."
        )
    home, root = classroom.home, classroom.root
    for folder in (home, root):
        if folder.exists() and folder.stat().st_uid not in (owner.pw_uid, 0):
            raise ClassroomError(
                f"{folder} belongs to another account: it must belong to {owner.pw_name} (chown -R {owner.pw_name} {folder})."
            )

    _ensure_group(graders_group, instructors)
    _ensure_group(students_group, [*instructors, *students])
    graders_gid, students_gid = grp.getgrnam(graders_group).gr_gid, grp.getgrnam(students_group).gr_gid

    # The exchange: nbgrader's root rule (world-writable; sticky, so no one removes another course), the course's folder private.
    exchange.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(0o1777)
    course_dir = exchange / classroom.course_id
    course_dir.mkdir(exist_ok=True)
    os.chown(course_dir, owner.pw_uid, students_gid)
    course_dir.chmod(0o2750)
    for child, mode in (("outbound", 0o755), ("inbound", 0o2733), ("feedback", 0o711)):  # nbgrader's own modes
        path = course_dir / child
        path.mkdir(exist_ok=True)
        os.chown(path, owner.pw_uid, students_gid)
        path.chmod(mode)

    # The course folder: graders only.
    root.mkdir(parents=True, exist_ok=True)
    for folder in {home, root}:
        os.chown(folder, owner.pw_uid, graders_gid)
        folder.chmod(0o2770)
    for entry in accounts.values():
        user_home = Path(entry.pw_dir)
        if user_home.is_dir() and user_home.stat().st_mode & 0o007:
            user_home.chmod(user_home.stat().st_mode & ~0o007)  # classmates cannot read each other's work

    # The hub's folder: its configuration, the single-user servers' configuration, one record per course.
    course = HubCourse(
        course_id=classroom.course_id,
        course_home=str(home),
        course_root=str(root),
        graders_group=graders_group,
        students_group=students_group,
        instructors=list(instructors),
        students=list(students),
        exchange=str(exchange),
    )
    _write_hub(hub_dir, exchange)
    for name in instructors:
        _instructor_config(accounts[name], classroom)
    if check_sandbox:
        for name in instructors:
            course.sandbox[name] = _sandbox_line(accounts[name], classroom)
    records = hub_dir / "courses"
    _write(
        records / f"{classroom.course_id}.json",
        json.dumps(asdict(course), indent=2, ensure_ascii=False) + "\n",
        mode=0o600,
    )
    return course


def _account(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise ClassroomError(
            f"There is no account {name!r} on this machine: create it first (useradd --create-home {name})."
        ) from None


def _ensure_group(group: str, members: list[str]) -> None:
    try:
        grp.getgrnam(group)
    except KeyError:
        _run(["groupadd", group], f"creating the group {group}")
    present = set(grp.getgrnam(group).gr_mem)
    for member in members:
        if member not in present:
            _run(["usermod", "--append", "--groups", group, member], f"adding {member} to {group}")


def _run(argv: list[str], what: str) -> None:
    if shutil.which(argv[0]) is None:
        raise ClassroomError(
            f"{what} needs the {argv[0]} command, which this machine lacks: install the passwd package."
        )
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise ClassroomError(f"{what} failed ({argv[0]}: {(done.stderr or done.stdout).strip()[:200]}).")


def _hub_exchange(hub_dir: Path) -> str | None:
    try:
        return json.loads((hub_dir / "hub.json").read_text())["exchange"]
    except (OSError, ValueError, KeyError):
        return None


def _write(path: Path, text: str, *, mode: int = 0o644, owner: pwd.struct_passwd | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        os.chown(path.parent, owner.pw_uid, owner.pw_gid)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    if owner is not None:
        os.chown(path, owner.pw_uid, owner.pw_gid)


def _write_hub(hub_dir: Path, exchange: Path) -> None:
    hub_dir.mkdir(parents=True, exist_ok=True)
    hub_dir.chmod(0o755)
    bin_dir = Path(sys.executable).parent
    singleuser = bin_dir / "jupyterhub-singleuser"
    hub = {
        "exchange": str(exchange),
        "singleuser": str(singleuser),
        "path": os.pathsep.join([str(bin_dir), "/usr/local/bin", "/usr/bin", "/bin"]),
    }
    _write(hub_dir / "hub.json", json.dumps(hub, indent=2) + "\n")
    _write(hub_dir / "jupyterhub_config.py", HUB_CONFIG.format(mark=MARK))
    (hub_dir / "courses").mkdir(exist_ok=True)
    (hub_dir / "courses").chmod(0o700)
    jupyter = hub_dir / "jupyter"
    _write(jupyter / "nbgrader_config.py", NBGRADER_CONFIG.format(mark=MARK, exchange=str(exchange)))
    _write(
        jupyter / "labconfig" / "page_config.json",  # JupyterLab's news pop-up asks every person to go online
        json.dumps({"disabledExtensions": {ANNOUNCEMENTS: True}}, indent=2) + "\n",
    )
    students = hub_dir / "jupyter-students"
    _write(
        students / "jupyter_server_config.json",
        json.dumps(
            {"ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}}}, indent=2
        )
        + "\n",
    )
    _write(
        students / "labconfig" / "page_config.json",
        json.dumps({"disabledExtensions": {name: True for name in INSTRUCTOR_PLUGINS}}, indent=2) + "\n",
    )


def _instructor_config(account: pwd.struct_passwd, classroom: Classroom) -> None:
    """~/.jupyter/nbgrader_config.py of an instructor: the course's nbgrader configuration, for formgrader and nbgrader's commands."""
    folder = Path(account.pw_dir) / ".jupyter"
    config = folder / "nbgrader_config.py"
    if config.exists() and MARK not in config.read_text(encoding="utf-8", errors="replace"):
        raise ClassroomError(
            f"{config} exists and was not written by hub-setup: add the line "
            f"load_subconfig({str(classroom.home / 'nbgrader_config.py')!r}) to it yourself, or move it away."
        )
    _write(
        config,
        INSTRUCTOR_NBGRADER_CONFIG.format(
            mark=MARK, course_id=classroom.course_id, config=str(classroom.home / "nbgrader_config.py")
        ),
        owner=account,
    )


def _sandbox_line(account: pwd.struct_passwd, classroom: Classroom) -> str:
    """`autograder check-sandbox` run as the instructor: the line it prints, or why it failed."""
    argv = [
        "setpriv",
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--init-groups",
        str(Path(sys.executable).parent / "autograder"),
        "--config",
        str(classroom.config.source),
        "check-sandbox",
    ]
    env = {"HOME": account.pw_dir, "USER": account.pw_name, "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=account.pw_dir, timeout=300)
    text = " ".join((done.stdout + done.stderr).split())
    return text if done.returncode == 0 else f"does not work: {text}"
