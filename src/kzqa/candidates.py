"""Retrieved passages -> their sentences, each scored for the question: the candidates an answer quotes.

A candidate sentence s, with p the sentence before it in its document and w the window "p s",
is ranked by

    dense(s)   = (cos(q, s) + cos(q, w)) / 2
    lexical(s) = bm25(s) / (max bm25 over the candidates) * (share of q's words found in the corpus)
    score(s)   = dense(s) + LEXICAL_WEIGHT * lexical(s) + TYPE_BONUS * [q asks for a year (a number,
                 a date) and s holds a year (a number, says when) in words that q does not; asked how
                 long, a span or length: ``counting.gives_how_long``]
                 - ANSWERED * [q is a follow-up and s answered the question it follows]

The dense part carries meaning across languages and paraphrase; the window gives "He is accused of
treason." the name its previous sentence holds; the lexical part rewards the exact names and
numbers asked about. The candidates are the sentences of the retrieved passages and of the
passages holding the NEAREST_SENTENCES best sentences of the whole corpus by dense(s) +
LEXICAL_WEIGHT * lexical(s) (a passage that answers in one sentence among unrelated ones can rank
below top_k), and when asked what the sources say, of each outlet's best sentence; a question
in the text, a sentence about its questions ("These questions were answered by ..."), or a scrap too
short to state anything, is never one, nor, when q gives a year, a sentence
whose every year comes before it ("during a visit to China in September 2019" tells nothing of what
happened "in 2022"; "since 2019" reaches to now).
A quoted sentence that leans back ("This weakens ...") is quoted with the sentence before it, in
its paragraph, when cos(q, w) > cos(q, s): the match is in what "This" stands for. Asked who, it is
quoted with it when it says "he" or "she" ("He compared him to Judas."), however the question's words
match (unless that one says "he" or "she" too: whom both mean is further back), and otherwise not:
the name asked for must be the sentence's own or whom its "he" stands for, not any name of the
sentence before ("... within Kazakhstan. This was evident from ... the debates").
(A passage that opens with such a sentence overlaps the one before, which holds both and is quoted
from instead.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from kzqa.counting import HOW_LONG, gives_how_long
from kzqa.filters import Filters
from kzqa.lexicon import LexicalQuery
from kzqa.phrases import is_about_its_questions, is_fragment, is_question, leans_on_someone
from kzqa.question_types import (
    MONTH_NAMES,
    YEAR,
    asks_for_date,
    asks_for_name,
    asks_for_number,
    asks_for_year,
    new_dates,
    new_numbers,
    new_years,
)
from kzqa.retrieve import Hit, Retriever, SentenceScores

LEXICAL_WEIGHT = 0.1
TYPE_BONUS = 0.04
NEAREST_SENTENCES = 5  # the passages of this many of the corpus's best sentences are weighed too
ANSWERED = 0.02  # a follow-up is answered again by the sentence that answered the question it follows
# only when no other sentence comes within this of it (as with answer.NEIGHBOUR): it asks for something new
SINCE = re.compile(rf"\b(?i:since|from)\s+(?:(?i:{MONTH_NAMES})\s+)?$")  # before a year: "since January 2022"


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

    @property
    def text(self) -> str:
        """Document text[start:end]: the sentence (as ``quoted``, with the one it leans on)."""
        return self.hit.document.text[self.start:self.end]

    @property
    def quoted_start(self) -> int:
        """Where its quote begins: at the sentence before, when it leans on that one."""
        return self.start if self.context_start is None else self.context_start


def quoted(candidate: Candidate) -> Candidate:
    """The candidate as quoted: with the sentence before it when it leans on that one."""
    return replace(candidate, start=candidate.quoted_start)


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
    wants_year, wants_date = asks_for_year(question), asks_for_date(question)
    wants_someone = asks_for_name(question)
    # A sentence that leans back ("This weakens ...") and is nearer the question with the sentence
    # before it than alone is quoted with that sentence: the reader must see what "This" is. Asked
    # who, no name of the sentence before is the answer, unless the sentence says "he" (below).
    carried = retriever.leans_back[rows] & (scores.windows[rows] > scores.cosines[rows]) & (not wants_someone)
    wants_number = asks_for_number(question) and not wants_year  # "one of the centres" is no year
    wants_span = bool(HOW_LONG.search(question))  # "how long": a number with its unit, or a span's year
    given_year = min(map(int, YEAR.findall(question)), default=None)
    scored = []
    for i, ((_, start, end), hit) in enumerate(spans.items()):
        text = hit.document.text[start:end]
        if (is_question(text) or is_about_its_questions(text) or is_fragment(text)
                or tells_of_earlier_years(text, given_year)):
            continue  # never a candidate (the module's docstring): a question in the text is worded most like one
        spanned = not wants_span or gives_how_long(text, question)
        typed = ((wants_year and new_years(text, question)) or (wants_date and new_dates(text, question))
                 or (wants_number and new_numbers(text, question) and spanned))
        bonus = (TYPE_BONUS if typed else 0.0) - (ANSWERED if answered and text in answered else 0.0)
        score = dense[i] + LEXICAL_WEIGHT * lexical[i] + bonus
        context = None
        if wants_someone and leans_on_someone(text):  # the sentence before names whom "He compared him" means
            hit, context = _with_sentence_before(retriever, hit, start, int(rows[i]), vector)
        elif carried[i] and not (answered and said_before(retriever, int(rows[i]), answered)):
            context = _previous_start(hit, start)
        scored.append(Candidate(hit, start, end, float(dense[i]), float(score), context))
    return sorted(scored, key=lambda c: -c.score)


def said_before(retriever: Retriever, row: int, answered: str) -> bool:
    """Whether the answer a follow-up follows quoted the sentence before sentence ``row``: the reader has just read
    what its "He" or "This" stands for ("... received 81.3% of the votes" - "He is now set to remain in office
    until 2029."), so it is not quoted again."""
    before = int(retriever.previous_sentence[row])
    return before != row and retriever.sentence_texts[before] in answered


def tells_of_earlier_years(sentence: str, year: int | None) -> bool:
    """Whether the sentence names years, all before ``year`` (the earliest the question gives), none "since"."""
    if year is None:
        return False
    years = [(int(m.group()), bool(SINCE.search(sentence, 0, m.start()))) for m in YEAR.finditer(sentence)]
    return bool(years) and all(named < year and not since for named, since in years)


def _with_sentence_before(retriever: Retriever, hit: Hit, start: int, row: int,
                          vector: np.ndarray) -> tuple[Hit, int | None]:
    """The passage to quote the sentence at ``start`` (sentence ``row``) from with the sentence before it,
    and where that one begins: ``hit``, or when ``hit`` opens with the sentence, the passage before,
    which overlaps it."""
    passage, context = hit, _previous_start(hit, start)
    if context is None:  # only then is the passage before made a Hit (its vector read back from FAISS)
        passage = retriever.first_passage_of(row, vector, hit.rank)
        context = _previous_start(passage, start)
    # a sentence before that says "he" too names someone else, if anyone ("He first ran ... as
    # Nazarbayev's successor; ... Thus, he confirmed ..."): whom both speak of is further back
    if context is None or leans_on_someone(passage.document.text[context:start]):
        return hit, None
    return passage, context


def _previous_start(hit: Hit, start: int) -> int | None:
    """Where the sentence before the one at ``start`` begins, if the passage holds it in the same paragraph."""
    i = [s for s, _ in hit.chunk.sentences].index(start)
    if not i or "\n" in hit.document.text[hit.chunk.sentences[i - 1][1] : start]:
        return None
    return hit.chunk.sentences[i - 1][0]
