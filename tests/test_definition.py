"""A reader asks who someone named is, and is told what the corpus says they are, not where they are mentioned.

The sentences of the pattern tests are written for them; the stories run the real model, index and corpus.
None of the questions is from a question set.
"""

from __future__ import annotations

import pytest

from kzqa.definition import describes
from kzqa.names import Name
from tests.test_answer import ask, quotes


@pytest.mark.parametrize(("sentence", "name"), [
    ("Tokayev meets regularly with Russian President Putin.", "Putin"),  # a title in the run of capitals
    ("Most agree that the incumbent president Kassym-Jomart Tokayev will win.", "Kassym-Jomart Tokayev"),
    ("Karim Masimov, the chairman of the National Security Committee, was arrested.", "Karim Masimov"),
    ("Josep Borrell, head of European diplomacy, came to support Tokayev.", "Josep Borrell"),
    ("On October 26, the President of the European Council, Charles Michel, arrives in Astana.", "Charles Michel"),
    ("Tokayev is a diplomat himself.", "Tokayev"),
])
def test_a_sentence_that_says_who_someone_is_describes_them(service, sentence, name):
    assert describes(sentence, Name(tuple(name.split())), service.retriever.names)


@pytest.mark.parametrize(("sentence", "name"), [
    ("Coincidentally or not, Karim Masimov’s closed trial began on the eve of the election.", "Karim Masimov"),
    ("In the election, Tokayev, who ran again, won.", "Tokayev"),  # a place in time, not a description
    ("On Sunday Tokayev won.", "Tokayev"),  # capitals of a sentence's opening, not a title
    ("Karim Masimov, Askar Mamin and others withdrew.", "Karim Masimov"),  # a list of names
    ("The vote for Tokayev was counted.", "Tokayev"),  # "for" is no noun
    ("Karim Masimov, the chairman of the National Security Committee, was arrested.", "Josep Borrell"),
])
def test_a_sentence_that_only_mentions_someone_does_not_describe_them(service, sentence, name):
    assert not describes(sentence, Name(tuple(name.split())), service.retriever.names)


def test_asked_who_someone_is_the_reader_is_told_their_office_not_a_mention(service):
    result = ask(service, "Who is Karim Masimov?")
    assert result.answered
    [(quote, _)] = quotes(result)
    # the nearest sentence, "Karim Masimov's closed trial began on the eve of the election.", says nothing of him
    assert "Karim Masimov, the chairman of the National Security Committee" in quote
    assert quote in result.citations[0].hit.chunk.text


def test_a_description_answers_even_when_the_question_is_too_short_for_the_bar(service):
    # e5 puts every sentence below KZQA_MIN_SCORE for so short a question; the name pins the answer down
    result = ask(service, "Who is Charles Michel?")
    assert result.answered, result.refusal_reason
    assert result.support < service.settings.min_score
    assert "the President of the European Council, Charles Michel" in result.text


def test_asked_in_russian_who_someone_is_the_english_description_is_quoted(service):
    result = ask(service, "Кто такой Масимов?")
    assert result.answered
    assert result.text.startswith("По данным New Eastern Outlook")
    assert "the chairman of the National Security Committee" in result.text


@pytest.mark.parametrize("question", [
    "Who is Emomali Rahmon?",  # no document names him
    "Кто такой Ашимбаев?",  # spelt like no corpus name: "Beisebayev" is only its nearest word
])
def test_a_name_the_corpus_does_not_describe_is_refused(service, question):
    result = ask(service, question)
    assert not result.answered, result.text


def test_asked_for_someone_of_theirs_a_sentence_naming_no_one_else_is_refused(service):
    # "Who is Karim Masimov's lawyer?" asks for another name; his trial's sentence names only him
    result = ask(service, "Who is Karim Masimov's lawyer?")
    assert not result.answered, result.text
    assert "asks for a name" in result.refusal_reason


def test_asked_which_former_president_the_answer_names_him_not_a_photo_caption(service):
    # the nearest sentence is a caption: "Kazakhstani President Kassym-Jomart Tokayev during a visit to China ..."
    result = ask(service, "Which former president handed power to Tokayev in 2019?")
    assert result.answered
    assert "Nazarbayev" in result.text and "during a visit to China" not in result.text


def test_a_name_that_holds_the_noun_asked_for_is_kept_as_the_answer(service):
    # "the National Security Committee" is the agency: no other sentence's name is put before it
    result = ask(service, "Which security agency warned of destabilization attempts?")
    assert result.answered and "warnings from the National Security Committee" in result.text
