"""One error shape for every HTTP error: RFC 9457 ``application/problem+json``.

    {"type": "https://kzqa.dev/problems/<code>", "title": ..., "status": ..., "detail": ..., "code": ...}

``code`` is stable and meant for programs; ``detail`` is a sentence meant for people. Under
``/v1/`` (the OpenAI-compatible API) the problem also carries the extension member
``"error": {"message", "type", "code", "param"}``, which OpenAI clients read.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kzqa.store import ConversationChanged, NotFound

log = logging.getLogger("kzqa")
PROBLEM = "application/problem+json"
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "body_too_large", 415: "unsupported_media_type", 422: "invalid_request",
         500: "internal_error", 503: "unavailable"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers


def problems(*statuses: int) -> dict:
    """OpenAPI description of the error responses a route can give."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {status: {"description": "A problem (see docs/http.md)", "content": {PROBLEM: {"schema": schema}}}
            for status in statuses}


def problem_body(status: int, code: str, detail: str) -> dict:
    return {"type": f"https://kzqa.dev/problems/{code}", "title": HTTPStatus(status).phrase,
            "status": status, "detail": detail, "code": code}


def problem(request: Request | None, status: int, code: str, detail: str,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = problem_body(status, code, detail)
    if request is not None and request.url.path.startswith("/v1/"):
        kind = "invalid_request_error" if status < 500 else "server_error"
        body["error"] = {"message": detail, "type": kind, "code": code, "param": None}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _where(loc: tuple) -> str:
    return ".".join(str(part) for part in loc if part != "body") or "body"


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def conversation_changed(conversation_id: str) -> str:
    """The detail of a 409 conversation_changed."""
    return (f"The conversation {conversation_id!r} has gone on since the answer given as last_message_id (in "
            "another tab, or by another client); nothing was saved. Read it again (GET /api/conversations/{id}), "
            "then ask.")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem(request, exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem(request, 404, "unknown_id", f"There is no conversation or message {exc.args[0]!r}.")

    @app.exception_handler(ConversationChanged)
    async def changed(request: Request, exc: ConversationChanged) -> JSONResponse:
        return problem(request, 409, "conversation_changed", conversation_changed(exc.args[0]))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        # OpenAI's API answers a request it cannot accept with 400; kzqa's own API with 422.
        status = 400 if request.url.path.startswith("/v1/") else 422
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem(request, status, "malformed_json", "The request body is not valid JSON.")
        if any(tuple(e.get("loc", ())) == ("body",) for e in errors):  # no body, or one not read as JSON
            return _unread_body(request, status)
        if _question_errors(errors, "string_pattern_mismatch"):
            return problem(request, status, "empty_question", "The question is empty.")
        if too_long := _question_errors(errors, "string_too_long"):
            limit = (too_long[0].get("ctx") or {}).get("max_length")
            detail = f"The question may hold at most {limit} characters." if limit else "The question is too long."
            return problem(request, status, "question_too_long", detail)
        detail = "; ".join(f"{_where(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in errors[:5])
        return problem(request, status, "invalid_request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's 400 for a body it could not read as JSON at all: not UTF-8, or nested past the parser's depth
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError | RecursionError):
            status = 400 if request.url.path.startswith("/v1/") else 422
            detail = ("The request body is nested too deeply to read." if isinstance(exc.__cause__, RecursionError)
                      else "The request body is not valid JSON in UTF-8.")
            return problem(request, status, "malformed_json", detail)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only those of the first route matched
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return problem(request, exc.status_code, CODES.get(exc.status_code, "http_error"), detail, headers)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(request, 500, "internal_error", "The server failed to answer; the error has been logged.")


def _unread_body(request: Request, status: int) -> JSONResponse:
    """The problem for a body that is empty or that FastAPI did not read as JSON: it reads one as JSON only
    when the Content-Type says so, and a body sent without (curl's default is a form) is a mere string."""
    kind = request.headers.get("content-type", "")
    if request.headers.get("content-length", "0") == "0" and "transfer-encoding" not in request.headers:
        return problem(request, status, "malformed_json", "The request body is empty; send a JSON object.")
    if "json" not in kind.split(";")[0]:
        return problem(request, status, "malformed_json", "The body must be a JSON object sent with Content-Type: "
                       f"application/json; it came as {kind or 'no Content-Type'!r}.")
    return problem(request, status, "invalid_request", "body: a JSON object is expected.")


class BodyLimit:
    """ASGI middleware: refuse a request body over ``max_bytes`` with a 413 problem, whether its
    Content-Length says so up front or a chunked body grows past the limit while it is read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = problem(Request(scope), 413, "body_too_large", self._detail())
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise StarletteHTTPException(413, self._detail())
            return message

        await self.app(scope, counting_receive, send)

    def _detail(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes."


def _question_errors(errors: list, error_type: str) -> list:
    """The validation errors of that type on a question: a message's ``content`` or a search's ``q``."""
    return [e for e in errors if e.get("type") == error_type and e.get("loc", [""])[-1] in ("content", "q")]
