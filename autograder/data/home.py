"""The data home: where each layout keeps which file, and what is there now.

    HOME/fashion-mnist/NAME, NAME.gz          the grader's own copy (loaded from here)
    HOME/FashionMNIST/raw/NAME, NAME.gz       torchvision.datasets.FashionMNIST(HOME)
    HOME/keras/datasets/fashion-mnist/NAME.gz keras.datasets.fashion_mnist with KERAS_HOME=HOME/keras

The library layouts are hard links to the grader's copy (copies where the file system has
no hard links), never symlinks, so the home can be mounted read-only anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from autograder.data import idx
from autograder.data.manifest import FASHION_MNIST, DataFile, Dataset
from autograder.errors import DataError


@dataclass(frozen=True)
class Target:
    """One file of one layout; `canonical` is the grader's copy the others link to."""

    layout: str
    file: DataFile
    path: Path
    compressed: bool
    canonical: bool


def targets(home: Path, dataset: Dataset = FASHION_MNIST) -> list[Target]:
    """Every file the home should hold, the grader's copies first."""
    idx_dir = home / dataset.layouts["idx"]
    tv_dir = home / dataset.layouts["torchvision"]
    keras_dir = home / dataset.layouts["keras"]
    out = []
    for f in dataset.files:
        out += [
            Target("idx", f, idx_dir / f.name, False, True),
            Target("idx", f, idx_dir / f.gz_name, True, True),
            Target("torchvision", f, tv_dir / f.name, False, False),
            Target("torchvision", f, tv_dir / f.gz_name, True, False),
            Target("keras", f, keras_dir / f.gz_name, True, False),
        ]
    return out


def canonical(home: Path, dataset: Dataset, file: DataFile, compressed: bool) -> Path:
    return home / dataset.layouts["idx"] / (file.gz_name if compressed else file.name)


@dataclass
class Checker:
    """Checks files, once per inode: hard links share their content, so one check serves all."""

    results: dict[tuple[int, int, int, int], DataError | None] = field(default_factory=dict)

    def problem(self, path: Path, file: DataFile) -> DataError | None:
        """None if the file is right, else the DataError describing what is wrong with it."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return idx.missing(path)
        key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if key not in self.results:
            try:
                idx.check(path, file)
                self.results[key] = None
            except DataError as err:
                self.results[key] = err
        found = self.results[key]
        if found is not None and str(path) not in str(found):
            # The same inode seen under another name: name this path in the sentence.
            try:
                idx.check(path, file)
            except DataError as err:
                return err
        return found

    def forget(self, path: Path) -> None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return
        self.results.pop((stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns), None)


@dataclass(frozen=True)
class Status:
    target: Target
    problem: DataError | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def state(self) -> str:
        if self.problem is None:
            return "verified"
        return "missing" if not self.target.path.exists() else "damaged"


def survey(home: str | os.PathLike[str], dataset: Dataset = FASHION_MNIST) -> list[Status]:
    """Check every file of every layout from scratch (no cached result is trusted)."""
    checker = Checker()
    return [Status(t, checker.problem(t.path, t.file)) for t in targets(Path(home), dataset)]
