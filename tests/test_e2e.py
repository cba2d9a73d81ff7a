"""A user starts `kzqa serve`, asks over HTTP, and checks the answer against the passage it cites."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx


def test_a_question_over_http_is_answered_from_the_passage_it_cites(live_server):
    reply = httpx.post(f"{live_server}/api/chat", timeout=60, json={"messages": [
        {"role": "user", "content": "Which export products did Kazakhstan and Russia hit?"}]})
    assert reply.status_code == 200
    body = reply.json()
    assert body["answered"] is True
    assert "oil" in body["answer"] and "coal" in body["answer"]
    # every quoted sentence stands, word for word, in the passage its marker points at
    by_n = {c["n"]: c for c in body["citations"]}
    for line in body["answer"].splitlines():
        for sentence, n in re.findall(r"(?:: |\] )?([^\[\]]+?) \[(\d+)\]", line):
            assert sentence.split(": ", 1)[-1] in by_n[int(n)]["text"]
    cited = by_n[1]
    assert "Kazakh oil, or Russian coal" in cited["text"]

    # the passage's link opens kzqa's own page for the document, served by kzqa
    link = urlsplit(cited["link"])
    assert httpx.get(f"{live_server}{link.path}").status_code == 200
    document = httpx.get(f"{live_server}/api/documents/{cited['doc_id']}").json()
    query = parse_qs(link.query)
    start, end = int(query["start"][0]), int(query["end"][0])
    assert document["text"][start:end] == cited["text"]
    assert cited["url"] == document["url"] == "http://warsawpoint.com/news/39661-eastern-express-05-09.html"


def test_the_chat_page_is_served_at_the_root(live_server):
    page = httpx.get(live_server + "/")
    assert page.status_code == 200 and "<textarea" in page.text
