"""Passages -> an extractive answer: the sentences that answer, quoted, each with its [n] marker.

Every sentence of an answer is copied verbatim from a retrieved passage, is attributed to its
outlet, and carries the marker of the citation whose ``text`` is that passage. Citations list only
the passages the answer uses, numbered 1, 2, ... in order of first use.

A candidate sentence s, with p the sentence before it in its document, scores

    dense(s)   = (cos(q, s) + CONTEXT * cos(q, p)) / (1 + CONTEXT)
    lexical(s) = (bm25(s) + CONTEXT * bm25(p)) / max over candidates of bm25
    score(s)   = dense(s) + LEXICAL_WEIGHT * lexical(s) + NUMBER_BONUS * [q asks for a number and s
                 holds a number that q does not]

The dense part carries meaning across languages and paraphrase; the lexical part rewards the exact
names and numbers asked about; the previous sentence gives "He is accused of treason." its subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kzqa.conversation import Message, standalone_query
from kzqa.phrases import REFUSAL, according_to, asks_for_number, asks_for_sources, language_of, new_numbers
from kzqa.retrieve import Filters, Hit, Retriever
from kzqa.settings import Settings

CLOSEST = 3  # passages shown with a refusal
CONTEXT = 0.3
LEXICAL_WEIGHT = 0.1
NUMBER_BONUS = 0.04
SAME_ANSWER = 0.02  # another outlet's sentence this close to the best one is shown beside it
SOURCES_VIEW = 0.08  # when asked what the sources say: each outlet's best sentence this close
MOST_OUTLETS = 4

__all__ = ["Answer", "Citation", "Message", "answer"]


@dataclass(frozen=True)
class Citation:
    n: int  # the marker "[n]" in the answer text
    hit: Hit


@dataclass(frozen=True)
class Answer:
    text: str
    answered: bool
    citations: tuple[Citation, ...]
    query: str  # the search that was actually run
    language: str = "en"
    support: float = 0.0  # dense score of the best answer sentence (cosine, with its context)


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    start: int
    end: int
    dense: float  # cosine of question and sentence
    score: float  # dense + lexical bonus

    @property
    def outlet(self) -> str:
        return self.hit.document.outlet


def candidates(retriever: Retriever, vector: np.ndarray, query: str, question: str,
               hits: list[Hit]) -> list[Candidate]:
    """Every sentence of the retrieved passages, best first; a sentence in two passages counts once."""
    spans: dict[tuple[str, int, int], Hit] = {}
    for hit in hits:  # hits are best first: a sentence shared by two passages is cited from the better
        for start, end in hit.chunk.sentences:
            spans.setdefault((hit.chunk.doc_id, start, end), hit)
    if not spans:
        return []
    rows = np.array([retriever.index.sentence_rows[key] for key in spans])
    before = retriever.previous_sentence[rows]
    cosines = retriever.index.sentence_vectors @ vector  # (n_sentences,)
    bm25 = retriever.sentence_lexical.scores(query)  # (n_sentences,)
    dense = (cosines[rows] + CONTEXT * cosines[before] * (before != rows)) / (1 + CONTEXT * (before != rows))
    lexical = bm25[rows] + CONTEXT * bm25[before] * (before != rows)
    lexical = lexical / max(float(bm25[rows].max()), 1e-9)
    wants_number = asks_for_number(question)
    scored = []
    for ((_, start, end), hit), d, x in zip(spans.items(), dense, lexical, strict=True):
        bonus = NUMBER_BONUS if wants_number and new_numbers(hit.document.text[start:end], question) else 0.0
        scored.append(Candidate(hit, start, end, float(d), float(d + LEXICAL_WEIGHT * x + bonus)))
    return sorted(scored, key=lambda c: -c.score)


def choose(ranked: list[Candidate], question: str, most: int) -> list[Candidate]:
    """The best sentence, and the best of other outlets that answer about as well."""
    best = ranked[0]
    margin, limit = (SOURCES_VIEW, MOST_OUTLETS) if asks_for_sources(question) else (SAME_ANSWER, most)
    chosen, outlets = [best], {best.outlet}
    for candidate in ranked[1:]:
        if len(chosen) >= limit or candidate.score < best.score - margin:
            break
        if candidate.outlet not in outlets:
            chosen.append(candidate)
            outlets.add(candidate.outlet)
    return chosen


def compose(chosen: list[Candidate], language: str) -> tuple[str, tuple[Citation, ...]]:
    """One line per outlet, 'According to <outlet>: <sentence> [n]', markers in order of first use."""
    numbers: dict[str, int] = {}
    hits: dict[str, Hit] = {}
    lines = []
    for candidate in chosen:
        hit = candidate.hit
        n = numbers.setdefault(hit.chunk.chunk_id, len(numbers) + 1)
        hits[hit.chunk.chunk_id] = hit
        doc = hit.document
        lead = according_to(doc.outlet, doc.author, doc.published, language)
        lines.append(f"{lead} {doc.text[candidate.start:candidate.end]} [{n}]")
    citations = tuple(Citation(n, hits[chunk_id]) for chunk_id, n in numbers.items())
    return "\n".join(lines), citations


def answer(messages: Sequence[Message], retriever: Retriever, settings: Settings,
           filters: Filters | None = None) -> Answer:
    question, query = standalone_query(messages)
    language = language_of(question)
    vector = retriever.embed_query(query)
    # A follow-up is searched with its context, but its sentences are judged by what it asks now too.
    sentence_vector = vector if query == question else _unit(vector + retriever.embed_query(question))
    hits = retriever.search_vector(vector, query, settings.top_k, filters)
    ranked = candidates(retriever, sentence_vector, query, question, hits)
    support = ranked[0].dense if ranked else 0.0
    # Refuse when even the best sentence is not close to the question, or when the question asks
    # for a number and the best sentence holds none it did not already have (the answer is missing).
    if support < settings.min_score or (asks_for_number(question) and not _has_new_number(ranked[0], question)):
        closest = tuple(Citation(n, hit) for n, hit in enumerate(hits[:CLOSEST], start=1))
        return Answer(REFUSAL[language], False, closest, query, language, support)
    text, citations = compose(choose(ranked, question, settings.answer_sentences), language)
    return Answer(text, True, citations, query, language, support)


def _has_new_number(candidate: Candidate, question: str) -> bool:
    return new_numbers(candidate.hit.document.text[candidate.start:candidate.end], question)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
