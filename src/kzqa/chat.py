"""One chat turn, as both APIs serve it: history from the store, the answer, saving, streaming.

Streaming (Server-Sent Events) names the conversation and the answer in its headers (X-Conversation-Id,
X-Message-Id, sent before any event), then sends, in order:
  event ``citations``  {"citations", "query", "answered", "conversation_id", "message_id"}
  event ``delta``      {"text": "..."}: the answer in pieces, in order, as it is written
  event ``done``       the whole response, exactly the JSON a non-streamed call returns

An extractive answer's deltas concatenate to the final answer, and its citations are the final
ones. A generated answer (an LLM is set up) relays the LLM's text as it comes, with markers in the
numbering of the ``citations`` event (every retrieved passage); ``done`` then carries the checked
answer, its citations renumbered to those used, and any unsupported sentences.
  event ``error``      a problem (see errors.py) if anything fails once the stream has begun
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.sse import format_sse_event

from kzqa.answer import Answer, Citation, Message, answer
from kzqa.errors import conversation_changed, problem_body
from kzqa.filters import Filters
from kzqa.generate import LLMClient, generation_events
from kzqa.observe import Metrics
from kzqa.question_types import sources_topic
from kzqa.retrieve import Hit, Retriever
from kzqa.schemas import ChatResponse, CitationOut, Passage, SearchResponse, UnsupportedOut
from kzqa.settings import Settings
from kzqa.store import ConversationChanged, Store
from kzqa.stream import extractive_events

log = logging.getLogger("kzqa")
CITATIONS_EVENT = {"citations", "query", "answered", "language", "conversation_id", "message_id"}


@dataclass(frozen=True)
class Service:
    """What the routes need, built once at startup."""

    settings: Settings
    retriever: Retriever
    store: Store
    llm: LLMClient | None = None  # set when KZQA_LLM_BASE_URL is
    metrics: Metrics | None = None  # the app's, when served over HTTP


def get_service(request: Request) -> Service:
    """The service now serving; taken once per request, so a reload never changes it midway."""
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


def passage_link(hit: Hit) -> str:
    return f"/documents/{hit.chunk.doc_id}?start={hit.chunk.start}&end={hit.chunk.end}#passage"


def passage(hit: Hit) -> dict:
    doc, chunk = hit.document, hit.chunk
    return {"doc_id": doc.doc_id, "chunk_id": chunk.chunk_id, "title": doc.title, "outlet": doc.outlet,
            "author": doc.author, "published": doc.published, "url": doc.url, "link": passage_link(hit),
            "text": chunk.text, "start": chunk.start, "end": chunk.end, "score": round(hit.score, 4)}


def citation_out(citation: Citation) -> CitationOut:
    return CitationOut(n=citation.n, **passage(citation.hit))


def chat_response(result: Answer, conversation_id: str | None = None, message_id: str | None = None) -> ChatResponse:
    unsupported = [UnsupportedOut(index=u.index, sentence=u.sentence, reason=u.reason) for u in result.unsupported]
    return ChatResponse(answer=result.text, answered=result.answered, query=result.query, language=result.language,
                        citations=[citation_out(c) for c in result.citations], generated=result.generated,
                        unsupported=unsupported, note=result.note, refusal_reason=result.refusal_reason,
                        conversation_id=conversation_id,
                        message_id=message_id)


def turn_events(service: Service, messages: list[Message], filters: Filters | None,
                stream: bool = False) -> Iterator[tuple[str, object]]:
    """("citations", Answer so far), ("delta", text)..., ("done", Answer); generated when an LLM is set up."""
    started = time.perf_counter()
    if service.llm is None:
        events = extractive_events(answer(messages, service.retriever, service.settings, filters))
    else:
        events = generation_events(messages, service.retriever, service.settings, service.llm, filters, stream)
    for kind, value in events:
        if kind == "done" and service.metrics is not None:
            assert isinstance(value, Answer)
            service.metrics.retrieval.observe(value.retrieval_seconds)
            service.metrics.answer.observe(time.perf_counter() - started)
        yield kind, value


def final_answer(events: Iterator[tuple[str, object]]) -> Answer:
    for kind, value in events:
        if kind == "done":
            assert isinstance(value, Answer)
            return value
    raise RuntimeError("the turn ended without an answer")


def ask(service: Service, messages: list[Message], filters: Filters | None = None) -> ChatResponse:
    """Answer a conversation in-process, saving nothing (FilterError for filters no passage could pass)."""
    service.retriever.check(filters)
    return chat_response(final_answer(turn_events(service, messages, filters)))


def search_passages(service: Service, query: str, k: int, filters: Filters | None = None) -> SearchResponse:
    """The k passages closest to a query, best first, with what was searched: a query naming an outlet, or a
    document by its title, searches its passages, for the rest of its words (``Retriever.scope``), and one asking
    what the sources say about something, for that thing (``question_types.sources_topic``), as the chat does."""
    retriever = service.retriever
    filters = retriever.check(filters)
    searched, scoped = retriever.scope(retriever.respeller.respelled(query), filters)
    searched = sources_topic(searched) or searched
    hits = retriever.search(searched, k, scoped)
    # an empty result says why, as a refusal does: dates the wrong way round, or no passage within the filters
    reason = scoped.why_empty if scoped and not hits else None
    return SearchResponse(query=searched, outlets=sorted(scoped.outlets) if scoped else [],
                          documents=sorted(scoped.documents) if scoped else [],
                          results=[Passage(**passage(hit)) for hit in hits], reason=reason)


@dataclass(frozen=True)
class Turn:
    messages: list[Message]  # the whole conversation, ending with the question
    question: str
    conversation_id: str
    message_id: str  # the answer's, chosen up front so that a stream can name it first
    seen: str | None = None  # the latest answer the client shows ("" none yet), checked again when saving


def begin_turn(service: Service, messages: list[Message], conversation_id: str | None,
               last_message_id: str | None = None) -> Turn:
    """The conversation to answer: the stored one (its history replaces the request's) or a new one.
    ``last_message_id``: the latest answer the client shows ("" for none yet); ConversationChanged when the
    conversation has gone on since, as an answer would then lean on turns the reader has not seen."""
    question = messages[-1].content
    if conversation_id is not None:
        if last_message_id is not None:
            service.store.check_seen(conversation_id, last_message_id)  # now, and again when the turn is saved
        history = [Message(role, content) for role, content in service.store.history(conversation_id)]
        return Turn([*history, messages[-1]], question, conversation_id, uuid.uuid4().hex, last_message_id)
    return Turn(messages, question, service.store.create(question), uuid.uuid4().hex)


def finish_turn(service: Service, turn: Turn, result: Answer) -> ChatResponse:
    response = chat_response(result, turn.conversation_id, turn.message_id)
    service.store.add_turn(turn.conversation_id, turn.question, turn.message_id, response.model_dump(mode="json"),
                           turn.seen)
    return response


def chat_turn(service: Service, turn: Turn, filters: Filters | None) -> ChatResponse:
    return finish_turn(service, turn, final_answer(turn_events(service, turn.messages, filters)))


def sse(event: str, data: object) -> bytes:
    return format_sse_event(data_str=json.dumps(data, ensure_ascii=False), event=event)


def chat_events(service: Service, turn: Turn, filters: Filters | None) -> Iterator[bytes]:
    """The SSE stream of one turn (see the module's docstring); the turn is saved when done."""
    try:
        for kind, value in turn_events(service, turn.messages, filters, stream=True):
            if kind == "citations":
                so_far = chat_response(value, turn.conversation_id, turn.message_id)  # type: ignore[arg-type]
                yield sse("citations", so_far.model_dump(mode="json", include=CITATIONS_EVENT))
            elif kind == "delta":
                yield sse("delta", {"text": value})
            else:
                yield sse("done", finish_turn(service, turn, value).model_dump(mode="json"))  # type: ignore[arg-type]
    except ConversationChanged as changed:  # another tab's turn was saved while this one was answered
        yield sse("error", problem_body(409, "conversation_changed", conversation_changed(changed.args[0])))
    except Exception:  # the stream has begun: end it with an error event, never a cut connection
        log.exception("streaming the answer failed")
        yield sse("error", problem_body(500, "stream_failed", "The answer could not be streamed to the end."))
