"""Answers -> HTTP: the JSON API, the chat page and the document pages.

The embedding model and the index load once, in the lifespan, and reach the routes through
``Depends(get_service)``. Tests may hand in their own ``Service`` to ``create_app``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from kzqa import __version__
from kzqa.answer import Answer, Message, answer
from kzqa.embed import load_embedder
from kzqa.errors import ApiError, install_error_handlers
from kzqa.index import load_index
from kzqa.retrieve import Filters, Hit, Retriever
from kzqa.settings import Settings


@dataclass(frozen=True)
class Service:
    """What the routes need, built once at startup."""

    settings: Settings
    retriever: Retriever


def load_service(settings: Settings) -> Service:
    embedder = load_embedder(settings.model, settings.threads)
    index = load_index(settings.corpus_dir, settings.index_dir, embedder, settings.chunk_chars,
                       settings.chunk_overlap)
    return Service(settings, Retriever(index, embedder))


def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


class ChatMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class FiltersIn(BaseModel):
    outlets: list[str] = Field(default_factory=list, description="Only passages from these outlets.")
    published_from: dt.date | None = Field(None, description="Only documents published on or after this date.")
    published_to: dt.date | None = Field(None, description="Only documents published on or before this date.")

    def to_filters(self) -> Filters:
        return Filters(frozenset(self.outlets), self.published_from, self.published_to)


class ChatRequest(BaseModel):
    messages: list[ChatMessage] = Field(min_length=1)
    filters: FiltersIn | None = None


class Passage(BaseModel):
    doc_id: str
    chunk_id: str
    title: str
    outlet: str
    author: str | None
    published: str | None
    url: str | None = Field(description="The original article's address, when known.")
    link: str = Field(description="kzqa's own page for the document, anchored at the passage.")
    text: str = Field(description="The passage, verbatim from the corpus.")
    start: int = Field(description="Character offset of the passage in the document text.")
    end: int
    score: float


class CitationOut(Passage):
    n: int = Field(description="The marker [n] in the answer that points here.")


class ChatResponse(BaseModel):
    answer: str
    answered: bool
    citations: list[CitationOut]
    query: str


def passage_link(hit: Hit) -> str:
    return f"/documents/{hit.chunk.doc_id}?start={hit.chunk.start}&end={hit.chunk.end}#passage"


def passage(hit: Hit) -> dict:
    doc, chunk = hit.document, hit.chunk
    return {"doc_id": doc.doc_id, "chunk_id": chunk.chunk_id, "title": doc.title, "outlet": doc.outlet,
            "author": doc.author, "published": doc.published, "url": doc.url, "link": passage_link(hit),
            "text": chunk.text, "start": chunk.start, "end": chunk.end, "score": round(hit.score, 4)}


def ask(service: Service, messages: list[Message], filters: Filters | None = None) -> ChatResponse:
    """Answer a conversation in-process: what POST /api/chat returns."""
    return chat_response(answer(messages, service.retriever, service.settings, filters))


def chat_response(result: Answer) -> ChatResponse:
    citations = [CitationOut(n=c.n, **passage(c.hit)) for c in result.citations]
    return ChatResponse(answer=result.text, answered=result.answered, citations=citations, query=result.query)


def _check_limits(body: ChatRequest, settings: Settings) -> list[Message]:
    if len(body.messages) > settings.max_messages:
        raise ApiError(422, "too_many_messages", f"At most {settings.max_messages} messages are accepted.")
    if body.messages[-1].role != "user":
        raise ApiError(422, "no_question", "The last message must be the user's question.")
    question = body.messages[-1].content
    if not question.strip():
        raise ApiError(422, "empty_question", "The question is empty.")
    for m in body.messages:
        if len(m.content) > settings.max_question_chars:
            raise ApiError(422, "question_too_long",
                           f"A message may hold at most {settings.max_question_chars} characters.")
    return [Message(m.role, m.content) for m in body.messages]


def create_app(settings: Settings | None = None, service: Service | None = None) -> FastAPI:
    settings = settings or (service.settings if service else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = service or load_service(settings)
        yield

    app = FastAPI(title="kzqa", version=__version__, lifespan=lifespan,
                  description="Cited answers over a news corpus about Kazakhstan's November 2022 election.")
    install_error_handlers(app)
    add_api_routes(app)
    add_page_routes(app, settings.web_dir)
    return app


def add_api_routes(app: FastAPI) -> None:
    @app.get("/healthz")
    def healthz(svc: ServiceDep) -> dict:
        manifest = svc.retriever.index.manifest
        return {"status": "ok", "model": manifest["model"], "chunks": manifest["n_chunks"],
                "documents": manifest["n_documents"]}

    @app.post("/api/chat", response_model=ChatResponse)
    def chat(body: ChatRequest, svc: ServiceDep) -> ChatResponse:
        messages = _check_limits(body, svc.settings)
        return ask(svc, messages, body.filters.to_filters() if body.filters else None)

    @app.get("/api/search")
    def search(svc: ServiceDep, q: Annotated[str, Query(min_length=1, max_length=1000)],
               k: Annotated[int, Query(ge=1, le=50)] = 5,
               outlet: Annotated[list[str], Query(description="Only these outlets (repeatable).")] = [],  # noqa: B006
               published_from: dt.date | None = None, published_to: dt.date | None = None,
               ) -> dict[str, list[Passage]]:
        if not q.strip():
            raise ApiError(422, "empty_question", "The query is empty.")
        filters = Filters(frozenset(outlet), published_from, published_to)
        return {"results": [Passage(**passage(hit)) for hit in svc.retriever.search(q, k, filters)]}

    @app.get("/api/documents")
    def documents(svc: ServiceDep) -> dict:
        docs = svc.retriever.index.documents.values()
        return {"documents": [d.metadata() | {"link": f"/documents/{d.doc_id}"} for d in docs]}

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: str, svc: ServiceDep) -> dict:
        doc = svc.retriever.index.documents.get(doc_id)
        if doc is None:
            raise ApiError(404, "unknown_document", f"There is no document {doc_id!r}.")
        chunks = [{"chunk_id": c.chunk_id, "start": c.start, "end": c.end}
                  for c in svc.retriever.index.chunks if c.doc_id == doc_id]
        return doc.metadata() | {"link": f"/documents/{doc_id}", "text": doc.text, "chunks": chunks}


def add_page_routes(app: FastAPI, web_dir: Path) -> None:
    def page(name: str, status: int = 200) -> FileResponse:
        return FileResponse(web_dir / name, status_code=status, media_type="text/html")

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return page("index.html")

    @app.get("/documents", include_in_schema=False)
    def documents_page() -> FileResponse:
        return page("documents.html")

    @app.get("/documents/{doc_id}", include_in_schema=False)
    def document_page(doc_id: str, svc: ServiceDep) -> FileResponse:
        return page("document.html", 200 if doc_id in svc.retriever.index.documents else 404)

    app.mount("/static", StaticFiles(directory=web_dir, check_dir=False), name="static")
