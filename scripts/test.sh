#!/usr/bin/env bash
# Set up with the test tools and run lint and the whole test suite: the README's second command.
set -euo pipefail
cd "$(dirname "$0")/.."
KZQA_EXTRAS=minilm,test bash scripts/setup.sh
# Browser tests drive Debian's Chromium; install it when missing and we may (root, apt present).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed: browser tests will be skipped" >&2
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check src tests
exec .venv/bin/python -m pytest "$@"
