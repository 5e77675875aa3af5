"""Ego networks and paths once the projections are cached, on a built store of the synthetic data.

Times ``questions.ego`` at radius 1 and 2 (the nearest 500 kept, the default) for the person with the most ties
and for 30 people spread over the ranking by ties (median), and ``shortest_paths`` between 30 pairs of them;
medians of repeated calls, in this process, after the projections are loaded from their cache.

Example:

    .venv/bin/python bench/ego.py bench/out/data-1000000-seed1 --store /tmp/s1m/store
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="example: " + __doc__.split(
        "Example:")[1].strip())  # fmt: skip
    parser.add_argument("data", type=Path, help="a data directory (bench/generate.py)")
    parser.add_argument("--store", type=Path, required=True, help="where the store is (built there if missing)")
    parser.add_argument("--repeat", type=int, default=5, help="calls per figure (default 5)")
    args = parser.parse_args(argv)
    if not args.store.exists():
        print(f"building {args.data} into {args.store} ...", file=sys.stderr)
        command = [sys.executable, "-m", "spacegraph", "--data", str(args.data), "--store", str(args.store), "build"]
        subprocess.run(command, check=True, capture_output=True)
    from spacegraph.analysis.questions import ego, shortest_paths
    from spacegraph.library import Spacegraph
    from spacegraph.settings import load_settings

    graph = Spacegraph(load_settings(store=str(args.store))).network("people")
    people = sorted(graph, key=lambda n: (-graph.degree(n), n))
    sample = people[:: max(1, len(people) // 30)][:30]
    print(f"{graph.number_of_nodes():,} people, {graph.number_of_edges():,} ties")
    for radius in (1, 2):
        top = median_ms(lambda r=radius: ego(graph, people[0], r), args.repeat)
        typical = statistics.median(median_ms(lambda p=p, r=radius: ego(graph, p, r), 3) for p in sample)
        print(f"ego radius {radius}: most ties {top:.1f} ms; median of {len(sample)} people {typical:.1f} ms")
    pairs = list(zip(sample, reversed(sample), strict=True))
    path = statistics.median(median_ms(lambda a=a, b=b: shortest_paths(graph, a, b), 3) for a, b in pairs)
    print(f"path: median of {len(pairs)} pairs {path:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
