"""The standard clients with their default settings against the served app (gunicorn): SPARQLWrapper through every
query form and format name it sends, rdflib's SPARQLStore, and curl through every form and media type (with and
without parameters), GET and POST."""

from __future__ import annotations

import shutil
import subprocess
import warnings

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from tests.conftest import needs_system

from spacegraph.sparql.results import GRAPH_TYPES, SOLUTION_TYPES

NAME = URIRef("https://schema.org/name")
PERSON = URIRef("http://xmlns.com/foaf/0.1/Person")
QUERIES = {
    "SELECT": "SELECT ?name WHERE { ?p a foaf:Person ; schema:name ?name } ORDER BY ?name",
    "ASK": 'ASK { ?p schema:name "Bhavya Lal" }',
    "CONSTRUCT": "CONSTRUCT { ?p schema:name ?name } WHERE { ?p a foaf:Person ; schema:name ?name }",
    "DESCRIBE": "DESCRIBE <https://w3id.org/spacegraph/id/person/bhavya-lal>",
}
# The format names SPARQLWrapper sends (as `format`, `output` and `results`, with an Accept of its own) that fit
# each form: a table has no Turtle, a graph no CSV.
WRAPPER_FORMATS = {"SELECT": [XML, JSON, CSV, TSV, RDF, RDFXML], "ASK": [XML, JSON, CSV, TSV],
                   "CONSTRUCT": [XML, RDF, RDFXML, N3, TURTLE, JSON, JSONLD],
                   "DESCRIBE": [XML, RDF, RDFXML, N3, TURTLE, JSON, JSONLD]}  # fmt: skip


def names_in(converted, fmt: str) -> set[str]:
    """The names in a SELECT answer, as SPARQLWrapper's convert() gives it for ``fmt``."""
    if fmt == JSON:
        return {b["name"]["value"] for b in converted["results"]["bindings"]}
    if fmt in (XML, RDF, RDFXML):  # an XML DOM
        return {n.getElementsByTagName("literal")[0].firstChild.data for n in converted.getElementsByTagName("binding")}
    lines = converted.decode("utf-8").splitlines()[1:]
    return {line.strip('"') for line in lines}


@pytest.mark.parametrize(("form", "fmt"), [(form, fmt) for form, formats in WRAPPER_FORMATS.items() for fmt in formats])
def test_sparqlwrapper_with_its_defaults_gets_an_answer(live_server, form, fmt):
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Sending Accept header '*/*'" for some pairs
        result = client.query()
    assert result.response.status == 200
    converted = result.convert()
    if form == "SELECT":
        names = names_in(converted, fmt)
        assert len(names) == 14 and "Bhavya Lal" in names and "José Ocasio-Christian" in names
    elif form == "ASK":
        if fmt in (CSV, TSV):
            assert converted.decode().split()[-1] == "true"
        else:
            assert converted["boolean"] if fmt == JSON else converted.getElementsByTagName("boolean")[0].firstChild.data == "true"  # fmt: skip
    else:
        graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
        assert (None, NAME, Literal("Bhavya Lal")) in graph


def test_rdflibs_sparql_store_reads_every_form(live_server):
    graph = Graph(store=SPARQLStore(live_server + "/sparql"))
    names = {str(row.name) for row in graph.query(QUERIES["SELECT"])}
    assert len(names) == 14 and "Bhavya Lal" in names
    assert graph.query(QUERIES["ASK"]).askAnswer is True
    constructed = graph.query(QUERIES["CONSTRUCT"]).graph
    assert (None, NAME, Literal("Bhavya Lal")) in constructed and len(constructed) >= 14
    described = graph.query(QUERIES["DESCRIBE"]).graph
    assert (URIRef("https://w3id.org/spacegraph/id/person/bhavya-lal"), NAME, Literal("Bhavya Lal")) in described
    assert len(list(graph.triples((None, NAME, Literal("Bhavya Lal"))))) >= 1  # its own SELECT for a pattern


def curl(*arguments: str) -> tuple[int, str, bytes]:
    """curl with its defaults: the status, the content type and the body."""
    done = subprocess.run(["curl", "-s", "-w", "\n%{http_code} %{content_type}", *arguments],
                          capture_output=True, check=True, timeout=60)  # fmt: skip
    body, _, tail = done.stdout.rpartition(b"\n")
    status, _, content_type = tail.decode().partition(" ")
    return int(status), content_type, body


@pytest.mark.parametrize("form", list(QUERIES))
def test_curl_through_every_form_and_media_type(live_server, form):
    needs_system("curl", shutil.which("curl") is not None)
    offered = list(SOLUTION_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES)
    url = live_server + "/sparql"
    status, content_type, body = curl("-G", url, "--data-urlencode", f"query={QUERIES[form]}")  # Accept: */*
    assert status == 200 and content_type.startswith(offered[0]) and body
    for media_type in offered:
        for accept in (media_type, f"{media_type};charset=utf-8", f"text/html;q=0.1, {media_type};q=0.9"):
            status, content_type, body = curl("-H", f"Accept: {accept}", "--data-urlencode", f"query={QUERIES[form]}",
                                              url)  # fmt: skip
            assert (status, content_type.split(";")[0]) == (200, media_type), (accept, body[:300])
            assert b"Bhavya Lal" in body or form == "ASK" and b"true" in body
    status, content_type, body = curl("-H", "Content-Type: application/sparql-query", "--data-binary",
                                      QUERIES[form], url)  # fmt: skip
    assert status == 200 and content_type.startswith(offered[0])


def test_curl_gets_a_readable_error(live_server):
    needs_system("curl", shutil.which("curl") is not None)
    status, content_type, body = curl(
        "-G", live_server + "/sparql", "--data-urlencode", "query=SELECT * { ?s ex:p ?o }"
    )
    assert status == 400 and content_type.startswith("text/plain")
    assert b"the prefix ex: is not declared" in body and b"line 1, column 15" in body
