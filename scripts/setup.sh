#!/usr/bin/env bash
# Create .venv and install kzqa into it. Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# The CPU build of torch goes in first: otherwise sentence-transformers pulls a CUDA build of several GB.
.venv/bin/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0"
extras=${KZQA_EXTRAS:-}
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
