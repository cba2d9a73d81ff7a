"""Answers -> HTTP: the JSON API, the chat page and the document pages.

The embedding model, the index and the conversation store load once, in the lifespan, and reach
the routes through ``Depends(get_service)``. Tests may hand in their own ``Service``.
Every error is a problem (errors.py); docs/http.md describes the protocol with examples.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request, Response
from fastapi.responses import FileResponse
from fastapi.sse import EventSourceResponse
from fastapi.staticfiles import StaticFiles

from kzqa import __version__
from kzqa.admin import router as admin_router
from kzqa.answer import Message
from kzqa.chat import Service, ServiceDep, begin_turn, chat_events, chat_turn, search_passages
from kzqa.embed import load_embedder
from kzqa.errors import ApiError, BodyLimit, install_error_handlers, problem, problems
from kzqa.filters import FilterError, Filters
from kzqa.generate import LLMClient
from kzqa.index import open_index
from kzqa.observe import Metrics, RequestLog
from kzqa.openai_api import router as openai_router
from kzqa.retrieve import Retriever
from kzqa.schemas import (
    NOT_BLANK,
    ChatRequest,
    ChatResponse,
    Conversation,
    ConversationList,
    DocumentList,
    DocumentOut,
    FeedbackIn,
    FeedbackOut,
    Health,
    IsoDate,
    Problem,
    SearchResponse,
    sse_schema,
    without_control_characters,
)
from kzqa.settings import Settings
from kzqa.store import Store

STREAM_DOC = ("With \"stream\": true, the answer comes as Server-Sent Events: `citations`, then `delta` "
              "events with the answer in pieces, then `done` with this same JSON; `error` if it fails midway.")


def load_service(settings: Settings) -> Service:
    embedder = load_embedder(settings.model, settings.threads)
    index = open_index(settings, embedder)
    llm = None
    if settings.llm_base_url:
        llm = LLMClient(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout,
                        settings.llm_max_tokens)
    return Service(settings, Retriever(index, embedder), Store(settings.database), llm)


def create_app(settings: Settings | None = None, service: Service | None = None) -> FastAPI:
    settings = settings or (service.settings if service else Settings())

    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = replace(service or load_service(settings), metrics=metrics)
        metrics.watch_index(lambda: len(app.state.service.retriever.index.chunks),
                            lambda: len(app.state.service.retriever.index.documents))
        yield

    app = FastAPI(title="kzqa", version=__version__, lifespan=lifespan,
                  description="Cited answers over a news corpus about Kazakhstan's November 2022 election.",
                  responses=problems(400, 413, 500))
    app.state.metrics = metrics
    install_error_handlers(app)
    app.add_exception_handler(FilterError, bad_filters)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestLog, metrics=metrics)  # added last: outermost, so it sees every answer
    add_api_routes(app, settings.max_question_chars)
    app.include_router(openai_router)
    app.include_router(admin_router)
    add_page_routes(app, settings.web_dir)
    _complete_openapi(app, settings)
    return app


def _complete_openapi(app: FastAPI, settings: Settings) -> None:
    """Add what the models cannot say: the Problem schema, that validation errors (422) are problems
    too, the limits that come from settings, and the outlets of the index being served (the filters
    accept those alone; the schema is built anew on each request, so a reload shows its outlets)."""
    default_openapi = app.openapi

    def openapi() -> dict:
        schema = copy.deepcopy(app.openapi_schema or default_openapi())  # FastAPI's, built once
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema()
        for operation in (op for path in schema["paths"].values() for op in path.values()):
            if "422" in operation.get("responses", {}):
                operation["responses"]["422"] = problems(422)[422]
        components["ChatRequest"]["properties"]["messages"]["maxItems"] = settings.max_messages
        service = getattr(app.state, "service", None)
        if service is not None:
            outlets = sorted({doc.outlet for doc in service.retriever.index.documents.values()})
            components["FiltersIn"]["properties"]["outlets"]["items"]["enum"] = outlets
            for parameter in schema["paths"]["/api/search"]["get"]["parameters"]:
                if parameter["name"] == "outlet":
                    parameter["schema"]["items"]["enum"] = outlets
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


async def bad_filters(request: Request, exc: Exception) -> Response:
    """Filters no passage could pass (``Filters.check``): a 422 that names the fix."""
    assert isinstance(exc, FilterError)
    return problem(request, 422, exc.code, str(exc))


def _messages(body: ChatRequest, settings: Settings) -> list[Message]:
    if len(body.messages) > settings.max_messages:
        raise ApiError(422, "too_many_messages", f"At most {settings.max_messages} messages are accepted.")
    last_user = max((i for i, m in enumerate(body.messages) if m.role == "user"), default=None)
    if last_user is None:
        raise ApiError(422, "no_question", "The conversation holds no user message to answer.")
    # Only the reader's messages are questions; kzqa's own answers, sent back as history, may be
    # longer (one line per outlet) and are bounded by max_body_bytes.
    if any(m.role == "user" and len(m.content) > settings.max_question_chars for m in body.messages):
        limit = settings.max_question_chars
        raise ApiError(422, "question_too_long", f"A question (user message) may hold at most {limit} characters.")
    return [Message(m.role, m.content) for m in body.messages[: last_user + 1]]


def add_api_routes(app: FastAPI, max_query_chars: int) -> None:
    """The JSON routes; a search query is held to the longest question /api/chat takes (its schema says so)."""

    @app.head("/healthz", include_in_schema=False)
    def healthz_head(svc: ServiceDep) -> Response:
        """What uptime checkers send: 200 once the index is loaded, as GET says, without the body."""
        return Response(status_code=200)

    @app.get("/healthz", response_model=Health)
    def healthz(svc: ServiceDep) -> Health:
        manifest = svc.retriever.index.manifest
        return Health(status="ok", model=manifest["model"], chunks=manifest["n_chunks"],
                      documents=manifest["n_documents"], max_question_chars=svc.settings.max_question_chars)

    @app.post("/api/chat", response_model=ChatResponse, responses={
        200: sse_schema(["citations", "delta", "done", "error"], STREAM_DOC), **problems(404, 409, 422)})
    def chat(body: ChatRequest, svc: ServiceDep) -> ChatResponse | Response:
        """Answer the last question of a conversation, with citations; saves the turn."""
        messages = _messages(body, svc.settings)
        filters = body.filters.to_filters() if body.filters else None
        svc.retriever.check(filters)  # before the conversation is saved
        if body.last_message_id and body.conversation_id is None:  # ("": no answer seen, as in a new one)
            raise ApiError(404, "unknown_id", f"last_message_id {body.last_message_id!r} names no answer without the "
                           "conversation_id it belongs to.")
        # an unknown id is a 404, a conversation gone on since last_message_id a 409, before any stream
        turn = begin_turn(svc, messages, body.conversation_id, body.last_message_id)
        if body.stream:
            # the headers go out before any event: a page reloaded meanwhile already knows where the turn is saved
            ids = {"X-Conversation-Id": turn.conversation_id, "X-Message-Id": turn.message_id}
            return EventSourceResponse(chat_events(svc, turn, filters), headers=ids)
        return chat_turn(svc, turn, filters)

    # (q's limit is a default, not an Annotated type: this module's annotations are strings, which cannot name a
    # local value)
    query_limits = Query(max_length=max_query_chars, pattern=NOT_BLANK)  # "" is blank too: empty_question

    @app.get("/api/search", response_model=SearchResponse, responses=problems(422))
    def search(svc: ServiceDep, q: str = query_limits,
               k: Annotated[int, Query(ge=1, le=50)] = 5,
               outlet: Annotated[list[str], Query(description="Only these outlets (repeatable).")] = [],  # noqa: B006
               published_from: IsoDate | None = None, published_to: IsoDate | None = None) -> SearchResponse:
        """The passages closest to a query, best first; a query naming an outlet searches its passages."""
        q = without_control_characters(q)  # as a chat message is cleaned (the default above takes no validator)
        return search_passages(svc, q, k, Filters(frozenset(outlet), published_from, published_to))

    @app.get("/api/documents", response_model=DocumentList)
    def documents(svc: ServiceDep) -> dict:
        docs = svc.retriever.index.documents.values()
        return {"documents": [d.metadata() | {"link": f"/documents/{d.doc_id}"} for d in docs]}

    @app.get("/api/documents/{doc_id}", response_model=DocumentOut, responses=problems(404))
    def document(doc_id: str, svc: ServiceDep) -> dict:
        doc = svc.retriever.index.documents.get(doc_id)
        if doc is None:
            raise ApiError(404, "unknown_document", f"There is no document {doc_id!r}.")
        chunks = [{"chunk_id": c.chunk_id, "start": c.start, "end": c.end}
                  for c in svc.retriever.index.chunks if c.doc_id == doc_id]
        return doc.metadata() | {"link": f"/documents/{doc_id}", "text": doc.text, "chunks": chunks}

    @app.get("/api/conversations", response_model=ConversationList)
    def conversations(svc: ServiceDep, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict:
        """Saved conversations holding an answer, most recently updated first."""
        return {"conversations": svc.store.list(limit)}

    @app.get("/api/conversations/{conversation_id}", response_model=Conversation, responses=problems(404))
    def conversation(conversation_id: str, svc: ServiceDep) -> dict:
        """A whole saved conversation: questions, answers with their citations, feedback."""
        return svc.store.get(conversation_id)

    @app.delete("/api/conversations/{conversation_id}", status_code=204, responses=problems(404))
    def delete_conversation(conversation_id: str, svc: ServiceDep) -> Response:
        svc.store.delete(conversation_id)
        return Response(status_code=204)

    @app.post("/api/feedback", response_model=FeedbackOut, status_code=201, responses=problems(404, 422))
    def feedback(body: FeedbackIn, svc: ServiceDep) -> FeedbackOut:
        """Rate one answer (up or down), with an optional reason and comment."""
        return FeedbackOut(feedback_id=svc.store.add_feedback(body.message_id, body.rating, body.reason,
                                                              body.comment))


def add_page_routes(app: FastAPI, web_dir: Path) -> None:
    def page(name: str, status: int = 200) -> FileResponse:
        return FileResponse(web_dir / name, status_code=status, media_type="text/html")

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return page("index.html")

    @app.get("/c/{conversation_id}", include_in_schema=False)
    def conversation_page(conversation_id: str) -> FileResponse:
        """A saved conversation's own address: the chat page, which loads it."""
        return page("index.html")

    @app.get("/documents", include_in_schema=False)
    def documents_page() -> FileResponse:
        return page("documents.html")

    # (":path": an id with a slash in it, "a%2Fb", reaches the page too, which says there is no such document)
    @app.get("/documents/{doc_id:path}", include_in_schema=False)
    def document_page(doc_id: str, svc: ServiceDep) -> FileResponse:
        return page("document.html", 200 if doc_id in svc.retriever.index.documents else 404)

    app.mount("/static", StaticFiles(directory=web_dir, check_dir=False), name="static")
