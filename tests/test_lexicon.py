"""A Russian or Kazakh question reaches BM25 through the corpus's own English words."""

from __future__ import annotations

from kzqa import retrieve
from kzqa.answer import Message, answer
from kzqa.lexicon import MOST_WORDS, Lexical, corpus_vocabulary, is_foreign, words_of


def test_the_vocabulary_is_the_corpus_words_without_stop_words():
    assert corpus_vocabulary(["The trial of Karim Masimov began.", "He is accused of treason."]) == [
        "accused", "began", "karim", "masimov", "treason", "trial"]
    assert words_of("В чём обвиняют Карима Масимова?") == ["чём", "обвиняют", "карима", "масимова"]
    assert is_foreign("масимова") and not is_foreign("masimov")
    assert not is_foreign("erdoğan") and not is_foreign("café")  # accented Latin is left to BM25 as written
    assert words_of("Kazakhstan-Россия post-Soviet") == ["kazakhstan", "россия", "post", "soviet"]


def test_the_index_holds_one_vector_per_corpus_word(service):
    index = service.retriever.index
    assert index.vocabulary == corpus_vocabulary([c.text for c in index.chunks])
    assert index.vocabulary_vectors.shape == (len(index.vocabulary), service.retriever.embedder.dim)
    assert index.manifest["n_words"] == len(index.vocabulary)


def test_names_and_words_are_translated_to_the_corpus_english(service):
    translations = service.retriever.lexicon.translate("Масимова Токаев протесты санкции Ключевой")
    assert [(t.word, t.english, t.weight) for t in translations] == [
        ("масимова", "masimov", 1.0), ("токаев", "tokayev", 1.0), ("протесты", "protests", 1.0),
        ("санкции", "sanctions", 1.0), ("ключевой", "key", 1.0)]


def test_a_word_the_corpus_has_no_counterpart_for_gets_no_weight(service):
    # The corpus never speaks of turnout ("явка") or of the tenge: their nearest English words are noise.
    weights = {t.word: t.weight for t in service.retriever.lexicon.translate("явка тенге")}
    assert weights == {"явка": 0.0, "тенге": 0.0}


def test_english_and_words_the_corpus_already_has_are_left_alone(service):
    lexicon = service.retriever.lexicon
    assert lexicon.translate("Tokayev won the snap election") == []
    assert "türkiye" in lexicon.vocabulary and lexicon.translate("Türkiye") == []


def test_the_percent_sign_is_the_word_percent_to_bm25():
    lexical = Lexical(["Tokayev received 81.3% of the votes.", "Turnout was high in Almaty."])
    scores = lexical.scores(lexical.query("What percent did he get?"))
    assert scores[0] > 0 and scores[1] == 0
    assert lexical.words("81.3% of the votes") == lexical.words("81.3 percent of the votes")


def test_british_and_american_spellings_are_one_word_to_bm25():
    lexical = Lexical(["Kazakhstan, Kyrgyzstan and several of their neighbors abstained.",
                       "He refused to recognise the republics."])
    assert lexical.scores(lexical.query("Which neighbouring states abstained?"))[0] > 0
    assert lexical.scores(lexical.query("What did he refuse to recognize?"))[1] > 0
    assert lexical.words("the Organisation") == lexical.words("the organization")


def test_asked_what_percent_the_result_written_with_a_sign_beats_a_forecast_in_words(service):
    # "81.3% of the votes" is the result; PolitNavigator's "at least 70 percent of the votes" a forecast
    # that, before "%" read as "percent", was the only sentence BM25 saw the question's word in.
    for question in ("What percent of the vote did Tokayev get?", "Сколько процентов набрал Токаев?"):
        result = answer([Message("user", question)], service.retriever, service.settings)
        assert result.answered and result.text.splitlines()[0].count("81.3%") == 1, result.text


def test_a_russian_question_is_searched_by_bm25_with_its_translated_words(service):
    retriever = service.retriever
    query = retriever.lexical_query("Ключевой частью какой китайской инфраструктурной инициативы является Казахстан?")
    assert {"key", "infrastructur", "initi", "kazakhstan"} <= set(query.terms)
    assert {"chines", "china"} & set(query.terms)  # "китайской": the model's nearest may be either
    assert query.visible > 0.7
    # words without a counterpart in the corpus count against the share BM25 sees
    assert abs(retriever.lexical_query("явка тенге Токаев").visible - 1 / 3) < 1e-6
    english = retriever.lexical_query("Kazakhstan is a key part of which Chinese infrastructure initiative?")
    assert english.visible == 1.0 and set(english.terms.values()) == {1.0}


def test_the_translation_lifts_the_answer_into_the_passages_the_meaning_alone_ranks_lower(service, monkeypatch):
    text = "Ключевой частью какой китайской инфраструктурной инициативы является Казахстан?"
    translated = answer([Message("user", text)], service.retriever, service.settings)
    assert translated.answered and "Belt and Road" in translated.text
    assert translated.text.startswith("По данным Nikkei Asia")

    def best_ranks_of_the_answer() -> tuple[int, int]:
        """(with the bridge, without it: dense ranking and visible words only)"""
        def best_rank() -> int:
            return min(h.rank for h in service.retriever.search(text, 20) if "Belt and Road" in h.chunk.text)

        lexicon = service.retriever.lexicon
        with_bridge = best_rank()
        try:
            lexicon.translate = lambda text: []
            return with_bridge, best_rank()
        finally:
            del lexicon.translate

    with_bridge, without_bridge = best_ranks_of_the_answer()
    assert with_bridge < without_bridge
    # Ranked by the passages' own cosines (their best sentences left out), the meaning alone leaves
    # the answer below the top k, and the bridge brings it in.
    monkeypatch.setattr(retrieve, "PASSAGE_WEIGHT", 1.0)
    with_bridge, without_bridge = best_ranks_of_the_answer()
    assert with_bridge <= service.settings.top_k < without_bridge


def test_a_flood_of_foreign_words_is_translated_only_up_to_a_limit(service):
    flood = " ".join(f"слово{chr(0x430 + i % 32)}{chr(0x430 + i // 32)}" for i in range(300))
    translations = service.retriever.lexicon.translate(flood)
    assert len(translations) == MOST_WORDS
    assert answer([Message("user", flood[:1000])], service.retriever, service.settings).text


def test_short_foreign_words_do_not_count_and_english_beside_a_foreign_word_stays(service):
    retriever = service.retriever
    with_prepositions = retriever.lexical_query("Кто победил на выборах по данным из СМИ?")
    without = retriever.lexical_query("Кто победил выборах данным СМИ?")
    assert with_prepositions == without  # "на", "по", "из" are neither seen nor unseen
    mixed = retriever.lexical_query("Токаев,election Kazakhstan-Россия")
    assert {"tokayev", "elect", "kazakhstan", "russia"} <= set(mixed.terms)
