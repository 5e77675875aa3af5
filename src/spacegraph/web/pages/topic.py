"""A topic's page: broader and narrower topics, its Chinese label, and who spoke on it (or on a narrower topic)
and when."""

from __future__ import annotations

from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table

SPOKEN = "SELECT DISTINCT ?edition ?via WHERE { ?via skos:broader* %x% . ?edition schema:about ?via }"
PEOPLE = """SELECT ?edition (GROUP_CONCAT(DISTINCT STR(?person); separator=" ") AS ?people) WHERE {{
  VALUES ?edition {{ {values} }} ?rec conf:during ?edition ; conf:isHeldBy ?person ; conf:withRole ?r .
  ?person a foaf:Person FILTER (?r != sg:contact) }} GROUP BY ?edition"""


def describe(reader: Reader, iri: str, page: dict) -> None:
    broader = [r["b"] for r in reader.rows("SELECT ?b WHERE { %x% skos:broader ?b } ORDER BY ?b", x=iri)]
    narrower = [r["n"] for r in reader.rows("SELECT ?n WHERE { ?n skos:broader %x% } ORDER BY ?n", x=iri)]
    chinese = [r["l"] for r in reader.rows('SELECT ?l WHERE { %x% skos:prefLabel ?l FILTER (lang(?l) = "zh") }', x=iri)]
    page["summary"] = [{"label": "Broader", "values": reader.linked(broader)},
                       {"label": "Narrower", "values": reader.linked(narrower)},
                       {"label": "In Chinese", "values": [{"text": c, "url": None, "lang": "zh"} for c in chinese]}]  # fmt: skip
    rows = [r for r in reader.rows(SPOKEN, x=iri) if r["edition"] and "/id/event/" in r["edition"]]
    dates = reader.dates()

    def cells(shown: list[dict]) -> list[list]:
        people = {r["edition"]: (r["people"] or "").split() for r in reader.each(PEOPLE, (r["edition"] for r in shown))}
        names = reader.labels([r["edition"] for r in shown] + [r["via"] for r in shown]
                              + [p for found in people.values() for p in found])  # fmt: skip
        return [[dates.get(r["edition"]), reader.link(r["edition"], names.get(r["edition"] or "")),
                 reader.link(r["via"], names.get(r["via"] or "")),
                 [reader.link(p, names.get(p)) for p in people.get(r["edition"], [])]] for r in shown]  # fmt: skip

    page["sections"].append(table("spoken", "Who spoke on it, and when",
        ["Date", "Edition", "As topic", "Who took part"],
        [Row([], {"year": (dates.get(r["edition"]) or "")[:4] or None}, (dates.get(r["edition"]) or "", r["edition"],
              r["via"], None), r) for r in rows], reader.args, sort="-1", build=cells,
        note="Editions about this topic or a narrower one, and the people who held a role there."))  # fmt: skip
