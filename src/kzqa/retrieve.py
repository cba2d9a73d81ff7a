"""Question -> the passages most likely to answer it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kzqa.chunk import Chunk
from kzqa.embed import Embedder
from kzqa.index import LoadedIndex
from kzqa.ingest import Document


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    document: Document
    score: float  # cosine similarity of question and passage, in [-1, 1]
    rank: int  # 1 = best


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed_query(self, query: str) -> np.ndarray:
        """(dim,) float32 unit vector."""
        return self.embedder.queries([query])[0]

    def search_vector(self, vector: np.ndarray, k: int) -> list[Hit]:
        k = min(k, len(self.index.chunks))
        if k <= 0:
            return []
        # Exact inner-product search; rows and query are unit vectors, so scores are cosines.
        scores, rows = self.index.chunk_index.search(vector.reshape(1, -1).astype(np.float32), k)
        hits = []
        for rank, (row, score) in enumerate(zip(rows[0], scores[0], strict=True), start=1):
            if row < 0:
                continue
            chunk = self.index.chunks[row]
            hits.append(Hit(chunk, self.index.documents[chunk.doc_id], float(score), rank))
        return hits

    def search(self, query: str, k: int) -> list[Hit]:
        return self.search_vector(self.embed_query(query), k)

    def sentence_scores(self, vector: np.ndarray, doc_id: str, spans: tuple[tuple[int, int], ...]) -> np.ndarray:
        """Cosine of the question with each sentence span of a document, shape (len(spans),)."""
        rows = [self.index.sentence_rows[(doc_id, start, end)] for start, end in spans]
        return self.index.sentence_vectors[rows] @ vector
