"""Benchmark: writing a SELECT result in each SPARQL result format, as /sparql's query process does (issue 18).

Usage:
    git archive 1703578 src | tar -x -C /tmp/before           # the hand-written writers, for the baseline
    .venv/bin/python bench/result_writers.py --before /tmp/before/src [--rows 200000] [--limit 10000]

Each version runs in a process of its own (the same data, one after the other, in this invocation): a memory store
of N triples (an IRI, a predicate, a literal: plain, language-tagged or an integer in turn), the query
``SELECT ?s ?p ?o WHERE { ?s ?p ?o }``, and ``spacegraph.sparql.runner.write_answer`` into a buffer, with no row
limit and with the endpoint's default one (10,000). The best of three runs is kept; the ratio before/after is
what to compare across machines. Results go to bench/results/result-writers-DATE.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]  # fmt: skip

CHILD = """
import json, sys, time
import pyoxigraph as ox
from spacegraph.sparql.runner import Buffer, QueryRequest, write_answer

rows, limit, formats = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
store = ox.Store()
p = ox.NamedNode("https://schema.org/name")
objects = [lambda i: ox.Literal(f"name {i}"), lambda i: ox.Literal(f"nom {i}", language="fr"), lambda i: ox.Literal(i)]
store.bulk_extend(ox.Quad(ox.NamedNode(f"https://example.org/{i}"), p, objects[i % 3](i)) for i in range(rows))
query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
seconds = {}
for media_type in formats:
    for cut in (0, limit):
        best = None
        for _ in range(3):
            started = time.perf_counter()
            sink = Buffer()
            write_answer(store.query(query), QueryRequest(query, "SELECT", media_type, max_rows=cut), sink)
            took = time.perf_counter() - started
            best = took if best is None else min(best, took)
        seconds[f"{media_type} limit={cut}"] = [best, len(sink.body)]
print(json.dumps(seconds))
"""


def measure(source: Path, rows: int, limit: int) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(rows), str(limit), json.dumps(FORMATS)],
                          capture_output=True, text=True, check=True, env=environment)  # fmt: skip
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the src/ directory of the baseline version")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--limit", type=int, default=10_000)
    arguments = parser.parse_args()
    before = measure(arguments.before, arguments.rows, arguments.limit)
    after = measure(ROOT / "src", arguments.rows, arguments.limit)
    print("| format | row limit | before | after | before/after |\n| --- | ---: | ---: | ---: | ---: |")
    for key in after:
        media_type, cut = key.split(" limit=")
        was, now = before[key][0], after[key][0]
        shown = "none" if cut == "0" else f"{int(cut):,}"
        print(f"| {media_type} | {shown} | {was:.3f} s | {now:.3f} s | {was / now:.1f} |")
    report = {"rows": arguments.rows, "limit": arguments.limit, "before": before, "after": after,
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}  # fmt: skip
    out = ROOT / "bench" / "results" / f"result-writers-{datetime.date.today()}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
