#!/usr/bin/env bash
# Set up, index the corpus and serve the chat: the README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/kzqa index
exec .venv/bin/kzqa serve "$@"
