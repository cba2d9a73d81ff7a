"""Whether a sentence's numbers count, or measure, what a question asks for (a check of ``grounding.py``).

"Karim Masimov, ... his two deputies and several hundred others were arrested" holds numbers, but none of them
answers "How many years in prison was Masimov sentenced to?".

Asked (in English) how many, how much or what share (``question_types.asks_for_count``), a sentence can
answer only if one of its numbers, other than the question's own, years and days of dates, counts something
the question speaks of: one of the question's words (or the English word standing in for a Russian or Kazakh
one), other than a function word ("his" of "his trial" and of "his two deputies"), must be among the
COUNTED_AFTER words after the number or the word before it (in its clause: not past a comma, semicolon,
colon, bracket or dash, ``CLAUSE_END``), past link and hedge words ("230 people were killed", "more than 300
companies", "7,000 km of border", "a turnout of 69%", "turnout stood at about 69 percent", see LINKS); after a
verb that states it ("was", "stood at"), any word of its subject ("turnout in the November 20 presidential election
was 69.44 percent", see STATES).

- A percentage counts as a share, and answers "how much <something>" ("How much support did he get?" - "he
  gains 78,8%": ``HOW_MUCH``).
- A count with a noun of its own ("turnout", "population": ``OWN_NOUN_COUNTS``) is counted only by that noun.
- Asked how many "were <done>" ("were injured": ``COUNTED_DEED``), the sentence must say it was done
  (``holds_a_word_like``), not another thing done to the same people ("230 people were killed").

Asked (in English) how long, a sentence answers only with a span or length the question does not give: a number
with its unit ("another seven years", "over 7,000 km", "three decades": ``MEASURE``) or a year a span reaches or
starts from ("until 2029", "from 1991": ``SPAN_YEAR``; not "in 2019"), not any number ("two or three more new
parties" is no term's length: ``gives_how_long``).
"""

from __future__ import annotations

import re

from kzqa.lexicon import FUNCTION_WORDS
from kzqa.question_types import AUXILIARIES, DATE, NUMBER, YEAR, YEAR_DIGITS, Asked

COUNTED_AFTER = 4  # words: "five other candidates", "two or three more new parties"
# Before the number, only the word it belongs to: the one right before it ("received 81.3%"), or the
# one before its link and hedge words ("a turnout of 69%", "turnout stood at about 69 percent"), at most
# LINKED words back. "Tokayev beat five other candidates" counts candidates, not Tokayev.
LINKS = frozenset({"of", "at", "is", "was", "are", "were", "to", "reached", "totalled", "totaled", "stood", "about",
                   "around", "nearly", "almost", "over", "some", "roughly", "approximately", "just", "only", "more",
                   "less", "fewer", "than", "least", "up"})
LINKED = 3
STATES = frozenset({"is", "was", "are", "were", "stood", "reached", "totalled", "totaled"})  # the subject's figure
SUBJECT_WORDS = 8
TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+|%")
# What ends the words a number belongs to: "five other candidates ran, two of them women" counts women by
# "two", not what "ran" (before the comma) speaks of.
CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]")
CLAUSE_TOKEN = re.compile(rf"{TOKEN.pattern}|{CLAUSE_END.pattern}")
PERCENT = frozenset({"%", "percent", "per"})  # "per cent"
# "How much <something>": a share of it answers ("how much support" - "gains 78,8%"), but not "how many" (a count
# of things), "how much did it cost" (a verb: a sum) nor a sum by name
MONEY = ("money", "cash", "funding", "funds", "investment", "capital", "revenue", "income", "debt", "budget", "aid")
# "How many people were injured?": what befell those counted, a regular participle after "were", "was", "been"
# or "got" (what did happen, not what "could be allowed"); the answer must say that, not another deed of the
# same people ("230 people were killed")
COUNTED_DEED = re.compile(r"\b(?:were|was|been|got)\s+(?:\w+ly\s+)?([a-z]+ed)\b")
SAME_WORD_LETTERS = 4  # of two stems, that begin alike, make them one word ("admit", "admiss")
OWN_NOUN_COUNTS = re.compile(r"\b(turnout|population)\b", re.IGNORECASE)  # what is counted, named by the count
HOW_MUCH = re.compile(rf"\bhow much (?!(?:{'|'.join(AUXILIARIES + MONEY)})\b)[^\W\d_]+", re.IGNORECASE)
SHARE_WORDS = ("percent", "percentage", "share", "proportion")  # what a percentage is a count of


def count_shortfall(sentence: str, asked: Asked) -> str | None:
    """Why the sentence cannot answer the count the question asks for, or None (see the module's docstring)."""
    if not counts_something_asked(sentence, asked):
        return "the question asks how many, and no number of the sentence counts what it asks about"
    if (deed := COUNTED_DEED.search(asked.asking)) and not holds_a_word_like(sentence, deed.group(1), asked):
        return f"the question asks how many were {deed.group(1)}, and the sentence does not say so"
    return None


def counts_something_asked(sentence: str, asked: Asked) -> bool:
    """Whether a number of the sentence (not the question's own, not a year) has a word of the question
    next to it (see the module's docstring)."""
    return bool(counted_numbers(sentence, asked))


def counted_numbers(sentence: str, asked: Asked) -> list[str]:
    """The numbers of the sentence that count something the question speaks of, lower-cased ("five", "81.3%")."""
    # a date's day counts nothing; clause punctuation is kept as a token, for a number's words end there
    tokens = [t.lower() for t in CLAUSE_TOKEN.findall(DATE.sub(" date ", sentence))]
    own = {n.lower() for n in NUMBER.findall(asked.text)}
    # a count that has its own noun is counted by that noun: "81.31% of voters" is no "voter turnout"
    wanted = {asked.stem(noun.lower()) for noun in OWN_NOUN_COUNTS.findall(asked.asking)} or asked.stems
    counted = []
    for i, token in enumerate(tokens):
        number = token.rstrip("%")
        if not NUMBER.fullmatch(number) or number in own or YEAR.fullmatch(number):
            continue
        if number == "one" and tokens[i - 1: i] in (["no"], ["every"]):  # a pronoun: "no one to challenge him"
            continue
        after = tokens[i + 1: i + 1 + COUNTED_AFTER]
        ends = next((j for j, t in enumerate(after) if CLAUSE_END.fullmatch(t)), len(after))
        around = tokens[_belongs_to(tokens, i): i + 1] + after[:ends]
        words = [w for w in around if not NUMBER.fullmatch(w.rstrip("%"))]
        if token.endswith("%") or PERCENT & set(tokens[i + 1: i + 2]):
            if HOW_MUCH.search(asked.asking):
                counted.append(token)
                continue
            words += SHARE_WORDS
        if any(w not in FUNCTION_WORDS and asked.stem(w) in wanted for w in words):  # not "his" of "his trial"
            counted.append(token)
    return counted


def _belongs_to(tokens: list[str], i: int) -> int:
    """Where the words before tokens[i] that it belongs to begin (see LINKS): after a verb that states it ("was",
    "stood at"), the subject's words back to where the clause begins, at most SUBJECT_WORDS ("turnout in the
    November 20 presidential election was 69.44 percent" counts turnout)."""
    j = i - 1
    while j >= 0 and i - j <= LINKED and tokens[j] in LINKS:
        j -= 1
    if not STATES & set(tokens[j + 1: i]):
        return max(j, 0)
    start = j
    while start > 0 and j - start < SUBJECT_WORDS and not CLAUSE_END.fullmatch(tokens[start - 1]):
        start -= 1
    return max(start, 0)


def holds_a_word_like(sentence: str, word: str, asked: Asked) -> bool:
    """Whether the sentence holds a word whose stem begins as the word's does, in SAME_WORD_LETTERS letters
    ("killed" - "killing"; "admitted" - "admission", where the stems "admit" and "admiss" part)."""
    start = asked.stem(word.lower())[:SAME_WORD_LETTERS]
    return any(asked.stem(w.lower()).startswith(start) for w in TOKEN.findall(sentence))


HOW_LONG = re.compile(r"\bhow long\b", re.IGNORECASE)
UNITS = (r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies)|km|kilomet(?:re|er)s?|miles?|"
         r"met(?:re|er)s?)")
SPAN_YEAR = re.compile(rf"\b(?:until|till|through|since|from|to|by)\s+(?:[^\W\d_]+\s+){{0,2}}?({YEAR_DIGITS})(?!\d)",
                       re.IGNORECASE)  # a year a span reaches or starts from, not one it happened in ("in 2019")
MEASURE = re.compile(rf"(?:{NUMBER.pattern})[\s-]+(?:[^\W\d_]+\s+)?{UNITS}\b", re.IGNORECASE)


def gives_how_long(sentence: str, asking: str) -> bool:
    """Whether the sentence gives a span or length the question does not (a number with its unit, or a year a span
    reaches or starts from)."""
    asked = {m.group().lower() for m in MEASURE.finditer(asking)}
    return (any(m.group().lower() not in asked for m in MEASURE.finditer(sentence))
            or bool(set(SPAN_YEAR.findall(sentence)) - set(YEAR.findall(asking))))
