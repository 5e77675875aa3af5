"""/sparql in process: the row limit, the request size limit, and the guard's lexical rules."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox
import pytest

from spacegraph.sparql.guard import QueryRefused, check_query
from spacegraph.store.oxigraph import OxigraphStore, generation_of
from spacegraph.web import create_app


@pytest.fixture
def client(built_settings):
    settings = dataclasses.replace(built_settings, max_rows=5)
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app.test_client()
    app.extensions["sparql"].stop()


def test_results_are_cut_at_the_row_limit_and_say_so(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"] == "true; limit=5"
    assert len(response.get_json()["results"]["bindings"]) == 5
    small = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "X-Result-Truncated" not in small.headers and len(small.get_json()["results"]["bindings"]) == 3


def test_request_bodies_have_a_size_limit(client):
    response = client.post("/sparql", data="x" * 200_000, content_type="application/sparql-query")
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ('PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:delete "LOAD <x>" }', "SELECT"),
        ("# INSERT in a comment\nASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s <http://example.org/drop> ?o }", "CONSTRUCT"),
        ("DESCRIBE ?insert WHERE { ?insert ?p ?o }", "DESCRIBE"),
        ("PREFIX : <http://e/> SELECT * { ?s :add ?o . ?o :with :load }", "SELECT"),
    ],
)
def test_guard_reads_keywords_only_outside_strings_iris_and_names(query, form):
    assert check_query(query, max_bytes=10_000, max_depth=50) == form


@pytest.mark.parametrize(
    "query",
    ["DELETE WHERE { ?s ?p ?o }", "INSERT DATA { <a> <b> <c> }", "CLEAR ALL", "DROP GRAPH <g>",
     "SELECT * WHERE { service <http://x/> { ?s ?p ?o } }", "PREFIX ex: <x:> ex:foo"],
)  # fmt: skip
def test_guard_refuses(query):
    with pytest.raises(QueryRefused):
        check_query(query, max_bytes=10_000, max_depth=50)


def test_large_answers_are_streamed_in_chunks_and_whole(built_settings):
    app = create_app({"SETTINGS": dataclasses.replace(built_settings, max_rows=0), "TESTING": True})
    client = app.test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert response.is_streamed and "Content-Length" not in response.headers  # sent as it is written
    rows = response.get_json()["results"]["bindings"]
    assert (
        len(rows) == len(OxigraphStore(built_settings.store, read_only=True)) and len(response.get_data()) > 64 * 1024
    )
    small = client.get("/sparql", query_string={"query": "ASK {}"})
    assert small.headers["Content-Length"] == str(len(small.get_data()))  # a small answer goes whole
    app.extensions["sparql"].stop()


def test_the_querys_own_from_and_from_named_set_its_dataset(client, built_settings):
    """SPARQL 1.1 Query, section 13.2: FROM makes the default graph the merge of the graphs it names, and FROM
    NAMED alone leaves the default graph empty; only with neither is it the service's union of every graph."""
    store = ox.Store.read_only(str(generation_of(built_settings.store)))
    some = min(g.value for g in store.named_graphs() if "/graph/" in g.value)
    in_graph = len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(some))))

    def count(query: str) -> int:
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 200, response.get_data(as_text=True)
        return int(response.get_json()["results"]["bindings"][0]["n"]["value"])

    everything = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert 0 < in_graph < everything
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{some}> WHERE {{ ?s ?p ?o }}") == in_graph
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{some}> WHERE {{ ?s ?p ?o }}") == 0
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{some}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == in_graph
