"""Adding a document to the corpus embeds only its texts: the vectors of earlier builds are kept, and
the index they make is the one a full build makes."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np

from kzqa.index import CACHE_FILE, build_index, load_index, texts_of
from kzqa.vector_cache import VectorCache, embed_texts
from tests.conftest import CORPUS


def vectors(corpus, index_dir, embedder) -> dict[str, np.ndarray]:
    index = load_index(corpus, index_dir, embedder, 600, 1)
    return {"chunks": index.chunk_index.reconstruct_n(0, index.chunk_index.ntotal),
            "sentences": index.sentence_vectors, "windows": index.window_vectors,
            "words": index.vocabulary_vectors}


def test_adding_a_document_embeds_only_its_texts_and_builds_the_same_index(small_corpus, tmp_path, embedder):
    first = build_index(small_corpus, tmp_path / "idx", embedder, 600, 1, progress=False)
    # every text once; but a document's first sentence is its own window, the same text, found already
    assert first["embedded"] == first["distinct"] == texts_of(first) - first["n_documents"]

    added = sorted(CORPUS.glob("*.md"))[2]  # a third real document
    shutil.copy(added, small_corpus / added.name)
    second = build_index(small_corpus, tmp_path / "idx", embedder, 600, 1, progress=False)
    assert second["n_documents"] == 3
    new_chunks = second["n_chunks"] - first["n_chunks"]
    new_sentences = second["n_sentences"] - first["n_sentences"]
    new_words = second["n_words"] - first["n_words"]
    # its chunks, sentences and windows (but its first), and the words only it uses: nothing embedded before
    assert second["embedded"] == new_chunks + 2 * new_sentences - 1 + new_words
    assert 0 < second["embedded"] < texts_of(second) / 2

    full = build_index(small_corpus, tmp_path / "full", embedder, 600, 1, progress=False, reuse_vectors=False)
    assert full["embedded"] == texts_of(full)
    reused = vectors(small_corpus, tmp_path / "idx", embedder)
    fresh = vectors(small_corpus, tmp_path / "full", embedder)
    for kind in fresh:
        assert reused[kind].shape == fresh[kind].shape
        cosines = np.sum(reused[kind] * fresh[kind], axis=1)  # unit rows: one cosine per text
        assert cosines.min() > 0.9999, kind  # (a batch's padding may move the last digits)


def test_an_unchanged_rebuild_embeds_nothing_and_force_embeds_everything(small_corpus, tmp_path, embedder):
    build_index(small_corpus, tmp_path / "idx", embedder, 600, 1, progress=False)
    again = build_index(small_corpus, tmp_path / "idx", embedder, 600, 1, progress=False)
    assert again["embedded"] == 0
    forced = build_index(small_corpus, tmp_path / "idx", embedder, 600, 1, progress=False, reuse_vectors=False)
    assert forced["embedded"] == texts_of(forced)


def test_vectors_are_kept_per_model_and_dimension(tmp_path, embedder):
    texts = ["Tokayev won the election.", "Astana"]
    kept = embedder.passages(texts)
    cache = VectorCache(tmp_path / CACHE_FILE, embedder.name, embedder.dim)
    cache.keep("passage", texts, kept)
    found = cache.found("passage", [*texts, "never embedded"])
    assert sorted(found) == [0, 1] and np.array_equal(found[0], kept[0]) and found[1].dtype == np.float32
    assert cache.found("query", texts) == {}  # a query's vector is another than a passage's
    assert VectorCache(tmp_path / CACHE_FILE, "another-model", embedder.dim).found("passage", texts) == {}
    assert VectorCache(tmp_path / CACHE_FILE, embedder.name, 768).found("passage", texts) == {}


def test_a_damaged_row_is_embedded_again_not_read(tmp_path, embedder):
    cache = VectorCache(tmp_path / CACHE_FILE, embedder.name, embedder.dim)
    cache.keep("passage", ["Astana"], embedder.passages(["Astana"]))
    with sqlite3.connect(tmp_path / CACHE_FILE) as db:
        db.execute("UPDATE vectors SET vector = x'00'")  # a truncated vector
    assert cache.found("passage", ["Astana"]) == {}


def test_a_cache_that_cannot_be_read_is_warned_about_and_everything_is_embedded(tmp_path, embedder, caplog):
    (tmp_path / CACHE_FILE).write_bytes(b"not a database" * 100)  # damaged by hand, or by a full disk
    cache = VectorCache(tmp_path / CACHE_FILE, embedder.name, embedder.dim)
    texts = ["Tokayev won the election.", "Astana", "Astana"]
    vectors, embedded = embed_texts(embedder, texts, "passages", progress=False, cache=cache)
    assert embedded == 2  # each distinct text once, none read from the damaged cache
    assert vectors.shape == (3, embedder.dim) and np.array_equal(vectors[1], vectors[2])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert "vector cache" in caplog.text and "every text is embedded" in caplog.text
