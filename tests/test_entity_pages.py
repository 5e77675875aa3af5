"""Entity pages and Linked Data, in process with the app's test client on the real series: every route and
every content type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, RDF

from spacegraph.web import create_app

BASE = "https://w3id.org/spacegraph/"
MANBER = "/id/person/jeffrey-manber"
FUZHOU = "/id/event/2020-second-sino-u-s-space-commercialization-workshop"
SERIES = ("/id/series/u-s-china-space-commercialization-dialogue-sino-u-s-space-commercialization-workshops-"
          "and-space-high-end-dialogue-series")  # fmt: skip
PAGES = [MANBER, FUZHOU, "/id/org/nanoracks", "/id/topic/space-tourism", SERIES, "/id/place/fuzhou-cn",
         "/graph/registry-people", "/side/us", "/side/china", "/country/CN", "/country/US"]  # fmt: skip


@pytest.fixture(scope="module")
def client(built_settings):
    return create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()


def cells(section: dict) -> str:
    """A section's rows as text, links by their text, to assert on."""
    return json.dumps(section["rows"], ensure_ascii=False)


def section(page: dict, key: str) -> dict:
    return next(s for s in page["sections"] if s["id"] == key)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_html_and_a_json_twin(client, path):
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    twin = client.get(path + ".json")
    assert twin.status_code == 200 and twin.mimetype == "application/json"
    page = twin.get_json()
    assert page["title"] in html.get_data(as_text=True).replace("&#39;", "'")
    assert client.get(path, headers={"Accept": "application/json"}).get_json() == page


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("/id/") or p.startswith("/graph/")])
@pytest.mark.parametrize(
    ("accept", "suffix", "rdf_format"),
    [
        ("text/turtle", ".ttl", "turtle"),
        ("application/ld+json", ".jsonld", "json-ld"),
        ("application/n-triples", ".nt", "nt"),
    ],  # fmt: skip
)
def test_every_entity_iri_dereferences_to_rdf(client, path, accept, suffix, rdf_format):
    negotiated = client.get(path, headers={"Accept": accept})
    assert negotiated.status_code == 200 and negotiated.mimetype == accept
    assert "Accept" in negotiated.headers["Vary"]
    graph = Graph().parse(data=negotiated.get_data(), format=rdf_format)
    assert len(graph) > 0
    iri = URIRef(BASE + path.lstrip("/"))
    if path.startswith("/id/"):  # a description of the IRI: statements it is the subject or object of
        assert all(iri in (s, o) for s, _, o in graph)
    by_suffix = Graph().parse(data=client.get(path + suffix).get_data(), format=rdf_format)
    assert len(by_suffix) == len(graph)


@pytest.mark.parametrize("path", [*PAGES, "/resource?iri=https%3A%2F%2Fswfound.org%2Fevents%2F2020%2Fsecond-sino-us-"
                                  "space-commercialization-workshop"])  # fmt: skip
def test_every_other_format_a_page_links_to_is_there(client, path):
    links = client.get(path, headers={"Accept": "text/html"}).headers["Link"].split(", ")
    assert links and links[0].endswith('type="application/json"')
    for link in links:
        url, media_type = link.split('>; rel="alternate"; type=')
        answer = client.get(url.lstrip("<"))
        assert answer.status_code == 200 and answer.mimetype == media_type.strip('"'), url


def test_person_rdf_says_what_it_is(client):
    graph = Graph().parse(data=client.get(MANBER + ".ttl").get_data(), format="turtle")
    assert (URIRef(BASE + "id/person/jeffrey-manber"), RDF.type, FOAF.Person) in graph


def test_browsers_get_html_and_unknown_types_get_406(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(MANBER, headers={"Accept": browser}).mimetype == "text/html"
    assert client.get(MANBER, headers={"Accept": "*/*"}).mimetype == "text/html"
    assert client.get(MANBER, headers={"Accept": "image/png"}).status_code == 406
    # q-values decide: Turtle preferred over HTML
    assert client.get(MANBER, headers={"Accept": "text/html;q=0.5, text/turtle"}).mimetype == "text/turtle"


def test_person_page_shows_appearances_co_speakers_and_topics_with_evidence(client):
    page = client.get(MANBER + ".json").get_json()
    assert (page["kind"], page["title"]) == ("person", "Jeffrey Manber")
    appearances = section(page, "appearances")
    assert len(appearances["rows"]) == 1
    date, edition, role, affiliation, talk, side, attended, evidence, sources = appearances["rows"][0]
    assert (date, edition["url"], role) == ("2020-09-19", FUZHOU, "speaker or presenter")
    assert (side, attended) == ("U.S.", "pre-recorded")  # the side's and the mode's labels, from the vocabulary
    assert [a["text"] if isinstance(a, dict) else a for a in affiliation] == ["CEO", "Nanoracks"]
    assert talk.startswith("Perspectives on US-China Commercial Engagement")
    assert evidence.startswith("Jeffrey Manber, CEO, Nanoracks")  # the sentence of the source behind the record
    assert "https://swfound.org/events/2020/second-sino-us-space-commercialization-workshop" in {
        s["url"] for s in sources
    }
    co = section(page, "co-speakers")
    assert {row[0]["text"] for row in co["rows"]} >= {"WANG Yiran", "Ian Christensen", "Blaine Curcio"} - {
        "Blaine Curcio"  # not at Fuzhou
    }
    assert all(row[3][0]["url"] == FUZHOU for row in co["rows"])  # each tie's evidence: that event
    assert len(co["rows"]) == 8
    topics = section(page, "topics")
    assert any("commercialization" in row[0]["text"] for row in topics["rows"])
    assert all(row[1] and row[1][0]["url"] == FUZHOU for row in topics["rows"])  # the editions behind each topic


def test_every_statement_carries_its_source(client):
    page = client.get(FUZHOU + ".json").get_json()
    about = page["statements"]["about"]
    assert about and all(s["sources"] for s in about)
    assert all(s["sources"] for s in page["statements"]["pointing_here"])


def test_an_ingested_page_shows_the_sentence_behind_each_event_fact(tmp_settings):
    from click.testing import CliRunner

    from spacegraph.cli import cli

    args = ["--data", str(tmp_settings.data), "--store", str(tmp_settings.store)]
    assert CliRunner().invoke(cli, [*args, "build"]).exit_code == 0
    source = Path(__file__).parent / "ingest_corpus" / "13-space-economy-2030-online-panel.md"
    assert CliRunner().invoke(cli, [*args, "ingest", "--yes", str(source)]).exit_code == 0
    client = create_app({"SETTINGS": tmp_settings, "TESTING": True}).test_client()
    edition = next(e for e in client.get("/index.json").get_json()["editions"] if "2030" in e["name"])
    page = client.get(edition["url"] + ".json").get_json()
    date = next(s for s in page["statements"]["about"] if s["property"]["iri"] == "https://schema.org/startDate")
    assert date["evidence"] and date["evidence"] in source.read_text(encoding="utf-8")
    assert any(ch.isdigit() for ch in date["evidence"])  # the line that gives the date


def test_a_re_ingested_page_shows_its_new_sentences_without_a_restart(tmp_settings, tmp_path):
    """The source documents' texts are kept per data version: a page re-ingested with other text shows the new
    sentence, not the old text cut at the new offsets (issue 14: the cache was keyed by the file name only)."""
    from click.testing import CliRunner

    from spacegraph.cli import cli

    args = ["--data", str(tmp_settings.data), "--store", str(tmp_settings.store)]
    assert CliRunner().invoke(cli, [*args, "build"]).exit_code == 0
    original = Path(__file__).parent / "ingest_corpus" / "13-space-economy-2030-online-panel.md"
    page = tmp_path / original.name
    page.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    assert CliRunner().invoke(cli, [*args, "ingest", "--yes", str(page)]).exit_code == 0
    client = create_app({"SETTINGS": tmp_settings, "TESTING": True}).test_client()

    def date_evidence() -> str:
        edition = next(e for e in client.get("/index.json").get_json()["editions"] if "2030" in e["name"])
        about = client.get(edition["url"] + ".json").get_json()["statements"]["about"]
        return next(s["evidence"] for s in about if s["property"]["iri"] == "https://schema.org/startDate")

    assert "March 8, 2023" in date_evidence()
    text = original.read_text(encoding="utf-8").replace("Wednesday, March 8, 2023", "Thursday, March 9, 2023")
    page.write_text(text.replace("\n\n", "\n\nA paragraph added at the top, which moves every sentence after it.\n\n", 1),
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, [*args, "ingest", "--yes", str(page)])
    assert result.exit_code == 0, result.output
    evidence = date_evidence()
    assert "March 9, 2023" in evidence and evidence in page.read_text(encoding="utf-8")


def test_edition_page_has_date_place_hosts_programme_topics_and_series(client):
    page = client.get(FUZHOU + ".json").get_json()
    summary = {item["label"]: item["values"] for item in page["summary"]}
    assert summary["Date"] == ["2020-09-19"]
    assert [v["text"] for v in summary["Place"] if v] == ["Fuzhou", "CN"]
    assert {h["text"] for h in summary["Hosts"]} == {"Chinese Society of Astronautics", "Secure World Foundation"}
    assert summary["Held with"][0]["text"] == "2020 China Space Conference"
    assert len(summary["Topics"]) >= 3
    programme = section(page, "programme")
    who = [row[0]["text"] for row in programme["rows"]]
    assert who[:2] == ["Chinese Society of Astronautics", "Secure World Foundation"]  # hosts first
    assert "ZHANG Dong" in who and "Jeffrey Manber" in who
    zhang = next(row for row in programme["rows"] if row[0]["text"] == "ZHANG Dong")
    assert "CHINAROCKERT CO., LTD (China Rocket Co., Ltd.)" in cells({"rows": [zhang]})
    timeline = section(page, "timeline")
    assert len(timeline["rows"]) == 8
    assert [row[1].get("current") for row in timeline["rows"]].count(True) == 1


def test_organisation_page_has_people_editions_and_partners(client):
    page = client.get("/id/org/china-rocket-co-ltd.json").get_json()
    summary = {item["label"]: item["values"] for item in page["summary"]}
    assert summary["Country"][0]["url"] == "/country/CN"
    assert "CHINAROCKERT CO., LTD" in summary["Also written"]
    assert "ZHANG Dong" in cells(section(page, "people"))
    assert FUZHOU in cells(section(page, "editions"))
    partners = client.get("/id/org/secure-world-foundation.json").get_json()
    assert len(section(partners, "partners")["rows"]) > 3


def test_topic_page_counts_narrower_topics_and_lists_who_spoke(client):
    broad = client.get("/id/topic/space-commercialization.json").get_json()
    summary = {item["label"]: item["values"] for item in broad["summary"]}
    assert summary["Narrower"]
    rows = section(broad, "spoken")["rows"]
    assert rows and all(row[2]["iri"] != broad["iri"] for row in rows)  # reached through narrower topics only
    fuzhou = [row for row in rows if row[1]["url"] == FUZHOU]
    assert fuzhou and "Jeffrey Manber" in cells({"rows": fuzhou})


def test_side_and_country_pages_list_participants_per_edition(client):
    china = client.get("/side/china.json").get_json()
    rows = section(china, "per-edition")["rows"]
    assert any(row[1]["url"] == FUZHOU and "ZHANG Dong" in cells({"rows": [row]}) for row in rows)
    assert "Jeffrey Manber" not in cells(section(china, "per-edition"))
    us = client.get("/country/US.json").get_json()
    assert "Nanoracks" in json.dumps(us["summary"])


def test_series_page_has_a_timeline_and_continuity(client):
    page = client.get(SERIES + ".json").get_json()
    assert len(section(page, "timeline")["rows"]) == 8
    continuity = section(page, "continuity")["rows"]
    assert len(continuity) == 8 and any(row[5] for row in continuity)  # someone came back


def test_unknown_entities_get_404_with_suggestions(client):
    response = client.get("/id/person/jefrey-manber", headers={"Accept": "text/html"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Did you mean" in html and f'href="{MANBER}"' in html
    as_json = client.get("/id/person/jefrey-manber.json").get_json()
    assert as_json["suggestions"][0]["url"] == MANBER
    assert client.get("/side/mars").status_code == 404
    assert client.get("/country/XX").status_code == 404
    assert client.get("/country/not-a-code").status_code == 404
    assert client.get("/id/person/UPPER case").status_code == 404  # not a minted IRI path: no query runs


def test_resource_page_takes_any_iri_and_refuses_what_is_not_one(client):
    ok = client.get("/resource.json?iri=https%3A%2F%2Fswfound.org%2Fevents%2F2020%2Fsecond-sino-us-space-"
                    "commercialization-workshop")  # fmt: skip
    assert ok.status_code == 200 and ok.get_json()["statements"]["pointing_here"]
    for bad_iri in ("%3E%20%7D%20DROP%20ALL", "http://x%0a", "http://x%01y", "http://x/%25x%25", "relative/path", ""):
        bad = client.get(f"/resource?iri={bad_iri}", headers={"Accept": "text/html"})
        assert bad.status_code == 400 and "not an absolute IRI" in bad.get_data(as_text=True), bad_iri
    assert client.get("/resource?iri=file:///etc/passwd").status_code == 404  # an IRI like any other: nothing known
    for text in ("a\nb", '") } DROP ALL #', "x" * 10_000):  # searched for as text, never as query syntax
        assert client.get("/search.json", query_string={"q": text}).status_code == 200
    not_found = client.get("/id/person/jefrey-manber.ttl")
    assert not_found.status_code == 404 and not_found.mimetype == "text/plain"
    assert "did you mean <https://w3id.org/spacegraph/id/person/jeffrey-manber>" in not_found.get_data(as_text=True)


def test_search_finds_people_organisations_and_topics_regardless_of_case_and_accents(client):
    found = client.get("/search.json?q=manber").get_json()["results"]
    assert found[0]["url"] == MANBER
    assert any(r["kind"] == "organisation" for r in client.get("/search.json?q=ROCKET").get_json()["results"])
    assert any(r["kind"] == "topic" for r in client.get("/search.json?q=tourism").get_json()["results"])
    assert client.get("/search.json?q=").get_json()["results"] == []
    html = client.get("/search?q=wang").get_data(as_text=True)
    assert 'href="/id/person/wang-yiran"' in html


def test_path_page_shows_each_hop_with_its_event(client):
    page = client.get("/path.json?a=Jeffrey+Manber&b=Blaine+Curcio").get_json()
    assert page["length"] == 2
    middles = {path["names"][1] for path in page["paths"]}
    assert middles == {"Ian Christensen", "WANG Yiran"}
    assert all(hop["events"] and hop["events"][0]["url"].startswith("/id/event/")
               for path in page["paths"] for hop in path["hops"])  # fmt: skip
    unknown = client.get("/path?a=Nobody+Atall&b=Blaine+Curcio", headers={"Accept": "text/html"})
    assert unknown.status_code == 404 and "Nobody Atall" in unknown.get_data(as_text=True)


def test_home_page_counts_and_entry_points(client):
    page = client.get("/index.json").get_json()
    assert page["counts"]["editions"] == 8 and page["counts"]["people"] == 14
    html = client.get("/").get_data(as_text=True)
    for entry in ('href="/network"', 'href="/sparql"', 'href="/plan"', 'action="/search"', f'href="{FUZHOU}"'):
        assert entry in html
