"""Conversations are saved: continued by id, read back, deleted, rated; they survive a restart."""

from __future__ import annotations

import threading

import httpx
import pytest
from fastapi.testclient import TestClient

from kzqa.answer import Message
from kzqa.api import create_app
from kzqa.chat import begin_turn, chat_events, chat_turn
from kzqa.store import ConversationChanged, Store
from tests.conftest import free_port, kzqa_env, start_server


@pytest.fixture(scope="module")
def client(service):
    with TestClient(create_app(service=service)) as c:
        yield c


def ask(client, content: str, conversation_id: str | None = None) -> dict:
    body = {"messages": [{"role": "user", "content": content}]}
    if conversation_id:
        body["conversation_id"] = conversation_id
    reply = client.post("/api/chat", json=body)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_conversation_continues_from_its_id_with_the_history_the_server_keeps(client):
    first = ask(client, "What did New Eastern Outlook say about foreign companies moving to Kazakhstan?")
    conversation_id = first["conversation_id"]
    second = ask(client, "How many of them have already registered?", conversation_id)
    assert second["conversation_id"] == conversation_id
    assert "foreign companies moving to Kazakhstan" in second["query"]  # the stored first turn was used
    assert "50" in second["answer"]

    saved = client.get(f"/api/conversations/{conversation_id}").json()
    assert [m["role"] for m in saved["messages"]] == ["user", "assistant", "user", "assistant"]
    assert saved["messages"][3]["response"] == second
    assert saved["title"].startswith("What did New Eastern Outlook say")
    assert conversation_id in [c["conversation_id"] for c in client.get("/api/conversations").json()["conversations"]]


def test_a_pronoun_in_a_continued_conversation_stands_for_whom_the_stored_answer_named(client):
    # The web page sends only the new question and the id: the stored answer is what "his" is read from.
    first = ask(client, "Who was arrested with his two deputies after the January riots were suppressed?")
    second = ask(client, "Which country asked for his extradition?", first["conversation_id"])
    assert second["query"] == "Which country asked for Masimov's extradition?"
    assert "Hungary" in second["answer"]


def test_a_follow_up_from_a_tab_that_missed_a_turn_is_refused_and_nothing_is_saved(client):
    # Two tabs show the same conversation; one asks on, the other has not seen that turn.
    first = ask(client, "Who is Gaziz Abishev?")
    cid, seen = first["conversation_id"], first["message_id"]
    ask(client, "What did New Eastern Outlook say about foreign companies moving to Kazakhstan?", cid)  # tab A
    for stream in (False, True):  # tab B, which still shows only the first answer
        stale = client.post("/api/chat", json={"messages": [{"role": "user", "content": "How many of them?"}],
                                               "conversation_id": cid, "last_message_id": seen, "stream": stream})
        assert stale.status_code == 409 and stale.headers["content-type"] == "application/problem+json"
        assert stale.json()["code"] == "conversation_changed" and cid in stale.json()["detail"]
    assert len(client.get(f"/api/conversations/{cid}").json()["messages"]) == 4  # nothing saved

    latest = client.get(f"/api/conversations/{cid}").json()["messages"][-1]["message_id"]  # tab B reads it again
    reply = client.post("/api/chat", json={"messages": [{"role": "user", "content": "How many of them?"}],
                                           "conversation_id": cid, "last_message_id": latest})
    assert reply.status_code == 200 and reply.json()["conversation_id"] == cid


def test_a_turn_saved_by_another_tab_while_this_one_is_answered_is_not_overwritten(client, service):
    first = ask(client, "Who is Gaziz Abishev?")
    cid = first["conversation_id"]
    question = [Message("user", "What does he say about Russia?")]
    # tab B's question passes the check and is being answered (non-streamed, then streamed) ...
    for stream in (False, True):
        latest = client.get(f"/api/conversations/{cid}").json()["messages"][-1]["message_id"]
        turn = begin_turn(service, question, cid, latest)
        ask(client, "Who is Yury Solozobov?", cid)  # ... when tab A's turn is saved
        before = len(client.get(f"/api/conversations/{cid}").json()["messages"])
        if stream:
            events = b"".join(chat_events(service, turn, None)).decode()
            assert "event: error" in events and '"code": "conversation_changed"' in events
            assert "event: done" not in events
        else:
            with pytest.raises(ConversationChanged):
                chat_turn(service, turn, None)
        assert len(client.get(f"/api/conversations/{cid}").json()["messages"]) == before  # B's turn not saved


def test_an_answer_id_that_is_none_of_the_conversation_is_unknown_and_empty_means_none_yet(client, service):
    cid = ask(client, "Who is Gaziz Abishev?")["conversation_id"]
    body = {"messages": [{"role": "user", "content": "Who won?"}], "conversation_id": cid}
    reply = client.post("/api/chat", json=body | {"last_message_id": "nope"})
    assert reply.status_code == 404 and reply.json()["code"] == "unknown_id"
    reply = client.post("/api/chat", json=body | {"last_message_id": ""})  # "I show no answer": it has one
    assert reply.status_code == 409 and reply.json()["code"] == "conversation_changed"

    empty = service.store.create("Who won?")  # a conversation whose first answer is not saved yet
    reply = client.post("/api/chat", json=body | {"conversation_id": empty, "last_message_id": ""})
    assert reply.status_code == 200 and reply.json()["conversation_id"] == empty


def test_the_list_holds_conversations_with_an_answer_not_a_first_question_cut_off(client, service):
    cut_off = service.store.create("Who is Kazbek Beisebayev?")  # the tab closed before the first answer
    listed = [c["conversation_id"] for c in client.get("/api/conversations?limit=500").json()["conversations"]]
    assert cut_off not in listed
    body = {"messages": [{"role": "user", "content": "Who is Kazbek Beisebayev?"}], "conversation_id": cut_off,
            "last_message_id": ""}
    assert client.post("/api/chat", json=body).status_code == 200  # asked again there (the page reloaded)
    listed = [c["conversation_id"] for c in client.get("/api/conversations").json()["conversations"]]
    assert listed[0] == cut_off


def test_last_message_id_without_its_conversation_is_unknown(client):
    reply = client.post("/api/chat", json={"messages": [{"role": "user", "content": "Who won?"}],
                                           "last_message_id": "abc"})
    assert reply.status_code == 404 and reply.json()["code"] == "unknown_id"
    assert "conversation_id" in reply.json()["detail"]
    reply = client.post("/api/chat", json={"messages": [{"role": "user", "content": "Who won?"}],
                                           "last_message_id": ""})  # none seen: a new conversation, as without it
    assert reply.status_code == 200 and reply.json()["conversation_id"]


def test_feedback_on_an_answer_is_recorded_and_read_back(client):
    answer = ask(client, "Who is Yury Solozobov?")
    reply = client.post("/api/feedback", json={"message_id": answer["message_id"], "rating": "down",
                                                "reason": "evidence_wrong", "comment": "wrong passage"})
    assert reply.status_code == 201
    saved = client.get(f"/api/conversations/{answer['conversation_id']}").json()
    feedback = saved["messages"][1]["feedback"]
    assert [(f["rating"], f["reason"], f["comment"]) for f in feedback] == [("down", "evidence_wrong", "wrong passage")]
    assert feedback[0]["feedback_id"] == reply.json()["feedback_id"]


def test_deleting_a_conversation_removes_it(client):
    conversation_id = ask(client, "Who is Yury Solozobov?")["conversation_id"]
    assert client.delete(f"/api/conversations/{conversation_id}").status_code == 204
    assert client.get(f"/api/conversations/{conversation_id}").status_code == 404
    assert client.delete(f"/api/conversations/{conversation_id}").status_code == 404


@pytest.mark.parametrize("method, path, body, status, code", [
    ("post", "/api/chat", {"messages": [{"role": "user", "content": "hi"}], "conversation_id": "nope"},
     404, "unknown_id"),
    ("get", "/api/conversations/nope", None, 404, "unknown_id"),
    ("post", "/api/feedback", {"message_id": "nope", "rating": "up"}, 404, "unknown_id"),
    ("post", "/api/feedback", {"message_id": "x", "rating": "sideways"}, 422, "invalid_request"),
    ("post", "/api/feedback", {"message_id": "x", "rating": "up", "reason": "boring"}, 422, "invalid_request"),
])
def test_unknown_ids_and_bad_feedback_are_problems(client, method, path, body, status, code):
    reply = client.request(method.upper(), path, json=body)
    assert reply.status_code == status and reply.json()["code"] == code
    assert reply.headers["content-type"].startswith("application/problem+json")


def test_a_body_over_the_limit_is_refused_with_413(client):
    huge = {"messages": [{"role": "user", "content": "x" * 70_000}]}
    reply = client.post("/api/chat", json=huge)
    assert reply.status_code == 413 and reply.json()["code"] == "body_too_large"


def test_conversations_survive_a_server_restart(settings, service, tmp_path):
    env = kzqa_env(settings, KZQA_DATA_DIR=str(tmp_path / "data"))
    with start_server(env, free_port()) as base:
        first = httpx.post(f"{base}/api/chat", timeout=60, json={"messages": [
            {"role": "user", "content": "Who is Yury Solozobov?"}]}).json()
    with start_server(env, free_port()) as base:
        saved = httpx.get(f"{base}/api/conversations/{first['conversation_id']}").json()
    assert saved["messages"][1]["response"] == first


def test_turns_saved_at_the_same_moment_keep_each_question_beside_its_answer(tmp_path):
    # Two browser tabs (or a program's parallel requests) continuing one conversation: each question is saved
    # next to its own answer, never question, question, answer, answer. (Real SQLite, real threads.)
    store = Store(tmp_path / "kzqa.sqlite3")
    conversation_id = store.create("Who won?")
    start = threading.Barrier(8)

    def save(n: int) -> None:
        start.wait()
        store.add_turn(conversation_id, f"question {n}", f"m{n}", {"answer": f"answer {n}"})

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = store.get(conversation_id)["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 8
    pairs = [(q["content"].split()[-1], a["content"].split()[-1])
             for q, a in zip(messages[::2], messages[1::2], strict=True)]
    assert all(question == answer for question, answer in pairs) and len(set(pairs)) == 8
