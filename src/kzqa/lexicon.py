"""The corpus's own words: BM25 over them (``Lexical``), and, embedded one by one, a bridge from a
question's Russian or Kazakh words to the English words BM25 can match (``Lexicon``).

multilingual-e5 puts a word near its translation ("обвиняют" -> "accused", "Масимова" ->
"masimov"), but the cosines of single words are compressed: unrelated pairs also score 0.85-0.90,
and a few English words ("quo", "according") are close to almost everything. So a foreign word's
best English match is judged by how far it stands out from that word's cosines with the whole
vocabulary (a z-score), not by its cosine:

    cos(x, y)  for every vocabulary word y            (n_vocab,)
    z(x)     = (max_y cos(x, y) - mean_y cos(x, y)) / std_y cos(x, y)
    chance   = sqrt(2 ln n_vocab)       the z the best of n_vocab unrelated words reaches by chance
    weight   = clip((z - chance - Z_MARGIN) / Z_SPAN, 0, 1)

The weight scales the translated word's BM25 score: a clear translation counts like an English
word of the question, a doubtful one only partly, a hopeless one not at all. Z_MARGIN and Z_SPAN
were read off the Russian and Kazakh questions of eval/own.jsonl (1340 corpus words, chance 3.8):
below z 4 the best match was almost never a translation, above 6 it always was, in between about
half the time. The chance level grows slowly with the vocabulary (4.8 at 10^5 words), so a larger
corpus needs a clearer match; a vocabulary of a few dozen words cannot give full weight at all
(z never exceeds sqrt(n_vocab - 1)).

Only words in another script than Latin are translated (Cyrillic, mostly): an accented Latin word
("Erdoğan", "café") is left to BM25 as written.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer
from breame.spelling import get_american_spelling

from kzqa.embed import Embedder

LEXICON_VERSION = 2  # of the word rules below (recorded in the index manifest)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # a run of letters, with inner apostrophes; hyphens split
SHORTEST = 3  # letters; shorter words are mostly prepositions, and their matches noise ("в" -> "d")
Z_MARGIN = 0.2  # above the chance level: no weight yet
Z_SPAN = 2.0  # from no weight to full weight
MOST_WORDS = 32  # foreign words translated per question: a question has far fewer, a flood of words
# (up to KZQA_MAX_QUESTION_CHARS of them) must not cost one embedding each
CACHED_WORDS = 4096  # word vectors kept: names and common words recur from question to question
STOP_WORDS = frozenset(bm25s.stopwords.STOPWORDS_EN)  # dropped here and by BM25 (Lexical)
STOP_WORDS_LIST = sorted(STOP_WORDS)  # as bm25s.tokenize takes them
# The longer list of words that say nothing of a topic ("after", "which"), for telling whether two texts
# speak of the same thing; but for "won", which it holds as the piece of "won't" (as "don", "couldn"), and
# which is a verb of this corpus's topic ("Who won?")
FUNCTION_WORDS = frozenset(bm25s.stopwords.STOPWORDS_EN_PLUS) - {"won"}


def _spelled(text: str) -> str:
    """The text as BM25 reads it: "%" as the word "percent" ("81.3%" and "70 percent" both say it; bm25s's
    tokens are runs of two or more word characters, which leave the sign out), and each British spelling
    as the American one (breame's dictionary: Warsaw Point writes "recognise", Nikkei Asia "neighbors",
    and a reader either), lower-cased as BM25 reads every word."""
    return WORD.sub(lambda m: get_american_spelling(m.group()), text.replace("%", " percent "))


def words_of(text: str) -> list[str]:
    """The words of a text, lower-cased, at least SHORTEST letters long."""
    return [w.lower() for w in WORD.findall(text) if len(w) >= SHORTEST]


def is_foreign(word: str) -> bool:
    """Whether a word is written in another script than the corpus's Latin (Cyrillic, mostly)."""
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in word)


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
        chance = math.sqrt(2 * math.log(max(len(self.vocabulary), 2)))
        weights = np.clip((z - chance - Z_MARGIN) / Z_SPAN, 0.0, 1.0)
        return [Translation(word, self.vocabulary[b], float(w))
                for word, b, w in zip(foreign, best, weights, strict=True)]


@dataclass(frozen=True)
class LexicalQuery:
    """What BM25 looks for in one question."""

    terms: dict[str, float]  # stemmed word -> weight: 1 for the question's own words, the translation
    # weight (Lexicon.translate) for the English word standing in for a Russian or Kazakh one
    visible: float  # share of the question's words BM25 can match, in [0, 1] (translations by weight)

    @property
    def searched(self) -> frozenset[str]:
        """The stems it searches for: its own words and the translations that count."""
        return frozenset(term for term, weight in self.terms.items() if weight > 0)


class Lexical:
    """BM25 over a list of texts; ``scores`` gives one float per text (0 where no word is shared)."""

    def __init__(self, texts: list[str]) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        tokens = bm25s.tokenize([_spelled(t) for t in texts], stopwords=STOP_WORDS_LIST, stemmer=self._stemmer,
                                show_progress=False)
        self._bm25.index(tokens, show_progress=False)
        self._vocab = set(tokens.vocab)

    def stem(self, word: str) -> str:
        """A lower-case word as BM25 indexes it."""
        return self._stemmer.stemWord(word)

    def words(self, query: str) -> list[str]:
        """The query's stemmed words, stop words dropped."""
        return bm25s.tokenize([_spelled(query)], stopwords=STOP_WORDS_LIST, stemmer=self._stemmer, show_progress=False,
                              return_ids=False)[0]

    def shares_a_word(self, text: str) -> bool:
        """Whether a word of the text that speaks of a topic (not one of FUNCTION_WORDS: "what", "who") is one
        of the texts' words, or may be: one in another script ("Who is Масимов?") reaches them only through the
        embedding. Words of any length count here ("Xi" of "Where did Xi go?"), as BM25 indexes them."""
        topical = [word for word in map(str.lower, WORD.findall(text)) if word not in FUNCTION_WORDS]
        return any(map(is_foreign, topical)) or bool(topical and set(self.words(" ".join(topical))) & self._vocab)

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
