"""The page of the ontology IRI (``/ontology``): documentation generated from the ontology the store holds (its
named graph, so the page describes the data version it serves) and from the shapes: each class with its
superclasses, its shape's constraints and examples from the data; each property with domain and range; each term
of the closed lists (roles, sides, sectors, attendance modes). Every ``sg:`` term's fragment is an anchor of the
page, so ``https://w3id.org/spacegraph/ontology#Edition`` lands on its entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from spacegraph.vocab import ONTOLOGY, OWL, PREFIXES, RDF, RDFS, SH
from spacegraph.vocab.namespaces import DCTERMS
from spacegraph.web.pages.reader import Reader

INSTANCES = "SELECT DISTINCT ?x WHERE { ?x a ?t . ?t rdfs:subClassOf* %class% } ORDER BY ?x LIMIT 3"
COUNT = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?t . ?t rdfs:subClassOf* %class% }"
PROPERTY_KINDS = {OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property"}


def ontology_graph(reader: Reader) -> Graph:
    """The ontology as the store holds it (its own named graph), as an rdflib graph."""
    triples = [q.triple for q in reader.store.quads(None, None, None, ox.NamedNode(str(ONTOLOGY)))]
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, str(namespace))
    if triples:
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


@lru_cache(maxsize=4)
def _shapes(path: Path, modified: float) -> Graph:
    return Graph().parse(path, format="turtle")


def shapes_graph(path: Path) -> Graph:
    """The shapes file, parsed once per change of the file; an empty graph when it is missing."""
    return _shapes(path, path.stat().st_mtime) if path.is_file() else Graph()


def compact(iri: str) -> str:
    """``sg:Edition`` for an IRI in one of the project's namespaces, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri


def anchor(iri: str) -> str:
    """The id of a term's entry on the page: the fragment of an ``sg:`` term (its IRI resolves to it), else its
    compact name."""
    return iri.rsplit("#", 1)[1] if iri.startswith(str(ONTOLOGY) + "#") else compact(iri)


def ontology_page(reader: Reader, shapes_path: Path) -> dict:
    """The documentation of the ontology as one plain dict (its JSON twin is this dict)."""
    graph, shapes = ontology_graph(reader), shapes_graph(shapes_path)
    head = URIRef(str(ONTOLOGY))
    classes = _iris(graph.subjects(RDF.type, OWL.Class), frozenset({head}))
    properties = _iris(p for kind in PROPERTY_KINDS for p in graph.subjects(RDF.type, kind))
    lists = [c for c in classes if graph.value(c, OWL.oneOf) is not None]
    modes = graph.subjects(RDF.type, URIRef("https://schema.org/EventAttendanceModeEnumeration"))
    individuals = _iris([i for c in classes for i in graph.subjects(RDF.type, c)] + list(modes))
    return {
        "title": str(graph.value(head, RDFS.label) or "spacegraph ontology"),
        "kind_name": "Ontology",
        "iri": str(head),
        "description": _text(graph.value(head, DCTERMS.description)),
        "version": _text(graph.value(head, OWL.versionInfo)),
        "license": _text(graph.value(head, DCTERMS.license)),
        "classes": [_class(reader, graph, shapes, c) for c in classes],
        "properties": [_property(graph, p) for p in properties],
        "individuals": [_term(graph, i, kind=_names(graph.objects(i, RDF.type))) for i in individuals],
        "closed_lists": [anchor(str(c)) for c in lists],
    }


def _iris(terms: Iterable[Node], leave_out: frozenset[URIRef] = frozenset()) -> list[URIRef]:
    """The IRIs among ``terms``, the ontology's own first, each group in the order of their compact names."""
    iris = {t for t in terms if isinstance(t, URIRef)} - leave_out
    return sorted(iris, key=lambda t: (not str(t).startswith(str(ONTOLOGY)), compact(str(t)).casefold()))


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def _label(graph: Graph, term: URIRef) -> str:
    labels = [o for o in graph.objects(term, RDFS.label) if isinstance(o, Literal)]
    english = [o for o in labels if o.language in ("en", None)]
    return str((english or labels)[0]) if labels else compact(str(term))


def _term(graph: Graph, term: URIRef, **more: object) -> dict:
    return {"iri": str(term), "anchor": anchor(str(term)), "name": compact(str(term)), "label": _label(graph, term),
            "comment": _text(graph.value(term, RDFS.comment)), **more}  # fmt: skip


def _names(terms) -> list[dict]:
    """Links to terms: an anchor of this page for the ontology's own, the term's own IRI for others."""
    out = []
    for term in sorted(t for t in terms if isinstance(t, URIRef)):
        url = "#" + anchor(str(term)) if str(term).startswith(str(ONTOLOGY)) else str(term)
        out.append({"text": compact(str(term)), "url": url, "iri": str(term)})
    return out


def _class(reader: Reader, graph: Graph, shapes: Graph, term: URIRef) -> dict:
    examples = [r["x"] for r in reader.rows(INSTANCES, **{"class": str(term)})]
    count = reader.rows(COUNT, **{"class": str(term)})[0]["n"]
    members = graph.value(term, OWL.oneOf)
    return _term(
        graph, term,
        superclasses=_names(graph.objects(term, RDFS.subClassOf)),
        equivalent=_names(graph.objects(term, OWL.equivalentClass)),
        defined_by=_text(graph.value(term, RDFS.isDefinedBy)),
        one_of=_names(Collection(graph, members)) if isinstance(members, BNode) else [],
        constraints=constraints(shapes, term),
        instances=int(count or 0),
        examples=reader.linked(examples),
    )  # fmt: skip


def _property(graph: Graph, term: URIRef) -> dict:
    kinds = [PROPERTY_KINDS[k] for k in graph.objects(term, RDF.type) if k in PROPERTY_KINDS]
    return _term(
        graph, term,
        kind=kinds[0] if kinds else "property",
        domain=_names(graph.objects(term, RDFS.domain)),
        range=_names(graph.objects(term, RDFS.range)),
        superproperties=_names(graph.objects(term, RDFS.subPropertyOf)),
        functional=(term, RDF.type, OWL.FunctionalProperty) in graph,
    )  # fmt: skip


def constraints(shapes: Graph, cls: URIRef) -> list[dict]:
    """What the shapes require of an instance of ``cls``: per property, how many values, of what, and the message
    a violation (or a warning) prints."""
    out = []
    for shape in shapes.subjects(SH.targetClass, cls):
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
            low, high = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
            out.append({
                "path": ("^" + compact(str(inverse))) if inverse is not None else compact(str(path)),
                "count": f"{low or 0}..{high if high is not None else '*'}",
                "values": _values(shapes, prop),
                "severity": str(shapes.value(prop, SH.severity) or SH.Violation).rsplit("#", 1)[-1],
                "message": _text(shapes.value(prop, SH.message)),
            })  # fmt: skip
    return sorted(out, key=lambda c: (c["path"], c["severity"], c["count"]))


def _values(shapes: Graph, prop: Node) -> str:
    """The values a property shape allows, in words: a class, a datatype, a list, a pattern, a node kind."""
    words = []
    for key, word in ((SH["class"], "an instance of"), (SH.datatype, "a literal of"), (SH.nodeKind, "a node of kind"),
                      (SH.pattern, "matching"), (SH.languageIn, "in the languages")):  # fmt: skip
        value = shapes.value(prop, key)
        if isinstance(value, BNode):
            words.append(f"{word} {', '.join(compact(str(v)) for v in Collection(shapes, value))}")
        elif value is not None:
            words.append(f"{word} {compact(str(value))}")
    allowed = shapes.value(prop, SH["in"])
    if isinstance(allowed, BNode):
        members = [compact(str(v)) for v in Collection(shapes, allowed)]
        shown = ", ".join(members[:8]) + (f" … ({len(members)} values)" if len(members) > 8 else "")
        words.append(f"one of {shown}")
    if (other := shapes.value(prop, SH.lessThanOrEquals)) is not None:
        words.append(f"at most its {compact(str(other))}")
    if shapes.value(prop, SH.uniqueLang) is not None:
        words.append("one per language")
    return "; ".join(words)
