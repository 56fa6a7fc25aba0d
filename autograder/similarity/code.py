"""Student code and starter code as plain Python text, the way the grader reads a hand-in.

A notebook becomes its code cells (magics commented out, as the grader does), each under a
`# %% [cell N]` line; outputs and markdown never count. Cells equal to a released code
cell, and the released self-check cells, are left out. So is every line the stub or the
released notebook already holds (the signatures, docstrings, comments and imports given),
except that a given `def` or `class` line stays as a comment, so a reader knows where they
are: had the given lines stayed, the fingerprints spanning a given docstring and a
student's first line would match between any two students. Starter code the students
moved or split is removed by its fingerprints (detect.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.untrusted_text import printable

NOTEBOOK_CELL = "# %% [cell {number}]"
GIVEN_DEFINITION = "# (given) {line}"


@dataclass(frozen=True)
class StudentCode:
    student: str
    text: str  # the code compared (and shown), '' when nothing could be read
    file: str = ""  # the file it came from, as the grader names it
    problem: str = ""  # why there is no code, for the instructor


def starter_code(release_dir: Path, module_file: str) -> str:
    """Everything students were given as code: the stub, the notebook's code cells, selfcheck.py, the public tests."""
    from jupytext.magics import comment_magic

    from autograder.check_cells import HELPER
    from autograder.submission import read_notebook

    stem = Path(module_file).stem
    parts = []
    for name in (module_file, HELPER, f"test_{stem}.py"):
        path = release_dir / name
        if path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    notebook = release_dir / f"{stem}.ipynb"
    if notebook.is_file():
        for cell in read_notebook(notebook.read_bytes()).cells:
            if cell.get("cell_type") == "code":
                parts.append("\n".join(comment_magic(str(cell.get("source", "")).splitlines(), "python")))
    return "\n\n".join(parts)


def starter_lines(release_dir: Path | None, module_file: str) -> frozenset[str]:
    """Every line (stripped) of the released stub and of the released notebook's code cells."""
    if release_dir is None:
        return frozenset()
    lines: set[str] = set()
    stub = release_dir / module_file
    if stub.is_file():
        lines.update(line.strip() for line in stub.read_text(encoding="utf-8", errors="replace").splitlines())
    for cell in _released_cells(release_dir, module_file):
        lines.update(line.strip() for line in cell.splitlines())
    lines.discard("")
    return frozenset(lines)


def without_given_lines(text: str, given: frozenset[str]) -> str:
    """`text` without blank lines and the lines in `given`; a given def/class line kept as a comment."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped in given:
            if stripped.startswith(("def ", "class ", "async def ")):
                kept.append(line[: len(line) - len(line.lstrip())] + GIVEN_DEFINITION.format(line=stripped))
            continue
        kept.append(line.rstrip())
    return "\n".join(kept) + ("\n" if kept else "")


def student_code(
    student: str, path: Path, module_file: str, release_dir: Path | None, given: frozenset[str] = frozenset()
) -> StudentCode:
    """The code of one hand-in (a file or a folder), picked as the grader picks it, without the `given` lines."""
    from autograder.submission import SubmissionError, pick_submission, prepare

    pick = pick_submission(path, module_file, release_dir)
    if pick.file is None:
        return StudentCode(student, "", problem=pick.notes[0].en if pick.notes else "nothing handed in")
    try:
        prepared = prepare(pick, module_file)
    except SubmissionError as err:
        return StudentCode(student, "", pick.name or "", problem=err.text.en)
    if prepared.cells is None:
        text = prepared.files[module_file].decode("utf-8-sig", errors="replace")
    else:
        released = _released_cells(release_dir, module_file)
        text = "\n".join(
            f"{NOTEBOOK_CELL.format(number=cell['number'])}\n{cell['source'].rstrip()}\n"
            for cell in prepared.cells
            if _normal(cell["source"]) not in released
        )
    text = without_given_lines(text.replace("\r\n", "\n"), given)
    marks = (NOTEBOOK_CELL.split("{")[0], GIVEN_DEFINITION.split("{")[0])
    if all(line.lstrip().startswith(marks) for line in text.splitlines()):
        text = ""  # nothing of the student's own
    return StudentCode(
        student, printable(text), prepared.graded_file, problem="" if text else "nothing but the starter code"
    )


def read_class(hand_ins: dict[str, Path], module_file: str, release_dir: Path | None) -> list[StudentCode]:
    """Every student's code, sorted by student id."""
    given = starter_lines(release_dir, module_file)
    return [student_code(student, hand_ins[student], module_file, release_dir, given) for student in sorted(hand_ins)]


def _released_cells(release_dir: Path | None, module_file: str) -> set[str]:
    from autograder.submission import read_notebook

    notebook = release_dir / f"{Path(module_file).stem}.ipynb" if release_dir else None
    if notebook is None or not notebook.is_file():
        return set()
    return {
        _normal(str(cell.get("source", "")))
        for cell in read_notebook(notebook.read_bytes()).cells
        if cell.get("cell_type") == "code"
    }


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").splitlines() if line.strip())
