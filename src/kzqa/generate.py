"""Passages -> a generated answer, from any OpenAI-compatible LLM server (vLLM, Ollama, llama.cpp,
a hosted API), over httpx. Off unless ``KZQA_LLM_BASE_URL`` is set.

The LLM sees the numbered passages (with outlet and date) and the conversation, and is told to
answer only from them with ``[n]`` after each sentence. Its answer is never trusted as is: see
verify.py. Any failure (unreachable, timeout, HTTP error, unusable reply) is an ``LLMError``, upon
which kzqa falls back to its extractive answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import httpx

from kzqa.answer import Answer, Citation, answer
from kzqa.conversation import Message, standalone_query
from kzqa.filters import Filters
from kzqa.phrases import source_label
from kzqa.retrieve import Hit, Retriever
from kzqa.settings import Settings
from kzqa.stream import answer_pieces, extractive_events
from kzqa.verify import check

SYSTEM = (
    "You answer questions about Kazakhstan's November 2022 presidential election using ONLY the numbered "
    "passages below. After every sentence put the number of the passage it comes from, like [2]. Attribute "
    "claims to their outlet (\"According to Nikkei Asia, ...\"); when outlets disagree, say who says what. "
    "Keep names and numbers exactly as the passages give them. If the passages do not answer the question, "
    "say that the documents do not cover it. Answer in the language of the question, in at most four sentences."
)
CONDENSE = (
    "Rewrite the user's last question as one standalone search query that names everything it refers to, "
    "using the conversation. Reply with the query only."
)


class LLMError(RuntimeError):
    """The LLM could not give a usable answer; the message says why, for the reader's note."""


def numbered_passages(hits: Sequence[Hit]) -> str:
    blocks = []
    for n, hit in enumerate(hits, start=1):
        doc = hit.document
        blocks.append(f"[{n}] {source_label(doc.outlet, doc.author, doc.published, 'en')}: {hit.chunk.text}")
    return "\n\n".join(blocks)


def answer_prompt(messages: Sequence[Message], hits: Sequence[Hit]) -> list[dict]:
    history = [{"role": m.role, "content": m.content} for m in messages]
    return [{"role": "system", "content": f"{SYSTEM}\n\nPassages:\n\n{numbered_passages(hits)}"}, *history]


def condense_prompt(messages: Sequence[Message]) -> list[dict]:
    conversation = "\n".join(f"{m.role}: {m.content}" for m in messages)
    return [{"role": "system", "content": CONDENSE}, {"role": "user", "content": conversation}]


@contextmanager
def _as_llm_errors(unusable: str) -> Iterator[None]:
    """Turn whatever the HTTP exchange with the LLM raises into an LLMError saying what went wrong."""
    try:
        yield
    except httpx.TimeoutException:
        raise LLMError("the language model did not answer in time") from None
    except httpx.HTTPStatusError as exc:
        raise LLMError(f"the language model answered with HTTP {exc.response.status_code}") from None
    except httpx.HTTPError:
        raise LLMError("the language model could not be reached") from None
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise LLMError(unusable) from None


class LLMClient:
    """A small client for POST {base_url}/chat/completions."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0,
                 max_tokens: int = 300, transport: httpx.BaseTransport | None = None) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.model, self.max_tokens = model, max_tokens
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, transport=transport,
                                  timeout=httpx.Timeout(timeout))

    def _body(self, messages: list[dict], stream: bool, max_tokens: int | None) -> dict:
        return {"model": self.model, "messages": messages, "temperature": 0, "stream": stream,
                "max_tokens": max_tokens or self.max_tokens}

    def complete(self, messages: list[dict], max_tokens: int | None = None) -> str:
        with _as_llm_errors("the language model's reply was not a usable chat completion"):
            reply = self._http.post("/chat/completions", json=self._body(messages, False, max_tokens))
            reply.raise_for_status()
            content = reply.json()["choices"][0]["message"]["content"]
        if not isinstance(content, str) or not content.strip():
            raise LLMError("the language model's reply was empty")
        return content.strip()

    def stream(self, messages: list[dict]) -> Iterator[str]:
        """The answer's text as the server sends it, piece by piece."""
        body = self._body(messages, True, None)
        with (_as_llm_errors("the language model's stream was not usable"),
              self._http.stream("POST", "/chat/completions", json=body) as reply):
            reply.raise_for_status()
            for line in reply.iter_lines():
                if not line.startswith("data:") or line[5:].strip() == "[DONE]":
                    continue
                choices = json.loads(line[5:])["choices"]
                piece = choices[0].get("delta", {}).get("content") if choices else None
                if piece:
                    yield piece

    def close(self) -> None:
        self._http.close()


# --- the generated answer, checked; the extractive one when generation fails -------------------

def standalone(messages: Sequence[Message], llm: LLMClient, retriever: Retriever) -> tuple[str, LLMError | None]:
    """The search query for the last question: the LLM condenses a follow-up, else the rules do; with the
    LLM's failure, if it failed."""
    question, rule_query = standalone_query(messages, retriever.referent, retriever.person)
    if rule_query == question or len([m for m in messages if m.role == "user"]) < 2:
        return question, None
    try:
        condensed = llm.complete(condense_prompt(messages), max_tokens=48).splitlines()[0].strip(' "')
    except LLMError as exc:
        return rule_query, exc
    return condensed or rule_query, None


def checked_answer(text: str, hits: list[Hit], query: str, language: str, retriever: Retriever,
                   settings: Settings) -> Answer:
    checked = check(text, hits, retriever, drop_unsupported=settings.llm_drop_unsupported)
    if checked.supported == 0:
        raise LLMError("none of the language model's sentences was supported by the passages")
    return Answer(checked.text, True, checked.citations, query, language, generated=True,
                  unsupported=checked.unsupported)


def unavailable(exc: LLMError) -> str:
    return f"Generation was unavailable: {exc}. This is the extractive answer."


def generation_events(messages: Sequence[Message], retriever: Retriever, settings: Settings, llm: LLMClient,
                      filters: Filters | None = None, stream: bool = False) -> Iterator[tuple[str, object]]:
    """A turn as events, like answer.extractive_events: the passages as numbered in the prompt, the
    LLM's text as it comes (when ``stream``), then the checked answer. On any failure of the LLM the
    last event is the extractive answer, with a note saying that generation was unavailable."""
    query, failed = standalone(messages, llm, retriever)
    extractive = answer(messages, retriever, settings, filters, query=query)
    if not extractive.answered:  # the passages do not hold the answer: no point asking the LLM
        yield from extractive_events(extractive)
        return
    if failed:  # it has just failed (timed out, say): the reader is not made to wait for it a second time
        yield from extractive_events(replace(extractive, note=unavailable(failed)))
        return
    hits = list(extractive.retrieved)  # the same search, with any outlet the question named as a filter
    yield "citations", replace(extractive, citations=tuple(Citation(n, hit) for n, hit in enumerate(hits, start=1)))
    prompt = answer_prompt(messages, hits)
    pieces: list[str] = []
    try:
        if stream:
            for piece in llm.stream(prompt):
                pieces.append(piece)
                yield "delta", piece
            text = "".join(pieces)
        else:
            text = llm.complete(prompt)
        checked = checked_answer(text, hits, extractive.query, extractive.language, retriever, settings)
        yield "done", replace(checked, retrieval_seconds=extractive.retrieval_seconds)
    except LLMError as exc:
        fallback = replace(extractive, note=unavailable(exc))
        if stream and not pieces:  # nothing relayed yet: a client that reads only the deltas gets this answer
            yield from (("delta", piece) for piece in answer_pieces(fallback.text))
        yield "done", fallback
