"""Bilingual feedback for students: the one exception hidden tests raise to fail.

Only a `Failure`'s text ever reaches a student. Any other exception in a hidden test is a
grader bug: it scores 0 as an internal error and its traceback (which may quote expected
values from the test's source) goes to the instructor only.

The judge writes every sentence in both languages (`say`, `autograder.bilingual`); the result's
renderers pick one.
"""

from __future__ import annotations

from typing import NoReturn

from autograder.bilingual import Said
from autograder.bilingual import say as say  # the hidden suites' import: a sentence in both languages


class Failure(AssertionError):
    """A test failed for a reason the student should read; carries both languages."""

    def __init__(self, en: str, ko: str | None = None, *, cause: str = "wrong"):
        self.en, self.ko, self.cause = en, ko or en, cause
        super().__init__(en)

    @property
    def text(self) -> Said:
        return Said(en=self.en, ko=self.ko)


def fail(en: str, ko: str | None = None, *, cause: str = "wrong") -> NoReturn:
    raise Failure(en, ko, cause=cause)


class Label(str):
    """The name of a value in a message, in both languages (reads as the English one).

    Checks put `what` into both sentences of a failure; a plain str is used as is in both,
    a Label gives the Korean sentence its Korean name.
    """

    ko: str

    def __new__(cls, en: str, ko: str) -> Label:
        text = super().__new__(cls, en)
        text.ko = ko
        return text


def label(en: str, ko: str) -> Label:
    return Label(en, ko)


def given(call: str, inputs: str) -> Label:
    """`call` (code, such as "sigmoid(x)") named with the inputs it was given (a str or a Label)."""
    return Label(f"{call} for {inputs}", f"{ko(inputs)}에 대한 {call}")


def ko(text: str) -> str:
    """The Korean form of a name given to a check (the name itself if it has none)."""
    return getattr(text, "ko", text)
