#!/usr/bin/env python
"""The all-pairs join (b) against Virtuoso (issue 19): where its time goes in Oxigraph, and the same question on
Virtuoso, in one invocation on the same data.

Oxigraph is measured on a copy of the built store in its memory store (what spacegraph's query processes answer
from), in this process, through `spacegraph.sparql.runner.evaluate` (the endpoint's query layer: it rewrites (b)
with early projection, `spacegraph.sparql.rewrite`), and (b) also as written, on `Store.query`; Virtuoso Open Source (Debian's virtuoso-opensource-7-bin, its own database on free ports,
loaded with `spacegraph --store URL build`) over HTTP. Each query: once untimed, then K times, the median; the
answers are compared across systems and forms (row count and value):

  (b)                 the query of bench/sparql.py's mix
  (b) people first    the same question with each person's editions made distinct, and typed, before the join
  join only           the bare join of two participations of an edition (what every form must enumerate)
  no type checks      (b) without its two FILTER EXISTS (a different answer: organisations hold roles too)

    .venv/bin/python bench/system_join.py --data bench/out/data-1000000-seed1 --repeat 3
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from run import build_store, machine, write_results  # noqa: E402
from sparql import MIXES, PREFIXES  # noqa: E402
from system import spacegraph  # noqa: E402

QUERIES = {
    "(b)": MIXES["tuned"]["co-speaker-pairs"],
    "(b) people first": """\
SELECT (COUNT(*) AS ?pairs) WHERE {
  SELECT DISTINCT ?a ?b WHERE {
    { SELECT DISTINCT ?a ?edition WHERE { ?r1 conf:isHeldBy ?a ; conf:during ?edition . ?a a foaf:Person } }
    { SELECT DISTINCT ?b ?edition WHERE { ?r2 conf:isHeldBy ?b ; conf:during ?edition . ?b a foaf:Person } }
    FILTER (STR(?a) < STR(?b))
  }
}
""",
    "join only": """\
SELECT (COUNT(*) AS ?rows) WHERE {
  ?r1 conf:isHeldBy ?a ; conf:during ?edition . ?r2 conf:during ?edition ; conf:isHeldBy ?b .
}
""",
    "no type checks": """\
SELECT (COUNT(*) AS ?pairs) WHERE {
  SELECT DISTINCT ?a ?b WHERE {
    ?r1 conf:isHeldBy ?a ; conf:during ?edition . ?r2 conf:during ?edition ; conf:isHeldBy ?b .
    FILTER (STR(?a) < STR(?b))
  }
}
""",
}
EXAMPLE = __doc__.rsplit("\n\n", 1)[1]
JSON = "application/sparql-results+json"
AS_WRITTEN = ("(b)",)  # also run on Oxigraph as written, without the endpoint's rewrite


def oxigraph_memory(store: Path):
    """The built store copied into Oxigraph's memory store; two functions answering a query with its one value:
    through ``spacegraph.sparql.runner.evaluate`` (the endpoint's query layer, with its rewrite) and through
    ``Store.query`` as written (the query as Oxigraph alone runs it)."""
    import pyoxigraph as ox

    from spacegraph.sparql.results import Buffer
    from spacegraph.sparql.runner import QueryRequest, evaluate

    disk = ox.Store.read_only(str(store.resolve()))
    memory = ox.Store()
    for graph in disk.named_graphs():
        memory.add_graph(graph)
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    del disk

    def endpoint(query: str) -> str:
        sink = Buffer()
        evaluate(memory, QueryRequest(sparql=query, form="SELECT", media_type=JSON), sink)
        binding = json.loads(sink.body)["results"]["bindings"][0]
        return next(iter(binding.values()))["value"]

    return endpoint, lambda query: next(iter(memory.query(query, use_default_graph_as_union=True)))[0].value


def virtuoso_client(url: str):
    """A function answering a query with its one value, over Virtuoso's /sparql (GET, SPARQL JSON)."""
    parsed = urllib.parse.urlsplit(url)

    def ask(query: str) -> str:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=600)
        try:
            conn.request("GET", parsed.path + "?" + urllib.parse.urlencode({"query": query}),
                         headers={"Accept": JSON})  # fmt: skip
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        if response.status != 200:
            raise RuntimeError(f"Virtuoso: HTTP {response.status}: {body[:300]!r}")
        binding = json.loads(body)["results"]["bindings"][0]
        return next(iter(binding.values()))["value"]

    return ask


def timings(ask, repeat: int, names: tuple[str, ...] = tuple(QUERIES), endpoint: bool = False) -> dict:
    """Each query's answer and times; ``endpoint``: whether the endpoint's rewrite applied to it is noted."""
    from spacegraph.sparql.rewrite import plan

    out = {}
    for name in names:
        query = PREFIXES + QUERIES[name]
        started = time.perf_counter()
        answer = ask(query)
        warm = time.perf_counter() - started
        runs = []
        for k in range(repeat):
            started = time.perf_counter()
            ask(f"{query}# run {k}\n")
            runs.append(time.perf_counter() - started)
        out[name] = {"answer": answer, "warmup_seconds": round(warm, 3), "runs": [round(r, 3) for r in runs],
                     "median_seconds": round(statistics.median(runs), 3)}  # fmt: skip
        if endpoint:
            out[name]["rewritten"] = plan(query) is not None
        print(f"    {name}: {out[name]['median_seconds']} s ({answer})", file=sys.stderr)
    return out


def measure_virtuoso(data: Path, scratch: Path, repeat: int) -> dict:
    from tests.virtuoso import start_virtuoso

    directory = scratch / "virtuoso"
    directory.mkdir()
    process, server = start_virtuoso(directory)
    try:
        env = {"SPACEGRAPH_STORE_UPDATE": server.update_url, "SPACEGRAPH_STORE_GRAPH_STORE": server.graph_store_url,
               "SPACEGRAPH_STORE_USER": server.user, "SPACEGRAPH_STORE_PASSWORD": server.password}  # fmt: skip
        load = spacegraph("--data", str(data), "--store", server.query_url, "build", env=env)
        print(f"  virtuoso: loaded in {load:.1f} s", file=sys.stderr)
        return {"load_seconds": round(load, 1), "queries": timings(virtuoso_client(server.query_url), repeat)}
    finally:
        process.terminate()
        process.wait(60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/system_join.py", description=__doc__.split("\n\n")[0],
                                     epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--data", type=Path, default=BENCH / "out" / "data-1000000-seed1", help="data directory")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query (default 3; median)")
    parser.add_argument("--no-virtuoso", action="store_true", help="Oxigraph only")
    parser.add_argument("--label", default="1000000", help="label of the results file")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="spacegraph-join-"))
    load_at_start = os.getloadavg()[0]
    try:
        build_store(args.data, scratch / "store")
        print("  oxigraph, memory copy, through the endpoint's evaluate (rewritten where it applies):", file=sys.stderr)
        endpoint, as_written = oxigraph_memory(scratch / "store")
        systems = {"oxigraph-memory": {"queries": timings(endpoint, args.repeat, endpoint=True)}}
        print("  oxigraph, memory copy, as written:", file=sys.stderr)
        systems["oxigraph-as-written"] = {"queries": timings(as_written, args.repeat, AS_WRITTEN)}
        del endpoint, as_written
        if not args.no_virtuoso:
            systems["virtuoso"] = measure_virtuoso(args.data, scratch, args.repeat)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    answers = {name: {s: r["queries"][name]["answer"] for s, r in systems.items() if name in r["queries"]}
               for name in QUERIES}  # fmt: skip
    result = {"date": time.strftime("%Y-%m-%d"), "label": args.label, "data": str(args.data), "repeat": args.repeat,
              "machine": machine(), "load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)],
              "systems": systems, "answers_agree": {n: len(set(a.values())) == 1 for n, a in answers.items()}}  # fmt: skip
    for name in QUERIES:
        cells = "  ".join(f"{s} {r['queries'][name]['median_seconds']:.2f} s" for s, r in systems.items()
                          if name in r["queries"])  # fmt: skip
        print(f"{name:18} {cells}  answers {answers[name]}")
    if not args.no_write:
        stem = f"join-{result['date']}-{args.label}"
        print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
