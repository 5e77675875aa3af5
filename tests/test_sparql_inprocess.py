"""/sparql in process: the row limit, the request size limit, and the guard's lexical rules."""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace
from rdflib.namespace import VOID

from spacegraph.cli import cli
from spacegraph.sparql import results
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


def test_the_projects_prefixes_are_declared_and_listed(client):
    """A query that runs in `spacegraph query` runs here: sg:, foaf:, schema: … need no PREFIX lines."""
    response = client.get("/sparql", query_string={"query": "ASK { ?p a foaf:Person ; schema:name ?n }"})
    assert response.status_code == 200 and response.get_json()["boolean"] is True
    description = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert 'sh:prefix "sg"' in description and '"https://schema.org/"^^xsd:anyURI' in description


def test_a_syntax_error_names_the_undeclared_prefix_where_it_is_written(client):
    query = "SELECT ?n WHERE {\n  ?p a foaf:Person ;\n     ex:name ?n }"
    response = client.get("/sparql", query_string={"query": query})
    said = response.get_data(as_text=True)
    assert response.status_code == 400
    assert said.startswith("Query syntax error: line 3, column 6: the prefix ex: is not declared: add PREFIX ex:")
    assert said.endswith("     ex:name ?n }\n     ^\n")  # the user's line, and a caret under the place
    other = client.get("/sparql", query_string={"query": "SELECT ?n WHERE {\n  ?p ?q ?n"}).get_data(as_text=True)
    assert other.startswith("Query syntax error: line 2, column 11: expected one of") and "'\\u{" not in other


def test_the_default_graph_counts_each_triple_once(client, built_settings):
    store = ox.Store.read_only(str(generation_of(built_settings.store)))
    distinct = {q.triple for q in store if isinstance(q.graph_name, ox.NamedNode)}  # in the named graphs
    description = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(), format="ttl")
    default = next(description.objects(None, SD.defaultGraph))
    named = [
        description.value(description.value(n, SD.graph), VOID.triples)
        for n in description.objects(None, SD.namedGraph)
    ]
    assert description.value(default, VOID.triples).toPython() == len(distinct) < sum(n.toPython() for n in named)


SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
TRIPLE_TERM = 'SELECT ?t ?s WHERE { VALUES (?t ?s) { (<<( <http://e/a> <http://e/b> "c" )>> "tab\\there") } }'


def test_triple_terms_and_tabs_are_written_as_the_formats_say(client):
    xml = client.get("/sparql", query_string={"query": TRIPLE_TERM, "format": "xml"}).get_data(as_text=True)
    assert "<triple><subject><uri>http://e/a</uri></subject>" in xml and "<literal>tab\there</literal>" in xml
    tsv = client.get("/sparql", query_string={"query": TRIPLE_TERM, "format": "tsv"}).get_data(as_text=True)
    assert tsv == '?t\t?s\n<<( <http://e/a> <http://e/b> "c" )>>\t"tab\\there"\n'
    bound = client.get("/sparql", query_string={"query": TRIPLE_TERM}).get_json()["results"]["bindings"][0]
    assert bound["t"]["type"] == "triple" and bound["t"]["value"]["object"] == {"type": "literal", "value": "c"}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_one_column_of_any_term_in_every_format_and_the_query_process_survives(client, fmt):
    query = 'SELECT ?x WHERE { VALUES ?x { <<( <http://e/a> <http://e/b> <http://e/c> )>> 1 "" } }'
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


@pytest.mark.parametrize(("fmt", "rows"), [("csv", lambda b: b.count(b"\r\n") - 1),
                                           ("tsv", lambda b: b.count(b"\n") - 1),
                                           ("xml", lambda b: b.count(b"</result>"))])  # fmt: skip
def test_every_format_is_cut_at_the_row_limit(client, fmt, rows):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": fmt})
    assert response.headers["X-Result-Truncated"] == "true; limit=5" and rows(response.get_data()) == 5


@pytest.mark.parametrize(
    ("form", "fmt", "media_type"),
    [("SELECT", "xml", "application/sparql-results+xml"), ("SELECT", "rdf+xml", "application/sparql-results+xml"),
     ("SELECT", "json", "application/sparql-results+json"), ("ASK", "csv", "text/csv"),
     ("CONSTRUCT", "xml", "application/rdf+xml"), ("CONSTRUCT", "rdf", "application/rdf+xml"),
     ("DESCRIBE", "rdf+xml", "application/rdf+xml"), ("CONSTRUCT", "n3", "text/turtle"),
     ("DESCRIBE", "json", "application/ld+json"), ("CONSTRUCT", "turtle", "text/turtle")],
)  # fmt: skip
def test_format_names_mean_the_format_that_fits_the_query(client, form, fmt, media_type):
    query = {
        "SELECT": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
        "ASK": "ASK {}",
        "CONSTRUCT": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1",
        "DESCRIBE": "DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 1",
    }
    response = client.get("/sparql?" + urlencode([("query", query[form]), ("format", fmt), ("format", "")]))
    assert response.status_code == 200 and response.mimetype == media_type
    table_as_turtle = client.get("/sparql", query_string={"query": query["SELECT"], "format": "turtle"})
    assert table_as_turtle.status_code == 406 and "does not fit a SELECT query" in table_as_turtle.get_data(True)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("text/csv;charset=utf-8", "text/csv"),
     ("application/sparql-results+json;q=0.5, text/tab-separated-values;charset=UTF-8;q=0.9", "text/tab-separated-values"),
     ("application/sparql-results+xml; charset=utf-8", "application/sparql-results+xml")],
)  # fmt: skip
def test_accept_with_parameters_and_q_values(client, accept, media_type):
    response = client.get(
        "/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}, headers={"Accept": accept}
    )
    assert response.status_code == 200 and response.mimetype == media_type


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("application/rdf+xml", "application/rdf+xml"), ("text/plain", "application/n-triples"),
     ("text/turtle;charset=utf-8", "text/turtle"), ("application/ld+json; profile=\"x\"", "application/ld+json")],
)  # fmt: skip
def test_entity_pages_negotiate_rdf_xml_text_plain_and_parameters_with_cors(client, accept, media_type):
    path = "/id/person/bhavya-lal"
    response = client.get(path, headers={"Accept": accept, "Origin": "https://example.org"})
    assert response.status_code == 200 and response.mimetype == media_type
    graph = Graph().parse(data=response.get_data(), format={"application/n-triples": "nt"}.get(media_type, media_type))
    assert len(graph) > 3
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    # a script of another site can read the validators and revalidate with them
    assert {"ETag", "Last-Modified"} <= {
        h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_the_query_commands_syntax_errors_point_into_the_query_as_written(built_settings):
    """The prefix lines put in front of the query are not counted (they made positions 13 lines too far down)."""
    query = "SELECT ?n WHERE {\n  ?p a foaf:Person ;\n     schema:name ?n ;\n     ?q }"
    result = CliRunner().invoke(cli, ["--store", str(built_settings.store), "query", query])
    assert result.exit_code != 0
    assert "SPARQL syntax error: line 4, column 10: expected" in result.output
    assert result.output.rstrip().endswith("     ?q }\n         ^")
    undeclared = CliRunner().invoke(cli, ["--store", str(built_settings.store), "query", "ASK { ?s ex:p ?o }"])
    assert "line 1, column 10: the prefix ex: is not declared: add PREFIX ex: <…>" in undeclared.output


@pytest.mark.parametrize(("rows", "limit", "truncated"), [(5000, 4999, True), (5000, 5000, False),
                                                          (5000, 5001, False), (0, 3, False), (1, 1, False)])  # fmt: skip
def test_the_row_limit_cuts_exactly_whatever_the_serializers_chunks(rows, limit, truncated):
    store = ox.Store()
    name = ox.NamedNode("https://schema.org/name")
    store.bulk_extend(ox.Quad(ox.NamedNode(f"https://e/{i}"), name, ox.Literal(f"n\t{i}")) for i in range(rows))
    for media_type in results.SOLUTION_TYPES:
        sink = results.Buffer()
        results.write_solutions(store.query("SELECT ?s ?o { ?s ?p ?o }"), media_type, limit, sink)
        assert sink.truncated is truncated
        if media_type == "application/sparql-results+json":
            assert len(json.loads(sink.body)["results"]["bindings"]) == min(rows, limit)
        elif media_type == "text/tab-separated-values":
            assert sink.body.count(b"\n") == 1 + min(rows, limit)
