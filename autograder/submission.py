"""Pick the student's file and read it into what the sandbox imports: one rule for every path.

`grade`, `grade-all`, `grade-examples` and `collect-grade` all call `pick_submission`. A
student's folder often holds both the notebook and the `.py` stub, one of them untouched:
the one the student changed is graded, and the result names it. A renamed notebook
(`activations (1).ipynb` from an LMS) is graded under its proper name, with a note. Every
choice is explained in one sentence, in the course's two languages.

`prepare` reads the chosen file (and, from a folder, the student's helper modules) into
memory. Notebooks keep their cells apart, so a cell that raises is reported by its
number while later definitions are still graded; IPython magics and shell lines are
commented out with jupytext's own rules, since they mean nothing outside a notebook.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from autograder.engine.feedback import say
from autograder.engine.job import WireSubmission

MAX_FILE_BYTES = 5 << 20
MAX_HELPER_FILES = 20
SKIP = ("timestamp.txt", "submission_secret.txt")  # what nbgrader's submit adds beside the work
_RUN_BODY_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


class SubmissionError(Exception):
    """The submission cannot be graded at all; the text is shown to the student."""


@dataclass(frozen=True)
class Pick:
    path: Path | None  # the student's file to grade, None when there is nothing at all
    notes: tuple[str, ...]  # why this file, for the student and the instructor
    from_folder: bool = False  # the student handed in a folder: its other .py files are helper modules


@dataclass(frozen=True)
class PreparedSubmission:
    files: dict[str, bytes]  # relative name -> content, staged into the sandbox
    module_file: str  # the file the runner imports, e.g. activations.py
    cells: list[dict] | None  # notebook cells (number, source), or None for a .py
    graded_file: str  # the student's file that was graded, e.g. activations.ipynb

    @property
    def is_notebook(self) -> bool:
        return self.cells is not None

    @property
    def digest(self) -> str:
        """sha256 of everything that reaches the sandbox: a resubmission changes it, a re-run does not."""
        digest = hashlib.sha256(self.graded_file.encode() + b"\0" + json.dumps(self.cells).encode())
        for name in sorted(self.files):
            digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(self.files[name]).digest())
        return digest.hexdigest()

    def to_wire(self) -> WireSubmission:
        """As the judge's job carries it: the judge never reads the student's folder."""
        return WireSubmission(files={name: base64.b64encode(data).decode() for name, data in self.files.items()},
                              module_file=self.module_file, cells=self.cells, graded_file=self.graded_file)

    @classmethod
    def from_wire(cls, wire: WireSubmission) -> PreparedSubmission:
        return cls({name: base64.b64decode(text) for name, text in wire.files.items()},
                   wire.module_file, wire.cells, wire.graded_file)


def pick_submission(path: Path, expected_file: str, released: Path | None = None) -> Pick:
    """The student's work for `expected_file` (F or its notebook) in `path`, a file or a folder.

    `released` is the folder holding what students were given: a file still equal to it
    (code cells compared, outputs aside) is the untouched stub, not the student's work.
    """
    path = Path(path)
    stem = Path(expected_file).stem
    notebook = f"{stem}.ipynb"
    if path.is_file():
        return Pick(path, ())
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name not in SKIP and "__pycache__" not in p.parts
                   and ".ipynb_checkpoints" not in p.parts) if path.is_dir() else []
    exact = [p for p in files if p.name in (expected_file, notebook) and p.parent == path]
    if not exact:
        others = [p for p in files if p.suffix == ".ipynb"] or \
                 [p for p in files if p.suffix == ".py" and not p.name.startswith("test_")]
        if not others:
            return Pick(None, (say(f"No {expected_file} or {notebook} was submitted.",
                                   f"{expected_file} 또는 {notebook} 파일이 제출되지 않았습니다."),), True)
        chosen = _newest(others)
        target = notebook if chosen.suffix == ".ipynb" else expected_file
        return Pick(chosen, (say(f"Graded {chosen.name} as {target}; name the file {target} next time.",
                                 f"{chosen.name} 파일을 {target}(으)로 보고 채점했습니다. 다음에는 파일 이름을 {target}(으)로 해 주세요."),), True)
    if len(exact) == 1:
        return Pick(exact[0], (), True)
    changed = [p for p in exact if released is None or not _untouched(p, released / p.name)]
    if len(changed) == 1:
        chosen, other = changed[0], next(p for p in exact if p is not changed[0])
        return Pick(chosen, (say(f"Graded {chosen.name}, the file you changed; {other.name} is as it was released.",
                                 f"수정된 파일인 {chosen.name}를 채점했습니다. {other.name}는 배포된 그대로입니다."),), True)
    if not changed:
        chosen = next(p for p in exact if p.suffix == ".ipynb")
        other = next(p for p in exact if p is not chosen)
        return Pick(chosen, (say(f"Neither {chosen.name} nor {other.name} was changed from the release; {chosen.name} was graded.",
                                 f"{chosen.name}와 {other.name} 모두 배포된 그대로입니다. {chosen.name}를 채점했습니다."),), True)
    chosen = _newest(changed)
    other = next(p for p in exact if p is not chosen)
    if released is None:
        return Pick(chosen, (say(f"Both {chosen.name} and {other.name} were handed in; the more recently saved {chosen.name} was graded.",
                                 f"{chosen.name}와 {other.name}가 모두 제출되어 더 최근에 저장된 {chosen.name}를 채점했습니다."),), True)
    return Pick(chosen, (say(f"Both {chosen.name} and {other.name} were changed; the more recently saved {chosen.name} was graded.",
                             f"{chosen.name}와 {other.name}가 모두 수정되어 있어 더 최근에 저장된 {chosen.name}를 채점했습니다."),), True)


def prepare(pick: Pick, expected_file: str) -> PreparedSubmission:
    """Read the picked file, under its proper name, and the student's helper modules into memory."""
    if pick.path is None:
        raise SubmissionError(pick.notes[0] if pick.notes else f"No {expected_file} was submitted.")
    source = pick.path
    content = _read_capped(source)
    files: dict[str, bytes] = {}
    if pick.from_folder:
        from autograder.course.selfcheck import HELPER  # released beside the notebook; only the skipped check cells use it

        for helper in sorted(source.parent.glob("*.py"))[:MAX_HELPER_FILES]:
            if helper.name not in (source.name, expected_file, HELPER) and not helper.name.startswith("test_"):
                files[helper.name] = _read_capped(helper)
    if source.suffix == ".ipynb":
        return PreparedSubmission(files, expected_file, notebook_cells(content, source.name), source.name)
    files[expected_file] = content
    return PreparedSubmission(files, expected_file, None, source.name)


def notebook_cells(content: bytes, name: str) -> list[dict]:
    """The notebook's code cells as (number, source), magics commented out.

    Cells that are not Python (%%bash) and the released self-check cells, which only print
    the public tests' results, are left out.
    """
    import nbformat
    from jupytext.magics import comment_magic

    from autograder.course.selfcheck import is_check_cell

    try:
        notebook = nbformat.reads(content.decode("utf-8", errors="replace"), as_version=4)
    except Exception as err:
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        raise SubmissionError(f"{name} is not a readable Jupyter notebook ({reason}); open it in Jupyter, save it again and resubmit.") from None
    cells = []
    code_number = 0
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        code_number += 1
        lines = str(cell.get("source", "")).splitlines()
        first = lines[0].strip() if lines else ""
        if first.startswith("%%") and not first.startswith(_RUN_BODY_CELL_MAGICS):
            continue  # a %%bash or %%html cell is not Python
        if is_check_cell("\n".join(lines)):
            continue  # a self-check cell: selfcheck.py is not in the sandbox, and it defines nothing
        cells.append({"number": code_number, "source": "\n".join(comment_magic(lines, "python")) + "\n"})
    return cells


def _untouched(path: Path, released: Path) -> bool:
    """Does the student's copy still say what was released (outputs and metadata aside)?"""
    if not released.is_file():
        return False
    if path.read_bytes() == released.read_bytes():
        return True
    if path.suffix != ".ipynb":
        return False
    import nbformat

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


def _read_capped(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SubmissionError(f"{path.name} is {size >> 20} MB; a submission file may be at most {MAX_FILE_BYTES >> 20} MB.")
    return path.read_bytes()
