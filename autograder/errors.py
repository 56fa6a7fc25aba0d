"""The one root of the errors an instructor can fix, and every one of them.

Each subclass carries one sentence that says what is wrong and what to do; the command
line prints that sentence and exits with `ExitCode.INSTRUCTOR_ERROR`, never a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the `autograder` command's exit status means, for scripts and CI."""

    OK = 0
    # The command ran, and found something to fix: an unmet expectation, a stale release, missing data.
    NEEDS_ATTENTION = 1
    # The command could not run; one sentence said what to fix (click's usage errors share it).
    INSTRUCTOR_ERROR = 2


class InstructorError(Exception):
    """Something the instructor can fix: the configuration, the data, the machine's sandbox."""


class ConfigError(InstructorError):
    """A problem in grading.toml, phrased for the instructor who wrote it."""


class GpuError(InstructorError):
    """A GPU was asked for that this machine does not have."""


class SandboxUnavailable(InstructorError):
    """No sandbox can be made here; the text names the cause and the fix."""


class GraderError(InstructorError):
    """The grader itself could not run (bad config, broken suite, missing data)."""


class DataError(InstructorError):
    """A data file is missing, damaged or unobtainable; the message says how to fix it.

    The CLI prints only the sentence, never a traceback.
    """


class ClassroomError(InstructorError):
    """A step of the course round failed; the text says which and what to do."""


class ReportError(InstructorError):
    """No class report can be made from what was given."""


class NbgraderError(InstructorError):
    """nbgrader refused the notebook; the message carries its log."""


class ReleaseError(InstructorError):
    """A release cannot be generated, or would leak an answer; the text says where."""


class MutationError(InstructorError):
    """The mutation run or its report cannot go on; the sentence says why and what to do."""


class ExpectationError(InstructorError):
    """A variant file does not say which tests it must fail."""
