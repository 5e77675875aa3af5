"""The W3C SPARQL query tests, 1.1 and 1.0, run through the endpoint's own query layer.

The test data in ``tests/w3c`` is the W3C's SPARQL 1.1 test suite (w3c/rdf-tests, ``sparql/sparql11``) in
``sparql11`` and the SPARQL 1.0 suite (the DAWG's ``data-r2``) in ``data-r2``, both as shipped in rdflib 7.6.0's
source distribution; ``tests/w3c/README.md`` says which directories are here, why the others are not, and what
the pass rates are. Both suites run through the same code: their manifests share one vocabulary, and a test is
named ``suite/directory/test``. Only tests the working group approved (``dawgt:approval dawgt:Approved``) run;
those that need an optional feature (``mf:requires``) run too, as Oxigraph has the four that data-r2 names.
Each test goes through what a query to ``/sparql`` goes through:

* the guard (``sparql.guard.check_query``) with the endpoint's default limits, which must let every valid query
  pass (the positive syntax tests) and may refuse an invalid one before the engine does;
* ``sparql.runner.evaluate``: the dataset built from the protocol's ``default-graph-uri``/``named-graph-uri``
  (the test's ``qt:data`` is loaded as a graph named in ``default-graph-uri``, each ``qt:graphData`` as a named
  graph; a query with FROM or FROM NAMED names its own, and the store then holds only the graphs it names), then
  pyoxigraph, then the endpoint's result serializers;
* the serialized answer is parsed back with rdflib (SPARQL JSON, CSV or TSV results; N-Triples graphs) and
  compared with the expected result: solutions as multisets, in order where the query has ORDER BY and the
  expected result gives an order, blank nodes up to renaming, graphs up to isomorphism.

Expected results come as SPARQL XML, JSON, CSV or TSV results, as graphs (CONSTRUCT), or, in ``data-r2``, as
result sets in RDF (Turtle or RDF/XML) in the DAWG's result-set vocabulary (``rs:``), where ``rs:index`` gives
the solutions' order.

The failures that remain are listed in ``tests/w3c/expected-failures.txt``, each with its reason; they are strict
xfails, so a fixed failure shows up as a passing test that must leave the list.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.query import Result

from spacegraph.settings import SETTINGS
from spacegraph.sparql.guard import QueryRefused, check_query
from spacegraph.sparql.runner import Buffer, QueryRequest, evaluate

W3C = Path(__file__).parent / "w3c"
SUITES = {  # each suite's directory in tests/w3c, and the IRI its files have on w3.org (as in its manifests)
    "sparql11": "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/",
    "data-r2": "http://www.w3.org/2001/sw/DataAccess/tests/data-r2/",
}
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
DEFAULT_GRAPH = "urn:x-spacegraph-test:default-graph"
LIMITS = {
    name.removeprefix("max_query_"): int(s.default)
    for s in SETTINGS
    if (name := s.name) in ("max_query_bytes", "max_query_depth")
}
RESULT_FORMATS = {".srx": "xml", ".srj": "json", ".csv": "csv", ".tsv": "tsv"}


@dataclass
class Case:
    name: str  # suite/directory/test, e.g. sparql11/aggregates/agg01
    kind: str  # the mf: type, e.g. QueryEvaluationTest
    query: Path
    data: list[Path] = field(default_factory=list)
    graph_data: list[Path] = field(default_factory=list)
    result: Path | None = None
    lax: bool = False  # mf:resultCardinality mf:LaxCardinality (a REDUCED query)


def _local(iri: object) -> Path:
    for suite, base in SUITES.items():
        if str(iri).startswith(base):
            return W3C / suite / str(iri).removeprefix(base)
    raise ValueError(f"{iri} is in no suite here")


def _iri(path: Path) -> str:
    suite, *rest = path.relative_to(W3C).parts
    return SUITES[suite] + "/".join(rest)


def _manifests(suite: Path) -> list[Path]:
    """The suite's manifests, one per directory: those its top manifests include (data-r2's
    manifest-evaluation.ttl and manifest-syntax.ttl), or all of them (sparql11 is here without its top one)."""
    tops = sorted(suite.glob("manifest-*.ttl"))
    if not tops:
        return sorted(suite.glob("*/manifest.ttl"))
    found = []
    for top in tops:
        graph = Graph().parse(top, format="turtle", publicID=_iri(top))
        for included in graph.objects(None, MF.include):
            found += [_local(manifest) for manifest in graph.items(included)]
    return found


def cases() -> list[Case]:
    found = []
    for suite in SUITES:
        for manifest in _manifests(W3C / suite):
            graph = Graph().parse(manifest, format="turtle", publicID=_iri(manifest))
            for entries in graph.objects(None, MF.entries):
                for test in graph.items(entries):
                    if graph.value(test, DAWGT.approval) != DAWGT.Approved:
                        continue  # withdrawn, or never approved: README.md lists them
                    found.append(_case(graph, test, f"{suite}/{manifest.parent.name}/{str(test).rsplit('#', 1)[-1]}"))
    return found


def _case(graph: Graph, test, name: str) -> Case:
    kind = str(graph.value(test, RDF.type)).removeprefix(str(MF))
    action = graph.value(test, MF.action)
    if isinstance(action, URIRef):  # a syntax test: the action is the query
        return Case(name, kind, _local(action))
    result = graph.value(test, MF.result)
    return Case(
        name,
        kind,
        _local(graph.value(action, QT.query)),
        [_local(d) for d in graph.objects(action, QT.data)],
        [_local(d) for d in graph.objects(action, QT.graphData)],
        _local(result) if result is not None else None,
        lax=graph.value(test, MF.resultCardinality) == MF.LaxCardinality,
    )


def expected_failures() -> dict[str, str]:
    lines = (W3C / "expected-failures.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


CASES = cases()
FAILURES = expected_failures()


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=FAILURES[case.name])] if case.name in FAILURES else []
        yield pytest.param(case, id=case.name, marks=marks)


def test_expected_failures_are_tests():
    assert set(FAILURES) <= {case.name for case in CASES}


def _store(case: Case) -> ox.Store:
    store = ox.Store()
    for path in dict.fromkeys(case.data):
        store.load(path=str(path), base_iri=_iri(path), to_graph=ox.NamedNode(DEFAULT_GRAPH), format=_rdf(path))
    for path in dict.fromkeys(case.graph_data):  # a graph named twice (FROM and FROM NAMED) is loaded once
        store.load(path=str(path), base_iri=_iri(path), to_graph=ox.NamedNode(_iri(path)), format=_rdf(path))
    return store


def _rdf(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE


FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.I)
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)


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
        graphs = [p for n in named if (p := case.query.parent / n).exists()]
        case = dataclasses.replace(case, data=[], graph_data=graphs)
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
    expected, in_order = _expected(case.result)
    if isinstance(expected, Graph):
        got_graph = Graph().parse(data=run(case, "application/n-triples"), format="nt")
        assert isomorphic(got_graph, expected), f"got\n{got_graph.serialize(format='nt')}"
        return
    fmt = RESULT_FORMATS.get(case.result.suffix, "json")
    media = {"csv": "text/csv", "tsv": "text/tab-separated-values"}.get(fmt, "application/sparql-results+json")
    body = run(case, media)
    got = Result.parse(io.BytesIO(body), format={"csv": "csv", "tsv": "tsv"}.get(fmt, "json"))
    if expected.type == "ASK":
        assert got.askAnswer == expected.askAnswer
        return
    # Solutions are compared, not the head's variable list: the suite's agg-empty-group.srx declares only
    # ?max although ?x is projected too (unbound in its one solution).
    names = sorted({str(v) for v in got.vars or []} | {str(v) for v in expected.vars or []})
    got_rows = [tuple(row.get(Variable(v)) for v in names) for row in got.bindings]
    expected_rows = [tuple(row.get(Variable(v)) for v in names) for row in expected.bindings]
    ordered = in_order and ORDER_BY.search(case.query.read_text(encoding="utf-8")) is not None
    if not same_solutions(got_rows, expected_rows, ordered, lax=case.lax):
        unordered = ordered and same_solutions(got_rows, expected_rows, ordered=False)
        problem = "the same solutions in another order" if unordered else "other solutions"
        pytest.fail(f"{problem}:\ngot      {got_rows}\nexpected {expected_rows}")


def _expected(path: Path) -> tuple[Graph | Result, bool]:
    """The expected result, and whether it gives the solutions' order: SPARQL results (XML, JSON, CSV, TSV) in
    document order; a graph, the result of a CONSTRUCT; or a result set in RDF, in the DAWG's result-set
    vocabulary (rs:), ordered when each solution has an rs:index."""
    if path.suffix in RESULT_FORMATS:
        return Result.parse(path.open("rb"), format=RESULT_FORMATS[path.suffix]), True
    graph = Graph().parse(path, format="xml" if path.suffix == ".rdf" else "turtle", publicID=_iri(path))
    result_set = graph.value(predicate=RDF.type, object=RS.ResultSet)
    if result_set is None:
        return graph, False
    answer = graph.value(result_set, RS.boolean)
    if answer is not None:
        result = Result("ASK")
        result.askAnswer = bool(answer.toPython())
        return result, False
    result = Result("SELECT")
    result.vars = [Variable(str(v)) for v in graph.objects(result_set, RS.resultVariable)]
    solutions = list(graph.objects(result_set, RS.solution))
    indexes = [graph.value(s, RS["index"]) for s in solutions]  # RS.index is str.index
    in_order = bool(solutions) and None not in indexes
    if in_order:
        solutions = [s for _, s in sorted(zip((int(i) for i in indexes), solutions, strict=True))]
    result.bindings = [
        {Variable(str(graph.value(b, RS.variable))): graph.value(b, RS.value) for b in graph.objects(s, RS.binding)}
        for s in solutions
    ]
    return result, in_order


def same_solutions(got: list[tuple], expected: list[tuple], ordered: bool, lax: bool = False) -> bool:
    """Equal solution sequences, blank nodes up to a consistent renaming (SPARQL 1.1 Query, section 19.6).

    ``lax`` is the manifests' mf:LaxCardinality, which data-r2 gives its REDUCED queries: REDUCED may drop some
    duplicates or none (SPARQL 1.0 section 9.3.2, 1.1 section 15.3.2), so the expected result is the one without
    REDUCED, and each of its solutions must come at least once and at most as often as there (the test
    vocabulary's definition). The solutions are then compared as terms; those tests have no blank nodes."""
    if lax:
        got_counts, expected_counts = Counter(map(_terms, got)), Counter(map(_terms, expected))
        return got_counts.keys() == expected_counts.keys() and all(
            n <= expected_counts[row] for row, n in got_counts.items()
        )
    if len(got) != len(expected):
        return False
    if ordered:
        return _match(got, expected, {}, in_order=True)
    if Counter(map(_shape, got)) != Counter(map(_shape, expected)):
        return False
    return _match(got, expected, {}, in_order=False)


def _terms(row: tuple) -> tuple:
    return tuple(_key(term) for term in row)


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
