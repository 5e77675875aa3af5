"""Validation: data against ontology/shapes.ttl, with a report grouped by source file and entity.

Two engines give the same results: ``sparql`` (shapes compiled to SPARQL, run on Oxigraph; the default, and fast
enough for a million triples) and ``pyshacl`` (the reference implementation, on an rdflib copy of the graph).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from spacegraph.datafiles import DataFile
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.validation.compiled import compile_shapes, run_checks
from spacegraph.validation.report import Entity, ValidationReport, Violation
from spacegraph.vocab import ONTOLOGY, RDF, RDFS, SG
from spacegraph.vocab.sparql import PREFIX_HEADER, fill

ENGINES = ("sparql", "pyshacl")
MARKER_GRAPH = ox.NamedNode("urn:spacegraph:validation-markers")
DESCRIBE_LIMIT = 500  # entities described by name in one report; the rest are shown by IRI


@cache
def _shapes(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def _checks(path: Path, subclass_pairs: frozenset[tuple[str, str]]):
    """The compiled shapes, for the class hierarchy the data (with the ontology) declares."""
    hierarchy = Graph()
    for sub_class, super_class in subclass_pairs:
        hierarchy.add((URIRef(sub_class), RDFS.subClassOf, URIRef(super_class)))
    return compile_shapes(_shapes(path), hierarchy)


SUBCLASSES = PREFIX_HEADER + "SELECT DISTINCT ?a ?b WHERE { ?a rdfs:subClassOf ?b }"


def validate_store(
    store: OxigraphStore,
    graph_files: dict[str, str],
    shapes_path: Path,
    *,
    engine: str = "sparql",
    only_files: Iterable[str] | None = None,
    focus: Iterable[str] | None = None,
) -> ValidationReport:
    """Validate everything in ``store`` (data graphs plus the ontology).

    ``graph_files`` maps each data graph IRI to its file: each gets an sg:NamedGraph marker so the shapes can
    require a source description. ``only_files`` limits the report to entities those files mention.
    """
    store.load(  # in one go: on a SPARQL server, a request per batch rather than per graph
        ox.Quad(ox.NamedNode(graph), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SG.NamedGraph)), MARKER_GRAPH)
        for graph in graph_files
    )
    try:
        if engine == "sparql":
            pairs = frozenset((r["a"].value, r["b"].value) for r in store.query(SUBCLASSES) if _iris(r["a"], r["b"]))
            threads = 1 if focus is not None else min(4, os.cpu_count() or 1)  # a few focus nodes: not worth it
            violations = run_checks(_checks(shapes_path, pairs), lambda q: _select(store, q), focus, threads)
        elif engine == "pyshacl":
            violations = _pyshacl(store, shapes_path)
            if focus is not None:
                wanted = set(focus)
                violations = [v for v in violations if v.focus in wanted]
        else:
            raise ValueError(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")
    finally:
        store.remove_graph(MARKER_GRAPH)
    files_of = _files_of(store, {v.focus for v in violations}, graph_files)
    if only_files is not None:
        wanted = set(only_files)
        violations = [v for v in violations if wanted & set(files_of.get(v.focus, []))]
    entities = {focus: _describe(store, focus) for focus in sorted({v.focus for v in violations})[:DESCRIBE_LIMIT]}
    return ValidationReport(violations, engine, entities, files_of)


def load_for_validation(
    files: list[DataFile], ontology_path: Path, store: OxigraphStore | None = None
) -> OxigraphStore:
    """An Oxigraph store (in memory unless given) holding ``files`` and the ontology."""
    if store is None:
        store = OxigraphStore()
    store.load(q for f in files for q in f.quads)
    triples = ox.parse(path=str(ontology_path), format=ox.RdfFormat.TURTLE)
    store.load(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples)
    return store


ONTOLOGY_GRAPH = ox.NamedNode(str(ONTOLOGY))  # the ontology's own IRI names the graph that holds it
# What live says about the new graph's nodes outside the graph's previous version, and the ontology.
AROUND = "SELECT ?s ?p ?o ?g WHERE { VALUES ?s { %nodes% } GRAPH ?g { ?s ?p ?o } FILTER (?g != %graph%) }"
ONTOLOGY_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH %ontology% { ?s ?p ?o } }"
GRAPHS_OF = "SELECT DISTINCT ?g WHERE { GRAPH ?g { %focus% ?p ?o } }"


def validate_in_context(
    live: OxigraphStore, quads: list[ox.Quad], graph: ox.NamedNode, label: str, shapes_path: Path
) -> ValidationReport:
    """Validate a new or replacement named graph against the shapes, with only its own nodes as focus.

    The nodes are checked together with everything ``live`` already says about them and what they point to
    (outside the graph's previous version) and the ontology: a few hundred quads, however large the store.
    """
    scratch = OxigraphStore()
    scratch.load(quads)
    nodes = {q.subject for q in quads} | {q.object for q in quads if isinstance(q.object, ox.NamedNode)}
    iris = sorted((n for n in nodes if isinstance(n, ox.NamedNode)), key=lambda n: n.value)
    for start in range(0, len(iris), 200):
        rows = live.query(fill(AROUND, nodes=iris[start : start + 200], graph=graph))
        scratch.load([ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows])
    ontology = live.query(fill(ONTOLOGY_TRIPLES, ontology=ONTOLOGY_GRAPH))
    scratch.load([ox.Quad(r["s"], r["p"], r["o"], ONTOLOGY_GRAPH) for r in ontology])
    focus = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    return validate_store(scratch, {graph.value: label}, shapes_path, focus=focus)


def _iris(*terms) -> bool:
    return all(isinstance(t, ox.NamedNode) for t in terms)


def _select(store: OxigraphStore, sparql: str, union: bool = True) -> list[dict[str, str]]:
    """Rows of ?this and ?value, as strings; on the union of the named graphs, or on the default graph only."""
    rows = []
    for solution in store.query(sparql, union_default_graph=union):
        row = {}
        for name in ("this", "value"):
            try:
                term = solution[name]
            except KeyError:
                term = None
            if term is not None:
                row[name] = _show(term)
        rows.append(row)
    return rows


def _show(term) -> str:
    """How a term is written in a Violation: IRIs bare, literals in N-Triples form."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _pyshacl(store: OxigraphStore, shapes_path: Path) -> list[Violation]:
    import pyshacl  # imported here: it is slow to import and only this engine needs it

    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    data = Graph().parse(data=union.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    _, results, _ = pyshacl.validate(data, shacl_graph=_shapes(shapes_path), inference="none", advanced=False)
    return violations_from_report(results, _shapes(shapes_path))


def violations_from_report(results: Graph, shapes: Graph) -> list[Violation]:
    from rdflib import Literal, URIRef

    from spacegraph.vocab import SH

    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        component = results.value(result, SH.sourceConstraintComponent)
        source = results.value(result, SH.sourceShape)
        message = shapes.value(source, SH.message) or results.value(result, SH.resultMessage)
        severity = str(results.value(result, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
        show_value = None
        if value is not None and component not in (SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent):
            show_value = (
                str(value)
                if isinstance(value, URIRef)
                else Literal(value).n3()
                if isinstance(value, Literal)
                else "_:" + str(value)
            )
        found.add(
            Violation(
                str(focus),
                str(path) if isinstance(path, URIRef) else None,
                str(component).rsplit("#", 1)[-1],
                show_value,
                str(message),
                severity,
            )
        )
    return sorted(found, key=Violation.sort_key)


def _files_of(store: OxigraphStore, foci: set[str], graph_files: dict[str, str]) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for focus in foci:
        if focus.startswith("_:"):
            continue
        rows = store.query(fill(GRAPHS_OF, focus=URIRef(focus)))
        found = {graph_files[r["g"].value] for r in rows if r["g"].value in graph_files}
        if focus in graph_files:  # a named graph is "in" the file that holds it, even if it says nothing of itself
            found.add(graph_files[focus])
        files[focus] = sorted(found)
    return files


DESCRIBE = (
    PREFIX_HEADER
    + """
SELECT ?kind ?label ?context WHERE {
  OPTIONAL { %focus% rdf:type ?type . OPTIONAL { ?type rdfs:label ?kind FILTER (lang(?kind) = "en") } }
  OPTIONAL { %focus% schema:name|skos:prefLabel|rdfs:label|sg:nameAsPrinted|sg:organisationAsPrinted ?label }
  OPTIONAL { %focus% conf:during|conf:isSubEventOf ?event . ?event schema:name ?context }
} ORDER BY DESC(BOUND(?kind)) DESC(BOUND(?label)) DESC(BOUND(?context)) LIMIT 1
"""
)


def _describe(store: OxigraphStore, focus: str) -> Entity:
    if focus.startswith("_:"):
        return Entity()
    for row in store.query(fill(DESCRIBE, focus=URIRef(focus))):
        kind, label, context = (row[v] for v in ("kind", "label", "context"))
        return Entity(
            kind=kind.value.capitalize() if kind is not None else "Entity",
            label=label.value if label is not None else None,
            context=context.value if context is not None else None,
        )
    return Entity()
