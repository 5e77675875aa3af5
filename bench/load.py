#!/usr/bin/env python
"""The whole app under load (issue 19): C clients over a realistic mix of routes for S seconds, with an ingest
committing in the middle.

The data directory (default: the real series, data/) is copied into a scratch directory and built into a store
there; `spacegraph serve` (gunicorn, --workers N, on 127.0.0.1 only) answers; C client threads, each on its own
kept-alive connection, send for S seconds requests drawn (seeded) from the mix:

  sparql        an example query (queries/*.rq) or one person's name, as GET /sparql (SPARQL JSON)
  entity        an entity page (person, organisation, edition, topic, place, series), HTML or its JSON twin
  api           /api/who-spoke-with?person=NAME (JSON)
  network       /api/network (the network view's JSON)

Halfway, `spacegraph ingest PAGE --yes` runs in a process of its own on the same data and store: it validates the
page's graph and publishes a new store generation. The benchmark notes the moment the link to the published
generation changes, then asks (every 10 ms, a new query text each time, so that no kept answer is taken) how
many named graphs there are, and reports how long until the first reader saw the new graph and until 20 answers in
a row did (each request may reach any worker). Per route: requests, requests/s, median and p99, errors (anything
but a 200, or no answer). Loopback only; every request has a 30 s time-out and the run its length.

    .venv/bin/python bench/load.py                          # 8 and 32 clients, 60 s each, the real series
    .venv/bin/python bench/load.py --clients 8 --seconds 10 --no-write
    .venv/bin/python bench/load.py --data bench/out/data-100000-seed1 --label 100000
    .venv/bin/python bench/load.py --baseline-src /tmp/old   # from: git archive COMMIT src ontology | tar -x -C /tmp/old
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from pages import entity_paths  # noqa: E402
from run import machine, write_results  # noqa: E402
from sparql import JSON_RESULTS, spacegraph_server  # noqa: E402

MIX = {"sparql": 30, "entity": 40, "api": 15, "network": 15}  # shares of the requests, in percent
PAGE = ROOT / "tests" / "ingest_corpus" / "01-hefei-2023.txt"
NAMES = """PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX schema: <https://schema.org/>
SELECT ?p ?name WHERE { ?p a foaf:Person ; schema:name ?name } ORDER BY ?p LIMIT 200"""
PERSON_NAME = "PREFIX schema: <https://schema.org/>\nSELECT ?name WHERE {{ <{}> schema:name ?name }}\n"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE {{ GRAPH ?g {{ }} }} # probe {}\n"
TIMEOUT = 30.0
EXAMPLE = __doc__.rsplit("\n\n", 1)[1]


@dataclass
class Targets:
    """What the clients ask for, by route: (path, Accept) pairs."""

    routes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def targets_of(store: Path, limit: int) -> Targets:
    """The requests of the mix, read from the built store."""
    import pyoxigraph as ox

    from spacegraph.settings import load_settings
    from spacegraph.web.queries import example_queries

    db = ox.Store.read_only(str(store.resolve()))
    people = [(row["p"].value, row["name"].value) for row in db.query(NAMES, use_default_graph_as_union=True)]
    del db
    pages = entity_paths(store, load_settings().base, limit)
    entity = [(p, accept) for kind, paths in pages.items() if kind not in ("side", "country") for p in paths
              for accept in ("text/html", "application/json")]  # fmt: skip
    sparql = [(sparql_path(q.text), JSON_RESULTS) for q in example_queries()]
    sparql += [(sparql_path(PERSON_NAME.format(iri)), JSON_RESULTS) for iri, _ in people]
    api = [("/api/who-spoke-with?" + urllib.parse.urlencode({"person": name}), "application/json")
           for _, name in people[:50]]  # fmt: skip
    network = [("/api/network", "application/json")]
    return Targets({"sparql": sparql, "entity": entity, "api": api, "network": network})


@dataclass
class Record:
    route: str
    began: float  # seconds since the run started
    seconds: float
    status: int  # 0: no answer
    cached: bool = False  # a /sparql answer from the cache of answers (its Server-Timing says so)


def get(conn: http.client.HTTPConnection, path: str, accept: str) -> tuple[int, bytes, str]:
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    return response.status, response.read(), response.getheader("Server-Timing") or ""


def client(port: int, targets: Targets, seed: int, stop: threading.Event, t0: float, out: list[Record]) -> None:
    """One client: requests drawn from the mix, one after another on a kept-alive connection, until ``stop``."""
    rng = random.Random(seed)
    routes, weights = list(MIX), list(MIX.values())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    while not stop.is_set():
        route = rng.choices(routes, weights)[0]
        path, accept = rng.choice(targets.routes[route])
        began = time.perf_counter()
        try:
            status, _, timing = get(conn, path, accept)
        except (OSError, http.client.HTTPException):
            status, timing = 0, ""
            conn.close()  # a new connection for the next request
        out.append(Record(route, began - t0, time.perf_counter() - began, status, 'desc="cache"' in timing))
    conn.close()


def graph_count(port: int, probe: int) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        status, body, _ = get(conn, sparql_path(GRAPHS.format(probe)), "text/csv")
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()
    return int(body.decode().split()[1]) if status == 200 else None


def source_env(src: Path | None) -> dict:
    """The environment of the children: with ``src``, that version of spacegraph's source is imported first."""
    return {**os.environ, "PYTHONPATH": str(src.resolve())} if src else dict(os.environ)


def ingest_and_watch(args: argparse.Namespace, data: Path, store: Path, port: int, t0: float, env: dict) -> dict:
    """Run the ingest; note when its generation was published, and when readers first (and then 20 times in a row)
    saw the new graph."""
    from spacegraph.store.oxigraph import generation_of

    probes = itertools.count()
    before, old = graph_count(port, next(probes)), generation_of(store)
    command = [sys.executable, "-m", "spacegraph", "--data", str(data), "--store", str(store), "ingest",
               str(args.page), "--yes"]  # fmt: skip
    started = time.perf_counter()
    ingest = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    published = None
    while published is None and time.perf_counter() - started < args.ingest_timeout:
        if generation_of(store) != old:
            published = time.perf_counter()
        elif ingest.poll() is not None:
            break
        time.sleep(0.001)
    output = ingest.communicate(timeout=max(1.0, args.ingest_timeout - (time.perf_counter() - started)))[0]
    result = {"page": str(args.page), "exit": ingest.returncode, "seconds": round(time.perf_counter() - started, 2),
              "started_at": round(started - t0, 2), "graphs_before": before, "output_tail": output.decode()[-600:]}  # fmt: skip
    if published is None:
        return {**result, "published": False}
    first = None
    in_a_row = 0
    while in_a_row < 20 and time.perf_counter() - published < 30:
        count = graph_count(port, next(probes))
        if count is not None and before is not None and count > before:
            first = first or time.perf_counter()
            in_a_row += 1
        else:
            in_a_row = 0
        time.sleep(0.01)
    seen_by_all = time.perf_counter() if in_a_row >= 20 else None
    return {**result, "published": True, "published_at": round(published - t0, 3),
            "first_reader_saw_it_ms": round((first - published) * 1000, 1) if first else None,
            "twenty_in_a_row_ms": round((seen_by_all - published) * 1000, 1) if seen_by_all else None}  # fmt: skip


def summary(records: list[Record], seconds: float, window: tuple[float, float] | None) -> dict:
    """Per route and in all: requests, requests/s, median and p99 (ms), errors; requests/s during the ingest."""
    out = {}
    for route in [*MIX, "all"]:
        mine = [r for r in records if route in ("all", r.route)]
        times = sorted(r.seconds for r in mine)
        if not times:
            continue
        out[route] = {"requests": len(mine), "requests_per_second": round(len(mine) / seconds, 1),
                      "median_ms": round(statistics.median(times) * 1000, 2),
                      "p99_ms": round(times[int(0.99 * (len(times) - 1))] * 1000, 2),
                      "errors": sum(1 for r in mine if r.status != 200)}  # fmt: skip
    sparql = [r for r in records if r.route == "sparql"]
    if sparql:
        out["sparql"]["from_cache"] = round(sum(r.cached for r in sparql) / len(sparql), 3)
    if window is not None:
        during = [r for r in records if window[0] <= r.began <= window[1]]
        span = max(window[1] - window[0], 1e-3)
        out["during_ingest"] = {"seconds": round(span, 2), "requests_per_second": round(len(during) / span, 1),
                                "errors": sum(1 for r in during if r.status != 200)}  # fmt: skip
    return out


def one_run(args: argparse.Namespace, clients: int, scratch: Path, src: Path | None = None) -> dict:
    """A fresh copy of the data and store, the server, ``clients`` clients for ``args.seconds``, the ingest halfway;
    with ``src``, that version of spacegraph's source serves and ingests."""
    env = source_env(src)
    scratch = scratch / ("baseline" if src else "current")
    scratch.mkdir(exist_ok=True)
    data, store = scratch / f"data-{clients}", scratch / f"store-{clients}"
    shutil.copytree(args.data, data)
    build = [sys.executable, "-m", "spacegraph", "--data", str(data), "--store", str(store), "build"]
    subprocess.run(build, check=True, cwd=ROOT, capture_output=True, env=env)
    targets = targets_of(store, args.limit)
    server = spacegraph_server(data, store, args.workers, scratch / f"server-{clients}.log")
    server.env = {**server.env, **({"PYTHONPATH": env["PYTHONPATH"]} if src else {})}
    server.start(ready_timeout=300)
    try:
        warm = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        for route in MIX:  # the projections and the network are computed once per version, before the clock
            get(warm, *targets.routes[route][0])
        warm.close()
        records: list[Record] = []
        stop = threading.Event()
        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(server.port, targets, args.seed * 1000 + i, stop, t0, records))
                   for i in range(clients)]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 2)
        ingest = ingest_and_watch(args, data, store, server.port, t0, env)
        time.sleep(max(0.0, args.seconds - (time.perf_counter() - t0)))
        stop.set()
        for thread in threads:
            thread.join(TIMEOUT + 5)
        elapsed = time.perf_counter() - t0
    finally:
        server.stop()
    window = (ingest["started_at"], ingest["started_at"] + ingest["seconds"])
    return {"clients": clients, "source": str(src) if src else "current", "seconds": round(elapsed, 2), "ingest": ingest,
            "routes": summary(records, elapsed, window)}  # fmt: skip


def report(runs: list[dict]) -> str:
    from tabulate import tabulate

    rows = []
    for run in runs:
        for route, s in run["routes"].items():
            if route == "during_ingest":
                continue
            rows.append([run["clients"], run.get("source", "current"), route, s["requests"], s["requests_per_second"], s["median_ms"], s["p99_ms"],
                         s["errors"], s.get("from_cache", "")])  # fmt: skip
    lines = [tabulate(rows, ["clients", "source", "route", "requests", "req/s", "median ms", "p99 ms", "errors",
                             "from cache"])]  # fmt: skip
    for run in runs:
        i, during = run["ingest"], run["routes"].get("during_ingest", {})
        lines.append(f"{run['clients']} clients ({run.get('source', 'current')}): ingest exit {i['exit']} in {i['seconds']} s; "
                     f"{during.get('requests_per_second')} req/s and {during.get('errors')} errors meanwhile; "
                     f"readers saw the new data {i.get('first_reader_saw_it_ms')} ms after it was published "
                     f"(20 answers in a row: {i.get('twenty_in_a_row_ms')} ms)")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/load.py", description=__doc__.split("\n\n")[0],
                                     epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory (default: data/)")
    parser.add_argument("--clients", default="8,32", help="concurrent clients, one run each (default 8,32)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each run (default 60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--page", type=Path, default=PAGE, help="the page ingested halfway (default: a corpus page)")
    parser.add_argument("--ingest-timeout", type=float, default=120, help="seconds the ingest may take")
    parser.add_argument("--limit", type=int, default=200, help="entity pages per kind in the mix (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the clients' choices (default 1)")
    parser.add_argument("--baseline-src", type=Path, help="another version of the source measured in the same run, e.g. from "
                        "`git archive COMMIT src ontology | tar -x -C DIR` (give DIR)")  # fmt: skip
    parser.add_argument("--label", default="real-series", help="label of the results file")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    args.seconds = min(args.seconds, 600.0)  # bounded
    load_at_start = os.getloadavg()[0]
    scratch = Path(tempfile.mkdtemp(prefix="spacegraph-load-"))
    try:
        runs = [one_run(args, int(c), scratch, src) for c in args.clients.split(",")
                for src in ([None, args.baseline_src] if args.baseline_src else [None])]  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {"date": time.strftime("%Y-%m-%d"), "label": args.label, "data": str(args.data), "mix": MIX,
              "workers": args.workers, "machine": machine(), "runs": runs,
              "load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)]}  # fmt: skip
    print(report(runs))
    if not args.no_write:
        stem = f"load-{result['date']}-{args.label}"
        print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0 if all(r["routes"]["all"]["errors"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
