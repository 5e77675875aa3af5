"""Every page kind shows what SPARQL answers for the same entity (issue 17): sides, attendance modes, roles, dates,
places, topics and counts, on the real series and on a generated data set (bench/generate.py at 10^4 quads). Each
table is read whole through its JSON (``?table=KEY``), so paging never hides a row from the comparison."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter

import pytest

from spacegraph.build import build_store
from spacegraph.settings import PROJECT_ROOT, load_settings
from spacegraph.vocab.sparql import PREFIX_HEADER
from spacegraph.vocab.terms import ATTENDANCE_MODES, ROLES, SIDES
from spacegraph.web import create_app
from spacegraph.web.links import page_url

LABEL = {str(t.iri): t.label for t in (*SIDES, *ATTENDANCE_MODES, *ROLES)}
SAMPLE = 6  # entities of each kind compared per data set


def _generated_settings(root):
    spec = importlib.util.spec_from_file_location("bench_generate", PROJECT_ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(root / "data", 10_000, seed=1, jobs=1)
    settings = load_settings(data=root / "data", store=root / "store")
    build_store(settings)
    return settings


@pytest.fixture(scope="module", params=["real series", "generated 10^4"])
def site(request, built_settings, tmp_path_factory):
    """(test client, SPARQL function, base) on the real series and on generated data."""
    if request.param == "real series":
        settings = built_settings
    else:
        settings = _generated_settings(tmp_path_factory.mktemp("agree"))
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()

    def sparql(query: str) -> list[dict]:
        answer = client.post("/sparql", data={"query": PREFIX_HEADER + query},
                             headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [{k: v["value"] for k, v in b.items()} for b in answer.get_json()["results"]["bindings"]]

    return client, sparql, settings.base


def whole(client, path: str, key: str) -> list[dict]:
    """A page's table ``key``, every row, as objects keyed by its columns."""
    answer = client.get(f"{path}.json?table={key}")
    assert answer.status_code == 200, (path, key)
    return answer.get_json()["rows"]


def text(cell) -> str:
    if isinstance(cell, dict):
        return cell.get("text") or ""
    if isinstance(cell, list):
        return "; ".join(text(c) for c in cell)
    return cell or ""


def iri(cell) -> str:
    return cell["iri"] if isinstance(cell, dict) else ""


def busiest(sparql, pattern: str) -> list[str]:
    return [r["x"] for r in sparql(f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ {pattern} }} GROUP BY ?x "
                                   f"ORDER BY DESC(?n) ?x LIMIT {SAMPLE}")]  # fmt: skip


def test_a_persons_appearances_agree_with_sparql(site):
    client, sparql, base = site
    for person in busiest(sparql, "?rec conf:isHeldBy ?x . ?x a foaf:Person"):
        expected = Counter(
            (r["e"], LABEL[r["r"]], LABEL.get(r.get("side", ""), ""), r.get("date", ""), LABEL.get(r.get("m", ""), ""))
            for r in sparql(f"SELECT ?e ?r ?side ?date ?m WHERE {{ ?rec conf:isHeldBy <{person}> ; conf:withRole ?r ; "
                            "conf:during ?e OPTIONAL { ?rec sg:side ?side } OPTIONAL { ?e schema:startDate ?date } "
                            "OPTIONAL { ?rec sg:attendanceMode ?m } }")
        )  # fmt: skip
        rows = whole(client, page_url(person, base), "appearances")
        shown = Counter((iri(r["Edition"]), r["Role"], r["Side"] or "", r["Date"] or "", r.get("Attended") or "")
                        for r in rows)  # fmt: skip
        assert shown == expected, person
        assert any(r["Side"] for r in rows)  # the sides the records state are shown (the column was empty)


def test_an_editions_facts_and_programme_agree_with_sparql(site):
    client, sparql, base = site
    for edition in busiest(sparql, "?rec conf:during ?x . ?x schema:name ?name"):
        page = client.get(page_url(edition, base) + ".json").get_json()
        summary = {s["label"]: [text(v) for v in s["values"] if v] for s in page["summary"]}
        facts = sparql(f"SELECT ?start ?m ?place WHERE {{ OPTIONAL {{ <{edition}> schema:startDate ?start }} "
                       f"OPTIONAL {{ <{edition}> schema:eventAttendanceMode ?m }} "
                       f"OPTIONAL {{ <{edition}> schema:location/schema:name ?place }} }}")[0]  # fmt: skip
        assert summary["Attendance"] == [LABEL[facts["m"]] if "m" in facts else "not given"], edition
        assert summary["Date"][0].startswith(facts.get("start", "not given"))
        assert facts.get("place", "") in " ".join(summary.get("Place", []))
        topics = {r["t"] for r in sparql(f"SELECT DISTINCT ?t WHERE {{ <{edition}> schema:about ?t }}")}
        assert {iri(v) for s in page["summary"] if s["label"] == "Topics" for v in s["values"]} == topics
        expected = Counter(
            (r["h"], LABEL[r["r"]], LABEL.get(r.get("side", ""), ""), LABEL.get(r.get("m", ""), ""))
            for r in sparql(f"SELECT ?h ?r ?side ?m WHERE {{ ?rec conf:during <{edition}> ; conf:isHeldBy ?h ; "
                            "conf:withRole ?r OPTIONAL { ?rec sg:side ?side } OPTIONAL { ?rec sg:attendanceMode ?m } }")
        )  # fmt: skip
        rows = whole(client, page_url(edition, base), "programme")
        assert Counter((iri(r["Who"]), r["Role"], r["Side"] or "", r.get("Attended") or "") for r in rows) == expected


def test_the_series_timeline_counts_agree_and_say_not_recorded(site):
    client, sparql, base = site
    for series in [r["s"] for r in sparql("SELECT DISTINCT ?s WHERE { ?e schema:superEvent ?s }")][:SAMPLE]:
        counts = {r["e"]: (int(r["n"]), r.get("c")) for r in sparql(
            f"SELECT ?e ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?e schema:superEvent <{series}> OPTIONAL {{ ?e "
            "sg:participantsComplete ?c } OPTIONAL { ?rec conf:during ?e ; conf:isHeldBy ?p . ?p a foaf:Person } } "
            "GROUP BY ?e ?c")}  # fmt: skip
        rows = whole(client, page_url(series, base), "timeline")
        assert {iri(r["Edition"]) for r in rows} == set(counts)
        for r in rows:
            n, complete = counts[iri(r["Edition"])]
            if complete == "false":
                assert r["People"] == ("not recorded" if n == 0 else f"at least {n}")
            else:
                assert r["People"] == str(n)


def test_an_organisations_people_and_a_topics_editions_agree(site):
    client, sparql, base = site
    for organisation in busiest(sparql, "?aff conf:withOrganisation ?x"):
        n = int(sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?aff conf:withOrganisation <{organisation}> ; "
                       "conf:isAffiliationOf ?p ; conf:during ?e }")[0]["n"])  # fmt: skip
        assert len(whole(client, page_url(organisation, base), "people")) == n
    for topic in busiest(sparql, "?e schema:about ?x"):
        editions = {r["e"] for r in sparql(f"SELECT DISTINCT ?e WHERE {{ ?v skos:broader* <{topic}> . "
                                           "?e schema:about ?v ; a ?t FILTER EXISTS { ?t rdfs:subClassOf* sg:Edition } }")}  # fmt: skip
        assert {iri(r["Edition"]) for r in whole(client, page_url(topic, base), "spoken")} == editions


def test_the_side_pages_and_the_home_page_agree(site):
    client, sparql, _ = site
    for side in SIDES:
        editions = {
            r["e"] for r in sparql(f"SELECT DISTINCT ?e WHERE {{ ?rec sg:side <{side.iri}> ; conf:during ?e }}")
        }
        rows = whole(client, f"/side/{side.slug}", "per-edition")
        assert {iri(r["Edition"]) for r in rows} == editions, side.label
    home = client.get("/index.json").get_json()
    people = int(sparql("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }")[0]["n"])
    editions = int(sparql("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t FILTER EXISTS { ?t rdfs:subClassOf* "
                          "sg:Edition } }")[0]["n"])  # fmt: skip
    assert (home["counts"]["people"], home["counts"]["editions"]) == (people, editions)
    assert home["sections"][0]["table"]["of"] == editions
    years = Counter(r["Date"][:4] for r in whole(client, "/index", "editions") if r["Date"][:1].isdigit())
    assert {y["year"]: y["editions"] for y in home["years"] if y["editions"]} == dict(years)
