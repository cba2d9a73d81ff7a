"""Question -> the passages most likely to answer it: dense and lexical rankings, fused.

- dense: ``dense(c) = PASSAGE_WEIGHT * cos(q, c) + (1 - PASSAGE_WEIGHT) * max over c's sentences
  s of dense(s)`` (``dense(s)`` as in ``sentence_scores``), over the POOL passages nearest q by FAISS
  inner product (exact, or approximate by HNSW for a very large index, see ``index.vector_index``)
  and the passages holding the POOL nearest sentences. A passage's vector averages all its
  sentences, so one that answers in a single sentence among unrelated ones ranks low by cos(q, c)
  alone; its best sentence lifts it;
- lexical: BM25 (``lexicon.Lexical``: bm25s, Porter-stemmed English, stop words dropped, "%" read as
  "percent", British spellings as American) over the chunk texts;
- fusion: weighted reciprocal rank fusion, ``rrf(c) = sum over rankings of w / (RRF_K + rank(c))``,
  which needs no score calibration between the two rankings; w = 1 for dense, and for lexical the
  share of the question's words that occur in the corpus. A Russian or Kazakh question shares no
  words with the English passages: its words count through their nearest corpus words, each by
  how clearly it matches (``lexicon.py``), and where none matches, fusion falls back to dense order.
- scope: a query naming an outlet ("According to Caliber.Az, ...") or a document by its title ("the
  Eastern Express programme") searches that source's passages, for the rest of its words, the name's framing
  gone too (``sources.py``); the chat and ``/api/search`` both do.
- near-duplicates: a passage that mostly repeats a better one (same document, more than half of
  its characters shared; or a vector cosine above DUPLICATE_COS) is dropped.
- sentences: ``sentence_scores`` scores every sentence of the corpus, ``passages_of`` finds the
  passages holding the best ones; answer.py reads these passages too (``/api/search`` returns the
  fused ranking alone).

Both BM25 tables are built at load time: for a corpus of this size (hundreds of chunks) that takes
milliseconds; for a much larger one they would be saved with the index instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kzqa.chunk import Chunk
from kzqa.embed import Embedder
from kzqa.filters import Filters
from kzqa.index import LoadedIndex, search_parameters
from kzqa.ingest import Document
from kzqa.lexicon import Lexical, LexicalQuery, Lexicon, is_foreign
from kzqa.names import Name, NameIndex
from kzqa.phrases import leans_back
from kzqa.referents import referent
from kzqa.respell import Respeller
from kzqa.sources import Sources

RRF_K = 60  # the constant of Cormack et al. (2009): damps the weight of the very top ranks
POOL = 30  # candidates taken from each ranking before fusion
DUPLICATE_COS = 0.97
# Share of a passage's dense score that is its own cosine (the rest: its best sentence's). Measured
# on the own and held-out question sets: 0.7 lifts search MRR on three of four (own 0.836 -> 0.852,
# holdout 0.794 -> 0.833, holdout3 0.825 -> 0.877) and own hit@5 0.936 -> 0.957; dev is unchanged
# from 1.0 (cosine alone) down to 0.5.
PASSAGE_WEIGHT = 0.7


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


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder
        self.chunk_lexical = Lexical([c.text for c in index.chunks])
        self.lexicon = Lexicon(index.vocabulary, index.vocabulary_vectors, embedder)
        self.names = NameIndex(index.documents.values())
        self.respeller = Respeller(self.names)
        sentence_keys = sorted(index.sentence_rows, key=index.sentence_rows.__getitem__)
        # Row of the sentence before each sentence in its document (itself for a document's first):
        # rows are sorted by (doc_id, start), so the previous row is the previous sentence.
        self.previous_sentence = np.array([i - 1 if i and sentence_keys[i - 1][0] == key[0] else i
                                           for i, key in enumerate(sentence_keys)], dtype=np.int64)
        texts = [index.documents[d].text[s:e] for d, s, e in sentence_keys]
        self.sentence_texts = tuple(texts)  # by sentence row
        # Chunk row of each sentence row: the first passage that holds it (overlapping passages share one).
        first_chunk: dict[tuple[str, int, int], int] = {}
        for row, chunk in enumerate(index.chunks):
            for start, end in chunk.sentences:
                first_chunk.setdefault((chunk.doc_id, start, end), row)
        self.sentence_chunk = np.array([first_chunk[key] for key in sentence_keys], dtype=np.int64)
        # Sentence rows of each chunk row (an overlapping sentence belongs to both passages).
        self.chunk_sentences = [np.array([index.sentence_rows[(c.doc_id, s, e)] for s, e in c.sentences],
                                         dtype=np.int64) for c in index.chunks]
        self.sources = Sources(index.documents.values())  # the outlets and titles a question may name
        # A sentence that opens with "He", "It", "This"... is judged with the sentence before it,
        # which names what it speaks of: by its window vector, and by BM25 over the window's words.
        self.leans_back = np.array([leans_back(t) and p != i
                                    for i, (p, t) in enumerate(zip(self.previous_sentence, texts, strict=True))])
        self.sentence_lexical = Lexical([f"{texts[p]} {t}" if lean else t
                                         for p, t, lean in zip(self.previous_sentence, texts, self.leans_back,
                                                               strict=True)])

    def check(self, filters: Filters | None) -> Filters | None:
        """The filters with each outlet spelled as the corpus does ("nikkei asia" -> "Nikkei Asia"); FilterError
        when they name an outlet the corpus does not hold."""
        if filters is None:
            return None
        filters.check(self.sources.outlets)
        return filters.spelled_as(self.sources.outlets)

    def scope(self, query: str, filters: Filters | None = None) -> tuple[str, Filters | None]:
        """(what to search, among which passages) for a query that may name an outlet or a document
        (``sources.Sources.scope``)."""
        return self.sources.scope(query, filters)

    def lexical_query(self, query: str) -> LexicalQuery:
        """The question's words for BM25, a Russian or Kazakh word by its English translation."""
        return self.chunk_lexical.query(query, self.lexicon.translate(query))

    def referent(self, sentence: str, asked: str) -> str | None:
        """Whom a quoted sentence names that the questions it answered do not (``conversation.questions``),
        their words read as searched: a Russian question's "Масимова" is "masimov"; someone, not a place (a title
        when no one else is named: ``referents.referent``)."""
        stems = self.lexical_query(asked).searched
        return referent(self.names, sentence, asked, lambda word: self.chunk_lexical.stem(word.lower()) in stems,
                        someone=True)

    def person(self, name: str) -> str | None:
        """The word a "he" that stands for the name is searched as: the word of the name that names someone and
        that the documents write alone most often, else the last ("Gaziz Abishev" -> "Abishev", "Xi Jinping"
        -> "Xi"); in Cyrillic, the name of the documents it stands for ("Абишев" -> "Abishev"), not a title or a
        pronoun ("Президент", "Бұл")."""
        words = self.names.proper_words(name)
        if not words or not is_foreign(words[-1]):
            return self.names.called(words) if words else None
        for translation in self.lexicon.translate(words[-1]):
            written = translation.english.capitalize()
            if translation.weight > 0 and self.names.share(Name((written,))) and self.names.proper_words(written):
                return written  # a name the documents use, and never in lower case
        return None

    def embed_query(self, query: str) -> np.ndarray:
        """(dim,) float32 unit vector."""
        return self.embedder.queries([query])[0]

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters == Filters():
            return None
        return np.array([i for i, c in enumerate(self.index.chunks)
                         if filters.admits(self.index.documents[c.doc_id])], dtype=np.int64)

    def _dense(self, vector: np.ndarray, allowed: np.ndarray | None,
               sentence_dense: np.ndarray | None = None) -> dict[int, float]:
        """Row -> dense(c) (module docstring) for the POOL passages nearest by cosine and those holding
        the POOL nearest sentences (among ``allowed`` rows when given). ``sentence_dense``: the
        (n_sentences,) dense(s) for ``vector``, when the caller has them already."""
        params = search_parameters(self.index.chunk_index, self.index.ef_search, allowed)
        scores, rows = self.index.chunk_index.search(vector.reshape(1, -1).astype(np.float32), POOL, params=params)
        cosines = {int(r): float(s) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0}
        if sentence_dense is None:
            sentence_dense = self._sentence_dense(self.index.sentence_vectors @ vector,
                                                  self.index.window_vectors @ vector)  # (n_sentences,)
        holders = self.sentence_chunk[np.argsort(-sentence_dense)]  # chunk rows, by their sentence's dense(s)
        if allowed is not None:
            holders = holders[np.isin(holders, allowed)]
        for row in dict.fromkeys(int(r) for r in holders[:POOL]).keys() - cosines.keys():
            cosines[row] = float(self.index.chunk_index.reconstruct(row) @ vector)
        best_sentence = {row: float(sentence_dense[self.chunk_sentences[row]].max()) for row in cosines}
        return {row: PASSAGE_WEIGHT * cosine + (1 - PASSAGE_WEIGHT) * best_sentence[row]
                for row, cosine in cosines.items()}

    def _lexical(self, query: LexicalQuery, allowed: np.ndarray | None) -> list[int]:
        scores = self.chunk_lexical.scores(query)
        if allowed is not None:
            mask = np.zeros_like(scores, dtype=bool)
            mask[allowed] = True
            scores = np.where(mask, scores, 0)
        order = np.argsort(-scores)[:POOL]
        return [int(r) for r in order if scores[r] > 0]

    def search_vector(self, vector: np.ndarray, query: LexicalQuery, k: int, filters: Filters | None = None,
                      sentences: SentenceScores | None = None) -> list[Hit]:
        """The k best passages; ``sentences``: ``sentence_scores`` for this vector, if already computed."""
        allowed = self._allowed(filters)
        if allowed is not None and len(allowed) == 0:
            return []
        dense = self._dense(vector, allowed, sentences.dense if sentences else None)
        fused: dict[int, float] = {}
        # The lexical ranking is weighted by the share of the question's words BM25 can see at all.
        rankings = ((sorted(dense, key=lambda row: -dense[row]), 1.0), (self._lexical(query, allowed), query.visible))
        for ranking, weight in rankings:
            for rank, row in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank)
        kept: list[int] = []
        for row in sorted(fused, key=lambda r: -fused[r]):
            if not any(self._duplicate(row, other) for other in kept):
                kept.append(row)
            if len(kept) == k:
                break
        return [self._hit(row, vector, rank, fused[row]) for rank, row in enumerate(kept, start=1)]

    def first_passage_of(self, sentence_row: int, vector: np.ndarray, rank: int) -> Hit:
        """The first passage holding a sentence: with overlapping passages, the one that also holds the
        sentences before it."""
        return self._hit(int(self.sentence_chunk[sentence_row]), vector, rank, 0.0)

    def _hit(self, row: int, vector: np.ndarray, rank: int, fused: float) -> Hit:
        chunk = self.index.chunks[row]
        cosine = float(self.index.chunk_index.reconstruct(row) @ vector)
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
        dense = self._sentence_dense(cosines, windows)
        return SentenceScores(cosines, windows, dense, self.sentence_lexical.scores(query))

    def _sentence_dense(self, cosines: np.ndarray, windows: np.ndarray) -> np.ndarray:
        """(n_sentences,): the cosine, and for a sentence that leans back the mean with its window's."""
        return np.where(self.leans_back, (cosines + windows) / 2, cosines)

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
        return [self._hit(row, vector, len(exclude) + rank, 0.0) for rank, row in enumerate(rows, start=1)]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Hit]:
        return self.search_vector(self.embed_query(query), self.lexical_query(query), k, filters)
