"""With an LLM server configured, answers are generated, then checked against the cited passages;
when the LLM fails, the reader still gets the extractive answer, with a note.

These cases use httpx.MockTransport: a real server cannot be made to give invalid markers, a wrong
number, a timeout, a 500 or malformed JSON on demand. test_llm_server.py drives a real one.
"""

from __future__ import annotations

import json
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient

from kzqa.answer import Message
from kzqa.api import create_app
from kzqa.chat import ask, chat_response, final_answer, turn_events
from kzqa.generate import LLMClient

QUESTION = [Message("user", "Until what year is Tokayev set to remain in office?")]


def llm_replying(content: str | None = None, *, status: int = 200, body: bytes | None = None,
                 error: Exception | None = None, seen: list | None = None) -> LLMClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(json.loads(request.content))
        if error is not None:
            raise error
        if body is not None:
            return httpx.Response(status, content=body)
        return httpx.Response(status, json={"choices": [{"message": {"role": "assistant", "content": content}}]})

    return LLMClient("http://llm.test/v1", "test-model", transport=httpx.MockTransport(handle))


def llm_streaming(pieces: list[str]) -> LLMClient:
    """An LLM (httpx's MockTransport) that streams ``pieces`` as OpenAI-style chunks."""
    stream = b"".join(b"data: " + json.dumps({"choices": [{"delta": {"content": p}}]}).encode() + b"\n\n"
                      for p in pieces) + b"data: [DONE]\n\n"
    return LLMClient("http://llm.test/v1", "m", transport=httpx.MockTransport(
        lambda request: httpx.Response(200, content=stream, headers={"content-type": "text/event-stream"})))


def with_llm(service, llm, **settings):
    return replace(service, llm=llm, settings=service.settings.model_copy(update=settings))


def prompt_number_of(service, text: str) -> int:
    """The [n] of the passage holding ``text`` in the prompt kzqa sends (its retrieval order)."""
    seen: list = []
    ask(with_llm(service, llm_replying("x", seen=seen)), QUESTION)
    system = seen[-1]["messages"][0]["content"]
    for block in system.split("\n\n["):
        if text in block:
            return int(block.lstrip("[").split("]")[0])
    raise AssertionError(f"{text!r} was not in the prompt")


def test_a_faithful_answer_is_kept_and_its_citations_renumbered(service):
    n = prompt_number_of(service, "remain in office until 2029")
    reply = ask(with_llm(service, llm_replying(f"According to Nikkei Asia, Tokayev is set to remain in office "
                                               f"until 2029 [{n}].")), QUESTION)
    assert reply.generated and reply.unsupported == [] and reply.note is None
    assert reply.answer == "According to Nikkei Asia, Tokayev is set to remain in office until 2029. [1]"
    assert [c.n for c in reply.citations] == [1] and "until 2029" in reply.citations[0].text


def test_markers_that_point_at_no_passage_are_removed(service):
    n = prompt_number_of(service, "remain in office until 2029")
    reply = ask(with_llm(service, llm_replying(f"Tokayev is set to remain in office until 2029 [{n}] [42]. "
                                               "He likes tea [9].")), QUESTION)
    assert "[42]" not in reply.answer and "[9]" not in reply.answer
    assert [(u.index, u.reason) for u in reply.unsupported] == [(1, "it cites no passage")]
    assert [c.n for c in reply.citations] == [1]


def test_a_sentence_whose_number_is_not_in_its_passage_is_marked_unsupported(service):
    n = prompt_number_of(service, "remain in office until 2029")
    text = f"Tokayev is set to remain in office until 2029 [{n}]. He is set to remain in office until 2031 [{n}]."
    reply = ask(with_llm(service, llm_replying(text)), QUESTION)
    assert reply.generated and "2031" in reply.answer  # kept, but marked
    assert [(u.index, u.reason) for u in reply.unsupported] == [(1, "the number 2031 is not in the cited passage")]


def test_unsupported_sentences_can_be_dropped_by_a_setting(service):
    n = prompt_number_of(service, "remain in office until 2029")
    text = f"Tokayev is set to remain in office until 2029 [{n}]. He will stay until 2031 [{n}]."
    reply = ask(with_llm(service, llm_replying(text), llm_drop_unsupported=True), QUESTION)
    assert "2031" not in reply.answer and "2029" in reply.answer
    assert len(reply.unsupported) == 1


@pytest.mark.parametrize("llm, reason", [
    (llm_replying(error=httpx.ReadTimeout("slow")), "did not answer in time"),
    (llm_replying("boom", status=500), "answered with HTTP 500"),
    (llm_replying(body=b"{not json"), "not a usable chat completion"),
    (llm_replying(error=httpx.ConnectError("refused")), "could not be reached"),
    (llm_replying("The passages say nothing useful."), "none of the language model's sentences was supported"),
])
def test_a_failing_llm_gives_the_extractive_answer_with_a_note(service, llm, reason):
    plain = ask(service, QUESTION)
    reply = ask(with_llm(service, llm), QUESTION)
    assert not reply.generated and reason in reply.note
    assert reply.answer == plain.answer and reply.citations == plain.citations


def test_a_stream_from_an_llm_that_cannot_be_reached_brings_the_extractive_answer_as_its_deltas(service):
    # Nothing of the LLM's came: a client that builds the text from the deltas gets the answer all the same.
    events = list(turn_events(with_llm(service, llm_replying(error=httpx.ConnectError("refused"))), QUESTION, None,
                              stream=True))
    done = events[-1][1]
    assert events[-1][0] == "done" and "could not be reached" in done.note
    assert "".join(value for kind, value in events if kind == "delta") == done.text == ask(service, QUESTION).answer


def test_an_llm_that_failed_to_condense_a_follow_up_is_not_asked_again_for_the_answer(service):
    # Each call would wait KZQA_LLM_TIMEOUT: a follow-up must not make the reader wait twice for a stalled LLM.
    one_question, follow_up = [], []
    ask(with_llm(service, llm_replying(error=httpx.ReadTimeout("slow"), seen=one_question)), QUESTION)
    reply = ask(with_llm(service, llm_replying(error=httpx.ReadTimeout("slow"), seen=follow_up)), [
        Message("user", "Who won the November 2022 presidential election in Kazakhstan?"),
        Message("assistant", "According to Nikkei Asia: Tokayev won. [1]"),
        Message("user", "Until when will he stay in office?")])
    assert len(follow_up) == len(one_question) >= 1  # the condensing call only (with its retries, if any)
    assert "did not answer in time" in reply.note and not reply.generated and "2029" in reply.answer


def test_a_refusal_is_not_sent_to_the_llm(service):
    seen: list = []
    reply = ask(with_llm(service, llm_replying("anything [1].", seen=seen)),
                [Message("user", "How do I bake sourdough bread?")])
    assert not reply.answered and seen == []


def test_streaming_relays_the_llm_text_then_the_checked_answer(service):
    n = prompt_number_of(service, "remain in office until 2029")
    pieces = ["Tokayev is set ", "to remain in office ", f"until 2029 [{n}]."]
    llm = llm_streaming(pieces)
    events = list(turn_events(with_llm(service, llm), QUESTION, None, stream=True))
    assert [kind for kind, _ in events] == ["citations", "delta", "delta", "delta", "done"]
    assert [value for kind, value in events if kind == "delta"] == pieces
    done = chat_response(events[-1][1])
    assert done.generated and "until 2029" in done.answer and [c.n for c in done.citations] == [1]
    assert final_answer(iter(events)).text == events[-1][1].text


def test_an_openai_client_s_stream_adds_up_to_the_checked_answer_not_the_llm_s_text(service):
    # The LLM (a stand-in over httpx's MockTransport: the one real model here, Gemma-3-270M base, writes no
    # usable markers) cites prompt passage n and a passage [42] that it was never given; the check keeps [n] as
    # [1], after the sentence, and drops [42]. An OpenAI client keeps only the deltas.
    n = prompt_number_of(service, "remain in office until 2029")
    pieces = ["Tokayev is set ", "to remain in office ", f"until 2029 [{n}] [42]."]
    llm = llm_streaming(pieces)
    with TestClient(create_app(service=with_llm(service, llm))) as client:
        reply = client.post("/v1/chat/completions", json={"model": "kzqa", "stream": True, "messages": [
            {"role": "user", "content": QUESTION[-1].content}]})
    chunks = [json.loads(line[len("data: "):]) for line in reply.text.splitlines()
              if line.startswith("data: {")]
    streamed = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    last = next(c for c in chunks if c.get("citations"))
    assert "[42]" not in streamed and streamed == last["answer"]
    assert streamed.endswith("until 2029. [1]") and [c["n"] for c in last["citations"]] == [1]
