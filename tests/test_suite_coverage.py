"""Do the hidden suites send every parameter and every input class COURSE.md allows?

The reference of each numeric assignment is graded once with the grader's call recording
on (autograder/engine/recording.py): every call into student code is logged with the
input classes of its arguments. The signatures come from COURSE.md's `## NN name` sections
(each backticked `name(arg, kw=default)`; from the reference solutions where COURSE.md is not
beside the checkout, as in CI), the classes each parameter must receive from
the assignments' [input_classes] tables. A parameter never given a value other than its default, a class
never sent, or a function COURSE.md defines that the table does not know fails here by
name: a new function or parameter cannot go untested.
"""

from __future__ import annotations

import ast
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.config import load_config
from autograder.course.layout import layout
from autograder.engine.recording import RECORD_ENV, SELECT_ENV
from autograder.paths import REPO_ROOT
from tests.support import COURSE_CONFIG, grade_file

CONFIG = load_config(COURSE_CONFIG)
# Each assignment.toml's [input_classes.FUNCTION] tables and [input_classes_exempt], as one table keyed by assignment
# (and "exempt": ASSIGNMENT.FUNCTION -> why).
_SETTINGS = CONFIG.assignments
TABLE: dict = {name: dict(spec.input_classes) for name, spec in _SETTINGS.items() if spec.input_classes}
TABLE["exempt"] = {
    f"{name}.{f}": why for name, spec in _SETTINGS.items() for f, why in spec.input_classes_exempt.items()
}
# Where the instructor's specification lives: beside the checkout in the course's workspace.
COURSE_SPEC = Path(os.environ.get("AUTOGRADER_COURSE_SPEC", REPO_ROOT.parent / "shared" / "COURSE.md"))
NUMERIC = [name for name in CONFIG.assignments if CONFIG.assignment(name).kind != "model"]
# Model assignments whose fast tests call functions of their own: those tests only (no training).
FAST_SELECTION = {"sequence_models": "step or build_model_kind"}
NO_DEFAULT = object()


@dataclass(frozen=True)
class Parameter:
    name: str
    default: object = NO_DEFAULT


def course_signatures(text: str) -> dict[tuple[str, str], list[Parameter]]:
    """(assignment, function) -> parameters, from each `## NN name` section's backticked `f(a, b=1)` forms.

    `f(...)` ("as in 10/11") takes the signature another section gives f.
    """
    found: dict[tuple[str, str], list[Parameter] | None] = {}
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        names = re.findall(r"\b\d\d ([a-z_]+)\b", heading.split("—")[0])
        for function, arguments in re.findall(r"`([A-Za-z_]\w*)\(([^`]*)\)`", body):
            parameters = None if arguments.strip() == "..." else _parameters(arguments)
            for name in names:
                if found.get((name, function)) is None:
                    found[(name, function)] = parameters
    elsewhere = {function: p for (_, function), p in found.items() if p is not None}
    return {key: p if p is not None else elsewhere[key[1]] for key, p in found.items()}


def _parameters(arguments: str) -> list[Parameter]:
    spec = ast.parse(f"def f({arguments}): pass").body[0].args
    defaults = [NO_DEFAULT] * (len(spec.args) - len(spec.defaults)) + [ast.literal_eval(d) for d in spec.defaults]
    return [Parameter(a.arg, d) for a, d in zip(spec.args, defaults)]


def reference_signatures() -> dict[tuple[str, str], list[Parameter]]:
    """(assignment, function) -> parameters of the reference solutions, for every function the table names.

    Where COURSE.md is not beside the checkout (a clean clone in CI), the references stand in for
    it: the recording is still checked against every parameter, though a function COURSE.md adds
    and the table lacks is then not noticed.
    """
    found = {}
    wanted = [(a, f) for a, table in TABLE.items() if a != "exempt" for f in table]
    wanted += [tuple(name.split(".")) for name in TABLE["exempt"]]
    for assignment, function in wanted:
        tree = ast.parse(layout(assignment, CONFIG).solution_file.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == function:
                found[(assignment, function)] = _parameters(ast.unparse(node.args))
    return found


@pytest.fixture(scope="module")
def signatures() -> dict[tuple[str, str], list[Parameter]]:
    if not COURSE_SPEC.is_file():
        return reference_signatures()
    return course_signatures(COURSE_SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict[str, list[dict]]:
    """assignment -> the calls its hidden tests made on the reference (test phase only, not the feedback curves)."""
    folder = tmp_path_factory.mktemp("recorded")
    files = {**FAST_SELECTION, **{name: None for name in NUMERIC}}
    paths = {name: folder / f"{name}.jsonl" for name in files}

    def run(name: str) -> None:
        result = grade_file(layout(name, CONFIG).solution_file, name)
        passed = [t for t in result.tests if t.status == "passed"]
        assert passed and not result.internal_errors, (name, result.internal_errors)

    with pytest.MonkeyPatch.context() as patch:
        for name, selection in FAST_SELECTION.items():  # one at a time: the selection is the judge's environment
            patch.setenv(RECORD_ENV, str(paths[name]))
            patch.setenv(SELECT_ENV, selection)
            run(name)
        patch.delenv(SELECT_ENV)
        with ThreadPoolExecutor(2) as pool:  # the environment is the same for all: one file each by module name
            patch.setenv(RECORD_ENV, str(folder / "numeric.jsonl"))
            list(pool.map(run, NUMERIC))
    calls: dict[str, list[dict]] = {name: [] for name in files}
    modules = {CONFIG.assignment(name).file: name for name in NUMERIC}
    for name in FAST_SELECTION:
        calls[name] = _read(paths[name])
    for call in _read(folder / "numeric.jsonl"):
        calls[modules[call["module"]]].append(call)
    return calls


def _read(path: Path) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []
    return [line for line in lines if line["phase"] == "call"]


def _checked(signatures) -> list[tuple[str, str]]:
    return [key for key in signatures if f"{key[0]}.{key[1]}" not in TABLE["exempt"]]


# -- the table itself ---------------------------------------------------------------------------------


def test_every_graded_function_is_in_the_table_or_exempt(signatures):
    """Does the table name the input classes of every function COURSE.md defines (or say why not), and nothing else?"""
    exempt = set(TABLE["exempt"])
    missing = [f"{a}.{f}" for a, f in signatures if f"{a}.{f}" not in exempt and f not in TABLE.get(a, {})]
    assert not missing, f"functions of COURSE.md with no entry in the assignments' [input_classes] tables: {missing}"
    stale = [f"{a}.{f}" for a, table in TABLE.items() if a != "exempt" for f in table if (a, f) not in signatures]
    stale += [name for name in exempt if tuple(name.split(".")) not in signatures]
    assert not stale, f"entries of the assignments' [input_classes] tables that COURSE.md does not define: {stale}"
    for assignment, function in _checked(signatures):
        named = [p.name for p in signatures[(assignment, function)]]
        assert list(TABLE[assignment][function]) == named, (
            f"{assignment}.{function}: the table lists {list(TABLE[assignment][function])}, COURSE.md's parameters are {named}"
        )


def test_every_checked_assignment_is_recorded(signatures):
    """Is every assignment with a function to check graded with the recording on (numeric, or a fast selection)?"""
    needed = {assignment for assignment, _ in _checked(signatures)}
    assert needed <= set(NUMERIC) | set(FAST_SELECTION), sorted(needed - set(NUMERIC) - set(FAST_SELECTION))


# -- what the suites send ------------------------------------------------------------------------------


def test_hidden_tests_call_only_functions_of_the_spec(signatures, recorded):
    """Does every call the hidden tests make go to a function COURSE.md defines for that assignment?"""
    unknown = sorted(
        {
            f"{name}.{call['function']} (from {call['test']})"
            for name, calls in recorded.items()
            for call in calls
            if (name, call["function"]) not in signatures
        }
    )
    assert not unknown, f"hidden tests call functions COURSE.md does not define: {unknown}"


def test_every_parameter_gets_a_value_other_than_its_default(signatures, recorded):
    """Is every parameter sent by some hidden test, and every parameter with a default sent with another value?"""
    problems = []
    for assignment, function in _checked(signatures):
        calls = [c for c in recorded[assignment] if c["function"] == function]
        for index, parameter in enumerate(signatures[(assignment, function)]):
            sent = [a for a in (_argument(call, index, parameter.name) for call in calls) if a is not None]
            if not sent:
                problems.append(f"{assignment}.{function}: no hidden test passes `{parameter.name}`")
            elif parameter.default is not NO_DEFAULT and not any(_differs(a, parameter.default) for a in sent):
                problems.append(
                    f"{assignment}.{function}: no hidden test passes `{parameter.name}` a value other than "
                    f"its default {parameter.default!r}"
                )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_every_input_class_is_sent(signatures, recorded):
    """Does some hidden test send each parameter every input class the table lists for it?"""
    problems = []
    for assignment, function in _checked(signatures):
        calls = [c for c in recorded[assignment] if c["function"] == function]
        for index, parameter in enumerate(signatures[(assignment, function)]):
            seen = {cls for call in calls if (a := _argument(call, index, parameter.name)) for cls in a["classes"]}
            missing = [cls for cls in TABLE[assignment][function][parameter.name] if cls not in seen]
            if missing:
                problems.append(
                    f"{assignment}.{function}({parameter.name}): never sent {', '.join(missing)} "
                    f"(sent: {', '.join(sorted(seen)) or 'nothing'})"
                )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _argument(call: dict, index: int, name: str) -> dict | None:
    if index < len(call["args"]):
        return call["args"][index]
    return call["kwargs"].get(name)


def _differs(argument: dict, default) -> bool:
    """A value other than the default: a different plain value, or anything that is not plain (an array, a Generator)."""
    return "value" not in argument or argument["value"] != default


# -- the parser, on the forms COURSE.md uses ------------------------------------------------------------


def test_signature_parser_reads_the_forms_of_the_spec():
    """Are defaults, several assignments under one heading and `f(...)` ("as in 10/11") read as meant?"""
    text = (
        "## 07 optimizers — `optim.py`\n- `dropout(x, p, training=True, rng=None)`: the one-line `e / e.sum()`.\n"
        "## 10 fashion_mlp, 11 fashion_cnn — `a.py`, `b.py`\n- `train(model, x)` → the model.\n"
        "## 12 sequence_models — `s.py`\n- `train(...)` as in 10/11; `np.errstate` is fine.\n"
    )
    found = course_signatures(text)
    assert found[("optimizers", "dropout")] == [
        Parameter("x"),
        Parameter("p"),
        Parameter("training", True),
        Parameter("rng", None),
    ]
    assert found[("fashion_mlp", "train")] == found[("fashion_cnn", "train")] == found[("sequence_models", "train")]
    assert set(found) == {
        ("optimizers", "dropout"),
        ("fashion_mlp", "train"),
        ("fashion_cnn", "train"),
        ("sequence_models", "train"),
    }
