"""Give a notebook read from a reference solution the cell metadata nbgrader works with.

A code cell holding a solution region becomes an nbgrader solution cell whose grade_id is
the function it belongs to (`sigmoid`), so ids survive edits elsewhere in the file; every
other cell becomes a locked read-only cell, so nbgrader records its checksum and its
autograde step can tell whether a student changed provided code. Cell ids equal the
grade ids, which keeps the released notebook byte-identical from one build to the next.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
NBGRADER_SCHEMA = 3
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}

_DEFINITION = re.compile(r"^(\s*)(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)")


def mark_for_nbgrader(notebook: NotebookNode) -> NotebookNode:
    """Set nbgrader metadata, stable ids and a Python 3 kernelspec, in place; returns it."""
    used: set[str] = set()
    for index, cell in enumerate(notebook.cells, start=1):
        cell.metadata = {}
        if cell.cell_type == "code" and BEGIN_SOLUTION in cell.source:
            grade_id = _unique(solution_owner(cell.source) or f"answer-{index:02d}", used)
            cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=True)
        else:
            kind = "code" if cell.cell_type == "code" else "text"
            grade_id = _unique(f"{kind}-{index:02d}", used)
            cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=False)
        cell.id = grade_id
    notebook.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    return notebook


def solution_owner(source: str) -> str | None:
    """The name of the function (or class) enclosing the cell's first solution region."""
    enclosing: list[tuple[int, str]] = []  # (indent, name) of the definitions still open
    for line in source.splitlines():
        indent = len(line) - len(line.lstrip())
        match = _DEFINITION.match(line)
        if BEGIN_SOLUTION in line or match:
            while enclosing and enclosing[-1][0] >= indent:
                enclosing.pop()
        if BEGIN_SOLUTION in line:
            return enclosing[-1][1] if enclosing else None
        if match:
            enclosing.append((indent, match.group(2)))
    return None


def _nbgrader(grade_id: str, *, solution: bool) -> dict:
    return {
        "grade": False,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": NBGRADER_SCHEMA,
        "solution": solution,
    }


def _unique(grade_id: str, used: set[str]) -> str:
    candidate, number = grade_id, 2
    while candidate in used:
        candidate, number = f"{grade_id}-{number}", number + 1
    used.add(candidate)
    return candidate
