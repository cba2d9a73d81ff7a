"""Passages -> an extractive answer: the sentences that answer, quoted, each with its [n] marker.

Every sentence of an answer is copied verbatim from a retrieved passage, is attributed to its
outlet, and carries the marker of the citation whose ``text`` is that passage. Citations list only
the passages the answer uses, numbered 1, 2, ... in order of first use.

A candidate sentence s, with p the sentence before it in its document and w the window "p s",
is ranked by

    dense(s)   = (cos(q, s) + cos(q, w)) / 2
    lexical(s) = bm25(s) / (max bm25 over the candidates) * (share of q's words found in the corpus)
    score(s)   = dense(s) + LEXICAL_WEIGHT * lexical(s) + TYPE_BONUS * [q asks for a number (a date)
                 and s holds a number (says when) in words that q does not]
                 - ANSWERED * [q is a follow-up and s answered the question it follows]

The dense part carries meaning across languages and paraphrase; the window gives "He is accused of
treason." the name its previous sentence holds; the lexical part rewards the exact names and
numbers asked about. The candidates are the sentences of the retrieved passages and of the
passages holding the NEAREST_SENTENCES best sentences of the whole corpus by dense(s) +
LEXICAL_WEIGHT * lexical(s) (a passage that answers in one sentence among unrelated ones can rank
below top_k), and when asked what the sources say, of each outlet's best sentence; a question
in the text, or a scrap too short to state anything, is never one.
A quoted sentence that leans back ("This weakens ...") is quoted with the sentence before it, in
its paragraph, when cos(q, w) > cos(q, s): the match is in what "This" stands for.

kzqa refuses (``answered`` false) when the highest dense(s) among the candidates is below
``min_score`` (lowered by CROSSLINGUAL_OFFSET for a question in another language): nothing is
about the question; or when the best sentence, quoted with its neighbour, cannot be the answer for
what the question pins down (``grounding.shortfall``: a count, a date, a year, a rarely used
name). It lists the passages holding the best candidates, for the reader to judge.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from kzqa.conversation import Message, answer_followed_up, standalone_query
from kzqa.grounding import Asked, near_text, refusal, shortfall
from kzqa.lexicon import LexicalQuery, is_foreign
from kzqa.names import Name
from kzqa.phrases import (
    according_to,
    asks_for_date,
    asks_for_number,
    asks_for_sources,
    asks_for_year,
    attribution,
    is_fragment,
    is_question,
    language_of,
    new_dates,
    new_numbers,
    new_years,
)
from kzqa.retrieve import Filters, Hit, Retriever, SentenceScores
from kzqa.settings import Settings

CLOSEST = 3  # passages shown with a refusal
LEXICAL_WEIGHT = 0.1
TYPE_BONUS = 0.04
# e5's cosines of a Russian or Kazakh question with English text run lower than an English
# question's with the same text (mean over all sentences: 0.735 against 0.770 on our question
# sets), so a question in another language than its passages is held to a bar this much lower.
CROSSLINGUAL_OFFSET = 0.03
NEIGHBOUR = 0.02  # a sentence next to the best one, this close to it, is quoted with it
SAME_ANSWER = 0.01  # another outlet's sentence this close to the best one is shown beside it
SOURCES_VIEW = 0.08  # when asked what the sources say: each outlet's best sentence this close
MOST_OUTLETS = 4
NEAREST_SENTENCES = 5  # the passages of this many of the corpus's best sentences are weighed too
ANSWERED = 0.02  # a follow-up is answered again by the sentence that answered the question it follows
# only when no other sentence comes within this of it (as with NEIGHBOUR): it asks for something new

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
    support: float = 0.0  # the highest ``Candidate.dense`` among the retrieved sentences
    generated: bool = False  # written by an LLM (generate.py) rather than quoted
    unsupported: tuple = ()  # verify.Unsupported: generated sentences the passages do not support
    note: str | None = None  # for the reader, e.g. that generation was unavailable
    retrieved: tuple[Hit, ...] = ()  # every passage weighed: the search's, best first, then the nearest sentences'
    retrieval_seconds: float = 0.0  # embedding the query and searching, within this answer
    refusal_reason: str | None = None  # why kzqa did not answer, in English (for programs and logs)


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    start: int
    end: int
    dense: float  # mean cosine of the question with the sentence and with its window
    score: float  # dense + lexical bonus
    context_start: int | None = None  # start of the sentence before, when this one is quoted with it

    @property
    def outlet(self) -> str:
        return self.hit.document.outlet


def lexical_share(bm25: np.ndarray, query: LexicalQuery) -> np.ndarray:
    """BM25 scaled to [0, 1] by its best, times the share of the question's words BM25 can see at
    all: a Russian question's only visible words may be a year, which must not decide the answer."""
    return bm25 / max(float(bm25.max()), 1e-9) * query.visible


def with_nearest_sentences(retriever: Retriever, vector: np.ndarray, query: LexicalQuery, hits: list[Hit],
                           filters: Filters | None = None, each_outlet: bool = False,
                           scores: SentenceScores | None = None) -> list[Hit]:
    """``hits`` and, after them, the passages holding the corpus's NEAREST_SENTENCES best sentences
    and, with ``each_outlet`` (asked what the sources say), each outlet's best sentence."""
    if scores is None:
        scores = retriever.sentence_scores(vector, query)
    nearness = scores.dense + LEXICAL_WEIGHT * lexical_share(scores.bm25, query)  # (n_sentences,)
    pool = hits + retriever.passages_of(nearness, NEAREST_SENTENCES, vector, filters, hits)
    admitted = filters or Filters()
    for outlet in sorted({doc.outlet for doc in retriever.index.documents.values() if admitted.admits(doc)}
                         if each_outlet else ()):
        pool += retriever.passages_of(nearness, 1, vector, replace(admitted, outlets=frozenset({outlet})), pool)
    return pool


def candidates(retriever: Retriever, vector: np.ndarray, query: LexicalQuery, question: str,
               hits: list[Hit], scores: SentenceScores | None = None, answered: str = "") -> list[Candidate]:
    """Every statement of the passages, best first; a sentence in two passages counts once, and
    one that ``answered`` quotes (the answer a follow-up follows) loses ANSWERED.

    Sentences that are questions are left out: an article's rhetorical "Should we expect a change
    in Astana's foreign policy?" is the sentence most like the reader's question, and answers nothing.
    """
    spans: dict[tuple[str, int, int], Hit] = {}
    for hit in hits:  # hits are best first: a sentence shared by two passages is cited from the better
        for start, end in hit.chunk.sentences:
            spans.setdefault((hit.chunk.doc_id, start, end), hit)
    if not spans:
        return []
    if scores is None:
        scores = retriever.sentence_scores(vector, query)
    rows = np.array([retriever.index.sentence_rows[key] for key in spans])
    dense, lexical = scores.dense[rows], lexical_share(scores.bm25[rows], query)
    # A sentence that leans back ("This weakens ...") and is nearer the question with the sentence
    # before it than alone is quoted with that sentence: the reader must see what "This" is.
    carried = retriever.leans_back[rows] & (scores.windows[rows] > scores.cosines[rows])
    wants_year, wants_date = asks_for_year(question), asks_for_date(question)
    wants_number = asks_for_number(question) and not wants_year  # "one of the centres" is no year
    scored = []
    for i, ((_, start, end), hit) in enumerate(spans.items()):
        text = hit.document.text[start:end]
        if is_question(text) or is_fragment(text):
            continue  # a question in the text never answers one, though it is worded most like it
        typed = ((wants_year and new_years(text, question)) or (wants_number and new_numbers(text, question))
                 or (wants_date and new_dates(text, question)))
        bonus = (TYPE_BONUS if typed else 0.0) - (ANSWERED if answered and text in answered else 0.0)
        score = dense[i] + LEXICAL_WEIGHT * lexical[i] + bonus
        context = _previous_start(hit, start) if carried[i] else None
        scored.append(Candidate(hit, start, end, float(dense[i]), float(score), context))
    return sorted(scored, key=lambda c: -c.score)


def _previous_start(hit: Hit, start: int) -> int | None:
    """Where the sentence before the one at ``start`` begins, if the passage holds it in the same paragraph."""
    i = [s for s, _ in hit.chunk.sentences].index(start)
    if not i or "\n" in hit.document.text[hit.chunk.sentences[i - 1][1] : start]:
        return None
    return hit.chunk.sentences[i - 1][0]


def _adjacent(best: Candidate, other: Candidate) -> Candidate | None:
    """``best`` extended by ``other`` when the two follow each other, in one paragraph, in a passage holding both."""
    if other.hit.chunk.doc_id != best.hit.chunk.doc_id:
        return None
    first, second = sorted((best, other), key=lambda c: c.start)
    between = best.hit.document.text[first.end : second.start]
    if between.strip() or "\n" in between:
        return None  # not next to each other in one paragraph
    for hit in (best.hit, other.hit):
        if hit.chunk.start <= first.start and second.end <= hit.chunk.end:
            return Candidate(hit, first.start, second.end, best.dense, best.score)
    return None


def choose(ranked: list[Candidate], question: str, most: int) -> list[Candidate]:
    """The best sentence (with its neighbour when that scores nearly as well: the two often make one
    statement, "Masimov's trial began ... He is accused of treason."), and the best sentence of other
    outlets that answer about as well."""
    best = ranked[0]
    for other in ranked[1:]:
        if other.score < best.score - NEIGHBOUR:
            break
        if merged := _adjacent(best, other):
            best = merged
            break
    margin, limit = (SOURCES_VIEW, MOST_OUTLETS) if asks_for_sources(question) else (SAME_ANSWER, most)
    chosen, outlets = [best], {best.outlet}
    for candidate in ranked[1:]:
        if len(chosen) >= limit or candidate.score < best.score - margin:
            break
        if candidate.outlet not in outlets:
            chosen.append(candidate)
            outlets.add(candidate.outlet)
    return [replace(c, start=c.context_start) if c.context_start is not None else c for c in chosen]


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
           filters: Filters | None = None, query: str | None = None) -> Answer:
    """The extractive answer; ``query`` overrides the search built from the conversation."""
    question, rule_query = standalone_query(messages)
    query = query or rule_query
    language = language_of(question)
    searched, filters = retriever.scope(query, filters)  # "According to Caliber.Az, ...": its passages
    if searched != query:
        query, question = searched, retriever.scope(question)[0]
    started = time.perf_counter()
    vector = retriever.embed_query(query)
    lexical = retriever.lexical_query(query)
    scores = retriever.sentence_scores(vector, lexical)  # every sentence, once per answer
    hits = retriever.search_vector(vector, lexical, settings.top_k, filters, scores)
    retrieval_seconds = time.perf_counter() - started
    ranked, pool = _ranked(retriever, question, query, (vector, lexical, scores), hits, filters,
                           answer_followed_up(messages))
    support = max((c.dense for c in ranked), default=0.0)
    bar = settings.min_score - (CROSSLINGUAL_OFFSET if language != "en" else 0.0)
    if not hits:
        chosen, reason = [], "no passage matches the chosen outlets and dates"
    elif not ranked or support < bar:
        chosen, reason = [], f"no sentence is close enough to the question (best {support:.3f}, needed {bar:.3f})"
    else:
        chosen = choose(ranked, question, settings.answer_sentences)
        asked = Asked(question, frozenset(retriever.chunk_lexical.words(question))
                      | {stem for stem, weight in lexical.terms.items() if weight > 0}, retriever.chunk_lexical.stem,
                      language, focus=attribution(question)[1])
        reason = shortfall(chosen[0].hit, chosen[0].start, chosen[0].end, asked, retriever.names)
        # another outlet's line is quoted only if it could be the answer too
        chosen = chosen[:1] + [c for c in chosen[1:] if not shortfall(c.hit, c.start, c.end, asked, retriever.names)]
    if reason:
        closest = tuple(Citation(n, hit) for n, hit in enumerate(closest_passages(ranked, hits), start=1))
        return Answer(refusal(question, language, retriever.names, bool(hits)), False, closest, query, language,
                      support, retrieved=tuple(pool), retrieval_seconds=retrieval_seconds, refusal_reason=reason)
    text, citations = compose(chosen, language)
    return Answer(text, True, citations, query, language, support, retrieved=tuple(pool),
                  retrieval_seconds=retrieval_seconds)


def closest_passages(ranked: Sequence[Candidate], hits: Sequence[Hit]) -> list[Hit]:
    """The CLOSEST passages shown with a refusal: those holding the best candidate sentences, then the
    best retrieved, so the reader sees the sentence that came nearest and can judge it."""
    by_chunk: dict[str, Hit] = {}
    for hit in [c.hit for c in ranked] + list(hits):
        by_chunk.setdefault(hit.chunk.chunk_id, hit)
    return list(by_chunk.values())[:CLOSEST]


def _ranked(retriever: Retriever, question: str, query: str,
            searched: tuple[np.ndarray, LexicalQuery, SentenceScores], hits: list[Hit], filters: Filters | None,
            answered: str = "") -> tuple[list[Candidate], list[Hit]]:
    """The candidate sentences for ``question``, searched as ``query`` (its vector, lexical query and
    sentence scores), best first, and the passages they were drawn from.

    A follow-up is searched with its context, but its sentences are judged by what it asks now too.
    "According to Abishev, what ...?": the passages were searched with the name, the sentences are
    judged without it, and only those with the name near them are kept (when there are any).
    """
    vector, lexical, scores = searched
    speaker, focus = attribution(question)
    sentence_vector = vector if query == focus else _unit(vector + retriever.embed_query(focus))
    sentence_lexical = retriever.lexical_query(focus) if speaker else lexical
    if sentence_vector is not vector or sentence_lexical is not lexical:
        scores = retriever.sentence_scores(sentence_vector, sentence_lexical)
    pool = with_nearest_sentences(retriever, sentence_vector, sentence_lexical, hits, filters,
                                  asks_for_sources(focus), scores) if hits else []
    ranked = candidates(retriever, sentence_vector, sentence_lexical, focus, pool, scores, answered)
    if speaker and (name := _speaker_name(speaker, retriever)):
        ranked = [c for c in ranked if retriever.names.named_in(near_text(c.hit, c.start, c.end), name, 1.0)] or ranked
    return ranked, pool


def answer_pieces(text: str, words_per_piece: int = 3) -> Iterator[str]:
    """The answer in small pieces, for streaming; concatenated they give ``text`` back."""
    words = re.findall(r"\S+\s*", text)
    for i in range(0, len(words), words_per_piece):
        yield "".join(words[i : i + words_per_piece])


def extractive_events(result: Answer) -> Iterator[tuple[str, object]]:
    """A turn as events: ("citations", answer so far), ("delta", piece)..., ("done", answer)."""
    yield "citations", result
    for piece in answer_pieces(result.text):
        yield "delta", piece
    yield "done", result


def _speaker_name(speaker: str, retriever: Retriever) -> Name | None:
    """The speaker's name as the English passages write it (a Russian name by its nearest corpus word)."""
    if not is_foreign(speaker):
        return Name(tuple(speaker.split()))
    words = [t.english.capitalize() for t in retriever.lexicon.translate(speaker) if t.weight > 0]
    return Name(tuple(words)) if words else None


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
