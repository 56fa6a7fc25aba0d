"""`autograder data verify` and `autograder data install`: the data layer, printed with rich."""
from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autograder.data.errors import INSTALL_COMMAND
from autograder.data.home import survey
from autograder.data.install import install
from autograder.data.manifest import FASHION_MNIST, Dataset

_MARK = {"verified": "[green]✔ verified[/]", "missing": "[red]✘ missing[/]", "damaged": "[red]✘ damaged[/]"}
_COLUMNS = {("idx", False): "idx (grader)", ("idx", True): "idx .gz", ("torchvision", False): "torchvision",
            ("torchvision", True): "torchvision .gz", ("keras", True): "keras .gz"}


def verify_command(data_home: str | os.PathLike, *, dataset: Dataset = FASHION_MNIST,
                   console: Console | None = None) -> int:
    """Print a table of every file in every layout; 0 if all are verified, else 1."""
    console = console or Console()
    home = Path(data_home)
    statuses = survey(home, dataset)
    table = Table(title=f"{dataset.name} in {home}", header_style="bold")
    table.add_column("file")
    for title in _COLUMNS.values():
        table.add_column(title)
    for file in dataset.files:
        row = {(s.target.layout, s.target.compressed): _MARK[s.state] for s in statuses if s.target.file == file}
        table.add_row(file.name, *(row.get(key, "") for key in _COLUMNS))
    console.print(table)
    bad = [s for s in statuses if not s.ok]
    for status in bad:
        console.print(f"[red]{status.problem}[/]", highlight=False)
    if bad:
        console.print(f"{len(bad)} of {len(statuses)} files are missing or damaged; run `{INSTALL_COMMAND}` "
                      "(or `make setup`) to repair the data home.", highlight=False)
        return 1
    console.print(f"[green]All {len(statuses)} files are present and verified[/] (SHA-256 of their content, "
                  "from datasets/fashion-mnist.toml).", highlight=False)
    return 0


def install_command(data_home: str | os.PathLike, *, dataset: Dataset = FASHION_MNIST,
                    console: Console | None = None) -> int:
    """Fetch what is missing, print what was done; a DataError stops it with one sentence."""
    console = console or Console()
    home = Path(data_home)
    report = install(home, dataset, allow_download=True, on_progress=lambda message: console.print(message, highlight=False))
    changed = [a for a in report.actions if a.changed]
    if changed:
        table = Table(title=f"{dataset.name}: changes in {home}", header_style="bold")
        table.add_column("file")
        table.add_column("what was done", overflow="fold")
        for action in changed:
            table.add_row(str(action.target.path.relative_to(home)), action.what)
        console.print(table)
    console.print(f"[green]{dataset.name} is ready:[/] all {len(report.actions)} files in {home} are verified "
                  f"({len(changed) or 'nothing'} changed).", highlight=False)
    return 0
