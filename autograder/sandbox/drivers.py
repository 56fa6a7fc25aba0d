"""Orchestration that runs inside the sandbox for assignments graded by training.

A driver receives the student's module, calls its functions in the order an assignment
prescribes (build, train, predict) and returns plain predictions. It never judges: the
parent compares what comes back with answers the child never sees. Runs in the sandbox,
so it imports only the standard library, numpy and what the submission itself uses.
"""
from __future__ import annotations

DRIVERS: dict = {}


def driver(function):
    """Register a function as a driver under its own name."""
    DRIVERS[function.__name__] = function
    return function


@driver
def call_catching(module, function: str, args: list, kwargs: dict | None = None) -> dict:
    """Call one student function and report the exception it raised, by its class names.

    The parent learns whether the error is, say, a ValueError (subclasses included) and
    its message, without the exception object having to cross the wire.
    """
    target = getattr(module, function, None)
    if not callable(target):
        return {"missing": True, "raised": False, "types": [], "message": ""}
    try:
        target(*args, **(kwargs or {}))
    except Exception as err:  # the student's own error is the answer, not a failure
        return {"missing": False, "raised": True, "types": [c.__name__ for c in type(err).__mro__], "message": str(err)[:500]}
    return {"missing": False, "raised": False, "types": [], "message": ""}
