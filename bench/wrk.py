"""The load generator of the small-query benchmarks: wrk (Debian's package `wrk`, written in C), not Python threads.

A client in Python shares the two cores and its interpreter's lock with the servers it measures: on this machine it
tops out near 4,000 requests/s, so the faster servers all looked alike (bench/README.md, issue 19). wrk keeps C
connections on an event loop; each connection is kept alive and has one request in flight at a time, so C
connections are C concurrent clients. The script `wrk.lua` sends the query (the same text, or with ``unique`` a new
text every request) and reports the count, errors and latency percentiles as one JSON line.

    python bench/wrk.py PORT 'SELECT ?s WHERE { ?s ?p ?o } LIMIT 1' --clients 8 --seconds 5 --unique
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

SCRIPT = Path(__file__).resolve().with_name("wrk.lua")
INSTALL = "install it with `make bench-tools` (Debian's package wrk: apt-get install wrk)"


def wrk_command() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(f"bench: the load generator wrk is not installed: {INSTALL}")
    return found


def throughput(port: int, query: str, clients: int, seconds: float, unique: bool = False, path: str = "/sparql",
               threads: int = 2) -> dict:  # fmt: skip
    """Requests per second of GET ``path``?query=``query`` from ``clients`` kept-alive connections for ``seconds``,
    with the median, 90th and 99th percentile latency in milliseconds and the errors (any answer but 2xx or 3xx,
    and socket errors)."""
    target = path + "?" + urllib.parse.urlencode({"query": query})
    env = {**os.environ, "WRK_PATH": target, "UNIQUE": "1" if unique else "0", "RUN_ID": str(time.time_ns())}
    command = [wrk_command(), f"-t{min(threads, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
               "--timeout", "60s", "-s", str(SCRIPT), f"http://127.0.0.1:{port}"]  # fmt: skip
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
    report = json.loads(lines[-1])
    elapsed = report["microseconds"] / 1e6
    errors = sum(report[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "clients": clients,
        "unique_texts": unique,
        "generator": "wrk",
        "seconds": round(elapsed, 2),
        "requests": report["requests"],
        "errors": errors,
        "requests_per_second": round(report["requests"] / elapsed, 1),
        "median_ms": round(report["p50_us"] / 1000, 2),
        "p90_ms": round(report["p90_us"] / 1000, 2),
        "p99_ms": round(report["p99_us"] / 1000, 2),
        "max_ms": round(report["max_us"] / 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/wrk.py", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.rsplit("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("port", type=int, help="the endpoint's port on 127.0.0.1")
    parser.add_argument("query", help="the SPARQL query")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--seconds", type=float, default=5, help="seconds of the run (default 5)")
    parser.add_argument("--unique", action="store_true", help="a new text every request (nothing from a cache)")
    args = parser.parse_args(argv)
    print(json.dumps(throughput(args.port, args.query, args.clients, args.seconds, args.unique)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
