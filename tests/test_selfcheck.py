"""The notebook's self-check cells: the public tests, run on the notebook's own code, and nothing more.

A released notebook is executed in a Jupyter kernel (nbclient), in a copy of its released
folder, as a student would run it. The grader must skip the cells, the .py stub must not
hold them, and neither the cells nor the helper may hold anything of the hidden suites.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from autograder.check_cells import CHECK_CELL, HELPER, is_check_cell
from autograder.config import load_config
from autograder.course.guard import selfcheck_problems
from autograder.course.layout import assignments_with_solutions, layout
from autograder.course.release import build_release, solution_tracks, source_notebook
from autograder.course.selfcheck import README_TEXT, Plan, helper_path, helper_source, plan_checks
from autograder.errors import ReleaseError
from autograder.submission import notebook_cells, pick_submission, prepare
from tests.support import answered_release

CONFIG = load_config()
RELEASED = assignments_with_solutions(CONFIG)
TRACKS = [
    pytest.param(name, track, id=f"{name}:{track}")
    for name in RELEASED
    for track in solution_tracks(layout(name, CONFIG))
]
WRONG_RELU = "def relu(x):\n    import numpy as np\n    return np.asarray(x, dtype=float)  # forgot max(0, x)\n"


def released_helper(folder: Path):
    """The released selfcheck.py as a module, for its plan and its messages."""
    spec = importlib.util.spec_from_file_location("released_selfcheck", folder / HELPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_notebook(name: str, tmp_path: Path, replace: dict[str, str] | None = None) -> dict[str, str]:
    """Solve the released notebook from the reference (some cells replaced), run it in Jupyter: check cell id -> output."""
    from nbclient import NotebookClient

    spot = layout(name, CONFIG)
    folder = answered_release(name, tmp_path / spot.folder, replace)  # solution cells' ids are their grade ids
    notebook = nbformat.read(folder / spot.notebook, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return {
        cell.id: "".join(output.get("text", "") for output in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code" and is_check_cell(cell.source)
    }


# -- in the student's notebook ------------------------------------------------------------------


def test_reference_notebook_passes_every_check(tmp_path):
    """Does the notebook filled with the reference pass every public test in its check cells, with a full summary?"""
    outputs = run_notebook("activations", tmp_path)
    helper = released_helper(layout("activations", CONFIG).release_dir)
    assert set(outputs) == {f"selfcheck-{label}" for label in helper.CHECKS} | {"selfcheck-all", "selfcheck-setup"}
    for label, tests in helper.CHECKS.items():
        output = outputs[f"selfcheck-{label}"]
        assert "✗" not in output, output
        assert all(f"✓ {test}" in output for test in tests), output
    total = sum(len(tests) for tests in helper.CHECKS.values())
    assert "✗" not in outputs["selfcheck-all"]
    assert helper._say("summary", passed=total, total=total) in outputs["selfcheck-all"]


def test_bug_in_one_function_shows_in_its_check_only(tmp_path):
    """With relu returning x, does relu's check cell show the failing assertion and its values, and every other check pass?"""
    outputs = run_notebook("activations", tmp_path, replace={"relu": WRONG_RELU})
    helper = released_helper(layout("activations", CONFIG).release_dir)
    relu = outputs["selfcheck-relu"]
    assert "✗ test_relu_small_example" in relu
    assert "assert np.allclose(relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])" in relu  # the test's line
    assert "array([-2.,  0.,  3.]) = relu([-2.0, 0.0, 3.0])" in relu  # what relu returned
    assert helper._say("some_failed", passed=0, total=1, label="relu") in relu
    for cell, output in outputs.items():
        if cell not in ("selfcheck-relu", "selfcheck-all"):
            assert "✗" not in output, (cell, output)
    total = sum(len(tests) for tests in helper.CHECKS.values())
    assert helper._say("summary", passed=total - 1, total=total) in outputs["selfcheck-all"]


def test_helper_expands_parametrize_and_names_what_needs_pytest(tmp_path, monkeypatch, capsys):
    """Does a check run each parametrized case, pytest.raises and plain asserts, and name (not run) a test needing a work folder?"""
    (tmp_path / "test_tiny.py").write_text(
        textwrap.dedent('''\
        import pytest

        from tiny import double, halve


        @pytest.mark.parametrize("x, expected", [(1, 2), pytest.param(2, 4, id="two")])
        def test_double(x, expected):
            """Is x doubled?"""
            assert double(x) == expected


        def test_double_refuses_text():
            """Does double refuse a string?"""
            with pytest.raises(TypeError):
                double("a")


        def test_halve(tmp_path):
            """Is a file written?"""
            assert halve(2) == 1
        '''),
        encoding="utf-8",
    )
    plan = Plan(
        "tiny", "test_tiny.py", {"double": ("test_double", "test_double_refuses_text"), "halve": ("test_halve",)}
    )
    (tmp_path / HELPER).write_text(helper_source(plan, "en"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "selfcheck", raising=False)
    notebook: dict = {}
    exec("def double(x):\n    return x * 2\n", notebook)  # "a" * 2 is "aa": no TypeError
    exec(CHECK_CELL.format(label="double"), notebook)
    exec(CHECK_CELL.format(label="halve"), notebook)
    exec('check("nothing")', notebook)
    output = capsys.readouterr().out
    assert "✓ test_double[1-2]" in output and "✓ test_double[2-4]" in output
    assert "✗ test_double_refuses_text" in output and "DID NOT RAISE" in output
    assert "2 of 3 passed. Fix double" in output
    assert "– test_halve" in output and "tmp_path" in output and "python -m pytest test_tiny.py" in output
    assert "There is no self-check called 'nothing'; the checks of this notebook are: double, halve." in output
    assert "tiny" not in sys.modules, "the notebook's stand-in module must not outlive the check"


# -- where the cells go, and what the release gives students -------------------------------------


def test_each_test_goes_below_the_last_function_it_uses():
    """Is a test of mse, mae and rmse run below rmse, and the training test of 10 left to pytest (both tracks)?"""
    notebook, plan = source_notebook(layout("losses", CONFIG), "losses.py", language=CONFIG.course.language)
    assert "test_regression_losses_small_example" in plan.checks["rmse"] and "mae" not in plan.checks
    assert [c.id for c in notebook.cells if c.id.startswith("selfcheck-")][-1] == "selfcheck-all"
    spot = layout("fashion_mlp", CONFIG)
    _, keras = source_notebook(spot, spot.file, language=CONFIG.course.language)
    _, torch = source_notebook(spot, "pytorch/fashion_mlp.py", language=CONFIG.course.language)
    assert keras.left_out == torch.left_out == ("test_train_learns_an_easy_pattern",)
    assert torch.tests_path == "../test_fashion_mlp.py"
    assert torch.pytest_command == "python -m pytest --import-mode=append ../test_fashion_mlp.py"


def test_a_test_importing_what_the_notebook_lacks_is_one_clear_error():
    """Does a public test importing a name no cell defines stop the release with one sentence?"""
    notebook, _ = source_notebook(layout("activations", CONFIG), "activations.py", language=CONFIG.course.language)
    with pytest.raises(ValueError, match=r"test_activations.py imports leaky_relu from activations, but no code cell"):
        plan_checks(
            notebook,
            "from activations import leaky_relu\n\ndef test_x():\n    leaky_relu(1)\n",
            "activations",
            "test_activations.py",
        )


@pytest.mark.parametrize("name, track", TRACKS)
def test_check_cells_are_locked_below_their_function(name, track):
    """Is every check cell a locked nbgrader cell right below the cell defining its name, with the helper beside the notebook?"""
    spot = layout(name, CONFIG)
    notebook = nbformat.read(spot.release_dir / Path(track).with_suffix(".ipynb"), as_version=4)
    checks = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and is_check_cell(cell.source)]
    assert checks and checks[-1] == len(notebook.cells) - 1 and "check_all()" in notebook.cells[-1].source
    for index in checks:
        cell = notebook.cells[index]
        meta = cell.metadata["nbgrader"]
        assert meta["locked"] and not meta["solution"] and not meta["grade"] and meta["checksum"], cell.id
        assert cell.metadata.get("editable") is False and cell.metadata.get("deletable") is False, cell.id
        label = re.search(r'check\("(\w+)"\)', cell.source)
        if label:
            above = notebook.cells[index - 1].source
            assert re.search(rf"^(def|class)\s+{label.group(1)}\b|^{label.group(1)}\s*=", above, re.M), cell.id
    assert (spot.release_dir / helper_path(track)).is_file()
    assert "selfcheck" not in (spot.release_dir / track).read_text(encoding="utf-8"), (
        "the .py stub must not hold check cells"
    )


# -- grading ---------------------------------------------------------------------------------------


def test_grader_skips_check_cells_and_the_helper(solved_release):
    """Are the check cells left out of the graded cells (numbers kept), the helper not staged, and edited cells kept?"""
    spot = layout("activations", CONFIG)
    released = (spot.release_dir / spot.notebook).read_bytes()
    cells = notebook_cells(released, spot.notebook)
    assert not [cell for cell in cells if "selfcheck" in cell["source"]]
    code = [cell for cell in nbformat.reads(released.decode(), as_version=4).cells if cell.cell_type == "code"]
    assert [cell["number"] for cell in cells] == [n for n, cell in enumerate(code, 1) if not is_check_cell(cell.source)]
    assert not is_check_cell(CHECK_CELL.format(label="relu") + "\nrelu = lambda x: x")  # a student's code stays graded

    folder = solved_release("activations", into="alice")
    prepared = prepare(pick_submission(folder, spot.file, spot.release_dir), spot.file)
    assert prepared.graded_file == spot.notebook and HELPER not in prepared.files


# -- nothing hidden --------------------------------------------------------------------------------


def _released_material(
    name: str,
) -> tuple[list[str], list[tuple[str, nbformat.NotebookNode]], dict[str, bytes], list[str]]:
    """What selfcheck_problems reads, from the checked-in release: sources, notebooks, files, hidden suite."""
    spot = layout(name, CONFIG)
    files = {
        str(p.relative_to(spot.release_dir)): p.read_bytes()
        for p in sorted(spot.release_dir.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    notebooks = [
        (n, nbformat.reads(content.decode(), as_version=4)) for n, content in files.items() if n.endswith(".ipynb")
    ]
    sources = [(spot.solution_dir / track).read_text(encoding="utf-8") for track in solution_tracks(spot)]
    suite = CONFIG.suite_dir(name)
    hidden = [p.read_text(encoding="utf-8") for p in sorted(suite.rglob("*.py"))] if suite.is_dir() else []
    return sources, notebooks, files, hidden


@pytest.mark.parametrize("name", RELEASED)
def test_check_cells_and_helper_hold_nothing_hidden(name):
    """Do the released check cells and helpers name only public tests and repeat no line of the hidden suite?"""
    sources, notebooks, files, hidden = _released_material(name)
    assert hidden, f"{name} has no hidden suite to compare with"
    assert selfcheck_problems(sources, notebooks, files, hidden) == []
    public = {
        test
        for n, text in files.items()
        if Path(n).name.startswith("test_")
        for test in re.findall(r"^def (test\w*)", text.decode(), re.M)
    }
    helpers = [content.decode() for n, content in files.items() if Path(n).name == HELPER]
    assert helpers and all(set(re.findall(r"'(test_\w+)'", text)) <= public for text in helpers)


def test_guard_refuses_check_material_from_the_hidden_suite():
    """Does the guard name a hidden test's line copied into the helper, and a hidden test's name in a check cell?"""
    sources, notebooks, files, hidden = _released_material("activations")
    public_text = files["test_activations.py"].decode()
    line = next(
        line.strip()
        for line in hidden[0].splitlines()
        if re.search(r"\d", line)
        and "=" in line
        and line.strip() not in public_text
        and not line.strip().startswith("#")
    )
    files = {**files, HELPER: files[HELPER] + f"\n{line}\n".encode()}
    notebook = notebooks[0][1]
    notebook.cells.append(nbformat.v4.new_code_cell(CHECK_CELL.format(label="test_sigmoid_values")))
    problems = selfcheck_problems(sources, notebooks, files, hidden)
    assert f"selfcheck.py repeats the hidden-test line {line!r}." in problems
    assert any("names 'test_sigmoid_values', which is not a public test" in problem for problem in problems)


# -- the README ------------------------------------------------------------------------------------


def test_readme_gets_the_self_check_sentences(tmp_path):
    """Do {{ selfcheck.ko }} and {{ selfcheck.en }} become the same sentences in both languages, and a typo one clear error?"""
    (tmp_path / "grading.toml").write_text(
        '[course]\nname = "Tiny"\n[assignments.tiny]\nnumber = 3\ntitle = "Tiny"\nfile = "tiny.py"\npoints = 1\n',
        encoding="utf-8",
    )
    source = tmp_path / "solutions" / "03_tiny"
    source.mkdir(parents=True)
    (source / "tiny.py").write_text(
        "# %%\ndef double(x):\n    ### BEGIN SOLUTION\n    return x + x\n    ### END SOLUTION\n", encoding="utf-8"
    )
    (source / "test_tiny.py").write_text(
        "from tiny import double\n\n\ndef test_double():\n    assert double(2) == 4\n", encoding="utf-8"
    )
    (source / "README.md").write_text("{{ selfcheck.ko }}\n\n{{selfcheck.en}}\n", encoding="utf-8")
    config = load_config(tmp_path / "grading.toml")
    build_release("tiny", config)
    readme = (tmp_path / "assignments" / "03_tiny" / "README.md").read_text(encoding="utf-8")
    assert (
        readme
        == README_TEXT["ko"].format(notebook="tiny.ipynb")
        + "\n\n"
        + README_TEXT["en"].format(notebook="tiny.ipynb")
        + "\n"
    )
    (source / "README.md").write_text("{{ selfcheck.fr }}\n", encoding="utf-8")
    with pytest.raises(
        ReleaseError, match=r"README.md of 'tiny' mentions \{\{ selfcheck.fr \}\}; write \{\{ selfcheck.ko \}\} or"
    ):
        build_release("tiny", config)


def test_a_notebook_opened_alone_checks_itself(tmp_path):
    """A released notebook with nothing beside it (Colab, a download): its set-up cell writes the helper and the
    public tests, every check cell runs them, and the grader still skips all of it."""
    from nbclient import NotebookClient

    from tests.support import solved_notebook

    spot = layout("activations", CONFIG)
    notebook = solved_notebook(spot.solution_file, nbformat.read(spot.release_dir / spot.notebook, as_version=4))
    lone = tmp_path / "colab"
    lone.mkdir()
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(lone)}}).execute()
    outputs = {
        cell.id: "".join(o.get("text", "") for o in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code" and is_check_cell(cell.source)
    }
    assert "selfcheck-setup" in outputs and "selfcheck-all" in outputs
    assert not [
        cell.id
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.get("output_type") == "error"
    ]
    assert "✓" in outputs["selfcheck-all"] and "✗" not in outputs["selfcheck-all"], outputs["selfcheck-all"]
    assert sorted(p.name for p in lone.iterdir() if p.suffix == ".py") == ["selfcheck.py", "test_activations.py"]
    cells = notebook_cells(nbformat.writes(notebook).encode(), spot.notebook)
    assert not [cell for cell in cells if "SELFCHECK_FILES" in cell["source"] or "selfcheck" in cell["source"]]
