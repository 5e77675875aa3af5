"""How fast every page kind is served, and how large its HTML is: entity pages, the home page, sides, countries, the
analysis pages, search and name completion, as HTML and as JSON, through gunicorn.

Targets (issue 17): at 10^6 quads and on the real series, every page kind answers in under 300 ms at the 90th
percentile, and no HTML page is larger than 1 MB. The script builds the data directory into a scratch store (or uses
``--store``), starts `spacegraph serve`, lists the entities of each kind (the first ``--limit``, and the busiest: the
person with the most roles, the organisation with the most affiliations, the topic with the most editions, the
edition with the most participants, the largest place), requests each page once to warm up (the caches kept per data
version: projections, rankings, the home page's editions), then ``--repeat`` times as HTML and as JSON, one request
after another, and reports per kind the median, the slowest page's 90th percentile and the largest HTML page.
Results go to ``results/pages-DATE-LABEL.json``.

Example:

    .venv/bin/python bench/pages.py                       # the real series (data/), about a minute
    .venv/bin/python bench/pages.py --data bench/out/data-1000000-seed1 --store /tmp/store-1e6 --repeat 10 \
        --limit 5 --label 1000000
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
BUSIEST = {  # the entity of each kind with the most rows on its page: the worst case of its kind
    "person": "?r conf:isHeldBy ?x . ?x a foaf:Person",
    "organisation": "?a conf:withOrganisation ?x",
    "topic": "?n skos:broader* ?x . ?e schema:about ?n",
    "edition": "?r a sg:Participation ; conf:during ?x",
    "place": "?e schema:location ?x",
}
OTHER_PAGES = {  # the pages that are not an entity's
    "home": ["/"],
    "analysis": ["/analysis/rank", "/analysis/rank?measure=betweenness", "/analysis/bridges", "/analysis/communities",
                 "/analysis/continuity"],
    "search": ["/search?q=space", "/search?q=wang"],
}  # fmt: skip
NAMES = ["/api/names?q=wa", "/api/names?q=space", "/api/names?q=chen&kind=person"]  # JSON only


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
    prefixes = LIST.split("SELECT")[0]
    for kind, pattern in BUSIEST.items():
        query = f"{prefixes} SELECT ?x (COUNT(*) AS ?n) WHERE {{ {pattern} }} GROUP BY ?x ORDER BY DESC(?n) LIMIT 1"
        for row in db.query(query, use_default_graph_as_union=True):
            url = page_url(row["x"].value, base)
            if url not in paths.setdefault(kind, []):
                paths[kind].append(url)
    paths["side"] = ["/side/us", "/side/china", "/side/other"]
    countries = sorted({row["c"].value for row in db.query(COUNTRIES, use_default_graph_as_union=True)})
    paths["country"] = [f"/country/{c}" for c in countries[:limit]]
    return {**paths, **OTHER_PAGES}


def get(port: int, path: str, accept: str, timeout: float = 60) -> tuple[float, int]:
    """Seconds from sending the request to the last byte of a 200 answer, and the answer's size in bytes."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} ({accept}) answered {response.status}: {body[:200]!r}")
    return time.perf_counter() - started, len(body)


def measure(port: int, paths: dict[str, list[str]], repeat: int) -> dict:
    out = {}
    kinds = [
        (kind, accept, name) for kind in paths for accept, name in (("text/html", "html"), ("application/json", "json"))
    ]
    for kind, accept, name in [*kinds, ("names", "application/json", "json")]:
        kind_paths = NAMES if kind == "names" else paths[kind]
        medians, p90s, largest, first = [], [], 0, 0.0
        print(f"  {kind} {name} ...", file=sys.stderr)
        failed: list[str] = []
        for path in kind_paths:
            # warm-up, not timed: the first page of a kind loads what is kept per data version (the projections, a
            # ranking, the home page's editions); gunicorn stops a worker whose request takes over 60 s
            try:
                first = max(first, get(port, path, accept, timeout=70)[0])
            except (TimeoutError, RuntimeError, OSError) as error:
                print(f"    {path}: {error!r}", file=sys.stderr)
                failed.append(path)
                continue
            timed = [get(port, path, accept) for _ in range(repeat)]
            times = sorted(t for t, _ in timed)
            medians.append(statistics.median(times))
            p90s.append(times[int(0.9 * (len(times) - 1))])
            largest = max(largest, *(size for _, size in timed))
        if not p90s:
            out[f"{kind} {name}"] = {"pages": len(kind_paths), "failed": failed}
            continue
        out[f"{kind} {name}"] = {
            "pages": len(kind_paths),
            "median_ms": round(statistics.median(medians) * 1000, 2),
            "slowest_page_median_ms": round(max(medians) * 1000, 2),
            "slowest_page_p90_ms": round(max(p90s) * 1000, 2),
            "largest_kb": round(largest / 1000, 1),
            "slowest_first_request_ms": round(first * 1000),
            "slowest_page": [p for p in kind_paths if p not in failed][p90s.index(max(p90s))],
            "failed": failed,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="example: .venv/bin/python bench/pages.py --repeat 20"
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    parser.add_argument("--store", type=Path, help="a store already built from --data (default: build one)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and format (default 20)")
    parser.add_argument("--limit", type=int, default=1000, help="pages per kind at most (default 1000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="gunicorn workers (default 1: each worker keeps its own rankings, warmed once)",
    )
    parser.add_argument("--label", default="real-series", help="label of the results file")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    from spacegraph.settings import load_settings

    base = load_settings().base
    scratch = Path(tempfile.mkdtemp(prefix="spacegraph-pages-"))
    try:
        store = args.store or scratch / "store"
        if args.store is None:
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

    print(tabulate([[k, v["pages"], v.get("median_ms"), v.get("slowest_page_median_ms"), v.get("slowest_page_p90_ms"),
                     v.get("largest_kb"), v.get("slowest_page"), " ".join(v["failed"])] for k, v in figures.items()],
                   headers=["kind", "pages", "median ms", "slowest page, median ms", "slowest page, p90 ms",
                            "largest, kB", "slowest page", "no answer within 70 s"]))  # fmt: skip
    over = [k for k, v in figures.items() if v["failed"] or v["slowest_page_p90_ms"] >= 300
            or (k.endswith("html") and v["largest_kb"] > 1000)]  # fmt: skip
    print(f"targets (p90 < 300 ms, HTML <= 1 MB): {'met' if not over else 'missed by ' + ', '.join(over)}")
    if not args.no_write:
        stem = f"pages-{result['date']}-{args.label}"
        print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
