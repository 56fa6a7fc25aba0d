"""The one error the data layer raises: a sentence naming the file and the fixing command."""
from __future__ import annotations

INSTALL_COMMAND = "autograder data install"
DEBIAN_COMMAND = "sudo apt-get install dataset-fashion-mnist"


class DataError(Exception):
    """A data file is missing, damaged or unobtainable; the message says how to fix it.

    The CLI recognises it by its name and prints only the sentence, never a traceback.
    """
