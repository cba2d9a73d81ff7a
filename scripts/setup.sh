#!/usr/bin/env bash
# Create .venv and install kzqa into it. Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# This machine's pip configuration warns about every missing local index folder: keep the noise out.
quiet() { "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
# The CPU build of torch goes in first: otherwise sentence-transformers pulls a CUDA build of several GB.
quiet .venv/bin/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0"
extras=${KZQA_EXTRAS:-minilm}
quiet .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
