"""Helpers for the project's own tests: grade a file through the real grader."""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil

from autograder.config import GradingConfig, load_config
from autograder.course.expectations import failed_functions  # noqa: F401  (re-exported for the tests)
from autograder.course.layout import layout
from autograder.grading import GradeOptions, grade
from autograder.paths import REPO_ROOT
from autograder.results import SubmissionResult

COURSE_CONFIG = REPO_ROOT / "grading.toml"
DEMO_CONFIG = REPO_ROOT / "tests" / "demo" / "grading.toml"
# The demo assignment answered correctly: mean and softmax, which a test may put after its own square().
HONEST_REST = """
def mean(x):
    return float(np.mean(x))

def softmax(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""
CORRECT_DEMO = (
    """
import numpy as np

def square(x):
    return np.asarray(x, dtype=float) ** 2
"""
    + HONEST_REST
)


SLOW_NAME = "slow-square"
SLOW_DEMO = CORRECT_DEMO.replace(
    "def square(x):\n",
    f"""def square(x):
    import ctypes, time
    ctypes.CDLL(None).prctl(15, b"{SLOW_NAME}", 0, 0, 0)  # PR_SET_NAME: tests find this process by name
    time.sleep(2)
""",
)  # a correct submission whose square() takes 2 s, under the 3 s call limit of the demo


def inside_slow_square() -> list[psutil.Process]:
    """The sandboxed processes running SLOW_DEMO's square() now, found by the name it gives itself."""
    found = []
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] == SLOW_NAME:
            found.append(proc)
    return found


@contextlib.contextmanager
def cpu_hogs(per_core: int = 3):
    """`per_core` busy loops per CPU, each in a session of its own as other users' programs are, killed by pid at the end.

    With the kernel's autogroup scheduling, hogs sharing one session would barely slow the grader.
    """
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
        for _ in range(per_core * len(os.sched_getaffinity(0)))
    ]
    try:
        time.sleep(0.5)
        yield [hog.pid for hog in hogs]
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


def with_limits(assignment: str, config: Path | GradingConfig = COURSE_CONFIG, **limits) -> GradingConfig:
    """The configuration with some of `assignment`'s [limits] keys changed, in memory."""
    config = config if isinstance(config, GradingConfig) else load_config(config)
    spec = config.assignments[assignment]
    changed = spec.model_copy(update={"limits": spec.limits.model_copy(update=limits)})
    return config.model_copy(update={"assignments": {**config.assignments, assignment: changed}})


def grade_file(
    path: Path,
    assignment: str,
    *,
    config: Path | GradingConfig = COURSE_CONFIG,
    seed: int | None = None,
    isolation: str = "auto",
    language: str = "en",
) -> SubmissionResult:
    """Grade one submission with the real judge and sandbox, in English by default."""
    options = GradeOptions(seed=seed, isolation=isolation, language=language)
    config = config if isinstance(config, GradingConfig) else load_config(config)
    return grade(path, assignment, config=config, options=options)


def with_integrity(assignment: str, **settings) -> GradingConfig:
    """The course's configuration with some of `assignment`'s [integrity] keys changed, in memory."""
    config = load_config(COURSE_CONFIG)
    spec = config.assignments[assignment]
    changed = spec.model_copy(
        update={"integrity": spec.integrity.model_validate({**spec.integrity.model_dump(), **settings})}
    )
    return config.model_copy(update={"assignments": {**config.assignments, assignment: changed}})


def solved_notebook(solution: Path, released, replace: dict[str, str] | None = None):
    """The released notebook with every solution cell answered from the reference solution,
    except the cells whose grade id `replace` names, which get its source instead."""
    from autograder.course.cells import mark_for_nbgrader
    from autograder.course.conversion import notebook_from_percent

    answers = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in mark_for_nbgrader(notebook_from_percent(solution.read_text())).cells
    }
    notebook = copy.deepcopy(released)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            cell.source = (
                (replace or {})
                .get(grade_id, answers[grade_id])
                .replace("### BEGIN SOLUTION", "")
                .replace("### END SOLUTION", "")
            )
    return notebook


def answered_release(name: str, folder: Path, replace: dict[str, str] | None = None) -> Path:
    """`folder`: a student's copy of the released assignment `name` with the notebook answered from the
    reference (cells named in `replace`, by grade id, answered with its source instead)."""
    spot = layout(name, load_config(COURSE_CONFIG))
    shutil.copytree(spot.release_dir, folder, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    released = nbformat.read(folder / spot.notebook, as_version=4)
    nbformat.write(solved_notebook(spot.solution_file, released, replace), folder / spot.notebook)
    return folder


def mini_course(root: Path, exchange: Path):
    """A course root holding only what an instructor keeps in the repository (grading.toml, the
    unedited nbgrader_config.py, every assignment's settings and the whole folder of activations),
    opened as a classroom."""
    from autograder.classroom.course import open_classroom

    root.mkdir(parents=True, exist_ok=True)
    for name in ("grading.toml", "nbgrader_config.py"):
        shutil.copyfile(REPO_ROOT / name, root / name)
    for settings in sorted((REPO_ROOT / "solutions").glob("*/assignment.toml")):
        target = root / "solutions" / settings.parent.name / settings.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(settings, target)
    shutil.copytree(
        REPO_ROOT / "solutions" / "01_activations",
        root / "solutions" / "01_activations",
        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"),
        dirs_exist_ok=True,
    )
    return open_classroom(root / "grading.toml", exchange=exchange)


def failed(result: SubmissionResult) -> set[str]:
    """Names of the tests that did not pass (pytest item names, e.g. test_mean[7])."""
    return {t.name for t in result.tests if t.status != "passed"}


# -- an ordinary (non-root) account, for the rootless runs ------------------------------------

INSTRUCTOR = "ag-instructor"  # the account the root run creates to grade as an ordinary user


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int
    home: Path


def ordinary_user() -> User:
    """An ordinary account: this one when not root, else `ag-instructor`, created on first use."""
    if os.geteuid() != 0:
        entry = pwd.getpwuid(os.geteuid())
    else:
        try:
            entry = pwd.getpwnam(INSTRUCTOR)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", INSTRUCTOR], check=True)
            entry = pwd.getpwnam(INSTRUCTOR)
    return User(entry.pw_name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


@contextlib.contextmanager
def shared_folder():
    """A temporary folder every user may enter and write (pytest's own tmp_path is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="autograder-shared-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def reachable_by_others(path: Path) -> bool:
    """Can a user other than the owner enter every folder down to `path`?"""
    return all(parent.stat().st_mode & 0o001 for parent in [path, *path.parents])


@contextlib.contextmanager
def command_as(user: User, argv: list[str], *, switch: list[str] | None = None, env: dict | None = None):
    """(argv, environment, cwd) that run `argv` from the checkout's root as `user`, really under that uid.

    `switch` is the command that becomes the user (default: setpriv). Where the checkout
    lies under a folder other users cannot enter (say /root), it is bind-mounted, in a
    mount namespace of the command's own, at a place they can, and every path in `argv`
    follows it there.
    """
    switch = switch or ["setpriv", f"--reuid={user.uid}", f"--regid={user.gid}", "--init-groups"]
    environment = {
        "HOME": str(user.home),
        "USER": user.name,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        **({"CI": os.environ["CI"]} if "CI" in os.environ else {}),
        **(env or {}),
    }
    if os.geteuid() != 0 or reachable_by_others(REPO_ROOT):
        yield ([*switch, *argv] if os.geteuid() == 0 else list(argv)), environment, REPO_ROOT
        return
    with shared_folder() as mount:
        mount.chmod(0o755)
        moved = [part.replace(str(REPO_ROOT), str(mount)) for part in [*switch, *argv]]
        environment["PYTHONPATH"] = str(mount)  # the editable install names the unreachable path
        script = 'mount --bind "$1" "$2" && cd "$2" && shift 2 && exec "$@"'
        yield (
            [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--",
                "sh",
                "-c",
                script,
                "sh",
                str(REPO_ROOT),
                str(mount),
                *moved,
            ],
            environment,
            REPO_ROOT,
        )


def run_as(
    user: User, argv: list[str], *, switch: list[str] | None = None, env: dict | None = None, timeout: float = 1800
) -> subprocess.CompletedProcess:
    """Run `argv` as `user` (see `command_as`) and wait for it."""
    with command_as(user, argv, switch=switch, env=env) as (command, environment, cwd):
        return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)


DISHONEST = REPO_ROOT / "tests" / "variants" / "dishonest"


def dishonest_submission(variant: Path, reference: Path, folder: Path) -> Path:
    """A student folder for a dishonest variant: the variant (over `reference` if it is an
    overlay), the lookup helpers as answers.py and, where it uses them, the public test set's
    tables as answers_data.py."""
    from autograder.course.expectations import overlay_source
    from autograder.data import load_split

    folder.mkdir(parents=True, exist_ok=True)
    text = variant.read_text(encoding="utf-8")
    target = folder / reference.name
    target.write_text(overlay_source(variant, reference) or text, encoding="utf-8")
    helper = shutil.copyfile(DISHONEST / "_lookup.py", folder / "answers.py")
    if "exact_labels" in text or "nearest_labels" in text:
        spec = importlib.util.spec_from_file_location("answers", helper)
        answers = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(answers)
        x_test, y_test = load_split("test", load_config(COURSE_CONFIG).data_home)
        (folder / "answers_data.py").write_text(answers.table_source(x_test, y_test), encoding="utf-8")
    return target


def dishonest_causes(variant: Path) -> tuple[str, str]:
    """The failure cause a dishonest variant must get, and the one once the literal-data cap is lifted."""
    first = variant.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect-fail-cause:"), (
        f"{variant} must start with '# expect-fail-cause: CAUSE, CAUSE_UNCAPPED'"
    )
    capped, uncapped = (part.strip() for part in first.split(":", 1)[1].split(","))
    return capped, uncapped
