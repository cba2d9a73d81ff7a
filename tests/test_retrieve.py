"""Retrieval fuses meaning and exact words, drops repeats, and honours filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import faiss
import numpy as np
import pytest

from kzqa import retrieve
from kzqa.filters import Filters
from kzqa.index import AnnConfig, build_index, load_index
from kzqa.retrieve import RRF_K, Retriever


def test_fusion_orders_hits_by_reciprocal_rank_over_both_rankings(service):
    retriever = service.retriever
    query = "Nursultansky Solovey UlysMedia Hungarian citizenship"
    hits = retriever.search(query, 5)
    assert "Nursultansky Solovey" in hits[0].chunk.text
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert [h.fused for h in hits] == sorted((h.fused for h in hits), reverse=True)
    # a passage first in both rankings scores the most any passage can: 2 / (RRF_K + 1)
    assert hits[0].fused <= 2 / (RRF_K + 1) + 1e-9
    # every score is the passage's true cosine with the question
    vector = retriever.embed_query(query)
    for hit in hits:
        row = retriever.index.chunks.index(hit.chunk)
        assert abs(float(retriever.index.chunk_index.reconstruct(row) @ vector) - hit.score) < 1e-4


def test_a_rare_exact_word_lifts_its_passage_through_the_lexical_ranking(service):
    retriever = service.retriever
    query = "Chakraborty"
    vector = retriever.embed_query(query)
    dense_only = retriever._dense(vector, None)
    dense_first = max(dense_only, key=dense_only.get)
    fused_first = retriever.search(query, 1)[0]
    assert "Chakraborty" in fused_first.chunk.text
    assert "Chakraborty" not in retriever.index.chunks[dense_first].text or dense_first == retriever.index.chunks.index(
        fused_first.chunk)


def test_a_passage_that_answers_in_one_sentence_is_lifted_by_that_sentence(service, monkeypatch):
    # Nikkei's photo caption "... election officials count ballots in Almaty on Nov. 20." opens a
    # passage about the result: by the passage's cosine alone it ranks below the top 5.
    question = "Where were election officials photographed counting ballots?"

    def rank() -> int:
        return next(h.rank for h in service.retriever.search(question, 20) if "count ballots in Almaty" in h.chunk.text)

    assert rank() <= 5
    monkeypatch.setattr(retrieve, "PASSAGE_WEIGHT", 1.0)  # each passage by its own cosine alone
    assert rank() > 5


def test_a_question_in_another_script_is_seen_by_bm25_only_through_its_translations(service):
    lexical = service.retriever.chunk_lexical
    assert lexical.query("В чём обвиняют Карима Масимова?").visible == 0.0  # untranslated: nothing BM25 knows
    assert lexical.query("What is Karim Masimov accused of?").visible == 1.0
    translated = service.retriever.lexical_query("В чём обвиняют Карима Масимова?")
    assert {"karim", "masimov"} <= set(translated.terms) and translated.visible > 0.5
    hits = service.retriever.search("В чём обвиняют Карима Масимова?", 5)
    assert any("accused of treason" in h.chunk.text for h in hits)


def test_overlapping_passages_of_one_document_are_not_returned_twice(service):
    for query in ("Tokayev election result", "European Union Borrell visit", "January protests fuel prices"):
        hits = service.retriever.search(query, 8)
        for i, a in enumerate(hits):
            for b in hits[:i]:
                if a.chunk.doc_id == b.chunk.doc_id:
                    shared = min(a.chunk.end, b.chunk.end) - max(a.chunk.start, b.chunk.start)
                    assert shared <= (a.chunk.end - a.chunk.start) / 2


def test_filters_keep_only_the_chosen_outlets_and_dates(service):
    retriever = service.retriever
    only_nikkei = retriever.search("Tokayev", 5, Filters(outlets=frozenset({"nikkei asia"})))
    assert only_nikkei and {h.document.outlet for h in only_nikkei} == {"Nikkei Asia"}
    november = Filters(published_from=dt.date(2022, 11, 20), published_to=dt.date(2022, 11, 30))
    late = retriever.search("Tokayev", 10, november)
    assert late and all("2022-11-20" <= h.document.published <= "2022-11-30" for h in late)
    assert retriever.search("Tokayev", 5, Filters(outlets=frozenset({"No Such Outlet"}))) == []


def test_a_query_naming_an_outlet_searches_that_outlets_passages_for_the_rest_of_its_words(service):
    retriever = service.retriever
    question = "What does PolitNavigator say about Kazakhstan and the ruble?"
    unscoped = retriever.search(question, 5)
    assert {h.document.outlet for h in unscoped} != {"PolitNavigator"}  # the name alone does not choose
    query, filters = retriever.scope(question)
    assert query == "What does say about Kazakhstan and the ruble?"
    assert filters == Filters(outlets=frozenset({"PolitNavigator"}))
    assert {h.document.outlet for h in retriever.search(query, 5, filters)} == {"PolitNavigator"}
    # outlets the caller chose win over the one named; the dates chosen are kept
    chosen = Filters(outlets=frozenset({"Caliber.Az"}), published_from=dt.date(2022, 11, 1))
    assert retriever.scope(question, chosen) == (query, chosen)
    dated = Filters(published_from=dt.date(2022, 11, 1))
    assert retriever.scope(question, dated)[1] == replace(dated, outlets=frozenset({"PolitNavigator"}))
    # a query that is nothing but a name is searched as written
    assert retriever.scope("Nikkei Asia?") == ("Nikkei Asia?", None)


def test_the_words_that_name_the_outlet_go_with_it_so_the_search_reads_as_a_question(service):
    # The reader sees what was searched (the response's ``query``): "According to , what ...?" is noise
    # to the reader and to the embedding alike.
    retriever = service.retriever
    asked_as = {
        "According to Nikkei, what habit have the rulers shown?": "what habit have the rulers shown?",
        "In Nikkei Asia's account, what set off the unrest?": "what set off the unrest?",
        "Per Warsaw Point, across which sea will Astana ship oil?": "across which sea will Astana ship oil?",
        "Which posts did Tokayev hold, according to Caliber.Az?": "Which posts did Tokayev hold?",
        "Which alliance, according to PolitNavigator, rescued Tokayev?": "Which alliance rescued Tokayev?",
        "Сколько лет Токаеву, по данным Caliber.Az?": "Сколько лет Токаеву?",
        "Caliber.Az дерегі бойынша, Тоқаев неше жаста?": "Тоқаев неше жаста?",
        "What did Nikkei Asia's reporters see?": "What did reporters see?",
    }
    for question, query in asked_as.items():
        assert retriever.scope(question)[0] == query
        assert len(retriever.scope(question)[1].outlets) == 1


def test_the_passages_of_the_nearest_sentences_skip_what_was_found_and_honour_filters(service):
    retriever = service.retriever
    vector = retriever.embed_query("Who met Tokayev in September?")
    scores = retriever.sentence_scores(vector, retriever.lexical_query("")).dense  # (n_sentences,)
    found = retriever.search("Who met Tokayev in September?", 2)
    nearest = retriever.passages_of(scores, 10, vector, None, found)
    assert nearest and not {h.chunk.chunk_id for h in nearest} & {h.chunk.chunk_id for h in found}
    assert [h.rank for h in nearest] == list(range(3, 3 + len(nearest)))
    best_row = int(np.argmax(scores))  # the best sentence's passage comes first, unless already found
    assert retriever.index.chunks[int(retriever.sentence_chunk[best_row])].chunk_id in \
        {h.chunk.chunk_id for h in found + nearest[:1]}
    only_nikkei = retriever.passages_of(scores, 50, vector, Filters(outlets=frozenset({"Nikkei Asia"})), [])
    assert only_nikkei and {h.document.outlet for h in only_nikkei} == {"Nikkei Asia"}


def test_sentence_vectors_are_unit_length(service):
    norms = np.linalg.norm(service.retriever.index.sentence_vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)


def test_an_hnsw_index_finds_what_exact_search_finds_and_honours_filters(small_corpus, tmp_path, embedder):
    exact_dir, hnsw_dir = tmp_path / "exact", tmp_path / "hnsw"
    ann = AnnConfig(threshold=2)  # this small corpus is far above it: HNSW with the default M, efC, efSearch
    build_index(small_corpus, exact_dir, embedder, 600, 1, progress=False)
    build_index(small_corpus, hnsw_dir, embedder, 600, 1, progress=False, ann=ann)
    exact = Retriever(load_index(small_corpus, exact_dir, embedder, 600, 1), embedder)
    approx = Retriever(load_index(small_corpus, hnsw_dir, embedder, 600, 1, ann), embedder)
    assert isinstance(approx.index.chunk_index, faiss.IndexHNSWFlat)
    assert isinstance(exact.index.chunk_index, faiss.IndexFlatIP)
    outlets = sorted({d.outlet for d in exact.index.documents.values()})
    assert len(outlets) == 2
    for query in ("Tokayev election result", "Karim Masimov treason", "China Belt and Road"):
        vector = exact.embed_query(query)
        assert approx._dense(vector, None) == pytest.approx(exact._dense(vector, None), abs=1e-5)
        assert [h.chunk for h in approx.search(query, 5)] == [h.chunk for h in exact.search(query, 5)]
        for outlet in outlets:
            only = Filters(outlets=frozenset({outlet}))
            hits = approx.search(query, 5, only)
            assert hits and {h.document.outlet for h in hits} == {outlet}
            assert [h.chunk for h in hits] == [h.chunk for h in exact.search(query, 5, only)]


def test_the_person_a_who_is_question_names_is_the_word_a_follow_up_s_he_is_searched_as(service):
    person = service.retriever.person
    assert person("Gaziz Abishev") == "Abishev" and person("Abishev.") == "Abishev"
    assert person("Гази Абишев") == "Abishev" and person("Әбішев") == "Abishev"  # the name the documents write
    # a title, a pronoun or demonstrative, or a name no document uses in Cyrillic, is no one to search for
    assert person("Prime Minister") is None and person("Президент") is None and person("Бұл") is None
    assert person("Emmanuel Macron") == "Macron"  # in Latin letters as written: the search then says no one names him
