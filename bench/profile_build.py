#!/usr/bin/env python
"""Where `spacegraph build` spends its time: reading, loading, and each compiled SHACL check, one by one.

Runs the build's steps with the library's own functions (``read_data``, ``load_for_validation``, the checks of
``spacegraph.validation.compiled.compile_shapes`` run as ``validate_store`` runs them) and times each, then the
same checks two other ways, to show what a change to src/ would gain:

  union           as the build runs them: on the store, the default graph as the union of the named graphs
                  (pyoxigraph 0.5 returns a triple once per graph holding it there: oxigraph issue #1919);
  union-closure   as ``union``, with ``rdf:type/rdfs:subClassOf* C`` replaced by ``rdf:type ?c`` over the
                  subclasses of C (VALUES), computed once from the store;
  merged          on an in-memory store holding every triple once, in its default graph (the RDF merge),
                  loaded from the quads already read;
  merged-closure  both.

Prints the slowest checks and the totals; --json writes every timing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = """\
example:
  python bench/profile_build.py bench/out/data-100000-seed1 --top 15
"""


def main(argv: list[str] | None = None) -> int:
    import pyoxigraph as ox

    from spacegraph.datafiles import data_files, read_data
    from spacegraph.settings import load_settings
    from spacegraph.store.oxigraph import OxigraphStore
    from spacegraph.validation import MARKER_GRAPH, _select, load_for_validation
    from spacegraph.validation.compiled import run_checks
    from spacegraph.vocab import RDF, SG

    settings = load_settings()
    parser = argparse.ArgumentParser(
        prog="python bench/profile_build.py",
        description="Time each step of `spacegraph build` and each compiled SHACL check.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", type=Path, help="data directory")
    parser.add_argument("--top", type=int, default=12, help="slowest checks to print (default 12)")
    parser.add_argument("--variants", default="union,union-closure,merged,merged-closure",
                        help="which ways to run the checks (default all)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="write every timing to this file")
    args = parser.parse_args(argv)
    variants = args.variants.split(",")
    timings: dict = {"data": str(args.data), "steps": {}, "checks": {}}

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        timings["steps"][name] = round(now - started, 3)
        print(f"{name}: {now - started:.2f} s", file=sys.stderr, flush=True)
        return now

    t = time.perf_counter()
    files = read_data(data_files(args.data))
    t = step("read and parse", t)
    workdir = Path(tempfile.mkdtemp(prefix="profile-store-"))
    try:
        store = OxigraphStore(workdir / "store")
        load_for_validation(files, settings.ontology_path, store)
        t = step("load (on disk)", t)
        for f in files:
            store.add(ox.Quad(f.graph, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SG.NamedGraph)), MARKER_GRAPH))
        checks = _compiled_checks(store, settings.shapes_path)
        t = step("compile shapes", t)

        def run(name: str, select) -> None:
            rows = []
            for check in checks:
                started = time.perf_counter()
                found = len(run_checks([check], select))  # as validate_store runs them, one at a time
                rows.append((round(time.perf_counter() - started, 3), check.component, check.path, found, check.sparql))
            timings["checks"][name] = rows
            timings["steps"][f"checks ({name})"] = round(sum(r[0] for r in rows), 3)
            print(f"checks ({name}): {sum(r[0] for r in rows):.2f} s for {len(rows)} queries", file=sys.stderr)

        classes: dict[str, str] = {}

        def with_closure(sparql: str) -> str:
            """``?x rdf:type/rdfs:subClassOf* C`` -> ``VALUES ?c_x { C and its subclasses } ?x rdf:type ?c_x``."""

            def values(match: re.Match) -> str:
                variable, target = match.group(1), match.group(2)
                if target not in classes:
                    subclass = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
                    rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c {subclass}* {target} }}")
                    classes[target] = " ".join(str(r["c"]) for r in rows)
                return f"VALUES ?c_{variable} {{ {classes[target]} }} ?{variable} rdf:type ?c_{variable}"

            return re.sub(rf"\?(\w+) {re.escape(INSTANCES)} (<[^>]+>)", values, sparql)

        if not any(INSTANCES in c.sparql for c in checks):
            print(f"the compiled checks do not walk {INSTANCES}: no closure variants", file=sys.stderr)
            variants = [v for v in variants if not v.endswith("closure")]
        if "union" in variants:
            run("union", lambda q: _select(store, q))
        if "union-closure" in variants:
            run("union-closure", lambda q: _select(store, with_closure(q)))
        if "merged" in variants or "merged-closure" in variants:
            t = time.perf_counter()
            memory = OxigraphStore()
            memory.load(ox.Quad(q.subject, q.predicate, q.object) for f in files for q in f.quads)  # the RDF merge
            triples = ox.parse(path=str(settings.ontology_path), format=ox.RdfFormat.TURTLE)
            memory.load(ox.Quad(q.subject, q.predicate, q.object) for q in triples)
            memory.load(ox.Quad(f.graph, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SG.NamedGraph))) for f in files)
            t = step("merge into a default graph (in memory)", t)
            if "merged" in variants:
                run("merged", lambda q: _select_default(memory, q))
            if "merged-closure" in variants:
                run("merged-closure", lambda q: _select_default(memory, with_closure(q)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    for name, rows in timings["checks"].items():
        print(f"\nslowest checks ({name}):")
        for seconds, component, path, found, sparql in sorted(rows, key=lambda r: -r[0])[: args.top]:
            target = re.search(r"<([^>]+)>", sparql)  # the first IRI: the target class (or one of its subclasses)
            shape = target.group(1).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if target else "?"
            print(f"  {seconds:8.3f} s  {shape:<24} {(path or '').rsplit('#', 1)[-1].rsplit('/', 1)[-1]:<22} "
                  f"{component.removesuffix('ConstraintComponent'):<16} {found} found")  # fmt: skip
    print("\ntotals:")
    for name, seconds in timings["steps"].items():
        print(f"  {name:<40} {seconds:8.2f} s")
    if args.json:
        args.json.write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")
    return 0


INSTANCES = "rdf:type/rdfs:subClassOf*"  # how compiled checks found instances before the subclass closure


def _compiled_checks(store, shapes_path: Path):
    """The checks validate_store runs on ``store``, whichever version of spacegraph.validation this is."""
    import inspect

    from spacegraph import validation

    if len(inspect.signature(validation._checks).parameters) == 1:
        return validation._checks(shapes_path)
    query = getattr(validation, "SUBCLASSES", "SELECT DISTINCT ?a ?b WHERE { ?a rdfs:subClassOf ?b }")
    pairs = frozenset((r["a"].value, r["b"].value) for r in store.query(query) if validation._iris(r["a"], r["b"]))
    return validation._checks(shapes_path, pairs)


def _select_default(store, sparql: str) -> list[dict[str, str]]:
    """As the validator selects, on the store's default graph only."""
    from spacegraph.validation import _select

    return _select(store, sparql, union=False)


if __name__ == "__main__":
    sys.exit(main())
