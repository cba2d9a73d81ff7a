"""Programs talk to kzqa over JSON: the contract fields and the error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kzqa.api import create_app

PASSAGE_FIELDS = {"doc_id", "chunk_id", "title", "outlet", "author", "published", "url", "link", "text", "start",
                  "end", "score"}


@pytest.fixture(scope="module")
def client(service):
    with TestClient(create_app(service=service)) as c:
        yield c


def ask(client, *questions: str) -> dict:
    messages = []
    for q in questions[:-1]:
        messages += [{"role": "user", "content": q}, {"role": "assistant", "content": "..."}]
    reply = client.post("/api/chat", json={"messages": messages + [{"role": "user", "content": questions[-1]}]})
    assert reply.status_code == 200, reply.text
    return reply.json()


def assert_problem(reply, status: int, code: str) -> dict:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    body = reply.json()
    assert set(body) == {"type", "title", "status", "detail", "code"}
    assert (body["status"], body["code"]) == (status, code)
    assert "Traceback" not in body["detail"]
    return body


def test_a_chat_answer_cites_passages_with_every_contract_field(client, service):
    body = ask(client, "Until what year is Tokayev set to remain in office?")
    assert body["answered"] is True and body["query"] == "Until what year is Tokayev set to remain in office?"
    assert "2029" in body["answer"]
    assert [c["n"] for c in body["citations"]] == list(range(1, len(body["citations"]) + 1))
    docs = service.retriever.index.documents
    for citation in body["citations"]:
        assert set(citation) == PASSAGE_FIELDS | {"n"}
        assert f"[{citation['n']}]" in body["answer"]
        doc = docs[citation["doc_id"]]
        assert doc.text[citation["start"]:citation["end"]] == citation["text"]
        assert citation["link"] == (f"/documents/{citation['doc_id']}?start={citation['start']}"
                                    f"&end={citation['end']}#passage")
        assert (citation["outlet"], citation["url"]) == (doc.outlet, doc.url)


def test_search_returns_ranked_passages(client, service):
    results = client.get("/api/search", params={"q": "Karim Masimov treason", "k": 3}).json()["results"]
    assert len(results) == 3
    assert all(set(r) == PASSAGE_FIELDS for r in results)
    # in the fused order (dense + BM25), each with its cosine, which need not fall monotonically
    assert [r["chunk_id"] for r in results] == [h.chunk.chunk_id for h in service.retriever.search(
        "Karim Masimov treason", 3)]
    assert all(-1 <= r["score"] <= 1 for r in results)
    assert any("treason" in r["text"] for r in results)


def test_a_search_naming_an_outlet_returns_its_passages_and_says_what_was_searched(client):
    body = client.get("/api/search", params={"q": "Nikkei Asia on Tokayev's reforms", "k": 4}).json()
    assert (body["query"], body["outlets"]) == ("on Tokayev's reforms", ["Nikkei Asia"])
    assert len(body["results"]) == 4 and {r["outlet"] for r in body["results"]} == {"Nikkei Asia"}
    chosen = client.get("/api/search", params={"q": "Nikkei Asia on Tokayev's reforms", "outlet": "Caliber.Az"}).json()
    assert (chosen["query"], chosen["outlets"]) == ("on Tokayev's reforms", ["Caliber.Az"])
    assert {r["outlet"] for r in chosen["results"]} == {"Caliber.Az"}
    plain = client.get("/api/search", params={"q": "Tokayev's reforms"}).json()
    assert (plain["query"], plain["outlets"]) == ("Tokayev's reforms", [])
    # asked what an outlet says about something, the search is for that thing in its passages
    said = client.get("/api/search", params={"q": "What does New Eastern Outlook say about the CSTO?", "k": 3}).json()
    assert (said["query"], said["outlets"]) == ("the CSTO", ["New Eastern Outlook"])
    assert "CSTO" in said["results"][0]["text"]


def test_a_search_naming_a_document_by_its_title_returns_its_passages_and_says_which(client):
    body = client.get("/api/search", params={"q": "Who joined the Eastern Express programme?", "k": 3}).json()
    assert (body["query"], body["outlets"]) == ("Who joined?", [])
    assert body["documents"] == ["warsawpoint-2022-09-05-eastern-express"]
    assert len(body["results"]) == 3 and {r["title"] for r in body["results"]} == {"Eastern Express 05.09"}
    assert client.get("/api/search", params={"q": "Tokayev's reforms"}).json()["documents"] == []


def test_a_search_filtered_to_nothing_says_why_and_names_outlets_as_the_corpus_spells_them(client):
    backwards = client.get("/api/search", params={"q": "Tokayev", "published_from": "2022-11-30",
                                                   "published_to": "2022-11-01"})
    assert backwards.status_code == 200 and backwards.json()["results"] == []
    assert backwards.json()["reason"] == "published_from (2022-11-30) is after published_to (2022-11-01)"
    none_then = client.get("/api/search", params={"q": "Tokayev", "outlet": "Nikkei Asia",
                                                   "published_to": "2022-11-01"}).json()
    assert none_then["results"] == [] and none_then["reason"] == "no passage matches the chosen outlets and dates"
    lower = client.get("/api/search", params={"q": "Tokayev's reforms", "outlet": "nikkei asia"}).json()
    assert lower["outlets"] == ["Nikkei Asia"] and lower["reason"] is None and lower["results"]


def test_a_search_with_a_name_spelt_otherwise_searches_the_documents_spelling(client):
    body = client.get("/api/search", params={"q": "Nazarbaev Masimov Judas", "k": 3}).json()
    assert body["query"] == "Nazarbayev Masimov Judas"
    assert any("Judas" in result["text"] for result in body["results"])


def test_documents_list_and_one_document_with_its_chunks(client):
    listing = client.get("/api/documents").json()["documents"]
    assert len(listing) == 5 and all("text" not in d for d in listing)
    nikkei = next(d for d in listing if d["outlet"] == "Nikkei Asia")
    doc = client.get(f"/api/documents/{nikkei['doc_id']}").json()
    assert doc["published"] == "2022-11-22" and doc["url"] is None
    assert doc["chunks"] and all(0 <= c["start"] < c["end"] <= len(doc["text"]) for c in doc["chunks"])


def test_an_unknown_document_is_a_404_problem(client):
    body = assert_problem(client.get("/api/documents/no-such-doc"), 404, "unknown_document")
    assert "no-such-doc" in body["detail"]
    for address in ("/documents/no-such-doc", "/documents/a%2Fb", "/documents/a/b"):  # the page says so, in HTML
        page = client.get(address)
        assert (page.status_code, page.headers["content-type"].split(";")[0]) == (404, "text/html"), address


@pytest.mark.parametrize("payload, code", [
    ({"messages": [{"role": "user", "content": "   "}]}, "empty_question"),
    # characters that show nothing: zero-width spaces, a byte order mark, no-break and ideographic spaces
    ({"messages": [{"role": "user", "content": "\u200b\u200b\ufeff"}]}, "empty_question"),
    ({"messages": [{"role": "user", "content": "\u00a0 \u3000"}]}, "empty_question"),
    ({"messages": [{"role": "user", "content": "x" * 1001}]}, "question_too_long"),
    ({"messages": []}, "invalid_request"),
    ({"messages": [{"role": "robot", "content": "hi"}]}, "invalid_request"),
    ({"messages": [{"role": "assistant", "content": "hello"}]}, "no_question"),
    ({"question": "where are the messages?"}, "invalid_request"),
])
def test_a_bad_question_is_a_422_that_says_what_is_wrong(client, payload, code):
    assert_problem(client.post("/api/chat", json=payload), 422, code)


def test_a_program_sends_back_a_long_answer_as_history_and_asks_on(client):
    # A yes/no question gets one line per outlet, which can run past the 1000 characters a question may hold.
    history = [{"role": "user", "content": "Will Kazakhstan's foreign policy change after the election?"}]
    first = client.post("/api/chat", json={"messages": history}).json()
    assert len(first["answer"]) > 1000
    history += [{"role": "assistant", "content": first["answer"]}, {"role": "user", "content": "And towards Russia?"}]
    reply = client.post("/api/chat", json={"messages": history})
    assert reply.status_code == 200 and reply.json()["answered"]
    history[-1]["content"] = "x" * 1001  # the reader's own question is still held to the limit
    assert_problem(client.post("/api/chat", json={"messages": history}), 422, "question_too_long")


def test_an_outlet_the_corpus_does_not_hold_is_a_422_that_names_those_it_does(client):
    # An outlet the corpus does not hold is not silently "no document matches": the reader is told which exist.
    saved = client.get("/api/conversations").json()["conversations"]
    body = assert_problem(client.post("/api/chat", json={"messages": [{"role": "user", "content": "Who won?"}],
                                                         "filters": {"outlets": ["Fox News"]}}), 422, "unknown_outlet")
    assert "'Fox News'" in body["detail"] and "Nikkei Asia" in body["detail"]
    assert client.get("/api/conversations").json()["conversations"] == saved  # nothing was saved
    body = assert_problem(client.get("/api/search", params={"q": "CSTO", "outlet": "Nope"}), 422, "unknown_outlet")
    assert body["detail"].startswith("No document is from 'Nope'; the outlets are Caliber.Az, New Eastern Outlook")
    # the schema lists the outlets, so a program can offer them
    schema = client.get("/openapi.json").json()
    assert schema["components"]["schemas"]["FiltersIn"]["properties"]["outlets"]["items"]["enum"] == [
        "Caliber.Az", "New Eastern Outlook", "Nikkei Asia", "PolitNavigator", "Warsaw Point"]
    # outlets are named in any case, as the filter matches them
    reply = client.get("/api/search", params={"q": "CSTO", "outlet": "nikkei asia"})
    assert reply.status_code == 200 and {r["outlet"] for r in reply.json()["results"]} == {"Nikkei Asia"}


def test_a_misspelt_field_is_a_422_and_a_period_that_ends_before_it_begins_is_named(client):
    question = [{"role": "user", "content": "Who won?"}]
    misspelt = assert_problem(client.post("/api/chat", json={"messages": question, "conversationid": "x"}),
                              422, "invalid_request")
    assert "conversationid" in misspelt["detail"]
    # a field a message does not define is named too, not dropped
    named = assert_problem(client.post("/api/chat", json={"messages": [question[0] | {"name": "bob"}]}),
                           422, "invalid_request")
    assert "name" in named["detail"]
    # the schema cannot say that one date must precede the other, so such a request is valid: it is refused
    # with the reason, rather than with only "no document matches"
    backwards = {"published_from": "2022-12-01", "published_to": "2022-11-01"}
    body = client.post("/api/chat", json={"messages": question, "filters": backwards}).json()
    assert not body["answered"] and body["citations"] == []
    assert body["refusal_reason"] == "published_from (2022-12-01) is after published_to (2022-11-01)"
    assert client.get("/api/search", params={"q": "CSTO"} | backwards).json()["results"] == []
    no_day = client.post("/api/chat", json={"messages": question, "filters": {"published_from": "2022-02-30"}})
    assert "2022-02-30 is no day of the calendar" in assert_problem(no_day, 422, "invalid_request")["detail"]


def test_malformed_json_unknown_routes_and_wrong_methods_keep_the_error_shape(client):
    reply = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert_problem(reply, 422, "malformed_json")
    for unreadable in (b'{"messages": "' + bytes([0xFF, 0xFE]) + b'"}', b"[" * 50_000):
        reply = client.post("/api/chat", content=unreadable, headers={"content-type": "application/json"})
        assert_problem(reply, 422, "malformed_json")  # not UTF-8, or nested past the parser's depth
    # curl -d without -H 'Content-Type: application/json' sends a form: the reader is told what to add
    form = client.post("/api/chat", content=b'{"messages": []}',
                       headers={"content-type": "application/x-www-form-urlencoded"})
    body = assert_problem(form, 422, "malformed_json")
    assert "Content-Type: application/json" in body["detail"] and "application/x-www-form-urlencoded" in body["detail"]
    empty = assert_problem(client.post("/api/chat", content=b"", headers={"content-type": "application/json"}),
                           422, "malformed_json")
    assert empty["detail"] == "The request body is empty; send a JSON object."
    deep = client.post("/api/chat", content=b"[" * 50_000, headers={"content-type": "application/json"})
    assert assert_problem(deep, 422, "malformed_json")["detail"] == "The request body is nested too deeply to read."
    assert_problem(client.get("/api/nothing-here"), 404, "not_found")
    assert_problem(client.get("/api/chat"), 405, "method_not_allowed")
    assert_problem(client.get("/api/search", params={"q": "x", "k": 0}), 422, "invalid_request")
    # a search with nothing to search for is an empty question, as in the chat, blank or not
    for blank in ("", "   ", "\u200b"):
        assert_problem(client.get("/api/search", params={"q": blank}), 422, "empty_question")


def test_a_search_query_is_held_to_the_server_s_question_limit(service):
    settings = service.settings.model_copy(update={"max_question_chars": 40})
    with TestClient(create_app(settings=settings, service=service)) as small:
        assert small.get("/api/search", params={"q": "Karim Masimov treason"}).status_code == 200
        body = assert_problem(small.get("/api/search", params={"q": "Karim Masimov " * 4}), 422, "question_too_long")
        assert "40" in body["detail"]
        schema = small.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]
        assert next(p for p in schema if p["name"] == "q")["schema"]["maxLength"] == 40


def test_the_chat_page_and_its_assets_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and 'id="question"' in page.text
    assert client.get("/static/app.js").status_code == 200
    health = client.get("/healthz").json()
    assert health["chunks"] > 20
    head = client.head("/healthz")  # what uptime checkers send
    assert head.status_code == 200 and head.content == b""
    assert health["max_question_chars"] == 1000  # the default the chat page then holds its box to
