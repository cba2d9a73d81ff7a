"""Talking to a running ``kzqa serve`` from the command line (``kzqa ask --server``, ``kzqa index --reload``):
one JSON POST, and each way it can fail named in the line the command prints."""

from __future__ import annotations

from typing import Any

import httpx


class ServerError(Exception):
    """A running `kzqa serve` could not be reached, failed, or did not answer with JSON."""


class RequestRefused(Exception):
    """The server found the request wrong (400, 422), as the command would have: the command was wrong."""


def post_to_server(server: str, path: str, timeout: float, **request: Any) -> dict:
    """The JSON object a running `kzqa serve` answers a POST with; ServerError or RequestRefused, with the line
    to print, else."""
    try:
        reply = httpx.post(server.rstrip("/") + path, timeout=timeout, **request)
        data = reply.json()
    except httpx.HTTPError as exc:
        raise ServerError(f"could not reach {server}: {exc}") from exc
    except ValueError as exc:
        raise ServerError(f"{server} did not answer with JSON: is it a kzqa server?") from exc
    if not isinstance(data, dict):
        raise ServerError(f"{server} did not answer with a JSON object: is it a kzqa server?")
    detail = str(data.get("detail") or f"the server answered {reply.status_code}")
    if reply.status_code in (400, 422):
        raise RequestRefused(detail)
    if reply.status_code == 404 and data.get("code") == "not_found":  # no such route: not the server's own address
        raise ServerError(f"{server} has no {path}: give the address kzqa serves at (e.g. http://127.0.0.1:8000)")
    if reply.status_code != 200:
        raise ServerError(detail)
    return data
