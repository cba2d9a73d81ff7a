"""A reader who spells a name otherwise than the documents do is read as meaning the documents' name."""

from __future__ import annotations

from kzqa.answer import Message, answer


def test_other_spellings_of_the_documents_names_are_read_as_theirs(service):
    respeller = service.retriever.respeller
    assert respeller.spelling("Tokaev") == "Tokayev"  # one edit
    assert respeller.spelling("Nazarbaev") == "Nazarbayev"
    assert respeller.spelling("Massimov") == "Masimov"
    assert respeller.spelling("Borrel") == "Borrell"  # a letter short at the end is a misspelling too
    assert respeller.respelled("Did Erdoğan meet Tokaev's team?") == "Did Erdogan meet Tokayev's team?"


def test_words_that_are_not_misspelt_names_are_left_as_written(service):
    respeller = service.retriever.respeller
    for word in (
        "Tokayev",  # the documents' own
        "Tokayeva",  # another form of the name: a woman of the family, not Tokayev
        "Kazakhstani",  # an adjective, not "Kazakhstan"
        "Minister",  # a word the documents write in lower case, not a misspelt "Ministry"
        "Romanian",  # the documents' "Romania" by names.as_written, not by spelling
        "Rahmon",  # no name of the documents is near
        "Puti",  # too short to tell apart from others
        "Токаев",  # Cyrillic: lexicon.py translates it
        "tokaev",  # not capitalised: not read as a name
    ):
        assert respeller.spelling(word) == word, word


def test_a_question_with_a_name_spelt_otherwise_is_answered_and_the_query_says_how_it_was_read(service):
    result = answer([Message("user", "What share of the vote did Tokaev win?")], service.retriever, service.settings)
    assert result.answered and "81.3%" in result.text
    assert result.query == "What share of the vote did Tokayev win?"
    # before, the documents' silence on "Tokaev" was the refusal: "No document mentions “Tokaev”."
    refused = answer([Message("user", "What share of the vote did Qwzkaev win?")], service.retriever,
                     service.settings)
    assert not refused.answered
