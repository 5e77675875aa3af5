"""Benchmark: reading hostile event pages of 10 kB, 100 kB and 1 MB (issue 13): the work must grow linearly.

Usage:
    .venv/bin/python bench/ingest_hostile.py                      # every page kind at 10 kB, 100 kB and 1 MB
    .venv/bin/python bench/ingest_hostile.py --sizes 10000,100000 --kinds one-long-bullet --timeout 120
    .venv/bin/python bench/ingest_hostile.py --spacegraph-src /tmp/old/src --sizes 10000 --no-write   # another src/

Builds a store from data/ in a scratch directory, writes each page, then reads it in a process of its own, as
`spacegraph ingest` does: ``parse_page`` against the organisations the store knows, then ``plan_page`` (resolving
every participant against the store and building the page's graph). The child reports both times and its peak
memory (VmHWM of /proc/self/status: ``ru_maxrss`` would count the parent's memory it was forked from); the parent
reports its wall time, Python start-up and imports included, and kills it at --timeout. Validation and the TriG
text of the page's graph are not measured here (see bench/README.md, "Hostile pages").
Results go to bench/results/ingest-hostile-DATE.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAD = "Hostile Workshop\nWhen: September 19, 2020\nWhere: Fuzhou, China\n"
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "ha"]


def _word(i: int, k: int) -> str:
    return "".join(SYLLABLES[i // 10**j % 10] for j in range(k)).capitalize()


def one_long_bullet(size: int) -> str:
    """The audit's page: one bullet of "Alice Smith, " repeated (13 kB did not finish in 120 s before)."""
    return HEAD + "- " + "Alice Smith, " * ((size - len(HEAD)) // 13) + "\n"


def entries_under_the_limit(size: int) -> str:
    """Participant entries just under the entry limit, of ever new words: every stretch is a candidate name."""
    lines, n = [HEAD], 0
    while sum(map(len, lines)) < size:
        words = " ".join(f"Wq{n}x{k}" for k in range(40))
        lines.append(f"- Alice Smith, {words}, Secure World Foundation {words}\n")
        n += 1
    return "".join(lines)


def sentences_under_the_limit(size: int) -> str:
    """Prose sentences just under the sentence limit, full of the cues the prose patterns look for."""
    lines = [HEAD]
    while sum(map(len, lines)) < size:
        lines.append("The event was prerecorded " + "and all " * 600 + ".\n")
        lines.append("It was opened by " + "Alice Smith and " * 300 + "Bob Jones.\n")
        lines.append("Speakers: " + "; ".join("Carol Wu, Director" for _ in range(240)) + "\n")
    return "".join(lines)


def mixed(size: int) -> str:
    """Everything at once: the page of tests/hostile/test_bounded_work.py."""
    sys.path.insert(0, str(ROOT / "tests" / "hostile"))
    from test_bounded_work import _hostile_page

    return _hostile_page(size)


def many_speakers(size: int) -> str:
    """A well-formed page with one bullet per speaker, each a new person (about 20,000 at 1 MB)."""
    lines = [HEAD, "Speakers:\n"]
    i = 0
    while sum(map(len, lines)) < size:
        lines.append(f"- {_word(i, 4)} {_word(i // 7 + 11, 4)}, Director, Secure World Foundation\n")
        i += 1
    return "".join(lines)


KINDS: dict[str, Callable[[int], str]] = {
    "one-long-bullet": one_long_bullet,
    "entries-under-the-limit": entries_under_the_limit,
    "sentences-under-the-limit": sentences_under_the_limit,
    "mixed": mixed,
    "many-speakers": many_speakers,
}

CHILD = """
import json, re, sys, time
from pathlib import Path
from spacegraph.ingest.documents import read_document
from spacegraph.ingest.page_records import KnownEntities, PageResolver, plan_page
from spacegraph.ingest.pages import parse_page
from spacegraph.ingest.to_rdf import Provenance
from spacegraph.iris import Minter
from spacegraph.settings import load_settings
from spacegraph.store.open import open_store

settings = load_settings(data=Path(sys.argv[1]), store=Path(sys.argv[2]))
store = open_store(settings)
minter = Minter(settings.base)
known = KnownEntities.from_store(store)
resolver = PageResolver(known, minter)
document = read_document(Path(sys.argv[3]))
started = time.perf_counter()
parsed = parse_page(document, resolver.is_known_organisation)
parsed_at = time.perf_counter()
prov = Provenance(minter.agent("bench"), "bench", "2026-01-01T00:00:00Z")
plan = plan_page(parsed, resolver, known, minter, minter.graph("hostile"), "urn:x-hostile", None, prov,
                 "U.S.-China Space Commercialization Dialogue")
planned = time.perf_counter()
print(json.dumps({"parse_s": parsed_at - started, "plan_s": planned - parsed_at,
                  "participants": sum(len(e.participants) for e in parsed.events), "warnings": len(plan.warnings),
                  "peak_mb": int(re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text())[1]) / 1024}))
"""


def measure(
    data: Path, store: Path, page: Path, timeout: float, src: Path = ROOT / "src", code: str = CHILD, *extra: str
) -> dict:
    """Run ``code`` (CHILD by default) on the page in a process of its own, with ``src`` as spacegraph; its JSON
    answer, with the wall time, or the timeout or error."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(data), str(store), str(page), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return {"timeout_s": timeout}
    wall = time.perf_counter() - started
    if child.returncode != 0:
        return {"error": err.decode()[-500:]}
    result = json.loads(out)
    result["wall_s"] = wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="page sizes in characters")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"page kinds: {', '.join(KINDS)}")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a child is killed")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results/")
    parser.add_argument("--spacegraph-src", type=Path, default=ROOT / "src", help="read the pages with this src/")
    args = parser.parse_args()

    from spacegraph.build import build_store
    from spacegraph.settings import load_settings

    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="spacegraph-hostile-bench-"))
    rows = []
    try:
        shutil.copytree(ROOT / "data", work / "data")
        settings = load_settings(data=work / "data", store=work / "store")
        build_store(settings)
        for kind in args.kinds.split(","):
            for size in sizes:
                page = work / f"{kind}-{size}.txt"
                page.write_text(KINDS[kind](size), encoding="utf-8")
                result = measure(work / "data", work / "store", page, args.timeout, args.spacegraph_src)
                row = {"kind": kind, "bytes": page.stat().st_size, **result}
                rows.append(row)
                print(json.dumps(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not args.no_write:
        write_report("ingest-hostile", rows)


def write_report(name: str, rows: list[dict], **about: str) -> None:
    """bench/results/NAME-DATE.json: the rows, with the date, the machine and ``about``."""
    report = {
        "date": date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        **about,
        "rows": rows,
    }
    out = ROOT / "bench" / "results" / f"{name}-{report['date']}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
