"""Texts already embedded -> their vectors, kept between builds, so that adding a document embeds only
what is new.

A build embeds four lists of texts (``index.build_index``): the chunks, the sentences and their windows
as passages, and the corpus's words as queries. Adding a document to a corpus leaves most of them as
they were, and the same model gives the same text the same vector. So each vector a build makes is
kept in SQLite (``<index_dir>/vectors.sqlite``), keyed by

    (model name, kind: "passage" | "query", sha256 of the text in UTF-8)

and the next build embeds only the texts it does not find there. A vector is stored as its ``dim``
float32 values, little-endian (1536 bytes at 384-d). A model of another name or dimension never reads
another's vectors. The cache only saves time: deleting it, or ``kzqa index --force`` (which embeds every
text again and stores the new vectors), changes no build.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np
from tqdm import tqdm

from kzqa.embed import Embedder

SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (model, kind, sha256)
) WITHOUT ROWID
"""
LOOKUP_BATCH = 500  # keys per SELECT: under SQLite's limit of bound parameters
FLOAT32 = np.dtype("<f4")
BATCH = 16  # texts per call of the model
TIMEOUT = 30.0  # seconds to wait for another build's write
log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """The kept vectors of one model. A cache that cannot be read or written (damaged, read-only, locked by
    another build past TIMEOUT) is warned about once and then left alone: the build embeds every text."""

    def __init__(self, path: Path, model: str, dim: int) -> None:
        self.path = path
        self.model = f"{model}/{dim}"  # a model's vectors are read back at its own dimension only
        self.dim = dim
        self.usable = True
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction, and the connection closed after it (sqlite3's own ``with`` only commits)."""
        with closing(sqlite3.connect(self.path, timeout=TIMEOUT)) as db, db:
            yield db

    def _give_up(self, exc: Exception) -> None:
        if self.usable:
            log.warning("the vector cache %s is not used (%s): every text is embedded", self.path, exc)
        self.usable = False

    def found(self, kind: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Position in ``texts`` -> its kept (dim,) float32 vector, for the texts the cache holds."""
        if not self.usable:
            return {}
        positions: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            positions.setdefault(_key(text), []).append(i)
        keys = list(positions)
        out: dict[int, np.ndarray] = {}
        try:
            with self._connect() as db:
                for start in range(0, len(keys), LOOKUP_BATCH):
                    batch = keys[start:start + LOOKUP_BATCH]
                    rows = db.execute(f"SELECT sha256, vector FROM vectors WHERE model = ? AND kind = ? AND sha256 "
                                      f"IN ({', '.join('?' * len(batch))})", (self.model, kind, *batch)).fetchall()
                    for sha, blob in rows:
                        if len(blob) == self.dim * FLOAT32.itemsize:  # anything else was not written by this class
                            vector = np.frombuffer(blob, FLOAT32).astype(np.float32)
                            out.update((i, vector) for i in positions[sha])
        except sqlite3.Error as exc:
            self._give_up(exc)
            return {}
        return out

    def keep(self, kind: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store the (len(texts), dim) float32 vectors of the texts (replacing any kept before)."""
        if not self.usable:
            return
        rows = [(self.model, kind, _key(text), np.asarray(v, FLOAT32).tobytes())
                for text, v in zip(texts, vectors, strict=True)]
        try:
            with self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(exc)


def embed_texts(embedder: Embedder, texts: list[str], label: str, progress: bool, as_queries: bool = False,
                cache: VectorCache | None = None, reuse: bool = True) -> tuple[np.ndarray, int]:
    """(len(texts), dim) float32 unit rows, and how many distinct texts were embedded now: those the cache
    holds are read from it (when ``reuse``), the others embedded in batches of BATCH and kept in it."""
    kind = "query" if as_queries else "passage"
    embed = embedder.queries if as_queries else embedder.passages
    vectors = np.zeros((len(texts), embedder.dim), np.float32)
    kept = cache.found(kind, texts) if cache and reuse else {}
    for i, vector in kept.items():
        vectors[i] = vector
    missing: dict[str, list[int]] = {}  # each text not found -> its positions: embedded once
    for i, text in enumerate(texts):
        if i not in kept:
            missing.setdefault(text, []).append(i)
    distinct = list(missing)
    with tqdm(total=len(texts), initial=len(kept), desc=label, unit="text", disable=not progress) as bar:
        for start in range(0, len(distinct), BATCH):
            batch = distinct[start:start + BATCH]
            batch_vectors = embed(batch)  # (len(batch), dim)
            for text, vector in zip(batch, batch_vectors, strict=True):
                vectors[missing[text]] = vector
            if cache:
                cache.keep(kind, batch, batch_vectors)
            bar.update(sum(len(missing[text]) for text in batch))
    return vectors, len(distinct)
