"""How fast the entity pages are served: every page of a data directory, as HTML and as JSON, through gunicorn.

The issue's target: each entity page served in under 100 ms on this machine, for the real series. The script
builds the data directory into a scratch store, starts `spacegraph serve`, lists every entity (people,
organisations, editions, topics, places, the series, the sides and the countries), requests each page once to
warm up, then ``--repeat`` times as HTML and as JSON, one request after another, and reports per kind the median
and the slowest page's 90th percentile. Results go to ``results/pages-DATE-LABEL.json``.

Example:

    .venv/bin/python bench/pages.py                       # the real series (data/), about a minute
    .venv/bin/python bench/pages.py --data bench/out/data-100000-seed1 --repeat 5 --limit 30
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import machine, write_results  # noqa: E402
from sparql import spacegraph_server  # noqa: E402

LIST = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
PREFIX sg: <https://w3id.org/spacegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?x ?kind WHERE {
  { ?x a foaf:Person BIND("person" AS ?kind) } UNION { ?x a org:Organization BIND("organisation" AS ?kind) }
  UNION { ?x a/rdfs:subClassOf* sg:Edition BIND("edition" AS ?kind) } UNION { ?x a skos:Concept BIND("topic" AS ?kind) }
  UNION { ?x a schema:Place BIND("place" AS ?kind) } UNION { ?x a conf:WorkshopSeries BIND("series" AS ?kind) }
}
"""
COUNTRIES = "PREFIX schema: <https://schema.org/> SELECT DISTINCT ?c WHERE { ?o schema:addressCountry ?c }"


def entity_paths(store: Path, base: str, limit: int) -> dict[str, list[str]]:
    """Page paths by kind (at most ``limit`` per kind), read from the built store."""
    import pyoxigraph as ox

    from spacegraph.web.links import page_url

    db = ox.Store.read_only(str(store.resolve()))
    paths: dict[str, list[str]] = {}
    for row in db.query(LIST, use_default_graph_as_union=True):
        kind = row["kind"].value
        if len(paths.setdefault(kind, [])) < limit:
            paths[kind].append(page_url(row["x"].value, base))
    paths["side"] = ["/side/us", "/side/china", "/side/other"]
    countries = sorted({row["c"].value for row in db.query(COUNTRIES, use_default_graph_as_union=True)})
    paths["country"] = [f"/country/{c}" for c in countries[:limit]]
    return paths


def get(port: int, path: str, accept: str) -> float:
    """Seconds from sending the request to the last byte of a 200 answer."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} ({accept}) answered {response.status}: {body[:200]!r}")
    return time.perf_counter() - started


def measure(port: int, paths: dict[str, list[str]], repeat: int) -> dict:
    out = {}
    for kind, kind_paths in paths.items():
        for accept, name in (("text/html", "html"), ("application/json", "json")):
            medians, p90s = [], []
            for path in kind_paths:
                get(port, path, accept)  # warm-up (the first page of a kind also loads the cached projections)
                times = sorted(get(port, path, accept) for _ in range(repeat))
                medians.append(statistics.median(times))
                p90s.append(times[int(0.9 * (len(times) - 1))])
            out[f"{kind} {name}"] = {
                "pages": len(kind_paths),
                "median_ms": round(statistics.median(medians) * 1000, 2),
                "slowest_page_median_ms": round(max(medians) * 1000, 2),
                "slowest_page_p90_ms": round(max(p90s) * 1000, 2),
            }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="example: .venv/bin/python bench/pages.py --repeat 20"
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and format (default 20)")
    parser.add_argument("--limit", type=int, default=1000, help="pages per kind at most (default 1000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--label", default="real-series", help="label of the results file")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    from spacegraph.settings import load_settings

    base = load_settings().base
    scratch = Path(tempfile.mkdtemp(prefix="spacegraph-pages-"))
    try:
        store = scratch / "store"
        print(f"building {args.data} ...", file=sys.stderr)
        command = [sys.executable, "-m", "spacegraph", "--data", str(args.data), "--store", str(store), "build"]
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
        paths = entity_paths(store, base, args.limit)
        server = spacegraph_server(args.data, store, args.workers, scratch / "server.log")
        server.start(ready_timeout=120)
        try:
            print(f"measuring {sum(len(p) for p in paths.values())} pages ...", file=sys.stderr)
            figures = measure(server.port, paths, args.repeat)
        finally:
            server.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {"date": datetime.date.today().isoformat(), "label": args.label, "data": str(args.data),
              "repeat": args.repeat, "workers": args.workers, "machine": machine(), "pages": figures}  # fmt: skip
    from tabulate import tabulate

    print(tabulate([[k, v["pages"], v["median_ms"], v["slowest_page_median_ms"], v["slowest_page_p90_ms"]]
                    for k, v in figures.items()],
                   headers=["kind", "pages", "median ms", "slowest page, median ms", "slowest page, p90 ms"]))  # fmt: skip
    if not args.no_write:
        stem = f"pages-{result['date']}-{args.label}"
        print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
