"""자가 점검 / Self-checks for the notebook in this folder.

한국어: 노트북의 함수 셀 아래에 있는 `check("함수 이름")` 셀과 맨 끝의 `check_all()` 셀이 이 파일을
씁니다. 이 폴더의 공개 테스트를 노트북에서 정의한 함수로 실행하고, 무엇이 통과했고 무엇을 살펴봐야
하는지 보여 줍니다. 점수와는 관계없습니다. 채점은 더 많은 경우를 확인하는 숨겨진 테스트로 합니다.
이 파일은 고칠 필요가 없습니다.

English: the `check("function name")` cells below the notebook's functions and the
`check_all()` cell at its end use this file. It runs this folder's public tests on the
functions the notebook defines and prints what passed and what to look at. It does not
affect your score: grading uses hidden tests that check many more cases. You do not need
to change this file.
"""
# How it works (for instructors): the public test file imports the assignment's module
# (`from activations import relu`). For the length of a check, the notebook's namespace is
# installed as that module, so the tests see the notebook's own definitions; a name not
# defined yet gives a stand-in that says so when used. The file is compiled with pytest's
# assertion rewriting when pytest is installed, for messages that show the values, and
# plainly otherwise. @pytest.mark.parametrize is expanded here; a test needing any other
# pytest fixture (a work folder) is named, not run. Nothing else of the notebook runs and
# no file outside this folder is read. The release writes the plan below.
from __future__ import annotations

import ast
import contextlib
import inspect
import itertools
import linecache
import re
import sys
import traceback
import types
from pathlib import Path

# -- the release writes this assignment's plan here --
MODULE = 'activations'  # what the public tests import: the notebook's name
TESTS = 'test_activations.py'  # the public test file, relative to this file
PYTEST = 'python -m pytest test_activations.py'  # how to run the same tests in a terminal
LANGUAGE = 'ko'  # the course language: "ko" or "en"
CHECKS: dict[str, tuple[str, ...]] = {  # a name the notebook defines -> the public tests run below its cell
    'sigmoid': ('test_sigmoid_of_zero_is_one_half', 'test_sigmoid_keeps_shape', 'test_sigmoid_at_1000'),
    'tanh': ('test_tanh_of_zero_is_zero',),
    'relu': ('test_relu_small_example',),
    'step': ('test_step_small_example',),
    'softmax': ('test_softmax_vector_sums_to_one', 'test_softmax_batch_rows_sum_to_one'),
    'sigmoid_grad': ('test_sigmoid_grad_of_zero_is_a_quarter',),
}
# -- end of the plan --

_TEXT = {  # (English, 한국어): every message in both languages, side by side
    "title": ("Self-check: {label}", "자가 점검: {label}"),
    "title_all": ("Self-check: every public test", "자가 점검: 모든 공개 테스트"),
    "other": ("other tests", "그 밖의 테스트"),
    "at_line": ("line {line} of {file}: {code}", "{file} {line}번째 줄: {code}"),
    "in_code": ("raised in {function}, line {line} of its cell: {code}", "{function}의 셀 {line}번째 줄에서 생긴 오류: {code}"),
    "not_written": ("{function} is not written yet: its cell still raises NotImplementedError.",
                    "{function}을(를) 아직 작성하지 않았습니다: 셀에 `raise NotImplementedError()`가 남아 있습니다."),
    "not_defined": ("{name} is not defined yet: run the cell that defines it, then this cell again.",
                    "{name}이(가) 아직 정의되지 않았습니다: 그 셀을 먼저 실행한 뒤 이 셀을 다시 실행하세요."),
    "left_out": ("not run in the notebook, because it needs pytest's `{fixtures}`; run `{command}` in a terminal.",
                 "pytest의 `{fixtures}`가 필요해서 노트북에서는 실행하지 않습니다. 터미널에서 `{command}`로 확인하세요."),
    "skipped": ("skipped: {reason}", "건너뜀: {reason}"),
    "all_passed": ("{total} of {total} passed.", "{total}개 중 {total}개 통과."),
    "some_failed": ("{passed} of {total} passed. Fix {label} using the lines above, run its cell, then this one again.",
                    "{total}개 중 {passed}개 통과. 위 내용을 보고 {label}을(를) 고친 뒤, 그 셀과 이 셀을 다시 실행하세요."),
    "none_run": ("Nothing to run here.", "여기서 실행할 테스트가 없습니다."),
    "summary": ("Public tests: {passed} of {total} passed.", "공개 테스트 {total}개 중 {passed}개 통과."),
    "summary_left_out": (" {count} more run only with `{command}`.", " 나머지 {count}개는 `{command}`로만 확인할 수 있습니다."),
    "summary_hidden": ("Your score comes from hidden tests that check many more cases, so this is a first check, not a grade.",
                       "점수는 더 많은 경우를 확인하는 숨겨진 테스트로 매기므로, 이 결과는 점수가 아니라 첫 확인입니다."),
    "unknown": ("There is no self-check called {label!r}; the checks of this notebook are: {labels}.",
                "{label!r}이라는 자가 점검은 없습니다. 이 노트북의 자가 점검: {labels}."),
    "no_tests": ("The public test file {file} is missing from this folder; download the assignment folder again.",
                 "이 폴더에 공개 테스트 파일 {file}이(가) 없습니다. 과제 폴더를 다시 받으세요."),
    "cannot_load": ("Could not load the public tests {file}: {error}", "공개 테스트 {file}을(를) 불러오지 못했습니다: {error}"),
    "install": (" Install it with `pip install {package}`, then run this cell again.",
                " `pip install {package}`로 설치한 뒤 이 셀을 다시 실행하세요."),
}
_FUNCTION_REPR = re.compile(r"<(?:function|built-in function|class) '?([\w.]+)'?(?: at 0x[0-9a-f]+)?>")
_PLAIN_LOOKUP = re.compile(r"\s*\+\s+(?:where|and)\s+([\w.]+) = [\w.]*\b(\w+)")
_MAX_MESSAGE_LINES = 12


def check(label: str) -> None:
    """Run the public tests placed below the cell that defines `label`, on the calling notebook's code."""
    namespace = inspect.currentframe().f_back.f_globals
    if label not in CHECKS or not label:
        print(_say("unknown", label=label, labels=", ".join(name for name in CHECKS if name)))
        return
    with _notebook_as_module(namespace):
        tests = _load_tests()
        if tests is not None:
            print(_say("title", label=label))
            print("\n".join(_run_group(label, CHECKS[label], tests, namespace)[3]))


def check_all() -> None:
    """Run every public test, one line per check that passed in full, details otherwise, then a summary."""
    namespace = inspect.currentframe().f_back.f_globals
    print(_say("title_all"))
    with _notebook_as_module(namespace):
        tests = _load_tests()
        if tests is None:
            return
        passed = total = left_out = 0
        for label, names in CHECKS.items():
            group = _run_group(label, names, tests, namespace)
            if group[0] == group[1] and not group[2]:
                print(f"  ✓ {label or _say('other')}: " + _say("all_passed", total=group[1]))
            else:
                print(f"  {'✗' if group[0] < group[1] else '–'} {label or _say('other')}:")
                print("\n".join("  " + line for line in group[3]))
            passed, total, left_out = passed + group[0], total + group[1], left_out + group[2]
    line = _say("summary", passed=passed, total=total)
    if left_out:
        line += _say("summary_left_out", count=left_out, command=PYTEST)
    print(line + " " + _say("summary_hidden"))


# -- running ------------------------------------------------------------------------------

def _run_group(label: str, names: tuple[str, ...], tests: types.ModuleType,
               namespace: dict) -> tuple[int, int, int, list[str]]:
    """Run one check's tests: (passed, run, left out, lines to print)."""
    lines = []
    passed = run = left_out = 0
    for name in names:
        function = getattr(tests, name, None)
        if function is None:
            continue
        question = (function.__doc__ or "").strip().split("\n")[0]
        cases, fixtures = _cases(function)
        if fixtures:
            left_out += 1
            lines.append(f"  – {name}  {question}")
            lines.append("      " + _say("left_out", fixtures=", ".join(fixtures), command=PYTEST))
            continue
        for case, arguments in cases:
            error = _run_case(function, arguments)
            if type(error).__name__ == "Skipped":
                lines.append(f"  – {name}{case}  " + _say("skipped", reason=str(error)))
                continue
            run += 1
            if error is None:
                passed += 1
                lines.append(f"  ✓ {name}{case}  {question}")
            else:
                lines.append(f"  ✗ {name}{case}  {question}")
                lines += ["      " + line for line in _explain(error, tests.__file__, namespace)]
    if run:
        lines.append(_say("all_passed", total=run) if passed == run else _say("some_failed", passed=passed, total=run, label=label))
    elif not left_out:
        lines.append(_say("none_run"))
    return passed, run, left_out, lines


def _run_case(function, arguments: dict):
    """The test's exception, or None when it passed (pytest.raises' "DID NOT RAISE" included)."""
    try:
        function(**arguments)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # pytest's Failed and Skipped are not Exceptions
        return error
    return None


def _cases(function) -> tuple[list[tuple[str, dict]], list[str]]:
    """([(case id, arguments)], fixtures it needs besides its parameters), parametrize expanded."""
    axes = []
    for mark in reversed(getattr(function, "pytestmark", [])):
        if getattr(mark, "name", "") != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",") if n.strip()] if isinstance(names, str) else list(names)
        rows = []
        for value in values:
            if isinstance(value, tuple) and hasattr(value, "marks") and hasattr(value, "values"):  # pytest.param(...)
                value = value.values if len(names) > 1 else value.values[0]
            rows.append(dict(zip(names, value if len(names) > 1 else (value,))))
        axes.append(rows)
    given = {name for rows in axes for row in rows for name in row}
    fixtures = [name for name in inspect.signature(function).parameters if name not in given]
    cases = []
    for combination in itertools.product(*axes):
        arguments = {key: value for row in combination for key, value in row.items()}
        case = "[" + "-".join(_case_id(v) for v in arguments.values()) + "]" if arguments else ""
        cases.append((case, arguments))
    return cases, fixtures


def _case_id(value) -> str:
    return str(value) if isinstance(value, (str, int, float, bool)) or value is None else type(value).__name__


# -- the notebook as the module the tests import --------------------------------------------

class _NotDefined(NameError):
    """A name the tests import that the notebook has not defined yet."""


class _Missing:
    """Stands in for a name the notebook has not defined yet; using it says so."""

    def __init__(self, name: str):
        self._name = name

    def _fail(self, *args, **kwargs):
        raise _NotDefined(self._name)

    __call__ = __getitem__ = __iter__ = __len__ = __bool__ = __array__ = _fail

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        self._fail()


def _missing(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    return _Missing(name)


@contextlib.contextmanager
def _notebook_as_module(namespace: dict):
    """Install the notebook's namespace as MODULE for the tests' imports, then put back what was there."""
    module = types.ModuleType(MODULE)
    module.__dict__.update({key: value for key, value in namespace.items() if not key.startswith("__")})
    module.__getattr__ = _missing
    before = sys.modules.get(MODULE)
    sys.modules[MODULE] = module
    try:
        yield module
    finally:
        if before is None:
            sys.modules.pop(MODULE, None)
        else:
            sys.modules[MODULE] = before


def _load_tests() -> types.ModuleType | None:
    """The public test module, freshly imported (so it sees the notebook as it is now), or None."""
    path = Path(__file__).resolve().parent / TESTS
    if not path.is_file():
        print(_say("no_tests", file=TESTS))
        return None
    source = path.read_bytes()
    module = types.ModuleType(Path(TESTS).stem)
    module.__file__ = str(path)
    try:
        exec(_compile(source, str(path)), module.__dict__)
    except Exception as error:
        message = _say("cannot_load", file=TESTS, error=f"{type(error).__name__}: {error}")
        if isinstance(error, ModuleNotFoundError) and error.name:
            message += _say("install", package=error.name.split(".")[0])
        print(message)
        return None
    return module


def _compile(source: bytes, filename: str):
    """The test file's code, with pytest's assertion messages when pytest is installed."""
    tree = ast.parse(source, filename)
    try:
        from _pytest.assertion.rewrite import rewrite_asserts

        rewrite_asserts(tree, source, filename, None)
    except Exception:  # no pytest, or a version that works otherwise: plain asserts still run
        tree = ast.parse(source, filename)
    return compile(tree, filename, "exec", dont_inherit=True)


# -- explaining a failure ---------------------------------------------------------------------

def _explain(error: BaseException, tests_file: str, namespace: dict) -> list[str]:
    """What to look at: the test's line, where the notebook's code raised, and the message."""
    frames = list(traceback.walk_tb(error.__traceback__))
    in_test = [(frame, line) for frame, line in frames if frame.f_code.co_filename == tests_file]
    in_notebook = [(frame, line) for frame, line in frames if frame.f_globals is namespace]
    if isinstance(error, _NotDefined):
        return [_say("not_defined", name=error.args[0])]
    lines = []
    if in_test:
        frame, line = in_test[-1]
        lines.append(_say("at_line", line=line, file=Path(tests_file).name, code=linecache.getline(tests_file, line).strip()))
    if isinstance(error, NotImplementedError) and in_notebook:
        return lines + [_say("not_written", function=in_notebook[-1][0].f_code.co_name)]
    if in_notebook and not isinstance(error, AssertionError):
        frame, line = in_notebook[-1]
        code = linecache.getline(frame.f_code.co_filename, line).strip()
        lines.append(_say("in_code", function=frame.f_code.co_name, line=line, code=code))
    message = _FUNCTION_REPR.sub(r"\1", str(error)).strip()
    kept = [text for text in message.splitlines() if not _is_plain_lookup(text)]
    if not isinstance(error, AssertionError) or not kept:
        kept = [f"{type(error).__name__}: {kept[0] if kept else ''}".rstrip(": ")] + kept[1:]
    if len(kept) > _MAX_MESSAGE_LINES:
        kept = kept[:_MAX_MESSAGE_LINES] + ["..."]
    return lines + [text[:300] for text in kept]


def _is_plain_lookup(text: str) -> bool:
    """pytest's `+  where allclose = np.allclose`: says nothing a student needs."""
    match = _PLAIN_LOOKUP.fullmatch(text)
    return bool(match) and match.group(1).split(".")[-1] == match.group(2)


def _say(key: str, **values) -> str:
    english, korean = _TEXT[key]
    return (korean if LANGUAGE == "ko" else english).format(**values)
