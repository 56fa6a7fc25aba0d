"""One shape for the progress of a long command: what a batch, a course round, a release or a data install did.

Whoever shows progress (the CLI's bar, a test, a log) receives `Event`s through one callback type, `OnEvent`:
a step that starts, the number of items that follow, or one item done with its status and result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Event:
    kind: Literal["step", "total", "done"]
    text: str = ""  # step: what starts now; done: why the item has no result, or what went wrong after it
    count: int = 0  # total: how many items follow
    item: str = ""  # done: the student
    status: str = ""  # done: graded, kept or failed
    result: Any = None  # done: the item's result (a SubmissionResult; a course round's Outcome)

    @classmethod
    def step(cls, text: str) -> Event:
        return cls("step", text=text)

    @classmethod
    def total(cls, count: int) -> Event:
        return cls("total", count=count)

    @classmethod
    def done(cls, item: str, status: str, result: Any = None, problem: str = "") -> Event:
        return cls("done", text=problem, item=item, status=status, result=result)


OnEvent = Callable[[Event], None]


def ignore(event: Event) -> None:
    """The callback of a caller that shows no progress."""
