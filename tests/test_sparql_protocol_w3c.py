"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only query service.

Transcribed from the test suite's manifest (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl): each case
keeps the test's name, its request and its expected outcome. The suite's data graphs data1.rdf … data3.rdf each
hold one statement, "<dataN.rdf> a foaf:Document", and are loaded here as named graphs. The update_* cases do
not apply to a read-only service; the bad_update_* ones do: an update is refused with a 4xx status either way.
"""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from spacegraph.store.oxigraph import OxigraphStore, new_generation, publish
from spacegraph.web import create_app

DATA = "http://kasei.us/2009/09/sparql/data/"
DOCUMENT = ox.NamedNode("http://xmlns.com/foaf/0.1/Document")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def g(n: int) -> str:
    return quote(f"{DATA}data{n}.rdf", safe="")


@pytest.fixture(scope="module")
def client(tmp_path_factory, built_settings):
    path = tmp_path_factory.mktemp("w3c") / "store"
    generation = new_generation(path)
    with OxigraphStore(generation) as store:
        store.load(
            ox.Quad(ox.NamedNode(f"{DATA}data{n}.rdf"), RDF_TYPE, DOCUMENT, ox.NamedNode(f"{DATA}data{n}.rdf"))
            for n in (0, 1, 2, 3)
        )
        store.flush()
    publish(path, generation)
    app = create_app({"SETTINGS": dataclasses.replace(built_settings, store=path), "TESTING": True})
    yield app.test_client()
    app.extensions["sparql"].stop()


ASK_12 = f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
ASK_FULL = f"ASK {{ <{DATA}data3.rdf> a ?type GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"  # noqa: E501
# (name, method, path, content type, body, accept, expected status class, expected boolean or media types)
CASES = [
    ("query_post_form", "POST", f"/sparql?default-graph-uri={g(0)}", "application/x-www-form-urlencoded",
     "query=ASK%20%7B%7D", None, 2, True),
    ("query_dataset_default_graphs_get", "GET",
     f"/sparql?query={quote(ASK_12)}&default-graph-uri={g(1)}&default-graph-uri={g(2)}", None, None, None, 2, True),
    ("query_dataset_default_graphs_post", "POST", f"/sparql?default-graph-uri={g(1)}&default-graph-uri={g(2)}",
     "application/sparql-query", ASK_12, None, 2, True),
    ("query_dataset_named_graphs_post", "POST", f"/sparql?named-graph-uri={g(1)}&named-graph-uri={g(2)}",
     "application/sparql-query", ASK_NAMED, None, 2, True),
    ("query_dataset_named_graphs_get", "GET",
     f"/sparql?query={quote(ASK_NAMED)}&named-graph-uri={g(1)}&named-graph-uri={g(2)}", None, None, None, 2, True),
    ("query_dataset_full", "POST", f"/sparql?default-graph-uri={g(3)}&named-graph-uri={g(1)}&named-graph-uri={g(2)}",
     "application/sparql-query", ASK_FULL, None, 2, True),
    ("query_multiple_dataset", "POST", f"/sparql?default-graph-uri={g(1)}", "application/sparql-query",
     f"ASK FROM <{DATA}data2.rdf> {{ <{DATA}data1.rdf> a ?type }}", None, 2, True),
    ("query_get", "GET", "/sparql?query=ASK%20%7B%7D", None, None, None, 2, True),
    ("query_content_type_select", "GET", "/sparql?query=SELECT%20%28123%20AS%20%3Fx%29%20%7B%7D", None, None,
     None, 2, ("application/sparql-results+xml", "application/sparql-results+json", "text/csv",
               "text/tab-separated-values")),
    ("query_content_type_ask", "GET", "/sparql?query=ASK%20%7B%7D", None, None, None, 2,
     ("application/sparql-results+xml", "application/sparql-results+json")),
    ("query_content_type_describe", "GET", f"/sparql?query={quote('DESCRIBE <http://example.org/>')}", None, None,
     None, 2, ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")),
    ("query_content_type_construct", "GET",
     f"/sparql?query={quote('CONSTRUCT { <s> <p> 1 } WHERE {}')}", None, None, "text/turtle", 2, ("text/turtle",)),
    ("query_post_direct", "POST", "/sparql", "application/sparql-query", "ASK {}", None, 2, True),
    ("bad_query_method", "PUT", "/sparql?query=ASK%20%7B%7D", None, None, None, 4, None),
    ("bad_multiple_queries", "GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, None, None, 4,
     None),
    ("bad_query_wrong_media_type", "POST", "/sparql", "text/plain", "ASK {}", None, 4, None),
    ("bad_query_missing_form_type", "POST", "/sparql", None, "query=ASK%20%7B%7D", None, 4, None),
    ("bad_query_missing_direct_type", "POST", "/sparql", None, "ASK {}", None, 4, None),
    ("bad_query_non_utf8", "POST", "/sparql", "application/sparql-query; charset=UTF-16",
     "ASK {}".encode("utf-16"), None, 4, None),
    ("bad_query_syntax", "GET", "/sparql?query=ASK%20%7B", None, None, None, 4, None),
    ("bad_update_get", "GET", f"/sparql?update={quote('CLEAR ALL')}", None, None, None, 4, None),
    ("bad_multiple_updates", "POST", "/sparql", "application/x-www-form-urlencoded",
     "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", None, 4, None),
    ("bad_update_wrong_media_type", "POST", "/sparql", "text/plain", "CLEAR NAMED", None, 4, None),
    ("bad_update_missing_form_type", "POST", "/sparql", None, "update=CLEAR%20NAMED", None, 4, None),
    ("bad_update_non_utf8", "POST", "/sparql", "application/sparql-update; charset=UTF-16",
     "CLEAR NAMED".encode("utf-16"), None, 4, None),
    ("bad_update_syntax", "POST", "/sparql", "application/sparql-update", "CLEAR XYZ", None, 4, None),
    ("bad_update_dataset_conflict", "POST", f"/sparql?using-graph-uri={g(1)}", "application/sparql-update",
     f"CLEAR NAMED ; INSERT {{ GRAPH <{DATA}x> {{ ?s ?p ?o }} }} USING <{DATA}data1.rdf> WHERE {{ ?s ?p ?o }}",
     None, 4, None),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_w3c_protocol_case(client, case):
    _, method, path, content_type, body, accept, status_class, expected = case
    headers = {"Accept": accept} if accept else {}
    if content_type:
        headers["Content-Type"] = content_type
    response = client.open(path, method=method, data=body, headers=headers)
    assert response.status_code // 100 == status_class, response.get_data(as_text=True)[:300]
    if expected is True:
        answer = response.get_data(as_text=True)
        if response.mimetype.endswith("json"):
            assert json.loads(answer)["boolean"] is True
        else:
            assert "<boolean>true</boolean>" in answer
    elif isinstance(expected, tuple):
        assert response.mimetype in expected


def _ask(client, query: str, params: str) -> bool:
    response = client.get(f"/sparql?query={quote(query)}&{params}", headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True))["boolean"]


def test_a_protocol_dataset_is_exactly_the_graphs_it_names(client):
    """SPARQL 1.1 Protocol 2.1.4: default-graph-uri alone gives a dataset with no named graphs, and
    named-graph-uri alone one with an empty default graph; with neither, the service's dataset applies."""
    any_named = "ASK { GRAPH ?g { ?s ?p ?o } }"
    any_default = "ASK { ?s ?p ?o }"
    assert _ask(client, any_named, "format=json") is True
    assert _ask(client, any_default, "format=json") is True  # the union of the named graphs
    assert _ask(client, any_named, f"default-graph-uri={g(1)}") is False
    assert _ask(client, any_default, f"named-graph-uri={g(1)}") is False
    assert _ask(client, any_named, f"named-graph-uri={g(1)}") is True
