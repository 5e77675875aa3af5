"""An organisation's page: sector, country and other names; its people over time (title and name as printed), its
editions (and how it took part), and its partners in the organisation network, each with the events as evidence."""

from __future__ import annotations

from urllib.parse import urlencode

from spacegraph.web.pages.cells import country, first
from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table

FACTS = """
SELECT ?sector ?country WHERE {
  OPTIONAL { %x% sg:sector/rdfs:label ?sector FILTER (lang(?sector) = "en") }
  OPTIONAL { %x% schema:addressCountry ?country } } LIMIT 1"""
PEOPLE = """
SELECT ?g ?aff ?person ?edition WHERE {
  GRAPH ?g { ?aff conf:withOrganisation %x% ; conf:isAffiliationOf ?person ; conf:during ?edition } }"""
PRINTED = """SELECT ?aff ?printed ?title WHERE {{ VALUES ?aff {{ {values} }}
  OPTIONAL {{ ?aff sg:organisationAsPrinted ?printed }} OPTIONAL {{ ?aff sg:titleAsPrinted ?title }} }}"""
EDITIONS = """
SELECT ?edition (GROUP_CONCAT(DISTINCT ?how; separator=", ") AS ?hows) WHERE {
  { ?rec conf:isHeldBy %x% ; conf:during ?edition ; conf:withRole/rdfs:label ?how FILTER (lang(?how) = "en") }
  UNION { ?aff conf:withOrganisation %x% ; conf:during ?edition BIND("through its people" AS ?how) }
} GROUP BY ?edition"""


def describe(reader: Reader, iri: str, page: dict) -> None:
    facts = reader.rows(FACTS, x=iri)
    f = facts[0] if facts else {}
    aliases = [r["a"] for r in reader.rows("SELECT DISTINCT ?a WHERE { %x% skos:altLabel ?a } ORDER BY ?a", x=iri)]
    page["summary"] = [
        {"label": "Sector", "values": [f.get("sector") or "not given"]},
        {"label": "Country", "values": [country(f.get("country")) or "not given"]},
        {"label": "Also written", "values": aliases},
    ]  # fmt: skip
    people, editions = reader.rows(PEOPLE, x=iri), reader.rows(EDITIONS, x=iri)
    dates = reader.dates()

    def people_cells(shown: list[dict]) -> list[list]:
        names = reader.labels([r["person"] for r in shown] + [r["edition"] for r in shown])
        sources, printed = (
            reader.sources(r["g"] for r in shown),
            {x["aff"]: x for x in reader.each(PRINTED, (r["aff"] for r in shown))},
        )
        return [[dates.get(r["edition"]), reader.link(r["edition"], names.get(r["edition"] or "")),
                 reader.link(r["person"], names.get(r["person"] or "")), printed.get(r["aff"], {}).get("title"),
                 printed.get(r["aff"], {}).get("printed"), sources.get(r["g"] or "")] for r in shown]  # fmt: skip

    page["sections"].append(table("people", "Its people over time",
        ["Date", "Edition", "Person", "Title as printed", "Name as printed", "Source"],
        [Row([], {"year": (dates.get(r["edition"]) or "")[:4] or None}, (dates.get(r["edition"]) or "", r["edition"],
             r["person"], None, None, None), r) for r in people], reader.args, sort="-1", build=people_cells))  # fmt: skip

    def edition_cells(shown: list[dict]) -> list[list]:
        names = reader.labels(r["edition"] for r in shown)
        return [[dates.get(r["edition"]), reader.link(r["edition"], names.get(r["edition"] or "")), r["hows"]]
                for r in shown]  # fmt: skip

    page["sections"].append(table("editions", "Its editions", ["Date", "Edition", "How it took part"],
        [Row([], {"year": (dates.get(r["edition"]) or "")[:4] or None, "role": (r["hows"] or "").split(", ")},
             (dates.get(r["edition"]) or "", r["edition"], r["hows"]), r) for r in editions],
        reader.args, sort="-1", build=edition_cells))  # fmt: skip
    partners(reader, iri, page)


def partners(reader: Reader, iri: str, page: dict) -> None:
    """Organisations whose people took part in the same events (absent when the network is not loaded)."""
    graph = reader.projections.organisations if reader.projections else None
    if graph is None or iri not in graph:
        return
    ranked = sorted(graph[iri].items(), key=lambda item: (-item[1].get("weight", 1), item[0]))
    page["sections"].append(table("partners", "Its partners",
        ["Organisation", "Shared events", "Evidence: the events"],
        [Row([reader.link(other, graph.nodes[other].get("name")), str(len(data.get("events", {}))),
              first([reader.link(e, f"{d['name']} ({(d['date'] or 'undated')[:4]})")
                     for e, d in data.get("events", {}).items()], reader.args.get("table") == "partners")],
             {"sector": graph.nodes[other].get("sector") or None}, (None, len(data.get("events", {})), None))
         for other, data in ranked], reader.args,
        note="Organisations whose people or delegations took part in the same events."))  # fmt: skip
    page["network"] = {"focus": iri, "url": "/network?" + urlencode({"graph": "organisations", "focus": iri})}
