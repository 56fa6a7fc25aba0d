"""What a sandboxed child may read besides its submission: a model assignment's training data.

An assignment that trains models declares its inputs in its assignment.toml
(`inputs = "fashion_mnist_train"`). The parent stages that data once, as plain `.npy`
files in a cache folder. Each child gets a folder of its own at /inputs, written from that
cache without the hold-out (`stage_for_child`). Only the training split is ever staged; the
folders that also hold the test labels are hidden from the child.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

import numpy as np

from autograder.config import GradingConfig
from autograder.engine.splits import Splits
from autograder.sandbox.drivers import as_images

# Where Debian's dataset packages install (test labels included): covered by an empty tmpfs.
SYSTEM_DATASETS = "/usr/share/datasets"


def stage_inputs(config: GradingConfig, assignment: str) -> Path | None:
    """The read-only folder for `assignment`'s child (None when it declares no inputs)."""
    name = config.assignment(assignment).inputs
    if name is None:
        return None
    home = config.data_home
    key = hashlib.sha256(str(home).encode()).hexdigest()[:12]
    cache = inputs_cache()
    folder = cache / f"{name}-{key}"
    if (folder / "y_train.npy").is_file():
        return folder
    from autograder.data import load_split

    x_train, y_train = load_split("train", home)
    staging = Path(tempfile.mkdtemp(dir=cache, prefix=f".{name}-"))
    np.save(staging / "x_train.npy", x_train, allow_pickle=False)
    np.save(staging / "y_train.npy", y_train, allow_pickle=False)  # written last: marks a complete folder
    for path in staging.iterdir():
        path.chmod(0o644)
    staging.chmod(0o755)
    try:
        staging.rename(folder)
    except OSError:  # another grader staged the same data meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def inputs_cache() -> Path:
    """The folder that keeps staged inputs between runs, which nobody but this user can have written.

    Its name in the shared temporary folder is predictable, so another user of the machine could make it first and
    fill it with data of their choosing for every child to train on. A folder that is not a plain directory of
    ours, closed to others' writes, is never used: this process then stages into a private folder of its own.
    """
    shared = tempfile.gettempdir()
    cache = Path(shared) / f"autograder-inputs-{os.geteuid()}"
    try:
        cache.mkdir()
        cache.chmod(0o755)  # the child may run under another uid; the data in it is the public training split
    except FileExistsError:
        pass
    except OSError:
        return _private_cache(shared)
    found = cache.lstat()
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.geteuid() or found.st_mode & 0o022:
        return _private_cache(shared)
    return cache


@functools.cache
def _private_cache(shared: str) -> Path:
    folder = Path(tempfile.mkdtemp(dir=shared, prefix=f"autograder-inputs-{os.geteuid()}-"))
    folder.chmod(0o755)  # as above: others may read the public training split in it, not write
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def stage_for_child(folder: Path, splits: Splits, into: Path) -> Path:
    """The child's own training data, written as train() receives it, without the hold-out.

    The grader scores the trained model on the withheld images (engine/integrity.py), so they must
    not reach the sandbox in any form. What it does receive is written ready to use: x_train and
    x_val as float32 in [0, 1], y_train and y_val as int64, split as `splits` says. The judge
    writes them while the child imports its framework; the child maps them copy-on-write
    (drivers._training_data), so train() starts without a conversion and the child holds no copy.
    """
    images = np.load(folder / "x_train.npy", mmap_mode="r")
    labels = np.load(folder / "y_train.npy", mmap_mode="r")
    into.mkdir(parents=True, exist_ok=True)
    for part, rows in zip(("train", "val"), splits.train_and_validation(), strict=True):
        for name, array in (
            (f"x_{part}.npy", as_images(images[rows])),  # scaled as every image the child is sent
            (f"y_{part}.npy", np.asarray(labels[rows], dtype=np.int64)),
        ):
            with open(into / name, "xb") as handle:  # a new file, never one (or a link) found in its place
                np.save(handle, array, allow_pickle=False)
    for path in into.iterdir():
        path.chmod(0o644)
    into.chmod(0o755)  # the child may run under another uid
    return into


def hidden_paths(config: GradingConfig) -> tuple[str, ...]:
    """Folders that hold test labels and so must stay out of every sandbox."""
    return tuple(dict.fromkeys([str(config.data_home), SYSTEM_DATASETS]))
