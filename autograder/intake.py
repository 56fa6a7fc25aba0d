"""The one door for everything a student hands in: their files are read here and nowhere else.

A hand-in is untrusted bytes *and* an untrusted tree: names, links, sizes and kinds of
file. The grader (root, or an instructor's account) must never follow a student's link to
a solution, a hidden suite, /proc/self/environ or the test labels, never block on a FIFO,
never read a 4 GB file, and never stop the class over one odd name. So:

- the tree is walked once, through directory file descriptors opened with O_NOFOLLOW
  (a folder swapped for a link meanwhile is never entered), `lstat` before anything else,
  at most MAX_DEPTH folders deep and MAX_ENTRIES entries in all;
- only regular files are kept: links, devices, FIFOs and sockets are refused, and so is
  a hard link whose other names lie outside the hand-in (it may be a solution's inode);
- a name that is not valid text (not UTF-8, or holding control characters) is refused
  without ever being decoded for display;
- a file is read by re-opening each component with O_NOFOLLOW | O_NONBLOCK, checking
  that it is still the regular file the walk saw, and reading at most its cap plus one byte.

Everything refused is named to the student in one sentence (in both languages); what
remains is graded.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from autograder.bilingual import Said, say
from autograder.untrusted_text import shown_name

if TYPE_CHECKING:
    import tarfile
    import zipfile

MAX_DEPTH = 12  # folders below the hand-in that are walked
MAX_ENTRIES = 2000  # files and folders looked at, in all
MAX_REFUSALS_SHOWN = 5  # refusals named one by one; the rest are counted
PRUNED = ("__pycache__", "__MACOSX")  # never the student's work; neither are hidden (dot) entries

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class IntakeError(Exception):
    """The hand-in as a whole cannot be read; `text` is the sentence shown to the student."""

    def __init__(self, text: Said):
        super().__init__(text.en)
        self.text = text


class TooLarge(IntakeError):
    """A file is larger than the cap it was read with."""


@dataclass(frozen=True)
class HandedFile:
    """One regular file of a hand-in, as the walk saw it."""

    path: str  # relative POSIX path inside the hand-in; valid text ('' parts never)
    size: int
    mtime: float
    identity: tuple[int, int]  # (st_dev, st_ino): a file swapped after the walk is refused on reading

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix


@dataclass
class HandIn:
    """A student's file or folder, walked once; read its files with `read`."""

    base: Path  # the trusted folder that holds the hand-in (the instructor's, or the exchange's)
    top: str  # the hand-in's own entry in `base`
    is_folder: bool
    files: list[HandedFile] = field(default_factory=list)
    refused: list[Said] = field(default_factory=list)  # one sentence each, for the student

    @property
    def display_name(self) -> str:
        return shown_name(self.top)

    def read(self, file: HandedFile, cap: int) -> bytes:
        """The file's bytes, at most `cap`; TooLarge past it, IntakeError when it is no longer the file walked."""
        parts = [] if not self.is_folder else file.path.split("/")
        fds: list[int] = []
        try:
            fds.append(os.open(self.base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))
            if self.is_folder:
                fds.append(os.open(self.top, _DIR_FLAGS, dir_fd=fds[-1]))
                for part in parts[:-1]:
                    fds.append(os.open(part, _DIR_FLAGS, dir_fd=fds[-1]))
                fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=fds[-1])
            else:
                fd = os.open(self.top, _FILE_FLAGS, dir_fd=fds[-1])
        except OSError:
            raise IntakeError(_refusal("changed", file.name)) from None
        finally:
            for opened in fds:
                os.close(opened)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != file.identity:
                raise IntakeError(_refusal("changed", file.name))
            if info.st_size > cap:
                raise TooLarge(_too_large(file.name, info.st_size, cap))
            data = _read_upto(fd, cap + 1)
        except OSError:
            raise IntakeError(_refusal("changed", file.name)) from None
        finally:
            os.close(fd)
        if len(data) > cap:  # it grew after the fstat
            raise TooLarge(_too_large(file.name, len(data), cap))
        return data

    def notes(self) -> list[Said]:
        """The refusals as the student reads them: the first few named, the rest counted."""
        shown = self.refused[:MAX_REFUSALS_SHOWN]
        if len(self.refused) > MAX_REFUSALS_SHOWN:
            more = len(self.refused) - MAX_REFUSALS_SHOWN
            shown.append(
                say(
                    f"{more} more files were left out for the same kinds of reason.",
                    f"같은 이유로 {more}개의 파일을 더 제외했습니다.",
                )
            )
        return shown


def open_handin(path: str | os.PathLike[str]) -> HandIn:
    """Walk the hand-in at `path` (a file or a folder) without following any link a student made.

    `path`'s parent is the grader's own (trusted) choice; `path` itself is the student's, so it
    may not be a link either. IntakeError when nothing of it can be read.
    """
    path = Path(path)
    base, top = path.parent, path.name
    try:
        info = os.lstat(path)
    except OSError:
        raise IntakeError(
            say(f"{shown_name(top)} could not be read.", f"{shown_name(top)}을(를) 읽을 수 없습니다.")
        ) from None
    if stat.S_ISLNK(info.st_mode):
        raise IntakeError(_refusal("link", top))
    if stat.S_ISREG(info.st_mode):
        handin = HandIn(base, top, False)
        if info.st_nlink > 1:
            raise IntakeError(_refusal("hard_link", top))
        handin.files.append(HandedFile(top, info.st_size, info.st_mtime, (info.st_dev, info.st_ino)))
        return handin
    if not stat.S_ISDIR(info.st_mode):
        raise IntakeError(_refusal("special", top))
    handin = HandIn(base, top, True)
    try:
        base_fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            top_fd = os.open(top, _DIR_FLAGS, dir_fd=base_fd)
        finally:
            os.close(base_fd)
    except OSError:
        raise IntakeError(
            say(f"The folder {shown_name(top)} could not be opened.", f"{shown_name(top)} 폴더를 열 수 없습니다.")
        ) from None
    walk = _Walk(handin)
    try:
        walk.folder(top_fd, "", 0)
    finally:
        os.close(top_fd)
    walk.drop_outside_hard_links()
    return handin


ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")
MAX_ARCHIVE_BYTES = 64 << 20  # the archive itself; each member is read up to its own cap


def is_archive(file: HandedFile) -> bool:
    return file.name.lower().endswith(ARCHIVE_SUFFIXES)


@dataclass
class ArchiveHandIn(HandIn):
    """A zip or tar hand-in, opened in memory under the same rules as a folder: regular files only, names that
    are valid text and stay inside, bounded count, depth and sizes (a member is read up to its cap plus one byte)."""

    members: dict[str, zipfile.ZipInfo | tarfile.TarInfo] = field(default_factory=dict)  # path -> ZipInfo or TarInfo
    archive: zipfile.ZipFile | tarfile.TarFile | None = None  # the open zipfile.ZipFile or tarfile.TarFile

    def read(self, file: HandedFile, cap: int) -> bytes:
        member = self.members.get(file.path)
        if member is None:
            raise IntakeError(_refusal("changed", file.name))
        try:
            stream: IO[bytes] | None
            if hasattr(self.archive, "getmembers"):
                stream = cast("tarfile.TarFile", self.archive).extractfile(cast("tarfile.TarInfo", member))
            else:
                stream = cast("zipfile.ZipFile", self.archive).open(cast("zipfile.ZipInfo", member))
            assert (
                stream is not None
            )  # a regular member (the only kind kept): None was refused at `with` before, and still is
            with stream:
                data = stream.read(cap + 1)
        except Exception:
            raise IntakeError(
                say(
                    f"{shown_name(file.name)} could not be unpacked from {self.display_name}; hand in the file itself.",
                    f"{self.display_name}에서 {shown_name(file.name)} 파일을 꺼낼 수 없습니다. 파일 자체를 제출해 주세요.",
                )
            ) from None
        if len(data) > cap:
            raise TooLarge(_too_large(file.name, len(data), cap))
        return data


def open_archive(handin: HandIn, file: HandedFile) -> ArchiveHandIn:
    """The zip or tar `file` of `handin`, as a hand-in of its own; IntakeError when it cannot be opened."""
    import io
    import tarfile
    import zipfile

    data = handin.read(file, MAX_ARCHIVE_BYTES)
    unreadable = say(
        f"{shown_name(file.name)} is not an archive that can be opened; hand in your .ipynb or .py file instead.",
        f"{shown_name(file.name)}은(는) 열 수 있는 압축 파일이 아닙니다. .ipynb 또는 .py 파일을 제출해 주세요.",
    )
    archive: zipfile.ZipFile | tarfile.TarFile
    entries: list[tuple[str, zipfile.ZipInfo | tarfile.TarInfo, str, int]]
    try:
        if file.name.lower().endswith(".zip"):
            archive = zipfile.ZipFile(io.BytesIO(data))
            entries = [(info.filename, info, _zip_kind(info), info.file_size) for info in archive.infolist()]
        else:
            archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
            entries = [
                (
                    info.name,
                    info,
                    "file"
                    if info.isreg()
                    else "dir"
                    if info.isdir()
                    else "link"
                    if info.issym() or info.islnk()
                    else "special",
                    info.size,
                )
                for info in archive.getmembers()
            ]
    except Exception:
        raise IntakeError(unreadable) from None
    opened = ArchiveHandIn(handin.base, file.name, True, archive=archive)
    kept: list[tuple[str, zipfile.ZipInfo | tarfile.TarInfo, int]] = []
    for raw, member, kind, size in entries[:MAX_ENTRIES]:
        path = raw.replace("\\", "/").strip("/")
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if kind == "dir" or not parts:
            continue
        if any(part.startswith(".") or part in PRUNED for part in parts):
            continue
        shown = "/".join(parts)
        if ".." in parts or raw.startswith("/") or not all(_representable(part) for part in parts):
            opened.refused.append(_refusal("bad_name", shown))
        elif kind == "link":
            opened.refused.append(_refusal("link", shown))
        elif kind != "file":
            opened.refused.append(_refusal("special", shown))
        elif len(parts) > MAX_DEPTH + 1:
            opened.refused.append(
                say(
                    f"{shown_name(shown)} lies more than {MAX_DEPTH} folders deep and was not read.",
                    f"{shown_name(shown)}은(는) {MAX_DEPTH}단계보다 깊은 폴더에 있어 읽지 않았습니다.",
                )
            )
        else:
            kept.append(("/".join(parts), member, size))
    if len(entries) > MAX_ENTRIES:
        opened.refused.append(
            say(
                f"Only the first {MAX_ENTRIES} entries of {shown_name(file.name)} were read.",
                f"{shown_name(file.name)}에서 처음 {MAX_ENTRIES}개 항목만 읽었습니다.",
            )
        )
    roots = {path.split("/", 1)[0] for path, _, _ in kept}
    strip = len(roots) == 1 and all(
        "/" in path for path, _, _ in kept
    )  # a zipped folder: its files as if handed in loose
    for index, (path, member, size) in enumerate(kept):
        path = path.split("/", 1)[1] if strip else path
        if path in opened.members:
            continue
        opened.members[path] = member
        opened.files.append(HandedFile(path, size, file.mtime, (-1, index)))
    return opened


def _zip_kind(info: zipfile.ZipInfo) -> str:
    if info.is_dir():
        return "dir"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # a zip made on Windows or by writestr has no type bits
        return "special"
    return "file"


def read_regular(path: str | os.PathLike[str], cap: int) -> bytes | None:
    """A single small file a hand-in may hold (nbgrader's timestamp.txt): its bytes, or None when it is a link,
    not a regular file, missing, or over `cap`."""
    try:
        fd = os.open(path, _FILE_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > cap or info.st_nlink > 1:
            return None
        data = _read_upto(fd, cap + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= cap else None


def _read_upto(fd: int, limit: int) -> bytes:
    """At most `limit` bytes of an open file: a file that grows while it is read is never read whole."""
    chunks, left = [], limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Walk:
    def __init__(self, handin: HandIn):
        self.handin = handin
        self.entries = 0
        self.too_deep = self.too_many = False
        self.links: dict[tuple[int, int], int] = {}  # identity -> names seen inside the hand-in
        self.nlink: dict[tuple[int, int], int] = {}

    def folder(self, fd: int, prefix: str, depth: int) -> None:
        try:
            with os.scandir(fd) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError:
            self.handin.refused.append(
                say(
                    f"The folder {shown_name(prefix or self.handin.top)} could not be read.",
                    f"{shown_name(prefix or self.handin.top)} 폴더를 읽을 수 없습니다.",
                )
            )
            return
        for name in names:
            if name.startswith(".") or name in PRUNED:
                continue
            if self.entries >= MAX_ENTRIES:
                if not self.too_many:
                    self.too_many = True
                    self.handin.refused.append(
                        say(
                            f"Only the first {MAX_ENTRIES} files and folders of the hand-in were read; hand in only your work.",
                            f"제출물에서 처음 {MAX_ENTRIES}개의 파일과 폴더만 읽었습니다. 과제 파일만 제출해 주세요.",
                        )
                    )
                return
            self.entries += 1
            relative = f"{prefix}/{name}" if prefix else name
            if not _representable(name):
                self.handin.refused.append(_refusal("bad_name", relative))
                continue
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue  # gone since the listing
            mode = info.st_mode
            if stat.S_ISLNK(mode):
                self.handin.refused.append(_refusal("link", relative))
            elif stat.S_ISREG(mode):
                identity = (info.st_dev, info.st_ino)
                self.links[identity] = self.links.get(identity, 0) + 1
                self.nlink[identity] = info.st_nlink
                self.handin.files.append(HandedFile(relative, info.st_size, info.st_mtime, identity))
            elif stat.S_ISDIR(mode):
                if depth + 1 > MAX_DEPTH:
                    if not self.too_deep:
                        self.too_deep = True
                        self.handin.refused.append(
                            say(
                                f"Folders more than {MAX_DEPTH} levels deep were not read.",
                                f"{MAX_DEPTH}단계보다 깊은 폴더는 읽지 않았습니다.",
                            )
                        )
                    continue
                try:
                    child = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except OSError:
                    self.handin.refused.append(_refusal("link", relative))  # swapped for a link, or unreadable
                    continue
                try:
                    self.folder(child, relative, depth + 1)
                finally:
                    os.close(child)
            else:
                self.handin.refused.append(_refusal("special", relative))

    def drop_outside_hard_links(self) -> None:
        """A file with more names than the hand-in holds shares its inode with something outside it."""
        kept = []
        for file in self.handin.files:
            if self.nlink[file.identity] > self.links[file.identity]:
                self.handin.refused.append(_refusal("hard_link", file.path))
            else:
                kept.append(file)
        self.handin.files = kept


def _representable(name: str) -> bool:
    """Valid UTF-8 (no surrogate escapes) and no control characters: a name that can be shown and staged."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return shown_name(name) == name


_REFUSALS = {  # (English, 한국어) for each thing the intake leaves out; {name} is the file as shown
    "link": (
        "{name} is a link to another file and was not read; hand in the file itself, not a link.",
        "{name}은(는) 다른 파일을 가리키는 링크라서 읽지 않았습니다. 링크가 아닌 파일 자체를 제출해 주세요.",
    ),
    "hard_link": (
        "{name} is a hard link to a file outside your hand-in and was not read; hand in a copy of the file.",
        "{name}은(는) 제출물 밖의 파일과 연결된 하드 링크라서 읽지 않았습니다. 파일을 복사해서 제출해 주세요.",
    ),
    "special": (
        "{name} is not an ordinary file (a device, pipe or socket) and was not read.",
        "{name}은(는) 일반 파일이 아니어서(장치, 파이프 또는 소켓) 읽지 않았습니다.",
    ),
    "bad_name": (
        "A file named {name} was not read: its name is not valid text; rename it using letters, digits, - and _.",
        "{name} 파일은 이름이 올바른 문자가 아니어서 읽지 않았습니다. 영문자, 숫자, -, _로 이름을 바꿔 주세요.",
    ),
    "changed": (
        "{name} changed while it was being graded, or is not an ordinary file; hand it in again.",
        "{name} 파일이 채점 도중 바뀌었거나 일반 파일이 아닙니다. 다시 제출해 주세요.",
    ),
}


def _refusal(kind: str, name: str) -> Said:
    en, ko = _REFUSALS[kind]
    shown = shown_name(name)
    return say(en.format(name=shown), ko.format(name=shown))


def _too_large(name: str, size: int, cap: int) -> Said:
    shown = shown_name(name)
    mb, cap_mb = _megabytes(size), _megabytes(cap)
    return say(
        f"{shown} is {mb} MB; a submission file may be at most {cap_mb} MB.",
        f"{shown} 파일은 {mb} MB입니다. 제출 파일은 최대 {cap_mb} MB까지 가능합니다.",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.3g}"
