"""Benchmark: ingesting one page of N speakers, end to end (issue 13's leftover): the work must grow linearly.

Usage:
    .venv/bin/python bench/ingest_speakers.py --label after            # 1,000 and 10,000 speakers
    git archive cf54ecc src ontology | tar -x -C /tmp/before       # another version of src/ (with its ontology)
    .venv/bin/python bench/ingest_speakers.py --label before --spacegraph-src /tmp/before/src

Builds a store from data/ in a scratch directory, writes a page of N bullet lines "- Name, Organisation" (every
name new, the organisations cycling through a few known and new ones), and ingests it in a process of its own, as
`spacegraph ingest --yes` does: ``prepare_page`` (read, parse, resolve, the page's graph, its TriG text,
validation with the page's nodes as focus) then ``commit_page`` (data/ and a new store generation, journaled).
The child times the whole of each (and its CPU time, steadier on a busy machine), and the time spent in the functions that serialise the page's graph and
validate it (wrapped by name, as each version of the code names them). Results go to
bench/results/ingest-speakers-LABEL-DATE.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from ingest_hostile import measure, write_report

ROOT = Path(__file__).resolve().parents[1]
HEAD = "Speakers Workshop\nWhen: September 19, 2020\nWhere: Fuzhou, China\n\nSpeakers:\n"
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "ha"]
ORGANISATIONS = ["Secure World Foundation", "China Society of Astronautics", "Caelus Foundation",
                 "Orbital Lantern Works", "Kestrel Launch Services", "Harbin Stellar Institute"]  # fmt: skip


def _word(i: int, k: int) -> str:
    return "".join(SYLLABLES[i // 10**j % 10] for j in range(k)).capitalize()


def speakers_page(n: int) -> str:
    """A page of ``n`` bullets "- Given Family, Organisation", every person new."""
    lines = [HEAD]
    for i in range(n):
        lines.append(f"- {_word(i, 5)} {_word(i // 7 + 13, 5)}, {ORGANISATIONS[i % len(ORGANISATIONS)]}\n")
    return "".join(lines)


# The functions timed inside the child, by phase: module and name, in each version of the code that has them.
PHASES = {
    "serialise_s": [("spacegraph.ingest.ingest_page", "graph_to_trig"), ("spacegraph.ingest.ingest_page", "graph_quads"),
                    ("spacegraph.write.pipeline", "trig_text")],
    "validate_s": [("spacegraph.ingest.ingest_page", "validate_in_context"),
                   ("spacegraph.write.pipeline", "validate_in_context")],
}  # fmt: skip

CHILD = """
import importlib, json, sys, time
from pathlib import Path
from spacegraph.settings import load_settings
from spacegraph.ingest import ingest_page

phases = json.loads(sys.argv[4])
spent = {name: 0.0 for name in phases}
for name, places in phases.items():
    for module_name, function in places:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        original = getattr(module, function, None)
        if original is None:
            continue
        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_name] += time.perf_counter() - started
        setattr(module, function, timed)

settings = load_settings(data=Path(sys.argv[1]), store=Path(sys.argv[2]))
page = Path(sys.argv[3])
series = "U.S.-China Space Commercialization Dialogue"
started, cpu_started = time.perf_counter(), time.process_time()
try:
    from spacegraph.write import Writer
except ImportError:  # before the write path: the CLI took the lock, commit_page recovered and committed
    Writer = None
if Writer is not None:
    with Writer(settings) as writer:
        prepared = ingest_page.prepare_page(page, writer, series)
        prepared_at = time.perf_counter()
        ingest_page.commit_page(prepared, writer)
else:
    from spacegraph.store.open import open_store
    with open_store(settings) as store:
        prepared = ingest_page.prepare_page(page, settings, store, series)
    prepared_at = time.perf_counter()
    ingest_page.commit_page(prepared, settings)
done = time.perf_counter()
print(json.dumps({"prepare_s": prepared_at - started, "commit_s": done - prepared_at, "total_s": done - started,
                  "cpu_s": time.process_time() - cpu_started,
                  "quads": len(prepared.quads), "conforms": prepared.validation.conforms, **spent}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speakers", default="1000,10000", help="speakers per page, comma-separated")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a child is killed")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results/")
    parser.add_argument("--spacegraph-src", type=Path, default=ROOT / "src", help="ingest with this src/")
    parser.add_argument("--label", default="now", help="names the results file: ingest-speakers-LABEL-DATE.json")
    args = parser.parse_args()

    from spacegraph.build import build_store
    from spacegraph.settings import load_settings

    rows = []
    for n in (int(s) for s in args.speakers.split(",")):
        work = Path(tempfile.mkdtemp(prefix="spacegraph-speakers-bench-"))
        try:  # a fresh store for each page: each is the first ingest of its data version
            shutil.copytree(ROOT / "data", work / "data")
            build_store(load_settings(data=work / "data", store=work / "store"))
            page = work / f"speakers-{n}.txt"
            page.write_text(speakers_page(n), encoding="utf-8")
            result = measure(work / "data", work / "store", page, args.timeout, args.spacegraph_src, CHILD,
                             json.dumps(PHASES))  # fmt: skip
            row = {"speakers": n, "bytes": page.stat().st_size}
            row.update({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()})
            rows.append(row)
            print(json.dumps(row), flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if not args.no_write:
        write_report(f"ingest-speakers-{args.label}", rows, src=str(args.spacegraph_src))


if __name__ == "__main__":
    main()
