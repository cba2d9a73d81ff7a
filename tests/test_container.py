"""The container: the Dockerfile passes hadolint and keeps the properties the image relies on.
Building and running the image is scripts/container-smoke.sh (run by .ci/run where podman is available)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    # pytest runs from .venv/bin/python without the venv on PATH: look beside the interpreter first.
    exe = Path(sysconfig.get_path("scripts")) / "hadolint"
    found = str(exe) if exe.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: it comes with the test extra (pip install -e '.[test]')"
    return subprocess.run([found, "--no-color", str(path)], capture_output=True, text=True, timeout=60)


def instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_dockerfile_is_hadolint_clean():
    result = hadolint(DOCKERFILE)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_hadolint_does_reject_a_bad_dockerfile(tmp_path: Path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y curl\nADD . /app\nCMD python app.py\n")
    result = hadolint(bad)
    assert result.returncode != 0
    for rule in ("DL3007", "DL3008", "DL3020", "DL3025"):  # latest tag, unpinned apt, ADD for files, shell CMD
        assert rule in result.stdout


def test_the_image_installs_dependencies_before_code_and_builds_the_index():
    lines = instructions()

    def first(pattern: str) -> int:
        found = [i for i, line in enumerate(lines) if re.search(pattern, line)]
        assert found, f"no instruction matches {pattern!r}"
        return found[0]

    assert lines[first(r"^ARG BASE_IMAGE=")] == "ARG BASE_IMAGE=python:3.11-slim"
    assert first(r"^ARG BASE_IMAGE=") < first(r"^FROM \$\{BASE_IMAGE\}$")
    assert first(r"^COPY pyproject\.toml ") < first(r"^RUN .*pip install .*\.") < first(r"^COPY src ")
    assert first(r"^COPY src ") < first(r"^RUN .*kzqa index")
    assert first(r"^COPY corpus ") < first(r"^RUN .*kzqa index")
    assert not any("torch" in line for line in lines)


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck():
    lines = instructions()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("0", "root")
    assert any(line.startswith("HEALTHCHECK ") and "/healthz" in line for line in lines)
    assert lines[-1] == 'CMD ["kzqa", "serve", "--host", "0.0.0.0", "--port", "8000"]'


def test_the_build_context_leaves_out_local_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".git", "embeddings", "data", "test-artifacts", ".env"} <= ignored


def test_the_smoke_script_refuses_unknown_arguments():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "container-smoke.sh"), "--bogus"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "unknown argument '--bogus'" in result.stderr
