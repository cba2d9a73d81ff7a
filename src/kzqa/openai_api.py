"""The OpenAI-compatible API: ``POST /v1/chat/completions`` and ``GET /v1/models``.

kzqa appears as one model, ``kzqa``. The answer keeps its ``[n]`` markers; the passages they point
at come back in an extra top-level ``citations`` field (as Perplexity's API does), and in the last
chunk of a stream. Sampling parameters (temperature, top_p, max_tokens, stop, seed, ...) are
accepted and ignored, since the answer is extractive; ``n`` > 1, tools and unknown parameters are
rejected with 400, as OpenAI's API rejects what it does not support. Nothing is saved.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Response
from fastapi.sse import EventSourceResponse, format_sse_event
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from kzqa.answer import Message
from kzqa.chat import Service, ServiceDep, ask, chat_response, turn_events
from kzqa.errors import PROBLEM, ApiError
from kzqa.schemas import NOT_BLANK as BLANK_PATTERN
from kzqa.schemas import CitationOut, UnsupportedOut, sse_schema, without_control_characters
from kzqa.stream import answer_pieces

NOT_BLANK = re.compile(BLANK_PATTERN)

MODEL = "kzqa"
log = logging.getLogger("kzqa")
router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatCompletionMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            written = "".join(part.text or "" for part in self.content if part.type == "text")
        else:
            written = self.content or ""
        return without_control_characters(written)


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: str
    messages: list[ChatCompletionMessage] = Field(min_length=1)
    stream: StrictBool = False
    stream_options: dict[str, Any] | None = None
    n: int | None = Field(None, ge=1, le=128)
    # accepted and ignored: the answer is extractive, not sampled
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    user: str | None = None
    metadata: dict[str, Any] | None = None
    store: StrictBool | None = None
    logprobs: StrictBool | None = None
    response_format: dict[str, Any] | None = None


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL
    choices: list[Choice]
    usage: Usage
    citations: list[CitationOut] = Field(description="The passages the answer's [n] markers point at.")
    answered: bool
    query: str
    generated: bool = False
    unsupported: list[UnsupportedOut] = Field(default_factory=list)
    note: str | None = None
    refusal_reason: str | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def _conversation(body: ChatCompletionRequest, max_chars: int) -> list[Message]:
    if body.model != MODEL:
        raise ApiError(404, "model_not_found", f"The model {body.model!r} does not exist; kzqa serves {MODEL!r}.")
    if (body.n or 1) > 1:
        raise ApiError(400, "unsupported_parameter", "Only n = 1 is supported.")
    messages = [Message(m.role, m.text()) for m in body.messages if m.role in ("user", "assistant")]
    # instructions may come last; a tool's result may not: kzqa calls no tools, so there is nothing to answer it
    spoken = [m.role for m in body.messages if m.role not in ("system", "developer")]
    if not messages or spoken[-1] != "user":
        raise ApiError(400, "no_question", "The last message must be the user's question.")
    if not NOT_BLANK.search(messages[-1].content):
        raise ApiError(400, "empty_question", "The question is empty.")
    if any(m.role == "user" and len(m.content) > max_chars for m in messages):  # answers sent back may be longer
        raise ApiError(400, "question_too_long", f"A question (user message) may hold at most {max_chars} characters.")
    return messages


def _usage(messages: list[Message], answer: str) -> Usage:
    prompt = sum(len(m.content.split()) for m in messages)  # words: kzqa has no tokenizer of its own
    completion = len(answer.split())
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


def _chunks(svc: Service, messages: list[Message], completion_id: str, created: int,
            include_usage: bool) -> Iterator[bytes]:
    """The stream: a role chunk, the checked answer in pieces, a last chunk with its citations, then [DONE].
    An error midway ends the stream with an error chunk, never a cut.

    Unlike /api/chat's stream, which relays an LLM's text as it comes and then replaces it (``done``), this
    one sends only the checked answer: an OpenAI client keeps nothing but the deltas, and the check may
    renumber the markers, drop a sentence, or fall back to the extractive answer. (An extractive answer is
    whole before its first piece anyway.)"""

    def chunk(choices: list[dict], **extra: Any) -> bytes:
        body = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL,
                "choices": choices, **extra}
        return format_sse_event(data_str=json.dumps(body, ensure_ascii=False))

    def delta(content: dict, finish: str | None = None) -> list[dict]:
        return [{"index": 0, "delta": content, "finish_reason": finish, "logprobs": None}]

    try:
        yield chunk(delta({"role": "assistant", "content": ""}))
        for kind, value in turn_events(svc, messages, None, stream=True):
            if kind == "done":
                reply = chat_response(value)  # type: ignore[arg-type]
                for piece in answer_pieces(reply.answer):
                    yield chunk(delta({"content": piece}))
                extra = reply.model_dump(mode="json", include={"citations", "answered", "query", "generated",
                                                               "unsupported", "note", "refusal_reason"})
                yield chunk(delta({}, "stop"), answer=reply.answer, **extra)
                if include_usage:  # stream_options.include_usage: one more chunk, with no choices
                    yield chunk([], usage=_usage(messages, reply.answer).model_dump())
    except Exception:
        log.exception("streaming the completion failed")
        yield format_sse_event(data_str=json.dumps({"error": {
            "message": "The answer could not be streamed to the end.", "type": "server_error",
            "code": "stream_failed", "param": None}}))
    yield b"data: [DONE]\n\n"


ERRORS = {status: {"description": "A problem with an OpenAI-style `error` member",
                   "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
          for status in (400, 404)}


@router.post("/chat/completions", response_model=ChatCompletion, responses={
    200: sse_schema(None, "With \"stream\": true: `chat.completion.chunk` events, the last one with "
                          "`citations`, then `data: [DONE]`."), **ERRORS})
def chat_completions(body: ChatCompletionRequest, svc: ServiceDep) -> Any:
    messages = _conversation(body, svc.settings.max_question_chars)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if body.stream:
        include_usage = bool((body.stream_options or {}).get("include_usage"))
        return EventSourceResponse(_chunks(svc, messages, completion_id, created, include_usage))
    reply = ask(svc, messages)
    return ChatCompletion(id=completion_id, created=created, choices=[Choice(message=AssistantMessage(
        content=reply.answer))], usage=_usage(messages, reply.answer), citations=reply.citations,
        answered=reply.answered, query=reply.query, generated=reply.generated, unsupported=reply.unsupported,
        note=reply.note, refusal_reason=reply.refusal_reason)


@router.get("/models", response_model=ModelList)
def models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL, created=0, owned_by="kzqa")])


@router.get("/models/{model_id}", response_model=ModelCard, responses=ERRORS)
def model(model_id: str) -> ModelCard | Response:
    if model_id != MODEL:
        raise ApiError(404, "model_not_found", f"The model {model_id!r} does not exist; kzqa serves {MODEL!r}.")
    return ModelCard(id=MODEL, created=0, owned_by="kzqa")

