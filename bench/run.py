#!/usr/bin/env python
"""Benchmark `spacegraph build` (Oxigraph + shapes compiled to SPARQL) against rdflib + pySHACL, in one run.

For each size: generate a synthetic data directory with bench/generate.py (cached under bench/out/), then
measure, each in a fresh child process of its own so that its peak memory is its own:

  build     `spacegraph --data DIR --store STORE build` into an empty store: read and parse every file, load
            the quads into a new on-disk Oxigraph store, validate against ontology/shapes.ttl (SPARQL engine),
            swap the store in. Wall time from process start to exit; the phases from its progress messages.
  baseline  `python bench/baseline.py DIR`: rdflib parse of the same files and the ontology into one in-memory
            Dataset, then one whole-graph pySHACL validation (inference none).

Peak memory is the child's maximum resident set size, from os.wait4 (the resource usage of that one child).
Prints a table with the machine, writes the results to bench/results/DATE-SIZE.json, and reports medians
when --repeat is above 1.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = BENCH / "results"
EXAMPLE = """\
examples:
  make bench                                              # 10^6 quads, once
  python bench/run.py --triples 100000 --repeat 3
  python bench/run.py --sizes 10000,100000,1000000 --baseline-timeout 3600
"""


@dataclass
class Measurement:
    """One child process: wall time, peak resident memory, exit status, and what it printed."""

    seconds: float
    max_rss_mb: float
    returncode: int | None
    timed_out: bool = False
    phases: dict[str, float] = field(default_factory=dict)
    detail: dict = field(default_factory=dict)
    load_before: float = 0.0
    load_after: float = 0.0


def measure(
    command: list[str], timeout: float | None, phase_marks: dict[str, str] | None = None, env: dict | None = None
) -> Measurement:
    """Run ``command`` as a child and measure it. ``phase_marks`` maps a phase name to the start of a stderr
    line that opens it: the phase lasts until the next mark, or the exit."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True, env=env
    )
    marks: list[tuple[str, float]] = [("startup", 0.0)]
    stderr_lines: list[str] = []
    stdout_chunks: list[str] = []

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            stderr_lines.append(line)
            for phase, prefix in (phase_marks or {}).items():
                if line.startswith(prefix):
                    marks.append((phase, time.perf_counter() - started))

    def read_stdout() -> None:
        assert process.stdout is not None
        stdout_chunks.append(process.stdout.read())

    readers = [threading.Thread(target=read_stderr), threading.Thread(target=read_stdout)]
    for reader in readers:
        reader.start()
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the child's own process group (start_new_session)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if timer:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    phases = {}
    bounds = [*marks, ("end", seconds)]
    for (phase, start), (_, end) in zip(bounds, bounds[1:], strict=False):
        phases[phase] = round(end - start, 3)
    stdout = "".join(stdout_chunks)
    result = Measurement(
        seconds=round(seconds, 3),
        max_rss_mb=round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
        returncode=process.returncode,
        timed_out=timed_out.is_set(),
        phases=phases,
        detail={"stdout": stdout.strip()[-2000:], "stderr": "".join(stderr_lines).strip()[-2000:]},
        load_before=round(load_before, 2),
        load_after=round(os.getloadavg()[0], 2),
    )
    return result


def ensure_data(triples: int, seed: int, regenerate: bool) -> tuple[Path, dict]:
    """The cached data directory for a size and seed, generated if missing or from another generator version."""
    sys.path.insert(0, str(BENCH))
    from generate import FACT_FILE, GENERATOR_VERSION

    data = OUT / f"data-{triples}-seed{seed}"
    facts_path = data / "sources" / FACT_FILE
    if not regenerate and facts_path.exists():
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        if facts.get("version") == GENERATOR_VERSION and facts.get("target") == triples and facts.get("seed") == seed:
            print(f"Using cached data {data.relative_to(ROOT)} ({facts['quads']:,} quads)", file=sys.stderr)
            return data, facts
    print(f"Generating {triples:,} quads into {data.relative_to(ROOT)} …", file=sys.stderr)
    command = [sys.executable, str(BENCH / "generate.py"), "--triples", str(triples), "--seed", str(seed)]
    subprocess.run([*command, "--out", str(data), "--force"], check=True, cwd=ROOT)
    return data, json.loads(facts_path.read_text(encoding="utf-8"))


def source_env(src: Path | None) -> dict | None:
    """The environment that runs spacegraph from the source tree ``src`` (its src/ and ontology/), or None."""
    if src is None:
        return None
    return {
        **os.environ,
        "PYTHONPATH": str(src.resolve() / "src"),
        "SPACEGRAPH_ONTOLOGY": str(src.resolve() / "ontology"),
    }


def run_build(data: Path, timeout: float | None, src: Path | None = None) -> Measurement:
    scratch = OUT / "stores" / data.name  # removed whole: whatever the store's layout (links, generations, locks)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    command = [sys.executable, "-m", "spacegraph", "--data", str(data), "--store", str(scratch / "store"), "build"]
    marks = {"read": "Reading ", "load": "Loading ", "validate": "Validating "}
    try:
        result = measure(command, timeout, marks, source_env(src))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode == 0:
        match = re.search(r"([\d,]+) quads", result.detail["stdout"])
        result.detail = {"quads": int(match.group(1).replace(",", "")) if match else None}
    return result


def fresh_store(data: Path, scratch: Path) -> tuple[Path, float]:
    """``data`` built into a new store in the emptied directory ``scratch``: the store, and the build's seconds."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    print(f"[{data.name}] building the store in {scratch} …", file=sys.stderr)
    return scratch / "store", build_store(data, scratch / "store")


def build_store(data: Path, store: Path) -> float:
    """Build ``data`` into the store ``store`` (`spacegraph build`, a child process) and keep it; the seconds."""
    began = time.perf_counter()
    build = subprocess.run([sys.executable, "-m", "spacegraph", "--data", str(data), "--store", str(store), "build"],
                           cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    if build.returncode != 0:
        raise SystemExit(f"build failed:\n{build.stderr}\n{build.stdout}")
    return time.perf_counter() - began


def run_baseline(data: Path, timeout: float | None, src: Path | None = None) -> Measurement:
    result = measure([sys.executable, str(BENCH / "baseline.py"), str(data)], timeout, env=source_env(src))
    if result.returncode in (0, 1) and not result.timed_out:
        try:
            result.detail = json.loads(result.detail["stdout"].splitlines()[-1])
            result.phases = {
                "startup": result.detail["import_seconds"],
                "parse": result.detail["parse_seconds"],
                "validate": result.detail["validate_seconds"],
            }
        except (ValueError, IndexError, KeyError):
            pass
    return result


def machine(src: Path | None = None) -> dict:
    """The machine and the software measured: CPU, cores, RAM, Python, library versions, spacegraph's source."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        match = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        ram_gb = round(int(match.group(1)) / 1024**2, 1) if match else None
    except OSError:
        pass
    versions = {}
    for package in ("spacegraph", "pyoxigraph", "rdflib", "pyshacl", "owlrl"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
    }
    if src is not None:
        return {**info, "spacegraph_source": str(src.resolve())}
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    status = subprocess.run([*git, "status", "--porcelain", "src", "ontology"], capture_output=True, text=True).stdout
    modified = [line[3:] for line in status.splitlines()]
    return {**info, "git_commit": commit + (" (src/ or ontology/ modified)" if modified else ""), "modified": modified}


def result_head(size: int, facts: dict, info: dict, seed: int, label: str | None, **kind) -> dict:
    """The first keys of every results file: when, what was measured (``kind``: the benchmark, …), on what data."""
    return {
        "date": datetime.date.today().isoformat(),
        "label": label or info.get("git_commit", "").replace(" (src/ or ontology/ modified)", "-modified"),
        **kind,
        "target_triples": size,
        "quads": facts["quads"],
        "files": facts["files"],
        "seed": seed,
        "data": {k: facts[k] for k in ("editions", "series", "people", "organisations", "topics") if k in facts},
        "machine": info,
    }


def each_size(sizes: list[int], measure_size, info: dict, write=None) -> list[dict]:
    """``measure_size(size)`` for each size, each result written at once (``write(result) -> path``) and marked
    with the source tree at its end, with a warning when that changed during the run (the children run the tree as
    it is when they start, so the figures may mix versions)."""
    began = time.perf_counter()
    results = []
    for size in sizes:
        result = measure_size(size)
        now = machine()
        result["source_at_end"] = {"git_commit": now.get("git_commit"), "modified": now.get("modified")}
        if (now.get("git_commit"), now.get("modified")) != (info.get("git_commit"), info.get("modified")):
            print(f"Warning: the source tree changed during the run ({info.get('git_commit')} -> "
                  f"{now.get('git_commit')}): the figures may mix versions", file=sys.stderr)  # fmt: skip
        results.append(result)
        if write is not None:
            print(f"Wrote {write(result).relative_to(ROOT)}", file=sys.stderr)
    print(f"Total: {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return results


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def summarise(runs: list[Measurement]) -> dict:
    ok = [r for r in runs if r.returncode == 0 and not r.timed_out]
    phases = list(dict.fromkeys(p for r in ok for p in r.phases))  # in the order they happen
    return {
        "runs": len(runs),
        "succeeded": len(ok),
        "timed_out": any(r.timed_out for r in runs),
        "seconds": median([r.seconds for r in ok]),
        "max_rss_mb": median([r.max_rss_mb for r in ok]),
        "phases": {p: median([r.phases[p] for r in ok if p in r.phases]) for p in phases},
    }


def write_results(result: dict, stem: str | None = None) -> Path:
    """Write ``result`` to results/STEM.json (STEM-2.json, … when it exists); the default stem is DATE-SIZE-LABEL."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = stem or f"{result['date']}-{result['target_triples']}-{re.sub(r'[^A-Za-z0-9._-]+', '-', result['label'])}"
    path = RESULTS / f"{stem}.json"
    n = 2
    while path.exists():
        path = RESULTS / f"{stem}-{n}.json"
        n += 1
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path


def table(results: list[dict], info: dict) -> str:
    from tabulate import tabulate

    rows = []
    for r in results:
        build, base = r["build"], r["baseline"]
        if base is None:
            base_time, base_mem, ratio = "not run", "", ""
        elif base["timed_out"] and not base["succeeded"]:
            base_time, base_mem, ratio = (
                f"> {r['baseline_timeout']:.0f}",
                "",
                f"> {r['baseline_timeout'] / build['seconds']:.1f}",
            )
        else:
            base_time, base_mem = f"{base['seconds']:.1f}", f"{base['max_rss_mb']:.0f}"
            ratio = f"{base['seconds'] / build['seconds']:.1f}" if build["seconds"] and base["seconds"] else ""
        phases = ", ".join(f"{p} {v:.1f}" for p, v in build["phases"].items())
        rows.append([f"{r['quads']:,}", f"{r['files']:,}", f"{build['seconds']:.1f}", f"{build['max_rss_mb']:.0f}",
                     base_time, base_mem, ratio, phases])  # fmt: skip
    head = ["quads", "files", "build s", "build MB", "baseline s", "baseline MB", "baseline/build", "build phases (s)"]
    return describe(info) + "\n" + tabulate(rows, head, disable_numparse=True)


def describe(info: dict) -> str:
    """Two lines: the machine, and the software measured (from ``machine()``)."""
    cpu = f"{info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, {info['os']}"
    libs = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    source = info.get("spacegraph_source") or f"commit {info['git_commit']}"
    return f"Machine: {cpu}\nPython {info['python']}; {libs}; spacegraph from {source}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Time and peak memory of `spacegraph build` against rdflib + pySHACL on synthetic data.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--triples", type=int, default=1_000_000, help="size in quads (default 1000000)")
    parser.add_argument("--sizes", help="several sizes, comma-separated (e.g. 10000,100000,1000000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; medians are reported")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--baseline-timeout", type=float, default=1800, help="seconds (default 1800)")
    parser.add_argument("--build-timeout", type=float, default=3600, help="seconds (default 3600)")
    parser.add_argument("--no-baseline", action="store_true", help="measure the build only")
    parser.add_argument("--regenerate", action="store_true", help="generate the data even if cached")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/*.json")
    parser.add_argument("--label", help="names what was measured in the results file [default: the git commit]")
    parser.add_argument("--spacegraph-src", type=Path,
                        help="run the build (and take the baseline's shapes) from this source tree, its src/ and "
                        "ontology/ (e.g. another commit exported with git archive), not the installed spacegraph")  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else [args.triples]

    info = machine(args.spacegraph_src)
    results = []
    for size in sizes:
        data, facts = ensure_data(size, args.seed, args.regenerate)
        builds, baselines = [], []
        for i in range(args.repeat):
            print(f"[{size:,}] build, run {i + 1} of {args.repeat} …", file=sys.stderr)
            build = run_build(data, args.build_timeout, args.spacegraph_src)
            if build.returncode != 0:
                print(
                    f"build failed:\n{build.detail.get('stderr', '')}\n{build.detail.get('stdout', '')}",
                    file=sys.stderr,
                )
                return 1
            print(f"  {build.seconds:.1f} s, {build.max_rss_mb:.0f} MB", file=sys.stderr)
            builds.append(build)
        for i in range(0 if args.no_baseline else args.repeat):
            print(f"[{size:,}] baseline, run {i + 1} of {args.repeat} …", file=sys.stderr)
            baseline = run_baseline(data, args.baseline_timeout, args.spacegraph_src)
            baselines.append(baseline)
            if baseline.timed_out:
                print(f"  > {args.baseline_timeout:.0f} s (timed out; not run again)", file=sys.stderr)
                break
            if baseline.returncode != 0:
                print(f"baseline failed:\n{baseline.detail}", file=sys.stderr)
                return 1
            print(f"  {baseline.seconds:.1f} s, {baseline.max_rss_mb:.0f} MB", file=sys.stderr)
        build_summary = summarise(builds)
        base_summary = summarise(baselines) if baselines else None
        ratio = None
        if base_summary and base_summary["seconds"] and build_summary["seconds"]:
            ratio = round(base_summary["seconds"] / build_summary["seconds"], 2)
        label = args.label or (args.spacegraph_src.resolve().name if args.spacegraph_src else None)
        result = {
            **result_head(size, facts, info, args.seed, label),
            "repeat": args.repeat,
            "baseline_timeout": args.baseline_timeout,
            "build": build_summary,
            "baseline": base_summary,
            "ratio_time_baseline_over_build": ratio,
            "ratio_memory_baseline_over_build": round(base_summary["max_rss_mb"] / build_summary["max_rss_mb"], 2)
            if base_summary and base_summary["max_rss_mb"]
            else None,
            "runs": {"build": [asdict(b) for b in builds], "baseline": [asdict(b) for b in baselines]},
        }
        results.append(result)
        if not args.no_write:
            print(f"Wrote {write_results(result).relative_to(ROOT)}", file=sys.stderr)
    print(table(results, info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
