#!/usr/bin/env bash
# One idempotent set-up for a fresh Debian/Ubuntu machine with Python 3.11:
# system packages (real Fashion-MNIST, bubblewrap), the pinned .venv, and the verified
# data home. A second run checks stamps and returns in seconds without changing anything.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. Python 3.11, then the system packages: Debian ships the real Fashion-MNIST, the
#    sandbox tool, a Korean font and the browser the page tests drive, and keeps venv
#    (ensurepip) in a package of its own.
#    Debian's own /usr/bin/python3.11 comes first: every user can run it, so the same .venv
#    serves an ordinary account and the sandbox's other uids (a Python under a home only its
#    owner can enter, such as pyenv's under /root, serves nobody else).
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in /usr/bin/python3.11 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY=$candidate; break; fi
  done
fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Python 3.11 is required (found $("$PY" --version 2>&1)); install python3.11 and run again." >&2
  exit 1
fi
want=()
dpkg -s dataset-fashion-mnist >/dev/null 2>&1 || want+=(dataset-fashion-mnist)
command -v bwrap >/dev/null 2>&1 || want+=(bubblewrap)
dpkg -s fonts-nanum >/dev/null 2>&1 || want+=(fonts-nanum)            # Korean glyphs in the feedback plots
command -v chromium >/dev/null 2>&1 || want+=(chromium)               # the page tests look at the HTML as a person would
command -v chromedriver >/dev/null 2>&1 || want+=(chromium-driver)
[ -x .venv/bin/python ] || "$PY" -c 'import ensurepip' >/dev/null 2>&1 || want+=(python3.11-venv)
if [ ${#want[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing ${want[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${want[@]}" >/dev/null
  else
    say "not root or no apt-get: skipping ${want[*]} (run 'sudo apt-get install ${want[*]}' for real data and the sandbox)"
  fi
fi
# JupyterHub's proxy for the multi-user course (tests/test_hub_course.py skips without it) comes from npm.
# Only as root; nothing here can stop the set-up.
if ! command -v configurable-http-proxy >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }; } >/dev/null 2>&1 || true
  fi
  if command -v npm >/dev/null 2>&1; then
    say "installing configurable-http-proxy with npm (JupyterHub's proxy)"
    npm install -g --silent configurable-http-proxy >/dev/null 2>&1 || say "could not install configurable-http-proxy: the hub test will skip"
  fi
fi
# A one-node Slurm (tests/test_slurm_cluster.py runs docs/clusters.md's SLURMCluster recipe on it, and skips
# without it). Only as root with apt-get; nothing here can stop the set-up.
if ! dpkg -s slurm-wlm munge >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  say "installing slurm-wlm and munge with apt-get (a one-node Slurm for the cluster test)"
  slurm=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge)
  { "${slurm[@]}" || { apt-get update -q && "${slurm[@]}"; }; } >/dev/null 2>&1 \
    || say "could not install slurm-wlm and munge: the Slurm test will skip"
fi

# 2. The virtual environment, rebuilt only when the pins change. It holds the grader and its
#    runtime dependencies plus the `test` and `dev` groups (selenium for the page tests; ruff,
#    mypy, import-linter), since `make test` and CI run from it. A grading-only install
#    (Gradescope's) is `pip install -c requirements.lock -e .`.
[ -x .venv/bin/python ] || { say "creating .venv"; "$PY" -m venv .venv; }
stamp=.venv/.setup-stamp
want_stamp=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-64)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ] || [ ! -x .venv/bin/autograder ]; then
  say "installing pinned dependencies into .venv (first run takes several minutes)"
  log=.venv/setup-pip.log
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -c requirements.lock -e ".[test,dev]"; } >"$log" 2>&1; then
    grep -v "^WARNING: Location" "$log" | tail -20 >&2
    echo "Installing the Python dependencies failed; the full log is in $log." >&2
    exit 1
  fi
  echo "$want_stamp" > "$stamp"
fi

# 3. The data home: verified Fashion-MNIST in every layout the course uses. Output goes to
#    a log first so that, on failure, the first line printed is the one-sentence reason.
log=.venv/setup-data.log
color=()
[ -t 1 ] && color=(env FORCE_COLOR=1)
if ! COLUMNS=${COLUMNS:-120} "${color[@]}" .venv/bin/autograder data install >"$log" 2>&1; then
  reason=$(sed -n '/^error: /,$p' "$log" | sed 's/^error: //' | tr -s '\n ' ' ' | sed 's/ $//')
  if [ -n "$reason" ]; then
    echo "$reason" >&2
  else
    echo "Preparing the Fashion-MNIST data home failed unexpectedly; the output follows (also in $log)." >&2
    tail -20 "$log" >&2
  fi
  exit 1
fi
cat "$log"
