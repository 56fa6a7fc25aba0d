"""The one root of the errors an instructor can fix.

Each subclass carries one sentence that says what is wrong and what to do; the command
line prints that sentence and exits with code 2, never a traceback.
"""
from __future__ import annotations


class InstructorError(Exception):
    """Something the instructor can fix: the configuration, the data, the machine's sandbox."""
