#!/usr/bin/env bash
# Fills .gpu/ (ignored by git) with what scripts/gpu_check.sh needs on a GPU machine that has
# Python 3.12, torch and CUDA but no network: wheels of the kit's own packages that machine
# lacks, Debian's bubblewrap, and the four Fashion-MNIST archives. Run it here, where the
# package registries and the data home are reachable; then carry .gpu/ to the GPU machine
# with the checkout and run scripts/gpu_check.sh there (docs/instructors.md, "Devices and measured thresholds").
#
#   scripts/gpu_prepare.sh
#
# GPU_PYTHON_VERSION (default 3.12) is the GPU machine's Python; GPU_DIR (default .gpu) the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEST=${GPU_DIR:-.gpu}
PYVER=${GPU_PYTHON_VERSION:-3.12}
PYTHON=${PYTHON:-.venv/bin/python}
# What the grading path (autograder.cli grade: config, results, judge, sandbox, suites, picking a
# submission) imports beyond the packages the GPU machine's image already has (the device README's
# KINDS.md lists them): pydantic and its needs, and nbformat (autograder.course.selfcheck, which
# picking a submission imports) with its needs. typing_extensions is there too, but pydantic needs a
# recent one. Versions come from requirements.lock.
PACKAGES=(pydantic pydantic_core annotated-types typing-inspection typing_extensions
          nbformat fastjsonschema jsonschema jsonschema-specifications referencing rpds-py
          traitlets jupyter_core platformdirs)

step() { printf '== %s\n' "$*"; }

mkdir -p "$DEST/wheels" "$DEST/deb" "$DEST/data/fashion-mnist"
rm -f "$DEST"/wheels/*.whl "$DEST"/deb/*.deb

pins=()
for name in "${PACKAGES[@]}"; do
    pattern="^$(printf '%s' "$name" | sed 's/[-_.]/[-_.]/g')=="
    pin=$(grep -iE "$pattern" requirements.lock | head -1 || true)
    if [ -z "$pin" ]; then
        echo "error: $name is not pinned in requirements.lock; pin it (make setup) or drop it from scripts/gpu_prepare.sh." >&2
        exit 1
    fi
    pins+=("$pin")
done

step "wheels for Python $PYVER on x86-64 Linux: ${pins[*]}"
"$PYTHON" -m pip download -q --no-deps --only-binary=:all: --python-version "$PYVER" --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d "$DEST/wheels" "${pins[@]}"
ls -1 "$DEST/wheels"

step "Debian's bubblewrap (unpacked into a folder on the GPU machine when it has no bwrap of its own)"
if ! (cd "$DEST/deb" && apt-get download -q bubblewrap >/dev/null 2>&1); then
    echo "   apt-get download failed; reading the package lists once (apt-get update) and trying again"
    apt-get update -qq
    (cd "$DEST/deb" && apt-get download -q bubblewrap)
fi
ls -1 "$DEST/deb"

step "Fashion-MNIST: the four archives of the data home (checked against autograder/data/fashion-mnist.toml)"
PYTHONPATH=$ROOT "$PYTHON" -m autograder.cli data verify >/dev/null \
    || { echo "error: the data home is incomplete; run \`.venv/bin/autograder data install\` first." >&2; exit 1; }
home=$(PYTHONPATH=$ROOT "$PYTHON" -c 'from autograder.config import load_config; print(load_config().data_home)')
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    cp "$home/fashion-mnist/$name.gz" "$DEST/data/fashion-mnist/$name.gz"
done
ls -1 "$DEST/data/fashion-mnist"

step "sizes (the whole working tree that travels must stay under 64 MiB)"
carried=$(du -sb "$DEST" | cut -f1)
tracked=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
untracked=$( (git ls-files -z --others --exclude-standard | xargs -0 -r du -cb 2>/dev/null || true) | tail -1 | cut -f1)
total=$((carried + tracked + ${untracked:-0}))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "   $DEST: $(mib "$carried"); tracked files: $(mib "$tracked"); untracked, not ignored: $(mib "${untracked:-0}"); together: $(mib "$total")"
if [ "$total" -gt $((60 * 1048576)) ]; then
    echo "error: together over 60 MiB: too close to the 64 MiB that can travel." >&2
    exit 1
fi
echo "ready: carry $DEST with the checkout, then run scripts/gpu_check.sh on the GPU machine"
