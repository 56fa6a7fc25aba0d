"""A model submission's code without comments and bare strings: what its sandbox runs and what the cap measures.

A table written in a comment or a docstring can be read back at run time (`inspect.getsource`,
`__doc__`), so a cap that counted only code would let it through, while a cap that counts
comments charges honest students for explaining their work. Removing them from the code the
sandbox receives settles both: what is not there cannot carry data, and what the source cap
measures (integrity.source_kilobytes) is exactly what runs. Every line keeps its number, so
tracebacks still point at the student's own lines.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import replace

from autograder.engine.job import PreparedSubmission
from autograder.sandbox.protocol import Cell

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def code_only(source: str) -> str:
    """The source without comments and without string statements (docstrings), line numbers kept.

    Code that does not parse is returned as it is: it fails in the sandbox with its own
    syntax error, and every byte of it is counted.
    """
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, ValueError, tokenize.TokenError):
        return source
    lines = _LINES.findall(source)  # as Python counts lines: not at form feeds, which str.splitlines() splits on
    edits: list[tuple[int, int, int, int, str]] = []  # (start line, start col, end line, end col, text), 1-based lines
    for token in tokens:
        if token.type == tokenize.COMMENT:
            (row, col), (end_row, end_col) = token.start, token.end
            edits.append((row, col, end_row, end_col, ""))
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            value = node.value
            if (
                isinstance(value.value, str | bytes)
                and value.end_lineno is not None
                and value.end_col_offset is not None
            ):
                start_col = _char_column(lines[value.lineno - 1], value.col_offset)
                end_col = _char_column(lines[value.end_lineno - 1], value.end_col_offset)
                edits.append((value.lineno, start_col, value.end_lineno, end_col, _empty_literal(value)))
    for row, col, end_row, end_col, text in sorted(edits, reverse=True):
        head, tail = lines[row - 1][:col], lines[end_row - 1][end_col:]
        lines[row - 1 : end_row] = [head + text + tail]
    return "".join(lines)


def _char_column(line: str, byte_offset: int) -> int:
    """ast counts columns in UTF-8 bytes, tokenize and str slicing in characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _empty_literal(value: ast.Constant) -> str:
    """An empty literal of the same kind that spans as many lines, so the lines after it keep their numbers."""
    prefix = "b" if isinstance(value.value, bytes) else ""
    extra_lines = (value.end_lineno or value.lineno) - value.lineno
    return f"{prefix}''" if extra_lines == 0 else f"{prefix}'''" + "\n" * extra_lines + "'''"


def code_only_submission(submission: PreparedSubmission) -> PreparedSubmission:
    """The submission as a model assignment's sandbox receives it: every Python file and code cell as code only."""
    files = {
        name: _code_only_bytes(content) if name.endswith(".py") else content
        for name, content in submission.files.items()
    }
    cells: list[Cell] | None = None
    if submission.cells is not None:
        cells = [{**cell, "source": code_only(cell["source"])} for cell in submission.cells]
    return replace(submission, files=files, cells=cells)


def _code_only_bytes(content: bytes) -> bytes:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return content  # not UTF-8 (a coding declaration of its own): run and count it as it is
    return code_only(text).encode("utf-8")
