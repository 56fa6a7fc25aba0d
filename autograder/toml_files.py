"""A TOML settings file read into a validated model, each mistake one sentence naming the file, the key and its line.

grading.toml and every assignment's assignment.toml are read this way, so nobody reads a
tomllib or pydantic traceback: an unknown key, a wrong type or a value out of range becomes
one `ConfigError` that says where it is and what is allowed.
"""

from __future__ import annotations

import json
import re
import tomllib
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

from autograder.errors import ConfigError


class Settings(BaseModel):
    """A table of a settings file: an unknown key is refused (a typo is never ignored), and values do not change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def read_toml(path: Path, shown: str, *, missing: str, what: str | None = None) -> tuple[dict[str, Any], str]:
    """The file's tables and its text (for line numbers).

    `shown` names the file in a sentence about one of its lines, `what` in one about the whole
    file (default `shown`); `missing` is the sentence when there is no file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(missing) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"Cannot read {what or shown} ({err}); check that it is a UTF-8 text file.") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(_describe_syntax(err, text, shown)) from None


_TOML_POSITION = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def _describe_syntax(err: tomllib.TOMLDecodeError, text: str, shown: str) -> str:
    """tomllib's message, turned around to lead with the file and line and to quote the line."""
    message = str(err)
    lines = text.splitlines() or [""]
    found = _TOML_POSITION.match(message)
    if found:
        number, what, column = int(found["line"]), found["what"], f" at column {found['column']}"
    else:  # "(at end of document)": the last entry is unfinished
        number, what, column = (
            len(lines),
            message.replace("(at end of document)", "").strip(),
            " at the end of the file",
        )
    quoted = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    quoted = quoted if len(quoted) <= 60 else quoted[:57] + "..."
    what = what[:1].lower() + what[1:]
    return (
        f"{shown}, line {number}: `{quoted}` is not valid TOML ({what}{column}); "
        "fix that line (strings need both quotes, tables [brackets], keys one = value)."
    )


def describe_invalid(err: ValidationError, text: str, shown: str, model: type[BaseModel]) -> str:
    """The first validation error as one sentence: file, line, key, what is wrong, what is allowed."""
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"]]
    if loc[-1:] == ["[key]"]:  # a bad table name, such as [assignments.Fashion-MLP]
        loc = loc[:-1]
        line = _line_of(text, loc)
        where = f"{shown}, line {line}" if line else shown
        problem = (
            f"the name {loc[-1]!r} in [{'.'.join(loc)}] is not allowed; use lower-case letters, "
            "digits and _, starting with a letter"
        )
    else:
        key = ".".join(loc)
        line = _line_of(text, loc)
        where = f"{shown}, line {line}" if line else shown
        if first["type"] == "extra_forbidden":
            known = _known_keys(model, loc[:-1])
            allowed = f"the keys allowed there are {', '.join(known)}" if known else "remove it or fix its spelling"
            problem = f"unknown key {key!r}; {allowed}"
        elif first["type"] == "missing":
            problem = f"the required key {key!r} is missing; add it"
        else:
            message = first["msg"].removeprefix("Value error, ").rstrip(".")
            message = re.sub(r"^Input should", "should", message)
            value = first.get("input")
            shown = "" if isinstance(value, (dict, list)) else f" = {_toml_value(value)}"
            problem = f"{key}{shown} is invalid: it {message}"
    more = len(err.errors()) - 1
    suffix = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
    return f"{where}: {problem}{suffix}."


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


def _known_keys(root: type[BaseModel], loc: list[str]) -> list[str]:
    """The keys the table at `loc` accepts, read from the models (so never out of date)."""
    model: Any = root
    for part in loc:
        model = _unwrap(model)
        if isinstance(model, type) and issubclass(model, BaseModel) and part in model.model_fields:
            model = model.model_fields[part].annotation
        elif get_origin(model) is dict:
            model = get_args(model)[1]
        else:
            return []
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [name for name in model.model_fields if name != "source"]
    return []


def _unwrap(annotation: Any) -> Any:
    """X from Annotated[X, ...] and from X | None."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _split_key(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in key.split(".")]


def _line_of(text: str, loc: list[str]) -> int | None:
    """The line where the key at `loc` is written (or its table's header if the key is absent)."""
    table: list[str] = []
    best = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            if table and table == loc[: len(table)]:
                best = number
            continue
        key = _KEY.match(line)
        if not key:
            continue
        full = table + _split_key(key.group(1))
        if full == loc:
            return number
        if full == loc[: len(full)]:
            best = number
    return best
