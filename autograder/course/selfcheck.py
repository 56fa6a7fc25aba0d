"""The notebook's self-check cells: where each public test runs, the cells, and their helper.

A student filling in the notebook cannot run `python -m pytest test_NAME.py` on it, since
the tests import NAME.py. So the release puts a locked cell below each function's cell
that runs that function's *public* tests (the released test file, nothing else) on the
notebook's own definitions, and one last cell that runs them all with a summary. The
cells only call `check("relu")` / `check_all()` from `selfcheck.py`, a helper released
beside the notebook (selfcheck_helper.py, with this assignment's plan written in).

A test goes below the cell defining the last of the notebook's names it uses, so
everything it calls exists by then. The cells hold no test name (a public test may share
its name with a hidden one). The grader skips them (`is_check_cell`; their exact text is in
autograder/check_cells.py, which the grader reads too), and the .py stub
leaves them out, so `python -m pytest test_NAME.py` works as before.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from autograder.check_cells import CHECK_CELL, HELPER, SUMMARY_CELL, is_check_cell, setup_source
from autograder.course.cells import NBGRADER_SCHEMA

_HELPER_TEMPLATE = Path(__file__).with_name("selfcheck_helper.py")
_BEGIN_PLAN, _END_PLAN = "# -- the release writes this assignment's plan here --", "# -- end of the plan --"
CELL_ID_PREFIX = "selfcheck-"
SUMMARY_LABEL = "all"
SETUP_LABEL = "setup"
_PLAN_LINE = re.compile(r"^(MODULE|TESTS|PYTEST|LANGUAGE|CHECKS)(:[^=]+)? = .*?(  # .*)?$", re.M)

# What the README's {{ selfcheck.ko }} and {{ selfcheck.en }} become: the same sentences in both languages.
README_TEXT = {
    "ko": (
        "노트북 `{notebook}`에서는 각 함수 셀 아래의 **자가 점검** 셀을 실행하면 그 함수의 공개 테스트 결과를 "
        "바로 볼 수 있고, 맨 끝 셀은 전체 결과를 요약합니다. 자가 점검 셀은 채점에 쓰이지 않습니다."
    ),
    "en": (
        "In the notebook `{notebook}`, run the **self-check** cell below each function to see its public tests' "
        "results at once; the last cell sums them all up. The self-check cells are not graded."
    ),
}
README_LEFT_OUT = {
    "ko": " 모델 학습처럼 작업 폴더가 필요한 테스트는 오래 걸려 노트북에서는 실행하지 않으니 `{command}`로 확인하세요.",
    "en": " Tests that need a work folder, such as training the model, take longer and run only with `{command}`.",
}


class SelfCheckError(ValueError):
    """The public tests and the notebook do not fit together; the text says how."""


@dataclass(frozen=True)
class Plan:
    """Which public tests run below which cell of one notebook (one track)."""

    module: str  # what the public tests import, the notebook's stem
    tests_path: str  # the public test file, relative to the notebook's folder
    checks: dict[str, tuple[str, ...]]  # label (a name the cell defines) -> tests, in notebook order
    below: dict[str, str] = field(default_factory=dict)  # label -> grade_id of the cell the check goes below
    left_out: tuple[str, ...] = ()  # tests that need a pytest fixture (a work folder): pytest only

    @property
    def pytest_command(self) -> str:
        """How a student runs the same tests in a terminal, from the notebook's folder."""
        mode = "--import-mode=append " if "/" in self.tests_path else ""
        return f"python -m pytest {mode}{self.tests_path}"


def public_tests_for(solution_dir: Path, track: str) -> Path | None:
    """test_STEM.py beside the track, or in a folder above it (pytorch/fashion_mlp.py uses ../)."""
    folder = (solution_dir / track).parent
    name = f"test_{Path(track).stem}.py"
    while True:
        if (folder / name).is_file():
            return folder / name
        if folder == solution_dir or solution_dir not in folder.parents:
            return None
        folder = folder.parent


def plan_checks(notebook: NotebookNode, tests_source: str, module: str, tests_path: str) -> Plan:
    """Place each public test below the notebook cell that defines the last name it uses."""
    defined_in: dict[str, int] = {}  # name -> index of the (last) code cell defining it
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            for name in _defined_names(cell.source):
                defined_in[name] = index
    tests = _public_tests(tests_source, module, tests_path)
    placed: dict[int, list[str]] = {}
    named: dict[int, set[str]] = {}  # the names of that cell its tests use
    for test, (uses, _) in tests.items():
        missing = sorted(uses - defined_in.keys())
        if missing:
            raise SelfCheckError(
                f"{tests_path} imports {', '.join(missing)} from {module}, "
                f"but no code cell of {module}.ipynb defines {'it' if len(missing) == 1 else 'them'}."
            )
        if not uses:
            continue  # uses nothing of the notebook: only the summary cell runs it
        index = max(defined_in[name] for name in uses)
        placed.setdefault(index, []).append(test)
        named.setdefault(index, set()).update(name for name in uses if defined_in[name] == index)
    labels = {index: max(named[index], key=_definition_order(notebook.cells[index])) for index in placed}
    checks = {labels[index]: tuple(placed[index]) for index in sorted(placed)}
    unplaced = tuple(test for test, (uses, _) in tests.items() if not uses)
    if unplaced:
        checks[""] = unplaced
    below = {labels[index]: notebook.cells[index].metadata["nbgrader"]["grade_id"] for index in sorted(placed)}
    left_out = tuple(test for test, (_, needs_fixture) in tests.items() if needs_fixture)
    return Plan(module, tests_path, checks, below, left_out)


def add_check_cells(notebook: NotebookNode, plan: Plan, setup: dict[str, str] | None = None) -> NotebookNode:
    """Insert the locked check cells (below their cells), the summary cell (at the end) and, with `setup`
    (file name -> text), the set-up cell before the first code cell, in place."""
    used = {cell.id for cell in notebook.cells}
    after = {grade_id: label for label, grade_id in plan.below.items()}
    cells = []
    first_code = next((i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"), len(notebook.cells))
    for index, cell in enumerate(notebook.cells):
        if setup and index == first_code:
            cells.append(_locked_cell(setup_source(setup), SETUP_LABEL, used))
        cells.append(cell)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in after:
            cells.append(_locked_cell(CHECK_CELL.format(label=after[grade_id]), after[grade_id], used))
    cells.append(_locked_cell(SUMMARY_CELL, SUMMARY_LABEL, used))
    notebook.cells = cells
    return notebook


def without_check_cells(notebook: NotebookNode) -> NotebookNode:
    """A copy of the notebook without its self-check cells (what the .py stub holds)."""
    clean = copy.deepcopy(notebook)
    clean.cells = [cell for cell in clean.cells if not (cell.cell_type == "code" and is_check_cell(cell.source))]
    return clean


def helper_source(plan: Plan, language: str) -> str:
    """selfcheck.py for one notebook: the helper with this plan and the course language written in.

    Only the values between the template's plan markers change; its comments stay.
    """
    template = _HELPER_TEMPLATE.read_text(encoding="utf-8")
    start, end = template.index(_BEGIN_PLAN), template.index(_END_PLAN)
    checks = "".join(f"    {label!r}: {tests!r},\n" for label, tests in plan.checks.items())
    values = {
        "MODULE": repr(plan.module),
        "TESTS": repr(plan.tests_path),
        "PYTEST": repr(plan.pytest_command),
        "LANGUAGE": repr(language),
        "CHECKS": "{\n" + checks + "}",
    }

    def written(match: re.Match) -> str:
        name, annotation, comment = match.groups()
        value = values[name]
        if "\n" in value:  # a dict written over several lines: its comment goes on the first one
            first, rest = value.split("\n", 1)
            return f"{name}{annotation or ''} = {first}{comment or ''}\n{rest}"
        return f"{name}{annotation or ''} = {value}{comment or ''}"

    plan_block = _PLAN_LINE.sub(written, template[start:end])
    return template[:start] + plan_block + template[end:]


def readme_text(plan: Plan | None, language: str, notebook: str) -> str:
    """The README's sentence(s) on the self-check cells, in one of the two languages."""
    if plan is None:
        raise SelfCheckError(f"there are no public tests to run in {notebook}")
    text = README_TEXT[language].format(notebook=notebook)
    if plan.left_out:
        text += README_LEFT_OUT[language].format(command=plan.pytest_command)
    return text


def helper_path(track: str) -> str:
    """Where a track's helper is released: beside its notebook."""
    return str(PurePosixPath(track).parent / HELPER) if "/" in track else HELPER


def _locked_cell(source: str, label: str, used: set[str]) -> NotebookNode:
    cell_id, number = f"{CELL_ID_PREFIX}{label}", 2
    while cell_id in used:
        cell_id, number = f"{CELL_ID_PREFIX}{label}-{number}", number + 1
    used.add(cell_id)
    cell = new_code_cell(source)
    cell.id = cell_id
    cell.metadata = {
        "nbgrader": {
            "grade": False,
            "grade_id": cell_id,
            "locked": True,
            "schema_version": NBGRADER_SCHEMA,
            "solution": False,
        }
    }
    return cell


def _defined_names(source: str) -> list[str]:
    """Names a cell binds at its top level, in order (a cell that is not plain Python binds none)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [alias.asname or alias.name.split(".")[0] for alias in node.names if alias.name != "*"]
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)]
    return names


def _definition_order(cell: NotebookNode):
    order = {name: position for position, name in enumerate(_defined_names(cell.source))}
    return lambda name: order.get(name, -1)


def _public_tests(source: str, module: str, where: str) -> dict[str, tuple[set[str], bool]]:
    """Each test function of the public file: (the module's names it uses, whether it needs a fixture).

    Names used through a helper of the test file (a function or constant defined there) count too.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise SelfCheckError(f"{where} is not valid Python (line {err.lineno}): {err.msg}.") from None
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
    }
    local = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            local[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    local[target.id] = node

    def uses(node: ast.AST, seen: set[str]) -> set[str]:
        found = set()
        for name in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}:
            if name in imported:
                found.add(name)
            elif name in local and name not in seen:
                seen.add(name)
                found |= uses(local[name], seen)
        return found

    tests = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            arguments = {a.arg for a in node.args.args + node.args.kwonlyargs}
            tests[node.name] = (uses(node, {node.name}), bool(arguments - _parametrized(node)))
    return tests


def _parametrized(node: ast.FunctionDef) -> set[str]:
    """Argument names given by the test's @pytest.mark.parametrize decorators."""
    names = set()
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "parametrize"
            and decorator.args
        ):
            first = decorator.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names |= {name.strip() for name in first.value.split(",") if name.strip()}
            elif isinstance(first, (ast.List, ast.Tuple)):
                names |= {e.value for e in first.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return names
