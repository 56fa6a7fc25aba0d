"""Does the grader fingerprint follow exactly the grading core, the suite fingerprint exactly an assignment's hidden
suite and settings, and does the core stand alone?

A stored result is kept while the grader fingerprint is unchanged, so an edit outside the
core (the CLI, the nbgrader round, release building, reports, similarity) must leave it as
it is, and an edit inside must change it. The fingerprint is computed on a copy of the
package: no real file is edited.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.fingerprints import CORE, PACKAGE, code_fingerprint, core_files


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    """The package's Python files in a folder of their own."""
    copy = tmp_path_factory.mktemp("copy") / "autograder"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.j2"))
    return copy


@pytest.fixture
def edited(package_copy):
    """Append a comment to a file of the copy, and put the file back afterwards."""
    saved: dict[Path, bytes] = {}

    def edit(relative: str) -> None:
        path = package_copy / relative
        saved.setdefault(path, path.read_bytes())
        path.write_bytes(path.read_bytes() + b"\n# edited\n")

    yield edit
    for path, content in saved.items():
        path.write_bytes(content)


@pytest.mark.parametrize(
    "relative",
    [
        "cli/grade_all.py",
        "batch.py",
        "classroom/rounds.py",
        "course/release.py",
        "course/mutation_run.py",
        "reports/student_page.py",
        "similarity/detect.py",
    ],
)
def test_editing_a_module_outside_the_core_keeps_the_grader_fingerprint(package_copy, edited, relative):
    before = code_fingerprint(package_copy)
    edited(relative)
    assert code_fingerprint(package_copy) == before


@pytest.mark.parametrize(
    "relative", ["grading.py", "submission.py", "judges.py", "engine/plugin.py", "sandbox/runner.py", "data/loader.py"]
)
def test_editing_a_core_module_changes_the_grader_fingerprint(package_copy, edited, relative):
    before = code_fingerprint(package_copy)
    edited(relative)
    assert code_fingerprint(package_copy) != before


def test_the_core_names_only_existing_modules():
    for name in CORE:
        assert (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file(), name
    assert {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in core_files()} == set(CORE)


def _core_modules(graph) -> set[str]:
    return {module for module in graph.modules if module != "autograder" and module.split(".")[1] in CORE}


def test_the_core_imports_only_the_core():
    """What the core imports is in the core, so the grader fingerprint covers everything a verdict runs
    (import-linter's contracts forbid the known packages above it; this also catches a new module left out of CORE)."""
    grimp = pytest.importorskip("grimp", reason="import-linter (the dev group of pyproject.toml) is not installed")
    graph = grimp.build_graph("autograder", cache_dir=None)
    core = _core_modules(graph)
    outside = {
        (module, imported)
        for module in core
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("autograder.") and imported not in core
    }
    assert outside == set()


def test_the_import_contracts_name_the_same_core():
    """pyproject.toml's `forbidden` contract and the bottom layer of its `layers` contract list exactly CORE."""
    import tomllib

    contracts = {
        contract["id"]: contract
        for contract in tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
            "importlinter"
        ]["contracts"]
    }
    assert set(contracts["core"]["source_modules"]) == {f"autograder.{name}" for name in CORE}
    assert {name.strip() for name in contracts["layers"]["layers"][-1].split(":")} == set(CORE)


def test_mypy_checks_the_whole_core():
    """pyproject.toml's `[tool.mypy]` files (what `make lint` type-checks strictly) hold every one of CORE's modules and
    packages; modules above the core that pass strict are listed there too."""
    import tomllib

    files = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["files"]
    assert set(CORE) <= {Path(path).relative_to("autograder").with_suffix("").as_posix() for path in files}


def test_a_course_config_from_before_plug_ins_still_imports_configure():
    """A course's nbgrader_config.py written before classroom/plug_ins.py imports `configure` from classroom.course:
    it still gets the one in plug_ins, while course.py itself imports nothing that plugs into nbgrader."""
    import ast

    from autograder.classroom import plug_ins
    from autograder.classroom.course import configure

    assert configure is plug_ins.configure
    source = (Path(__file__).parents[1] / "autograder" / "classroom" / "course.py").read_text(encoding="utf-8")
    imported = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {"autograder.classroom.plug_ins", "autograder.classroom.totals"} & imported


def test_the_suite_fingerprint_follows_the_hidden_suite_and_settings_only(tmp_path):
    """Does an assignment's suite fingerprint change with its hidden/ folder, drivers and settings, and not with its
    reference solution, README, public tests or authoring tables (which no grading reads)?"""
    from autograder.config import load_config
    from autograder.fingerprints import suite_fingerprint

    shutil.copyfile(PACKAGE.parent / "grading.toml", tmp_path / "grading.toml")
    shutil.copytree(PACKAGE.parent / "solutions" / "01_activations", tmp_path / "solutions" / "01_activations")
    before = suite_fingerprint(load_config(tmp_path / "grading.toml"), "activations", "en")
    folder = tmp_path / "solutions" / "01_activations"
    for name in ("activations.py", "README.md", "test_activations.py"):
        (folder / name).write_text("# edited\n", encoding="utf-8")
    settings = folder / "assignment.toml"  # its authoring tables: a mutation survivor's reason, the input classes
    settings.write_text(
        settings.read_text(encoding="utf-8") + '[mutation.gap]\nabcdefabcdef = "a new reason"\n', encoding="utf-8"
    )
    assert suite_fingerprint(load_config(tmp_path / "grading.toml"), "activations", "en") == before
    hidden = folder / "hidden" / "test_activations.py"
    hidden.write_text(hidden.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after_suite = suite_fingerprint(load_config(tmp_path / "grading.toml"), "activations", "en")
    assert after_suite != before
    settings.write_text(settings.read_text(encoding="utf-8").replace("points = 10", "points = 12"), encoding="utf-8")
    after_settings = suite_fingerprint(load_config(tmp_path / "grading.toml"), "activations", "en")
    assert after_settings != after_suite
    (folder / "drivers.py").write_text("# the assignment's own sandbox-side drivers\n", encoding="utf-8")
    assert suite_fingerprint(load_config(tmp_path / "grading.toml"), "activations", "en") != after_settings
