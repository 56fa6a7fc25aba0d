"""The released self-check cells as the grader knows them: what they look like, so that it skips them.

The release (course/selfcheck.py) puts self-check cells into each notebook: one below each
function's cell, a summary at the end, and a set-up cell that writes `selfcheck.py` and the
public tests beside a notebook opened alone. They only print the public tests' results, and
`selfcheck.py` does not exist in the sandbox, so the grader leaves them out of what it
grades (`is_check_cell`) and never takes `selfcheck.py` for the student's helper module.
Their exact text lives here, below both the release that writes them and the grader that
reads them, so the two can never disagree about what a released cell is.
"""

from __future__ import annotations

import ast
import re

HELPER = "selfcheck.py"
CHECK_CELL = (
    "# 자가 점검: 위 함수를 공개 테스트로 확인합니다. 점수와는 관계없습니다.\n"
    "# Self-check: runs the public tests of the function above. It does not affect your score.\n"
    "from selfcheck import check\n"
    'check("{label}")'
)
SUMMARY_CELL = (
    "# 자가 점검 요약: 모든 공개 테스트를 다시 실행합니다. 점수와는 관계없습니다.\n"
    "# Self-check summary: runs every public test again. It does not affect your score.\n"
    "from selfcheck import check_all\n"
    "check_all()"
)
# The first code cell of the notebook: a notebook opened alone (Colab, a download) has no selfcheck.py or public
# tests beside it, so this cell writes them from its own text, public material only; it never overwrites a file.
SETUP_CELL = (
    "# 자가 점검 준비: 이 노트북 옆에 selfcheck.py와 공개 테스트 파일이 없으면(예: Colab에서 노트북만 열었을 때) "
    "만들어 둡니다. 점수와는 관계없습니다.\n"
    "# Self-check set-up: writes selfcheck.py and the public tests beside this notebook when they are missing "
    "(a notebook opened alone, as in Colab). It does not affect your score.\n"
    "SELFCHECK_FILES = {files}\n"
    "import os\n"
    "for _name, _text in SELFCHECK_FILES.items():\n"
    "    if not os.path.exists(_name):\n"
    '        with open(_name, "w", encoding="utf-8") as _file:\n'
    "            _file.write(_text)"
)
_SETUP_FILES = re.compile(r"^SELFCHECK_FILES = (.*)$", re.M)
_CELL_LINE = re.compile(r'#.*|from selfcheck import (check|check_all)|check\("\w+"\)|check_all\(\)')
_CALL_LINE = re.compile(r'check\("\w+"\)|check_all\(\)')


def is_check_cell(source: str) -> bool:
    """Is this code cell a self-check cell, as released: comments, the import and the call, nothing else
    (or the set-up cell, exactly as released)?

    The grader skips such cells: they only print, and `selfcheck` does not exist in the sandbox.
    A cell where a student added code of their own is not one, so that code is still graded.
    """
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    if (
        bool(lines)
        and all(_CELL_LINE.fullmatch(line) for line in lines)
        and any(_CALL_LINE.fullmatch(line) for line in lines)
    ):
        return True
    return setup_files(source) is not None


def setup_source(files: dict[str, str]) -> str:
    """The set-up cell that writes `files` (name -> text) beside a notebook opened alone."""
    return SETUP_CELL.format(files=repr(dict(sorted(files.items()))))


def setup_files(source: str) -> dict[str, str] | None:
    """The files a set-up cell writes, when `source` is exactly a released set-up cell; else None."""
    if "SELFCHECK_FILES" not in source:
        return None
    found = _SETUP_FILES.search(source)
    try:
        files = ast.literal_eval(found.group(1)) if found else None
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and "/" not in k for k, v in files.items()
    ):
        return None
    return files if setup_source(files) == source.strip() else None
