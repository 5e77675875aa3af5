"""A series' page: its organisers, its editions on a timeline, and who came and who came back."""

from __future__ import annotations

from spacegraph.analysis import questions
from spacegraph.web.pages.edition import timeline
from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table


def describe(reader: Reader, iri: str, page: dict) -> None:
    hosts = [r["h"] for r in reader.rows("SELECT DISTINCT ?h WHERE { %x% schema:organizer ?h } ORDER BY ?h", x=iri)]
    comments = [r["c"] for r in reader.rows("SELECT ?c WHERE { %x% rdfs:comment ?c }", x=iri)]
    page["summary"] = [{"label": "Organisers", "values": reader.linked(hosts)},
                       {"label": "Note", "values": comments}]  # fmt: skip
    page["sections"].append(timeline(reader, iri))
    if reader.projections is None:
        return
    events = {r["e"] for r in reader.rows("SELECT ?e WHERE { ?e schema:superEvent %x% }", x=iri)}
    answer = questions.continuity(reader.projections.person_event)
    rows = [Row([e["date"], reader.link(e["event"], e["name"]), str(e["people"]), str(e["organisations"]),
                 ", ".join(e["new"]), ", ".join(e["returning"]),
                 f"{e['retention']:.0%}" if e["retention"] is not None else None],
                {"year": (e["date"] or "")[:4] or None}, (e["date"] or "", None, e["people"], e["organisations"],
                                                          len(e["new"]), len(e["returning"]), e["retention"] or 0))
            for e in answer["events"] if e["event"] in events]  # fmt: skip
    page["sections"].append(table("continuity", "Who came, who came back",
        ["Date", "Edition", "People", "Organisations", "New", "Returning", "Returning share"], rows, reader.args,
        sort="-1", page_rows=20))  # fmt: skip
