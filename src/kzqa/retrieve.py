"""Question -> the passages most likely to answer it: dense and lexical rankings, fused.

- dense: FAISS inner product of the question vector with the chunk vectors (cosines; exact, or
  approximate by HNSW for a very large index, see ``index.vector_index``);
- lexical: BM25 (bm25s, Porter-stemmed English, stop words dropped) over the chunk texts;
- fusion: weighted reciprocal rank fusion, ``rrf(c) = sum over rankings of w / (RRF_K + rank(c))``,
  which needs no score calibration between the two rankings; w = 1 for dense, and for lexical the
  share of the question's words that occur in the corpus. A Russian or Kazakh question shares no
  words with the English passages: its words count through their nearest corpus words, each by
  how clearly it matches (``lexicon.py``), and where none matches, fusion falls back to dense order.
- scope: a query naming an outlet ("According to Caliber.Az, ...") searches that outlet's
  passages, for the rest of its words (``scope``); the chat and ``/api/search`` both do.
- near-duplicates: a passage that mostly repeats a better one (same document, more than half of
  its characters shared; or a vector cosine above DUPLICATE_COS) is dropped.
- sentences: ``sentence_scores`` scores every sentence of the corpus, ``passages_of`` finds the
  passages holding the best ones. A passage's vector averages all its sentences, so one that
  answers in a single sentence among unrelated ones can rank below k; answer.py reads these
  passages too (``/api/search`` returns the fused ranking alone).

Both BM25 tables are built at load time: for a corpus of this size (hundreds of chunks) that takes
milliseconds; for a much larger one they would be saved with the index instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import bm25s
import numpy as np
import Stemmer

from kzqa.chunk import Chunk
from kzqa.embed import Embedder
from kzqa.index import LoadedIndex, search_parameters
from kzqa.ingest import Document
from kzqa.lexicon import STOP_WORDS, WORD, Lexicon, Translation, is_foreign, words_of
from kzqa.names import NameIndex
from kzqa.phrases import leans_back

RRF_K = 60  # the constant of Cormack et al. (2009): damps the weight of the very top ranks
POOL = 30  # candidates taken from each ranking before fusion
DUPLICATE_COS = 0.97
STOP_WORDS_LIST = sorted(STOP_WORDS)  # the lexicon's vocabulary leaves out the same words


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    document: Document
    score: float  # cosine similarity of question and passage, in [-1, 1]
    rank: int  # 1 = best after fusion
    fused: float = 0.0  # reciprocal-rank-fusion score


@dataclass(frozen=True)
class SentenceScores:
    """One question against every sentence of the corpus: (n_sentences,) float arrays."""

    cosines: np.ndarray  # cos(question, sentence)
    windows: np.ndarray  # cos(question, previous sentence + sentence)
    dense: np.ndarray  # cosines; for a sentence that leans back ("He is accused of treason."), the mean of both
    bm25: np.ndarray  # BM25 of the question's terms (over the window's words for a sentence that leans back)


@dataclass(frozen=True)
class Filters:
    outlets: frozenset[str] = frozenset()  # empty: every outlet
    published_from: dt.date | None = None  # inclusive
    published_to: dt.date | None = None  # inclusive

    def admits(self, doc: Document) -> bool:
        if self.outlets and doc.outlet.casefold() not in {o.casefold() for o in self.outlets}:
            return False
        if self.published_from is None and self.published_to is None:
            return True
        if doc.published is None:
            return False
        day = dt.date.fromisoformat(doc.published)
        return (self.published_from or day) <= day <= (self.published_to or day)


@dataclass(frozen=True)
class LexicalQuery:
    """What BM25 looks for in one question."""

    terms: dict[str, float]  # stemmed word -> weight: 1 for the question's own words, the translation
    # weight (lexicon.py) for the English word standing in for a Russian or Kazakh one
    visible: float  # share of the question's words BM25 can match, in [0, 1] (translations by weight)


class Lexical:
    """BM25 over a list of texts; ``scores`` gives one float per text (0 where no word is shared)."""

    def __init__(self, texts: list[str]) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords=STOP_WORDS_LIST, stemmer=self._stemmer, show_progress=False)
        self._bm25.index(tokens, show_progress=False)
        self._vocab = set(tokens.vocab)

    def stem(self, word: str) -> str:
        """A lower-case word as BM25 indexes it."""
        return self._stemmer.stemWord(word)

    def words(self, query: str) -> list[str]:
        """The query's stemmed words, stop words dropped."""
        return bm25s.tokenize([query], stopwords=STOP_WORDS_LIST, stemmer=self._stemmer, show_progress=False,
                              return_ids=False)[0]

    def query(self, text: str, translations: Sequence[Translation] = ()) -> LexicalQuery:
        """The BM25 query of a question. A word in another script that the texts do not hold counts
        through its translation (if it got one), and a short one ("в", "на") not at all."""
        def unknown_foreign(word: str) -> bool:
            return is_foreign(word) and not set(self.words(word)) & self._vocab

        own_text = WORD.sub(lambda m: " " if unknown_foreign(m.group()) else m.group(), text)
        own = list(dict.fromkeys(self.words(own_text)))  # distinct stems
        foreign = {w for w in words_of(text) if unknown_foreign(w)}  # distinct, translated or not
        terms = {w: 1.0 for w in own if w in self._vocab}
        for translation in (t for t in translations if t.weight > 0):
            for stem in self.words(translation.english):
                terms[stem] = max(terms.get(stem, 0.0), translation.weight)
        seen = sum(w in self._vocab for w in own) + sum(t.weight for t in translations if t.word in foreign)
        total = len(own) + len(foreign)
        return LexicalQuery(terms, seen / total if total else 0.0)

    def scores(self, query: LexicalQuery) -> np.ndarray:
        """(n_texts,) float32: the BM25 scores of the query's terms, each scaled by its weight."""
        scores = np.zeros(self._bm25.scores["num_docs"], np.float32)
        whole = [t for t, w in query.terms.items() if w == 1.0 and t in self._vocab]
        if whole:
            scores += np.asarray(self._bm25.get_scores(whole), np.float32)
        for term, weight in query.terms.items():
            if 0.0 < weight < 1.0 and term in self._vocab:
                scores += weight * np.asarray(self._bm25.get_scores([term]), np.float32)
        return scores


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder
        self.chunk_lexical = Lexical([c.text for c in index.chunks])
        self.lexicon = Lexicon(index.vocabulary, index.vocabulary_vectors, embedder)
        self.names = NameIndex(index.documents.values())
        sentence_keys = sorted(index.sentence_rows, key=index.sentence_rows.__getitem__)
        # Row of the sentence before each sentence in its document (itself for a document's first):
        # rows are sorted by (doc_id, start), so the previous row is the previous sentence.
        self.previous_sentence = np.array([i - 1 if i and sentence_keys[i - 1][0] == key[0] else i
                                           for i, key in enumerate(sentence_keys)], dtype=np.int64)
        texts = [index.documents[d].text[s:e] for d, s, e in sentence_keys]
        # Chunk row of each sentence row: the first passage that holds it (overlapping passages share one).
        first_chunk: dict[tuple[str, int, int], int] = {}
        for row, chunk in enumerate(index.chunks):
            for start, end in chunk.sentences:
                first_chunk.setdefault((chunk.doc_id, start, end), row)
        self.sentence_chunk = np.array([first_chunk[key] for key in sentence_keys], dtype=np.int64)
        # A sentence that opens with "He", "It", "This"... is judged with the sentence before it,
        # which names what it speaks of: by its window vector, and by BM25 over the window's words.
        self._outlet_patterns = self.outlet_names()
        self.leans_back = np.array([leans_back(t) and p != i
                                    for i, (p, t) in enumerate(zip(self.previous_sentence, texts, strict=True))])
        self.sentence_lexical = Lexical([f"{texts[p]} {t}" if lean else t
                                         for p, t, lean in zip(self.previous_sentence, texts, self.leans_back,
                                                               strict=True)])

    def outlet_names(self) -> dict[str, re.Pattern[str]]:
        """Each outlet of the corpus -> a pattern for its name in a question (the full name, or its
        first word when that is distinctive, e.g. "Nikkei" for "Nikkei Asia")."""
        names = {}
        for outlet in {doc.outlet for doc in self.index.documents.values()}:
            forms = {re.escape(outlet)} | {re.escape(w) for w in re.split(r"[\s.]+", outlet)[:1] if len(w) >= 5}
            names[outlet] = re.compile(r"(?<!\w)(" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?!\w)",
                                       re.IGNORECASE)
        return names

    def named_outlets(self, question: str) -> tuple[frozenset[str], str]:
        """(outlets the question names, the question with those names taken out)."""
        named = set()
        for outlet, pattern in self._outlet_patterns.items():
            if pattern.search(question):
                named.add(outlet)
                question = pattern.sub(" ", question)
        return frozenset(named), " ".join(question.split())

    def scope(self, query: str, filters: Filters | None = None) -> tuple[str, Filters | None]:
        """(what to search, among which passages) for a query that may name an outlet.

        "According to Caliber.Az, ..." asks about that outlet: its passages are searched (unless the
        filters already choose outlets), for the rest of the query, since the name itself would only
        match the passages that name the outlet. A query that is nothing but a name stays as it is.
        """
        named, rest = self.named_outlets(query)
        if not named or not WORD.search(rest):
            return query, filters
        if not (filters and filters.outlets):
            filters = replace(filters or Filters(), outlets=named)
        return rest, filters

    def lexical_query(self, query: str) -> LexicalQuery:
        """The question's words for BM25, a Russian or Kazakh word by its English translation."""
        return self.chunk_lexical.query(query, self.lexicon.translate(query))

    def embed_query(self, query: str) -> np.ndarray:
        """(dim,) float32 unit vector."""
        return self.embedder.queries([query])[0]

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters == Filters():
            return None
        return np.array([i for i, c in enumerate(self.index.chunks)
                         if filters.admits(self.index.documents[c.doc_id])], dtype=np.int64)

    def _dense(self, vector: np.ndarray, allowed: np.ndarray | None) -> dict[int, float]:
        """Row -> cosine for the POOL nearest chunks (among ``allowed`` rows when given)."""
        params = search_parameters(self.index.chunk_index, self.index.ef_search, allowed)
        scores, rows = self.index.chunk_index.search(vector.reshape(1, -1).astype(np.float32), POOL, params=params)
        return {int(r): float(s) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0}

    def _lexical(self, query: LexicalQuery, allowed: np.ndarray | None) -> list[int]:
        scores = self.chunk_lexical.scores(query)
        if allowed is not None:
            mask = np.zeros_like(scores, dtype=bool)
            mask[allowed] = True
            scores = np.where(mask, scores, 0)
        order = np.argsort(-scores)[:POOL]
        return [int(r) for r in order if scores[r] > 0]

    def search_vector(self, vector: np.ndarray, query: LexicalQuery, k: int,
                      filters: Filters | None = None) -> list[Hit]:
        allowed = self._allowed(filters)
        if allowed is not None and len(allowed) == 0:
            return []
        dense = self._dense(vector, allowed)
        fused: dict[int, float] = {}
        # The lexical ranking is weighted by the share of the question's words BM25 can see at all.
        rankings = ((list(dense), 1.0), (self._lexical(query, allowed), query.visible))
        for ranking, weight in rankings:
            for rank, row in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank)
        kept: list[int] = []
        for row in sorted(fused, key=lambda r: -fused[r]):
            if not any(self._duplicate(row, other) for other in kept):
                kept.append(row)
            if len(kept) == k:
                break
        return [self._hit(row, vector, dense, rank, fused[row]) for rank, row in enumerate(kept, start=1)]

    def _hit(self, row: int, vector: np.ndarray, dense: dict[int, float], rank: int, fused: float) -> Hit:
        chunk = self.index.chunks[row]
        cosine = dense[row] if row in dense else float(self.index.chunk_index.reconstruct(row) @ vector)
        return Hit(chunk, self.index.documents[chunk.doc_id], cosine, rank, fused)

    def _duplicate(self, row: int, better: int) -> bool:
        a, b = self.index.chunks[row], self.index.chunks[better]
        if a.doc_id == b.doc_id:
            shared = min(a.end, b.end) - max(a.start, b.start)
            return shared > (a.end - a.start) / 2
        va, vb = self.index.chunk_index.reconstruct(row), self.index.chunk_index.reconstruct(better)
        return float(va @ vb) > DUPLICATE_COS

    def sentence_scores(self, vector: np.ndarray, query: LexicalQuery) -> SentenceScores:
        cosines = self.index.sentence_vectors @ vector
        windows = self.index.window_vectors @ vector
        dense = np.where(self.leans_back, (cosines + windows) / 2, cosines)
        return SentenceScores(cosines, windows, dense, self.sentence_lexical.scores(query))

    def passages_of(self, nearness: np.ndarray, n: int, vector: np.ndarray, filters: Filters | None,
                    exclude: Sequence[Hit]) -> list[Hit]:
        """The passages, other than ``exclude``, holding the ``n`` sentences of highest (n_sentences,)
        ``nearness`` among those the filters admit, best first."""
        allowed = self._allowed(filters)
        scores = nearness.copy()
        if allowed is not None:
            scores[~np.isin(self.sentence_chunk, allowed)] = -np.inf
        held = {hit.chunk.chunk_id for hit in exclude}
        rows: list[int] = []
        for sentence in np.argsort(-scores)[:n]:
            row = int(self.sentence_chunk[sentence])
            if np.isfinite(scores[sentence]) and self.index.chunks[row].chunk_id not in held:
                held.add(self.index.chunks[row].chunk_id)
                rows.append(row)
        return [self._hit(row, vector, {}, len(exclude) + rank, 0.0) for rank, row in enumerate(rows, start=1)]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Hit]:
        return self.search_vector(self.embed_query(query), self.lexical_query(query), k, filters)
