"""Chunks -> vectors -> an index on disk, and back.

Layout of ``index_dir``::

    CURRENT             name of the live build folder (replaced atomically)
    <build>/manifest.json   what the build was made from (see ``expected_manifest``)
    <build>/chunks.faiss    FAISS index over chunk vectors, (n_chunks, dim) float32, unit rows:
                            inner product == cosine similarity; exact (IndexFlatIP) below
                            ``AnnConfig.threshold`` chunks, approximate (IndexHNSWFlat) from it on
                            (see ``vector_index``)
    <build>/sentences.npy   (n_sentences, dim) float32 unit rows, one per distinct sentence
    <build>/windows.npy     (n_sentences, dim) float32 unit rows: each sentence embedded together
                            with the sentence before it, so "He is accused of treason." carries
                            the name the previous sentence gave it
    <build>/chunks.json     chunk and sentence offsets into the documents
    <build>/vocabulary.json the corpus's distinct words (lexicon.corpus_vocabulary)
    <build>/vocabulary.npy  (n_words, dim) float32 unit rows: each word embedded as a query, to
                            translate a question's Russian or Kazakh words (see lexicon.py)
    vectors.sqlite      every text's vector from earlier builds, so that a build embeds only new
                        texts (see vector_cache.py)

A build is written to a fresh folder and becomes live only when ``CURRENT`` is replaced by
``os.replace`` (atomic on POSIX), so a crash mid-build leaves the previous index in service.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np
import pysbd

from kzqa.chunk import CHUNKER_VERSION, Chunk, chunk_corpus
from kzqa.embed import Embedder
from kzqa.ingest import Document, corpus_hash, read_corpus
from kzqa.lexicon import LEXICON_VERSION, corpus_vocabulary
from kzqa.settings import Settings
from kzqa.vector_cache import VectorCache, embed_texts

FORMAT_VERSION = 3  # 3: vocabulary vectors
COMPARED = ("format_version", "model", "dim", "chunk_chars", "chunk_overlap", "splitter", "lexicon", "corpus_hash")
CACHE_FILE = "vectors.sqlite"  # the vectors of earlier builds (vector_cache.py), beside the build folders
FLAT = {"kind": "flat"}  # what builds of format 2 made before the kind was recorded
_DEFAULTS = Settings.model_fields


@dataclass(frozen=True)
class AnnConfig:
    """When kzqa builds an approximate index, and how (``KZQA_ANN_THRESHOLD``, ``KZQA_HNSW_*``)."""

    threshold: int = _DEFAULTS["ann_threshold"].default  # from this many chunks on: HNSW
    m: int = _DEFAULTS["hnsw_m"].default  # links per node (2m on the bottom layer)
    ef_construction: int = _DEFAULTS["hnsw_ef_construction"].default  # candidate list while inserting
    ef_search: int = _DEFAULTS["hnsw_ef_search"].default  # candidate list per query: search time only

    @classmethod
    def from_settings(cls, settings: Settings) -> AnnConfig:
        return cls(settings.ann_threshold, settings.hnsw_m, settings.hnsw_ef_construction, settings.hnsw_ef_search)


def index_spec(n_vectors: int, ann: AnnConfig) -> dict:
    """The kind of index (and the parameters baked into it) kzqa builds for ``n_vectors`` vectors.

    Only what a built index cannot change is named: efSearch is set per search, so an index built
    under another efSearch (or another threshold that makes the same choice) is still a match.
    """
    if n_vectors < ann.threshold:
        return dict(FLAT)
    return {"kind": "hnsw", "m": ann.m, "ef_construction": ann.ef_construction}


def vector_index(vectors: np.ndarray, ann: AnnConfig) -> faiss.Index:
    """A FAISS index over ``vectors`` ((n, dim) float32, unit rows), chosen by ``index_spec``.

    Rows are unit length, so the inner product q.v = cos(q, v), and ||q - v||^2 = 2 - 2 q.v: the
    largest inner products are the nearest neighbours, and graph search by inner product is sound.
    Below the threshold, IndexFlatIP compares the query with all n rows: exact, O(n * dim) per
    query (~150 MB of floats read at n = 10^5). From it on, IndexHNSWFlat keeps the same vectors
    plus a graph of 2m links per node (4 bytes each) on the bottom layer, and answers by a greedy
    walk down log(n) layers whose breadth on the bottom one is efSearch: approximate, about
    efSearch * 2m inner products of ``dim`` floats per query, nearly independent of n.
    """
    spec = index_spec(len(vectors), ann)
    dim = vectors.shape[1]
    if spec["kind"] == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, spec["m"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec["ef_construction"]
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def search_parameters(index: faiss.Index, ef_search: int,
                      allowed: np.ndarray | None = None) -> faiss.SearchParameters | None:
    """Parameters for ``index.search``: only the ``allowed`` rows (when given), and for HNSW the
    breadth ``ef_search`` (FAISS widens it to k when k is larger)."""
    selector = None if allowed is None else faiss.IDSelectorBatch(allowed)
    if isinstance(index, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=ef_search)
    return None if selector is None else faiss.SearchParameters(sel=selector)


class IndexUnusable(RuntimeError):
    """No usable index; the message names the fix (usually: run `kzqa index`)."""


@dataclass(frozen=True)
class LoadedIndex:
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    chunk_index: faiss.Index
    sentence_rows: dict[tuple[str, int, int], int]  # (doc_id, start, end) -> row of sentence_vectors
    sentence_vectors: np.ndarray  # (n_sentences, dim) float32, unit rows
    window_vectors: np.ndarray  # (n_sentences, dim) float32, unit rows: previous sentence + sentence
    vocabulary: list[str]  # the corpus's distinct words
    vocabulary_vectors: np.ndarray  # (n_words, dim) float32, unit rows, embedded as queries
    ef_search: int = AnnConfig.ef_search  # HNSW breadth per query (ignored by an exact index)


def expected_manifest(corpus_dir: Path, embedder: Embedder, chunk_chars: int, chunk_overlap: int,
                      ann: AnnConfig | None = None) -> dict:
    """What a build now would be made from. ``ann`` holds the approximate-index settings in force
    (recorded as they were at build time; ``differences`` compares the index kind they imply)."""
    ann = ann or AnnConfig()
    return {
        "format_version": FORMAT_VERSION,
        "model": embedder.name,
        "dim": embedder.dim,
        "chunk_chars": chunk_chars,
        "chunk_overlap": chunk_overlap,
        "splitter": f"pysbd-{pysbd.__version__}/kzqa-{CHUNKER_VERSION}",
        "lexicon": f"bm25s-{bm25s.__version__}/kzqa-{LEXICON_VERSION}",
        "corpus_hash": corpus_hash(corpus_dir),
        "ann": {"threshold": ann.threshold, "m": ann.m, "ef_construction": ann.ef_construction},
    }


def live_build(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    build = index_dir / pointer.read_text().strip()
    return build if (build / "manifest.json").is_file() else None


def read_manifest(index_dir: Path) -> dict | None:
    build = live_build(index_dir)
    return json.loads((build / "manifest.json").read_text()) if build else None


def differences(found: dict | None, expected: dict) -> list[str]:
    if found is None:
        return ["there is no index yet"]
    problems = [f"{key}: index has {found.get(key)!r}, now {expected[key]!r}" for key in COMPARED
                if found.get(key) != expected[key]]
    if not problems:  # same corpus and chunking, so the build's n_chunks is what a build now would have
        ann = expected["ann"]
        wanted = index_spec(found.get("n_chunks", 0), AnnConfig(ann["threshold"], ann["m"], ann["ef_construction"]))
        if found.get("index", FLAT) != wanted:
            problems.append(f"index: index has {found.get('index', FLAT)!r}, now {wanted!r}")
    return problems


def texts_of(manifest: dict) -> int:
    """How many texts a build has vectors for: its chunks, sentences, their windows and words."""
    return manifest["n_chunks"] + 2 * manifest["n_sentences"] + manifest["n_words"]


def build_index(corpus_dir: Path, index_dir: Path, embedder: Embedder, chunk_chars: int, chunk_overlap: int,
                progress: bool = True, ann: AnnConfig | None = None, reuse_vectors: bool = True) -> dict:
    """Embed the corpus into a new build folder, then make it the live one. Returns its manifest. Texts an
    earlier build embedded with this model are read from its cache (vector_cache.py) unless ``reuse_vectors``
    is false; ``embedded`` in the manifest counts the texts embedded now, ``distinct`` the different texts
    (a document's first sentence is its own window too)."""
    ann = ann or AnnConfig()
    cache = VectorCache(index_dir / CACHE_FILE, embedder.name, embedder.dim)
    embedded = 0
    distinct: set[tuple[bool, str]] = set()  # (embedded as a query, text)

    def embed(texts: list[str], label: str, as_queries: bool = False) -> np.ndarray:
        nonlocal embedded
        vectors, n_new = embed_texts(embedder, texts, label, progress, as_queries, cache, reuse_vectors)
        embedded += n_new
        distinct.update((as_queries, text) for text in texts)
        return vectors

    manifest = expected_manifest(corpus_dir, embedder, chunk_chars, chunk_overlap, ann)
    documents = {doc.doc_id: doc for doc in read_corpus(corpus_dir)}
    chunks = chunk_corpus(documents.values(), chunk_chars, chunk_overlap)
    sentences = sorted({(c.doc_id, s, e) for c in chunks for s, e in c.sentences})
    t0 = time.perf_counter()
    chunk_vectors = embed([c.text for c in chunks], "chunks")
    sentence_texts = [documents[d].text[s:e] for d, s, e in sentences]
    sentence_vectors = embed(sentence_texts, "sentences")
    window_texts = [f"{sentence_texts[i - 1]} {text}" if i and sentences[i - 1][0] == sentences[i][0] else text
                    for i, text in enumerate(sentence_texts)]
    window_vectors = embed(window_texts, "windows")
    # Words are embedded as queries: they are matched against the words of questions.
    vocabulary = corpus_vocabulary([c.text for c in chunks])
    vocabulary_vectors = embed(vocabulary, "words", as_queries=True)
    t1 = time.perf_counter()
    chunk_index = vector_index(chunk_vectors, ann)
    manifest |= {"n_documents": len(documents), "n_chunks": len(chunks), "n_sentences": len(sentences),
                 "n_words": len(vocabulary), "index": index_spec(len(chunks), ann), "embedded": embedded,
                 "distinct": len(distinct),
                 "embed_seconds": round(t1 - t0, 2),
                 "index_seconds": round(time.perf_counter() - t1, 2),
                 "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}

    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"build-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    staging = index_dir / f".{name}.partial"
    staging.mkdir()
    faiss.write_index(chunk_index, str(staging / "chunks.faiss"))
    np.save(staging / "sentences.npy", sentence_vectors)
    np.save(staging / "windows.npy", window_vectors)
    np.save(staging / "vocabulary.npy", vocabulary_vectors)
    (staging / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
    table = {"chunks": [{"chunk_id": c.chunk_id, "doc_id": c.doc_id, "start": c.start, "end": c.end,
                         "sentences": [list(s) for s in c.sentences]} for c in chunks],
             "sentences": [list(s) for s in sentences]}
    (staging / "chunks.json").write_text(json.dumps(table))
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2))  # written last: marks a complete build
    staging.rename(index_dir / name)
    pointer = index_dir / f".CURRENT.{uuid.uuid4().hex[:6]}"
    pointer.write_text(name)
    os.replace(pointer, index_dir / "CURRENT")
    _remove_old_builds(index_dir, keep=name)
    return manifest


def _remove_old_builds(index_dir: Path, keep: str) -> None:
    for path in index_dir.glob("build-*"):
        if path.name != keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(".build-*.partial"):
        shutil.rmtree(path, ignore_errors=True)


def load_index(corpus_dir: Path, index_dir: Path, embedder: Embedder, chunk_chars: int,
               chunk_overlap: int, ann: AnnConfig | None = None) -> LoadedIndex:
    """Load the live build, refusing one that was not built from this corpus, model and chunking
    (or not of the index kind the ``ann`` settings ask for); searches will use ``ann.ef_search``."""
    ann = ann or AnnConfig()
    expected = expected_manifest(corpus_dir, embedder, chunk_chars, chunk_overlap, ann)
    found = read_manifest(index_dir)
    if found is None:
        raise IndexUnusable(f"there is no index in {index_dir}; run `kzqa index` to build it")
    problems = differences(found, expected)
    if problems:
        raise IndexUnusable(f"the index in {index_dir} does not match the corpus and settings "
                          f"({'; '.join(problems)}); run `kzqa index` to rebuild it")
    build = live_build(index_dir)
    assert build is not None
    try:
        table = json.loads((build / "chunks.json").read_text())
        chunk_index = faiss.read_index(str(build / "chunks.faiss"))
        sentence_vectors = np.load(build / "sentences.npy")
        window_vectors = np.load(build / "windows.npy")
        vocabulary = json.loads((build / "vocabulary.json").read_text(encoding="utf-8"))
        vocabulary_vectors = np.load(build / "vocabulary.npy")
    except (OSError, ValueError, RuntimeError) as exc:
        raise IndexUnusable(f"the index in {build} is damaged ({exc}); run `kzqa index` to rebuild it") from None
    documents = {doc.doc_id: doc for doc in read_corpus(corpus_dir)}
    chunks = [Chunk(c["chunk_id"], c["doc_id"], c["start"], c["end"],
                    documents[c["doc_id"]].text[c["start"]:c["end"]], tuple(tuple(s) for s in c["sentences"]))
              for c in table["chunks"]]
    dim = embedder.dim
    consistent = (chunk_index.ntotal == len(chunks) and chunk_index.d == dim
                  and isinstance(vocabulary, list) and all(isinstance(w, str) for w in vocabulary)
                  and len(vocabulary) == found.get("n_words")
                  and vocabulary_vectors.shape == (len(vocabulary), dim)
                  and sentence_vectors.shape == window_vectors.shape == (len(table["sentences"]), dim))
    if not consistent:
        raise IndexUnusable(f"the index in {build} is inconsistent; run `kzqa index` to rebuild it")
    rows = {(d, s, e): i for i, (d, s, e) in enumerate(table["sentences"])}
    return LoadedIndex(found, documents, chunks, chunk_index, rows, sentence_vectors, window_vectors, vocabulary,
                       vocabulary_vectors, ann.ef_search)


def open_index(settings: Settings, embedder: Embedder) -> LoadedIndex:
    """``load_index`` with everything it needs taken from ``settings`` (serving and reloading)."""
    return load_index(settings.corpus_dir, settings.index_dir, embedder, settings.chunk_chars,
                      settings.chunk_overlap, AnnConfig.from_settings(settings))
