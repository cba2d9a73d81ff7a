"""Running the server: ``/metrics`` for Prometheus and ``POST /admin/reload`` to swap in a new index.

Reloading builds a new ``Service`` beside the one serving (same model, same store) and then
replaces ``app.state.service`` in one assignment. A request takes the service once, when it
starts, so requests already running finish on the old index and later ones get the new one:
none is dropped. A reload that fails (no index, a damaged one, one built for other settings)
changes nothing and says why.

Admin endpoints need ``Authorization: Bearer <KZQA_ADMIN_KEY>``; with no key set they are off.
"""

from __future__ import annotations

import hmac
import logging
import threading
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, Field

from kzqa.chat import Service
from kzqa.errors import ApiError, problems
from kzqa.index import IndexUnusable, open_index
from kzqa.observe import METRICS_CONTENT_TYPE, Metrics
from kzqa.retrieve import Retriever

log = logging.getLogger("kzqa")
router = APIRouter()
_reloading = threading.Lock()  # one reload at a time; requests never wait on it


class Reloaded(BaseModel):
    reloaded: bool = Field(description="Whether the index being served changed.")
    chunks: int = Field(description="Chunks in the index now served.")
    documents: int = Field(description="Documents in the index now served.")
    corpus_hash: str = Field(description="The corpus hash recorded in the index now served.")


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    key = request.app.state.service.settings.admin_key
    if not key:
        raise ApiError(403, "admin_disabled", "Admin endpoints are off: set KZQA_ADMIN_KEY to use them.")
    scheme, _, given = (authorization or "").partition(" ")
    # compare_digest: the time taken does not tell how much of a wrong key was right
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), key.encode()):
        raise ApiError(401, "admin_key_required", "This endpoint needs the header "
                       "'Authorization: Bearer <KZQA_ADMIN_KEY>'.", headers={"WWW-Authenticate": "Bearer"})


def reloaded_service(service: Service) -> Service:
    """A service on the index now on disk, sharing everything else with ``service``."""
    embedder = service.retriever.embedder
    return replace(service, retriever=Retriever(open_index(service.settings, embedder), embedder))


@router.post("/admin/reload", response_model=Reloaded, dependencies=[Depends(require_admin)], tags=["admin"],
             responses=problems(401, 403, 409))
def reload_index(request: Request) -> Reloaded:
    """Load the index `kzqa index` last built and serve it from now on, without dropping requests."""
    metrics: Metrics = request.app.state.metrics
    with _reloading:
        old = request.app.state.service
        try:
            new = reloaded_service(old)
        except IndexUnusable as exc:
            metrics.reloads.labels("refused").inc()
            raise ApiError(409, "index_unusable", f"The index was not reloaded: {exc}.") from None
        request.app.state.service = new
    manifest = new.retriever.index.manifest
    changed = manifest != old.retriever.index.manifest
    metrics.reloads.labels("done" if changed else "unchanged").inc()
    log.info("index reloaded: %d chunks, %d documents (changed: %s)", manifest["n_chunks"],
             manifest["n_documents"], changed)
    return Reloaded(reloaded=changed, chunks=manifest["n_chunks"], documents=manifest["n_documents"],
                    corpus_hash=manifest["corpus_hash"])


@router.get("/metrics", tags=["admin"], response_class=Response,
            responses={200: {"description": "Prometheus text format", "content": {METRICS_CONTENT_TYPE: {}}}})
def metrics(request: Request) -> Response:
    """Request counts and latency by route, retrieval and answer time, index size."""
    return Response(request.app.state.metrics.exposition(), media_type=METRICS_CONTENT_TYPE)
