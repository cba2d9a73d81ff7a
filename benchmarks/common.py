"""What every benchmark shares: result rows, percentiles, the machine, the questions, a live server."""

from __future__ import annotations

import json
import os
import platform
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    target: str = ""
    met: str = ""  # "yes", "**no**" or "" when there is no target


def check(ok: bool) -> str:
    return "yes" if ok else "**no**"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def p50_p95(seconds: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (linear interpolation), in seconds."""
    return float(np.percentile(seconds, 50)), float(np.percentile(seconds, 95))


def table(rows: list[Row]) -> str:
    lines = ["| figure | value | target | met? |", "| --- | --- | --- | --- |"]
    lines += [f"| {r.figure} | {r.value} | {r.target} | {r.met} |" for r in rows]
    return "\n".join(lines)


def own_questions() -> list[str]:
    """The first turn of every case of eval/own.jsonl."""
    return [json.loads(line)["turns"][0] for line in (ROOT / "eval" / "own.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]


def english_questions() -> list[str]:
    """The questions of eval/own.jsonl written in English (no Cyrillic)."""
    return [q for q in own_questions() if not CYRILLIC.search(q)]


def other_language_questions() -> list[str]:
    """The questions of eval/own.jsonl written in Russian or Kazakh."""
    return [q for q in own_questions() if CYRILLIC.search(q)]


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS, VmHWM... of a process from /proc/<pid>/status, in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key.startswith("Vm") and rest.strip().endswith("kB"):
            fields[key] = int(rest.split()[0])
    return fields


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, {platform.system()} {platform.release()}"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def git_commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", "src",
                            "benchmarks"], capture_output=True, text=True).stdout.strip()
    return done.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kzqa_env(index_dir: Path, data_dir: Path) -> dict[str, str]:
    return os.environ | {"KZQA_CORPUS_DIR": str(CORPUS), "KZQA_INDEX_DIR": str(index_dir),
                         "KZQA_WEB_DIR": str(ROOT / "web"), "KZQA_DATA_DIR": str(data_dir),
                         "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def kzqa_index(env: dict[str, str]) -> None:
    """`kzqa index`, as a user runs it."""
    subprocess.run([sys.executable, "-m", "kzqa.cli", "index", "--quiet"], env=env, cwd=ROOT, check=True,
                   capture_output=True, text=True)


@dataclass
class Server:
    base: str
    pid: int
    log: Path


@contextmanager
def serve(env: dict[str, str], log: Path) -> Iterator[Server]:
    """`kzqa serve` in its own process on 127.0.0.1 and a free port, stdout and stderr into ``log``."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kzqa.cli", "serve", "--port", str(port)], env=env,
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kzqa serve did not come up; see {log}")
                time.sleep(0.3)
            yield Server(base, proc.pid, log)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
