"""The one Jinja2 set-up behind every HTML page: the package's templates, escaping on, and a missing value an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


def page_environment(**filters: Callable[..., Any]) -> Environment:
    """An environment for `autograder/reports/templates`, with the page's own `filters`.

    Every value a page shows may come from a hand-in (names, messages, file names), so autoescape is
    always on, and a value a template names but the page did not pass fails loudly (StrictUndefined).
    Jinja2 is imported here, when a page is first drawn, not when a command that may draw none starts.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("autograder.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(filters)
    return environment
