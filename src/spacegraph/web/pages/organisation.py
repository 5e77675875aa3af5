"""An organisation's page: sector, country and other names; its people over time (title and name as printed), its
editions (and how it took part), and its partners in the organisation network, each with the events as evidence."""

from __future__ import annotations

from spacegraph.web.pages.cells import country, section
from spacegraph.web.pages.reader import Reader

FACTS = """
SELECT ?sector ?country WHERE {
  OPTIONAL { %x% sg:sector/rdfs:label ?sector FILTER (lang(?sector) = "en") }
  OPTIONAL { %x% schema:addressCountry ?country } } LIMIT 1"""
PEOPLE = """
SELECT ?g ?person ?edition ?date ?printed ?title WHERE {
  GRAPH ?g { ?aff conf:withOrganisation %x% ; conf:isAffiliationOf ?person ; conf:during ?edition
    OPTIONAL { ?aff sg:organisationAsPrinted ?printed } OPTIONAL { ?aff sg:titleAsPrinted ?title } }
  OPTIONAL { ?edition schema:startDate ?date }
} ORDER BY ?date ?person"""
EDITIONS = """
SELECT ?edition ?date (GROUP_CONCAT(DISTINCT ?how; separator=", ") AS ?hows) WHERE {
  { ?rec conf:isHeldBy %x% ; conf:during ?edition ; conf:withRole/rdfs:label ?how FILTER (lang(?how) = "en") }
  UNION { ?aff conf:withOrganisation %x% ; conf:during ?edition BIND("through its people" AS ?how) }
  OPTIONAL { ?edition schema:startDate ?date }
} GROUP BY ?edition ?date ORDER BY ?date"""


def describe(reader: Reader, iri: str, page: dict) -> None:
    facts = reader.rows(FACTS, x=iri)
    f = facts[0] if facts else {}
    aliases = [r["a"] for r in reader.rows("SELECT DISTINCT ?a WHERE { %x% skos:altLabel ?a } ORDER BY ?a", x=iri)]
    page["summary"] = [
        {"label": "Sector", "values": [f.get("sector") or "not given"]},
        {"label": "Country", "values": [country(f.get("country")) or "not given"]},
        {"label": "Also written", "values": aliases},
    ]  # fmt: skip
    people = reader.rows(PEOPLE, x=iri)
    names = reader.labels([r["person"] for r in people] + [r["edition"] for r in people])
    sources = reader.sources(r["g"] for r in people)
    page["sections"].append(section("people", "Its people over time",
        ["Date", "Edition", "Person", "Title as printed", "Name as printed", "Source"],
        [[r["date"], reader.link(r["edition"], names.get(r["edition"] or "")),
          reader.link(r["person"], names.get(r["person"] or "")), r["title"], r["printed"],
          sources.get(r["g"] or "")] for r in people]))  # fmt: skip
    editions = reader.rows(EDITIONS, x=iri)
    names = reader.labels(r["edition"] for r in editions)
    page["sections"].append(section("editions", "Its editions", ["Date", "Edition", "How it took part"],
        [[r["date"], reader.link(r["edition"], names.get(r["edition"] or "")), r["hows"]] for r in editions]))  # fmt: skip
    partners(reader, iri, page)


def partners(reader: Reader, iri: str, page: dict) -> None:
    """Organisations whose people took part in the same events (absent when the network is not loaded)."""
    graph = reader.projections.organisations if reader.projections else None
    if graph is None or iri not in graph:
        return
    ranked = sorted(graph[iri].items(), key=lambda item: (-item[1].get("weight", 1), item[0]))
    page["sections"].append(section("partners", "Its partners",
        ["Organisation", "Shared events", "Evidence: the events"],
        [[reader.link(other, graph.nodes[other].get("name")), str(len(data.get("events", {}))),
          [reader.link(e, f"{d['name']} ({(d['date'] or 'undated')[:4]})") for e, d in data.get("events", {}).items()]]
         for other, data in ranked],
        note="Organisations whose people or delegations took part in the same events."))  # fmt: skip
    page["network"] = {"focus": iri, "url": f"/network?graph=organisations&focus={iri}"}
