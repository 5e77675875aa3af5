"""The W3C SPARQL 1.1 query tests, run through the endpoint's own query layer.

The test data in ``tests/w3c/sparql11`` is the W3C's SPARQL 1.1 test suite (w3c/rdf-tests, ``sparql/sparql11``),
as shipped in rdflib 7.6.0's source distribution; ``tests/w3c/README.md`` says which directories are here, why
the others are not, and what the pass rate is. Each test goes through what a query to ``/sparql`` goes through:

* the guard (``sparql.guard.check_query``) with the endpoint's default limits, which must let every valid query
  pass (the positive syntax tests) and may refuse an invalid one before the engine does;
* ``sparql.runner.evaluate``: the dataset built from the protocol's ``default-graph-uri``/``named-graph-uri``
  (the test's ``qt:data`` is loaded as a graph named in ``default-graph-uri``, each ``qt:graphData`` as a named
  graph), then pyoxigraph, then the endpoint's result serializers;
* the serialized answer is parsed back with rdflib (SPARQL JSON, CSV or TSV results; N-Triples graphs) and
  compared with the expected result: solutions as multisets, in order where the query has ORDER BY, blank nodes
  up to renaming, graphs up to isomorphism.

The failures that remain are listed in ``tests/w3c/expected-failures.txt``, each with its reason; they are strict
xfails, so a fixed failure shows up as a passing test that must leave the list.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.query import Result

from spacegraph.settings import SETTINGS
from spacegraph.sparql.guard import QueryRefused, check_query
from spacegraph.sparql.runner import Buffer, QueryRequest, evaluate

SUITE = Path(__file__).parent / "w3c" / "sparql11"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
DEFAULT_GRAPH = "urn:x-spacegraph-test:default-graph"
LIMITS = {
    name.removeprefix("max_query_"): int(s.default)
    for s in SETTINGS
    if (name := s.name) in ("max_query_bytes", "max_query_depth")
}
RESULT_FORMATS = {".srx": "xml", ".srj": "json", ".csv": "csv", ".tsv": "tsv"}


@dataclass
class Case:
    name: str  # directory/test, e.g. aggregates/agg01
    kind: str  # the mf: type, e.g. QueryEvaluationTest
    query: Path
    data: list[Path] = field(default_factory=list)
    graph_data: list[Path] = field(default_factory=list)
    result: Path | None = None


def _local(iri: object) -> Path:
    return SUITE / str(iri).removeprefix(BASE)


def _iri(path: Path) -> str:
    return BASE + path.relative_to(SUITE).as_posix()


def cases() -> list[Case]:
    found = []
    for manifest in sorted(SUITE.glob("*/manifest.ttl")):
        graph = Graph().parse(manifest, format="turtle", publicID=_iri(manifest))
        for entries in graph.objects(None, URIRef(MF + "entries")):
            for test in graph.items(entries):
                kind = str(graph.value(test, RDF.type)).removeprefix(MF)
                action = graph.value(test, URIRef(MF + "action"))
                name = f"{manifest.parent.name}/{str(test).rsplit('#', 1)[-1]}"
                if isinstance(action, URIRef):  # a syntax test: the action is the query
                    found.append(Case(name, kind, _local(action)))
                    continue
                result = graph.value(test, URIRef(MF + "result"))
                found.append(
                    Case(
                        name,
                        kind,
                        _local(graph.value(action, URIRef(QT + "query"))),
                        [_local(d) for d in graph.objects(action, URIRef(QT + "data"))],
                        [_local(d) for d in graph.objects(action, URIRef(QT + "graphData"))],
                        _local(result) if result is not None else None,
                    )
                )
    return found


def expected_failures() -> dict[str, str]:
    lines = (Path(__file__).parent / "w3c" / "expected-failures.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


CASES = cases()
FAILURES = expected_failures()


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=FAILURES[case.name])] if case.name in FAILURES else []
        yield pytest.param(case, id=case.name, marks=marks)


def _store(case: Case) -> ox.Store:
    store = ox.Store()
    for path in case.data:
        store.load(path=str(path), base_iri=_iri(path), to_graph=ox.NamedNode(DEFAULT_GRAPH), format=_rdf(path))
    for path in case.graph_data:
        store.load(path=str(path), base_iri=_iri(path), to_graph=ox.NamedNode(_iri(path)), format=_rdf(path))
    return store


def _rdf(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE


FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.I)


def run(case: Case, media_type: str) -> bytes:
    """The query's answer as the endpoint would send it."""
    text = case.query.read_text(encoding="utf-8")
    form = check_query(text, max_bytes=LIMITS["bytes"], max_depth=LIMITS["depth"])
    if form in ("CONSTRUCT", "DESCRIBE"):
        media_type = "application/n-triples"
    elif form == "ASK" and media_type != "application/sparql-results+json":
        media_type = "application/sparql-results+json"
    request = QueryRequest(text, form, media_type, base_iri=_iri(case.query))
    named = FROM.findall(text)
    if named:  # the query gives its dataset: its graphs must be in the store, which holds nothing else
        case = Case(
            case.name, case.kind, case.query, graph_data=[p for n in named if (p := case.query.parent / n).exists()]
        )
    else:  # the test gives the dataset: as default-graph-uri and named-graph-uri would
        request.default_graphs = [DEFAULT_GRAPH]
        request.named_graphs = [_iri(p) for p in case.graph_data]
    sink = Buffer()
    evaluate(_store(case), request, sink)
    return sink.body


@pytest.mark.parametrize("case", list(_params()))
def test_w3c(case: Case):
    if case.kind in ("PositiveSyntaxTest11", "PositiveSyntaxTest"):
        try:  # neither the guard nor the parser refuses it
            run(case, "application/sparql-results+json")
        except RuntimeError as error:  # parsed, then failed to evaluate: an unknown extension function
            assert "is not supported" in str(error)
    elif case.kind in ("NegativeSyntaxTest11", "NegativeSyntaxTest"):
        with pytest.raises((QueryRefused, SyntaxError)):
            run(case, "application/sparql-results+json")
    elif case.kind in ("QueryEvaluationTest", "CSVResultFormatTest"):
        assert case.result is not None
        _check_result(case)
    else:
        pytest.fail(f"test type {case.kind} is not handled")


def _check_result(case: Case) -> None:
    assert case.result is not None
    suffix = case.result.suffix
    if suffix in (".ttl", ".nt", ".rdf"):
        got = Graph().parse(data=run(case, "application/n-triples"), format="nt")
        expected = Graph().parse(case.result, format="xml" if suffix == ".rdf" else "turtle")
        assert isomorphic(got, expected), f"got\n{got.serialize(format='nt')}"
        return
    fmt = RESULT_FORMATS[suffix]
    media = {"csv": "text/csv", "tsv": "text/tab-separated-values"}.get(fmt, "application/sparql-results+json")
    body = run(case, media)
    got = Result.parse(io.BytesIO(body), format={"csv": "csv", "tsv": "tsv"}.get(fmt, "json"))
    expected = Result.parse(case.result.open("rb"), format=fmt)
    if expected.type == "ASK":
        assert got.askAnswer == expected.askAnswer
        return
    # Solutions are compared, not the head's variable list: the suite's agg-empty-group.srx declares only
    # ?max although ?x is projected too (unbound in its one solution).
    names = sorted({str(v) for v in got.vars or []} | {str(v) for v in expected.vars or []})
    got_rows = [tuple(row.get(v) for v in _vars(got, names)) for row in _bindings(got)]
    expected_rows = [tuple(row.get(v) for v in _vars(expected, names)) for row in _bindings(expected)]
    ordered = "ORDER BY" in case.query.read_text(encoding="utf-8").upper()
    if not same_solutions(got_rows, expected_rows, ordered):
        unordered = ordered and same_solutions(got_rows, expected_rows, ordered=False)
        problem = "the same solutions in another order" if unordered else "other solutions"
        pytest.fail(f"{problem}:\ngot      {got_rows}\nexpected {expected_rows}")


def _vars(result: Result, names: list[str]):
    return [Variable(n) for n in names]


def _bindings(result: Result):
    return result.bindings


def same_solutions(got: list[tuple], expected: list[tuple], ordered: bool) -> bool:
    """Equal solution sequences, blank nodes up to a consistent renaming (SPARQL 1.1 Query, section 19.6)."""
    if len(got) != len(expected):
        return False
    if ordered:
        return _match(got, expected, {}, in_order=True)
    if Counter(map(_shape, got)) != Counter(map(_shape, expected)):
        return False
    return _match(got, expected, {}, in_order=False)


def _shape(row: tuple) -> tuple:
    return tuple(None if isinstance(term, BNode) else _key(term) for term in row)


NUMERIC = {
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.negativeInteger,
    XSD.nonPositiveInteger,
}


def _key(term):
    """RDF 1.1 term equality, with two allowances the suite's results need: a simple literal is an xsd:string
    (RDF 1.1, section 3.3), a language tag's case does not matter (BCP 47); and numbers compare by datatype
    and value, since Oxigraph stores a number as a value and writes it back in canonical form ("1" for
    "1.0"^^xsd:decimal)."""
    if isinstance(term, Literal):
        datatype = term.datatype or (None if term.language else XSD.string)
        number = Literal(str(term), datatype=datatype)  # parsed afresh: some result parsers leave no value
        if datatype in NUMERIC and number.ill_typed is False:
            return ("number", datatype, number.value)
        return ("literal", str(term), datatype, (term.language or "").lower())
    return term


def _match(got: list[tuple], expected: list[tuple], mapping: dict, in_order: bool) -> bool:
    """Backtracking search for a bijection of blank nodes under which the rows correspond."""
    if not got:
        return True
    row, rest = got[0], got[1:]
    candidates = [0] if in_order else range(len(expected))
    for i in candidates:
        extended = _unify(row, expected[i], mapping)
        if extended is not None and _match(rest, expected[:i] + expected[i + 1 :], extended, in_order):
            return True
    return False


def _unify(row: tuple, other: tuple, mapping: dict) -> dict | None:
    mapping = dict(mapping)
    for a, b in zip(row, other, strict=True):
        if isinstance(a, BNode) and isinstance(b, BNode):
            if mapping.get(a, b) != b or (b in mapping.values() and mapping.get(a) != b):
                return None
            mapping[a] = b
        elif _key(a) != _key(b):
            return None
    return mapping
