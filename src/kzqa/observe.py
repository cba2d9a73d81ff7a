"""Seeing what the server does: one log line per request, and Prometheus metrics.

Every request gets an id: the client's ``X-Request-ID`` when it is a short token, otherwise a new
one. The id comes back in the ``X-Request-ID`` response header and is in the request's log line:

    text: 2026-11-23 12:00:00,000 INFO kzqa.access POST /api/chat 200 18.2 ms id=3f2a...
    json: {"level": "INFO", "logger": "kzqa.access", "message": "POST /api/chat 200 18.2 ms id=3f2a...",
           "method": "POST", "path": "/api/chat", "status": 200, "duration_ms": 18.2, "request_id": "3f2a...",
           "route": "/api/chat", "time": "2026-11-23T12:00:00.000000+00:00"}

``/metrics`` (Prometheus text format) counts requests and times them by route template (not by
raw path, which would let any client create series), and times retrieval and whole answers.
Each app has its own registry, so two apps in one process (tests) do not share counts.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kzqa.settings import Settings

access_log = logging.getLogger("kzqa.access")
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Seconds. Answers take ~20 ms here; a generated answer can take the LLM's whole timeout.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


def configure_logging(settings: Settings) -> None:
    """Send kzqa's and uvicorn's logs to stderr, as text or JSON lines (``KZQA_LOG_FORMAT``)."""
    level = settings.log_level.upper()
    handler = logging.StreamHandler()
    handler.setLevel(level)  # also for libraries that set their own loggers to DEBUG (bm25s does)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter("{levelname}{name}{message}", style="{", timestamp="time",
                                           rename_fields={"levelname": "level", "name": "logger"},
                                           reserved_attrs=[*RESERVED_ATTRS, "color_message"]))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):  # let uvicorn's own lines go through the same handler
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("kzqa_requests", "HTTP requests answered", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("kzqa_request_seconds", "Time to answer an HTTP request (whole body)",
                                 ["method", "route"], buckets=BUCKETS, registry=self.registry)
        self.retrieval = Histogram("kzqa_retrieval_seconds", "Embedding the query and searching the index",
                                   buckets=BUCKETS, registry=self.registry)
        self.answer = Histogram("kzqa_answer_seconds", "A whole answer: retrieval, sentence choice or generation",
                                buckets=BUCKETS, registry=self.registry)
        self.reloads = Counter("kzqa_index_reloads", "Index reloads while serving", ["outcome"],
                               registry=self.registry)
        for outcome in RELOAD_OUTCOMES:  # each at 0 from the start: a rate over it needs a first sample
            self.reloads.labels(outcome)
        self.index_chunks = Gauge("kzqa_index_chunks", "Chunks in the index being served", registry=self.registry)
        self.index_documents = Gauge("kzqa_index_documents", "Documents in the index being served",
                                     registry=self.registry)

    def watch_index(self, chunks: Callable[[], float], documents: Callable[[], float]) -> None:
        """Read the index size at each scrape, so a reloaded index shows at once."""
        self.index_chunks.set_function(chunks)
        self.index_documents.set_function(documents)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def route_template(scope: Scope) -> str:
    """The matched route's path template ("/api/documents/{doc_id}"), or "unmatched" for a path no route
    serves. A request answered before routing (a body over the limit: 413) is matched here."""
    if route := getattr(scope.get("route"), "path", None):
        return route
    for candidate in getattr(scope.get("app"), "routes", ()):
        if candidate.matches(scope)[0] != Match.NONE:
            return getattr(candidate, "path", None) or "unmatched"
    return "unmatched"


RELOAD_OUTCOMES = ("done", "unchanged", "refused")  # admin.py's


class RequestLog:
    """Pure ASGI middleware (so streamed answers pass through untouched): id, log line, metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500
        root_path = scope.get("root_path", "")  # a mount ("/static") adds its prefix to the shared scope as it routes

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:  # also when the app raised: the client then gets a 500 from the outermost layer
            self._record(scope, status, time.perf_counter() - started, request_id, root_path)

    def _record(self, scope: Scope, status: int, seconds: float, request_id: str, root_path: str) -> None:
        method, route = scope["method"], route_template({**scope, "root_path": root_path})
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.latency.labels(method, route).observe(seconds)
        duration_ms = round(seconds * 1000, 1)
        access_log.info("%s %s %s %.1f ms id=%s", method, scope["path"], status, duration_ms, request_id,
                        extra={"method": method, "path": scope["path"], "route": route, "status": status,
                               "duration_ms": duration_ms, "request_id": request_id})
