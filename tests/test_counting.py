"""Asked how many or how long, a reader gets a sentence whose number counts or measures what was asked, not any number.

The sentences are written for these tests, in the corpus's manner; the stemmer is the one the index uses.
"""

from __future__ import annotations

import Stemmer

from kzqa.counting import (
    COUNTED_DEED,
    count_shortfall,
    counted_numbers,
    counts_something_asked,
    gives_how_long,
    holds_a_word_like,
)
from kzqa.question_types import Asked
from tests.test_answer import ask


def test_counting_looks_at_the_words_next_to_each_number():
    stem = Stemmer.Stemmer("english").stemWord
    asked = Asked("How many parties are registered?", frozenset({"parti", "regist"}), stem)
    assert counts_something_asked("There are only six such registered parties.", asked)
    assert not counts_something_asked("Tokayev beat five other candidates in 2022.", asked)
    turnout = Asked("What was the turnout?", frozenset({"turnout"}), stem)
    assert counts_something_asked("The turnout was 69.4% on the day.", turnout)  # the word before a link
    assert counts_something_asked("Turnout stood at about 69 percent.", turnout)  # past links and hedges
    assert not counts_something_asked("On November 20, turnout was high.", turnout)  # a date's day counts nothing
    # after "was", the figure is the subject's, however many words that takes, back to where its clause begins
    stated = "Officials said turnout in the November 20 presidential election was 69.44 percent."
    assert counted_numbers(stated, turnout) == ["69.44"]
    assert not counts_something_asked("Turnout rose, and the count of officials was 230.", turnout)  # not past a comma
    prison = Asked("How many years in prison?", frozenset({"year", "prison"}), stem)
    assert counts_something_asked("He was sentenced to eighteen years.", prison)
    assert not counts_something_asked("Voting began in 2022 at 8 am.", turnout)  # years never count
    share = Asked("What share voted?", frozenset({"share", "vote"}), stem)
    assert counts_something_asked("He got 81.3% in the end.", share)  # a percentage is a share
    ran = Asked("How many candidates ran against Tokayev?", frozenset({"candid", "ran", "tokayev"}), stem)
    # a number's words end at a comma: "two" counts the women, not what "ran" before the comma speaks of
    assert counted_numbers("In addition to Tokayev, five other candidates ran, two of them women.", ran) == ["five"]
    assert counted_numbers("Five candidates ran; two were women.", ran) == ["five"]
    # a function word the question holds ("his" of "his trial") counts nothing it asks about
    trial = Asked("How many years did he get at the end of his trial?",
                  frozenset({"year", "his", "end", "trial"}), stem)
    assert not counts_something_asked("Masimov, his two deputies and several hundred others were arrested.", trial)
    assert counts_something_asked("At the end of his trial he got eighteen years.", trial)
    # what befell those counted is said by a word that begins as its stem does ("admitted" - "admission")
    assert not holds_a_word_like("230 people were killed in street clashes.", "injured", turnout)
    assert holds_a_word_like("... with the admission of perhaps two or three more new parties", "admitted", turnout)
    assert COUNTED_DEED.search("How many people were injured?")
    assert not COUNTED_DEED.search("How many could be allowed?")  # what could be, not what befell them
    # "no one" counts no one
    challengers = Asked("How many challengers were women?", frozenset({"mani", "challeng", "women"}), stem)
    assert not counts_something_asked("So there is no one now to challenge Tokayev's leadership.", challengers)
    assert counts_something_asked("Five other candidates ran, two of them women.", challengers)
    # a turnout is counted by "turnout", not by another word of the question ("voter" of "voter turnout")
    voter_turnout = Asked("What was the voter turnout?", frozenset({"voter", "turnout"}), stem)
    assert not counts_something_asked("He was supported by 81.31% of voters.", voter_turnout)
    assert counts_something_asked("Voter turnout stood at about 69 percent.", voter_turnout)
    # "how much <something>" is answered by a share of it; "how much did it cost", a sum by name, "how many" are not
    support = Asked("How much support did the president get?", frozenset({"much", "support", "presid", "get"}), stem)
    assert counted_numbers("The favorite of the race gains 78,8%.", support) == ["78,8%"]
    for question, words in (("How much did it cost?", {"much", "cost"}), ("How much money did he get?", {"money"}),
                            ("How many supporters did he get?", {"support"})):
        asked_so = Asked(question, frozenset(words), stem)
        assert not counts_something_asked("The favorite of the race gains 78,8%.", asked_so)


def test_the_reason_a_sentence_cannot_answer_a_count_is_named():
    stem = Stemmer.Stemmer("english").stemWord
    injured = Asked("How many people were injured?", frozenset({"mani", "peopl", "injur"}), stem)
    assert count_shortfall("230 people were killed in street clashes.", injured) == (
        "the question asks how many were injured, and the sentence does not say so")
    assert count_shortfall("About 4,500 people were injured in the clashes.", injured) is None
    assert "no number of the sentence counts" in count_shortfall("His two deputies were injured.", Asked(
        "How many years did he get?", frozenset({"mani", "year", "get"}), stem))


def test_asked_how_long_a_number_must_come_with_its_unit_or_be_a_year():
    assert gives_how_long("With Tokayev retaining power for another seven years, ...", "How long is his term?")
    assert gives_how_long("We have over 7,000 km of border with it.", "How long is the border with Russia?")
    assert gives_how_long("He is now set to remain in office until 2029.", "How long will he stay?")
    assert not gives_how_long("Even after ceding the office in 2019, he remained chairman.", "How long will he stay?")
    assert gives_how_long("... who served as president for nearly three decades.", "How long did he rule?")
    # a count of something else is no span: "two or three more new parties" says nothing of a term's length
    assert not gives_how_long("... the admission of perhaps two or three more new parties.", "How long is the term?")
    assert not gives_how_long("He got seven years.", "Is a term of seven years long?")  # the question's own span


def test_asked_how_long_a_sentence_with_a_span_is_preferred_and_one_without_does_not_answer(service):
    # PolitNavigator's "two or three more new parties" scores best for the words; the span ranks it below
    result = ask(service, "How long is the new presidential term?")
    assert result.answered and "seven years" in result.text and "new parties" not in result.text
    # the documents give the days of Borrell's visit, not how long it lasted
    result = ask(service, "How long did Borrell's visit last?")
    assert result.refusal_reason == "the question asks how long, and the sentence gives no span or length"
    assert "7,000 km" in ask(service, "How long is Kazakhstan's border with Russia?").text
