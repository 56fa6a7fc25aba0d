"""Text a student could have written is data everywhere: one place that says how each output keeps it so.

A student controls file names, exception messages and printed output, and all of them reach
an instructor's terminal, spreadsheet or browser. Control characters (ANSI escapes that
retitle a terminal or print a fake score line, bidirectional overrides that reorder what is
read) are dropped by `printable`, which the results model applies to every string it holds;
a spreadsheet cell that would start a formula is quoted by `csv_cell` (OWASP's rule); the
terminal reports never read student text as Rich markup (rich.markup.escape) and HTML pages
escape it (Jinja2's autoescape).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# C0 (but tab and newline), DEL, C1, and the bidirectional controls (Trojan Source).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # compared after NFKC, so full-width ＝ ＋ － ＠ count too
SHOWN_NAME_LENGTH = 80


def printable(text: str) -> str:
    """`text` without control characters (tab and newline kept); invalid surrogates replaced."""
    if not text:
        return text
    text = _CONTROL.sub("", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def shown_name(name: str) -> str:
    """A file or folder name as a person may see it: undecodable bytes as �, no control characters, cut at 80."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    name = _CONTROL.sub("\ufffd", name).replace("\t", "\ufffd").replace("\n", "\ufffd")
    return name if len(name) <= SHOWN_NAME_LENGTH else name[: SHOWN_NAME_LENGTH - 1] + "…"


def csv_cell(value: object) -> object:
    """A spreadsheet cell that cannot run: text that would start a formula gets a leading apostrophe.

    Numbers stay numbers (a negative score is not a formula); only strings are quoted.
    """
    if not isinstance(value, str) or not value:
        return value
    return "'" + value if unicodedata.normalize("NFKC", value[:1]).startswith(_FORMULA_START) else value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_cell(value) for value in values]
