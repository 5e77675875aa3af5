"""A person's page: appearances over time (role and affiliation at the time, with the sentence behind each), whom
they spoke with (each tie with its events as evidence), and the topics of the editions where they spoke."""

from __future__ import annotations

from urllib.parse import urlencode

from spacegraph.analysis import questions
from spacegraph.web.pages.cells import affiliation, evidence, first, term, years
from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table

APPEARANCES = """
SELECT ?rec ?g ?edition ?r WHERE { GRAPH ?g { ?rec conf:isHeldBy %x% ; conf:withRole ?r ; conf:during ?edition } }"""
TOPICS = """
SELECT ?topic (COUNT(DISTINCT ?edition) AS ?n) (GROUP_CONCAT(DISTINCT STR(?edition); separator=" ") AS ?editions) WHERE {
  ?rec conf:isHeldBy %x% ; conf:during ?edition . ?edition schema:about ?topic
} GROUP BY ?topic ORDER BY DESC(?n) ?topic"""


def describe(reader: Reader, iri: str, page: dict) -> None:
    rows = reader.rows(APPEARANCES, x=iri)
    details, dates = reader.details(r["rec"] for r in rows), reader.dates()
    rows = [{**r, **details.get(r["rec"], {}), "date": dates.get(r["edition"] or "")} for r in rows]
    also = reader.rows("SELECT DISTINCT ?alt WHERE { %x% skos:altLabel ?alt } ORDER BY ?alt", x=iri)
    page["summary"] = [
        {"label": "Also written", "values": [r["alt"] for r in also]},
        {"label": "Editions", "values": [str(len({r["edition"] for r in rows}))]},
        {"label": "Years", "values": [years(r["date"] for r in rows)]},
    ]
    table_rows = [Row([], {"year": (r["date"] or "")[:4] or None, "role": term(r["r"]), "side": term(r.get("side"))},
                      (r["date"] or "", r["edition"], term(r["r"]), r.get("printed") or "", r.get("talk") or "",
                       term(r.get("side")) or "", term(r.get("mode")) or "", r.get("evidence") or "", r["g"]), r)
                  for r in rows]  # fmt: skip
    page["sections"].append(table("appearances", "Appearances over time",
        ["Date", "Edition", "Role", "Affiliation at the time", "Talk", "Side", "Attended", "Evidence", "Source"],
        table_rows, reader.args, sort="-1", build=lambda shown: appearance_cells(reader, shown)))  # fmt: skip
    co_speakers(reader, iri, page)
    topic_rows(reader, page, reader.rows(TOPICS, x=iri), "Topics of the editions where this person spoke")


def appearance_cells(reader: Reader, rows: list[dict]) -> list[list]:
    """The cells of the appearances shown: labels and sources read for them only."""
    names = reader.labels([r["edition"] for r in rows] + [r.get("org") for r in rows])
    sources = reader.sources(r["g"] for r in rows)
    return [[r["date"], reader.link(r["edition"], names.get(r["edition"] or "")), term(r["r"]),
             affiliation(reader.link(r.get("org"), names.get(r.get("org") or "")), r.get("printed"), r.get("title")),
             r.get("talk"), term(r.get("side")), term(r.get("mode")), evidence(r.get("evidence")),
             sources.get(r["g"] or "")] for r in rows]  # fmt: skip


def co_speakers(reader: Reader, iri: str, page: dict) -> None:
    """Who held a role at the same events, from the co-appearance network (absent when it is not loaded)."""
    graph = reader.projections.people if reader.projections else None
    if graph is None or iri not in graph:
        return
    rows = []
    for c in questions.who_spoke_with(graph, iri)["co_speakers"]:
        roles = sorted({f"{r}" for e in c["events"] for r in e["roles"].get(c["iri"], [])})
        rows.append(Row([], {"side": c["side"], "role": roles}, (c["name"], c["side"], c["count"], None, None),
                        {**c, "their_roles": ", ".join(roles)}))  # fmt: skip

    every = reader.args.get("table") == "co-speakers"  # the whole table names every event

    def cells(shown: list[dict]) -> list[list]:
        return [[reader.link(c["iri"], c["name"]), c["side"], str(c["count"]),
                 first([reader.link(e["event"], f"{e['name']} ({(e['date'] or 'undated')[:4]})")
                        for e in c["events"]], every),
                 c["their_roles"]] for c in shown]  # fmt: skip

    page["sections"].append(table("co-speakers", "Who this person spoke with",
                                  ["Person", "Side", "Shared events", "Evidence: the events", "Their roles"],
                                  rows, reader.args, note="People who held a role at the same event; the events are "
                                  "the evidence for each tie.", sort="-3", build=cells))  # fmt: skip
    page["network"] = {"focus": iri, "url": "/network?" + urlencode({"focus": iri})}


def topic_rows(reader: Reader, page: dict, rows: list[dict], heading: str) -> None:
    def cells(shown: list[dict]) -> list[list]:
        editions = {r["topic"]: (r["editions"] or "").split() for r in shown}
        names = reader.labels([r["topic"] for r in shown] + [e for found in editions.values() for e in found])
        return [[reader.link(r["topic"], names.get(r["topic"] or "")),
                 [reader.link(e, names.get(e)) for e in editions[r["topic"]]]] for r in shown]  # fmt: skip

    page["sections"].append(table("topics", heading, ["Topic", "Editions"],
        [Row([], keys=(r["topic"], int(r["n"] or 0)), data=r) for r in rows], reader.args, sort="-2", build=cells))  # fmt: skip
