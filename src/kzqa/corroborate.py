"""Other outlets that say what the answer says: the lines quoted beside its best sentence.

An answer's best sentence may be given by more than one outlet ("81.3%" by Nikkei Asia, "81.31%" by
New Eastern Outlook); the reader should see who says the same, and who does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from kzqa.candidates import Candidate, candidates, quoted
from kzqa.counting import TOKEN, counted_numbers
from kzqa.filters import Filters
from kzqa.grounding import SOURCES_VIEW, shortfall
from kzqa.lexicon import FUNCTION_WORDS, LexicalQuery
from kzqa.names import Name, NameIndex
from kzqa.question_types import (
    DATE,
    NUMBER,
    YEAR,
    Asked,
    asks_for_count,
    asks_for_date,
    asks_for_number,
    asks_for_year,
    which_nouns,
)
from kzqa.referents import answer_name
from kzqa.retrieve import Hit, Retriever, SentenceScores

# A name more than this share of the documents use ("Tokayev") is the corpus's topic: another outlet naming it
# does not say the same thing as the answer that does.
TOPIC_SHARE = 0.5
DECIMAL = re.compile(r"(?P<number>\d+\.(?P<fraction>\d+))(?P<unit>%?)")  # "81.3%": figures with decimals round


@dataclass(frozen=True)
class Judged:
    """What the candidate sentences were judged by: the question's vector (384,), its BM25 terms, the
    corpus's sentences scored for them, and the answer a follow-up follows."""

    vector: np.ndarray
    lexical: LexicalQuery
    scores: SentenceScores
    answered: str = ""



def corroborating(retriever: Retriever, chosen: list[Candidate], asked: Asked, judged: Judged,
                  ranked: list[Candidate], pool: list[Hit], filters: Filters | None, bar: float,
                  room: int) -> list[Candidate]:
    """Up to ``room`` sentences of other outlets (among ``ranked`` and the passages of the sentences
    that say it) that give all the best sentence gives for the question ("seven years", "November 20")
    or name whom it names ("Josep Borrell": ``saying_the_same``), each outlet's best scoring,
    at least ``bar`` close to the question and within SOURCES_VIEW of the best (the farther below, the
    likelier a figure is the same by chance): the reader sees who says the same. A figure is within it by
    score, words and all ("70 percent" of a forecast is not the referendum's); a name by meaning (dense)
    alone: BM25 favours the outlet that words the question as the reader did ("a Moscow-led military
    alliance"), where another's "the CSTO forces ... rescued Tokayev" names the same alliance in its own."""
    best = chosen[0]
    said = best.text
    says_the_same = saying_the_same(said, asked, retriever.names)
    if says_the_same is None:
        return []
    by_name = not given_values(said, asked)  # it names whom the answer names, as it gives no figure
    near = np.flatnonzero(judged.scores.dense >= bar)  # sentence rows close enough to quote at all
    gives = [row for row in near if says_the_same(retriever.sentence_texts[row])]
    nearness = np.full(len(judged.scores.dense), -np.inf)  # (n_sentences,): only the sentences that give them
    nearness[gives] = judged.scores.dense[gives]
    more = retriever.passages_of(nearness, len(gives), judged.vector, filters, pool)
    outlets, found = {c.outlet for c in chosen}, []
    if more:  # ``ranked`` (the candidates of ``pool``) are re-scored with theirs: BM25 is scaled by the best
        ranked = candidates(retriever, judged.vector, judged.lexical, asked.focus or asked.text, pool + more,
                            judged.scores, judged.answered)
    for candidate in ranked:
        if (best.dense - candidate.dense if by_name else best.score - candidate.score) > SOURCES_VIEW:
            continue
        as_quoted = quoted(candidate)
        text = candidate.text  # the sentence, without its context
        if (candidate.outlet not in outlets and candidate.dense >= bar and says_the_same(text)
                and not (judged.answered and text in judged.answered)  # a follow-up's reader has just read it
                and not shortfall(as_quoted.hit, as_quoted.start, as_quoted.end, asked, retriever.names)):
            found.append(as_quoted)
            outlets.add(candidate.outlet)
    return found[:room]


def given_values(sentence: str, asked: Asked) -> frozenset[str]:
    """What the sentence gives for what the question asks, lower-cased, none the question holds: for
    "how many", the numbers that count what it asks about; for "in what year", years; for "when", dates
    and years; for another number, each number with the word after it ("seven years"). Another
    outlet's sentence that gives them all says the same thing."""
    question = asked.asking
    if asks_for_count(question):  # what a number counts is read in English words only
        found = set(counted_numbers(sentence, asked)) if asked.language == "en" else set()
    elif asks_for_year(question):
        found = set(YEAR.findall(sentence))
    elif asks_for_date(question):
        found = {m.group().lower() for m in DATE.finditer(sentence)} | set(YEAR.findall(sentence))
    elif asks_for_number(question):
        tokens = [t.lower() for t in TOKEN.findall(DATE.sub(" ", sentence))]
        found = {f"{token} {tokens[i + 1]}" if i + 1 < len(tokens) else token for i, token in enumerate(tokens)
                 if NUMBER.fullmatch(token.rstrip("%")) and not YEAR.fullmatch(token)}
    else:
        return frozenset()
    own = {t.lower() for t in TOKEN.findall(question)}  # "two" is no figure of "network"
    return frozenset(value for value in found if value.split()[0] not in own)


def given_name(sentence: str, asked: Asked, names: NameIndex) -> Name | None:
    """For an English "Which <noun> ...?", the full name the sentence describes by that noun (its stem: "heads"
    for "head"), not held by the question (as searched: a follow-up's "he" resolved) nor the corpus's topic
    (``referents.answer_name``). "Who ...?" names no noun, and the first name of a sentence is as often
    whom the question speaks of as the answer."""
    nouns = {asked.stem(noun) for noun in which_nouns(asked.asking)} if asked.language == "en" else set()
    if not nouns:
        return None
    return answer_name(names, sentence, asked.asking, lambda word: asked.stem(word.lower()) in nouns, TOPIC_SHARE,
                       lambda word: asked.stem(word.lower()) in asked.stems)


def saying_the_same(sentence: str, asked: Asked, names: NameIndex) -> Callable[[str], bool] | None:
    """Whether another sentence says what the answer ``sentence`` says for the question: gives all its
    ``given_values``; or, when it gives none, names its ``given_name`` whole or by its initials ("CSTO"; not
    by one word: "Ambassador" is no one) and holds one of the question's words besides the name, what it
    is asked as and FUNCTION_WORDS ("visited", "January"): an outlet that names Xi Jinping's visit "after
    the pandemic" says nothing of his congratulations "after the election". None when it gives neither."""
    values = given_values(sentence, asked)
    name = None if values else given_name(sentence, asked, names)
    if name is not None:
        described = {asked.stem(w.lower()) for w in (*name.words, *which_nouns(asked.asking))}
        besides = {asked.stem(w) for w in TOKEN.findall(asked.asking.lower()) if w not in FUNCTION_WORDS} - described
        return lambda text: (names.named_in(text, name, most_share=0.0)
                             and bool(besides & {asked.stem(w.lower()) for w in TOKEN.findall(text)}))
    if not values:
        return None
    # (a sentence that does not even hold each value's first word, or its whole number, is passed over
    # without reading it: "81" of "81.31%" in "81.3%", not in "1981")
    firsts = [re.compile(rf"(?<![\w.]){re.escape(re.split(r'[ .]', value)[0])}(?!\d)") for value in values]
    return lambda text: (all(first.search(text.lower()) for first in firsts)
                         and gives_the_same(values, given_values(text, asked)))


def gives_the_same(values: frozenset[str], given: frozenset[str]) -> bool:
    """Whether ``given`` holds each of ``values``; figures rounded to different places are the same
    ("81.31%" and "81.3%": outlets round the same result differently)."""
    return all(any(_same_figure(value, other) for other in given) for value in values)


def _same_figure(value: str, other: str) -> bool:
    if value == other:
        return True
    a, b = DECIMAL.fullmatch(value), DECIMAL.fullmatch(other)
    if not (a and b) or a.group("unit") != b.group("unit"):
        return False
    places = Decimal(1).scaleb(-min(len(a.group("fraction")), len(b.group("fraction"))))  # 0.1 for 81.3
    # decimal, not binary floats: 81.35 rounds half up to 81.4
    return (Decimal(a.group("number")).quantize(places, ROUND_HALF_UP)
            == Decimal(b.group("number")).quantize(places, ROUND_HALF_UP))
