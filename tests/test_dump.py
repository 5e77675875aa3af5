"""A dataset to cite: the dumps per data version, the VoID and DCAT description, validators per data version with
304 on a conditional GET, and gzip on read-only answers (streamed ones included)."""

from __future__ import annotations

import gzip
import tomllib
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from spacegraph.build import build_store
from spacegraph.cli import cli
from spacegraph.settings import PROJECT_ROOT
from spacegraph.web import create_app
from spacegraph.web.dataset import DATA_LICENCE

DATASET = URIRef("https://w3id.org/spacegraph/dataset")
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture(scope="module")
def client(built_settings):
    return create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def store_quads(built_settings) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(built_settings.store)).quads_for_pattern(None, None, None, None))


@pytest.mark.parametrize(("extension", "rdf_format"), [("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)])
def test_the_dump_holds_every_quad_in_its_named_graph(client, store_quads, extension, rdf_format):
    response = client.get(f"/dump.{extension}.gz")
    assert response.status_code == 200 and response.mimetype == "application/gzip"
    assert "Content-Encoding" not in response.headers  # the file is gzip; it is not compressed twice
    assert response.headers["Content-Disposition"].startswith("attachment; filename=spacegraph-store.gen-")
    quads = set(ox.parse(gzip.decompress(response.data), format=rdf_format))
    assert quads == store_quads and len(quads) > 1400


def test_the_dump_is_written_once_per_version_and_answers_304(built_settings, client):
    first = client.get("/dump.nq.gz")
    [cached] = built_settings.store.parent.glob("store.gen-*.dump.nq.gz")
    written = cached.stat().st_mtime_ns
    again = client.get("/dump.nq.gz")
    assert again.data == first.data and cached.stat().st_mtime_ns == written  # read from disk, not dumped again
    assert client.get("/dump.nq.gz", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/dump.exe.gz").status_code == 404


def test_dump_chooses_the_format_by_accept(client):
    assert client.get("/dump").headers["Location"] == "/dump.nq.gz"
    assert client.get("/dump", headers={"Accept": "application/trig"}).headers["Location"] == "/dump.trig.gz"


def test_a_new_version_has_a_new_dump_and_new_validators(tmp_settings):
    build_store(tmp_settings)
    client = create_app({"SETTINGS": tmp_settings, "TESTING": True}).test_client()
    dump, page = client.get("/dump.nq.gz"), client.get("/id/person/jeffrey-manber")
    build_store(tmp_settings)  # the same data, published as a new version
    assert client.get("/dump.nq.gz", headers={"If-None-Match": dump.headers["ETag"]}).status_code == 200
    assert client.get("/id/person/jeffrey-manber", headers={"If-None-Match": page.headers["ETag"]}).status_code == 200
    new_lines, old_lines = (gzip.decompress(r.data).count(b"\n") for r in (client.get("/dump.nq.gz"), dump))
    assert new_lines == old_lines  # the same data (blank nodes are named afresh in each version)


@pytest.mark.parametrize("path", ["/.well-known/void", "/dataset"])
def test_the_dataset_is_described_with_void_and_dcat(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert {VOID.Dataset, DCAT.Dataset} <= set(graph.objects(DATASET, RDF.type))
    assert graph.value(DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(graph.value(DATASET, DCTERMS.creator), URIRef("http://xmlns.com/foaf/0.1/name")) is not None
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    dumps = set(graph.objects(DATASET, VOID.dataDump))
    assert dumps == {URIRef("http://localhost/dump.nq.gz"), URIRef("http://localhost/dump.trig.gz")}
    assert dumps <= set(graph.objects(DATASET, DCAT.distribution))
    sources = set(graph.objects(DATASET, DCTERMS.source))
    assert URIRef("https://swfound.org/events/2020/second-sino-us-space-commercialization-workshop") in sources
    assert len(set(graph.objects(DATASET, VOID.subset))) == 12  # eleven source graphs and the ontology
    [series] = graph.objects(DATASET, VOID.rootResource)
    assert str(series).startswith("https://w3id.org/spacegraph/id/series/")


def test_the_counts_are_distinct_triples(client, store_quads):
    graph = Graph().parse(data=client.get("/.well-known/void").get_data(as_text=True), format="turtle")
    distinct = {q.triple for q in store_quads}
    assert len(distinct) < len(store_quads)  # some triples are stated in two graphs: the union holds them once
    assert graph.value(DATASET, VOID.triples) == Literal(len(distinct), datatype=XSD.integer)
    subjects = {t.subject for t in distinct}
    assert graph.value(DATASET, VOID.distinctSubjects) == Literal(len(subjects), datatype=XSD.integer)


def test_the_description_is_also_json_ld(client):
    response = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    assert (DATASET, RDF.type, VOID.Dataset) in Dataset().parse(data=response.data, format="json-ld")


@pytest.mark.parametrize(
    "path", ["/", "/id/person/jeffrey-manber", "/ontology.ttl", "/api/continuity", "/.well-known/void"]
)
def test_read_only_answers_have_validators_and_answer_304(client, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"store.gen-') and first.headers["Cache-Control"] == "no-cache"
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": 'W/"store.gen-0-0"'}).status_code == 200


def test_a_validator_belongs_to_one_representation(client):
    html = client.get("/id/person/jeffrey-manber", headers={"Accept": "text/html"})
    turtle = client.get(
        "/id/person/jeffrey-manber", headers={"Accept": "text/turtle", "If-None-Match": html.headers["ETag"]}
    )
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"


def test_a_request_with_a_cookie_is_neither_cached_nor_compressed(client):
    signed_in = client.application.test_client()
    signed_in.set_cookie("session", "x")
    response = signed_in.get("/id/person/jeffrey-manber", headers=GZIP)
    assert "ETag" not in response.headers and "Content-Encoding" not in response.headers


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/id/person/jeffrey-manber", "text/html"), ("/api/continuity", "application/json"),
     ("/vendor/yasgui.min.js", "*/*"),
     ("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"), "text/csv")],
)  # fmt: skip
def test_read_only_answers_are_gzip_compressed(client, path, accept):
    plain = client.get(path, headers={"Accept": accept})
    packed = client.get(path, headers={"Accept": accept, **GZIP})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data) / 2


def test_the_description_is_linked_from_the_home_page_and_the_service_description(client):
    assert 'href="/.well-known/void"' in client.get("/").get_data(as_text=True)
    service = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert URIRef("http://localhost/.well-known/void") in set(service.objects(None, RDFS.seeAlso))


def test_the_licences_and_the_citation_agree_with_the_package_and_the_data():
    """CITATION.cff has what CFF 1.2.0 requires (checked in full with cffconvert when it was written); the code's
    licence is pyproject's, the data's is the one the description and the ontology declare; DATA-LICENSE says which of
    data/sources/ is ours."""
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["message"] and citation["title"]
    assert all("name" in a or "family-names" in a for a in citation["authors"])
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["license"] == project["license"] == "MIT" and citation["version"] == project["version"]
    assert "MIT License" in (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    [data] = [r for r in citation["references"] if r["type"] == "data"]
    assert data["license"] == "CC-BY-4.0" and str(DATA_LICENCE) == "https://creativecommons.org/licenses/by/4.0/"
    licence = (PROJECT_ROOT / "DATA-LICENSE").read_text(encoding="utf-8")
    for ours in ("series.json", "amendments.json"):
        assert f"data/sources/{ours}" in licence.split("2. Source documents")[0]
    assert "data/sources/swf-2020-09-19-second-sino-us-space-commercialization-workshop.txt" in licence
    assert "Any other document added to data/sources/" in licence  # an ingested page stays its publisher's
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "spacegraph.ttl")
    assert ontology.value(URIRef("https://w3id.org/spacegraph/ontology"), DCTERMS.license) == DATA_LICENCE


def test_the_command_line_writes_the_same_dump_compressed(built_settings, store_quads, tmp_path):
    output = tmp_path / "spacegraph.trig.gz"
    result = CliRunner().invoke(cli, ["--store", str(built_settings.store), "dump", "--format", "trig", str(output)])
    assert result.exit_code == 0, result.output
    assert set(ox.parse(gzip.decompress(output.read_bytes()), format=ox.RdfFormat.TRIG)) == store_quads


def test_the_description_names_each_server_url_asked_with_and_refuses_a_host_that_is_no_plain_origin(client):
    """Computed once per version with a stand-in URL: each Host gets its own links, a crafted one is refused."""
    for root in ("http://a.example/", "https://b.example:8443/"):
        text = client.get("/.well-known/void", base_url=root, headers={"Accept": "text/turtle"}).get_data(as_text=True)
        assert f"<{root}sparql>" in text and "spacegraph.invalid" not in text
    assert client.get("/.well-known/void", headers={"Host": 'x"><y'}).status_code == 400
