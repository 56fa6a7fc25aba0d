"""Which file of a real student folder is the student's work? (no grading: the pick and the read alone)

Folders made the way students hand them in: a notebook renamed for an LMS beside the
untouched stub, the stub re-saved by an editor with other line endings, a notebook saved
with a byte-order mark, a notebook whose plots and logs make it large.
"""

from __future__ import annotations

import base64
import os
import shutil
import time

import nbformat

from autograder.paths import REPO_ROOT
from autograder.submission import notebook_cells, pick_submission, prepare
from tests.support import solved_notebook

RELEASED = REPO_ROOT / "assignments" / "01_activations"
SOLUTION = REPO_ROOT / "solutions" / "01_activations" / "activations.py"


def fetched(folder):
    """A student's copy of the release, as nbgrader's fetch (or a download) leaves it."""
    shutil.copytree(RELEASED, folder, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return folder


def solved():
    return solved_notebook(SOLUTION, nbformat.read(RELEASED / "activations.ipynb", as_version=4))


def test_a_renamed_notebook_beside_the_untouched_stub_is_graded(tmp_path):
    folder = fetched(tmp_path / "kim")
    (folder / "activations.ipynb").unlink()
    nbformat.write(solved(), folder / "HW1_홍길동.ipynb")
    pick = pick_submission(folder, "activations.py", RELEASED)
    assert pick.file.name == "HW1_홍길동.ipynb"
    assert any("as activations.ipynb" in note.en and "as it was released" in note.en for note in pick.notes), pick.notes
    assert any("activations.ipynb(으)로" in note.ko and "배포된 그대로" in note.ko for note in pick.notes), pick.notes


def test_a_stub_from_an_earlier_release_is_still_the_stub(tmp_path):
    """Re-released with a public test fixed, the notebook's self-check set-up cell changes: a student's untouched
    stub from the first release, beside their renamed work, is still the stub, and the work is graded."""
    folder = fetched(tmp_path / "choi")
    stub = nbformat.read(folder / "activations.ipynb", as_version=4)
    setup = next(cell for cell in stub.cells if "SELFCHECK_FILES" in cell.source)
    setup.source = setup.source.replace("Is sigmoid(0) = 0.5?", "Is sigmoid(0) one half?")
    assert "one half" in setup.source
    nbformat.write(stub, folder / "activations.ipynb")
    nbformat.write(solved(), folder / "HW1_최.ipynb")
    pick = pick_submission(folder, "activations.py", RELEASED)
    assert pick.file.name == "HW1_최.ipynb", pick.notes


def test_the_stub_resaved_by_an_editor_is_still_the_stub(tmp_path):
    folder = fetched(tmp_path / "lee")
    nbformat.write(solved(), folder / "activations.ipynb")
    stub = (RELEASED / "activations.py").read_bytes()
    time.sleep(0.01)
    (folder / "activations.py").write_bytes(b"\xef\xbb\xbf" + stub.replace(b"\n", b"   \r\n"))  # newer, CRLF, BOM
    pick = pick_submission(folder, "activations.py", RELEASED)
    assert pick.file.name == "activations.ipynb", pick.notes


def test_a_notebook_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "activations.ipynb"
    path.write_bytes(b"\xef\xbb\xbf" + nbformat.writes(solved()).encode("utf-8"))
    cells = notebook_cells(path.read_bytes(), path.name)
    assert any("def sigmoid" in cell["source"] for cell in cells)


def test_outputs_do_not_count_toward_the_size_cap(tmp_path):
    notebook = solved()
    picture = base64.b64encode(os.urandom(9 << 20)).decode()  # 12 MB of "plot": over 5 MB, never graded
    notebook.cells[-1].outputs = [nbformat.v4.new_output("display_data", data={"image/png": picture})]
    folder = tmp_path / "park"
    folder.mkdir()
    nbformat.write(notebook, folder / "activations.ipynb")
    prepared = prepare(pick_submission(folder, "activations.py", RELEASED), "activations.py")
    assert prepared.is_notebook and prepared.graded_file == "activations.ipynb"
    assert sum(len(cell["source"]) for cell in prepared.cells) < 1 << 20


def test_a_hand_in_that_could_not_be_read_says_so_before_why(tmp_path):
    """A link or a pipe in place of the file: does the first line say that nothing readable came, not that nothing
    came, with the reason next? An empty folder still says that nothing was submitted. The first line stands alone
    (the gradebook's CSV shows it without the notes)."""
    linked = tmp_path / "lee"
    linked.mkdir()
    (linked / "activations.py").symlink_to(SOLUTION)
    piped = tmp_path / "park"
    piped.mkdir()
    os.mkfifo(piped / "activations.ipynb")
    for folder, why in ((linked, "activations.py is a link"), (piped, "activations.ipynb is not an ordinary file")):
        pick = pick_submission(folder, "activations.py", RELEASED)
        assert pick.file is None
        first, second = pick.notes[0], pick.notes[1]
        assert first.en == "No readable activations.py or activations.ipynb was submitted.", pick.notes
        assert first.ko == "읽을 수 있는 activations.py 또는 activations.ipynb 파일이 제출되지 않았습니다.", pick.notes
        assert second.en.startswith(why), pick.notes
    empty = tmp_path / "jung"
    empty.mkdir()
    notes = pick_submission(empty, "activations.py", RELEASED).notes
    assert [note.en for note in notes] == ["No activations.py or activations.ipynb was submitted."]
