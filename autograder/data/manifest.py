"""Datasets declared as data: datasets/<name>.toml is read into frozen records.

The TOML manifest is the single source of truth for file names, shapes, digests and
mirrors; nothing here repeats a digest.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from autograder.errors import DataError

IDX_UBYTE = 0x08  # idx type code for unsigned bytes, the only type Fashion-MNIST uses


@dataclass(frozen=True)
class DataFile:
    """One idx file: what it holds and the SHA-256 of its decompressed content."""

    name: str
    split: Literal["train", "test"]
    kind: Literal["images", "labels"]
    shape: tuple[int, ...]
    sha256: str
    official_gz_md5: str | None = None

    @property
    def gz_name(self) -> str:
        return f"{self.name}.gz"

    @property
    def magic(self) -> int:
        """idx magic number: two zero bytes, the type code, the number of dimensions."""
        return (IDX_UBYTE << 8) | len(self.shape)

    @property
    def header_size(self) -> int:
        return 4 + 4 * len(self.shape)

    @property
    def size(self) -> int:
        """Bytes of the decompressed file: header plus one byte per value."""
        return self.header_size + math.prod(self.shape)


@dataclass(frozen=True)
class Dataset:
    """A dataset as data: its files, where Debian and the mirrors keep them, its layouts."""

    name: str
    files: tuple[DataFile, ...]
    mirrors: tuple[str, ...]
    debian_package: str
    debian_dir: Path
    layouts: dict[str, str]
    class_names: tuple[str, ...]
    class_names_ko: tuple[str, ...]
    source: Path

    def file(self, split: str, kind: str) -> DataFile:
        for f in self.files:
            if f.split == split and f.kind == kind:
                return f
        raise DataError(
            f"{self.source} declares no {kind} file for the split {split!r}; "
            f"splits are {sorted({f.split for f in self.files})}."
        )


LAYOUTS = ("idx", "torchvision", "keras")


def load_manifest(path: str | Path) -> Dataset:
    """Read and check one manifest; any mistake in it is a DataError naming the file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"The dataset manifest {path} is missing; restore it from the repository (git checkout -- datasets)."
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise DataError(
            f"The dataset manifest {path} is not valid TOML ({err}); fix it or restore it from the repository."
        ) from None
    try:
        files = tuple(
            DataFile(
                name=str(f["name"]),
                split=f["split"],
                kind=f["kind"],
                shape=tuple(int(n) for n in f["shape"]),
                sha256=str(f["sha256"]).lower(),
                official_gz_md5=f.get("official_gz_md5"),
            )
            for f in raw["files"]
        )
        layouts = {key: str(raw["layouts"][key]) for key in LAYOUTS}
        dataset = Dataset(
            name=str(raw["name"]),
            files=files,
            mirrors=tuple(str(m) for m in raw.get("mirrors", ())),
            debian_package=str(raw.get("debian_package", "")),
            debian_dir=Path(raw.get("debian_dir", "/nonexistent")),
            layouts=layouts,
            class_names=tuple(raw["class_names"]),
            class_names_ko=tuple(raw["class_names_ko"]),
            source=path,
        )
    except (KeyError, TypeError, ValueError) as err:
        raise DataError(
            f"The dataset manifest {path} lacks or misspells the entry {err}; compare it with "
            "autograder/data/fashion-mnist.toml."
        ) from None
    for f in files:
        if f.split not in ("train", "test") or f.kind not in ("images", "labels") or len(f.sha256) != 64:
            raise DataError(
                f"The dataset manifest {path} has a bad entry for {f.name} (split must be train/test, "
                "kind images/labels, sha256 64 hex digits)."
            )
    return dataset


FASHION_MNIST_MANIFEST = Path(__file__).with_name("fashion-mnist.toml")  # package data: an install has it too
FASHION_MNIST = load_manifest(FASHION_MNIST_MANIFEST)
