"""A SHACL Core validator that runs as SPARQL on the store, for the subset of SHACL that ontology/shapes.ttl uses.

Each constraint becomes one SELECT that returns the violating focus nodes and values, following the
definitions of the SHACL Core constraint components (https://www.w3.org/TR/shacl/#core-components).
It reads the data where it already is, so a million-triple build validates without copying the graph into
rdflib. pySHACL stays the reference: tests/test_validation_engines.py runs both on the same graphs.
A shape that uses anything outside the subset is refused when the shapes are compiled, never skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from spacegraph.store.oxigraph import VALUES_BLOCK
from spacegraph.validation.report import Violation
from spacegraph.vocab import RDF, RDFS, SH, XSD
from spacegraph.vocab import sparql as written
from spacegraph.vocab.sparql import PREFIX_HEADER, fill

# Datatypes whose lexical form SPARQL can check with a cast (an ill-typed literal fails the cast).
CASTABLE = {XSD.date, XSD.dateTime, XSD.boolean, XSD.integer, XSD.decimal, XSD.double}

PROPERTY_PARAMETERS = {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.nodeKind, SH.pattern, SH.flags,
    SH.languageIn, SH.uniqueLang, SH.lessThanOrEquals, SH.message, SH.name, SH.description, SH.severity,
}  # fmt: skip
NODE_PARAMETERS = {SH.targetClass, SH.property, SH["class"], SH.message, SH.severity, RDF.type}


class UnsupportedShape(ValueError):
    """The shapes use SHACL this validator does not implement."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose solutions ?this (and ?value) are violations."""

    sparql: str
    component: str
    path: str | None
    message: str
    severity: str = "Violation"


def sparql_term(term: Node) -> str:
    if isinstance(term, (URIRef, Literal)):
        return written.sparql_term(term)
    raise UnsupportedShape(f"blank node {term} cannot be written in a query")


class Classes:
    """SHACL instances of a class: typed with it or with one of its subclasses (from the ontology).

    The subclass closure is computed once here, so each query matches rdf:type against a fixed set instead of
    walking rdfs:subClassOf* for every node (at a million triples, that walk dominated validation).
    """

    def __init__(self, ontology: Graph):
        self.ontology = ontology

    def closure(self, cls: Node) -> list[str]:
        found = {c for c in self.ontology.transitive_subjects(RDFS.subClassOf, cls) if c is not None} | {cls}
        return sorted(sparql_term(c) for c in found)

    def pattern(self, variable: str, cls: Node) -> str:
        """A graph pattern binding ?variable to the instances of ``cls``."""
        members = self.closure(cls)
        if len(members) == 1:
            return f"?{variable} rdf:type {members[0]} ."
        return f"VALUES ?{variable}_type {{ {' '.join(members)} }} ?{variable} rdf:type ?{variable}_type ."


def compile_shapes(shapes: Graph, ontology: Graph | None = None) -> list[Check]:
    """The checks of every shape. ``ontology`` gives the subclasses of the classes the shapes name."""
    classes = Classes(ontology if ontology is not None else Graph())
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        unknown = set(shapes.predicates(shape)) - NODE_PARAMETERS
        if unknown:
            raise UnsupportedShape(f"node shape {shape} uses {sorted(map(str, unknown))}")
        targets = list(shapes.objects(shape, SH.targetClass))
        if not targets:
            raise UnsupportedShape(f"node shape {shape} has no sh:targetClass")
        message = str(shapes.value(shape, SH.message) or f"{shape} is violated")
        for target in targets:
            focus = distinct("?this", classes.pattern("this", target))
            for required in shapes.objects(shape, SH["class"]):
                checks.append(_node_class(focus, classes.pattern("this", required), message))
            for prop in shapes.objects(shape, SH.property):
                checks += _property_checks(shapes, prop, focus, classes)
    return checks


FOCUS = "#FOCUS#"  # replaced by VALUES ?this { … } to validate some nodes only, or by nothing


def distinct(variables: str, pattern: str) -> str:
    """A pattern as a DISTINCT subquery, restricted to the focus nodes.

    With the default graph as the union of the named graphs, a triple stated in n graphs is matched n times;
    a node described in every graph (a shared source document, the series) then joins n x n rows. Each pattern
    is made distinct before it is joined, so validation stays linear in the size of the data.
    """
    return f"{{ SELECT DISTINCT {variables} WHERE {{ {FOCUS} {pattern} }} }}"


def _node_class(focus: str, required: str, message: str) -> Check:
    sparql = f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER NOT EXISTS {{ {required} }} }}"
    return Check(sparql, "ClassConstraintComponent", None, message)


def _path(shapes: Graph, prop: Node) -> tuple[str, str]:
    """The path in SPARQL syntax, and as the report prints it."""
    path = shapes.value(prop, SH.path)
    if isinstance(path, URIRef):
        return sparql_term(path), str(path)
    inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if isinstance(inverse, URIRef):
        return f"^{sparql_term(inverse)}", f"^{inverse}"
    raise UnsupportedShape(f"property shape {prop}: only an IRI or sh:inversePath is supported as sh:path")


def _property_checks(shapes: Graph, prop: Node, focus: str, classes: Classes) -> list[Check]:
    unknown = set(shapes.predicates(prop)) - PROPERTY_PARAMETERS
    if unknown:
        raise UnsupportedShape(f"property shape {prop} uses {sorted(map(str, unknown))}")
    path, path_label = _path(shapes, prop)
    message = str(shapes.value(prop, SH.message) or f"{path_label} is invalid")
    values = f"{focus} {distinct('?this ?value', f'?this {path} ?value .')}"
    checks = (
        _count_checks(shapes, prop, focus, path, values)
        + _term_checks(shapes, prop, values, classes)
        + _text_checks(shapes, prop, values)
    )
    severity = str(shapes.value(prop, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
    return [Check(sparql, component, path_label, message, severity) for sparql, component in checks]


def _each_value(values: str, condition: str) -> str:
    """The values that fail ``condition``, one by one."""
    return f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER ({condition}) }}"


def _count_checks(shapes: Graph, prop: Node, focus: str, path: str, values: str) -> list[tuple[str, str]]:
    """sh:minCount, sh:maxCount, sh:uniqueLang: how many values, and how many in each language."""
    checks = []
    if (n := shapes.value(prop, SH.minCount)) is not None and int(n) > 0:
        checks.append((
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {distinct('?this ?value', f'?this {path} ?value .')} }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(n)})",
            "MinCountConstraintComponent",
        ))  # fmt: skip
    if (n := shapes.value(prop, SH.maxCount)) is not None:
        checks.append((
            f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(n)})",
            "MaxCountConstraintComponent",
        ))  # fmt: skip
    if shapes.value(prop, SH.uniqueLang) == Literal(True):
        checks.append((
            f"SELECT ?this WHERE {{ {values} FILTER (isLiteral(?value) && lang(?value) != \"\") }} "
            f"GROUP BY ?this (lang(?value)) HAVING (COUNT(DISTINCT ?value) > 1)",
            "UniqueLangConstraintComponent",
        ))  # fmt: skip
    return checks


def _term_checks(shapes: Graph, prop: Node, values: str, classes: Classes) -> list[tuple[str, str]]:
    """sh:datatype, sh:class, sh:in, sh:nodeKind: what kind of term each value is."""
    checks = []
    if (datatype := shapes.value(prop, SH.datatype)) is not None:
        well_formed = ""
        if datatype in CASTABLE:
            well_formed = " || !BOUND(?cast)"
            values_cast = f"{values} BIND({sparql_term(datatype)}(STR(?value)) AS ?cast)"
        else:
            values_cast = values
        checks.append((
            f"SELECT DISTINCT ?this ?value WHERE {{ {values_cast} FILTER (!isLiteral(?value) || "
            f"datatype(?value) != {sparql_term(datatype)}{well_formed}) }}",
            "DatatypeConstraintComponent",
        ))  # fmt: skip
    if (required := shapes.value(prop, SH["class"])) is not None:
        checks.append((
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} "
            f"FILTER NOT EXISTS {{ {classes.pattern('value', required)} }} }}",
            "ClassConstraintComponent",
        ))  # fmt: skip
    if (members := shapes.value(prop, SH["in"])) is not None:
        allowed = " ".join(sparql_term(t) for t in Collection(shapes, members))
        checks.append((
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} "
            f"FILTER NOT EXISTS {{ VALUES ?allowed {{ {allowed} }} FILTER (sameTerm(?value, ?allowed)) }} }}",
            "InConstraintComponent",
        ))  # fmt: skip
    if (kind := shapes.value(prop, SH.nodeKind)) is not None:
        test = {SH.IRI: "isIRI(?value)", SH.Literal: "isLiteral(?value)", SH.BlankNode: "isBlank(?value)"}
        if kind not in test:
            raise UnsupportedShape(f"property shape {prop}: sh:nodeKind {kind} is not supported")
        checks.append((_each_value(values, f"!{test[kind]}"), "NodeKindConstraintComponent"))
    return checks


def _text_checks(shapes: Graph, prop: Node, values: str) -> list[tuple[str, str]]:
    """sh:pattern, sh:languageIn, sh:lessThanOrEquals: what each value says, and how it compares."""
    checks = []
    if (pattern := shapes.value(prop, SH.pattern)) is not None:
        flags = shapes.value(prop, SH.flags)
        args = f"STR(?value), {sparql_term(Literal(str(pattern)))}" + (
            f", {sparql_term(Literal(str(flags)))}" if flags else ""
        )
        checks.append((_each_value(values, f"isBlank(?value) || !REGEX({args})"), "PatternConstraintComponent"))
    if (languages := shapes.value(prop, SH.languageIn)) is not None:
        tests = " || ".join(
            f"langMatches(lang(?value), {sparql_term(Literal(str(t)))})" for t in Collection(shapes, languages)
        )
        checks.append((_each_value(values, f"!isLiteral(?value) || !({tests})"), "LanguageInConstraintComponent"))
    if (other := shapes.value(prop, SH.lessThanOrEquals)) is not None:
        checks.append((
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} "
            f"{distinct('?this ?other', f'?this {sparql_term(other)} ?other .')} "
            f"FILTER (!COALESCE(?value <= ?other, false)) }}",
            "LessThanOrEqualsConstraintComponent",
        ))  # fmt: skip
    return checks


FOCUS_CHUNK = VALUES_BLOCK  # focus nodes per query: more made validation quadratic (spacegraph.store.oxigraph)


def run_checks(
    checks: Iterable[Check],
    select: Callable[[str], Iterable[dict]],
    focus: Iterable[str] | None = None,
    threads: int = 1,
) -> list[Violation]:
    """Run compiled checks with ``select`` (a SPARQL SELECT -> rows of {variable: term string}).

    With ``focus`` (IRIs), only those nodes are validated: each query starts from VALUES ?this { … }, of at most
    FOCUS_CHUNK nodes (every check is about one ?this at a time, so the chunks' answers add up).
    With ``threads`` > 1 the queries run side by side (pyoxigraph releases the GIL while it queries).
    """
    restricts = [""]
    if focus is not None:
        iris = [URIRef(iri) for iri in sorted(focus)]
        restricts = [fill("VALUES ?this { %focus% } ", focus=iris[start : start + FOCUS_CHUNK])
                     for start in range(0, len(iris), FOCUS_CHUNK)]  # fmt: skip
    checks = list(checks)
    queries = [(c, PREFIX_HEADER + c.sparql.replace(FOCUS, restrict)) for restrict in restricts for c in checks]
    with ThreadPoolExecutor(max(1, threads)) as pool:
        answers = list(pool.map(lambda query: list(select(query[1])), queries))
    violations = set()
    for (check, _), rows in zip(queries, answers, strict=True):
        for row in rows:
            violations.add(
                Violation(row["this"], check.path, check.component, row.get("value"), check.message, check.severity)
            )
    return sorted(violations, key=Violation.sort_key)


__all__ = ["Check", "UnsupportedShape", "compile_shapes", "run_checks"]
