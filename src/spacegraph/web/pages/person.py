"""A person's page: appearances over time (role and affiliation at the time, with the sentence behind each), whom
they spoke with (each tie with its events as evidence), and the topics of the editions where they spoke."""

from __future__ import annotations

from urllib.parse import urlencode

from spacegraph.analysis import questions
from spacegraph.web.pages.cells import affiliation, evidence, term, years
from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table

APPEARANCES = """
SELECT ?rec ?g ?edition ?date ?r ?side ?org ?printed ?title ?talk ?mode ?evidence WHERE {
  GRAPH ?g { ?rec a sg:Participation ; conf:isHeldBy %x% ; conf:withRole ?r ; conf:during ?edition .
    OPTIONAL { ?rec sg:side ?side } OPTIONAL { ?rec sg:attendanceMode ?mode }
    OPTIONAL { ?rec sg:affiliation ?aff . ?aff conf:withOrganisation ?org ; sg:organisationAsPrinted ?printed
               OPTIONAL { ?aff sg:titleAsPrinted ?title } }
    OPTIONAL { ?rec sg:talk/schema:name ?talk }
    OPTIONAL { ?rec sg:evidence ?evidence } }
  OPTIONAL { ?edition schema:startDate ?date }
} ORDER BY ?date ?edition ?r"""
TOPICS = """
SELECT ?topic (COUNT(DISTINCT ?edition) AS ?n) (GROUP_CONCAT(DISTINCT STR(?edition); separator=" ") AS ?editions) WHERE {
  ?rec conf:isHeldBy %x% ; conf:during ?edition . ?edition schema:about ?topic
} GROUP BY ?topic ORDER BY DESC(?n) ?topic"""


def describe(reader: Reader, iri: str, page: dict) -> None:
    rows = reader.rows(APPEARANCES, x=iri)
    names = reader.labels([r["edition"] for r in rows] + [r["org"] for r in rows])
    sources = reader.sources(r["g"] for r in rows)
    also = reader.rows("SELECT DISTINCT ?alt WHERE { %x% skos:altLabel ?alt } ORDER BY ?alt", x=iri)
    page["summary"] = [
        {"label": "Also written", "values": [r["alt"] for r in also]},
        {"label": "Editions", "values": [str(len({r["edition"] for r in rows}))]},
        {"label": "Years", "values": [years(r["date"] for r in rows)]},
    ]
    table_rows = []
    for r in rows:
        role, side = term(r["r"]), term(r["side"])
        org = reader.link(r["org"], names.get(r["org"] or ""))
        cells = [r["date"], reader.link(r["edition"], names.get(r["edition"] or "")), role,
                 affiliation(org, r["printed"], r["title"]), r["talk"], side, term(r["mode"]),
                 evidence(r["evidence"]), sources.get(r["g"] or "")]  # fmt: skip
        table_rows.append(Row(cells, {"year": (r["date"] or "")[:4] or None, "role": role, "side": side}))
    page["sections"].append(table("appearances", "Appearances over time",
        ["Date", "Edition", "Role", "Affiliation at the time", "Talk", "Side", "Attended", "Evidence", "Source"],
        table_rows, reader.args, sort="-1"))  # fmt: skip
    co_speakers(reader, iri, page)
    topic_rows(reader, page, reader.rows(TOPICS, x=iri), "Topics of the editions where this person spoke")


def co_speakers(reader: Reader, iri: str, page: dict) -> None:
    """Who held a role at the same events, from the co-appearance network (absent when it is not loaded)."""
    graph = reader.projections.people if reader.projections else None
    if graph is None or iri not in graph:
        return
    rows = []
    for c in questions.who_spoke_with(graph, iri)["co_speakers"]:
        events = [reader.link(e["event"], f"{e['name']} ({(e['date'] or 'undated')[:4]})") for e in c["events"]]
        roles = sorted({f"{r}" for e in c["events"] for r in e["roles"].get(c["iri"], [])})
        cells = [reader.link(c["iri"], c["name"]), c["side"], str(c["count"]), events, ", ".join(roles)]
        rows.append(Row(cells, {"side": c["side"], "role": roles}, (None, None, c["count"], None, None)))
    page["sections"].append(table("co-speakers", "Who this person spoke with",
                                  ["Person", "Side", "Shared events", "Evidence: the events", "Their roles"],
                                  rows, reader.args, note="People who held a role at the same event; the events are "
                                  "the evidence for each tie."))  # fmt: skip
    page["network"] = {"focus": iri, "url": "/network?" + urlencode({"focus": iri})}


def topic_rows(reader: Reader, page: dict, rows: list[dict], heading: str) -> None:
    names = reader.labels([r["topic"] for r in rows] + [e for r in rows for e in (r["editions"] or "").split()])
    page["sections"].append(table("topics", heading, ["Topic", "Editions"],
        [Row([reader.link(r["topic"], names.get(r["topic"] or "")),
              [reader.link(e, names.get(e)) for e in (r["editions"] or "").split()]],
             keys=(None, int(r["n"] or 0))) for r in rows], reader.args))  # fmt: skip
