"""Every IRI the data mints under its base dereferences: the ontology and its terms, agents, sources, entities and
graphs, as HTML and as RDF that describes the IRI."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS
from tests.test_accessibility import test_page_has_no_wcag_a_or_aa_violations as check_with_axe

from spacegraph.web import create_app
from spacegraph.web.context import LIBRARY

ONTOLOGY = "https://w3id.org/spacegraph/ontology"


@pytest.fixture(scope="module")
def app(built_settings):
    return create_app({"SETTINGS": built_settings, "TESTING": True})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def minted_iris(app) -> set[str]:
    """Every IRI in the store under the base, in any position of any quad (graph names included)."""
    base = app.config["SETTINGS"].base
    found = set()
    for quad in app.extensions[LIBRARY].published().store.quads(None, None, None, None):
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(base):
                found.add(term.value)
    return found


def test_every_minted_iri_dereferences_as_html_and_turtle(app, client):
    base = app.config["SETTINGS"].base
    iris = minted_iris(app)
    kinds = {iri[len(base) :].split("/")[0].split("#")[0] for iri in iris}
    assert {"id", "graph", "ontology", "agent", "source"} <= kinds and len(iris) > 230
    html_of: dict[str, str] = {}
    for iri in sorted(iris):
        document, _, fragment = iri.partition("#")  # a client fetches the document and looks for the fragment
        path = "/" + document[len(base) :]
        if path not in html_of:
            html = client.get(path, headers={"Accept": "text/html"})
            assert html.status_code == 200 and html.mimetype == "text/html", iri
            html_of[path] = html.get_data(as_text=True)
            turtle = client.get(path, headers={"Accept": "text/turtle"})
            assert turtle.status_code == 200 and turtle.mimetype == "text/turtle", iri
            described = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
            assert URIRef(iri) in set(described.all_nodes()), f"the Turtle of {path} does not mention <{iri}>"
        if fragment:
            assert f'id="{fragment}"' in html_of[path], f"/ontology has no entry for #{fragment}"


def test_the_ontology_is_documented_from_the_ontology_and_the_shapes(client):
    page = client.get("/ontology.json").get_json()
    assert page["iri"] == ONTOLOGY and page["license"] == "https://creativecommons.org/licenses/by/4.0/"
    classes = {c["name"]: c for c in page["classes"]}
    edition = classes["sg:Edition"]
    assert edition["anchor"] == "Edition" and edition["superclasses"][0]["text"] == "schema:Event"
    assert edition["instances"] >= 6 and edition["examples"][0]["url"].startswith("/id/event/")
    name = next(k for k in edition["constraints"] if k["path"] == "schema:name")
    assert name["count"] == "1..1" and "exactly one schema:name" in name["message"]
    organisation = classes["org:Organization"]
    sector = [k for k in organisation["constraints"] if k["path"] == "sg:sector"]
    assert {k["severity"] for k in sector} == {"Violation", "Warning"}  # the warning is shown as one
    assert any("one of sg:governmentBody" in k["values"] for k in sector)
    properties = {p["name"]: p for p in page["properties"]}
    assert properties["sg:side"]["range"] == [{"text": "sg:Side", "url": "#Side", "iri": ONTOLOGY + "#Side"}]
    terms = {i["name"]: i for i in page["individuals"]}
    assert terms["sg:sideChina"]["label"] == "China" and terms["sg:nonProfit"]["kind"][0]["text"] == "sg:Sector"

    html = client.get("/ontology").get_data(as_text=True)
    assert '<article id="Edition"' in html and '<tr id="side">' in html and '<tr id="sideChina">' in html
    assert 'href="#Side"' in html and 'href="/ontology.ttl"' in html
    turtle = client.get("/ontology.ttl").get_data(as_text=True)
    assert "@prefix sg: <https://w3id.org/spacegraph/ontology#>" in turtle and "sg:Edition a owl:Class" in turtle


@pytest.mark.parametrize(
    ("accept", "suffix", "rdf_format"),
    [("text/turtle", ".ttl", "turtle"), ("application/ld+json", ".jsonld", "json-ld"),
     ("application/n-triples", ".nt", "nt")],
)  # fmt: skip
def test_the_ontology_is_served_as_rdf(client, accept, suffix, rdf_format):
    negotiated = client.get("/ontology", headers={"Accept": accept})
    assert negotiated.status_code == 200 and negotiated.mimetype == accept
    graph = Graph().parse(data=negotiated.get_data(as_text=True), format=rdf_format)
    by_suffix = Graph().parse(data=client.get("/ontology" + suffix).get_data(as_text=True), format=rdf_format)
    assert isomorphic(graph, by_suffix)
    assert (URIRef(ONTOLOGY), RDF.type, OWL.Ontology) in graph
    assert len(set(graph.subjects(RDF.type, OWL.Class))) >= 20
    assert graph.value(URIRef(ONTOLOGY + "#Edition"), RDFS.label) is not None


def test_agents_and_sources_have_pages_and_rdf(client):
    agent = client.get("/agent/spacegraph-import-series.json").get_json()
    assert agent["iri"] == "https://w3id.org/spacegraph/agent/spacegraph-import-series"
    assert any("registry-people" in str(s) for s in agent["statements"]["pointing_here"])
    turtle = client.get("/source/series-json", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    graph = Graph().parse(data=turtle, format="turtle")
    derived = set(graph.subjects(URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    assert URIRef("https://w3id.org/spacegraph/graph/registry-people") in derived


def test_an_unknown_agent_or_ontology_format_is_404(client):
    assert client.get("/agent/nobody").status_code == 404
    assert client.get("/ontology.exe").status_code == 404
    assert re.search(r"nothing is recorded", client.get("/source/nothing.json").get_json()["error"])


def test_the_ontology_page_has_no_wcag_a_or_aa_violations(browser, live_server):
    check_with_axe(browser, live_server, "/ontology")


def test_pages_link_agents_sources_and_ontology_terms_to_their_own_pages(client):
    """A graph's page links the agent that made it and its source documents at /agent/… and /source/…, and terms at
    /ontology#…, not through /resource?iri=."""
    from spacegraph.web.links import page_url

    base = "https://w3id.org/spacegraph/"
    for path in ("agent/x", "source/x", "ontology#Edition", "id/person/x", "graph/x"):
        assert page_url(base + path, base) == "/" + path
    assert page_url(base + "other/x", base).startswith("/resource?iri=")
    page = client.get(
        "/graph/swfound-2020-second-sino-us-space-commercialization-workshop", headers={"Accept": "text/html"}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="/agent/spacegraph-import-series"' in html and 'href="/source/' in html
    assert "resource?iri=https%3A%2F%2Fw3id.org%2Fspacegraph%2F" not in html
