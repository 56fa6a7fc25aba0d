"""Loading Fashion-MNIST as numpy arrays from the data home: verified, never downloaded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import numpy as np

from autograder.data import idx
from autograder.data.manifest import FASHION_MNIST, Dataset

Split = Literal["train", "test"]
Arrays = tuple[np.ndarray, np.ndarray]

# Files whose digest this process has already checked, keyed by path, inode, size and mtime:
# a second load costs one read (about 0.02 s), and a file rewritten since is checked again.
_VERIFIED: set[tuple[object, ...]] = set()


def resolve_home(data_home: str | os.PathLike[str] | None = None) -> Path:
    """The given folder, or the configured one (grading.toml, overridden by $AUTOGRADER_DATA_HOME)."""
    if data_home is not None:
        return Path(data_home).expanduser().resolve()
    from autograder.config import load_config

    return load_config().data_home


def load_split(
    split: Split, data_home: str | os.PathLike[str] | None = None, *, dataset: Dataset = FASHION_MNIST
) -> Arrays:
    """`(images, labels)` of one split: uint8 arrays (N, 28, 28) and (N,), writable, fresh each call.

    Raises DataError (one sentence with the fixing command) when a file is missing or wrong.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    folder = resolve_home(data_home) / dataset.layouts["idx"]
    arrays = []
    for kind in ("images", "labels"):
        file = dataset.file(split, kind)
        buffer = idx.read_verified(folder / file.name, file, _VERIFIED)
        arrays.append(buffer[file.header_size :].reshape(file.shape))
    return arrays[0], arrays[1]


def load_fashion_mnist(
    data_home: str | os.PathLike[str] | None = None, *, dataset: Dataset = FASHION_MNIST
) -> tuple[Arrays, Arrays]:
    """`((x_train, y_train), (x_test, y_test))` like keras.datasets.fashion_mnist.load_data().

    Shapes (60000, 28, 28), (60000,), (10000, 28, 28), (10000,), all uint8.
    """
    return load_split("train", data_home, dataset=dataset), load_split("test", data_home, dataset=dataset)


def torchvision_root(data_home: str | os.PathLike[str] | None = None) -> Path:
    """The `root` for torchvision.datasets.FashionMNIST(root, download=False)."""
    home = resolve_home(data_home)
    return home / Path(FASHION_MNIST.layouts["torchvision"]).parent.parent


def keras_home(data_home: str | os.PathLike[str] | None = None) -> Path:
    """The value for $KERAS_HOME so that keras.datasets.fashion_mnist.load_data() reads the home."""
    return resolve_home(data_home) / Path(FASHION_MNIST.layouts["keras"]).parent.parent
