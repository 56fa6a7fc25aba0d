"""The one error the data layer raises: a sentence naming the file and the fixing command."""

from __future__ import annotations

INSTALL_COMMAND = "autograder data install"
DEBIAN_COMMAND = "sudo apt-get install dataset-fashion-mnist"
