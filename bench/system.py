"""The whole system against its peers, in one run: the embedded store, Virtuoso, rdflib-endpoint and pyoxigraph in
process, on the same synthetic data at each size, with the same queries.

For each size (default 10^4, 10^5, 10^6 triples) and each system:

* **load**: embedded: ``spacegraph build`` (read, load, validate, publish); Virtuoso: ``spacegraph --store URL
  build`` (validate here, then write each graph in one request); rdflib-endpoint: from start to its first answer
  (it parses the files); pyoxigraph: parse the files into an in-memory store.
* **full validation**: the compiled shapes over the whole store (embedded: on a clone of the published generation;
  Virtuoso: on the server; pyoxigraph: the in-memory store); rdflib: pySHACL over an rdflib Dataset
  (``bench/baseline.py``), the reference implementation.
* **incremental validation**: one source graph validated in the context of the store, as an ingest does it.
* **query mix**: the three queries of ``bench/sparql.py`` (tuned mix), medians; over HTTP for the servers (the
  embedded store through ``spacegraph serve``, once its query processes answer from their copies in memory;
  Virtuoso through its own /sparql), in process for pyoxigraph.
* **analysis**: building the projections (every role record read, the networks built) from the store.
* **throughput**: the small query from 8 concurrent HTTP clients for 10 s.

Prints a table of medians and ratios against the embedded store, with the machine, and writes
``results/system-DATE.json``.

Example:

    .venv/bin/pip install -e '.[bench]'                  # rdflib-endpoint, uvicorn (pinned)
    .venv/bin/python bench/system.py --sizes 10000 --repeat 3        # a couple of minutes
    .venv/bin/python bench/system.py                                  # 10^4, 10^5 and 10^6: about 40 minutes
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import sparql as web  # noqa: E402  (bench/sparql.py: the mix, the servers, latency and throughput)
from run import ensure_data, machine, write_results  # noqa: E402

SYSTEMS = ["embedded", "virtuoso", "rdflib-endpoint", "pyoxigraph"]
PHASES = ["load", "full validation", "incremental validation", "(a) co-speakers", "(c) topics by country",
          "(b) co-speaker pairs", "analysis", "throughput"]  # fmt: skip


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def spacegraph(*args: str, env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "spacegraph", *args], check=True, cwd=ROOT, capture_output=True,
                   text=True, env={**os.environ, **(env or {})})  # fmt: skip
    return time.perf_counter() - started


def _failure(error: Exception) -> str:
    """What went wrong, in a line or two (a failed command's last error line)."""
    if isinstance(error, subprocess.CalledProcessError):
        lines = [line for line in (error.stderr or "").splitlines() if line.startswith("Error")]
        return f"{' '.join(map(str, error.cmd[3:]))} exited {error.returncode}: {(lines or ['?'])[-1][:300]}"
    return f"{type(error).__name__}: {str(error)[:300]}"


def mix_of(person: str) -> dict[str, str]:
    return {name: web.PREFIXES + q.replace("PERSON", person) for name, q in web.MIXES["tuned"].items()}


def one_graph(data: Path):
    """The quads and IRI of the largest source graph under data/graphs, for incremental validation."""
    from spacegraph.datafiles import read_data_file

    path = max((data / "graphs").glob("*.trig"), key=lambda p: p.stat().st_size)
    file = read_data_file(path)
    return file.quads, file.graph, str(path)


def validations(store, data: Path) -> dict:
    """Full and incremental validation on ``store`` (writable: the full one adds and removes its markers)."""
    from spacegraph.datafiles import data_files, read_data_file
    from spacegraph.settings import load_settings
    from spacegraph.validation import validate_in_context, validate_store

    shapes = load_settings().shapes_path
    graph_files = {read_data_file(path).graph.value: str(path) for path in data_files(data)}
    full, report = timed(lambda: validate_store(store, graph_files, shapes))
    quads, graph, label = one_graph(data)
    incremental, small = timed(lambda: validate_in_context(store, quads, graph, label, shapes))
    return {"full validation": round(full, 3), "incremental validation": round(incremental, 3),
            "conforms": report.conforms and small.conforms}  # fmt: skip


def analysis(store) -> float:
    from spacegraph.analysis.cache import build_projections

    seconds, _ = timed(lambda: build_projections(store))
    return round(seconds, 3)


def http_phases(endpoint, person: str, args) -> dict:
    out = {}
    mix = web.run_mix(endpoint, mix_of(person), args.repeat, args.timeout, None)
    for name, result in mix.items():
        out[web.LABELS[name]] = result["median_seconds"] if not result["timed_out"] else f"> {args.timeout:g}"
    small = web.PREFIXES + web.SMALL.replace("PERSON", person)
    web.warm_workers(endpoint, small, args.clients)
    out["throughput"] = web.throughput(endpoint, small, args.clients, args.seconds)["requests_per_second"]
    out["answers"] = {name: r.get("answer") for name, r in mix.items()}
    return out


def measure(size: int, args, scratch: Path) -> dict:
    from spacegraph.store.oxigraph import OxigraphStore, clone_generation, discard, generation_of
    from spacegraph.store.sparql import SparqlStore

    data, _ = ensure_data(size, args.seed, False)
    print(f"\n== {size:,} triples: {data}", file=sys.stderr)
    results: dict[str, dict] = {s: {} for s in args.systems}
    store_dir = scratch / f"store-{size}"
    # -- embedded
    results["embedded"]["load"] = round(spacegraph("--data", str(data), "--store", str(store_dir), "build"), 3)
    generation = generation_of(store_dir)
    with OxigraphStore(generation, read_only=True) as live:
        person = next(iter(live.query(web.PREFIXES + web.TOP_PERSON)))["person"].value
    clone = clone_generation(store_dir)
    with OxigraphStore(clone) as copy:
        results["embedded"].update(validations(copy, data))
    discard(clone)
    with OxigraphStore(generation, read_only=True) as live:
        results["embedded"]["analysis"] = analysis(live)
    if "embedded" in args.systems:
        server = web.spacegraph_server(data, store_dir, args.workers, scratch / "spacegraph.log")
        server.start(120)
        try:
            endpoint = web.HttpEndpoint("embedded", server.port)
            small = web.PREFIXES + web.SMALL.replace("PERSON", person)
            web.warm_workers(endpoint, small, args.clients)  # every worker's query process starts its copy
            results["embedded"]["copies_in_memory_seconds"] = round(
                web.wait_for_copies(endpoint, small, args.clients, 900), 2
            )
            results["embedded"].update(http_phases(endpoint, person, args))
        finally:
            server.stop()
    # -- pyoxigraph in process
    if "pyoxigraph" in args.systems:
        from spacegraph.datafiles import data_files, read_data
        from spacegraph.settings import load_settings
        from spacegraph.validation import load_for_validation

        def load_memory():
            return load_for_validation(read_data(data_files(data)), load_settings().ontology_path)

        seconds, memory = timed(load_memory)
        results["pyoxigraph"]["load"] = round(seconds, 3)
        results["pyoxigraph"].update(validations(memory, data))
        results["pyoxigraph"]["analysis"] = analysis(memory)
        in_process = web.InProcess(generation)
        mix = web.run_mix(in_process, mix_of(person), args.repeat, args.timeout, None)
        for name, result in mix.items():
            results["pyoxigraph"][web.LABELS[name]] = result["median_seconds"]
        results["pyoxigraph"]["answers"] = {name: r.get("answer") for name, r in mix.items()}
        in_process.close()
    # -- Virtuoso
    if "virtuoso" in args.systems:
        from tests.virtuoso import start_virtuoso

        directory = scratch / f"virtuoso-{size}"
        directory.mkdir()
        process, server = start_virtuoso(directory)
        try:
            env = {"SPACEGRAPH_STORE_UPDATE": server.update_url, "SPACEGRAPH_STORE_GRAPH_STORE": server.graph_store_url,
                   "SPACEGRAPH_STORE_USER": server.user, "SPACEGRAPH_STORE_PASSWORD": server.password}  # fmt: skip
            results["virtuoso"]["load"] = round(spacegraph("--data", str(data), "--store", server.query_url,
                                                           "build", env=env), 3)  # fmt: skip
            remote = SparqlStore(server.query_url, server.update_url, server.graph_store_url, server.user,
                                 server.password)  # fmt: skip
            results["virtuoso"].update(validations(remote, data))
            results["virtuoso"]["analysis"] = analysis(remote)
            port = int(server.url.rsplit(":", 1)[1])
            results["virtuoso"].update(http_phases(web.HttpEndpoint("virtuoso", port), person, args))
        except Exception as error:  # noqa: BLE001 - recorded with the results: the other systems still count
            results["virtuoso"]["error"] = _failure(error)
            print(f"  ! virtuoso failed: {results['virtuoso']['error']}", file=sys.stderr)
        finally:
            process.terminate()
            process.wait(60)
    # -- rdflib-endpoint (and rdflib + pySHACL for validation)
    if "rdflib-endpoint" in args.systems:
        server = web.rdflib_server(data, scratch / "rdflib.log")
        try:
            results["rdflib-endpoint"]["load"] = round(server.start(args.load_timeout), 3)
            results["rdflib-endpoint"].update(http_phases(web.HttpEndpoint("rdflib-endpoint", server.port), person,
                                                          args))  # fmt: skip
        finally:
            server.stop()
        try:
            baseline = subprocess.run([sys.executable, str(BENCH / "baseline.py"), str(data)], cwd=ROOT,
                                      capture_output=True, text=True, timeout=args.validation_timeout)  # fmt: skip
            results["rdflib-endpoint"]["full validation"] = _baseline_seconds(baseline.stdout)
        except subprocess.TimeoutExpired:
            results["rdflib-endpoint"]["full validation"] = f"> {args.validation_timeout:g}"
    agree = {}
    for name in web.RUN_ORDER:
        fingerprints = {s: (r.get("answers") or {}).get(name, {}) for s, r in results.items() if r.get("answers")}
        agree[name] = len({f.get("sha256") for f in fingerprints.values() if f}) <= 1
        if not agree[name]:
            print(f"  ! the systems' answers to {name} differ: {fingerprints}", file=sys.stderr)
    return {"size": size, "data": str(data), "person": person, "answers_agree": agree, "systems": results}


def _baseline_seconds(stdout: str) -> float | None:
    """The validation time baseline.py prints (its JSON line's validate_seconds)."""
    import json

    for line in reversed(stdout.splitlines()):
        try:
            return round(json.loads(line)["validate_seconds"], 3)
        except (ValueError, KeyError, TypeError):
            continue
    return None


def table(sizes: list[dict], info: dict) -> str:
    from tabulate import tabulate

    rows = []
    for entry in sizes:
        base = entry["systems"].get("embedded", {})
        for system, figures in entry["systems"].items():
            row = [f"{entry['size']:,}", system]
            for phase in PHASES:
                value = figures.get(phase)
                cell = "" if value is None else (f"{value:g}" if isinstance(value, float | int) else str(value))
                reference = base.get(phase)
                if system != "embedded" and isinstance(value, float | int) and isinstance(reference, float | int) \
                        and reference and value:  # fmt: skip
                    ratio = value / reference if phase != "throughput" else reference / value
                    cell += f" ({ratio:.1f}x)"
                row.append(cell)
            rows.append(row)
    header = ["triples", "system", *[p + (" req/s" if p == "throughput" else " s") for p in PHASES]]
    failures = [f"{e['size']:,} {system}: {figures['error']}" for e in sizes
                for system, figures in e["systems"].items() if figures.get("error")]  # fmt: skip
    note = (f"{info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB; in brackets: time against the embedded "
            "store (above 1: slower; for throughput, the embedded store's rate over this one's)")  # fmt: skip
    return "\n".join([tabulate(rows, header), note, *(f"failed: {f}" for f in failures)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("Example:")[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--sizes", default="10000,100000,1000000", help="triples, comma-separated")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"any of {', '.join(SYSTEMS)}")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a query may take (default 300)")
    parser.add_argument("--load-timeout", type=float, default=1800, help="seconds rdflib-endpoint may take to load")
    parser.add_argument("--validation-timeout", type=float, default=1800, help="seconds pySHACL may take")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for throughput (default 8)")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of throughput measurement (default 10)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers of spacegraph serve (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="print only; write no results file")
    args = parser.parse_args(argv)
    args.systems = [s for s in args.systems.split(",") if s]
    unknown = set(args.systems) - set(SYSTEMS)
    if unknown or "embedded" not in args.systems:
        parser.error(f"systems are {', '.join(SYSTEMS)}, and the embedded store is always measured (the baseline)")
    if "virtuoso" in args.systems and shutil.which("virtuoso-t") is None:
        parser.error("virtuoso-t is not installed: apt-get install virtuoso-opensource-7-bin (or make system-packages)")
    info = machine()
    scratch = Path(tempfile.mkdtemp(prefix="spacegraph-system-"))
    sizes: list[dict] = []
    result = {"date": datetime.date.today().isoformat(), "machine": info, "repeat": args.repeat,
              "clients": args.clients, "sizes": sizes}  # fmt: skip
    try:
        for size in args.sizes.split(","):
            sizes.append(measure(int(size), args, scratch))
            print(table(sizes[-1:], info), file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if sizes:
            print(table(sizes, info))
            if not args.no_write:  # what was measured is kept, even when a later size failed
                stem = f"system-{result['date']}"
                print(f"written: {write_results(result, stem=stem)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
