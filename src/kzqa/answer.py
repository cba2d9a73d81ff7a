"""Passages -> an extractive answer: the sentences that answer, quoted, each with its [n] marker.

Every sentence of an answer is copied verbatim from a retrieved passage, and its marker points at
the citation whose ``text`` is that passage, so a citation can always be checked by eye.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kzqa.retrieve import Hit, Retriever

REFUSAL = "The documents do not cover this question. The closest passages are listed below."
CLOSEST = 3  # passages shown with a refusal


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    content: str


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


@dataclass(frozen=True)
class _Candidate:
    hit: Hit
    start: int
    end: int
    score: float  # cosine of question and sentence


def search_query(messages: Sequence[Message]) -> str:
    """The text to search for: the latest user message."""
    for message in reversed(messages):
        if message.role == "user":
            return message.content.strip()
    raise ValueError("the conversation holds no user message")


def _candidates(retriever: Retriever, vector: np.ndarray, hits: list[Hit]) -> list[_Candidate]:
    found: dict[tuple[str, int], _Candidate] = {}
    for hit in hits:
        scores = retriever.sentence_scores(vector, hit.chunk.doc_id, hit.chunk.sentences)
        for (start, end), score in zip(hit.chunk.sentences, scores, strict=True):
            key = (hit.chunk.doc_id, start)
            if key not in found or found[key].hit.score < hit.score:  # cite the better passage of an overlap
                found[key] = _Candidate(hit, start, end, float(score))
    return sorted(found.values(), key=lambda c: -c.score)


def _choose(candidates: list[_Candidate], most: int, margin: float = 0.03) -> list[_Candidate]:
    """The best sentence, and up to ``most - 1`` more that score nearly as well."""
    best = candidates[0].score
    return [c for c in candidates[:most] if c.score >= best - margin]


def answer(messages: Sequence[Message], retriever: Retriever, top_k: int, min_score: float,
           answer_sentences: int = 2) -> Answer:
    query = search_query(messages)
    vector = retriever.embed_query(query)
    hits = retriever.search_vector(vector, top_k)
    if not hits or hits[0].score < min_score:
        closest = tuple(Citation(n, hit) for n, hit in enumerate(hits[:CLOSEST], start=1))
        return Answer(REFUSAL, False, closest, query)
    chosen = _choose(_candidates(retriever, vector, hits), answer_sentences)
    chosen.sort(key=lambda c: (c.hit.rank, c.start))  # read in passage order, best passage first
    numbers: dict[str, int] = {}
    parts = []
    for candidate in chosen:
        n = numbers.setdefault(candidate.hit.chunk.chunk_id, len(numbers) + 1)
        parts.append(f"{candidate.hit.document.text[candidate.start:candidate.end]} [{n}]")
    by_chunk = {c.hit.chunk.chunk_id: c.hit for c in chosen}
    citations = tuple(Citation(n, by_chunk[chunk_id]) for chunk_id, n in numbers.items())
    return Answer(" ".join(parts), True, citations, query)
