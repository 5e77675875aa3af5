#!/usr/bin/env python
"""The baseline `spacegraph build` is compared with: rdflib in memory plus one whole-graph pySHACL validation.

Parses every TriG file of a data directory (registry/*.trig, graphs/*.trig, as ``spacegraph build`` reads them)
and the ontology into one rdflib Dataset, marks every data graph sg:NamedGraph as the build's validator does
(so the same shapes apply), and runs ``pyshacl.validate`` once on the union of all graphs with
``inference="none"``. The ontology is in the same dataset, so sh:targetClass reaches instances of subclasses
through rdfs:subClassOf, as it does in the build. Prints one JSON object: the phases' times and the result.

Run by bench/run.py in a child process of its own, so that its peak memory is measured alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

EXAMPLE = """\
example:
  python bench/baseline.py bench/out/data-100000-seed1
"""


def main(argv: list[str] | None = None) -> int:
    from spacegraph.settings import load_settings

    settings = load_settings()
    parser = argparse.ArgumentParser(
        prog="python bench/baseline.py",
        description="rdflib parse of a data directory plus one pySHACL validation; prints JSON.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", type=Path, help="data directory (registry/ and graphs/)")
    parser.add_argument("--ontology", type=Path, default=settings.ontology_path, help="ontology (Turtle)")
    parser.add_argument("--shapes", type=Path, default=settings.shapes_path, help="SHACL shapes (Turtle)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    import pyshacl
    from rdflib import Dataset, Graph, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from rdflib.namespace import RDF

    from spacegraph.datafiles import data_files
    from spacegraph.vocab import SG

    imported = time.perf_counter()
    paths = data_files(args.data)
    data = Dataset(default_union=True)
    for path in paths:
        data.parse(path, format="trig")
    graphs = [g.identifier for g in data.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
    data.graph(URIRef(str(SG)[:-1])).parse(args.ontology, format="turtle")
    markers = data.graph(URIRef("urn:spacegraph:validation-markers"))
    for graph in graphs:
        markers.add((graph, RDF.type, SG.NamedGraph))
    shapes = Graph().parse(args.shapes, format="turtle")
    parsed = time.perf_counter()

    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    validated = time.perf_counter()

    from spacegraph.vocab import SH

    severities: dict[str, int] = {}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        severities[severity] = severities.get(severity, 0) + 1
    print(
        json.dumps(
            {
                "files": len(paths),
                "graphs": len(graphs),
                "quads": sum(len(data.graph(g)) for g in graphs),
                "conforms": bool(conforms),
                "results": severities,
                "import_seconds": round(imported - started, 3),
                "parse_seconds": round(parsed - imported, 3),
                "validate_seconds": round(validated - parsed, 3),
            }
        )
    )
    return 0 if conforms else 1


if __name__ == "__main__":
    sys.exit(main())
