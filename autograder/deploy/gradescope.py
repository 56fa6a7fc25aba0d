"""A Gradescope autograder zip for one assignment: the same grader, in Gradescope's container.

Gradescope unpacks the zip to /autograder/source, runs `setup.sh` once when it builds the
image and `run_autograder` for every submission, which must leave
/autograder/results/results.json. The zip holds the grader, the configuration, the data
manifest and the settings and hidden suite of the one assignment it grades; never the reference
solutions nor the other assignments' suites. The source folder is made unreadable to
other users at set-up, so even where the container forbids bubblewrap (run_autograder
then chooses isolation "subprocess" on purpose, and every result says so) the student's
process, which runs under a uid of its own, cannot read the hidden tests.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from autograder.assignments import DRIVERS, SETTINGS
from autograder.config import GradingConfig, load_config
from autograder.paths import REPO_ROOT

VENV = "/opt/dl-course-venv"
_ALWAYS = (
    "pyproject.toml",
    "requirements.lock",
    "grading.toml",
    "README.md",
)  # pip reads README.md (pyproject's readme)
_DOCS = "docs"  # the pages README.md links to, so the README that ships is whole
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}

SETUP_SH = f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
cd /autograder/source
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q bubblewrap util-linux python3.11 python3.11-venv || apt-get install -y -q bubblewrap util-linux python3 python3-venv
apt-get install -y -q dataset-fashion-mnist || true   # Debian ships the data; elsewhere it is downloaded below
PY=$(command -v python3.11 || command -v python3)
"$PY" -m venv {VENV}
{VENV}/bin/python -m pip install --upgrade pip
{VENV}/bin/python -m pip install -c requirements.lock -e .
AUTOGRADER_DATA_HOME=/autograder/data {VENV}/bin/autograder data install
chmod -R go-rwx /autograder/source        # students' code runs under another uid: keep hidden tests out of reach
chmod -R go+rX {VENV} /autograder/data    # while the interpreter and the training data stay usable,
find /autograder/data -name 't10k-labels*' -exec chmod go-rwx {{}} +   # but never the test labels
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it must leave results/results.json behind.
set -uo pipefail
mkdir -p /autograder/results
cd /autograder/source
export AUTOGRADER_DATA_HOME=/autograder/data
# Bubblewrap where the container allows namespaces. Where it does not, a plain subprocess
# under a uid of its own, which setup.sh's permissions keep from the hidden tests and the
# test labels; check-sandbox prints why, and every result names the isolation used.
if {venv}/bin/autograder check-sandbox; then ISOLATION=auto; else ISOLATION=subprocess; fi
{venv}/bin/autograder grade /autograder/submission --isolation "$ISOLATION" \\
    --assignment {name} --gradescope /autograder/results/results.json {language}
"""


def package_files(assignment: str, config: GradingConfig) -> dict[str, bytes]:
    """What goes into the zip, by archive name."""
    config.assignment(assignment)  # an unknown name is one clear ConfigError
    files: dict[str, bytes] = {
        name: (REPO_ROOT / name).read_bytes() for name in _ALWAYS if (REPO_ROOT / name).is_file()
    }
    for path in sorted((REPO_ROOT / _DOCS).glob("*.md")):
        files[f"{_DOCS}/{path.name}"] = path.read_bytes()
    package = REPO_ROOT / "autograder"
    for path in sorted(package.rglob("*")):
        if path.is_file() and not _SKIP_PARTS & set(path.parts) and path.suffix != ".pyc":
            files[path.relative_to(REPO_ROOT).as_posix()] = path.read_bytes()
    folder = config.assignment_dir(assignment)  # its settings and hidden suite; never its reference solution
    hidden = config.suite_dir(assignment)
    for path in [folder / SETTINGS, folder / DRIVERS, *(sorted(hidden.rglob("*")) if hidden.is_dir() else [])]:
        if path.is_file() and not _SKIP_PARTS & set(path.parts) and path.suffix != ".pyc":
            files[path.relative_to(config.source.parent).as_posix()] = path.read_bytes()
    for path in sorted((REPO_ROOT / "datasets").glob("*")):
        if path.is_file():
            files[f"datasets/{path.name}"] = path.read_bytes()
    language = f"--language {config.course.language}"
    files["setup.sh"] = SETUP_SH.encode()
    files["run_autograder"] = RUN_AUTOGRADER.format(venv=VENV, name=assignment, language=language).encode()
    return files


def build_package(assignment: str, out: Path, *, config: GradingConfig | None = None) -> Path:
    """Write the zip Gradescope's "Zip file upload" expects, with setup.sh at its root."""
    config = config or load_config()
    files = package_files(assignment, config)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name in ("setup.sh", "run_autograder") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out
