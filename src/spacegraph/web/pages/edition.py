"""An edition's page: date, place, attendance mode, hosts, topics, co-located event, its programme (hosts first,
then by role) and its place in the series' timeline."""

from __future__ import annotations

from spacegraph.vocab.sparql import edition_pattern
from spacegraph.vocab.terms import ROLES
from spacegraph.web.pages.cells import affiliation, country, evidence, term
from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table

ROLE_ORDER = {role.key: i for i, role in enumerate(ROLES)}  # a programme lists its roles in the vocabulary's order
FACTS = """
SELECT ?type ?start ?end ?place ?country ?mode ?series ?colocated ?complete WHERE {
  EDITION ?t rdfs:label ?type FILTER (lang(?type) = "en")
  OPTIONAL { %x% schema:startDate ?start } OPTIONAL { %x% schema:endDate ?end }
  OPTIONAL { %x% schema:location ?place OPTIONAL { ?place schema:addressCountry ?country } }
  OPTIONAL { %x% schema:eventAttendanceMode ?mode }
  OPTIONAL { %x% schema:superEvent ?series } OPTIONAL { %x% sg:coLocatedWith ?colocated }
  OPTIONAL { %x% sg:participantsComplete ?complete }
} LIMIT 1""".replace("EDITION", edition_pattern("%x%", "?t"))
PROGRAMME = """
SELECT ?rec ?g ?holder ?r WHERE { GRAPH ?g { ?rec conf:during %x% ; conf:isHeldBy ?holder ; conf:withRole ?r } }"""
SECTORS = "SELECT DISTINCT ?o ?sector WHERE {{ VALUES ?o {{ {values} }} ?o sg:sector ?sector }}"
TIMELINE = """
SELECT ?e ?start ?type ?place ?complete (COUNT(DISTINCT ?holder) AS ?n) WHERE {
  ?e schema:superEvent %s% . EDITION ?t rdfs:label ?type
  FILTER (lang(?type) = "en")
  OPTIONAL { ?e schema:startDate ?start } OPTIONAL { ?e schema:location ?place }
  OPTIONAL { ?e sg:participantsComplete ?complete }
  OPTIONAL { ?rec conf:during ?e ; conf:isHeldBy ?holder . ?holder a foaf:Person }
} GROUP BY ?e ?start ?type ?place ?complete ORDER BY (!BOUND(?start)) ?start ?e""".replace(
    "EDITION", edition_pattern("?e", "?t")
)


def describe(reader: Reader, iri: str, page: dict) -> None:
    facts = reader.rows(FACTS, x=iri)
    f = facts[0] if facts else {}
    hosts = [r["h"] for r in reader.rows("SELECT DISTINCT ?h WHERE { %x% schema:organizer ?h } ORDER BY ?h", x=iri)]
    topics = [r["t"] for r in reader.rows("SELECT DISTINCT ?t WHERE { %x% schema:about ?t } ORDER BY ?t", x=iri)]
    page["summary"] = [
        {"label": "Kind", "values": [f.get("type")]},
        {"label": "Date", "values": [" – ".join(d for d in (f.get("start"), f.get("end")) if d) or "not given"]},
        {"label": "Place", "values": [*reader.linked([f.get("place")]), country(f.get("country"))]},
        {"label": "Attendance", "values": [term(f.get("mode")) or "not given"]},
        {"label": "Hosts", "values": reader.linked(hosts)},
        {"label": "Topics", "values": reader.linked(topics)},
        {"label": "Held with", "values": reader.linked([f.get("colocated")])},
        {"label": "Series", "values": reader.linked([f.get("series")])},
    ]  # fmt: skip
    if f.get("complete") == "false":
        page["note"] = "The sources list only some of the participants: someone missing here may have been there."
    page["sections"].append(programme(reader, iri))
    if f.get("series"):
        page["sections"].append(timeline(reader, f["series"], current=iri))


def programme(reader: Reader, iri: str) -> dict:
    rows = reader.rows(PROGRAMME, x=iri)
    details = reader.details(r["rec"] for r in rows)
    rows = [{**r, **details.get(r["rec"], {})} for r in rows]
    rows.sort(key=lambda r: (ROLE_ORDER.get((r["r"] or "").rsplit("#", 1)[-1], 99), r["holder"] or ""))
    names = reader.labels([r["holder"] for r in rows] + [r["org"] for r in rows])
    sources = reader.sources(r["g"] for r in rows)
    organisations = sorted({o for r in rows if (o := r["org"] or r["holder"])})
    sectors = {x["o"]: x["sector"] for x in reader.rows(SECTORS.format(values=" ".join(f"<{o}>" for o in organisations)))
               } if organisations else {}  # fmt: skip
    table_rows = []
    for position, r in enumerate(rows):
        role, side = term(r["r"]), term(r["side"])
        cells = [reader.link(r["holder"], names.get(r["holder"] or "")), role,
                 affiliation(reader.link(r["org"], names.get(r["org"] or "")), r["printed"], r["title"]), r["talk"],
                 side, term(r["mode"]), evidence(r["evidence"]), sources.get(r["g"] or "")]  # fmt: skip
        keys = (None, position, *([None] * 6))  # the role column sorts in the programme's order
        table_rows.append(
            Row(cells, {"role": role, "side": side, "sector": term(sectors.get(r["org"] or r["holder"] or ""))}, keys)
        )
    return table("programme", "Programme",
                 ["Who", "Role", "Affiliation as printed", "Talk", "Side", "Attended", "Evidence", "Source"],
                 table_rows, reader.args)  # fmt: skip


def people_count(count: str | None, complete: str | None) -> str:
    """How many people an edition's sources list: "not recorded" when they list none of an incomplete list, "at
    least N" when they list some.

    >>> people_count("0", "false"), people_count("3", "false"), people_count("12", "true")
    ('not recorded', 'at least 3', '12')
    """
    if complete == "false":
        return "not recorded" if count in (None, "0") else f"at least {count}"
    return count or "0"


def timeline(reader: Reader, series: str, current: str | None = None) -> dict:
    """The series' editions by date, ``current`` marked."""
    rows = reader.rows(TIMELINE, s=series)
    names = reader.labels([r["e"] for r in rows] + [r["place"] for r in rows])
    table_rows = []
    for r in rows:
        edition = reader.link(r["e"], names.get(r["e"] or ""))
        if r["e"] == current and edition is not None:
            edition = {**edition, "current": True}
        cells = [r["start"] or "undated", edition, r["type"], reader.link(r["place"], names.get(r["place"] or "")),
                 people_count(r["n"], r["complete"])]  # fmt: skip
        table_rows.append(Row(cells, {"year": (r["start"] or "")[:4] or None, "kind": r["type"]},
                              (r["start"] or "", None, None, None, int(r["n"] or 0))))  # fmt: skip
    return table(
        "timeline",
        "The series, edition by edition",
        ["Date", "Edition", "Kind", "Place", "People"],
        table_rows,
        reader.args,
        sort="-1",
    )
