"""Running kzqa for real: request logs with ids, Prometheus metrics, admin key, index reload while serving."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from dataclasses import replace

import httpx
import pytest
from conftest import CORPUS, free_port, kzqa_env, run_kzqa, start_server
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from kzqa.api import create_app

QUESTION = {"messages": [{"role": "user", "content": "Until what year is Tokayev set to remain in office?"}]}


@pytest.fixture
def client(service):
    with TestClient(create_app(service=service)) as c:
        yield c


@pytest.fixture
def admin_client(service):
    keyed = replace(service, settings=service.settings.model_copy(update={"admin_key": "s3cret"}))
    with TestClient(create_app(service=keyed)) as c:
        yield c


def samples(client: TestClient) -> dict[tuple[str, tuple], float]:
    """/metrics as {(sample name, sorted labels): value}."""
    reply = client.get("/metrics")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(reply.text) for s in family.samples}


def test_each_request_logs_one_line_with_its_id_status_and_time(client, caplog):
    with caplog.at_level(logging.INFO, logger="kzqa.access"):
        given = client.post("/api/chat", json=QUESTION, headers={"X-Request-ID": "trace-42"})
        fresh = client.get("/api/documents/nope", headers={"X-Request-ID": "not a token; <script>"})
    lines = [r for r in caplog.records if r.name == "kzqa.access"]
    assert len(lines) == 2
    assert given.headers["x-request-id"] == "trace-42" == lines[0].request_id
    assert (lines[0].method, lines[0].path, lines[0].status) == ("POST", "/api/chat", 200)
    assert lines[0].duration_ms > 0
    # an id that is not a short token is replaced, not echoed into logs and headers
    assert fresh.headers["x-request-id"] == lines[1].request_id != "not a token; <script>"
    assert (lines[1].status, lines[1].route) == (404, "/api/documents/{doc_id}")


def test_metrics_count_requests_by_route_and_time_retrieval_and_answers(client, service):
    before = samples(client)
    for _ in range(3):
        assert client.post("/api/chat", json=QUESTION).status_code == 200
    client.get("/no/such/page/123")
    assert client.get("/static/app.js").status_code == 200
    too_big = client.post("/api/chat", content=b" " * (service.settings.max_body_bytes + 1),
                          headers={"content-type": "application/json"})
    assert too_big.status_code == 413
    after = samples(client)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("kzqa_requests_total", method="POST", route="/api/chat", status="200") == 3
    assert grew("kzqa_request_seconds_count", method="POST", route="/api/chat") == 4  # the three and the 413
    assert grew("kzqa_retrieval_seconds_count") == 3 and grew("kzqa_answer_seconds_count") == 3
    assert 0 < grew("kzqa_retrieval_seconds_sum") < grew("kzqa_answer_seconds_sum")
    # unknown paths share one label: a client cannot create a series per path
    assert grew("kzqa_requests_total", method="GET", route="unmatched", status="404") == 1
    assert not any("/no/such" in str(labels) for _, labels in after)
    # the page's own files are counted under their mount, not as unknown paths
    assert grew("kzqa_requests_total", method="GET", route="/static", status="200") == 1
    # each reload outcome is there from the start, at 0
    assert {labels for name, labels in after if name == "kzqa_index_reloads_total"} >= {
        (("outcome", o),) for o in ("done", "unchanged", "refused")}
    # a body refused before routing still counts for the route it was sent to
    assert grew("kzqa_requests_total", method="POST", route="/api/chat", status="413") == 1
    assert after[("kzqa_index_chunks", ())] == len(service.retriever.index.chunks)
    assert after[("kzqa_index_documents", ())] == len(service.retriever.index.documents)


def test_admin_endpoints_are_off_without_a_key_and_refuse_a_missing_or_wrong_key(client, admin_client):
    off = client.post("/admin/reload", headers={"Authorization": "Bearer anything"})
    assert (off.status_code, off.json()["code"]) == (403, "admin_disabled")
    assert "KZQA_ADMIN_KEY" in off.json()["detail"]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
        refused = admin_client.post("/admin/reload", headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (401, "admin_key_required")
        assert refused.headers["www-authenticate"] == "Bearer"
    done = admin_client.post("/admin/reload", headers={"Authorization": "Bearer s3cret"})
    assert done.status_code == 200 and done.json()["reloaded"] is False  # the same index is on disk
    reloads = {labels: value for (name, labels), value in samples(admin_client).items()
               if name == "kzqa_index_reloads_total"}
    assert reloads.get((("outcome", "unchanged"),)) == 1 and not reloads.get((("outcome", "done"),))


def test_serve_writes_json_log_lines_when_asked(settings, service, tmp_path):
    with start_server(kzqa_env(settings, KZQA_LOG_FORMAT="json"), port := free_port(), tmp_path) as base:
        httpx.post(base + "/api/chat", json=QUESTION, headers={"X-Request-ID": "json-1"}, timeout=60)
    lines = [json.loads(line) for line in (tmp_path / f"serve-{port}.log").read_text().splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "kzqa.access" and line["path"] == "/api/chat"]
    assert len(access) == 1
    assert access[0] | {"time": None, "duration_ms": None} == access[0] | {
        "level": "INFO", "method": "POST", "status": 200, "request_id": "json-1", "time": None, "duration_ms": None}
    assert any(line["logger"].startswith("uvicorn") for line in lines)  # the server's own lines are JSON too
    assert any(line["logger"] == "kzqa.cli" and line["url"] == base + "/" for line in lines)  # where to open it


def test_a_new_document_is_served_after_kzqa_index_reload_without_dropping_a_request(settings, tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    documents = sorted(CORPUS.glob("*.md"))
    newcomer = next(p for p in documents if p.name.startswith("politnavigator"))
    for path in documents:
        if path != newcomer:
            shutil.copy(path, corpus / path.name)
    env = kzqa_env(settings, KZQA_CORPUS_DIR=str(corpus), KZQA_INDEX_DIR=str(index_dir),
                   KZQA_DATA_DIR=str(tmp_path / "data"), KZQA_ADMIN_KEY="s3cret")
    assert run_kzqa("index", "--quiet", env=env).returncode == 0

    with start_server(env, free_port(), tmp_path) as base:
        statuses: list[int] = []
        stop = threading.Event()

        def keep_asking() -> None:  # a reader chatting all through the rebuild and the swap
            with httpx.Client(base_url=base, timeout=60) as http:
                while not stop.is_set():
                    statuses.append(http.post("/api/chat", json=QUESTION).status_code)

        reader = threading.Thread(target=keep_asking)
        reader.start()
        try:
            shutil.copy(newcomer, corpus / newcomer.name)
            # the build shares the 2 cores with the server answering without pause: allow it 4x its time alone
            done = run_kzqa("index", "--quiet", "--reload", base, env=env, timeout=600)
        finally:
            stop.set()
            reader.join()
        assert done.returncode == 0, done.stderr
        assert "now serves 5 documents" in done.stdout
        assert len(statuses) > 10 and set(statuses) == {200}
        assert httpx.get(base + "/healthz").json()["documents"] == 5
        who = httpx.post(base + "/api/chat", timeout=60, json={"messages": [
            {"role": "user", "content": "According to PolitNavigator, why was the election held early?"}]}).json()
        assert who["answered"] and {c["outlet"] for c in who["citations"]} == {"PolitNavigator"}


def test_a_reload_of_a_damaged_index_is_refused_and_the_old_one_keeps_serving(settings, tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    env = kzqa_env(settings, KZQA_CORPUS_DIR=str(corpus), KZQA_INDEX_DIR=str(index_dir),
                   KZQA_DATA_DIR=str(tmp_path / "data"), KZQA_ADMIN_KEY="s3cret")
    assert run_kzqa("index", "--quiet", env=env).returncode == 0
    with start_server(env, free_port(), tmp_path) as base:
        live = index_dir / (index_dir / "CURRENT").read_text().strip()
        (live / "chunks.faiss").write_bytes(b"not an index")
        refused = run_kzqa("index", "--reload", base, env=env)  # up to date on paper: only reloads
        assert refused.returncode == 1 and "damaged" in refused.stderr and "kzqa index" in refused.stderr
        still = httpx.post(base + "/api/chat", json=QUESTION, timeout=60)
        assert still.status_code == 200 and still.json()["answered"]
