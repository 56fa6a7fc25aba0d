"""Student-facing text in both course languages, kept together until it is shown.

A sentence the grader writes for a student (`say(en, ko)`) is a `Said`: both languages, side
by side, through the judge's records, a Dask worker's reply and the stored result. Only a
renderer (the terminal, the feedback page, the nbgrader feedback, Gradescope's results.json)
picks one, from the result's own `language`, so the same stored result reads in either
language and no process-wide setting decides what a student sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from autograder.untrusted_text import printable

LANGUAGES = ("en", "ko")

# A student's file names, exception messages and output reach these sentences: never a control character.
_Printable = Annotated[str, AfterValidator(printable)]


class Said(BaseModel):
    """One sentence (or a few) in English and in Korean; frozen, so a stored result's text never changes."""

    model_config = ConfigDict(frozen=True)

    en: _Printable = ""
    ko: _Printable = ""

    @classmethod
    def same(cls, text: str) -> Said:
        """Text that reads the same in both languages (a name, a traceback, a result written before both were kept)."""
        return cls(en=text, ko=text)

    def in_language(self, language: str) -> str:
        """The text as a reader of `language` sees it (English for any language but Korean)."""
        return self.ko if language == "ko" else self.en

    def __bool__(self) -> bool:
        return bool(self.en or self.ko)

    def __add__(self, other: Said | str) -> Said:
        """Both languages followed by `other` (a plain str is the same in both)."""
        after = other if isinstance(other, Said) else Said.same(other)
        return Said(en=self.en + after.en, ko=self.ko + after.ko)

    def __radd__(self, other: str) -> Said:
        return Said.same(other) + self

    def cut(self, length: int) -> Said:
        """Each language cut to its first `length` characters."""
        return Said(en=self.en[:length], ko=self.ko[:length])

    def join(self, parts: Iterable[Said | str]) -> Said:
        """`parts` with this text between each two, in each language (as str.join)."""
        pieces = [part if isinstance(part, Said) else Said.same(part) for part in parts]
        return Said(
            en=self.en.join(piece.en for piece in pieces),
            ko=self.ko.join(piece.ko for piece in pieces),
        )


def say(en: str, ko: str) -> Said:
    """A sentence for the student in both languages; the renderer shows the one the result's language names."""
    return Said(en=en, ko=ko)


def from_plain(value: object) -> object:
    """A plain string (a result stored before both languages were kept) as that text in both languages."""
    return Said.same(value) if isinstance(value, str) else value
