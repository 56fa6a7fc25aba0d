"""Hand-ins as students really make them, built at test time from the released activations notebook.

Each entry writes one student's folder (or file) the way Google Colab, JupyterLab 4, VS Code,
a text editor or an LMS leaves it, with every graded function correct unless its name says
otherwise, and states the verdict it deserves: `full` marks, or `partial` with the tests that
must fail. `note` is a fragment the result's notes must hold (the message a student reads).
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.paths import REPO_ROOT
from tests.support import solved_notebook

RELEASED = REPO_ROOT / "assignments" / "01_activations"
SOLUTION = REPO_ROOT / "solutions" / "01_activations" / "activations.py"


@dataclass(frozen=True)
class HandIn:
    student: str
    build: Callable[[Path], None]  # writes the hand-in at the given path (a folder, or a file when the name says so)
    verdict: str = "full"  # "full" or "partial"
    failing: str = ""  # with "partial": a test name fragment every failing test holds
    note: str = ""  # a fragment of the result's notes


def solution_code() -> str:
    return re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION\n", "", SOLUTION.read_text(encoding="utf-8"), flags=re.MULTILINE)


def solved() -> nbformat.NotebookNode:
    return solved_notebook(SOLUTION, nbformat.read(RELEASED / "activations.ipynb", as_version=4))


def fetched(folder: Path) -> Path:
    shutil.copytree(RELEASED, folder, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return folder


def _first_code(notebook) -> int:
    return next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")


def colab(folder: Path) -> None:
    """Colab: nbformat 4.0 without cell ids, its own metadata, outputs with counts, !pip and drive.mount."""
    notebook = solved()
    notebook.cells.insert(
        _first_code(notebook),
        nbformat.v4.new_code_cell(
            "!pip install -q torchinfo\nfrom google.colab import drive\ndrive.mount('/content/drive')"
        ),
    )
    data = json.loads(nbformat.writes(notebook))
    data["nbformat_minor"] = 0
    data["metadata"] = {
        "colab": {"provenance": [], "name": "activations.ipynb"},
        "accelerator": "GPU",
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
        "language_info": {"name": "python"},
    }
    for number, cell in enumerate(data["cells"], start=1):
        cell.pop("id", None)
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["Mounted at /content/drive\n"]}]
    folder.mkdir()
    (folder / "activations.ipynb").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def jupyterlab4(folder: Path) -> None:
    fetched(folder)
    (folder / "activations.ipynb").write_text(
        json.dumps(json.loads(nbformat.writes(solved())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def vscode(folder: Path) -> None:
    """VS Code: sources as lists of lines, its interpreter metadata, indent 1, CRLF-free."""
    data = json.loads(nbformat.writes(solved()))
    data["metadata"]["vscode"] = {"interpreter": {"hash": "0" * 64}}
    data["metadata"]["language_info"] = {"name": "python", "version": "3.11.9"}
    for cell in data["cells"]:
        cell["source"] = cell["source"].splitlines(keepends=True) if isinstance(cell["source"], str) else cell["source"]
    fetched(folder)
    (folder / "activations.ipynb").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def lms_renamed(folder: Path) -> None:
    """The untouched stub beside the filled notebook, renamed for the LMS."""
    fetched(folder)
    (folder / "activations.ipynb").unlink()
    nbformat.write(solved(), folder / "HW1_홍길동.ipynb")


def resaved_stub(folder: Path) -> None:
    """The notebook filled in, then the untouched stub opened and saved again by an editor (CRLF, BOM), later."""
    fetched(folder)
    nbformat.write(solved(), folder / "activations.ipynb")
    time.sleep(0.01)
    stub = (RELEASED / "activations.py").read_bytes()
    (folder / "activations.py").write_bytes(b"\xef\xbb\xbf" + stub.replace(b"\n", b"\r\n"))


def _with_first_cell(source: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        notebook = solved()
        first = _first_code(notebook)
        notebook.cells[first].source = source + "\n" + notebook.cells[first].source
        folder.mkdir()
        nbformat.write(notebook, folder / "activations.ipynb")

    return build


def colab_py(folder: Path) -> None:
    """Colab's File > Download > .py: magics became get_ipython() calls; drive.mount stays."""
    header = (
        '# -*- coding: utf-8 -*-\n"""HW1.ipynb\n\nAutomatically generated by Colab.\n"""\n\n'
        "get_ipython().system('pip install -q torchinfo')\n\nfrom google.colab import drive\n"
        "drive.mount('/content/drive')\n\nget_ipython().run_line_magic('matplotlib', 'inline')\n\n"
    )
    folder.mkdir()
    (folder / "hw1.py").write_text(header + solution_code(), encoding="utf-8")


def zipped(path: Path) -> None:
    """The student's folder zipped as a whole (the hand-in is the .zip file itself)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("HW1/activations.ipynb", nbformat.writes(solved()))
        archive.writestr("HW1/activations.py", (RELEASED / "activations.py").read_bytes())
        archive.writestr("__MACOSX/HW1/._activations.ipynb", b"\x00\x05\x16\x07")
    path.with_suffix(".zip").write_bytes(buffer.getvalue())


def writefile(folder: Path) -> None:
    """A notebook whose one code cell writes the module with %%writefile, then imports it."""
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# HW1"),
            nbformat.v4.new_code_cell("%%writefile activations.py\n" + solution_code()),
            nbformat.v4.new_code_cell("from activations import *\nprint(sigmoid(0.0))"),
        ]
    )
    folder.mkdir()
    nbformat.write(notebook, folder / "activations.ipynb")


def bom(folder: Path) -> None:
    folder.mkdir()
    (folder / "activations.ipynb").write_bytes(b"\xef\xbb\xbf" + nbformat.writes(solved()).encode("utf-8"))


def big_outputs(folder: Path) -> None:
    """Plots and logs past 5 MB: outputs are never graded."""
    notebook = solved()
    picture = base64.b64encode(os.urandom(9 << 20)).decode()
    cell = notebook.cells[_first_code(notebook)]
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": picture})]
    folder.mkdir()
    nbformat.write(notebook, folder / "activations.ipynb")


def slow_cell(folder: Path) -> None:
    """A 60-second experiment after the functions: stopped and named, the rest graded."""
    notebook = solved()
    notebook.cells.append(nbformat.v4.new_code_cell("import time\nfor _ in range(60):\n    time.sleep(1)"))
    folder.mkdir()
    nbformat.write(notebook, folder / "activations.ipynb")


def returns_none(folder: Path) -> None:
    """A beginner's slip: sigmoid computes its value and forgets to return it."""
    source = solution_code().replace(
        "    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))",
        "    value = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))",
        1,
    )
    assert "value = np.where" in source
    folder.mkdir()
    (folder / "activations.py").write_text(source, encoding="utf-8")


def both_changed(folder: Path) -> None:
    """The notebook solved, then the .py edited later with a wrong relu: both are the student's, the better counts."""
    fetched(folder)
    nbformat.write(solved(), folder / "activations.ipynb")
    time.sleep(0.01)
    wrong = (
        solution_code().replace("def relu(", "def _unused_relu(")
        + "\ndef relu(x):\n    return np.asarray(x, dtype=float)\n"
    )
    (folder / "activations.py").write_text(wrong, encoding="utf-8")


HANDINS = [
    HandIn("colab", colab, note="drive"),
    HandIn("jupyterlab4", jupyterlab4),
    HandIn("vscode", vscode),
    HandIn("lms_renamed", lms_renamed, note="HW1_홍길동.ipynb as activations.ipynb"),
    HandIn("resaved_stub", resaved_stub),
    HandIn(
        "libraries",
        _with_first_cell(
            "import pandas as pd\nimport seaborn as sns\nfrom tqdm.auto import tqdm\n"
            "from tqdm.notebook import trange\nimport cv2\nimport sklearn, scipy, matplotlib\n"
            "from PIL import Image"
        ),
    ),
    HandIn(
        "unknown_module",
        _with_first_cell("import not_a_module_anyone_installed\nimport numpy as np"),
        note="not_a_module_anyone_installed",
    ),
    HandIn("colab_py", colab_py, note="google"),
    HandIn("zipped", zipped, note="zipped.zip"),
    HandIn("writefile", writefile),
    HandIn("bom", bom),
    HandIn("big_outputs", big_outputs),
    HandIn("slow_cell", slow_cell, note="was stopped after"),
    HandIn("returns_none", returns_none, verdict="partial", failing="sigmoid"),
    HandIn("both_changed", both_changed, note="so each was graded"),
]
