"""Other outlets that say what the answer says: the lines quoted beside its best sentence.

An answer's best sentence may be given by more than one outlet ("81.3%" by Nikkei Asia, "81.31%" by
New Eastern Outlook); the reader should see who says the same, and who does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kzqa.candidates import Candidate, candidates, quoted
from kzqa.grounding import SOURCES_VIEW, Asked, given_values, saying_the_same, shortfall
from kzqa.lexicon import LexicalQuery
from kzqa.retrieve import Filters, Hit, Retriever, SentenceScores


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
    or name whom it names ("Josep Borrell": ``grounding.saying_the_same``), each outlet's best scoring,
    at least ``bar`` close to the question and within SOURCES_VIEW of the best (the farther below, the
    likelier a figure is the same by chance): the reader sees who says the same. A figure is within it by
    score, words and all ("70 percent" of a forecast is not the referendum's); a name by meaning (dense)
    alone: BM25 favours the outlet that words the question as the reader did ("a Moscow-led military
    alliance"), where another's "the CSTO forces ... rescued Tokayev" names the same alliance in its own."""
    best = chosen[0]
    said = best.hit.document.text[best.start:best.end]
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
        text = candidate.hit.document.text[candidate.start:candidate.end]  # the sentence, without its context
        if (candidate.outlet not in outlets and candidate.dense >= bar and says_the_same(text)
                and not (judged.answered and text in judged.answered)  # a follow-up's reader has just read it
                and not shortfall(as_quoted.hit, as_quoted.start, as_quoted.end, asked, retriever.names)):
            found.append(as_quoted)
            outlets.add(candidate.outlet)
    return found[:room]
