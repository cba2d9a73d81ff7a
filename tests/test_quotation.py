"""A reader is told whom an outlet quotes, when the sentence quoted is someone's words in the article."""

from __future__ import annotations

from kzqa.ingest import read_corpus
from kzqa.names import NameIndex
from kzqa.quotation import speaker
from tests.conftest import CORPUS
from tests.test_answer import ask

NAMES = NameIndex(read_corpus(CORPUS))


def quoted_in(text: str, sentence: str) -> str | None:
    start = text.index(sentence)
    return speaker(text, start, start + len(sentence), NAMES)


def test_a_sentence_inside_quotation_marks_is_the_words_of_whom_the_article_names_after_them():
    text = ('Kazbek Beisebayev is an analyst.\n\n"Tokayev needs a mandate. He is a diplomat himself. Therefore, '
            'nothing changes," Beisebayev said. The vote is on Sunday.')
    # named in full, as the article first writes him
    assert quoted_in(text, "He is a diplomat himself.") == "Kazbek Beisebayev"
    assert quoted_in(text, '"Tokayev needs a mandate.') == "Kazbek Beisebayev"  # the opening mark is its own
    # the article's own words, outside the marks
    assert quoted_in(text, "The vote is on Sunday.") is None
    assert quoted_in(text, "Kazbek Beisebayev is an analyst.") is None
    # a sentence that names him itself, after the closing mark, needs no more
    assert quoted_in(text, 'Therefore, nothing changes," Beisebayev said.') is None
    # "said Abishev" and curly marks alike (named as the text writes him), or a quotation named before it opens
    assert quoted_in("“We will stay. Russia stays too,” said Abishev.", "“We will stay.") == "Abishev"
    assert quoted_in("“We will stay. Russia stays too,” said Abishev.", "Russia stays too,” said Abishev.") is None
    assert quoted_in("Abishev said: “We will stay. Russia stays too.”", "Russia stays too.”") == "Abishev"


def test_a_quotation_over_paragraphs_is_whoever_the_last_one_names():
    # each paragraph of a long quotation opens with a mark, and the last one closes it
    text = '"First we reform.\n\n"Then we vote. Then we see," Abishev concluded.'
    assert quoted_in(text, '"First we reform.') == "Abishev"
    # a paragraph that does not go on quoting leaves the quotation unnamed
    assert quoted_in('"First we reform.\n\nThe analyst left.\n\nLater, "yes," Abishev said.', '"First we reform.') \
        is None


def test_a_pronoun_or_a_title_after_the_quotation_names_no_one():
    assert quoted_in("“We start now. We go on,” he said.", "“We start now.") is None
    assert quoted_in("“We start now. We go on,” President of Kazakhstan believes.", "“We start now.") is None
    # a phrase in quotation marks inside a sentence does not make it someone's words
    assert quoted_in('It was called the "leader of the nation." Tokayev said so.', "Tokayev said so.") is None


def test_an_answer_quoting_an_analyst_names_the_analyst_as_well_as_the_outlet(service):
    # Caliber.Az's "Tokayev is a diplomat himself ..." stands inside Beisebayev's quotation
    result = ask(service, "Was Tokayev a diplomat before becoming president?")
    line = next(line for line in result.text.splitlines() if "diplomat himself" in line)
    assert line.startswith("According to Caliber.Az (19 Nov 2022), quoting Kazbek Beisebayev: Tokayev is a diplomat")
    # the fixed words follow the question's language; the name stays as the document writes it
    russian = ask(service, "Был ли Токаев дипломатом до того, как стал президентом?")
    assert "По данным Caliber.Az (19.11.2022), со слов Kazbek Beisebayev: Tokayev is a diplomat" in russian.text
    # the article's own words keep the outlet alone
    own = ask(service, "Who won the snap presidential election?")
    assert "quoting" not in own.text and own.text.startswith("According to ")
