"""docs/http.md's examples are real: each JSON example satisfies the model its comment names, and
every route it mentions is in the OpenAPI schema."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from kzqa import admin, openai_api, schemas
from kzqa.api import create_app
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "http.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"<!-- example: (\w+) -->\s*```json\n(.*?)```", DOC, re.S)
ROUTES = set(re.findall(r"`(GET|POST|DELETE) (/[\w/{}.-]*)", DOC))


def model(name: str):
    return getattr(schemas, name, None) or getattr(openai_api, name, None) or getattr(admin, name)


def test_the_document_has_examples_of_requests_responses_and_errors():
    assert {name for name, _ in EXAMPLES} >= {"ChatRequest", "ChatResponse", "SearchResponse", "FeedbackIn",
                                              "ChatCompletionRequest", "Problem"}


@pytest.mark.parametrize("name, block", EXAMPLES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(EXAMPLES)])
def test_each_example_satisfies_its_model(name, block):
    model(name).model_validate(json.loads(block))


def test_every_route_named_in_the_document_exists(service):
    with TestClient(create_app(service=service)) as client:
        paths = client.get("/openapi.json").json()["paths"]
    for method, path in ROUTES - {("GET", "/openapi.json")}:
        assert path in paths and method.lower() in paths[path], f"{method} {path}"
    assert len(ROUTES) >= 8
