"""One test suite for the store interface, run on the embedded Oxigraph store and on Virtuoso over SPARQL 1.1
(with the update endpoint, and with the Graph Store Protocol)."""

from __future__ import annotations

import io
import uuid

import pyoxigraph as ox
import pytest
from tests.virtuoso import virtuoso  # noqa: F401  (the fixture)

from spacegraph.store import sparql as sparql_store_module
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import SparqlStore

EX = "http://example.org/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(params=["oxigraph", "virtuoso-update", "virtuoso-gsp"])
def store(request, tmp_path):
    if request.param == "oxigraph":
        with OxigraphStore(tmp_path / "store") as s:
            yield s
        return
    server = request.getfixturevalue("virtuoso")
    gsp = server.graph_store_url if request.param == "virtuoso-gsp" else None
    s = SparqlStore(server.query_url, server.update_url, gsp, user=server.user, password=server.password)
    s.clear()  # the tests share one server: start from no graphs
    yield s
    s.clear()


def g(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{EX}graph/{name}-{uuid.uuid4().hex[:8]}")


def n(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


TRICKY = [
    ox.Literal("plain"),
    ox.Literal("English", language="en"),
    ox.Literal('中文 with “quotes”, a "quote", a \\ and\na new line'),
    ox.Literal("2020-09-19", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
]


def test_replace_graph_holds_exactly_the_new_quads_and_leaves_other_graphs(store):
    first, other = g("first"), g("other")
    store.replace_graph(first, [ox.Quad(n("a"), n("p"), n("b"), first), ox.Quad(n("a"), n("q"), n("c"), first)])
    store.replace_graph(other, [ox.Quad(n("x"), n("p"), n("y"), other)])
    store.replace_graph(first, [ox.Quad(n("a"), n("p"), n("z"), first)])
    assert {(q.subject, q.predicate, q.object) for q in store.quads(graph=first)} == {(n("a"), n("p"), n("z"))}
    assert len(list(store.quads(graph=other))) == 1
    store.replace_graph(first, [])
    assert list(store.quads(graph=first)) == []


def test_terms_round_trip_exactly(store):
    graph = g("terms")
    store.replace_graph(graph, [ox.Quad(n("s"), n(f"p{i}"), term, graph) for i, term in enumerate(TRICKY)])
    got = {row["p"].value: row["o"] for row in store.query(f"SELECT ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")}
    assert got == {f"{EX}p{i}": term for i, term in enumerate(TRICKY)}


def test_bulk_load_named_graphs_and_count(store):
    graphs = [g(f"bulk{i}") for i in range(3)]
    quads = [ox.Quad(n(f"s{j}"), RDF_TYPE, n("Thing"), graphs[j % 3]) for j in range(2500)]  # more than a batch
    store.load(quads)
    assert set(graphs) <= set(store.named_graphs())
    assert len(store) == 2500
    counted = store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <http://example.org/Thing> }")
    assert int(next(iter(counted))["n"].value) == 2500  # the default graph is the union of the named graphs


def test_select_ask_construct_and_variables(store):
    graph = g("forms")
    store.replace_graph(graph, [ox.Quad(n("a"), n("knows"), n("b"), graph), ox.Quad(n("b"), n("knows"), n("c"), graph)])
    solutions = store.query("SELECT ?x ?y WHERE { ?x <http://example.org/knows> ?y } ORDER BY ?x")
    assert [v.value for v in solutions.variables] == ["x", "y"]
    solutions = list(solutions)
    assert [(r["x"], r["y"]) for r in solutions] == [(n("a"), n("b")), (n("b"), n("c"))]
    assert bool(store.query("ASK { <http://example.org/a> <http://example.org/knows> ?y }")) is True
    assert bool(store.query("ASK { <http://example.org/c> <http://example.org/knows> ?y }")) is False
    triples = set(
        store.query("CONSTRUCT { ?y <http://example.org/knownBy> ?x } WHERE { ?x <http://example.org/knows> ?y }")
    )
    assert ox.Triple(n("b"), n("knownBy"), n("a")) in triples and len(triples) == 2
    optional = store.query(
        "SELECT ?x ?z WHERE { ?x <http://example.org/knows> ?y OPTIONAL { ?x <http://example.org/no> ?z } }"
    )
    assert all(row["z"] is None for row in optional)


def test_remove_graph_add_and_dump(store):
    keep, drop = g("keep"), g("drop")
    store.add(ox.Quad(n("k"), n("p"), ox.Literal("kept"), keep))
    store.add(ox.Quad(n("d"), n("p"), ox.Literal("dropped"), drop))
    store.remove_graph(drop)
    out = io.BytesIO()
    store.dump(out)
    dumped = set(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert dumped == {ox.Quad(n("k"), n("p"), ox.Literal("kept"), keep)}


def test_blank_nodes_keep_their_structure(store):
    graph = g("bnodes")
    node = ox.BlankNode()
    store.replace_graph(
        graph, [ox.Quad(n("s"), n("has"), node, graph), ox.Quad(node, n("label"), ox.Literal("x"), graph)]
    )
    rows = store.query(f"SELECT ?l WHERE {{ GRAPH {graph} {{ <{EX}s> <{EX}has> ?b . ?b <{EX}label> ?l }} }}")
    assert [r["l"] for r in rows] == [ox.Literal("x")]


def test_a_graph_larger_than_one_update_request_is_replaced_whole(store, monkeypatch):
    monkeypatch.setattr(sparql_store_module, "GSP_BATCH", 1_000)  # several Graph Store Protocol requests too
    graph = g("large")
    big = [ox.Quad(n(f"s{i}"), n("p"), ox.Literal(f"value {i}"), graph) for i in range(6000)]
    store.replace_graph(graph, big)
    store.replace_graph(graph, big[:10] + [ox.Quad(n("new"), n("p"), ox.Literal("new"), graph)])
    assert len(list(store.quads(graph=graph))) == 11
