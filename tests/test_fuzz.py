"""Schemathesis throws generated and hostile requests at a live server, from its own /openapi.json.

No response may be a 5xx, and every response must match the schema (status, content type, body).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def test_schemathesis_finds_no_failure(live_server, tmp_path):
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"
    done = subprocess.run(
        [st, "run", f"{live_server}/openapi.json", "--checks", "all", "--workers", "1",
         "--max-examples", "15", "--max-time", "120", "--seed", "1", "--report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:]
