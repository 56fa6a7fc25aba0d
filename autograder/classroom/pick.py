"""Which file of a collected folder to grade, and a clean copy of it for the grader.

A student fetches both the notebook and the .py stub and may work in either, so the
submitted folder usually holds both, one of them untouched. We grade the one the student
changed; a renamed notebook (`activations (1).ipynb`, `activations-2.ipynb` from an LMS)
is graded under its proper name, with a note saying so. Every choice is explained in one
sentence, in the course's two languages.
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.engine.feedback import say

SKIP = ("timestamp.txt", "submission_secret.txt")


@dataclass(frozen=True)
class Pick:
    path: Path | None  # the student's file to grade, None when there is nothing at all
    notes: tuple[str, ...]  # why this file, for the student and the instructor
    digest: str  # sha256 of the chosen file's name and bytes: a resubmission changes it


def pick_submission(folder: Path, expected_file: str, released: Path | None = None) -> Pick:
    """The file in `folder` that holds the student's work for `expected_file` (F or its notebook)."""
    stem = Path(expected_file).stem
    notebook = f"{stem}.ipynb"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in SKIP and "__pycache__" not in p.parts
                   and ".ipynb_checkpoints" not in p.parts) if folder.is_dir() else []
    exact = [p for p in files if p.name in (expected_file, notebook) and p.parent == folder]
    notes: list[str] = []
    if not exact:
        others = [p for p in files if p.suffix == ".ipynb"] or \
                 [p for p in files if p.suffix == ".py" and not p.name.startswith("test_")]
        if not others:
            return Pick(None, (say(f"No {expected_file} or {notebook} was submitted.",
                                   f"{expected_file} 또는 {notebook} 파일이 제출되지 않았습니다."),), "")
        chosen = _newest(others)
        target = notebook if chosen.suffix == ".ipynb" else expected_file
        notes.append(say(f"Graded {chosen.name} as {target}; name the file {target} next time.",
                         f"{chosen.name} 파일을 {target}(으)로 보고 채점했습니다. 다음에는 파일 이름을 {target}(으)로 해 주세요."))
        return Pick(chosen, tuple(notes), _digest(chosen))
    changed = [p for p in exact if released is None or not _untouched(p, released / p.name)]
    if len(exact) == 1 or not changed:
        chosen = exact[0] if len(exact) == 1 else next(p for p in exact if p.suffix == ".ipynb")
    elif len(changed) == 1:
        chosen = changed[0]
    else:
        chosen = _newest(changed)
        other = next(p for p in changed if p is not chosen)
        notes.append(say(f"Both {chosen.name} and {other.name} were changed; the more recently saved {chosen.name} was graded.",
                         f"{chosen.name}와 {other.name}가 모두 수정되어 있어 더 최근에 저장된 {chosen.name}를 채점했습니다."))
    return Pick(chosen, tuple(notes), _digest(chosen))


def stage(pick: Pick, expected_file: str, into: Path) -> Path:
    """A folder holding the chosen file under its proper name, plus the student's helper modules."""
    into.mkdir(parents=True, exist_ok=True)
    if pick.path is None:
        return into
    stem = Path(expected_file).stem
    proper = f"{stem}.ipynb" if pick.path.suffix == ".ipynb" else expected_file
    shutil.copyfile(pick.path, into / proper)
    for helper in sorted(pick.path.parent.glob("*.py")):
        if helper.name not in (expected_file, pick.path.name) and not helper.name.startswith("test_"):
            shutil.copyfile(helper, into / helper.name)
    return into


def _untouched(path: Path, released: Path) -> bool:
    """Does the student's copy still say what was released (outputs and metadata aside)?"""
    if not released.is_file():
        return False
    if path.read_bytes() == released.read_bytes():
        return True
    if path.suffix != ".ipynb":
        return False
    try:
        mine = nbformat.read(path, as_version=4)
        theirs = nbformat.read(released, as_version=4)
    except Exception:
        return False
    return _code(mine) == _code(theirs)


def _code(notebook) -> list[str]:
    return [str(c.get("source", "")).strip() for c in notebook.cells if c.get("cell_type") == "code"]


def _newest(paths: list[Path]) -> Path:
    return max(paths, key=lambda p: (p.stat().st_mtime, p.suffix == ".ipynb", p.name))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.name.encode() + b"\0" + path.read_bytes()).hexdigest()
