"""The corpus's own words, embedded one by one: a bridge from a question's Russian or Kazakh words
to the English words BM25 can match.

multilingual-e5 puts a word near its translation ("обвиняют" -> "accused", "Масимова" ->
"masimov"), but the cosines of single words are compressed: unrelated pairs also score 0.85-0.90,
and a few English words ("quo", "according") are close to almost everything. So a foreign word's
best English match is judged by how far it stands out from that word's cosines with the whole
vocabulary (a z-score), not by its cosine:

    cos(x, y)  for every vocabulary word y            (n_vocab,)
    z(x)     = (max_y cos(x, y) - mean_y cos(x, y)) / std_y cos(x, y)
    weight   = clip((z - Z_NONE) / (Z_FULL - Z_NONE), 0, 1)

The weight scales the translated word's BM25 score: a clear translation counts like an English
word of the question, a doubtful one only partly, a hopeless one not at all. Z_NONE and Z_FULL were
read off the Russian and Kazakh questions of eval/own.jsonl: below z 4 the best match was almost
never a translation, above 6 it always was, in between about half the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from kzqa.embed import Embedder

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # a run of letters, with inner apostrophes or hyphens
SHORTEST = 3  # letters; shorter words are mostly prepositions, and their matches noise ("в" -> "d")
Z_NONE = 4.0
Z_FULL = 6.0
MOST_WORDS = 32  # foreign words translated per question: a question has far fewer, a flood of words
# (up to KZQA_MAX_QUESTION_CHARS of them) must not cost one embedding each
CACHED_WORDS = 4096  # word vectors kept: names and common words recur from question to question
STOP_WORDS = frozenset(bm25s.stopwords.STOPWORDS_EN)  # the stop words BM25 drops (retrieve.Lexical)


def words_of(text: str) -> list[str]:
    """The words of a text, lower-cased, at least SHORTEST letters long."""
    return [w.lower() for w in WORD.findall(text) if len(w) >= SHORTEST]


def is_foreign(word: str) -> bool:
    """Whether a word is written in another script than the corpus's English (Cyrillic, mostly)."""
    return any(ch.isalpha() and not ch.isascii() for ch in word)


def corpus_vocabulary(texts: list[str]) -> list[str]:
    """Distinct words of the texts, sorted; stop words left out (BM25 ignores them anyway)."""
    return sorted({w for text in texts for w in words_of(text)} - STOP_WORDS)


@dataclass(frozen=True)
class Translation:
    word: str  # as the question wrote it, lower-cased
    english: str  # the nearest vocabulary word
    weight: float  # in [0, 1], see the module's docstring


class Lexicon:
    def __init__(self, vocabulary: list[str], vectors: np.ndarray, embedder: Embedder) -> None:
        self.vocabulary = vocabulary
        self.vectors = vectors  # (n_vocab, dim) float32 unit rows, each word embedded as a query
        self.embedder = embedder
        self._known = set(vocabulary)
        self._word_vector = lru_cache(maxsize=CACHED_WORDS)(self._embed_word)

    def _embed_word(self, word: str) -> np.ndarray:
        return self.embedder.queries([word])[0]  # (dim,) float32 unit vector

    def translate(self, text: str) -> list[Translation]:
        """Each foreign word of ``text`` with its nearest English word of the corpus."""
        foreign = list(dict.fromkeys(w for w in words_of(text) if is_foreign(w) and w not in self._known))[:MOST_WORDS]
        if not foreign or not self.vocabulary:
            return []
        cosines = np.stack([self._word_vector(w) for w in foreign]) @ self.vectors.T  # (n_foreign, n_vocab)
        best = cosines.argmax(axis=1)
        z = (cosines.max(axis=1) - cosines.mean(axis=1)) / np.maximum(cosines.std(axis=1), 1e-9)
        weights = np.clip((z - Z_NONE) / (Z_FULL - Z_NONE), 0.0, 1.0)
        return [Translation(word, self.vocabulary[b], float(w))
                for word, b, w in zip(foreign, best, weights, strict=True)]
