"""The one error the data layer raises: a sentence naming the file and the fixing command."""

from __future__ import annotations

from autograder.errors import InstructorError

INSTALL_COMMAND = "autograder data install"
DEBIAN_COMMAND = "sudo apt-get install dataset-fashion-mnist"


class DataError(InstructorError):
    """A data file is missing, damaged or unobtainable; the message says how to fix it.

    The CLI prints only the sentence, never a traceback.
    """
