"""One chat turn, as both APIs serve it: history from the store, the answer, saving, streaming.

Streaming (Server-Sent Events) sends, in order:
  event ``citations``  {"citations", "query", "answered", "conversation_id", "message_id"}
  event ``delta``      {"text": "..."}: the answer in pieces, in order (concatenated: the answer)
  event ``done``       the whole response, exactly the JSON a non-streamed call returns
  event ``error``      a problem (see errors.py) if anything fails once the stream has begun
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi.sse import format_sse_event

from kzqa.answer import Answer, Message, answer
from kzqa.errors import problem_body
from kzqa.retrieve import Filters, Hit, Retriever
from kzqa.schemas import ChatResponse, CitationOut
from kzqa.settings import Settings
from kzqa.store import Store

log = logging.getLogger("kzqa")
PIECE = re.compile(r"\S+\s*")
WORDS_PER_PIECE = 3


@dataclass(frozen=True)
class Service:
    """What the routes need, built once at startup."""

    settings: Settings
    retriever: Retriever
    store: Store


def passage_link(hit: Hit) -> str:
    return f"/documents/{hit.chunk.doc_id}?start={hit.chunk.start}&end={hit.chunk.end}#passage"


def passage(hit: Hit) -> dict:
    doc, chunk = hit.document, hit.chunk
    return {"doc_id": doc.doc_id, "chunk_id": chunk.chunk_id, "title": doc.title, "outlet": doc.outlet,
            "author": doc.author, "published": doc.published, "url": doc.url, "link": passage_link(hit),
            "text": chunk.text, "start": chunk.start, "end": chunk.end, "score": round(hit.score, 4)}


def chat_response(result: Answer, conversation_id: str | None = None, message_id: str | None = None) -> ChatResponse:
    citations = [CitationOut(n=c.n, **passage(c.hit)) for c in result.citations]
    return ChatResponse(answer=result.text, answered=result.answered, citations=citations, query=result.query,
                        conversation_id=conversation_id, message_id=message_id)


def ask(service: Service, messages: list[Message], filters: Filters | None = None) -> ChatResponse:
    """Answer a conversation in-process, saving nothing."""
    return chat_response(answer(messages, service.retriever, service.settings, filters))


def chat_turn(service: Service, messages: list[Message], conversation_id: str | None,
              filters: Filters | None) -> ChatResponse:
    """Answer the last user message and save the turn: in the given conversation (whose stored
    history then replaces the request's) or in a new one."""
    question = messages[-1].content
    if conversation_id is not None:
        history = [Message(role, content) for role, content in service.store.history(conversation_id)]
        messages = [*history, messages[-1]]
    else:
        conversation_id = service.store.create(question)
    result = answer(messages, service.retriever, service.settings, filters)
    message_id = uuid.uuid4().hex
    response = chat_response(result, conversation_id, message_id)
    service.store.add_turn(conversation_id, question, message_id, response.model_dump(mode="json"))
    return response


def answer_pieces(text: str) -> Iterator[str]:
    words = PIECE.findall(text)
    for i in range(0, len(words), WORDS_PER_PIECE):
        yield "".join(words[i : i + WORDS_PER_PIECE])


def sse(event: str, data: object) -> bytes:
    return format_sse_event(data_str=json.dumps(data, ensure_ascii=False), event=event)


def chat_events(response: ChatResponse) -> Iterator[bytes]:
    try:
        body = response.model_dump(mode="json")
        yield sse("citations", {key: body[key] for key in
                                ("citations", "query", "answered", "conversation_id", "message_id")})
        for piece in answer_pieces(response.answer):
            yield sse("delta", {"text": piece})
        yield sse("done", body)
    except Exception:  # the stream has begun: end it with an error event, never a cut connection
        log.exception("streaming the answer failed")
        yield sse("error", problem_body(500, "stream_failed", "The answer could not be streamed to the end."))
