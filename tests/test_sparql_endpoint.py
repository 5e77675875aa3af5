"""/sparql with real clients against the running server (gunicorn): SPARQLWrapper, rdflib, raw HTTP."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

PERSONS = (
    "SELECT ?name WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> ; <https://schema.org/name> ?name } ORDER BY ?name"
)
CONSTRUCT = "CONSTRUCT { ?p <https://schema.org/name> ?n } WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> ; <https://schema.org/name> ?n }"


def wrapper(url: str, query: str, fmt) -> SPARQLWrapper:
    client = SPARQLWrapper(url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def http(url: str, *, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def query_url(base: str, query: str, **params: str) -> str:
    return base + "/sparql?" + urllib.parse.urlencode({"query": query, **params})


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format(live_server, fmt):
    result = wrapper(live_server, PERSONS, fmt).query()
    if fmt == JSON:
        names = [b["name"]["value"] for b in result.convert()["results"]["bindings"]]
    elif fmt == XML:
        document = result.convert()
        names = [n.firstChild.firstChild.data for n in document.getElementsByTagName("binding")]
    elif fmt == CSV:
        names = [row["name"] for row in csv.DictReader(io.StringIO(result.convert().decode("utf-8")))]
    else:
        lines = result.convert().decode("utf-8").splitlines()
        assert lines[0] == "?name"
        names = [json.loads(line) for line in lines[1:]]  # N-Triples literals are JSON-compatible strings here
    assert len(names) == 14 and names[0] == "Bhavya Lal" and "José Ocasio-Christian" in names


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(live_server, fmt):
    result = (
        wrapper(live_server, 'ASK { ?o <https://schema.org/name> "China Rocket Co., Ltd." }', fmt).query().convert()
    )
    assert result["boolean"] if fmt == JSON else result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "application/trig",
     "application/n-quads"],
)  # fmt: skip
def test_construct_in_every_graph_format(live_server, media_type):
    status, headers, body = http(query_url(live_server, CONSTRUCT), headers={"Accept": media_type})
    assert status == 200 and headers["Content-Type"].startswith(media_type)
    graph = Graph()
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml", "application/trig": "trig", "application/n-quads": "nquads"}[media_type]  # fmt: skip
    graph.parse(data=body, format=fmt)
    assert len(set(graph.objects())) == 14


def test_rdflib_sparqlstore(live_server):
    graph = Graph(store=SPARQLStore(live_server + "/sparql", returnFormat="json"))
    names = [str(row.name) for row in graph.query(PERSONS)]
    assert len(names) == 14
    assert (URIRef("https://w3id.org/spacegraph/id/person/wang-yiran"), None, None) in graph


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.9, application/sparql-results+json;q=0.1", "text/csv"),
        ("application/sparql-results+json;q=0.2, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
        ("text/*;q=0.5, */*;q=0.1", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ],
)
def test_content_negotiation_honours_q_values(live_server, accept, expected):
    status, headers, _ = http(query_url(live_server, PERSONS), headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].startswith(expected)


def test_format_parameter_and_not_acceptable(live_server):
    status, headers, _ = http(query_url(live_server, PERSONS, format="tsv"))
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    status, _, body = http(query_url(live_server, PERSONS), headers={"Accept": "application/pdf"})
    assert status == 406 and b"none of the accepted types" in body
    status, _, body = http(query_url(live_server, PERSONS, format="turtle"))
    assert status == 406 and b"does not fit a SELECT query" in body


def test_post_form_and_direct(live_server):
    form = urllib.parse.urlencode({"query": PERSONS}).encode()
    status, _, body = http(live_server + "/sparql", data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})  # fmt: skip
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 14
    graph = "https://w3id.org/spacegraph/graph/registry-people"
    url = live_server + "/sparql?" + urllib.parse.urlencode({"default-graph-uri": graph})
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, _, body = http(url, data=count.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "73"


def test_named_graph_uri_limits_graph(live_server):
    graph = "https://w3id.org/spacegraph/graph/registry-series"
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = http(query_url(live_server, query, **{"named-graph-uri": graph}))
    assert status == 200 and [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [graph]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda u: (u + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}), b"give one query"),
        (lambda u: (u + "/sparql", b"update=INSERT+DATA+%7B%3Ca%3E+%3Cb%3E+%3Cc%3E%7D",
                    {"Content-Type": "application/x-www-form-urlencoded"}), b"read-only"),
        (lambda u: (u + "/sparql", b"INSERT DATA { <a> <b> <c> }", {"Content-Type": "application/sparql-update"}),
         b"read-only"),
        (lambda u: (query_url(u, "SELECT ?x WHERE { ?x ?y }"), None, {}), b"Query syntax error: line 1, column 26"),
        (lambda u: (u + "/sparql", b"query=ASK{}", {"Content-Type": "text/plain"}), b"unsupported request type"),
    ],
    ids=["two-queries", "update-form", "update-direct", "syntax-error", "wrong-content-type"],
)  # fmt: skip
def test_protocol_errors_are_4xx_with_a_message(live_server, make, message):
    url, data, headers = make(live_server)
    status, _, body = http(url, data=data, headers=headers)
    assert 400 <= status < 500 and message in body


def test_service_description_for_rdf_clients_and_editor_for_browsers(live_server):
    status, headers, body = http(live_server + "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200
    description = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in description
    assert (None, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in description
    assert len(list(description.objects(None, URIRef(sd + "namedGraph")))) == 12
    status, headers, body = http(live_server + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and b"yasgui.min.js" in body and b"Who spoke at the 2020 Fuzhou workshop" in body
    status, headers, _ = http(live_server + "/vendor/yasgui.min.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert http(live_server + "/vendor/package.json")[0] == 404


def test_cors_is_on_for_reading(live_server):
    _, headers, _ = http(query_url(live_server, "ASK {}"), headers={"Origin": "https://example.org"})
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_example_query_pages(live_server):
    status, _, body = http(live_server + "/queries.json")
    queries = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and len(queries) >= 6 and all(q["title"] and q["description"] for q in queries.values())
    assert http(live_server + "/queries/fuzhou-2020-speakers")[0] == 200
    status, headers, body = http(live_server + "/queries/fuzhou-2020-speakers.rq")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-query") and b"SELECT" in body
    status, headers, body = http(live_server + "/queries/fuzhou-2020-speakers/results?format=csv")
    assert status == 200 and body.count(b"\r\n") == 10  # header and the nine people
    assert headers["Content-Disposition"] == 'attachment; filename="fuzhou-2020-speakers.csv"'
    for accept, extension in [
        ("*/*", "srj"),
        ("application/sparql-results+xml", "srx"),
        ("text/tab-separated-values", "tsv"),
    ]:
        status, headers, _ = http(live_server + "/queries/editions/results", headers={"Accept": accept})
        assert headers["Content-Disposition"] == f'attachment; filename="editions.{extension}"'
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    status, _, body = http(live_server + "/queries/editions/results", headers=browser)  # followed to the editor
    assert status == 200 and b'data-example="editions"' in body and b"yasgui.min.js" in body
    assert http(live_server + "/queries/../../etc/passwd")[0] == 404


class Listener:
    """A local TCP port that records whether anything connected to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connected = False

    def poll(self) -> bool:
        try:
            self.socket.accept()[0].close()
            self.connected = True
        except OSError:
            pass
        return self.connected


@pytest.mark.parametrize(
    ("query", "status", "fragment"),
    [
        ("SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000, 400, b"nests groups or expressions"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }", 400, b"nests"),
        ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000, 413, b"is larger than"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:PORT/> { ?s ?p ?o } }", 400, b"SERVICE is not allowed"),
        ("SELECT * WHERE { #x\rSERVICE <http://127.0.0.1:PORT/> { ?s ?p ?o } }", 400, b"SERVICE is not allowed"),
        ("LOAD <file:///etc/passwd>", 400, b"read-only"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", 200, None),
        ("SELECT * FROM <http://127.0.0.1:PORT/> WHERE { ?s ?p ?o }", 200, None),
        ("SELECT * FROM NAMED <http://127.0.0.1:PORT/> WHERE { GRAPH ?g { ?s ?p ?o } }", 200, None),
        ('SELECT ?s WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "^(a+)+$") }', 200, None),
    ],
    ids=["nesting-3000", "nested-expression", "huge", "service-local-port", "service-after-cr-comment", "load-file", "from-file", "from-port",
         "from-named-port", "catastrophic-regex"],
)  # fmt: skip
def test_malicious_queries_are_refused_or_contained(live_server, query, status, fragment):
    listener = Listener()
    query = query.replace("PORT", str(listener.port))
    form = urllib.parse.urlencode({"query": query}).encode()
    got, _, body = http(
        live_server + "/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert got == status, body[:300]
    if fragment:
        assert fragment in body
    assert b"root:" not in body  # no local file reached the answer
    assert not listener.poll(), "the query made the server connect to a local port"
    assert http(query_url(live_server, "ASK {}"))[0] == 200  # and the server still answers


def test_a_runaway_query_is_stopped_while_others_are_answered(live_server):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome: dict = {}

    def run_away() -> None:
        outcome["runaway"] = http(query_url(live_server, runaway))

    thread = threading.Thread(target=run_away)
    thread.start()
    time.sleep(0.5)
    answered = http(query_url(live_server, PERSONS))  # another worker answers meanwhile
    assert answered[0] == 200 and len(json.loads(answered[2])["results"]["bindings"]) == 14
    assert thread.is_alive(), "the runaway query finished before the deadline: make it heavier"
    thread.join(60)
    status, _, body = outcome["runaway"]
    assert status == 503 and b"ran longer than 3 s and was stopped" in body
    assert http(query_url(live_server, "ASK {}"))[0] == 200
