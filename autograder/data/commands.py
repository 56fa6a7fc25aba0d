"""`autograder data verify` and `autograder data install`: the data layer, printed with rich."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autograder.data.errors import INSTALL_COMMAND
from autograder.data.home import Target, survey
from autograder.data.install import install
from autograder.data.manifest import FASHION_MNIST, Dataset
from autograder.errors import ExitCode

_COLUMNS = {
    ("idx", False): "grader",
    ("idx", True): "grader\n.gz",
    ("torchvision", False): "torch-\nvision",
    ("torchvision", True): "torch-\nvision .gz",
    ("keras", True): "keras\n.gz",
}
_CELL = {
    "verified": "[green]✔[/]",
    "kept": "[green]✔[/]",
    "missing": "[red]missing[/]",
    "damaged": "[bold red]damaged[/]",
}


def _grid(title: str, dataset: Dataset, cells: dict[Target, str]) -> Table:
    """One row per file, one column per layout: the shape both commands print."""
    table = Table(title=title, header_style="bold")
    table.add_column("file", no_wrap=True)
    for header in _COLUMNS.values():
        table.add_column(header, justify="center")
    for file in dataset.files:
        row = {(t.layout, t.compressed): word for t, word in cells.items() if t.file == file}
        table.add_row(file.name, *(_styled(row.get(key, "")) for key in _COLUMNS))
    return table


def _styled(word: str) -> str:
    return _CELL.get(word, f"[yellow]{word}[/]") if word else ""


def _legend(home: Path, dataset: Dataset, console: Console) -> None:
    layouts = dataset.layouts
    console.print(
        f"[dim]✔ = verified · grader: {home / layouts['idx']} · torchvision: FashionMNIST(root={home}) · "
        f"keras: KERAS_HOME={home / Path(layouts['keras']).parent.parent}[/]",
        highlight=False,
    )


def verify_command(
    data_home: str | os.PathLike[str], *, dataset: Dataset = FASHION_MNIST, console: Console | None = None
) -> int:
    """Print every file of every layout as verified, missing or damaged; 0 only if all are verified."""
    console = console or Console()
    home = Path(data_home)
    statuses = survey(home, dataset)
    console.print(_grid(f"{dataset.name} in {home}", dataset, {s.target: s.state for s in statuses}))
    _legend(home, dataset, console)
    damaged = [s for s in statuses if s.state == "damaged"]
    for status in damaged:
        console.print(f"[red]{status.problem}[/]", highlight=False)
    bad = [s for s in statuses if not s.ok]
    if bad:
        console.print(
            f"{len(bad)} of {len(statuses)} files are missing or damaged; run `{INSTALL_COMMAND}` "
            "(or `make setup`) to repair the data home.",
            highlight=False,
        )
        return ExitCode.NEEDS_ATTENTION
    console.print(
        f"[green]All {len(statuses)} files are present and verified[/] (SHA-256 of their content, "
        f"as listed in {dataset.source.name}).",
        highlight=False,
    )
    return ExitCode.OK


def install_command(
    data_home: str | os.PathLike[str], *, dataset: Dataset = FASHION_MNIST, console: Console | None = None
) -> int:
    """Fetch what is missing and print what was done; a DataError stops it with one sentence."""
    console = console or Console()
    home = Path(data_home)
    report = install(
        home, dataset, allow_download=True, on_event=lambda event: console.print(event.text, highlight=False)
    )
    changed = [a for a in report.actions if a.changed]
    if changed:
        console.print(
            _grid(f"{dataset.name}: what install did in {home}", dataset, {a.target: a.word for a in report.actions})
        )
        _legend(home, dataset, console)
        for action in changed:
            if action.target.canonical and action.target.compressed:
                console.print(f"{action.target.path.name}: {action.what}", highlight=False)
        summary = f"{len(changed)} of {len(report.actions)} files written"
    else:
        summary = "nothing to do"
    console.print(
        f"[green]{dataset.name} is ready[/] in {home}: all {len(report.actions)} files verified, {summary}.",
        highlight=False,
    )
    return ExitCode.OK
