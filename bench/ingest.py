"""Benchmark: ingesting one event page into a large store, against validating the whole store.

Usage:
    .venv/bin/python bench/ingest.py --data bench/out/data-1000000-seed1
    .venv/bin/python bench/ingest.py --triples 100000   # generates the data first (bench/generate.py)

For each page of tests/ingest_corpus (or --pages N of them), times `prepare_page` (read, parse, resolve against
the store, validate the page's graph with its own nodes as focus) and `commit_page` (data/ files and a new store
generation, journaled), in process, after the store is built, each page in a writing session of its own (the writer
lock), as `spacegraph ingest --yes` does. In the same run it times a full validation of the
store with the same shapes, for comparison. Results go to bench/results/ingest-DATE-SIZE.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "ingest_corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a data directory made by bench/generate.py")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size to generate when --data is not given")
    parser.add_argument("--pages", type=int, default=8, help="how many corpus pages to ingest (default 8)")
    parser.add_argument("--series", default="U.S.-China Space Commercialization Dialogue", help="series of the pages")
    args = parser.parse_args()

    from spacegraph.build import build_store
    from spacegraph.ingest.ingest_page import commit_page, prepare_page
    from spacegraph.settings import load_settings
    from spacegraph.store.oxigraph import OxigraphStore
    from spacegraph.validation import validate_store
    from spacegraph.write import Writer

    source = args.data or ROOT / "bench" / "out" / f"data-{args.triples}-seed1"
    if not source.exists():
        print(f"generating {source} …", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", str(args.triples),
                        "--out", str(source)], check=True)  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="spacegraph-ingest-bench-"))
    try:
        # hard links: commits replace files by rename, so the source data is never changed
        shutil.copytree(source, work / "data", copy_function=os.link)
        settings = load_settings(data=work / "data", store=work / "store")
        print("building the store …", file=sys.stderr)
        built = build_store(settings)
        pages = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html") and p.stem[:2].isdigit())
        timings = []
        for page in pages[: args.pages]:
            with Writer(settings) as writer:  # as `spacegraph ingest --yes` does: one writing session a page
                started, cpu = time.perf_counter(), time.process_time()
                prepared = prepare_page(page, writer, args.series)
                prepared_at = time.perf_counter()
                if not prepared.validation.conforms:
                    print(f"{page.name} does not conform:\n{prepared.validation.render()}", file=sys.stderr)
                    continue
                commit_page(prepared, writer)
                committed_at, cpu = time.perf_counter(), time.process_time() - cpu
            timings.append({"page": page.name, "quads": len(prepared.quads),
                            "prepare_s": round(prepared_at - started, 3), "commit_s": round(committed_at - prepared_at, 3),
                            "total_s": round(committed_at - started, 3), "cpu_s": round(cpu, 3)})  # fmt: skip
            print(f"{page.name}: {timings[-1]['total_s']:.3f} s ({timings[-1]['cpu_s']:.3f} s CPU)", file=sys.stderr)
        # validation marks the named graphs in the store it validates: a writable clone of the published one
        from spacegraph.store.oxigraph import clone_generation

        with OxigraphStore(clone_generation(settings.store)) as store:
            graphs = {
                g.value: g.value for g in store.named_graphs() if g.value != "https://w3id.org/spacegraph/ontology"
            }
            started = time.perf_counter()
            report = validate_store(store, graphs, settings.shapes_path)
            whole = time.perf_counter() - started
        result = {
            "date": date.today().isoformat(),
            "machine": {"cpu": _cpu(), "cores": os.cpu_count(), "python": platform.python_version()},
            "store_quads": built.quads,
            "pages": timings,
            "median_ingest_s": statistics.median(t["total_s"] for t in timings),
            "max_ingest_s": max(t["total_s"] for t in timings),
            "median_cpu_s": statistics.median(t["cpu_s"] for t in timings),
            "load_average": os.getloadavg(),
            "whole_store_validation_s": round(whole, 3),
            "whole_store_conforms": report.conforms,
        }
        out = ROOT / "bench" / "results" / f"ingest-{result['date']}-{built.quads}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"store: {built.quads:,} quads; ingest one page: median {result['median_ingest_s']:.3f} s, "
              f"max {result['max_ingest_s']:.3f} s; whole-store validation: {whole:.2f} s  ({out})")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


if __name__ == "__main__":
    main()
