"""Markup in a document, its metadata or a question is shown as text and never runs.

A server of its own serves the real corpus plus one document whose text, title, outlet, author and
URL hold script; the reader opens that document, asks a question whose answer quotes it, hovers
its citation and reads the conversation back. Nothing runs (`window.__pwned` stays undefined) and
the markup shows literally.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzqa.index import build_index
from tests.conftest import CORPUS, free_port, kzqa_env, start_server
from tests.test_browser import CHROMIUM, ask, browser, page, shot  # noqa: F401 (browser, page: fixtures)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")

DOC_ID = "zz-zebra-census-injection"
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
DOCUMENT = f"""---
title: "Zebra census {SCRIPT} report"
outlet: "<b onmouseover=\\"window.__pwned=3\\">Zebra Gazette</b>"
author: '<img src=x onerror="window.__pwned=4">'
published: '2022-11-21'
url: "javascript:window.__pwned=5"
language: en
---

The zebra census of Almaty counted 4217 zebras {SCRIPT} in the city park in November 2022.
Officials called it a record for the park.

{IMG} The wildlife office said that the zebras of Almaty prefer striped umbrellas to plain ones.
"""
QUESTION = f"{IMG} How many zebras did the zebra census of Almaty count?"


@pytest.fixture(scope="module")
def hostile_server(settings, embedder, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    for path in CORPUS.glob("*.md"):
        shutil.copy(path, corpus / path.name)
    (corpus / f"{DOC_ID}.md").write_text(DOCUMENT, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("hostile-index")
    build_index(corpus, index_dir, embedder, settings.chunk_chars, settings.chunk_overlap, progress=False)
    env = kzqa_env(settings, KZQA_CORPUS_DIR=str(corpus), KZQA_INDEX_DIR=str(index_dir),
                   KZQA_DATA_DIR=str(tmp_path_factory.mktemp("hostile-data")))
    with start_server(env, free_port(), tmp_path_factory.mktemp("hostile-server")) as base:
        yield base


def assert_inert(page) -> None:  # noqa: F811 (the fixture, imported above)
    page.wait_for_timeout(300)  # give an onerror handler its chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('main script, main img, main b, #cite-card img').length") == 0
    assert page.evaluate("[...document.querySelectorAll('a[href]')].every((a) => /^https?:/.test(a.href))")


def test_a_document_with_script_stays_inert_in_its_page_the_list_the_answer_and_the_card(page, hostile_server):  # noqa: F811
    page.goto(f"{hostile_server}/documents/{DOC_ID}")
    page.locator("#doc-text p").first.wait_for()
    text = page.locator("#doc-text").inner_text()
    assert SCRIPT in text and IMG in text
    assert page.locator("#doc-title").inner_text() == f"Zebra census {SCRIPT} report"
    meta = page.locator("#doc-meta").inner_text()
    assert '<b onmouseover="window.__pwned=3">Zebra Gazette</b>' in meta
    assert '<img src=x onerror="window.__pwned=4">' in meta
    assert page.locator("#doc-url").count() == 0  # a javascript: URL is never a link, nor shown as one
    assert "Original article" not in page.locator("#doc-links").inner_text()
    assert_inert(page)
    shot(page, "inert-document.png")

    page.goto(f"{hostile_server}/documents")
    page.locator(f'#doc-list li[data-doc-id="{DOC_ID}"]').wait_for()
    assert SCRIPT in page.locator(f'#doc-list li[data-doc-id="{DOC_ID}"]').inner_text()
    assert_inert(page)

    page.goto(hostile_server + "/")
    answer = ask(page, QUESTION)
    assert page.locator(".message.user .user-text").inner_text() == QUESTION  # the question, literally
    answer_text = answer.locator(".answer-text").inner_text()
    assert "4217 zebras" in answer_text and SCRIPT in answer_text
    assert "Zebra Gazette</b>" in answer_text
    assert SCRIPT in answer.locator(".source-list").inner_text()
    answer.locator("sup.cite a").first.hover()
    card = page.locator("#cite-card")
    card.wait_for(state="visible")
    assert SCRIPT in card.locator("mark.cited").inner_text()
    assert IMG in card.inner_text() and "original:" not in card.inner_text()
    assert_inert(page)
    shot(page, "inert-answer.png")

    page.reload()  # the saved conversation (and its title in the side list) too
    page.locator("article.answer .answer-actions").wait_for()
    assert QUESTION.split(" How")[0] in page.locator("#history-list").inner_text()
    assert SCRIPT in page.locator("article.answer .answer-text").inner_text()
    assert_inert(page)
    answer = page.locator("article.answer").first
    answer.locator("sup.cite a").first.click()
    page.locator("mark.cited").first.wait_for()
    assert SCRIPT in " ".join(page.locator("mark.cited").all_inner_texts())
    assert_inert(page)
