"""Checking idx content: header, size and SHA-256, for plain files and gzip archives alike.

Every check ends in one DataError sentence naming the file, what is wrong and the command
that fixes it, so a damaged file is never used and never silently accepted.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from autograder.data.errors import INSTALL_COMMAND
from autograder.data.manifest import DataFile
from autograder.errors import DataError

if TYPE_CHECKING:
    from typing_extensions import Buffer

CHUNK = 1 << 20
_FIX = f"run `{INSTALL_COMMAND}` (or `make setup`) to replace it"


class ContentCheck:
    """Fed the decompressed bytes in chunks; `finish` raises unless they are exactly right."""

    def __init__(self, file: DataFile, where: Path | str):
        self.file = file
        self.where = where
        self.digest = hashlib.sha256()
        self.head = b""
        self.size = 0

    def feed(self, chunk: bytes | bytearray | memoryview) -> None:
        if len(self.head) < self.file.header_size:
            self.head += bytes(chunk[: self.file.header_size - len(self.head)])
            if len(self.head) == self.file.header_size:
                self._check_header()
        self.size += len(chunk)
        self.digest.update(chunk)

    def finish(self) -> None:
        if len(self.head) >= 4:
            self._check_magic()
        if self.size < self.file.size:
            raise DataError(
                f"{self._what()} is truncated: it holds {self.size} bytes instead of {self.file.size}; {_FIX}."
            )
        if self.size > self.file.size:
            raise DataError(f"{self._what()} has {self.size} bytes instead of {self.file.size}; {_FIX}.")
        actual = self.digest.hexdigest()
        if actual != self.file.sha256:
            raise DataError(
                f"{self._what()} is corrupted: the SHA-256 of its content is {actual}, "
                f"expected {self.file.sha256}; {_FIX}."
            )

    def _what(self) -> str:
        return f"Fashion-MNIST file {self.where}"

    def _check_magic(self) -> None:
        magic = int.from_bytes(self.head[:4], "big")
        if magic != self.file.magic:
            raise DataError(
                f"{self._what()} is not an idx file of {self.file.kind}: its magic number is "
                f"0x{magic:08x} instead of 0x{self.file.magic:08x}; {_FIX}."
            )

    def _check_header(self) -> None:
        self._check_magic()
        dims = tuple(int.from_bytes(self.head[4 + 4 * i : 8 + 4 * i], "big") for i in range(len(self.file.shape)))
        if dims != self.file.shape:
            raise DataError(f"{self._what()} declares the shape {dims} instead of {self.file.shape}; {_FIX}.")


def missing(path: Path) -> DataError:
    return DataError(f"Fashion-MNIST file {path} is missing; run `{INSTALL_COMMAND}` (or `make setup`) to install it.")


def check_chunks(chunks: Iterable[bytes], file: DataFile, where: Path | str) -> None:
    check = ContentCheck(file, where)
    for chunk in chunks:
        check.feed(chunk)
    check.finish()


def check_buffer(buffer: bytes | bytearray | np.ndarray, file: DataFile, where: Path | str) -> None:
    check = ContentCheck(file, where)
    check.feed(memoryview(cast("Buffer", buffer)))  # numpy's stubs give ndarray __buffer__ only for Python 3.12+
    check.finish()


def check_plain(path: Path, file: DataFile, label: Path | str | None = None) -> None:
    """Raise DataError unless the decompressed idx file at `path` is exactly right.

    `label` names the file in messages when `path` is only a temporary name for it.
    """
    try:
        with open(path, "rb") as handle:
            check_chunks(iter(lambda: handle.read(CHUNK), b""), file, label or path)
    except FileNotFoundError:
        raise missing(path) from None
    except IsADirectoryError:
        raise DataError(
            f"Fashion-MNIST file {path} is a folder, not a file; remove it and run `{INSTALL_COMMAND}`."
        ) from None


def check_gzip(path: Path, file: DataFile, label: Path | str | None = None) -> None:
    """Raise DataError unless the archive at `path` decompresses to exactly the right content."""
    try:
        with gzip.open(path, "rb") as handle:
            check_chunks(iter(lambda: handle.read(CHUNK), b""), file, label or path)
    except FileNotFoundError:
        raise missing(path) from None
    except (EOFError, OSError, zlib.error) as err:
        reason = "it ends too early" if isinstance(err, EOFError) else str(err).rstrip(".") or type(err).__name__
        raise DataError(f"Fashion-MNIST archive {label or path} cannot be decompressed ({reason}); {_FIX}.") from None


def check(path: Path, file: DataFile) -> None:
    """Check a plain idx file or, for a name ending in .gz, the content of the archive."""
    (check_gzip if path.name.endswith(".gz") else check_plain)(path, file)


def read_verified(path: Path, file: DataFile, verified: set[tuple[object, ...]] | None = None) -> np.ndarray:
    """The whole file as one writable uint8 array, checked unless this exact file was checked before.

    `verified` holds keys (path, device, inode, size, mtime, digest): a file rewritten in
    place gets a new mtime and so is checked again.
    """
    try:
        handle = open(path, "rb", buffering=0)
    except FileNotFoundError:
        raise missing(path) from None
    with handle:
        stat = os.fstat(handle.fileno())
        buffer = np.empty(stat.st_size, np.uint8)  # not zero-filled: the read overwrites it all
        view, done = memoryview(cast("Buffer", buffer)), 0
        while done < stat.st_size:
            count = handle.readinto(view[done:])
            if not count:
                break
            done += count
    buffer = buffer[:done]
    key = (str(path), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, file.sha256)
    if verified is None or key not in verified:
        check_buffer(buffer, file, path)
        if verified is not None:
            verified.add(key)
    return buffer
