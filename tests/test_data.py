"""The Fashion-MNIST data layer: verification, install, loading, and the library layouts.

Most tests build a tiny synthetic dataset (idx files written here, a manifest in the same
format as autograder/data/fashion-mnist.toml), so every failure mode can be staged in a tmp
folder. The last tests use the real files of Debian's dataset-fashion-mnist package.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from autograder.data import (
    CLASS_NAMES,
    CLASS_NAMES_KO,
    FASHION_MNIST,
    Dataset,
    install,
    keras_home,
    load_fashion_mnist,
    load_manifest,
    load_split,
    survey,
    torchvision_root,
)
from autograder.data import idx as idx_checks
from autograder.data.commands import install_command, verify_command
from autograder.data.install import download
from autograder.errors import DataError
from autograder.paths import REPO_ROOT

FIX = "autograder data install"
APT = "sudo apt-get install dataset-fashion-mnist"
SHAPES = {
    ("train", "images"): (6, 4, 3),
    ("train", "labels"): (6,),
    ("test", "images"): (3, 4, 3),
    ("test", "labels"): (3,),
}
NAMES = {
    ("train", "images"): "train-images-idx3-ubyte",
    ("train", "labels"): "train-labels-idx1-ubyte",
    ("test", "images"): "t10k-images-idx3-ubyte",
    ("test", "labels"): "t10k-labels-idx1-ubyte",
}


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """An idx file: big-endian magic (0x08 = unsigned bytes, then the rank), dimensions, data."""
    magic = (0x08 << 8) | array.ndim if magic is None else magic
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


@dataclass
class Synthetic:
    dataset: Dataset
    arrays: dict[str, np.ndarray]  # by file name
    content: dict[str, bytes]  # decompressed idx bytes, by file name
    home: Path
    debian: Path
    mirror: Path

    def idx_path(self, name: str) -> Path:
        return self.home / "fashion-mnist" / name

    def publish(self, folder: Path, transform=lambda name, data: data) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.content.items():
            (folder / f"{name}.gz").write_bytes(gzip.compress(transform(name, data)))


def write_manifest(path: Path, digests: dict[str, str], debian: Path, mirror: Path) -> None:
    files = "\n".join(
        f'[[files]]\nname = "{NAMES[key]}"\nsplit = "{key[0]}"\nkind = "{key[1]}"\n'
        f'shape = {list(SHAPES[key])}\nsha256 = "{digests[NAMES[key]]}"\n'
        for key in NAMES
    )
    path.write_text(
        textwrap.dedent(f"""\
        name = "Fashion-MNIST"
        debian_package = "dataset-fashion-mnist"
        debian_dir = "{debian}"
        mirrors = ["{mirror.as_uri()}/"]
        class_names = {json.dumps(list(FASHION_MNIST.class_names))}
        class_names_ko = {json.dumps(list(FASHION_MNIST.class_names_ko), ensure_ascii=False)}
        [layouts]
        idx = "fashion-mnist"
        torchvision = "FashionMNIST/raw"
        keras = "keras/datasets/fashion-mnist"
        """)
        + files,
        encoding="utf-8",
    )


@pytest.fixture
def synthetic(tmp_path: Path) -> Synthetic:
    """A tiny dataset with a Debian folder holding its .gz files and an empty mirror folder."""
    rng = np.random.default_rng(7)
    arrays, content = {}, {}
    for key, name in NAMES.items():
        high = 256 if key[1] == "images" else 10
        arrays[name] = rng.integers(0, high, SHAPES[key], dtype=np.uint8)
        content[name] = idx_bytes(arrays[name])
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in content.items()}
    debian, mirror = tmp_path / "debian", tmp_path / "mirror"
    write_manifest(tmp_path / "synthetic.toml", digests, debian, mirror)
    data = Synthetic(load_manifest(tmp_path / "synthetic.toml"), arrays, content, tmp_path / "home", debian, mirror)
    data.publish(debian)
    mirror.mkdir()
    return data


@pytest.fixture
def installed(synthetic: Synthetic) -> Synthetic:
    install(synthetic.home, synthetic.dataset, allow_download=False)
    return synthetic


@pytest.fixture
def no_network(monkeypatch):
    """Fails the test if anything tries to open a URL."""

    def refuse(*args, **kwargs):
        raise AssertionError("the data layer tried to download")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def rewrite(path: Path, data: bytes) -> None:
    """Replace a file's content in place (same inode: every hard link sees it)."""
    with open(path, "r+b") as handle:
        handle.truncate(0)
        handle.write(data)


def load(data: Synthetic):
    return load_fashion_mnist(data.home, dataset=data.dataset)


# --- loading and verification -------------------------------------------------------------


def test_good_files_load(installed: Synthetic, no_network):
    """Do verified files load as the exact uint8 arrays that were written, writable and fresh?"""
    (x_train, y_train), (x_test, y_test) = load(installed)
    for array, name in [
        (x_train, NAMES["train", "images"]),
        (y_train, NAMES["train", "labels"]),
        (x_test, NAMES["test", "images"]),
        (y_test, NAMES["test", "labels"]),
    ]:
        assert array.dtype == np.uint8
        np.testing.assert_array_equal(array, installed.arrays[name])
    x_train[0, 0, 0] ^= 0xFF  # the caller may modify its arrays: they are not shared with the next call
    again, _ = load_split("train", installed.home, dataset=installed.dataset)
    np.testing.assert_array_equal(again, installed.arrays[NAMES["train", "images"]])


def test_corrupted_content_is_named_with_both_digests(installed: Synthetic, no_network):
    """Does one changed pixel raise DataError naming the file, both digests and the fix?"""
    name = NAMES["train", "images"]
    damaged = bytearray(installed.content[name])
    damaged[-1] ^= 0x01
    rewrite(installed.idx_path(name), bytes(damaged))
    with pytest.raises(DataError) as caught:
        load(installed)
    message = str(caught.value)
    assert name in message and FIX in message
    assert installed.dataset.file("train", "images").sha256 in message
    assert hashlib.sha256(damaged).hexdigest() in message
    assert "corrupted" in message


def test_truncated_file(installed: Synthetic, no_network):
    """Does a file cut short raise DataError saying it is truncated, with its sizes and the fix?"""
    name = NAMES["test", "images"]
    rewrite(installed.idx_path(name), installed.content[name][:-5])
    with pytest.raises(DataError, match="truncated") as caught:
        load(installed)
    message = str(caught.value)
    assert name in message and FIX in message
    size = len(installed.content[name])
    assert f"{size - 5} bytes instead of {size}" in message


def test_wrong_magic_number(installed: Synthetic, no_network):
    """Does an idx file of the wrong kind (labels magic on images) raise DataError about the magic number?"""
    name = NAMES["train", "images"]
    rewrite(installed.idx_path(name), idx_bytes(installed.arrays[name], magic=0x00000801))
    with pytest.raises(DataError, match="magic number is 0x00000801 instead of 0x00000803") as caught:
        load(installed)
    assert name in str(caught.value) and FIX in str(caught.value)


def test_wrong_digest_in_manifest(installed: Synthetic, tmp_path: Path, no_network):
    """Does a file that disagrees with the manifest's digest raise DataError with the expected and actual digest?"""
    name = NAMES["test", "labels"]
    actual = hashlib.sha256(installed.content[name]).hexdigest()
    wrong = "0" * 64
    manifest = tmp_path / "synthetic.toml"
    manifest.write_text(manifest.read_text().replace(actual, wrong))
    dataset = load_manifest(manifest)
    with pytest.raises(DataError) as caught:
        load_fashion_mnist(installed.home, dataset=dataset)
    message = str(caught.value)
    assert name in message and wrong in message and actual in message and FIX in message


def test_missing_file(installed: Synthetic, no_network):
    """Does a missing file raise DataError naming it and the install command, without downloading?"""
    name = NAMES["train", "labels"]
    installed.idx_path(name).unlink()
    with pytest.raises(DataError, match="is missing") as caught:
        load(installed)
    assert name in str(caught.value) and FIX in str(caught.value)


def test_an_empty_home_never_downloads(synthetic: Synthetic, no_network):
    """Does loading from an empty home fail with DataError instead of fetching anything?"""
    with pytest.raises(DataError, match=FIX):
        load(synthetic)


def test_messages_are_one_sentence(installed: Synthetic, no_network):
    """Is each DataError a single sentence (one final full stop, no line break)?"""
    name = NAMES["train", "images"]
    rewrite(installed.idx_path(name), b"\x00\x00")
    with pytest.raises(DataError) as caught:
        load(installed)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and ". " not in message


def test_rewritten_file_is_checked_again(installed: Synthetic, no_network):
    """After a good load, is a file rewritten later (new mtime) verified again rather than trusted?"""
    load(installed)
    name = NAMES["train", "images"]
    path = installed.idx_path(name)
    damaged = bytearray(installed.content[name])
    damaged[20] ^= 0x10
    stat = path.stat()
    rewrite(path, bytes(damaged))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    with pytest.raises(DataError, match="corrupted"):
        load(installed)


def test_verify_catches_corruption_even_with_the_old_mtime(installed: Synthetic):
    """Does `verify` recompute digests, catching damage that kept the file's size and mtime?"""
    load(installed)
    name = NAMES["train", "images"]
    path = installed.idx_path(name)
    stat = path.stat()
    damaged = bytearray(installed.content[name])
    damaged[30] ^= 0x01
    rewrite(path, bytes(damaged))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    bad = [s for s in survey(installed.home, installed.dataset) if not s.ok]
    # the grader's copy and its torchvision hard link share the damaged content
    assert {s.target.path for s in bad} == {path, installed.home / "FashionMNIST" / "raw" / name}
    assert all(s.state == "damaged" and "corrupted" in str(s.problem) for s in bad)


def test_damaged_archive_names_the_gz(installed: Synthetic):
    """Is a .gz that is not gzip reported by its own path with the fix command?"""
    gz = installed.home / "keras" / "datasets" / "fashion-mnist" / "t10k-labels-idx1-ubyte.gz"
    gz.unlink()  # break the hard link so only this copy is damaged
    gz.write_bytes(b"<html>not found</html>")
    bad = [s for s in survey(installed.home, installed.dataset) if not s.ok]
    assert [s.target.path for s in bad] == [gz]
    assert str(gz) in str(bad[0].problem) and FIX in str(bad[0].problem)


# --- install ------------------------------------------------------------------------------


def test_install_fills_every_layout_with_hard_links(installed: Synthetic):
    """Does install create all three layouts as regular files, linked to the grader's copy, never symlinks?"""
    statuses = survey(installed.home, installed.dataset)
    assert len(statuses) == 20 and all(s.ok for s in statuses)
    for status in statuses:
        path = status.target.path
        assert path.is_file() and not path.is_symlink()
        own = installed.home / "fashion-mnist" / path.name
        assert os.path.samefile(path, own)
    raw = installed.home / "FashionMNIST" / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted([*NAMES.values(), *(f"{n}.gz" for n in NAMES.values())])


def test_install_is_idempotent(installed: Synthetic, no_network):
    """Does a second install change nothing: same inodes, same mtimes, every action 'kept'?"""
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in installed.home.rglob("*") if p.is_file()}
    report = install(installed.home, installed.dataset, allow_download=False)
    assert not report.changed
    assert {a.word for a in report.actions} == {"kept"}
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in installed.home.rglob("*") if p.is_file()}
    assert after == before


def test_install_repairs_a_damaged_file_everywhere(installed: Synthetic, no_network):
    """Does install replace a damaged grader copy and the hard links that shared its bad content?"""
    name = NAMES["test", "images"]
    rewrite(installed.idx_path(name), installed.content[name][:-1] + b"\x00")
    report = install(installed.home, installed.dataset, allow_download=False)
    assert report.changed
    assert all(s.ok for s in survey(installed.home, installed.dataset))
    np.testing.assert_array_equal(load(installed)[1][0], installed.arrays[name])


def test_install_prefers_the_home_over_debian(installed: Synthetic, no_network):
    """When only the grader's .gz is lost, is it restored from a library layout rather than Debian's folder?"""
    name = NAMES["train", "images"]
    (installed.home / "fashion-mnist" / f"{name}.gz").unlink()
    report = install(installed.home, installed.dataset, allow_download=False)
    [action] = [a for a in report.actions if a.changed]
    assert action.word in ("linked", "copied") and "FashionMNIST" in action.what


def test_install_downloads_from_a_mirror_without_debian(synthetic: Synthetic):
    """With no Debian package, does install fetch the archives from the mirror (a file:// URL here)?"""
    synthetic.publish(synthetic.mirror)
    for gz in synthetic.debian.iterdir():
        gz.unlink()
    synthetic.debian.rmdir()
    report = install(synthetic.home, synthetic.dataset)
    assert {a.word for a in report.actions if a.target.canonical and a.target.compressed} == {"downloaded"}
    (x_train, _), _ = load(synthetic)
    np.testing.assert_array_equal(x_train, synthetic.arrays[NAMES["train", "images"]])


def test_truncated_download_never_replaces_a_good_file(installed: Synthetic, tmp_path: Path):
    """Does a download that arrives truncated leave the existing good file untouched and no temporary behind?"""
    name = NAMES["train", "images"]
    target = installed.home / "fashion-mnist" / f"{name}.gz"
    good = target.read_bytes()
    truncated = tmp_path / "truncated.gz"
    truncated.write_bytes(good[: len(good) // 2])
    with pytest.raises(DataError) as caught:
        download(truncated.as_uri(), target, installed.dataset.file("train", "images"))
    assert truncated.as_uri() in str(caught.value)
    assert target.read_bytes() == good
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith(".")) == []


def test_truncated_mirror_leaves_the_home_empty(synthetic: Synthetic):
    """With no Debian package and a mirror serving truncated bytes, does install fail cleanly, writing nothing?"""
    for gz in list(synthetic.debian.iterdir()):
        gz.unlink()

    def truncating_opener(url: str):
        return io.BytesIO(gzip.compress(synthetic.content[url.rsplit("/", 1)[1][:-3]])[:-12])

    with pytest.raises(DataError) as caught:
        install(synthetic.home, synthetic.dataset, opener=truncating_opener)
    message = str(caught.value)
    assert "train-images-idx3-ubyte.gz" in message and "damaged" in message and APT in message and FIX in message
    assert [p for p in synthetic.home.rglob("*") if p.is_file()] == []


def test_offline_without_debian_says_how_to_get_the_data(synthetic: Synthetic):
    """Offline and without Debian's package, is the failure one sentence naming the apt-get and install commands?"""
    for gz in list(synthetic.debian.iterdir()):
        gz.unlink()
    calls = []

    def offline(url: str):
        calls.append(url)
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(DataError) as caught:
        install(synthetic.home, synthetic.dataset, opener=offline)
    message = str(caught.value)
    assert message.startswith("Cannot get the Fashion-MNIST file train-images-idx3-ubyte.gz")
    assert APT in message and FIX in message and "not installed" in message and "Name or service not known" in message
    assert "\n" not in message and message.count(". ") == 0
    assert len(calls) == 1  # an unreachable mirror is not asked again for the next file


def test_a_bad_debian_file_falls_back_to_the_mirror(synthetic: Synthetic):
    """Is a damaged file in Debian's folder skipped in favour of a good download?"""
    name = NAMES["test", "labels"]
    (synthetic.debian / f"{name}.gz").write_bytes(gzip.compress(synthetic.content[name][:-1]))
    synthetic.publish(synthetic.mirror)
    report = install(synthetic.home, synthetic.dataset)
    words = {a.target.file.name: a.word for a in report.actions if a.target.canonical and a.target.compressed}
    assert words[name] == "downloaded" and words[NAMES["train", "images"]] == "Debian"


def test_verify_and_install_commands(synthetic: Synthetic):
    """Does `verify` exit 1 on an empty home and 0 after `install`, which reports 'nothing to do' the second time?"""
    out = io.StringIO()
    console = Console(file=out, width=200)
    assert verify_command(synthetic.home, dataset=synthetic.dataset, console=console) == 1
    assert "20 of 20 files are missing or damaged" in out.getvalue() and FIX in out.getvalue()
    assert install_command(synthetic.home, dataset=synthetic.dataset, console=console) == 0
    out.truncate(0)
    assert install_command(synthetic.home, dataset=synthetic.dataset, console=console) == 0
    assert "nothing to do" in out.getvalue()
    assert verify_command(synthetic.home, dataset=synthetic.dataset, console=console) == 0
    assert "All 20 files are present and verified" in out.getvalue()


def test_cli_reports_an_unwritable_home_in_one_sentence(tmp_path: Path):
    """Does `autograder data install` into an impossible folder print one clear sentence first, not a traceback?"""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {**os.environ, "AUTOGRADER_DATA_HOME": str(blocker / "home"), "COLUMNS": "400"}
    done = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "data", "install"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    first = done.stdout.splitlines()[0]
    assert first.startswith("error: Cannot create the data folder") and "AUTOGRADER_DATA_HOME" in first
    assert "Traceback" not in done.stdout + done.stderr


def test_manifest_is_the_single_source():
    """Does the package read its own autograder/data/fashion-mnist.toml, with four files, ten English and ten Korean class names?"""
    assert FASHION_MNIST.source == REPO_ROOT / "autograder" / "data" / "fashion-mnist.toml"
    assert [f.name for f in FASHION_MNIST.files] == [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ]
    assert CLASS_NAMES[0] == "T-shirt/top" and CLASS_NAMES[9] == "Ankle boot" and len(CLASS_NAMES) == 10
    assert len(CLASS_NAMES_KO) == 10 and CLASS_NAMES_KO[1] == "바지"


def test_bad_manifest_is_a_data_error(tmp_path: Path):
    """Is a manifest lacking an entry reported as one DataError naming the manifest?"""
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\n')
    with pytest.raises(DataError, match="broken.toml"):
        load_manifest(path)


# --- the real data (Debian's dataset-fashion-mnist) -------------------------------------------

DEBIAN_DIR = FASHION_MNIST.debian_dir
needs_debian = pytest.mark.skipif(
    not all((DEBIAN_DIR / f.gz_name).is_file() for f in FASHION_MNIST.files),
    reason=f"Debian's Fashion-MNIST is not installed ({DEBIAN_DIR} is missing); run `{APT}`",
)


@pytest.fixture(scope="module")
def real_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("data-home")
    install(home, allow_download=False)
    return home


@needs_debian
def test_debian_files_match_the_manifest():
    """Does the content of each Debian .gz have exactly the SHA-256 the manifest records?"""
    for file in FASHION_MNIST.files:
        idx_checks.check_gzip(DEBIAN_DIR / file.gz_name, file)


@needs_debian
def test_real_data_shapes_and_label_counts(real_home: Path):
    """Is the real data 60,000 + 10,000 uint8 images of 28x28, with 6,000 / 1,000 of each class?"""
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(real_home)
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert np.bincount(y_train, minlength=10).tolist() == [6000] * 10
    assert np.bincount(y_test, minlength=10).tolist() == [1000] * 10
    assert x_train.max() == 255 and x_train.min() == 0
    assert all(s.ok for s in survey(real_home))


@needs_debian
def test_default_home_comes_from_the_config(real_home: Path, monkeypatch):
    """Does data_home=None follow $AUTOGRADER_DATA_HOME through the configuration?"""
    monkeypatch.setenv("AUTOGRADER_DATA_HOME", str(real_home))
    x_test, y_test = load_split("test")
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert torchvision_root() == real_home and keras_home() == real_home / "keras"


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@needs_debian
def test_torchvision_reads_the_home_offline(real_home: Path):
    """Does torchvision.datasets.FashionMNIST(home, download=False) give exactly our arrays?"""
    out = run_python(
        textwrap.dedent(f"""
        import torch
        torch.set_num_threads(1)
        import numpy as np
        from torchvision.datasets import FashionMNIST
        from autograder.data import load_fashion_mnist, torchvision_root
        ours = load_fashion_mnist({str(real_home)!r})
        root = torchvision_root({str(real_home)!r})
        for train, (x, y) in zip((True, False), ours):
            ds = FashionMNIST(root, train=train, download=False)
            assert np.array_equal(ds.data.numpy(), x) and np.array_equal(ds.targets.numpy(), y), train
        print("same")
    """)
    )
    assert out.strip() == "same"


@needs_debian
def test_keras_reads_the_home_offline(real_home: Path):
    """With KERAS_HOME set, does keras' fashion_mnist.load_data() read the home (never downloading) and match ours?"""
    out = run_python(
        textwrap.dedent(f"""
        import numpy as np
        import keras
        from keras.src.utils import file_utils
        def refuse(*args, **kwargs):
            raise AssertionError("keras tried to download")
        file_utils.urlretrieve = refuse
        from autograder.data import load_fashion_mnist
        theirs = keras.datasets.fashion_mnist.load_data()
        ours = load_fashion_mnist({str(real_home)!r})
        for a, b in zip((*theirs[0], *theirs[1]), (*ours[0], *ours[1])):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        print("same")
    """),
        env={"KERAS_HOME": str(keras_home(real_home)), "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert out.strip().splitlines()[-1] == "same"
