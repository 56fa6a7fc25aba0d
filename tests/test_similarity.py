"""Does `autograder similarity` rank disguised copies above independent work, score starter code 0, and show it safely?

The class is generated (tests/similarity_class.py): 36 independent `activations` solutions,
no two sharing more than two of the six function bodies and each written in its own way, and
4 copies of 4 of them disguised as students disguise them (renamed variables, reordered
functions, other comments and spacing, the step loop turned into a comprehension). Half hand
in a notebook (with outputs), half the .py. Two more hand in the released notebook and the
released stub untouched.
"""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.config import load_config
from autograder.similarity import class_similarity
from autograder.similarity.code import starter_code
from autograder.similarity.detect import fingerprint
from tests.browser import chromium_driver, look_at
from tests.similarity_class import RELEASE, STUB, filled_stub, generated_class, independent, write_class
from tests.support import COURSE_CONFIG

pytestmark = pytest.mark.skipif(not STUB.is_file(), reason="the release of activations is not built yet")


def given_only(folder, hand_ins):
    """Two students who hand in what they were given: the released notebook, the released stub."""
    for student, name in (("z_notebook_only", "activations.ipynb"), ("z_stub_only", "activations.py")):
        (folder / student).mkdir()
        shutil.copyfile(RELEASE / name, folder / student / name)
        hand_ins[student] = folder / student
    return hand_ins


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_copied_pairs_rank_above_every_independent_pair(seed, tmp_path):
    """Do the 4 disguised copies rank above all 36 * 35 / 2 independent pairs, and the given code score 0?"""
    files, copied = generated_class(40, 4, seed=seed)
    assert len(files) == 40
    hand_ins = given_only(tmp_path, write_class(files, tmp_path))
    report = class_similarity(load_config(COURSE_CONFIG), "activations", hand_ins)

    assert report.compared == 40 * 39 // 2
    assert set(report.problems) == {"z_notebook_only", "z_stub_only"}  # nothing but the starter code: never compared
    assert all("starter code" in problem for problem in report.problems.values())
    top = [frozenset((p.a, p.b)) for p in report.pairs[: len(copied)]]
    assert set(top) == {frozenset(pair) for pair in copied}, [(p.a, p.b, round(p.score, 3)) for p in report.pairs[:8]]
    lowest_copy = report.pairs[len(copied) - 1].score
    highest_independent = report.pairs[len(copied)].score
    assert lowest_copy > highest_independent
    assert all(0 < p.score <= 1 and p.slices_a and p.slices_b for p in report.pairs)


def test_starter_code_alone_scores_zero():
    """The stub, the released notebook's code and a stub with a comment added leave nothing to compare."""
    starter = starter_code(RELEASE, "activations.py")
    given = frozenset(fingerprint(starter).hashes)
    assert given
    for text in (STUB.read_text(encoding="utf-8"), STUB.read_text(encoding="utf-8") + "\n# done!\n", starter):
        assert fingerprint(text, given).covered == 0
    solved = fingerprint(filled_stub(independent((0, 0, 0, 0, 0, 0), 1)), given)
    assert solved.covered > 0  # a student's own code still counts


def test_page_is_offline_escaped_and_ranks_the_copy_first(tmp_path):
    """Does the page open offline in chromium, run no student code, mark the matches and say it is no verdict?"""
    hostile = (
        "    # </script><script>window.__pwned = 1</script>\n    note = '<img src=x onerror=\"window.__pwned = 2\">'\n"
    )
    files, copied = generated_class(8, 1, seed=3)
    original, copier = copied[0]
    for student in (original, copier):  # the hostile lines sit inside code both share
        files[student] = files[student].replace("    # 여기에 코드를 작성하세요 / YOUR CODE HERE\n", hostile, 1)
    classroom = tmp_path / "class"
    write_class(files, classroom, notebooks_every=0)
    page = tmp_path / "out" / "similar.html"
    invoked = CliRunner().invoke(
        main,
        [
            "--config",
            str(COURSE_CONFIG),
            "similarity",
            "activations",
            str(classroom),
            "-o",
            str(page),
            "--language",
            "en",
        ],
    )
    assert invoked.exit_code == 0, invoked.output
    assert "not a verdict" in invoked.output and f"most similar: {min(copied[0])} · {max(copied[0])}" in invoked.output

    with open(page.with_suffix(".csv"), newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert {rows[0]["student_a"], rows[0]["student_b"]} == {original, copier}
    assert float(rows[0]["shared"]) > max(float(row["shared"]) for row in rows[1:])

    html = page.read_text(encoding="utf-8")
    assert "<script" not in html.replace("&lt;script", "") and "http" not in html.lower().replace("http-equiv", "")
    driver = chromium_driver()
    try:
        seen = look_at(driver, page.resolve().as_uri(), "similarity")
        pwned = driver.execute_script("return window.__pwned === undefined ? null : window.__pwned;")
        images = driver.execute_script("return document.images.length;")
        marks = driver.execute_script("return document.querySelectorAll('mark').length;")
        first = driver.execute_script("return document.querySelector('#ranking tbody tr').innerText;")
    finally:
        driver.quit()
    assert pwned is None and images == 0  # the student's markup stayed text
    assert "</script><script>window.__pwned = 1</script>" in seen.text and 'onerror="window.__pwned = 2"' in seen.text
    assert marks > 0 and original in first and copier in first
    assert "not evidence of copying" in seen.text
    assert not seen.outside_requests and not seen.blank and not seen.console_errors


def test_too_few_hand_ins_is_one_sentence(tmp_path):
    (tmp_path / "alone").mkdir()
    shutil.copyfile(STUB, tmp_path / "alone" / "activations.py")
    invoked = CliRunner().invoke(main, ["--config", str(COURSE_CONFIG), "similarity", "activations", str(tmp_path)])
    assert invoked.exit_code == 2 and "Found 1 hand-in(s)" in invoked.output and "Traceback" not in invoked.output


def test_identical_one_liners_in_another_order_score_one():
    """Hand-ins whose every function is too short to fingerprint still match when their code is the same."""
    from autograder.similarity.code import StudentCode
    from autograder.similarity.detect import compare_class

    a = "# (given) def relu(x):\n    return np.maximum(0, np.asarray(x))\n# (given) def tanh(x):\n    return np.tanh(x)\n"
    b = "# (given) def tanh(x):\n    return np.tanh(v)\n# (given) def relu(x):\n    return np.maximum(0, np.asarray(v))\n"
    c = "# (given) def relu(x):\n    return np.maximum(1, np.asarray(x))\n"
    report = compare_class(
        "activations",
        [StudentCode(*pair) for pair in (("a", a), ("b", b), ("c", c))],
        starter_code(RELEASE, "activations.py"),
    )
    assert [(p.a, p.b, p.score) for p in report.pairs] == [("a", "b", 1.0)]
