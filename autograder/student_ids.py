"""Student ids: one per hand-in, safe as a file name, never another student's or the class's.

A result is stored as OUT/ID.json and OUT/ID.html beside the class's own files
(gradebook.csv, report.html, ...). A hand-in's name is the student's choice, so the id made
from it must be a file name on every system (letters, digits, _ . -, at most MAX_LENGTH
characters, never hidden), must not be a name the class's files use, and must not be
another hand-in's: `a b` and `a_b` would both become `a_b`. Such an id gets a short digest
of the original name appended (the same on every run, so a re-run still resumes), and the
student's result says why, so no two students ever share a result.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from autograder.bilingual import Said
from autograder.untrusted_text import shown_name

MAX_LENGTH = 80
# The class's own files beside the results (batch, class report, nbgrader's export); compared without case.
RESERVED = frozenset({"gradebook", "report", "report-scores", "report-items", "report-flags", "grades", "index"})


HANDIN_SUFFIXES = (".py", ".ipynb", ".zip", ".tar", ".tar.gz", ".tgz")  # a file that is a whole hand-in


def handin_stem(name: str, is_folder: bool) -> str:
    """The name an id is made of: alice for alice.ipynb or alice.zip, a folder's own name."""
    if not is_folder:
        for suffix in HANDIN_SUFFIXES:
            if name.lower().endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
    return name


def safe_id(name: str) -> str:
    """The name as a file-name-safe id (before any clash with another is resolved)."""
    text = unicodedata.normalize("NFC", name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    text = re.sub(r"[^\w.\-]", "_", text).lstrip(".") or "student"  # Korean letters are \w and stay
    if len(text) > MAX_LENGTH:
        text = text[: MAX_LENGTH - 9] + "-" + _digest(name)
    return text


def assign_ids(names: dict[str, str]) -> tuple[dict[str, str], dict[str, Said]]:
    """(key -> id, id -> note) for hand-ins `names` (key: the entry's own name; value: the name to make the id of,
    such as alice for alice.ipynb): every id distinct, none a class file's.

    An id that had to differ from the plain conversion carries a note for the student and the instructor.
    """
    plain = {key: safe_id(name) for key, name in names.items()}
    claims: dict[str, list[str]] = {}
    for key in sorted(plain):
        claims.setdefault(plain[key].casefold(), []).append(key)
    taken = set(claims)
    ids: dict[str, str] = {}
    notes: dict[str, Said] = {}
    for wanted_key, claimants in claims.items():
        # Of hand-ins that clash, the first named exactly as the id keeps it; none keeps a class file's name.
        keeper = next((k for k in claimants if plain[k] == names[k]), None) if len(claimants) > 1 else claimants[0]
        for key in claimants:
            wanted = plain[key]
            if key == keeper and wanted_key not in RESERVED:
                ids[key] = wanted
                continue
            new = f"{wanted[: MAX_LENGTH - 9]}-{_digest(key)}"
            while new.casefold() in taken:  # practically never: a digest equal to another's id
                new = f"{new[: MAX_LENGTH - 9]}-{_digest(new)}"
            taken.add(new.casefold())
            ids[key] = new
            reserved = wanted_key in RESERVED
            why_en = "it is the name of a class file" if reserved else "another hand-in's name gives the same id"
            why_ko = "학급 전체 파일의 이름과 같아서" if reserved else "다른 제출물의 이름과 같은 ID가 되어서"
            notes[new] = Said(
                en=f"The hand-in {shown_name(key)} is recorded as {new}: {why_en}.",
                ko=f"제출물 {shown_name(key)}은(는) {new}(으)로 기록했습니다. {why_ko}입니다.",
            )
    return ids, notes


def _digest(name: str) -> str:
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:8]


def student_id(path: Path) -> str:
    """The id of one hand-in graded on its own (`autograder grade`); a batch keeps its ids apart with `assign_ids`."""
    return safe_id(handin_stem(path.name, path.is_dir() and not path.is_symlink()))
