"""The .py <-> notebook steps, done by jupytext in its "percent" format."""

from __future__ import annotations

import copy

import jupytext
import nbformat
from nbformat import NotebookNode

PERCENT = "py:percent"
# Written into a notebook's metadata before export so that jupytext leaves out every
# notebook and cell metadata key (nbgrader's, the kernelspec) and writes no YAML header.
_CLEAN_EXPORT = {"notebook_metadata_filter": "-all", "cell_metadata_filter": "-all"}


def notebook_from_percent(text: str) -> NotebookNode:
    """Read a percent-format script into a notebook (one cell per `# %%`)."""
    return jupytext.reads(text, fmt=PERCENT)


def percent_from_notebook(notebook: NotebookNode) -> str:
    """The notebook as a plain percent-format script, free of any metadata."""
    clean = copy.deepcopy(notebook)
    clean.metadata = {"jupytext": dict(_CLEAN_EXPORT)}
    for cell in clean.cells:
        cell.metadata = {}
    text = jupytext.writes(clean, fmt=PERCENT)
    return text if text.endswith("\n") else text + "\n"


def notebook_text(notebook: NotebookNode) -> str:
    """nbformat's own serialisation (sorted keys), ending in a newline."""
    text = nbformat.writes(notebook, version=4)
    return text if text.endswith("\n") else text + "\n"
