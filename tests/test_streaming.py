"""A program asks for a streamed answer and gets the same citations, in pieces, then the whole."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from kzqa import stream as streaming
from kzqa.api import create_app

QUESTION = {"role": "user", "content": "What did Borrell promise Kazakhstan?"}


@pytest.fixture(scope="module")
def client(service):
    with TestClient(create_app(service=service)) as c:
        yield c


def events(text: str) -> list[tuple[str, dict]]:
    """Parse a text/event-stream body into (event, data) pairs."""
    parsed = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        parsed.append((fields.get("event", "message"), json.loads(fields["data"])))
    return parsed


def test_a_streamed_answer_sends_citations_then_pieces_then_the_whole_response(client):
    plain = client.post("/api/chat", json={"messages": [QUESTION]}).json()
    reply = client.post("/api/chat", json={"messages": [QUESTION], "stream": True})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/event-stream")
    stream = events(reply.text)
    names = [name for name, _ in stream]
    assert names[0] == "citations" and names[-1] == "done" and set(names[1:-1]) == {"delta"}
    first, done = stream[0][1], stream[-1][1]
    assert "".join(data["text"] for name, data in stream if name == "delta") == done["answer"]
    # same citations and numbering in both modes, and the final event is the non-streamed JSON
    assert first["citations"] == done["citations"] == plain["citations"]
    assert done["answer"] == plain["answer"]
    assert set(done) == set(plain) and done["message_id"] == first["message_id"]
    # the headers, which arrive before any event, already name where the turn is saved
    assert reply.headers["x-conversation-id"] == done["conversation_id"] == first["conversation_id"]
    assert reply.headers["x-message-id"] == done["message_id"]


def test_a_failure_mid_stream_ends_with_an_error_event(client, monkeypatch):
    def broken(text):
        yield "According to"
        raise RuntimeError("the connection to the model broke")

    monkeypatch.setattr(streaming, "answer_pieces", broken)
    reply = client.post("/api/chat", json={"messages": [QUESTION], "stream": True})
    stream = events(reply.text)
    assert [name for name, _ in stream] == ["citations", "delta", "error"]
    error = stream[-1][1]
    assert error["status"] == 500 and error["code"] == "stream_failed" and "Traceback" not in error["detail"]


def test_a_streamed_request_with_a_bad_question_is_an_ordinary_problem(client):
    reply = client.post("/api/chat", json={"messages": [{"role": "user", "content": " "}], "stream": True})
    assert reply.status_code == 422 and reply.json()["code"] == "empty_question"
