"""Find a student's file and turn it into what the sandbox imports.

A submission is a `.py` file, a notebook of the same stem, or a folder holding one of
them (its other `.py` files come along as helper modules). Notebooks are read with
nbformat and keep their cells apart, so a cell that raises is reported by its number while
later definitions are still graded; IPython magics and shell lines are commented out with
jupytext's own rules, since they mean nothing outside a notebook.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupytext.magics import comment_magic

MAX_FILE_BYTES = 5 << 20
MAX_HELPER_FILES = 20
_RUN_BODY_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


class SubmissionError(Exception):
    """The submission cannot be graded at all; the text is shown to the student."""


@dataclass(frozen=True)
class PreparedSubmission:
    files: dict[str, bytes]  # relative name -> content, staged into the sandbox
    module_file: str  # the file the runner imports, e.g. activations.py
    cells: list[dict] | None  # notebook cells (number, source), or None for a .py
    origin: Path
    digest: str  # sha256 of what was submitted, to tell a resubmission from a resume

    @property
    def is_notebook(self) -> bool:
        return self.cells is not None


def find_submission(path: Path, expected_file: str) -> Path:
    """The student's `.py` or `.ipynb` inside `path` (or `path` itself)."""
    stem = Path(expected_file).stem
    if path.is_file():
        return path
    if not path.exists():
        raise SubmissionError(f"{path} does not exist.")
    for candidate in (path / expected_file, path / f"{stem}.ipynb"):
        if candidate.is_file():
            return candidate
    python_files = sorted(path.glob("*.py")) + sorted(path.glob("*.ipynb"))
    if len(python_files) == 1:
        return python_files[0]
    raise SubmissionError(f"No {expected_file} or {stem}.ipynb was found in {path}; submit the file with exactly that name.")


def prepare(path: Path, expected_file: str) -> PreparedSubmission:
    """Read the submission into memory, ready to stage into a sandbox."""
    source = find_submission(Path(path), expected_file)
    content = _read_capped(source)
    files: dict[str, bytes] = {}
    if source.parent != source and Path(path).is_dir():
        for helper in sorted(source.parent.glob("*.py"))[:MAX_HELPER_FILES]:
            if helper.name not in (source.name, expected_file):
                files[helper.name] = _read_capped(helper)
    digest = hashlib.sha256(content).hexdigest()
    if source.suffix == ".ipynb":
        return PreparedSubmission(files, expected_file, notebook_cells(content, source.name), source, digest)
    files[expected_file] = content
    return PreparedSubmission(files, expected_file, None, source, digest)


def notebook_cells(content: bytes, name: str) -> list[dict]:
    """The notebook's code cells as (number, source), magics commented out."""
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
        cells.append({"number": code_number, "source": "\n".join(comment_magic(lines, "python")) + "\n"})
    return cells


def _read_capped(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SubmissionError(f"{path.name} is {size >> 20} MB; a submission file may be at most {MAX_FILE_BYTES >> 20} MB.")
    return path.read_bytes()
