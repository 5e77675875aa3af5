"""How long a freshly started `spacegraph serve` takes to answer its first request for each page kind (issue 17).

At 10^6 quads the first request a new gunicorn worker got for /network, /api/network or an analysis page read the
projections file (121 MB) and built the catalogue on the request path: 38-55 s, near gunicorn's 60 s timeout. The files kept
per data version (the projections, and with this change the catalogue) are written first, once, as after any commit
the first worker writes them for the others. For each path the script starts a new server (``--workers``), requests the path as soon as the port accepts a connection,
and reports the seconds from starting the server to the answer, the status, and whether gunicorn restarted a worker
(a "Booting worker" line more than the number of workers). Then, with all paths answered, the server's memory: the
proportional set size (PSS: pages shared between the workers counted once) summed over its processes.

``--before SRC`` measures another source tree too (e.g. the commit before this change, exported with
``git archive COMMIT src ontology | tar -x -C SRC``), in the same invocation, so that the two are compared on the
same machine at the same time. Results go to ``results/first-request-DATE-LABEL.json``.

``--memory-experiment`` answers whether loading in gunicorn's master before the fork (``preload_app``) would save
memory with 2 workers: the projections loaded in each of two forked children, against loaded once in the parent
(``gc.freeze()`` before the fork, as gunicorn's documentation advises) and shared by two children; each child then
reads every node, tie and appearance once, as the pages' warm-up does; the PSS of the processes summed.

Example:

    .venv/bin/python bench/first_request.py --data bench/out/data-1000000-seed1 \
        --store bench/out/stores/web-1000000/store --before /tmp/before --label 1000000
"""

from __future__ import annotations

import argparse
import datetime
import glob
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import machine, write_results  # noqa: E402
from sparql import free_port  # noqa: E402

PATHS = ["/", "/network", "/api/network", "/analysis/rank"]


def start(data: Path, store: Path, workers: int, log: Path, src: Path | None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve() / "src")
    command = [sys.executable, "-m", "spacegraph", "--data", str(data), "--store", str(store), "serve",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                               start_new_session=True)  # fmt: skip
    return process, port


def first_answer(port: int, path: str, started: float, timeout: float) -> dict:
    """Request ``path`` once the port accepts; the seconds from ``started`` to the whole answer, and its status."""
    while time.perf_counter() - started < timeout:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
        except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
            time.sleep(0.05)
            continue
        except TimeoutError:
            break
        finally:
            connection.close()
        return {"seconds": round(time.perf_counter() - started, 2), "status": response.status, "bytes": len(body),
                "retry_after": response.getheader("Retry-After")}  # fmt: skip
    return {"seconds": None, "status": f"no answer within {timeout:g} s"}


def pss_mb(session: int) -> dict:
    """PSS and RSS summed over the processes of a session (the server, its workers and their query processes)."""
    pss = rss = processes = 0
    for rollup in glob.glob("/proc/[0-9]*/smaps_rollup"):
        pid = int(rollup.split("/")[2])
        try:
            if os.getsid(pid) != session:
                continue
            text = Path(rollup).read_text()
        except OSError:
            continue
        processes += 1
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name == "Pss":
                pss += int(value.split()[0])
            elif name == "Rss":
                rss += int(value.split()[0])
    return {"processes": processes, "pss_mb": round(pss / 1024), "rss_mb": round(rss / 1024)}


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def measure(args: argparse.Namespace, src: Path | None, name: str) -> dict:
    log = args.log_dir / f"first-request-{name}.log"
    log.unlink(missing_ok=True)
    result: dict = {"src": str(src) if src else "working tree", "paths": {}}
    for path in args.paths:
        started = time.perf_counter()
        process, port = start(args.data, args.store, args.workers, log, src)
        try:
            answer = first_answer(port, path, started, args.timeout)
        finally:
            stop(process)
        boots = log.read_text(errors="replace").count("Booting worker")
        answer["workers_booted_so_far"] = boots
        result["paths"][path] = answer
        print(f"{name:>8} {path:<16} {answer}", file=sys.stderr)
    started = time.perf_counter()
    process, port = start(args.data, args.store, args.workers, log, src)
    try:  # all paths on one server, then its memory once the loading is surely over
        result["one_server"] = {path: first_answer(port, path, started, args.timeout) for path in args.paths}
        time.sleep(args.settle)
        result["memory"] = pss_mb(process.pid)
    finally:
        stop(process)
    print(f"{name:>8} one server: {result['one_server']}\n{name:>8} memory: {result['memory']}", file=sys.stderr)
    return result


def prepare(data: Path, store: Path) -> float:
    """The files kept beside the store's version written, if they were not (seconds)."""
    from spacegraph.library import Spacegraph
    from spacegraph.settings import load_settings

    started = time.perf_counter()
    Spacegraph(load_settings(data=data, store=store)).warm()
    return round(time.perf_counter() - started, 1)


def memory_experiment(data: Path, store: Path, workers: int) -> dict:
    import gc

    from spacegraph.library import Spacegraph
    from spacegraph.settings import load_settings

    settings = load_settings(data=data, store=store)

    def load():
        return Spacegraph(settings).projections()

    def touch(projections) -> int:
        seen = sum(1 for _ in projections.appearances)
        for graph in (projections.people, projections.organisations, projections.person_event):
            seen += sum(len(d) for _, d in graph.nodes(data=True)) + sum(len(d) for *_, d in graph.edges(data=True))
        return seen

    def children(shared) -> dict:
        pids, reads = [], []
        for _ in range(workers):
            ready, done = os.pipe()
            pid = os.fork()
            if pid == 0:
                touch(shared if shared is not None else load())
                os.write(done, b"x")
                time.sleep(3600)
                os._exit(0)
            pids.append(pid)
            reads.append(ready)
        for ready in reads:
            os.read(ready, 1)
        pss = sum(_pss_kb(pid) for pid in pids) + (_pss_kb(os.getpid()) if shared is not None else 0)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        return {"pss_mb": round(pss / 1024)}

    result = {"per_worker": children(None)}
    shared = load()
    gc.freeze()
    result["preloaded"] = children(shared)
    return result


def _pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the data directory the store was built from")
    parser.add_argument("--store", type=Path, required=True, help="a built store (its projections file beside it)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--paths", type=lambda s: s.split(","), default=PATHS, help="comma-separated")
    parser.add_argument("--before", type=Path, help="another source tree to measure first (its src/ is used)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for one answer")
    parser.add_argument("--settle", type=float, default=20, help="seconds after the answers before the memory")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--label", default="")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--memory-experiment", action="store_true", help="only the preload experiment (see above)")
    args = parser.parse_args()
    if args.memory_experiment:
        result = {"date": datetime.date.today().isoformat(), "label": args.label, "workers": args.workers,
                  "machine": machine(), "memory": memory_experiment(args.data, args.store, args.workers)}  # fmt: skip
        print(json.dumps(result["memory"]))
        if not args.no_write:
            write_results(result, f"first-request-memory-{result['date']}-{args.label or 'run'}")
        return
    results: dict = {"date": datetime.date.today().isoformat(), "label": args.label, "workers": args.workers,
                     "data": str(args.data), "machine": machine(), "load_start": os.getloadavg()}  # fmt: skip
    results["prepare_s"] = prepare(args.data, args.store)
    if args.before:
        results["before"] = measure(args, args.before, "before")
    results["after"] = measure(args, None, "after")
    results["load_end"] = os.getloadavg()
    if not args.no_write:
        write_results(results, f"first-request-{results['date']}-{args.label or 'run'}")


if __name__ == "__main__":
    main()
