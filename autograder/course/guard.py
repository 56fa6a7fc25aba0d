"""Refuse a release that would give students an answer: the last check before writing.

Each problem is one sentence naming the file and what leaked, so the instructor can find
it in solutions/ at once. The notebook's self-check cells and their helper run inside the
student's notebook, so they get one more check: they may use the public tests and nothing
of the hidden suite.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from nbformat import NotebookNode

from autograder.check_cells import HELPER, is_check_cell, setup_files
from autograder.course.cells import BEGIN_SOLUTION, END_SOLUTION
from autograder.course.nbgrader_release import CODE_STUB

FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
STUB_LINES = frozenset(line.strip() for line in CODE_STUB.splitlines())
_TRIVIAL = re.compile(r"[\W_]*|(return|pass|break|continue|else:|try:|finally:|except:|except Exception:)")
_LITERAL = re.compile(r"\d|['\"]")  # a number or a string: what an input or an expected value is written with
_TEST_NAME = re.compile(r"\btest_\w+")
_TEST_DEFINITION = re.compile(r"^\s*(?:async\s+)?def\s+(test\w*)\s*\(", re.M)


def solution_regions(source: str) -> list[list[str]]:
    """The lines inside each BEGIN/END SOLUTION pair of `source`, markers excluded."""
    regions, current = [], None
    for line in source.splitlines():
        if BEGIN_SOLUTION in line:
            current = []
        elif END_SOLUTION in line:
            if current is not None:
                regions.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return regions


def outside_regions(source: str) -> list[str]:
    """The lines students receive as they are: everything outside the solution regions."""
    kept, inside = [], False
    for line in source.splitlines():
        if BEGIN_SOLUTION in line:
            inside = True
        elif END_SOLUTION in line:
            inside = False
        elif not inside:
            kept.append(line)
    return kept


def is_trivial(line: str) -> bool:
    """A line that gives nothing away (blank, brackets, a bare `return`)."""
    return _TRIVIAL.fullmatch(line.strip()) is not None


def secret_lines(*sources: str) -> set[str]:
    """Stripped solution lines that must not reach a student: not trivial, not given in any source."""
    given = {line.strip() for source in sources for line in outside_regions(source)}
    return {
        line.strip()
        for source in sources
        for region in solution_regions(source)
        for line in region
        if not is_trivial(line) and line.strip() not in given
    }


def marker_problems(source_notebook: NotebookNode, where: str) -> list[str]:
    """Solution markers nbgrader would misread: unpaired, nested, or outside a code cell."""
    problems = []
    for number, cell in enumerate(source_notebook.cells, start=1):
        depth, begins = 0, 0
        for line in cell.source.splitlines():
            if BEGIN_SOLUTION in line:
                begins += 1
                depth += 1
                if depth > 1:
                    problems.append(f"{where}, cell {number}: a solution region starts inside another one.")
            elif END_SOLUTION in line:
                depth -= 1
                if depth < 0:
                    problems.append(f"{where}, cell {number}: `{END_SOLUTION}` has no `{BEGIN_SOLUTION}` before it.")
                    depth = 0
        if begins and cell.cell_type != "code":
            problems.append(
                f"{where}, cell {number}: solution markers belong in code cells, not in {cell.cell_type} cells."
            )
        elif depth > 0:
            problems.append(f"{where}, cell {number}: `{BEGIN_SOLUTION}` has no matching `{END_SOLUTION}`.")
    return problems


def release_problems(
    sources: list[str],
    notebooks: list[tuple[str, NotebookNode, NotebookNode]],
    files: dict[str, bytes],
    hidden: list[str] = (),
) -> list[str]:
    """Everything wrong with a generated release; an empty list means it is safe to write.

    `notebooks` holds (released name, notebook given to nbgrader, notebook nbgrader released);
    `hidden` the hidden suite's Python sources.
    """
    problems = []
    secrets = secret_lines(*sources)
    for name, content in sorted(files.items()):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for marker in FORBIDDEN:
            if marker in text:
                problems.append(f"{name} still contains {marker!r}.")
        leaked = sorted(secrets & {line.strip() for line in text.splitlines()})
        for line in leaked:
            problems.append(f"{name} contains the solution line {line!r}.")
    for name, source_notebook, released_notebook in notebooks:
        problems += _solution_cell_problems(name, source_notebook, released_notebook)
    problems += selfcheck_problems(sources, [(name, released) for name, _, released in notebooks], files, hidden)
    return problems


def selfcheck_problems(
    sources: list[str], notebooks: list[tuple[str, NotebookNode]], files: dict[str, bytes], hidden: list[str]
) -> list[str]:
    """What the self-check cells and helpers hold beyond the public tests: a hidden test's name or line.

    Every `test_...` they mention must be a test (or the file) of a released public test
    file; no line of the hidden suite holding a number or a string (an input, an expected
    value, a message) may appear in them, unless it is public anyway (in the solution or a
    public test file).
    """
    material = {
        f"{name}, cell {cell.id}": cell.source
        for name, notebook in notebooks
        for cell in notebook.cells
        if cell.cell_type == "code" and is_check_cell(cell.source)
    }
    material.update(
        {
            f"{name}, cell {cell.id}, {file}": text  # the set-up cell's files, read as the files they become
            for name, notebook in notebooks
            for cell in notebook.cells
            if cell.cell_type == "code"
            for file, text in (setup_files(cell.source) or {}).items()
        }
    )
    material.update(
        {
            name: content.decode("utf-8", errors="replace")
            for name, content in files.items()
            if PurePosixPath(name).name == HELPER
        }
    )
    public = {
        name: content.decode("utf-8", errors="replace")
        for name, content in files.items()
        if PurePosixPath(name).name.startswith("test_") and name.endswith(".py")
    }
    allowed = {PurePosixPath(name).stem for name in public}
    allowed |= {test for text in public.values() for test in _TEST_DEFINITION.findall(text)}
    given = {line.strip() for text in [*sources, *public.values()] for line in text.splitlines()}
    secret = {
        line.strip()
        for text in hidden
        for line in text.splitlines()
        if not _is_structure(line) and line.strip() not in given
    }
    problems = []
    for where, text in sorted(material.items()):
        for word in sorted(set(_TEST_NAME.findall(text)) - allowed):
            problems.append(f"{where} names {word!r}, which is not a public test.")
        for line in sorted(secret & {line.strip() for line in text.splitlines()}):
            problems.append(f"{where} repeats the hidden-test line {line!r}.")
    return problems


def _is_structure(line: str) -> bool:
    """A hidden-suite line that gives away no input or expected value: no literal, or an import or comment."""
    stripped = line.strip()
    return is_trivial(stripped) or _LITERAL.search(stripped) is None or stripped.startswith(("import ", "from ", "#"))


def _solution_cell_problems(name: str, source_notebook: NotebookNode, released_notebook: NotebookNode) -> list[str]:
    problems = []
    released = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in released_notebook.cells}
    for cell in source_notebook.cells:
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if not cell.metadata["nbgrader"]["solution"]:
            continue
        out = released.get(grade_id)
        if out is None or not out.metadata.get("nbgrader", {}).get("solution"):
            problems.append(f"{name}: the solution cell {grade_id!r} is missing or lost its nbgrader metadata.")
            continue
        kept = [line.strip() for line in out.source.splitlines() if line.strip() not in STUB_LINES]
        expected = [line.strip() for line in outside_regions(cell.source)]
        stubs = sum(line.strip() == "raise NotImplementedError()" for line in out.source.splitlines())
        if kept != expected or stubs != len(solution_regions(cell.source)):
            problems.append(
                f"{name}: the solution cell {grade_id!r} lost its markers: the released cell should keep "
                "the code around each solution region and put one stub in place of each region."
            )
    return problems
