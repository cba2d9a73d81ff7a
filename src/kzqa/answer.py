"""Passages -> an extractive answer: the sentences that answer, quoted, each with its [n] marker.

Every sentence of an answer is copied verbatim from a retrieved passage, is attributed to its
outlet, and carries the marker of the citation whose ``text`` is that passage. Citations list only
the passages the answer uses, numbered 1, 2, ... in order of first use.

A question that asks what the sources say about something ("What do the sources say about Russia?") is searched
for that thing alone ("Russia", ``question_types.sources_topic``), and the response's ``query`` says so.

The answer quotes the best candidate sentence (``candidates.py``), with the sentence next to it
when that scores within NEIGHBOUR of it, and the best sentence of each other outlet that scores
within SAME_ANSWER of it (SOURCES_VIEW when the question asks what the sources say, for a view, or
whether something is so) and speaks of what the question names (``grounding.speaks_of_what_is_named``:
"the CSTO"), or that gives the same figure or full name (``corroborate.py``); beside a figure, only a
line that gives one. Asked "Who is <name>?", it quotes instead the best sentence nearly as good that says
who they are (``definition.py``), however far from the question; asked "Which <noun> ...?", the best one
nearly as good that names someone by it.

An outlet named only in an earlier turn of the conversation ("Which posts did Tokayev hold, according to
Caliber.Az?" - "When did he first run?") scopes the follow-up to its passages as well; when none of them
answers, the follow-up is answered from every outlet instead, with a note saying so (``phrases.BEYOND_SCOPE``).

kzqa refuses (``answered`` false) when no word of an English question that speaks of a topic occurs
in the corpus; when the highest dense(s) among the candidates is below ``min_score`` (lowered by
CROSSLINGUAL_OFFSET for a question in another language) and, for "Who is <name>?", no candidate
says who they are: nothing is about the question; or when
the best sentence, quoted with its neighbour, cannot be the answer for what the question pins down
(``grounding.shortfall``: a count, a date, a year, a name, a rarely used name), unless, for "Who
<did> ...?", a candidate has someone new doing it (``grounding.doer``). It lists the passages
holding the best candidates, for the reader to judge.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from kzqa.candidates import Candidate, candidates, quoted, with_nearest_sentences
from kzqa.conversation import Message, answer_followed_up, questions, searched_as
from kzqa.corroborate import Judged, corroborating, given_values
from kzqa.definition import describing, named_by_noun
from kzqa.filters import Filters
from kzqa.grounding import (
    SOURCES_VIEW,
    aged,
    doer,
    near_text,
    refusal,
    shortfall,
    speaks_of_what_is_named,
)
from kzqa.lexicon import is_foreign
from kzqa.names import Name, NameIndex
from kzqa.phrases import BEYOND_DOCUMENTS, BEYOND_SCOPE, according_to, language_of
from kzqa.question_types import Asked, asked_about, asks_for_sources, attribution, sources_topic
from kzqa.quotation import speaker
from kzqa.retrieve import Hit, Retriever
from kzqa.settings import Settings

CLOSEST = 3  # passages shown with a refusal
# e5's cosines of a Russian or Kazakh question with English text run lower than an English
# question's with the same text (mean over all sentences: 0.735 against 0.770 on our question
# sets), so a question in another language than its passages is held to a bar this much lower.
CROSSLINGUAL_OFFSET = 0.03
NEIGHBOUR = 0.02  # a sentence next to the best one, this close to it, is quoted with it
SAME_ANSWER = 0.01  # another outlet's sentence this close to the best one is shown beside it
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
    support: float = 0.0  # the highest ``Candidate.dense`` among the retrieved sentences
    generated: bool = False  # written by an LLM (generate.py) rather than quoted
    unsupported: tuple = ()  # verify.Unsupported: generated sentences the passages do not support
    note: str | None = None  # for the reader, e.g. that generation was unavailable
    retrieved: tuple[Hit, ...] = ()  # every passage weighed: the search's, best first, then the nearest sentences'
    retrieval_seconds: float = 0.0  # embedding the query and searching, within this answer
    refusal_reason: str | None = None  # why kzqa did not answer, in English (for programs and logs)


def _adjacent(best: Candidate, other: Candidate) -> Candidate | None:
    """``best`` extended by ``other`` when the two follow each other, in one paragraph, in a passage holding both
    and the sentence before the first, when that one is quoted with it (else ``choose`` tries the next)."""
    if other.hit.chunk.doc_id != best.hit.chunk.doc_id:
        return None
    first, second = sorted((best, other), key=lambda c: c.start)
    between = best.hit.document.text[first.end : second.start]
    if between.strip() or "\n" in between:
        return None  # not next to each other in one paragraph
    opens = first.quoted_start  # the first one's sentence before it, when it is quoted with that
    for hit in (best.hit, other.hit):
        if hit.chunk.start <= opens and second.end <= hit.chunk.end:
            return Candidate(hit, first.start, second.end, best.dense, best.score, first.context_start)
    return None  # no passage holds all: "He banned ..." is not joined, and keeps the sentence naming "he"


def choose(ranked: list[Candidate], question: str, most: int,
           on_topic: Callable[[Candidate], bool] = lambda _: True) -> list[Candidate]:
    """The best sentence (with its neighbour when that scores nearly as well: the two often make one
    statement, "Masimov's trial began ... He is accused of treason."), and the best sentence of other
    outlets that answer about as well, among those ``on_topic`` accepts (``speaks_of_what_is_named``)."""
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
        if candidate.outlet not in outlets and on_topic(candidate):
            chosen.append(candidate)
            outlets.add(candidate.outlet)
    return [quoted(c) for c in chosen]


def compose(chosen: list[Candidate], language: str, names: NameIndex) -> tuple[str, tuple[Citation, ...]]:
    """One line per outlet, 'According to <outlet>: <sentence> [n]' ('According to <outlet>, quoting <whom it
    quotes>: ...' for a sentence inside a quotation, ``quotation.speaker``), markers in order of first use."""
    numbers: dict[str, int] = {}
    hits: dict[str, Hit] = {}
    lines = []
    for candidate in chosen:
        hit = candidate.hit
        n = numbers.setdefault(hit.chunk.chunk_id, len(numbers) + 1)
        hits[hit.chunk.chunk_id] = hit
        doc = hit.document
        quoting = speaker(doc.text, candidate.start, candidate.end, names)
        lead = according_to(doc.outlet, doc.author, doc.published, language, quoting)
        lines.append(f"{lead} {doc.text[candidate.start:candidate.end]} [{n}]")
    citations = tuple(Citation(n, hits[chunk_id]) for chunk_id, n in numbers.items())
    return "\n".join(lines), citations


def answer(messages: Sequence[Message], retriever: Retriever, settings: Settings,
           filters: Filters | None = None, query: str | None = None) -> Answer:
    """The extractive answer; ``query`` overrides the search built from the conversation."""
    # a name spelt otherwise than the documents do ("Tokaev") is read as theirs ("Tokayev"), in every question
    messages = [replace(m, content=retriever.respeller.respelled(m.content)) if m.role == "user" else m
                for m in messages]
    query = retriever.respeller.respelled(query) if query else None  # an LLM's standalone question too
    # resolved once, for the query and the hold-back
    asked_so_far = questions(messages, retriever.referent, retriever.person)
    question, query = asked_so_far[-1].asked, query or searched_as(asked_so_far)
    # a follow-up whose pronoun was resolved is asked as it is searched, by name: "How many children does he
    # have?" is judged as "... does Nazarbayev have?", "What does he say ...?" after "Who is Gaziz Abishev?" as his
    if asked_so_far[-1].resolved:
        question = asked_so_far[-1].searched
    language = language_of(question)
    # Kazakh written without its own letters ("Ол неше жаста?") reads as Russian: after a Kazakh question it is Kazakh
    if language == "ru" and len(asked_so_far) > 1 and language_of(asked_so_far[-2].asked) == "kk":
        language = "kk"
    given_filters = filters
    unscoped, filters = retriever.scope(query, filters)  # "According to Caliber.Az, ...": its passages
    # an outlet only an earlier turn names scopes the follow-up too, unless none of its passages answers (below)
    inherited = filters is not given_filters and not retriever.sources.named(question)
    if unscoped != query:
        query, question = unscoped, retriever.scope(question)[0]
    if query == question and (topic := sources_topic(question)):  # "What do the sources say about Russia?"
        query = topic
    started = time.perf_counter()
    vector = retriever.embed_query(query)
    lexical = retriever.lexical_query(query)
    scores = retriever.sentence_scores(vector, lexical)  # every sentence, once per answer
    hits = retriever.search_vector(vector, lexical, settings.top_k, filters, scores)
    retrieval_seconds = time.perf_counter() - started
    searched = Judged(vector, lexical, scores, answer_followed_up(messages, asked_so_far[-1].resolved))
    ranked, pool, judged = _ranked(retriever, question, query, searched, hits, filters)
    support = max((c.dense for c in ranked), default=0.0)
    bar = settings.min_score - (CROSSLINGUAL_OFFSET if language != "en" else 0.0)
    speaker, focus = attribution(question)
    asked = Asked(question, frozenset(retriever.chunk_lexical.words(question)) | lexical.searched,
                  retriever.chunk_lexical.stem, language, focus=focus)
    # "Who is Karim Masimov?": a sentence that says who he is, by name, answers however far its wording is
    about = asked_about(asked.asking)
    about_name = _as_written(about, retriever, clearly=True) if about else None
    description = describing(ranked, about_name, asked, retriever.names)
    if not hits:
        chosen, reason = [], (filters or Filters()).why_empty
    elif language == "en" and not retriever.chunk_lexical.shares_a_word(query):
        # "🙂🙂🙂", "What is asdf qwer?": e5 finds some sentence close to anything. (Russian and Kazakh words reach
        # the corpus only through translations that may all be weak: there, the embedding alone decides.)
        chosen, reason = [], "no word of the question occurs in the documents"
    elif description and (not ranked or support < bar):
        chosen, reason = [quoted(description)], None
    elif not ranked or support < bar:
        chosen, reason = [], too_far(support, bar)
    else:
        chosen = choose(ranked, question, settings.answer_sentences, speaks_of_what_is_named(asked, retriever.names))
        reason = shortfall(chosen[0].hit, chosen[0].start, chosen[0].end, asked, retriever.names)
        if reason and (someone := doer(ranked, asked, retriever.names, bar) or aged(ranked, asked, retriever.names)):
            chosen, reason = [quoted(someone)], None
        elif description and description is not ranked[0]:
            chosen, reason = [quoted(description)], None
        elif named := named_by_noun(ranked, asked, retriever.names):
            chosen, reason = [quoted(named)], None
        # another outlet's line is quoted only if it could be the answer too
        # (and, when the best sentence gives a figure for what is asked, only if it gives one too: not a year
        # beside "seven years")
        figured = bool(given_values(chosen[0].text, asked))
        chosen = chosen[:1] + [c for c in chosen[1:] if not shortfall(c.hit, c.start, c.end, asked, retriever.names)
                               and (not figured or given_values(c.text, asked))]
        # (with a quoted person, ``ranked`` holds only sentences near the name; another outlet need not quote them)
        if not reason and not speaker and len(chosen) < settings.answer_sentences:
            more = corroborating(retriever, chosen, asked, judged, ranked, pool, filters, bar,
                                 settings.answer_sentences - len(chosen))
            chosen += more
    # A quote may come from a passage the search did not weigh: another outlet's, or one holding its context.
    weighed = {hit.chunk.chunk_id for hit in pool}
    pool += [c.hit for c in chosen if c.hit.chunk.chunk_id not in weighed]
    if reason and inherited and (wider := answer(messages, retriever, settings, given_filters, unscoped)).answered:
        beyond = BEYOND_SCOPE if filters.outlets else BEYOND_DOCUMENTS
        return replace(wider, note=beyond[language].format(outlets=retriever.sources.label(filters)))
    if reason:
        closest = tuple(Citation(n, hit) for n, hit in enumerate(closest_passages(ranked, hits), start=1))
        return Answer(refusal(question, language, retriever.names, bool(hits)), False, closest, query, language,
                      support, retrieved=tuple(pool), retrieval_seconds=retrieval_seconds, refusal_reason=reason)
    text, citations = compose(chosen, language, retriever.names)
    return Answer(text, True, citations, query, language, support, retrieved=tuple(pool),
                  retrieval_seconds=retrieval_seconds)


def too_far(support: float, bar: float) -> str:
    """The refusal reason for a best sentence below the bar, in as many decimals as tell the two apart
    (never "best 0.788, needed 0.788")."""
    places = next(n for n in (3, 4, 6, 9) if f"{support:.{n}f}" != f"{bar:.{n}f}" or n == 9)
    return f"no sentence is close enough to the question (best {support:.{places}f}, needed {bar:.{places}f})"


def closest_passages(ranked: Sequence[Candidate], hits: Sequence[Hit]) -> list[Hit]:
    """The CLOSEST passages shown with a refusal: those holding the best candidate sentences, then the
    best retrieved, so the reader sees the sentence that came nearest and can judge it."""
    by_chunk: dict[str, Hit] = {}
    for hit in [c.hit for c in ranked] + list(hits):
        by_chunk.setdefault(hit.chunk.chunk_id, hit)
    return list(by_chunk.values())[:CLOSEST]


def _ranked(retriever: Retriever, question: str, query: str, searched: Judged, hits: list[Hit],
            filters: Filters | None) -> tuple[list[Candidate], list[Hit], Judged]:
    """The candidate sentences for ``question``, searched as ``query`` (``searched``: its vector, lexical
    query, sentence scores and the answer a follow-up follows), best first, the passages they were
    drawn from, and what they were judged by.

    A follow-up is searched with its context, but its sentences are judged by what it asks now too.
    "According to Abishev, what ...?": the passages were searched with the name, the sentences are
    judged without it, and only those with the name near them are kept (when there are any).
    """
    vector, lexical, scores, answered = searched.vector, searched.lexical, searched.scores, searched.answered
    speaker, focus = attribution(question)
    sentence_vector = vector if query == focus else _unit(vector + retriever.embed_query(focus))
    sentence_lexical = retriever.lexical_query(focus) if speaker else lexical
    if sentence_vector is not vector or sentence_lexical is not lexical:
        scores = retriever.sentence_scores(sentence_vector, sentence_lexical)
    pool = with_nearest_sentences(retriever, sentence_vector, sentence_lexical, hits, filters,
                                  asks_for_sources(focus), scores) if hits else []
    ranked = candidates(retriever, sentence_vector, sentence_lexical, focus, pool, scores, answered)
    if speaker and (name := _as_written(speaker, retriever)):
        ranked = [c for c in ranked if retriever.names.named_in(near_text(c.hit, c.start, c.end), name, 1.0)] or ranked
    return ranked, pool, Judged(sentence_vector, sentence_lexical, scores, answered)


def _as_written(name: str, retriever: Retriever, clearly: bool = False) -> Name | None:
    """A name as the English passages write it: a Russian or Kazakh one by its nearest corpus words (a
    speaker's), or, ``clearly``, only by those it transliterates at full weight (whom "Who is ...?" asks
    about: "Масимов" is "Masimov", but "Ашимбаев" is not "Beisebayev", at 0.90)."""
    if not is_foreign(name):
        return Name(tuple(name.split()))
    words = [t.english.capitalize() for t in retriever.lexicon.translate(name)
             if (t.weight >= 1.0 if clearly else t.weight > 0)]
    return Name(tuple(words)) if words else None


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
