"""Programs that speak OpenAI's protocol use kzqa as the model `kzqa`, and get the citations too."""

from __future__ import annotations

import httpx
import openai
import pytest

QUESTION = "Which export products did Kazakhstan and Russia hit in their exchange of blows?"


@pytest.fixture(scope="module")
def client(live_server):
    return openai.OpenAI(base_url=f"{live_server}/v1", api_key="not-needed", max_retries=0)


def test_the_official_client_gets_a_cited_completion(client):
    completion = client.chat.completions.create(model="kzqa", messages=[{"role": "user", "content": QUESTION}],
                                                temperature=0.2)
    text = completion.choices[0].message.content
    assert "oil" in text and "coal" in text and "[1]" in text
    extra = completion.model_extra
    assert extra["answered"] is True
    assert extra["citations"][0]["n"] == 1 and "Russian coal" in extra["citations"][0]["text"]
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens


def test_a_streamed_completion_carries_the_citations_in_its_last_chunk(client, live_server):
    chunks = list(client.chat.completions.create(model="kzqa", stream=True,
                                                 messages=[{"role": "user", "content": QUESTION}]))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"][0]["text"]
    plain = httpx.post(f"{live_server}/v1/chat/completions", timeout=60, json={
        "model": "kzqa", "messages": [{"role": "user", "content": QUESTION}]}).json()
    assert text == plain["choices"][0]["message"]["content"]
    assert last.model_extra["citations"] == plain["citations"]


def test_a_multi_turn_exchange_resolves_the_follow_up(client):
    history = [{"role": "system", "content": "You are a helpful assistant."},
               {"role": "user", "content": "Who won the November 2022 presidential election in Kazakhstan?"}]
    first = client.chat.completions.create(model="kzqa", messages=history)
    history += [{"role": "assistant", "content": first.choices[0].message.content},
                {"role": "user", "content": [{"type": "text", "text": "Until when will he stay in office?"}]}]
    second = client.chat.completions.create(model="kzqa", messages=history)
    assert "Tokayev won" in first.choices[0].message.content
    assert "2029" in second.choices[0].message.content
    assert second.model_extra["query"] == "Until when will Tokayev stay in office?"  # "he": whom the answer named


def test_models_lists_kzqa_and_errors_come_as_openai_errors(client):
    assert [m.id for m in client.models.list()] == ["kzqa"]
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert missing.value.body["code"] == "model_not_found"
    with pytest.raises(openai.BadRequestError) as many:
        client.chat.completions.create(model="kzqa", n=2, messages=[{"role": "user", "content": "hi"}])
    assert many.value.body["code"] == "unsupported_parameter"
    with pytest.raises(openai.BadRequestError) as unknown:
        client.chat.completions.create(model="kzqa", messages=[{"role": "user", "content": "hi"}],
                                       extra_body={"frobnicate": True})
    assert "frobnicate" in unknown.value.body["message"]  # the client unwraps the `error` member
    for blank in ("  ", "\u200b\ufeff"):  # white space, or characters that show nothing
        with pytest.raises(openai.BadRequestError) as empty:
            client.chat.completions.create(model="kzqa", messages=[{"role": "user", "content": blank}])
        assert empty.value.body["code"] == "empty_question"
    with pytest.raises(openai.BadRequestError) as last:
        client.chat.completions.create(model="kzqa", messages=[{"role": "user", "content": "Who won?"},
                                                               {"role": "assistant", "content": "Tokayev."}])
    assert last.value.body["code"] == "no_question"
    with pytest.raises(openai.BadRequestError) as tool:  # kzqa calls no tools: a tool's result is nothing to answer
        client.chat.completions.create(model="kzqa", messages=[{"role": "user", "content": "Who won?"},
                                                               {"role": "tool", "content": "{}", "tool_call_id": "1"}])
    assert tool.value.body["code"] == "no_question"
