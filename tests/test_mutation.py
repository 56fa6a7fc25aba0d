"""Mutation testing's own machinery: which mutants cosmic-ray makes, how the report counts, when it is stale.

The real measurement (scripts/mutation.py, minutes per assignment) is not run here; one
test grades two mutants of activations end to end, through `autograder grade-all`.
"""

from __future__ import annotations

import importlib.util
import shutil
import textwrap

import pytest

from autograder.config import load_config
from autograder.course.layout import layout
from autograder.course.mutation_report import (
    Explanations,
    Mutation,
    Record,
    counts,
    digests,
    explanations,
    problems,
    read_records,
    render,
    scope,
    stale,
    tool_version,
)
from autograder.errors import InstructorError
from autograder.paths import REPO_ROOT

TINY = textwrap.dedent('''\
    import numpy as np

    LIMIT = 2 * 3  # module level: never mutated


    def double(x):
        """Twice x; the docstring is never mutated: 2 + 2."""
        ### BEGIN SOLUTION
        print("doubling", 1 + 1)  # output only: never mutated
        return x * 2
        ### END SOLUTION


    def helper(y):
        return y - 1  # outside the solution markers: never mutated


    if __name__ == "__main__":
        print(double(3 + 4))
    ''')


def _script():
    spec = importlib.util.spec_from_file_location("mutation_script", REPO_ROOT / "scripts" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _survivor(mutant_id: str, line: int = 10) -> Mutation:
    return Mutation(
        id=mutant_id,
        function="sigmoid",
        operator="core/ReplaceComparisonOperator_GtE_Gt",
        line=line,
        column=4,
        diff="-    a >= 0\n+    a > 0",
        seeds=[1, 2, 3],
    )


def _record(name: str = "activations", survivors=(), digest: dict | None = None, **counts_) -> Record:
    values = {"mutants": 20, "killed": 20 - len(survivors), "timed_out": 0, **counts_}
    return Record(
        assignment=name,
        file=f"solutions/{name}.py",
        survivors=list(survivors),
        digests=digest or {"reference": "r", "suite": "s", "settings": "t"},
        tool=tool_version() or "cosmic-ray",
        date="2025-01-01",
        **values,
    )


# -- mutants ----------------------------------------------------------------------------------
def test_mutants_come_only_from_the_solution_code(tmp_path):
    pytest.importorskip("cosmic_ray")
    from cosmic_ray.work_db import use_db

    from autograder.course.mutants import enumerate_mutants

    module = tmp_path / "tiny.py"
    module.write_text(TINY, encoding="utf-8")
    mutants = enumerate_mutants("activations", module, tmp_path / "session.sqlite")
    # `x * 2`: the other 11 binary operators, and 2 → 3 and 2 → 1; nothing from the docstring, print, helper or main
    assert len(mutants) == 13
    assert sum(m.operator.startswith("core/ReplaceBinaryOperator_Mul_") for m in mutants) == 11
    assert sum(m.operator == "core/NumberReplacer" for m in mutants) == 2
    original = TINY.splitlines()
    for mutant in mutants:
        changed = [i for i, (a, b) in enumerate(zip(original, mutant.source.splitlines())) if a != b]
        assert changed == [9] and mutant.line == 10 and mutant.function == "double"  # `return x * 2`, and nothing else
        assert len(mutant.source.splitlines()) == len(original)
        assert "-    return x * 2" in mutant.diff
    assert len({m.id for m in mutants}) == 13
    with use_db(str(tmp_path / "session.sqlite")) as db:  # cosmic-ray's session: every other work item skipped
        assert db.num_work_items - db.num_results == 13


def test_mutant_ids_survive_edits_elsewhere(tmp_path):
    pytest.importorskip("cosmic_ray")
    from autograder.course.mutants import enumerate_mutants

    module = tmp_path / "tiny.py"
    module.write_text(TINY, encoding="utf-8")
    before = {m.id for m in enumerate_mutants("activations", module, tmp_path / "a.sqlite")}
    module.write_text(
        TINY.replace("import numpy as np\n", "import numpy as np\nimport math\n\nSCALE = 1 + 1\n"), encoding="utf-8"
    )
    after = enumerate_mutants("activations", module, tmp_path / "b.sqlite")
    assert {m.id for m in after} == before
    assert {m.line for m in after} == {13}


def test_scope_names_functions(tmp_path):
    pytest.importorskip("cosmic_ray")
    from autograder.course.mutants import solution_lines

    assert solution_lines(TINY) == {10: "double"}
    assert solution_lines(TINY, ["helper"]) == {}


# -- the report -------------------------------------------------------------------------------
def test_score_is_killed_over_non_equivalent_mutants():
    record = _record(
        survivors=[_survivor("aaaaaaaaaaaa"), _survivor("bbbbbbbbbbbb"), _survivor("cccccccccccc")],
        mutants=20,
        killed=17,
    )
    explained = Explanations(equivalent={"activations": {"aaaaaaaaaaaa": "same values at 0"}})
    c = counts(record, explained)
    assert (c.mutants, c.killed, c.equivalent, c.survived) == (20, 17, 1, 2)
    assert c.score == pytest.approx(100 * 17 / 19)
    page = render({"activations": record}, explained)
    assert "| activations | 20 | 17 | 1 | 2 | 89.5 |" in page
    assert page.index("| assignment |") < page.index("## activations")  # the table comes first
    assert "**Equivalent:** same values at 0" in page and page.count("**Unexplained:**") == 2


def test_report_round_trips_through_its_records(tmp_path):
    record = _record(survivors=[_survivor("aaaaaaaaaaaa")], mutants=5, killed=4)
    record.survivors[0].diff = "-    return a --> b\n+    return a > b"  # would end an HTML comment if written raw
    path = tmp_path / "MUTATION.md"
    path.write_text(render({"activations": record}, Explanations()), encoding="utf-8")
    assert read_records(path) == {"activations": record}
    assert render(read_records(path), Explanations()) == path.read_text(encoding="utf-8")  # deterministic


def test_unexplained_survivor_fails_the_check():
    script = _script()
    config = load_config()
    records = {name: _record(name, digest=digests(config, name)) for name in scope(config)}
    records["losses"] = _record("losses", survivors=[_survivor("dddddddddddd")], digest=digests(config, "losses"))
    assert problems(records, Explanations()) == [
        "losses: 1 unexplained survivor(s): dddddddddddd; add a hidden test that kills each, "
        "or its reason to [mutation.equivalent] in its assignment.toml"
    ]
    assert script._check(records, Explanations(), config) == 1
    assert script._check(records, Explanations(equivalent={"losses": {"dddddddddddd": "same values"}}), config) == 0
    assert script._check(records, Explanations(gap={"losses": {"dddddddddddd": "needs p = 0.5"}}), config) == 1


def test_staleness_notices_a_changed_reference(tmp_path):
    config = load_config()
    course = config.model_copy(update={"source": tmp_path / "grading.toml"})  # the same course, rooted in tmp_path
    for name in scope(config):
        solution = layout(name, config).solution_file
        target = layout(name, course).solution_file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(solution, target)
    records = {name: _record(name, digest=digests(course, name)) for name in scope(course)}
    assert stale(records, course) == []
    changed = layout("regression", course).solution_file
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert stale(records, course) == ["regression: the reference solution changed since it was measured"]
    del records["losses"]
    assert "losses: not measured yet" in stale(records, course)


def test_the_mutation_settings_are_checked(tmp_path):
    """Is a reason-less or doubly-marked survivor in an assignment.toml's [mutation] one sentence naming the file?"""
    folder = tmp_path / "solutions" / "01_activations"
    shutil.copytree(REPO_ROOT / "solutions" / "01_activations", folder)
    shutil.copyfile(REPO_ROOT / "grading.toml", tmp_path / "grading.toml")
    settings = folder / "assignment.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + '[mutation.gap]\nabc123abc123 = "  "\n', encoding="utf-8")
    with pytest.raises(InstructorError, match=r"01_activations/assignment.toml.*abc123abc123 needs a reason"):
        load_config(tmp_path / "grading.toml")
    settings.write_text(text + '[mutation.gap]\n226c6e235698 = "x >= 0 at 0"\n', encoding="utf-8")
    with pytest.raises(InstructorError, match="226c6e235698 is marked both equivalent and a gap"):
        load_config(tmp_path / "grading.toml")


def test_the_course_settings_give_the_scope_and_explanations():
    """Does every assignment with a [mutation] table take part, sequence_models with its two step functions only?"""
    config = load_config()
    measured = scope(config)
    assert measured["sequence_models"] == ("rnn_step", "lstm_step") and measured["activations"] is None
    assert "fashion_mlp" not in measured
    assert "226c6e235698" in explanations(config).equivalent["activations"]


def test_derived_config_runs_only_the_selected_tests(tmp_path):
    pytest.importorskip("cosmic_ray")
    from autograder.course.mutation_run import _grading_config

    config = load_config()
    path, selection = _grading_config(config, "sequence_models", ("rnn_step", "lstm_step"), tmp_path)
    derived = load_config(path)
    assert selection == "rnn_step or lstm_step"
    assert derived.suite_dir("sequence_models") == tmp_path / "suite" / "sequence_models"
    assert derived.assignment("sequence_models").model_dump(exclude={"suite"}) == config.assignment(
        "sequence_models"
    ).model_dump(exclude={"suite"})
    assert 'addopts = -k "rnn_step or lstm_step"' in (tmp_path / "suite" / "sequence_models" / "pytest.ini").read_text(
        encoding="utf-8"
    )
    assert _grading_config(config, "activations", None, tmp_path) == (config.source, "")


# -- end to end: two mutants through the real command line and sandbox ------------------------
def test_two_activations_mutants_graded_end_to_end(tmp_path):
    pytest.importorskip("cosmic_ray")
    from autograder.course.mutants import enumerate_mutants
    from autograder.course.mutation_run import REFERENCE, Graded, _grade

    config = load_config()
    solution = layout("activations", config).solution_file
    mutants = enumerate_mutants("activations", solution, tmp_path / "session.sqlite", ["sigmoid"])
    unsafe = next(m for m in mutants if m.operator == "core/ReplaceUnaryOperator_Delete_USub")  # exp(|x|): wrong values
    boundary = next(m for m in mutants if m.operator == "core/ReplaceComparisonOperator_GtE_Gt")  # x > 0: same at 0
    sources = {REFERENCE: solution.read_text(encoding="utf-8"), unsafe.id: unsafe.source, boundary.id: boundary.source}
    results = _grade(
        sources,
        "activations",
        tmp_path / "stage",
        tmp_path / "out",
        config.source,
        config,
        2,
        tmp_path / "grade-all.log",
    )
    baseline = frozenset(t.name for t in results[REFERENCE].tests if t.status == "passed")
    assert results[REFERENCE].score == results[REFERENCE].max_score
    assert Graded(unsafe, [results[unsafe.id]], baseline).outcome == "killed"
    assert Graded(boundary, [results[boundary.id]], baseline).outcome == "survived"


def test_written_mutants_are_whole_files_each_one_change_from_the_reference(tmp_path):
    """Does --write-mutants give check_variants_across_seeds.py whole files, each the reference with one change?"""
    pytest.importorskip("cosmic_ray")
    import difflib

    from autograder.course.mutation_run import write_mutants

    reference = layout("evaluation", load_config()).solution_file.read_text(encoding="utf-8").splitlines()
    written = write_mutants("evaluation", tmp_path)
    assert len(written) > 50 and all(path.parent == tmp_path / "evaluation" for path in written)
    for path in written:
        mutated = path.read_text(encoding="utf-8")
        compile(mutated, str(path), "exec")
        changed = [line for line in difflib.ndiff(reference, mutated.splitlines()) if line[:1] in "+-"]
        assert 0 < len(changed) <= 6, (path.name, changed)  # one mutation: a line or a few replaced
