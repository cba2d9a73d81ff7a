"""A question may name its source: an outlet, or a document by its title; that source's passages are searched."""

from __future__ import annotations

import datetime as dt

from kzqa.filters import Filters
from kzqa.ingest import Document, read_corpus
from kzqa.sources import Sources, title_pattern
from tests.conftest import CORPUS

EASTERN_EXPRESS = "warsawpoint-2022-09-05-eastern-express"  # titled "Eastern Express 05.09"
DOCUMENTS = read_corpus(CORPUS)


def test_a_reader_names_the_eastern_express_programme_by_its_title_without_the_issue_date():
    sources = Sources(DOCUMENTS)
    named = sources.named("Which guest joined the Eastern Express programme to discuss Kazakhstan?")
    assert named.documents == {EASTERN_EXPRESS} and not named.outlets
    assert named.rest == "Which guest joined to discuss Kazakhstan?"
    # in any case, in quote marks, with its outlet named too
    assert sources.named('Which outlet\'s "eastern express" show discussed Kazakhstan?').documents == {EASTERN_EXPRESS}
    both = sources.named("Who joined Warsaw Point's Eastern Express programme?")
    assert (both.outlets, both.documents, both.rest) == ({"Warsaw Point"}, {EASTERN_EXPRESS}, "Who joined?")


def test_the_words_that_frame_a_title_go_with_it_so_the_search_reads_as_a_question():
    sources = Sources(DOCUMENTS)
    asked_as = {
        "According to the Eastern Express piece, how is Kazakhstan looking to export oil?":
            "how is Kazakhstan looking to export oil?",
        "In the Eastern Express programme, why does Kazakhstan matter?": "why does Kazakhstan matter?",
        "Who was the guest on the Eastern Express show?": "Who was the guest?",
        "What did Eastern Express say about China?": "What did say about China?",
    }
    for question, query in asked_as.items():
        assert sources.scope(question) == (query, Filters(documents=frozenset({EASTERN_EXPRESS})))


def test_a_headline_or_a_title_the_texts_use_is_no_name_for_its_document():
    sources = Sources(DOCUMENTS)
    nikkei = next(d for d in DOCUMENTS if d.outlet == "Nikkei Asia")
    assert nikkei.title.startswith("Kazakhstan seen tilting to China")  # a headline, in sentence case
    assert not sources.named(f"What does the article '{nikkei.title}' say?").documents
    # a title any document's text uses is found by searching the texts: it chooses no document
    assert title_pattern("Security Council", []) == r"Security\s+Council"
    assert title_pattern("Security Council", ["nazarbayev remained chairman of the security council."]) is None
    assert title_pattern("Eastern Express 05.09", ["nothing here names it"]) == r"Eastern\s+Express"
    assert title_pattern("Kazakhstan", []) is None  # one word is too common a handle


def test_a_title_scope_keeps_the_readers_own_filters_and_a_bare_title_is_searched_as_written():
    sources = Sources(DOCUMENTS)
    chosen = Filters(outlets=frozenset({"Caliber.Az"}), published_from=dt.date(2022, 9, 1))
    query, filters = sources.scope("Who joined the Eastern Express programme?", chosen)
    assert (query, filters) == ("Who joined?", Filters(chosen.outlets, chosen.published_from,
                                                        documents=frozenset({EASTERN_EXPRESS})))
    assert sources.scope("Eastern Express") == ("Eastern Express", None)
    assert sources.label(Filters(documents=frozenset({EASTERN_EXPRESS}))) == "“Eastern Express 05.09”"
    assert sources.label(Filters(outlets=frozenset({"Nikkei Asia", "Caliber.Az"}))) == "Caliber.Az, Nikkei Asia"


def test_filters_naming_documents_admit_only_those():
    only = Filters(documents=frozenset({EASTERN_EXPRESS}))
    assert [d.doc_id for d in DOCUMENTS if only.admits(d)] == [EASTERN_EXPRESS]
    other = Document("x", "A title", "Warsaw Point", "text", published="2022-09-05")
    assert not only.admits(other) and Filters().admits(other)
