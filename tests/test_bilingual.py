"""Student-facing text keeps both languages from the judge to the stored result; only a renderer picks one."""

from __future__ import annotations

import json
import textwrap

from rich.console import Console

from autograder.bilingual import Said, say
from autograder.classroom.totals import total_markdown
from autograder.reports.student_page import render_student_page
from autograder.reports.terminal import print_result
from autograder.results import SubmissionResult, read_result
from tests.support import CORRECT_DEMO, DEMO_CONFIG, grade_file

WRONG_SQUARE = CORRECT_DEMO.replace("** 2", "* 2")


def _terminal(result: SubmissionResult) -> str:
    console = Console(width=200, record=True, force_terminal=False, color_system=None)
    print_result(result, console)
    return console.export_text()


def _graded(tmp_path, language: str) -> SubmissionResult:
    path = tmp_path / language / "demo.py"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(WRONG_SQUARE))
    return grade_file(path, "demo", config=DEMO_CONFIG, seed=3, language=language)


def test_said_joins_and_cuts_each_language_on_its_own():
    """Do +, join and cut keep the two languages in step, a plain str counting as the same in both?"""
    graded = say("Graded ", "채점: ") + "kim.py" + say(".", "했습니다.")
    assert graded == Said(en="Graded kim.py.", ko="채점: kim.py했습니다.")
    assert "(" + say("a", "가") == Said(en="(a", ko="(가")
    assert Said.same("; ").join([say("one", "하나"), "2"]) == Said(en="one; 2", ko="하나; 2")
    assert say("abcdef", "가나다라").cut(3) == Said(en="abc", ko="가나다")
    assert graded.in_language("ko") == "채점: kim.py했습니다." and graded.in_language("en") == "Graded kim.py."
    assert not Said() and say("", "없음") and Said.same("x")
    assert say("\x1b[2Jcleared", "\u202eflipped") == Said(en="[2Jcleared", ko="flipped")  # never a control character


def test_a_result_stored_with_plain_strings_still_loads(tmp_path):
    """Does a result written before both languages were kept read each of its texts as the same in both?"""
    old = {
        "student": "kim",
        "assignment": "demo",
        "language": "ko",
        "tests": [
            {
                "name": "test_square_values",
                "description": "square(x)가 x**2와 같나요?",
                "max_score": 1.0,
                "status": "failed",
                "output": "square(x)의 값이 틀렸습니다.",
            }
        ],
        "errors": ["demo.py could not be imported."],
        "notes": ["A note."],
        "internal_errors": ["test_x.py::test_a: KeyError"],
        "grader_failure": "the judge died",
        "figures": {"curves": [{"function": "f", "x": [0.0], "expected": [0.0], "problem": "f(x) raised"}]},
    }
    path = tmp_path / "kim.json"
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    result = read_result(path)
    assert result is not None and result.score == 0 and result.max_score == 1
    assert result.tests[0].output == Said.same("square(x)의 값이 틀렸습니다.")
    assert result.tests[0].description == Said.same("square(x)가 x**2와 같나요?")
    assert result.errors == [Said.same("demo.py could not be imported.")] and result.notes == [Said.same("A note.")]
    assert result.internal_errors == [Said.same("test_x.py::test_a: KeyError")]
    assert result.grader_failure == Said.same("the judge died")
    assert result.figures.curves[0].problem == Said.same("f(x) raised")
    assert "square(x)의 값이 틀렸습니다." in _terminal(result)
    # Written again, it keeps both languages side by side.
    stored = json.loads(result.model_dump_json())
    assert stored["tests"][0]["output"] == {"en": "square(x)의 값이 틀렸습니다.", "ko": "square(x)의 값이 틀렸습니다."}
    assert stored["notes"] == [{"en": "A note.", "ko": "A note."}]


def test_one_stored_result_renders_in_korean_and_in_english(tmp_path):
    """Graded once and stored, does the same result read in Korean or in English by its `language` alone?"""
    graded = _graded(tmp_path, "en")
    path = tmp_path / "stored.json"
    path.write_text(graded.model_dump_json(), encoding="utf-8")
    english = read_result(path)
    assert english is not None and english.language == "en" and 0 < english.score < english.max_score
    korean = english.model_copy(update={"language": "ko"})
    failed = next(t for t in english.tests if t.status != "passed")
    assert "wrong" in failed.output.en and "틀렸습니다" in failed.output.ko

    assert failed.output.en in _terminal(english) and failed.output.ko not in _terminal(english)
    assert failed.output.ko in _terminal(korean) and "테스트" in _terminal(korean)

    assert failed.output.en in render_student_page(english)
    assert failed.output.ko in render_student_page(korean)

    outputs = {
        language: [t["output"] for t in r.to_gradescope()["tests"]] for language, r in (("en", english), ("ko", korean))
    }
    assert failed.output.en in outputs["en"] and failed.output.ko in outputs["ko"]
    assert "통과했습니다." in outputs["ko"] and "Passed." in outputs["en"]


def test_results_in_both_languages_graded_in_one_process_keep_their_own(tmp_path):
    """Graded one after the other in one process, does each result hold the same two texts and render in its own?"""
    korean = _graded(tmp_path, "ko")
    english = _graded(tmp_path, "en")  # graded last: nothing left over from it may turn the Korean result English
    assert [t.output for t in korean.tests] == [t.output for t in english.tests]
    assert [t.description for t in korean.tests] == [t.description for t in english.tests]
    failed = next(t for t in korean.tests if t.status != "passed")
    assert failed.output.ko in _terminal(korean) and failed.output.en in _terminal(english)
    assert failed.output.ko in render_student_page(korean) and failed.output.en not in render_student_page(korean)
    assert "# 자동 채점 결과" in total_markdown("ko", 9, 10, 9, 0, 0)
    assert "# Autograder results" in total_markdown("en", 9, 10, 9, 0, 0)
