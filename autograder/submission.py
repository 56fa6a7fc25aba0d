"""Pick the student's file and read it into what the sandbox imports: one rule for every path.

`grade`, `grade-all`, `grade-examples` and `collect-grade` all call `pick_submission`. A
student's folder often holds both the notebook and the `.py` stub, one of them untouched:
the one the student changed is graded, and the result names it. A renamed notebook
(`activations (1).ipynb` from an LMS) is graded under its proper name, with a note. Every
choice is explained in one sentence, in the course's two languages.

Every byte comes through `autograder.intake` (no links followed, no pipes opened, reads
capped); what it refuses is named in the notes. `prepare` reads the chosen file (and, from
a folder, the student's helper modules beside it) into memory. Notebooks keep their cells apart, so a cell that raises is reported by its
number while later definitions are still graded; IPython magics and shell lines are
commented out with jupytext's own rules, since they mean nothing outside a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired

from autograder.bilingual import Said, say
from autograder.check_cells import HELPER, is_check_cell  # selfcheck.py is released beside the notebook
from autograder.engine.job import PreparedSubmission
from autograder.intake import HandedFile, HandIn, IntakeError, is_archive, open_archive, open_handin
from autograder.sandbox.protocol import Cell

if TYPE_CHECKING:
    from nbformat import NotebookNode

MAX_FILE_BYTES = 5 << 20  # a .py, or a notebook's code: what is graded
MAX_NOTEBOOK_BYTES = 64 << 20  # a whole notebook, outputs included (plots and logs are never graded)
MAX_HELPER_FILES = 20
SKIP = ("timestamp.txt", "submission_secret.txt")  # what nbgrader's submit adds beside the work
_RUN_BODY_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


class SubmissionError(Exception):
    """The submission cannot be graded at all; `text` is shown to the student."""

    def __init__(self, text: Said):
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class Pick:
    """The student's file chosen from a hand-in (read through autograder.intake), and why."""

    handin: HandIn | None  # None when the hand-in itself was refused (a link, a pipe): notes[0] says why
    file: HandedFile | None  # the student's file to grade, None when there is nothing at all
    notes: tuple[Said, ...]  # why this file, and what the intake left out, for the student and the instructor
    from_folder: bool = False  # the student handed in a folder: its other .py files are helper modules
    alternatives: tuple[
        HandedFile, ...
    ] = ()  # as much the student's work as `file` (both changed): graded too, the best counts

    @property
    def name(self) -> str | None:
        """The graded file's name as a person may see it."""
        if self.file is None or self.handin is None:
            return None
        return self.handin.display_name if not self.handin.is_folder else self.file.name

    def choosing(self, name: str) -> Pick:
        """This pick with the alternative named `name` (a result's graded_file) as its file."""
        for other in self.alternatives:
            if other.name == name and self.file is not None:
                return replace(self, file=other, alternatives=(self.file,))
        return self

    def read(self) -> bytes:
        """The chosen file's bytes, capped; SubmissionError (the student's sentence) when it cannot be read."""
        if self.file is None or self.handin is None:
            raise SubmissionError(self.notes[0] if self.notes else Said.same("Nothing was submitted."))
        try:
            return self.handin.read(self.file, cap_for(self.file))
        except IntakeError as err:
            raise SubmissionError(err.text) from None


def cap_for(file: HandedFile) -> int:
    return MAX_NOTEBOOK_BYTES if file.suffix == ".ipynb" else MAX_FILE_BYTES


def pick_submission(path: Path, expected_file: str, released: Path | None = None) -> Pick:
    """The student's work for `expected_file` (F or its notebook) in `path`, a file or a folder.

    `released` is the folder holding what students were given: a file still equal to it
    (code compared, outputs, line endings and trailing spaces aside) is the untouched stub,
    never the student's work while another candidate exists.
    """
    try:
        handin = open_handin(path)
    except IntakeError as err:
        return Pick(None, None, (err.text,))
    refused = tuple(handin.notes())
    archives = [f for f in handin.files if is_archive(f)]
    if archives and not [f for f in handin.files if f.suffix in (".py", ".ipynb")]:  # a zip or tar of the work
        packed = _newest(archives)
        try:
            handin = open_archive(handin, packed)
        except IntakeError as err:
            return Pick(None, None, (err.text, *refused))
        refused += tuple(handin.notes()) + (
            say(f"Graded what {packed.name} holds.", f"{packed.name} 안의 파일을 채점했습니다."),
        )
    if not handin.is_folder:
        return Pick(handin, handin.files[0], refused)
    stem = Path(expected_file).stem
    notebook = f"{stem}.ipynb"
    files = [f for f in handin.files if f.name not in SKIP]
    fitting = [f for f in files if f.size <= cap_for(f)]
    too_big = tuple(_too_big(f) for f in files if f.size > cap_for(f) and f.suffix in (".py", ".ipynb"))
    if fitting:  # a file over its cap is left out while anything else can be graded
        files = fitting
    else:
        too_big = ()

    def untouched(f: HandedFile) -> bool:
        return released is not None and _untouched(handin, f, released / f.name)

    exact = [f for f in files if f.name in (expected_file, notebook) and f.parent == ""]
    changed = [f for f in exact if not untouched(f)]
    notes = refused + too_big
    if len(changed) == 1:
        chosen = changed[0]
        others = [f for f in exact if f is not chosen]
        if not others:
            return Pick(handin, chosen, notes, True)
        other = others[0]
        return Pick(
            handin,
            chosen,
            notes
            + (
                say(
                    f"Graded {chosen.name}, the file you changed; {other.name} is as it was released.",
                    f"수정된 파일인 {chosen.name}를 채점했습니다. {other.name}는 배포된 그대로입니다.",
                ),
            ),
            True,
        )
    if len(changed) == 2:  # both are the student's work: both are graded and the better counts (grading.py says so)
        chosen = _newest(changed)
        return Pick(handin, chosen, notes, True, alternatives=tuple(f for f in changed if f is not chosen))
    # No exact name was changed: a renamed notebook (HW1_홍길동.ipynb) or module is the student's work.
    others = [f for f in files if f.suffix == ".ipynb" and f not in exact and not untouched(f)] or [
        f
        for f in files
        if f.suffix == ".py"
        and f not in exact
        and not f.name.startswith("test_")
        and f.name != HELPER
        and not untouched(f)
    ]
    if others:
        chosen = _newest(others)
        target = notebook if chosen.suffix == ".ipynb" else expected_file
        released_as_is = ", ".join(f.name for f in exact)
        also_en = f" ({released_as_is} is as it was released)" if exact else ""
        also_ko = f" ({released_as_is}는 배포된 그대로입니다)" if exact else ""
        return Pick(
            handin,
            chosen,
            notes
            + (
                say(
                    f"Graded {chosen.path} as {target}{also_en}; name the file {target} next time.",
                    f"{chosen.path} 파일을 {target}(으)로 보고 채점했습니다{also_ko}. 다음에는 파일 이름을 {target}(으)로 해 주세요.",
                ),
            ),
            True,
        )
    if exact:
        chosen = next((f for f in exact if f.suffix == ".ipynb"), exact[0])
        if len(exact) == 1:
            return Pick(handin, chosen, notes, True)
        other = next(f for f in exact if f is not chosen)
        return Pick(
            handin,
            chosen,
            notes
            + (
                say(
                    f"Neither {chosen.name} nor {other.name} was changed from the release; {chosen.name} was graded.",
                    f"{chosen.name}와 {other.name} 모두 배포된 그대로입니다. {chosen.name}를 채점했습니다.",
                ),
            ),
            True,
        )
    missing = (
        say(  # the notes that follow name what was handed in and not read (a link, a pipe, a file too big)
            f"No readable {expected_file} or {notebook} was submitted.",
            f"읽을 수 있는 {expected_file} 또는 {notebook} 파일이 제출되지 않았습니다.",
        )
        if notes
        else say(
            f"No {expected_file} or {notebook} was submitted.",
            f"{expected_file} 또는 {notebook} 파일이 제출되지 않았습니다.",
        )
    )
    return Pick(handin, None, (missing, *notes), True)


def prepare(pick: Pick, expected_file: str) -> PreparedSubmission:
    """Read the picked file, under its proper name, and the student's helper modules into memory."""
    content = pick.read()
    source, handin, name = pick.file, pick.handin, pick.name
    assert source is not None and handin is not None and name is not None  # pick.read() raised otherwise
    files: dict[str, bytes] = {}
    notes: list[Said] = []
    if pick.from_folder:
        helpers = [
            f
            for f in handin.files
            if f.parent == source.parent
            and f.suffix == ".py"
            and f is not source
            and f.name not in (expected_file, HELPER)
            and not f.name.startswith("test_")
        ]
        for helper in helpers[:MAX_HELPER_FILES]:
            try:
                files[helper.name] = handin.read(helper, MAX_FILE_BYTES)
            except IntakeError as err:
                notes.append(err.text)
    if source.suffix == ".ipynb":
        cells = notebook_cells(content, name, expected_file)
        for cell in [c for c in cells if "writes" in c]:  # helpers the notebook writes with %%writefile
            files[cell["writes"]] = cell["source"].encode("utf-8")  # the last write of a name wins, as in the notebook
        code: list[Cell] = [{"number": c["number"], "source": c["source"]} for c in cells if "writes" not in c]
        if sum(len(cell["source"]) for cell in code) > MAX_FILE_BYTES:
            raise SubmissionError(
                say(
                    f"The code in {name} is over {MAX_FILE_BYTES >> 20} MB; hand in only your solution.",
                    f"{name}의 코드가 {MAX_FILE_BYTES >> 20} MB를 넘습니다. 풀이만 제출해 주세요.",
                )
            )
        return PreparedSubmission(files, expected_file, code, name, tuple(notes))
    files[expected_file] = content
    return PreparedSubmission(files, expected_file, None, name, tuple(notes))


class NotebookCell(Cell):
    """A code cell of a hand-in; `writes`: the helper module a `%%writefile other.py` cell makes, not run as a cell."""

    writes: NotRequired[str]


def notebook_cells(content: bytes, name: str, module_file: str | None = None) -> list[NotebookCell]:
    """The notebook's code cells as (number, source), magics commented out.

    Cells that are not Python (%%bash) and the released self-check cells, which only print
    the public tests' results, are left out. A `%%writefile MODULE_FILE` cell's body is code
    like any cell's; a `%%writefile other.py` cell comes with `writes`: the helper module it makes.
    """
    from jupytext.magics import comment_magic

    try:
        notebook = read_notebook(content)
    except Exception as err:
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        raise SubmissionError(
            say(
                f"{name} is not a readable Jupyter notebook ({reason}); open it in Jupyter, save it again and resubmit.",
                f"{name}은(는) 읽을 수 있는 주피터 노트북이 아닙니다({reason}). 주피터에서 열어 다시 저장한 뒤 제출해 주세요.",
            )
        ) from None
    cells: list[NotebookCell] = []
    code_number = 0
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        code_number += 1
        lines = str(cell.get("source", "")).splitlines()
        first = lines[0].strip() if lines else ""
        written = _writefile_target(first)
        if written is not None:  # %%writefile NAME.py: the module (or a helper) the notebook writes and imports
            body = "\n".join(lines[1:]) + "\n"
            cells.append(
                {"number": code_number, "source": body}
                if written == module_file
                else {"number": code_number, "source": body, "writes": written}
            )
            continue
        if first.startswith("%%") and not first.startswith(_RUN_BODY_CELL_MAGICS):
            continue  # a %%bash or %%html cell is not Python
        if is_check_cell("\n".join(lines)):
            continue  # a self-check cell: selfcheck.py is not in the sandbox, and it defines nothing
        cells.append({"number": code_number, "source": "\n".join(comment_magic(lines, "python")) + "\n"})
    return cells


def read_notebook(content: bytes) -> NotebookNode:
    """A notebook's bytes as nbformat reads them, a byte-order mark allowed; nbformat's error when they are not one."""
    import nbformat

    notebook: NotebookNode = nbformat.reads(content.decode("utf-8-sig", errors="replace"), as_version=4)
    return notebook


def _writefile_target(first_line: str) -> str | None:
    """NAME.py of a `%%writefile [-a] NAME.py` line, else None."""
    words = first_line.split()
    if len(words) < 2 or words[0] != "%%writefile":
        return None
    target = words[-1].strip("'\"")
    if not target.endswith(".py") or "/" in target or target.startswith("-"):
        return None
    return target


def _untouched(handin: HandIn, file: HandedFile, released: Path) -> bool:
    """Does the student's copy still say what was released (outputs, metadata, line endings and trailing spaces aside)?"""
    if not released.is_file() or file.size > cap_for(file):
        return False
    theirs = released.read_bytes()
    try:
        mine = handin.read(file, cap_for(file))
    except IntakeError:
        return False
    if mine == theirs:
        return True
    if file.suffix != ".ipynb":
        return _normal_code(mine) == _normal_code(theirs)
    try:
        mine_cells, their_cells = _code(read_notebook(mine)), _code(read_notebook(theirs))
    except Exception:
        return False
    return mine_cells == their_cells


def _normal_code(content: bytes) -> list[str]:
    """Source lines as an editor's re-save leaves them: no BOM, no CR, no trailing spaces, no blank lines."""
    text = content.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n") if line.strip()]


def _code(notebook: NotebookNode) -> list[str]:
    """The code cells that are the student's to change: the released self-check cells change with every
    re-release (they carry the public tests), so a stub from an earlier release is still the stub."""
    sources = [str(c.get("source", "")) for c in notebook.cells if c.get("cell_type") == "code"]
    return ["\n".join(_normal_code(source.encode())) for source in sources if not is_check_cell(source)]


def _newest(files: list[HandedFile]) -> HandedFile:
    return max(files, key=lambda f: (f.mtime, f.suffix == ".ipynb", f.name))


def _too_big(file: HandedFile) -> Said:
    cap = cap_for(file) >> 20
    return say(
        f"{file.path} is over {cap} MB and was not graded.",
        f"{file.path} 파일은 {cap} MB를 넘어서 채점하지 않았습니다.",
    )


@dataclass(frozen=True)
class Submission:
    """One student's work, read into memory: what the judge gets, or why there is nothing to grade."""

    pick: Pick
    prepared: PreparedSubmission | None
    problem: Said | None = None
    notes: tuple[Said, ...] = ()  # about the hand-in as a whole (its id), for the student and the instructor
    alternatives: tuple[
        PreparedSubmission, ...
    ] = ()  # other files as much the student's work: graded too, the best counts

    @property
    def digest(self) -> str:
        own = self.prepared.digest if self.prepared else "unreadable:" + (self.problem.en if self.problem else "")
        return ":".join([own, *(alternative.digest for alternative in self.alternatives)])


def read_submission(pick: Pick, expected_file: str) -> Submission:
    try:
        prepared = prepare(pick, expected_file)
    except SubmissionError as err:
        return Submission(pick, None, err.text)
    alternatives = []
    for other in pick.alternatives:
        try:
            alternatives.append(prepare(pick.choosing(other.name), expected_file))
        except SubmissionError:
            continue  # an alternative that cannot be read is no better than the file that can
    return Submission(pick, prepared, alternatives=tuple(alternatives))
