"""A SHACL Core validator that runs as SPARQL on the store, for the subset of SHACL that ontology/shapes.ttl uses.

Each constraint becomes one SELECT that returns the violating focus nodes and values, following the
definitions of the SHACL Core constraint components (https://www.w3.org/TR/shacl/#core-components).
It reads the data where it already is, so a million-triple build validates without copying the graph into
rdflib. pySHACL stays the reference: tests/test_validation_engines.py runs both on the same graphs.
A shape that uses anything outside the subset is refused when the shapes are compiled, never skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from spacegraph.validation.report import Violation
from spacegraph.vocab import RDF, SH, XSD

# Datatypes whose lexical form SPARQL can check with a cast (an ill-typed literal fails the cast).
CASTABLE = {XSD.date, XSD.dateTime, XSD.boolean, XSD.integer, XSD.decimal, XSD.double}

PROPERTY_PARAMETERS = {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.nodeKind, SH.pattern, SH.flags,
    SH.languageIn, SH.uniqueLang, SH.lessThanOrEquals, SH.message, SH.name, SH.description, SH.severity,
}  # fmt: skip
NODE_PARAMETERS = {SH.targetClass, SH.property, SH["class"], SH.message, SH.severity, RDF.type}
INSTANCES = "rdf:type/rdfs:subClassOf*"
PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)


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
        return term.n3()
    raise UnsupportedShape(f"blank node {term} cannot be written in a query")


def compile_shapes(shapes: Graph) -> list[Check]:
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        unknown = set(shapes.predicates(shape)) - NODE_PARAMETERS
        if unknown:
            raise UnsupportedShape(f"node shape {shape} uses {sorted(map(str, unknown))}")
        classes = list(shapes.objects(shape, SH.targetClass))
        if not classes:
            raise UnsupportedShape(f"node shape {shape} has no sh:targetClass")
        message = str(shapes.value(shape, SH.message) or f"{shape} is violated")
        for target in classes:
            focus = f"?this {INSTANCES} {sparql_term(target)} ."
            for required in shapes.objects(shape, SH["class"]):
                checks.append(_node_class(focus, required, message))
            for prop in shapes.objects(shape, SH.property):
                checks += _property_checks(shapes, prop, focus)
    return checks


def _node_class(focus: str, required: Node, message: str) -> Check:
    sparql = (
        f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} "
        f"FILTER NOT EXISTS {{ ?this {INSTANCES} {sparql_term(required)} }} }}"
    )
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


def _property_checks(shapes: Graph, prop: Node, focus: str) -> list[Check]:
    unknown = set(shapes.predicates(prop)) - PROPERTY_PARAMETERS
    if unknown:
        raise UnsupportedShape(f"property shape {prop} uses {sorted(map(str, unknown))}")
    path, path_label = _path(shapes, prop)
    message = str(shapes.value(prop, SH.message) or f"{path_label} is invalid")
    values = f"{focus} ?this {path} ?value ."
    checks: list[tuple[str, str]] = []

    def each_value(condition: str, component: str) -> None:
        checks.append((f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER ({condition}) }}", component))

    value = shapes.value
    if (n := value(prop, SH.minCount)) is not None and int(n) > 0:
        checks.append((
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(n)})",
            "MinCountConstraintComponent",
        ))  # fmt: skip
    if (n := value(prop, SH.maxCount)) is not None:
        checks.append((
            f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(n)})",
            "MaxCountConstraintComponent",
        ))  # fmt: skip
    if (datatype := value(prop, SH.datatype)) is not None:
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
    if (required := value(prop, SH["class"])) is not None:
        checks.append((
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} "
            f"FILTER NOT EXISTS {{ ?value {INSTANCES} {sparql_term(required)} }} }}",
            "ClassConstraintComponent",
        ))  # fmt: skip
    if (members := value(prop, SH["in"])) is not None:
        allowed = " ".join(sparql_term(t) for t in Collection(shapes, members))
        checks.append((
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} "
            f"FILTER NOT EXISTS {{ VALUES ?allowed {{ {allowed} }} FILTER (sameTerm(?value, ?allowed)) }} }}",
            "InConstraintComponent",
        ))  # fmt: skip
    if (kind := value(prop, SH.nodeKind)) is not None:
        test = {SH.IRI: "isIRI(?value)", SH.Literal: "isLiteral(?value)", SH.BlankNode: "isBlank(?value)"}
        if kind not in test:
            raise UnsupportedShape(f"property shape {prop}: sh:nodeKind {kind} is not supported")
        each_value(f"!{test[kind]}", "NodeKindConstraintComponent")
    if (pattern := value(prop, SH.pattern)) is not None:
        flags = value(prop, SH.flags)
        args = f"STR(?value), {Literal(str(pattern)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
        each_value(f"isBlank(?value) || !REGEX({args})", "PatternConstraintComponent")
    if (languages := value(prop, SH.languageIn)) is not None:
        tests = " || ".join(f"langMatches(lang(?value), {Literal(str(t)).n3()})" for t in Collection(shapes, languages))
        each_value(f"!isLiteral(?value) || !({tests})", "LanguageInConstraintComponent")
    if value(prop, SH.uniqueLang) == Literal(True):
        checks.append((
            f"SELECT ?this WHERE {{ {values} FILTER (isLiteral(?value) && lang(?value) != \"\") }} "
            f"GROUP BY ?this (lang(?value)) HAVING (COUNT(DISTINCT ?value) > 1)",
            "UniqueLangConstraintComponent",
        ))  # fmt: skip
    if (other := value(prop, SH.lessThanOrEquals)) is not None:
        checks.append((
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {sparql_term(other)} ?other . "
            f"FILTER (!COALESCE(?value <= ?other, false)) }}",
            "LessThanOrEqualsConstraintComponent",
        ))  # fmt: skip
    severity = str(shapes.value(prop, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
    return [Check(sparql, component, path_label, message, severity) for sparql, component in checks]


def run_checks(
    checks: Iterable[Check], select: Callable[[str], Iterable[dict]], focus: Iterable[str] | None = None
) -> list[Violation]:
    """Run compiled checks with ``select`` (a SPARQL SELECT -> rows of {variable: term string}).

    With ``focus`` (IRIs), only those nodes are validated: each query starts from VALUES ?this { … }.
    """
    restrict = ""
    if focus is not None:
        restrict = "VALUES ?this { " + " ".join(f"<{iri}>" for iri in sorted(focus)) + " } "
    violations = set()
    for check in checks:
        sparql = check.sparql.replace("WHERE { ", "WHERE { " + restrict, 1) if restrict else check.sparql
        for row in select(PREFIXES + sparql):
            violations.add(
                Violation(row["this"], check.path, check.component, row.get("value"), check.message, check.severity)
            )
    return sorted(violations, key=Violation.sort_key)


__all__ = ["Check", "UnsupportedShape", "compile_shapes", "run_checks"]
