"""Grade-cell ids for hidden tests: names that nbgrader and formgrader can look up.

formgrader finds a cell's score box with the jQuery selector "#" + the cell's name, so a
name holding brackets, dots or spaces (`test_relu_values[float64]`) gets no box and a
score typed there saves nothing. A test keeps its own name as its cell id when that name
is already an HTML id of letters, digits, `_` and `-` starting with a letter; any other
name becomes a readable slug plus 8 hex digits of the name's SHA-256, so two names that
slug alike still differ. The id depends on the name alone: a test keeps its id from one
round to the next, whatever other tests come and go.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

MAX_LENGTH = 64
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_OTHER = re.compile(r"[^A-Za-z0-9_-]+")


def cell_id(test_name: str) -> str:
    """The gradebook and notebook id of the grade cell for `test_name`."""
    if _PLAIN.fullmatch(test_name) and len(test_name) <= MAX_LENGTH:
        return test_name
    digest = hashlib.sha256(test_name.encode("utf-8")).hexdigest()[:8]
    slug = _OTHER.sub("-", test_name).strip("-")[: MAX_LENGTH - len(digest) - 1].rstrip("-")
    if not slug[:1].isalpha():
        slug = ("cell-" + slug).rstrip("-")[: MAX_LENGTH - len(digest) - 1]
    return f"{slug}-{digest}"


def cell_ids(test_names: Iterable[str]) -> dict[str, str]:
    """Each test name's cell id; refuses two tests that would share one grade cell."""
    ids: dict[str, str] = {}
    owner: dict[str, str] = {}
    for name in test_names:
        ident = cell_id(name)
        if owner.setdefault(ident, name) != name:
            raise ValueError(
                f"The hidden tests {owner[ident]!r} and {name!r} would share the grade cell {ident!r}; "
                f"rename one of them."
            )
        ids[name] = ident
    return ids


def is_cell_id(name: str) -> bool:
    """Whether `name` is already what cell_id() makes: usable as formgrader's element id."""
    return bool(_PLAIN.fullmatch(name)) and len(name) <= MAX_LENGTH
