"""`kzqa index` builds an index that knows what it was built from, and never leaves a broken one."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from kzqa.index import (
    FORMAT_VERSION,
    AnnConfig,
    IndexUnusable,
    build_index,
    differences,
    expected_manifest,
    live_build,
    load_index,
    read_manifest,
)


def build(corpus: Path, index_dir: Path, embedder, chunk_chars: int = 600) -> dict:
    return build_index(corpus, index_dir, embedder, chunk_chars, 1, progress=False)


def test_the_manifest_describes_the_build(small_corpus, tmp_path, embedder):
    manifest = build(small_corpus, tmp_path / "idx", embedder)
    on_disk = read_manifest(tmp_path / "idx")
    assert on_disk == manifest
    assert manifest["model"] == embedder.name and manifest["dim"] == 384
    assert (manifest["chunk_chars"], manifest["chunk_overlap"], manifest["format_version"]) == (600, 1, FORMAT_VERSION)
    index = load_index(small_corpus, tmp_path / "idx", embedder, 600, 1)
    assert index.chunk_index.ntotal == manifest["n_chunks"] == len(index.chunks)
    assert index.sentence_vectors.shape == index.window_vectors.shape == (manifest["n_sentences"], 384)


def test_a_changed_corpus_or_chunk_setting_is_detected_and_refused(small_corpus, tmp_path, embedder):
    index_dir = tmp_path / "idx"
    build(small_corpus, index_dir, embedder)
    assert differences(read_manifest(index_dir), expected_manifest(small_corpus, embedder, 600, 1)) == []

    assert [d.split(":")[0] for d in differences(read_manifest(index_dir),
                                                 expected_manifest(small_corpus, embedder, 400, 1))] == ["chunk_chars"]
    with pytest.raises(IndexUnusable, match=r"chunk_chars.*run `kzqa index`"):
        load_index(small_corpus, index_dir, embedder, 400, 1)

    doc = next(small_corpus.glob("*.md"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    with pytest.raises(IndexUnusable, match=r"corpus_hash.*run `kzqa index`"):
        load_index(small_corpus, index_dir, embedder, 600, 1)
    build(small_corpus, index_dir, embedder)
    assert load_index(small_corpus, index_dir, embedder, 600, 1).chunks


def test_an_index_built_with_another_model_is_refused(small_corpus, tmp_path, embedder):
    index_dir = tmp_path / "idx"
    build(small_corpus, index_dir, embedder)
    build_dir = live_build(index_dir)
    manifest = json.loads((build_dir / "manifest.json").read_text())
    (build_dir / "manifest.json").write_text(json.dumps(manifest | {"model": "all-MiniLM-L6-v2", "dim": 384}))
    with pytest.raises(IndexUnusable, match=r"model: index has 'all-MiniLM-L6-v2'.*run `kzqa index`"):
        load_index(small_corpus, index_dir, embedder, 600, 1)


def test_no_index_at_all_names_the_fix(small_corpus, tmp_path, embedder):
    with pytest.raises(IndexUnusable, match=r"there is no index in .*nothing; run `kzqa index` to build it"):
        load_index(small_corpus, tmp_path / "nothing", embedder, 600, 1)


def test_a_damaged_index_file_names_the_fix(small_corpus, tmp_path, embedder):
    index_dir = tmp_path / "idx"
    build(small_corpus, index_dir, embedder)
    (live_build(index_dir) / "chunks.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(IndexUnusable, match=r"damaged.*run `kzqa index`"):
        load_index(small_corpus, index_dir, embedder, 600, 1)


@pytest.mark.parametrize("damage", [
    lambda build: np.save(build / "vocabulary.npy", np.zeros((3, 10), np.float32)),  # wrong shape
    lambda build: np.save(build / "windows.npy", np.zeros((2, 384), np.float32)),  # too few rows
    lambda build: (build / "vocabulary.json").write_text("null"),
    lambda build: (build / "vocabulary.json").write_text('{"a": 1}'),
    lambda build: (build / "vocabulary.json").write_text('["one", "two"]'),  # not the manifest's n_words
])
def test_an_index_whose_files_disagree_is_refused_with_the_fix(small_corpus, tmp_path, embedder, damage):
    index_dir = tmp_path / "idx"
    build(small_corpus, index_dir, embedder)
    damage(live_build(index_dir))
    with pytest.raises(IndexUnusable, match=r"(inconsistent|damaged).*run `kzqa index`"):
        load_index(small_corpus, index_dir, embedder, 600, 1)


def test_the_vocabulary_is_utf8_whatever_the_locale(small_corpus, tmp_path, embedder):
    index_dir = tmp_path / "idx"
    build(small_corpus, index_dir, embedder)
    raw = (live_build(index_dir) / "vocabulary.json").read_bytes()
    assert json.loads(raw.decode("utf-8")) == load_index(small_corpus, index_dir, embedder, 600, 1).vocabulary


def test_a_crash_mid_build_leaves_the_previous_index_usable(small_corpus, tmp_path, embedder, monkeypatch):
    index_dir = tmp_path / "idx"
    build(small_corpus, index_dir, embedder, chunk_chars=600)
    before = read_manifest(index_dir)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", crash)  # the build dies after embedding, while writing files
    with pytest.raises(OSError):
        build(small_corpus, index_dir, embedder, chunk_chars=400)
    monkeypatch.undo()

    assert read_manifest(index_dir) == before
    assert load_index(small_corpus, index_dir, embedder, 600, 1).chunks
    # the next build succeeds and sweeps away the half-written folder
    build(small_corpus, index_dir, embedder, chunk_chars=400)
    assert not list(index_dir.glob(".*partial")) and len(list(index_dir.glob("build-*"))) == 1


def test_the_index_stays_exact_below_the_threshold_and_says_so(small_corpus, tmp_path, embedder):
    manifest = build(small_corpus, tmp_path / "idx", embedder)
    assert manifest["index"] == {"kind": "flat"}
    assert isinstance(load_index(small_corpus, tmp_path / "idx", embedder, 600, 1).chunk_index, faiss.IndexFlatIP)
    # HNSW settings do not matter to an exact index: no rebuild asked for
    other_hnsw = AnnConfig(m=8, ef_construction=20, ef_search=10)
    assert differences(read_manifest(tmp_path / "idx"), expected_manifest(small_corpus, embedder, 600, 1,
                                                                          other_hnsw)) == []


def test_from_the_threshold_on_the_index_is_hnsw_and_the_manifest_records_it(small_corpus, tmp_path, embedder):
    index_dir = tmp_path / "idx"
    ann = AnnConfig(threshold=10, m=16, ef_construction=40, ef_search=50)
    manifest = build_index(small_corpus, index_dir, embedder, 600, 1, progress=False, ann=ann)
    assert manifest["n_chunks"] >= 10
    assert manifest["index"] == {"kind": "hnsw", "m": 16, "ef_construction": 40}
    loaded = load_index(small_corpus, index_dir, embedder, 600, 1, ann)
    assert isinstance(loaded.chunk_index, faiss.IndexHNSWFlat) and loaded.chunk_index.hnsw.efConstruction == 40
    assert loaded.chunk_index.metric_type == faiss.METRIC_INNER_PRODUCT and loaded.ef_search == 50

    def changed(**update) -> list[str]:
        expected = expected_manifest(small_corpus, embedder, 600, 1, dataclasses.replace(ann, **update))
        return [d.split(":")[0] for d in differences(read_manifest(index_dir), expected)]

    # efSearch is applied per search, and another threshold that still picks HNSW changes nothing...
    assert changed(ef_search=200) == changed(threshold=manifest["n_chunks"]) == []
    # ...but the graph's own parameters, or a threshold that now picks exact search, need a rebuild
    assert changed(m=32) == changed(ef_construction=80) == changed(threshold=10**6) == ["index"]
    with pytest.raises(IndexUnusable, match=r"index: index has .*hnsw.*now \{'kind': 'flat'\}.*run `kzqa index`"):
        load_index(small_corpus, index_dir, embedder, 600, 1)


def test_an_index_from_before_kinds_were_recorded_counts_as_exact(small_corpus, tmp_path, embedder):
    index_dir = tmp_path / "idx"
    build(small_corpus, index_dir, embedder)
    path = live_build(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["index"], manifest["ann"]
    path.write_text(json.dumps(manifest))
    assert differences(read_manifest(index_dir), expected_manifest(small_corpus, embedder, 600, 1)) == []
    ann = AnnConfig(threshold=1, m=12, ef_construction=30)
    assert differences(read_manifest(index_dir), expected_manifest(small_corpus, embedder, 600, 1, ann)) == [
        "index: index has {'kind': 'flat'}, now {'kind': 'hnsw', 'm': 12, 'ef_construction': 30}"]
