#!/usr/bin/env bash
# Grades the model references on a GPU machine through the real CLI, with device = "auto" and
# isolation = "auto" (bubblewrap, the GPU's device nodes bound into the sandbox), one grader seed,
# and writes what each result says: the device it trained on, the scored hold-out accuracy, the
# test accuracy, train() seconds, grading seconds and the score.
#
#   scripts/gpu_prepare.sh                        # here, once: fills .gpu/ (wheels, bubblewrap, data)
#   OUT=/some/folder scripts/gpu_check.sh         # there, from the checkout with .gpu/, as root
#
# $OUT gets gpu.md (the table), gpu_check.log (everything printed) and REFERENCE.json (the CLI's
# --json result of each reference). The PyTorch references run by default; the Keras ones join
# when TensorFlow and Keras import. Options: --only LABEL... (mlp-torch cnn-torch lstm-torch
# mlp-keras cnn-keras), --seed N (default 1001, the first seed of scripts/benchmark_models.py).
# Environment: GPU_CHECK_PYTHON (default python3), GPU_DIR (default .gpu), GPU_CHECK_WORK
# (default /tmp/gpu_check), GPU_CHECK_SITE (default /tmp/site), GPU_CHECK_BUDGET (seconds after which
# no reference is started, default 450), GPU_CHECK_PER (seconds for one reference, default 240;
# on a 2-core CPU a model takes longer), GPU_CHECK_BWRAP=carried (use the carried bubblewrap even where the machine
# has one, to try that path). One reference failing never stops the others.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${GPU_CHECK_PYTHON:-python3}
CARRIED=${GPU_DIR:-.gpu}
WORK=${GPU_CHECK_WORK:-/tmp/gpu_check}
SITE=${GPU_CHECK_SITE:-/tmp/site}
BUDGET=${GPU_CHECK_BUDGET:-450}
PER=${GPU_CHECK_PER:-240}
SEED=1001
START=$(date +%s)
# label -> assignment and reference (the same as scripts/benchmark_models.py's REFERENCES)
declare -A ASSIGNMENT=([mlp-torch]=fashion_mlp [cnn-torch]=fashion_cnn [lstm-torch]=sequence_models
                       [mlp-keras]=fashion_mlp [cnn-keras]=fashion_cnn)
declare -A REFERENCE=([mlp-torch]=solutions/10_fashion_mlp/pytorch/fashion_mlp.py
                      [cnn-torch]=solutions/11_fashion_cnn/pytorch/fashion_cnn.py
                      [lstm-torch]=solutions/12_sequence_models/sequence.py
                      [mlp-keras]=solutions/10_fashion_mlp/fashion_mlp.py
                      [cnn-keras]=solutions/11_fashion_cnn/fashion_cnn.py)
LABELS=()
while [ $# -gt 0 ]; do
    case $1 in
        --only) shift; while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do LABELS+=("$1"); shift; done ;;
        --seed) SEED=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1; see scripts/gpu_check.sh --help" >&2; exit 2 ;;
    esac
done
for label in "${LABELS[@]}"; do
    if [ -z "${ASSIGNMENT[$label]:-}" ]; then
        echo "error: no reference $label; choose from: ${!ASSIGNMENT[*]}" >&2
        exit 2
    fi
done

if [ -z "${OUT:-}" ]; then
    echo "error: set OUT to the folder for the results, e.g. OUT=/tmp/gpuout scripts/gpu_check.sh" >&2
    exit 2
fi
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu_check.log") 2>&1
TEE=$!
export PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=2

step() { printf '\n== %s (%d s) %s\n' "$(date +%T)" $(( $(date +%s) - START )) "$*"; }
mkdir -p "$WORK"

step "the machine"
uname -srm
echo "cores: $(nproc); python: $(command -v "$PY") ($("$PY" --version 2>&1)); user: $(id -un)"
if command -v nvidia-smi >/dev/null; then
    nvidia-smi || echo "nvidia-smi failed (exit $?)"
else
    echo "no nvidia-smi on PATH"
fi
ls -l /dev/nvidia* 2>/dev/null || echo "no /dev/nvidia* device nodes: device = \"auto\" will train on the CPU"

step "the kit's Python packages"
export PYTHONPATH=$ROOT
if "$PY" -c 'import autograder.cli, autograder.engine.judge' 2>/dev/null; then
    echo "every package the grading path imports is here already; the carried wheels are not needed"
elif ls "$CARRIED"/wheels/*.whl >/dev/null 2>&1; then
    echo "installing $(ls "$CARRIED"/wheels/*.whl | wc -l) carried wheels into $SITE"
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE" "$CARRIED"/wheels/*.whl \
        || echo "pip could not install the carried wheels (exit $?)"
    export PYTHONPATH=$SITE:$ROOT
else
    echo "packages are missing and $CARRIED/wheels holds no wheels: run scripts/gpu_prepare.sh where the registries are reachable"
fi
"$PY" - <<'EOF' || { echo "error: the kit does not import; nothing can be graded"; exit 1; }
import importlib
import autograder.cli, autograder.engine.judge  # noqa: F401  (the grading path: CLI, config, results, judge)
for name in ("torch", "numpy", "pydantic", "nbformat", "pytest", "psutil", "tensorflow"):
    try:
        module = importlib.import_module(name)
        print(f"{name} {getattr(module, '__version__', '?')}")
    except ImportError as err:
        print(f"{name}: not importable ({err})")
import torch
print(f"torch CUDA {torch.version.cuda}; cuda available: {torch.cuda.is_available()}"
      + (f"; {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else ""))
EOF

step "bubblewrap"
if command -v bwrap >/dev/null && [ "${GPU_CHECK_BWRAP:-}" != carried ]; then
    echo "this machine's own: $(command -v bwrap)"
elif ls "$CARRIED"/deb/bubblewrap_*.deb >/dev/null 2>&1; then
    dpkg -x "$CARRIED"/deb/bubblewrap_*.deb "$WORK/bubblewrap" && export PATH=$WORK/bubblewrap/usr/bin:$PATH
    echo "unpacked the carried package into $WORK/bubblewrap: $(command -v bwrap || echo 'no bwrap in it')"
else
    echo "no bwrap here and none carried: run scripts/gpu_prepare.sh"
fi
bwrap --version 2>&1 || true
echo "setpriv (root gives each child a uid of its own with it): $(command -v setpriv || echo missing)"
"$PY" - <<'EOF'
import os, sys
from autograder.sandbox import probe
found = probe.probe()
print("the kit's probe:", "bubblewrap works" if found.works else found.reason,
      f"(rootless: {found.rootless}, --disable-userns: {found.disable_userns})")
real = os.path.realpath(sys.executable)
print(f"interpreter {sys.executable} -> {real}; prefix {sys.prefix}; base prefix {sys.base_prefix}")
EOF
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    # What a sandboxed child runs as (a uid of its own): can it start this Python and import torch?
    if setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" -I -c 'import numpy, torch' 2>"$WORK/uid.err"; then
        echo "an unprivileged uid can run $PY and import torch"
    else
        echo "an unprivileged uid cannot run $PY with torch (sandboxed children will fail): $(tail -1 "$WORK/uid.err")"
        namei -l "$(readlink -f "$(command -v "$PY")")" 2>/dev/null || true
    fi
fi

step "CUDA as a sandboxed child gets it: a clean environment, a uid of its own, the memory limit"
# What launcher.child_environment gives the child (no LD_LIBRARY_PATH), and the models' memory_mb.
CHILD_ENV=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 CUDA_VISIBLE_DEVICES=0
           CUDA_DEVICE_ORDER=PCI_BUS_ID OMP_NUM_THREADS="$(nproc)")
CUDA_PROBE='
import torch
ok = torch.cuda.is_available()
print("cuda available:", ok, end="")
if ok:
    x = torch.randn(256, 1, 28, 28, device="cuda")
    conv, lstm = torch.nn.Conv2d(1, 8, 3).cuda(), torch.nn.LSTM(28, 32, batch_first=True).cuda()
    print(f"; a convolution and an LSTM ran on {torch.cuda.get_device_name(0)}: {conv(x).sum().item() + lstm(x[:, 0])[0].sum().item():.1f}", end="")
print()
'
NOTES=$WORK/notes.md
: >"$NOTES"
cuda_as() {  # cuda_as WHAT [command prefix...]: run the probe with the child's environment
    local what=$1; shift
    printf '%s: ' "$what"
    "$@" "${CHILD_ENV[@]}" "$PY" -I -c "$CUDA_PROBE" 2>"$WORK/cuda.err" || echo "failed: $(tail -1 "$WORK/cuda.err")"
}
echo "this shell's LD_LIBRARY_PATH: ${LD_LIBRARY_PATH:-(none)}; libcuda in the loader's cache: $(ldconfig -p 2>/dev/null | grep -c 'libcuda\.so')"
clean=$(cuda_as "root, clean environment")
echo "$clean"
if ls /dev/nvidia[0-9]* >/dev/null 2>&1 && [[ $clean != *"available: True"* ]] && [ -n "${LD_LIBRARY_PATH:-}" ] \
        && [ "${GPU_CHECK_LDCONFIG:-yes}" = yes ] && [ "$(id -u)" = 0 ]; then
    # The driver's libraries are found through LD_LIBRARY_PATH only, which no sandboxed child inherits.
    tr ':' '\n' <<<"$LD_LIBRARY_PATH" | grep . >/etc/ld.so.conf.d/zz-gpu-check.conf && ldconfig
    echo "registered LD_LIBRARY_PATH's folders with ldconfig (/etc/ld.so.conf.d/zz-gpu-check.conf); again:"
    cuda_as "root, clean environment"
    echo "- CUDA was not found by a child with a clean environment until LD_LIBRARY_PATH ($LD_LIBRARY_PATH) was registered with ldconfig; the kit passes no LD_LIBRARY_PATH to the sandbox." >>"$NOTES"
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null; then
    cuda_as "uid 65534, data limit 8192 MB and 64 processes (the models' memory_mb and processes)" \
        prlimit --data=$((8192 << 20)) --nproc=64 -- setpriv --reuid=65534 --regid=65534 --clear-groups
fi

step "Fashion-MNIST into a data home of its own"
mkdir -p "$WORK/data/fashion-mnist"
cp "$CARRIED"/data/fashion-mnist/*.gz "$WORK/data/fashion-mnist/" 2>/dev/null \
    || echo "no archives in $CARRIED/data/fashion-mnist: run scripts/gpu_prepare.sh"
export AUTOGRADER_DATA_HOME=$WORK/data
"$PY" -m autograder.cli data install >"$WORK/data.log" 2>&1 || { echo "data install failed:"; tail -5 "$WORK/data.log"; }
"$PY" -m autograder.cli data verify >"$WORK/verify.log" 2>&1 && echo "verified: $AUTOGRADER_DATA_HOME" \
    || { echo "the data home does not verify:"; tail -5 "$WORK/verify.log"; }

step "grading.toml with device = \"auto\" and isolation = \"auto\""
CONFIG=$WORK/grading.toml
sed -E -e 's/^device = "[a-z]+"/device = "auto"/' -e 's/^isolation = "[a-z]+"/isolation = "auto"/' grading.toml >"$CONFIG"
"$PY" - "$CONFIG" <<'EOF' || { echo "error: the configuration copy is not right"; exit 1; }
import sys
from autograder.config import load_config
from autograder.devices import gpus
config = load_config(sys.argv[1])
assert (config.course.device, config.course.isolation) == ("auto", "auto"), (config.course.device, config.course.isolation)
print(f"{sys.argv[1]}: device = auto resolves to {'cuda' if gpus() else 'cpu'} here (GPUs: {gpus()}); "
      f"isolation = auto; data home {config.data_home}")
EOF

if [ ${#LABELS[@]} -eq 0 ]; then
    LABELS=(mlp-torch cnn-torch lstm-torch)
    if "$PY" -c 'import tensorflow, keras' 2>/dev/null; then
        LABELS+=(mlp-keras cnn-keras)
    else
        echo "TensorFlow/Keras do not import here: the Keras references are left out"
    fi
fi

step "the sandbox and the judge on a quick numeric assignment (activations)"
if "$PY" -m autograder.cli --config "$CONFIG" grade -a activations solutions/01_activations/activations.py \
        --language en --json "$WORK/activations.json" >"$WORK/activations.log" 2>&1; then
    "$PY" - "$WORK/activations.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"activations: {r['score']:g}/{r['max_score']:g} in {r['execution_time']:.1f} s; {r['isolation']}")
EOF
else
    echo "activations failed (exit $?):"; tail -20 "$WORK/activations.log"
fi

WALLS=$WORK/walls.tsv
: >"$WALLS"
for label in "${LABELS[@]}"; do
    left=$(( BUDGET - ($(date +%s) - START) ))
    if [ "$left" -lt 30 ]; then
        step "$label: skipped, the run's budget of $BUDGET s is spent"
        printf '%s\t%s\t%s\n' "$label" "-" "skipped: budget spent" >>"$WALLS"
        continue
    fi
    limit=$(( left < PER ? left : PER ))
    step "$label: grading ${REFERENCE[$label]} as ${ASSIGNMENT[$label]}, seed $SEED (at most $limit s)"
    rm -f "$OUT/$label.json"
    began=$(date +%s.%N)
    "$PY" - "$limit" "$PY" -m autograder.cli --config "$CONFIG" grade -a "${ASSIGNMENT[$label]}" "${REFERENCE[$label]}" \
        --seed "$SEED" --language en --json "$OUT/$label.json" <<'EOF'
# Run the command for at most LIMIT seconds (exit 124 past it), then end whatever it left behind:
# its judges run in sessions of their own and would go on training beside the next reference.
import ctypes, subprocess, sys
import psutil
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans of the command become ours
command = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
try:
    code = command.wait(timeout=float(sys.argv[1]))
except subprocess.TimeoutExpired:
    print(f"stopped after {sys.argv[1]} s", flush=True)
    command.terminate()
    try:
        command.wait(timeout=10)
    except subprocess.TimeoutExpired:
        command.kill()
        command.wait()
    code = 124
left = psutil.Process().children(recursive=True)
for process in left:
    try:
        process.kill()
    except psutil.Error:
        pass
psutil.wait_procs(left, timeout=30)
if left:
    print(f"ended {len(left)} processes the command left behind", flush=True)
sys.exit(code)
EOF
    code=$?
    wall=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    echo "$label: exit $code, $wall s of wall-clock time for the whole command"
    printf '%s\t%s\t%s\n' "$label" "$wall" "exit $code" >>"$WALLS"
done

step "the table: $OUT/gpu.md"
"$PY" - "$OUT" "$WALLS" "$SEED" "$NOTES" <<'EOF'
import json, platform, re, sys
from pathlib import Path

out, walls, seed, notes = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]).read_text()
patterns = {"test": r"test accuracy ([\d.]+) %", "holdout": r"training images kept aside ([\d.]+) %",
            "train": r"train\(\) took ([\d.]+) s", "model": r"trainable parameters on ([\w:]+)"}
try:
    import torch
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no CUDA device"
    versions = f"torch {torch.__version__} (CUDA {torch.version.cuda})"
except Exception as err:  # the table is written whatever happened
    gpu, versions = f"torch unavailable ({err})", ""
rows = ["| reference | device (result) | model on | hold-out (scored) | test | train() s | grading s | command s | score | problems |",
        "|---|---|---|---|---|---|---|---|---|---|"]
for line in walls.read_text().splitlines():
    label, wall, status = line.split("\t")
    path = out / f"{label}.json"
    if not path.exists():
        rows.append(f"| {label} | - | - | - | - | - | - | {wall} | - | no result ({status}) |")
        continue
    result = json.loads(path.read_text())
    note = " ".join(result.get("notes", []))
    found = {key: re.search(pattern, note) for key, pattern in patterns.items()}
    figure = lambda key, unit="": f"{found[key].group(1)}{unit}" if found[key] else "-"
    problems = [t.get("output", "") for t in result.get("tests", []) if t.get("status") != "passed"][:2]
    problems += result.get("internal_errors", [])[:1] + ([result["grader_failure"]] if result.get("grader_failure") else [])
    problem = "; ".join(" ".join(str(p).split())[:160] for p in problems).replace("|", "/") or "-"
    rows.append(f"| {label} | {(result.get('graded_on') or {}).get('device', '-')} | {figure('model')} | {figure('holdout', ' %')} | "
                f"{figure('test', ' %')} | {figure('train')} | {result.get('execution_time', 0):.1f} | {wall} | "
                f"{result.get('score', 0):g}/{result.get('max_score', 0):g} | {problem} |")
text = (f"# Model references graded on {gpu}\n\n{platform.node()}, {versions}, Python {platform.python_version()}, "
        f"grader seed {seed}, device = \"auto\", isolation = \"auto\" (scripts/gpu_check.sh)\n\n" + "\n".join(rows) + "\n"
        + (f"\nWhat the machine needed:\n\n{notes}" if notes.strip() else ""))
(out / "gpu.md").write_text(text, encoding="utf-8")
print(text)
EOF
step "done"
exec >&- 2>&-
wait "$TEE"
