#!/usr/bin/env python
"""Which HTTP server for small /sparql queries (issue 19): `spacegraph serve` (gunicorn's threaded worker, kept-alive
connections) against the same app under granian (a Rust HTTP server from PyPI, WSGI with blocking threads), with
rdflib-endpoint and the HTTP floor measured in the same invocation, on the same store.

For each server: the small query (one person's name) from C clients (wrk, bench/wrk.py) for S seconds, cached (the
same text every request: answered from the cache of answers, and rdflib-endpoint reuses its parsed query) and
uncached (a new text each request), requests/s and p99. granian is
in the optional `bench` group only (`.venv/bin/pip install -e '.[bench]'`); without it, its rows are left out.

    .venv/bin/python bench/servers.py --data bench/out/data-100000-seed1
    .venv/bin/python bench/servers.py --data bench/out/data-100000-seed1 --clients 8 --seconds 5 --no-write
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import build_store, machine, write_results  # noqa: E402
from sparql import (  # noqa: E402
    PREFIXES,
    SMALL,
    TOP_PERSON,
    HttpEndpoint,
    InProcess,
    Server,
    floor_server,
    free_port,
    rdflib_server,
    spacegraph_server,
    throughput,
    wait_for_copies,
)

EXAMPLE = __doc__.rsplit("\n\n", 1)[1]


def granian_app():
    """The app as `spacegraph serve` builds it (with its cache of answers in front), for granian's --factory: the
    settings from the environment."""
    from spacegraph.settings import load_settings
    from spacegraph.web import create_app
    from spacegraph.web.direct import DirectAnswers
    from spacegraph.web.kept import KeptAnswers

    app = create_app({"SETTINGS": load_settings()})
    app.extensions["sparql"].start()
    direct = DirectAnswers(app.wsgi_app, app)
    app.wsgi_app = KeptAnswers(direct, app.extensions["spacegraph"].version)  # type: ignore[method-assign]
    return app


def granian_server(data: Path, store: Path, workers: int, threads: int, log: Path) -> Server:
    port = free_port()
    env = {**os.environ, "SPACEGRAPH_QUERY_TIMEOUT": "600", "SPACEGRAPH_MAX_ROWS": "0",
           "SPACEGRAPH_DATA": str(data), "SPACEGRAPH_STORE": str(store),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")]))}  # fmt: skip
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", "servers:granian_app",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--blocking-threads", str(threads), "--log-level", "warning"]  # fmt: skip
    return Server("granian", command, env, log, port)


def start(server: Server, small: str, args: argparse.Namespace, spacegraph: bool) -> HttpEndpoint:
    print(f"  {server.name}: starting …", file=sys.stderr)
    server.start(args.start_timeout)
    endpoint = HttpEndpoint(server.name, server.port)
    throughput(endpoint, small, args.clients[0], 2.0, unique=True)  # every worker's query process started
    if spacegraph:
        wait_for_copies(endpoint, small, args.clients[0], args.start_timeout)
    return endpoint


def cases(server: Server, args: argparse.Namespace) -> list[tuple[int, bool]]:
    """(clients, every text new) of each run; the floor's answer is fixed, so a new text changes nothing there."""
    kinds = (False,) if server.name == "http-floor" else (False, True)
    return [(clients, unique) for clients in args.clients for unique in kinds]


def rounds(servers: list[tuple[Server, HttpEndpoint]], small: str, args: argparse.Namespace) -> dict:
    """Every case of every server, once a round, the servers taking turns within each case, for ``args.rounds``
    rounds; per server and case the run with the median rate, and every round's rate. Taking turns, a change in the
    machine's load (it is shared) falls on every server alike, not on whichever ran at that time."""
    runs: dict[str, dict[tuple[int, bool], list[dict]]] = {server.name: {} for server, _ in servers}
    every_case = [(clients, unique) for clients in args.clients for unique in (False, True)]
    for number in range(1, args.rounds + 1):
        for case in every_case:
            for server, endpoint in servers:
                if case not in cases(server, args):
                    continue
                rate = throughput(endpoint, small, case[0], args.seconds, case[1])
                runs[server.name].setdefault(case, []).append(rate)
                print(f"    round {number}: {server.name}, {case[0]} clients{', every text new' if case[1] else ''}: "
                      f"{rate['requests_per_second']:,.0f} requests/s, p99 {rate['p99_ms']} ms, {rate['errors']} errors",
                      file=sys.stderr)  # fmt: skip
    results = {}
    for server, _ in servers:
        medians = []
        for measured in runs[server.name].values():
            ordered = sorted(measured, key=lambda r: r["requests_per_second"])
            median = dict(ordered[len(ordered) // 2])
            median["rounds_requests_per_second"] = [r["requests_per_second"] for r in measured]
            median["rounds_p99_ms"] = [r["p99_ms"] for r in measured]
            medians.append(median)
        results[server.name] = {"throughputs": medians, "memory": server.memory_mb()}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/servers.py", description=__doc__.split("\n\n")[0],
                                     epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--data", type=Path, default=BENCH / "out" / "data-100000-seed1", help="data directory")
    parser.add_argument("--clients", default="8,32", help="concurrent clients, comma-separated (default 8,32)")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of each throughput run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every run; the median is reported (default 3)")
    parser.add_argument("--workers", type=int, default=3, help="worker processes of each server (default 3)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (default 8, as spacegraph serve)")
    parser.add_argument("--start-timeout", type=float, default=300, help="seconds a server may take to start")
    parser.add_argument("--label", default="100000", help="label of the results file")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    args.clients = [int(c) for c in args.clients.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="spacegraph-servers-"))
    try:
        store = scratch / "store"
        build_store(args.data, store)
        local = InProcess(store)
        person = local.rows(PREFIXES + TOP_PERSON)[0][0]
        local.close()
        small = PREFIXES + SMALL.replace("PERSON", person)
        load_at_start = os.getloadavg()[0]
        servers = [(spacegraph_server(args.data, store, args.workers, scratch / "gunicorn.log"), True),
                   (rdflib_server(args.data, scratch / "rdflib.log"), False),
                   (floor_server(args.workers, scratch / "floor.log"), False)]  # fmt: skip
        if importlib.util.find_spec("granian") is not None:
            servers.insert(
                1, (granian_server(args.data, store, args.workers, args.threads, scratch / "granian.log"), True)
            )
        running: list[tuple[Server, HttpEndpoint]] = []
        try:
            for server, spacegraph in servers:  # all at once: the runs take turns (see ``rounds``)
                running.append((server, start(server, small, args, spacegraph)))
            results = rounds(running, small, args)
        finally:
            for server, endpoint in running:
                endpoint.close()
                server.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {"date": time.strftime("%Y-%m-%d"), "label": args.label, "data": str(args.data), "clients": args.clients,
              "seconds": args.seconds, "rounds": args.rounds, "workers": args.workers, "threads": args.threads, "machine": machine(),
              "load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)], "servers": results}  # fmt: skip
    rdflib = {(r["clients"], r["unique_texts"]): r["requests_per_second"]
              for r in results["rdflib-endpoint"]["throughputs"]}  # fmt: skip
    for name, measured in results.items():
        for r in measured["throughputs"]:
            kind = "uncached" if r["unique_texts"] else "cached"
            like = rdflib.get((r["clients"], r["unique_texts"]))
            best = rdflib[r["clients"], False]
            print(f"{name:16} {r['clients']:>3} clients {kind:9} {r['requests_per_second']:>8,.0f} req/s  "
                  f"({r['requests_per_second'] / like:.2f}x rdflib-endpoint {kind}, " if like else "(",
                  f"{r['requests_per_second'] / best:.2f}x its same text)  median {r['median_ms']} ms  "
                  f"p99 {r['p99_ms']} ms  errors {r['errors']}", sep="")  # fmt: skip
    if not args.no_write:
        stem = f"servers-{result['date']}-{args.label}"
        print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
