"""The one root of the errors an instructor can fix.

Each subclass carries one sentence that says what is wrong and what to do; the command
line prints that sentence and exits with `ExitCode.INSTRUCTOR_ERROR`, never a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the `autograder` command's exit status means, for scripts and CI."""

    OK = 0
    NEEDS_ATTENTION = (
        1  # the command ran, and found something to fix: an unmet expectation, a stale release, missing data
    )
    INSTRUCTOR_ERROR = 2  # the command could not run; one sentence said what to fix (click's usage errors share it)


class InstructorError(Exception):
    """Something the instructor can fix: the configuration, the data, the machine's sandbox."""
