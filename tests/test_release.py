"""The release tool: checked-in releases are current and give away neither answers nor hidden tests.

The data-driven tests run over every assignment that has a reference solution; the tests
on a tiny made-up course check the tool itself, whatever content exists.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jupytext
import nbformat
import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.config import load_config
from autograder.course.layout import assignments_with_solutions, layout
from autograder.course.release import build_release, release_is_current, solution_tracks
from autograder.course.selfcheck import without_check_cells
from autograder.errors import ReleaseError

CONFIG = load_config()
RELEASED = assignments_with_solutions(CONFIG)
TRACKS = [
    pytest.param(name, track, id=f"{name}:{track}")
    for name in RELEASED
    for track in solution_tracks(layout(name, CONFIG))
]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_TRIVIAL = re.compile(r"[\W_]*|return|pass|break|continue|else:|try:|finally:|except:|except Exception:")


def _regions(source: str) -> tuple[list[str], list[str]]:
    """(lines inside solution regions, lines outside them), each stripped."""
    inside, outside, within = [], [], False
    for line in source.splitlines():
        if BEGIN in line:
            within = True
        elif END in line:
            within = False
        else:
            (inside if within else outside).append(line.strip())
    return inside, outside


def _release_texts(name: str) -> dict[str, str]:
    folder = layout(name, CONFIG).release_dir
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".ipynb", ".md", ".txt")
    }


def _release_lines(text: str, filename: str) -> set[str]:
    """Stripped lines of a released file; a notebook's cells are read line by line too."""
    if filename.endswith(".ipynb"):
        notebook = nbformat.reads(text, as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells)
    return {line.strip() for line in text.splitlines()}


# -- the checked-in releases -----------------------------------------------------------------


@pytest.mark.parametrize("name", RELEASED)
def test_checked_in_release_is_current(name):
    """Is assignments/NN_NAME exactly what `autograder build-release` generates from solutions/?"""
    stale = release_is_current(name, CONFIG)
    assert not stale, f"Stale released files: {', '.join(stale)}. Run `autograder build-release {name}`."


@pytest.mark.parametrize("name", RELEASED)
def test_release_contains_no_solution_text(name):
    """Is every non-trivial line of every solution region absent from every released file?"""
    spot = layout(name, CONFIG)
    inside, outside = [], []
    for track in solution_tracks(spot):
        track_inside, track_outside = _regions((spot.solution_dir / track).read_text(encoding="utf-8"))
        inside += track_inside
        outside += track_outside
    secrets = {line for line in inside if not _TRIVIAL.fullmatch(line) and line not in set(outside)}
    assert secrets, f"{name}: the reference solution has no solution region with real code."
    for filename, text in _release_texts(name).items():
        leaked = sorted(secrets & _release_lines(text, filename))
        assert not leaked, f"{name}/{filename} gives away solution lines: {leaked}"
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in text, f"{name}/{filename} still contains {marker!r}"


# Hidden-test code is recognised by what only the judge's side writes: calls into the
# student proxy, the check helpers, fail(), the seeded rng and the thresholds.
_JUDGE_CODE = re.compile(r"\bstudent\.|\bcheck_\w+\(|\bfail\(|\brng\.|\bthresholds\b|autograder\.")


@pytest.mark.parametrize("name", RELEASED)
def test_release_contains_nothing_from_the_hidden_suite(name):
    """Does no line of hidden-test code appear in any released file?"""
    suite = CONFIG.suite_dir(name)
    hidden = set()
    for path in sorted(suite.glob("*.py")) if suite.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if _JUDGE_CODE.search(line) and not line.strip().startswith(("import ", "from ", "#")):
                hidden.add(line.strip())
    for filename, text in _release_texts(name).items():
        leaked = sorted(hidden & _release_lines(text, filename))
        assert not leaked, f"{name}/{filename} repeats hidden-test code: {leaked}"
        assert "BEGIN HIDDEN TESTS" not in text and "autograder.engine" not in text, f"{name}/{filename}"


@pytest.mark.parametrize("name, track", TRACKS)
def test_notebook_and_script_hold_the_same_cells(name, track):
    """Do the released notebook and the .py stub give the same instructions and code, cell by cell (self-checks aside)?"""
    folder = layout(name, CONFIG).release_dir
    notebook = without_check_cells(nbformat.read(folder / Path(track).with_suffix(".ipynb"), as_version=4))
    script_text = (folder / track).read_text(encoding="utf-8")
    script = jupytext.reads(script_text, fmt="py:percent")
    as_pairs = lambda nb: [(c.cell_type, c.source) for c in nb.cells]  # noqa: E731
    assert as_pairs(script) == as_pairs(notebook)
    assert script_text.startswith("# %%"), "the .py stub should start with a cell, not a metadata header"
    assert "nbgrader" not in script_text and "jupytext" not in script_text


@pytest.mark.parametrize("name, track", TRACKS)
def test_notebook_carries_nbgrader_metadata(name, track):
    """Is each solved function an nbgrader solution cell with a checksum, and every other cell locked?"""
    spot = layout(name, CONFIG)
    notebook = nbformat.read(spot.release_dir / Path(track).with_suffix(".ipynb"), as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    source = (spot.solution_dir / track).read_text(encoding="utf-8")
    solved = {
        re.search(r"def\s+(\w+)", block).group(1)
        for block in re.split(r"^# %%.*$", source, flags=re.M)
        if BEGIN in block and re.search(r"def\s+(\w+)", block)
    }
    solution_cells = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader")
        assert meta and meta.get("checksum") and meta.get("schema_version") == 3, (
            f"cell {cell.get('id')} lacks nbgrader metadata"
        )
        assert cell.id == meta["grade_id"]
        if meta["solution"]:
            assert not meta["locked"] and not meta["grade"]
            assert "raise NotImplementedError()" in cell.source and "YOUR CODE HERE" in cell.source
            solution_cells[meta["grade_id"]] = cell
        else:
            assert meta["locked"] and cell.metadata.get("editable") is False
    assert solved <= set(solution_cells), f"functions without a solution cell: {sorted(solved - set(solution_cells))}"


# -- the tool itself, on a made-up course ---------------------------------------------------

TINY_SOLUTION = '''\
# %% [markdown]
# # Tiny / 작은 과제
# Implement `double` and `Counter.bump`.

# %%
import numpy as np


# %%
def double(x):
    """Twice x.

    Example: double(2) -> 4
    """
    x = np.asarray(x, dtype=float)
    ### BEGIN SOLUTION
    result = x + x
    return result
    ### END SOLUTION


# %%
class Counter:
    def __init__(self):
        self.count = 0

    def bump(self):
        ### BEGIN SOLUTION
        self.count += 1
        ### END SOLUTION
        return self.count
'''

TINY_TESTS = '''\
from tiny import double


def test_double():
    """Is 2 doubled to 4?"""
    assert double(2) == 4
'''


def _tiny_course(root: Path, solution: str = TINY_SOLUTION, readme: str = "# Tiny\n") -> Path:
    (root / "grading.toml").write_text(
        textwrap.dedent("""\
        [course]
        name = "Tiny"
        [assignments.tiny]
        number = 3
        title = "Tiny"
        file = "tiny.py"
        points = 2
        """),
        encoding="utf-8",
    )
    source = root / "solutions" / "03_tiny"
    source.mkdir(parents=True)
    (source / "tiny.py").write_text(solution, encoding="utf-8")
    (source / "README.md").write_text(readme, encoding="utf-8")
    (source / "test_tiny.py").write_text(TINY_TESTS, encoding="utf-8")
    return root / "grading.toml"


def test_build_writes_the_files_of_a_release(tmp_path):
    """Does a build write the stub, the notebook, its self-check helper, the README and the public tests, and nothing else?"""
    config = load_config(_tiny_course(tmp_path))
    written = build_release("tiny", config)
    release = tmp_path / "assignments" / "03_tiny"
    files = ["README.md", "selfcheck.py", "test_tiny.py", "tiny.ipynb", "tiny.py"]
    assert sorted(p.name for p in written) == files
    assert sorted(p.name for p in release.iterdir()) == files
    assert (release / "test_tiny.py").read_text(encoding="utf-8") == TINY_TESTS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assignments", "grading.toml", "solutions"]


def test_stub_keeps_the_given_code_and_replaces_each_answer(tmp_path):
    """Does the stub keep signatures and docstrings, with a bilingual stub in place of each region?"""
    config = load_config(_tiny_course(tmp_path))
    build_release("tiny", config)
    stub = (tmp_path / "assignments" / "03_tiny" / "tiny.py").read_text(encoding="utf-8")
    assert "result = x + x" not in stub and "self.count += 1" not in stub and "SOLUTION" not in stub
    assert stub.count("# 여기에 코드를 작성하세요 / YOUR CODE HERE") == 2
    assert stub.count("raise NotImplementedError()") == 2
    assert "    x = np.asarray(x, dtype=float)\n    # 여기에" in stub
    assert "        raise NotImplementedError()\n        return self.count" in stub
    namespace: dict = {}
    exec(compile(stub, "tiny.py", "exec"), namespace)
    with pytest.raises(NotImplementedError):
        namespace["double"](1)


def test_notebook_cells_get_stable_nbgrader_ids(tmp_path):
    """Are solution cells named after their function, and the other cells locked with stable ids?"""
    config = load_config(_tiny_course(tmp_path))
    build_release("tiny", config)
    notebook = json.loads((tmp_path / "assignments" / "03_tiny" / "tiny.ipynb").read_text(encoding="utf-8"))
    cells = {cell["id"]: cell["metadata"]["nbgrader"] for cell in notebook["cells"]}
    assert list(cells) == [
        "text-01",
        "selfcheck-setup",
        "code-02",
        "double",
        "selfcheck-double",
        "bump",
        "selfcheck-all",
    ]
    assert cells["selfcheck-setup"]["locked"] and not cells["selfcheck-setup"]["grade"]
    assert cells["selfcheck-double"]["locked"] and not cells["selfcheck-double"]["solution"]
    assert cells["double"]["solution"] and not cells["double"]["locked"] and cells["double"]["checksum"]
    assert cells["code-02"]["locked"] and not cells["code-02"]["solution"] and cells["code-02"]["checksum"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_build_is_deterministic_and_check_sees_changes(tmp_path):
    """Is a second build byte-identical, and does the check name an edited, missing or extra file?"""
    config = load_config(_tiny_course(tmp_path))
    release = tmp_path / "assignments" / "03_tiny"
    build_release("tiny", config)
    first = {p.name: p.read_bytes() for p in release.iterdir()}
    build_release("tiny", config)
    assert {p.name: p.read_bytes() for p in release.iterdir()} == first
    assert release_is_current("tiny", config) == []

    (release / "tiny.py").write_text("# edited by hand\n", encoding="utf-8")
    (release / "README.md").unlink()
    (release / "notes.txt").write_text("extra\n", encoding="utf-8")
    (release / "__pycache__").mkdir()
    (release / "__pycache__" / "tiny.cpython-311.pyc").write_bytes(b"\0")
    assert release_is_current("tiny", config) == [
        "assignments/03_tiny/README.md",
        "assignments/03_tiny/notes.txt",
        "assignments/03_tiny/tiny.py",
    ]
    build_release("tiny", config)
    assert release_is_current("tiny", config) == []
    assert not (release / "notes.txt").exists()


def test_cli_check_exits_1_naming_stale_files(tmp_path):
    """Does `build-release --check` exit 1 naming stale files, and 0 once the release is built?"""
    config_path = _tiny_course(tmp_path)
    runner = CliRunner()
    before = runner.invoke(main, ["--config", str(config_path), "build-release", "--check"])
    assert before.exit_code == 1, before.output
    assert "assignments/03_tiny/tiny.py" in before.output
    built = runner.invoke(main, ["--config", str(config_path), "build-release"])
    assert built.exit_code == 0, built.output
    after = runner.invoke(main, ["--config", str(config_path), "build-release", "--check", "tiny"])
    assert after.exit_code == 0, after.output


@pytest.mark.parametrize(
    "broken, complaint",
    [
        (TINY_SOLUTION.replace("    ### END SOLUTION\n\n\n# %%\nclass", "\n\n# %%\nclass"), "no matching"),
        (TINY_SOLUTION.replace("# Implement", "# ### BEGIN SOLUTION\n# ### END SOLUTION\n# Implement"), "code cells"),
        (TINY_SOLUTION.replace("    ### BEGIN SOLUTION\n    result", "    result"), "has no"),
    ],
)
def test_malformed_markers_are_refused(tmp_path, broken, complaint):
    """Is a release refused, with a sentence naming the cell, when the markers are unpaired or misplaced?"""
    config = load_config(_tiny_course(tmp_path, solution=broken))
    with pytest.raises(ReleaseError, match=complaint):
        build_release("tiny", config)
    assert not (tmp_path / "assignments").exists()


def test_release_quoting_the_answer_is_refused(tmp_path):
    """Is a release refused when its README quotes a line of the solution?"""
    config = load_config(_tiny_course(tmp_path, readme="# Tiny\n\n    result = x + x\n"))
    with pytest.raises(ReleaseError, match=r"README\.md contains the solution line 'result = x \+ x'"):
        build_release("tiny", config)


def test_missing_solution_is_one_clear_error(tmp_path):
    """Does releasing an assignment without a reference solution say where the file should be?"""
    config = load_config(_tiny_course(tmp_path))
    (tmp_path / "solutions" / "03_tiny" / "tiny.py").unlink()
    with pytest.raises(ReleaseError, match="no reference solution at .*03_tiny/tiny.py"):
        build_release("tiny", config)


def test_readme_gets_grading_toml_levels_written_in(tmp_path):
    """Does a README's {{ threshold.X }} / {{ limit.Y }} become grading.toml's number, and an unknown one a clear error?"""
    grading = _tiny_course(tmp_path, readme="Pass at {{ threshold.accuracy }}, within {{limit.call_time}}.\n")
    grading.write_text(
        grading.read_text(encoding="utf-8")
        + textwrap.dedent("""\
        [assignments.tiny.limits]
        call_time = 600
        [assignments.tiny.thresholds]
        accuracy = 0.875
        """),
        encoding="utf-8",
    )
    build_release("tiny", load_config(grading))
    assert (tmp_path / "assignments" / "03_tiny" / "README.md").read_text(
        encoding="utf-8"
    ) == "Pass at 87.5 %, within 600 s.\n"
    (tmp_path / "solutions" / "03_tiny" / "README.md").write_text("{{ threshold.accurcy }}\n", encoding="utf-8")
    with pytest.raises(
        ReleaseError,
        match=r"mentions \{\{ threshold.accurcy \}\}, but its settings \(assignment.toml, grading.toml\) have no threshold 'accurcy'",
    ):
        build_release("tiny", load_config(grading))
