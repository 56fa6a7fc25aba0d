"""Filling the data home: from the home itself, Debian's package, then the official mirrors.

Everything is written to a temporary name beside its target, checked, then renamed into
place, so an interrupted copy or a truncated download never replaces a good file. Only
this module downloads, and only `autograder data install` calls it with downloads allowed:
grading never touches the network.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from autograder.data import idx
from autograder.data.errors import DEBIAN_COMMAND, INSTALL_COMMAND
from autograder.data.home import Checker, Target, canonical, targets
from autograder.data.manifest import FASHION_MNIST, DataFile, Dataset
from autograder.errors import DataError
from autograder.progress import Event, OnEvent, ignore

Opener = Callable[[str], contextlib.AbstractContextManager[BinaryIO]]
DOWNLOAD_TIMEOUT = 60


def open_url(url: str) -> contextlib.AbstractContextManager[BinaryIO]:
    request = urllib.request.Request(url, headers={"User-Agent": "dl-course-autograder"})
    response: contextlib.AbstractContextManager[BinaryIO] = urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT)
    return response


@dataclass(frozen=True)
class Action:
    """What install did for one file of one layout: a word for the table, a phrase for the log."""

    target: Target
    word: str
    what: str

    @property
    def changed(self) -> bool:
        return self.word != "kept"


@dataclass
class InstallReport:
    home: Path
    actions: list[Action] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(a.changed for a in self.actions)


def _steps(on_event: OnEvent) -> Callable[[str], None]:
    """What the install steps say, as progress events."""
    return lambda text: on_event(Event.step(text))


def install(
    home: str | os.PathLike[str],
    dataset: Dataset = FASHION_MNIST,
    *,
    allow_download: bool = True,
    opener: Opener = open_url,
    on_event: OnEvent | None = None,
) -> InstallReport:
    """Make every layout of the home complete and verified; return what was done."""
    home = Path(home)
    report = InstallReport(home)
    _make_dirs(home, dataset)
    try:
        _install_files(home, dataset, report, allow_download, opener, _steps(on_event or ignore))
    except OSError as err:
        raise DataError(
            f"Cannot write {err.filename or 'a file'} in the data home {home} ({err.strerror or err}); "
            f"make the folder writable or point $AUTOGRADER_DATA_HOME at a writable folder and run "
            f"`{INSTALL_COMMAND}` again."
        ) from None
    return report


def _install_files(
    home: Path,
    dataset: Dataset,
    report: InstallReport,
    allow_download: bool,
    opener: Opener,
    say: Callable[[str], None],
) -> None:
    checker = Checker()
    unreachable: dict[str, str] = {}
    for file in dataset.files:
        gz = canonical(home, dataset, file, compressed=True)
        plain = canonical(home, dataset, file, compressed=False)
        all_targets = [t for t in targets(home, dataset) if t.file == file]
        gz_target = next(t for t in all_targets if t.canonical and t.compressed)
        plain_target = next(t for t in all_targets if t.canonical and not t.compressed)
        copies = [t for t in all_targets if not t.canonical]

        if checker.problem(gz, file) is None:
            report.actions.append(Action(gz_target, "kept", "already verified"))
        else:
            word, what = _obtain_gz(gz, file, dataset, checker, copies, plain, allow_download, opener, unreachable, say)
            report.actions.append(Action(gz_target, word, what))

        plain_copies = [t.path for t in copies if not t.compressed and checker.problem(t.path, file) is None]
        if checker.problem(plain, file) is None:
            report.actions.append(Action(plain_target, "kept", "already verified"))
        elif plain_copies:
            word = _link(plain_copies[0], plain)
            report.actions.append(Action(plain_target, word, f"{word} from {plain_copies[0]}"))
        else:
            _decompress(gz, plain, file)
            checker.forget(plain)
            report.actions.append(Action(plain_target, "unpacked", f"decompressed from {gz.name}"))

        for copy in copies:
            source = gz if copy.compressed else plain
            if copy.path.exists() and os.path.samefile(copy.path, source):
                report.actions.append(Action(copy, "kept", "already a hard link to the grader's copy"))
            elif checker.problem(copy.path, file) is None:
                report.actions.append(Action(copy, "kept", "already a verified copy"))
            else:
                word = _link(source, copy.path)
                report.actions.append(Action(copy, word, f"{word} from {source.relative_to(home)}"))


def _make_dirs(home: Path, dataset: Dataset) -> None:
    for layout in dataset.layouts.values():
        try:
            (home / layout).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise DataError(
                f"Cannot create the data folder {home / layout} ({err.strerror}); make it writable or "
                f"point $AUTOGRADER_DATA_HOME at a writable folder and run `{INSTALL_COMMAND}` again."
            ) from None


def _obtain_gz(
    gz: Path,
    file: DataFile,
    dataset: Dataset,
    checker: Checker,
    copies: list[Target],
    plain: Path,
    allow_download: bool,
    opener: Opener,
    unreachable: dict[str, str],
    say: Callable[[str], None],
) -> tuple[str, str]:
    """Put a verified archive at `gz`; return a word and a phrase saying where it came from."""
    for candidate in (t.path for t in copies if t.compressed):
        if checker.problem(candidate, file) is None:
            word = _link(candidate, gz)
            return word, f"{word} from {candidate}"
    reasons = ["it is not in the data home"]
    debian = dataset.debian_dir / file.gz_name
    if debian.is_file():
        try:
            _copy_verified(debian, gz, file)
            return "Debian", f"copied from Debian's package {dataset.debian_package} ({debian})"
        except DataError:
            reasons.append(f"Debian's copy {debian} is damaged")
    else:
        reasons.append(f"Debian's package {dataset.debian_package} is not installed (there is no {debian})")
    if checker.problem(plain, file) is None:
        with _temporary(gz) as tmp:
            with open(plain, "rb") as source, gzip.open(tmp, "wb", compresslevel=6) as target:
                shutil.copyfileobj(source, target, idx.CHUNK)
            idx.check_gzip(tmp, file, label=gz)
            os.replace(tmp, gz)
        return "compressed", f"compressed from the verified {plain.name}"
    if not allow_download:
        reasons.append(f"downloads happen only in `{INSTALL_COMMAND}`")
    else:
        failures = []
        for mirror in dataset.mirrors:
            url = mirror + file.gz_name
            if mirror in unreachable:
                failures.append(f"{url}: {unreachable[mirror]}")
                continue
            say(f"downloading {url}")
            try:
                download(url, gz, file, opener)
                return "downloaded", f"downloaded from {url}"
            except DataError:
                failures.append(f"{url}: the file it sent is damaged")
            except (urllib.error.URLError, OSError, ValueError) as err:
                unreachable[mirror] = str(getattr(err, "reason", err))
                failures.append(f"{url}: {unreachable[mirror]}")
        reasons.append(f"no mirror gave a good copy ({', '.join(failures) or 'no mirror is listed'})")
    raise DataError(
        f"Cannot get the Fashion-MNIST file {file.gz_name}: {'; '.join(reasons)}; install the package with "
        f"`{DEBIAN_COMMAND}` and run `{INSTALL_COMMAND}` again, or copy the four official .gz files into {gz.parent}."
    )


def _copy_verified(source: Path, target: Path, file: DataFile) -> None:
    idx.check_gzip(source, file)
    with _temporary(target) as tmp:
        shutil.copyfile(source, tmp)
        idx.check_gzip(tmp, file, label=source)
        os.replace(tmp, target)


def download(url: str, target: Path, file: DataFile, opener: Opener = open_url) -> None:
    """Fetch one archive to a temporary name, verify it, and only then rename it to `target`."""
    with _temporary(target) as tmp:
        with opener(url) as response, open(tmp, "wb") as out:
            shutil.copyfileobj(response, out, idx.CHUNK)
        idx.check_gzip(tmp, file, label=url)
        os.replace(tmp, target)


def _decompress(gz: Path, plain: Path, file: DataFile) -> None:
    with _temporary(plain) as tmp:
        with gzip.open(gz, "rb") as source, open(tmp, "wb") as target:
            shutil.copyfileobj(source, target, idx.CHUNK)
        idx.check_plain(tmp, file, label=plain)
        os.replace(tmp, plain)


def _link(source: Path, target: Path) -> str:
    """Hard-link `source` at `target` (a copy where links are impossible), replacing atomically."""
    with _temporary(target) as tmp:
        try:
            os.link(source, tmp)
            how = "linked"
        except OSError:
            shutil.copyfile(source, tmp)
            how = "copied"
        os.replace(tmp, target)
    return how


@contextlib.contextmanager
def _temporary(target: Path) -> Iterator[Path]:
    """A free name beside `target`, removed afterwards unless it was renamed into place."""
    tmp = target.with_name(f".{target.name}.part-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)
