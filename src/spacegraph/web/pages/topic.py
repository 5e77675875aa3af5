"""A topic's page: broader and narrower topics, its Chinese label, and who spoke on it (or on a narrower topic)
and when."""

from __future__ import annotations

from spacegraph.web.pages.cells import section
from spacegraph.web.pages.reader import Reader

SPOKEN = """
SELECT ?edition ?date ?via (GROUP_CONCAT(DISTINCT STR(?person); separator=" ") AS ?people) WHERE {
  ?via skos:broader* %x% . ?edition schema:about ?via
  OPTIONAL { ?edition schema:startDate ?date }
  OPTIONAL { ?rec conf:during ?edition ; conf:isHeldBy ?person ; conf:withRole ?r . ?person a foaf:Person
             FILTER (?r != sg:contact) }
} GROUP BY ?edition ?date ?via ORDER BY ?date ?edition"""


def describe(reader: Reader, iri: str, page: dict) -> None:
    broader = [r["b"] for r in reader.rows("SELECT ?b WHERE { %x% skos:broader ?b } ORDER BY ?b", x=iri)]
    narrower = [r["n"] for r in reader.rows("SELECT ?n WHERE { ?n skos:broader %x% } ORDER BY ?n", x=iri)]
    chinese = [r["l"] for r in reader.rows('SELECT ?l WHERE { %x% skos:prefLabel ?l FILTER (lang(?l) = "zh") }', x=iri)]
    page["summary"] = [{"label": "Broader", "values": reader.linked(broader)},
                       {"label": "Narrower", "values": reader.linked(narrower)},
                       {"label": "In Chinese", "values": [{"text": c, "url": None, "lang": "zh"} for c in chinese]}]  # fmt: skip
    rows = reader.rows(SPOKEN, x=iri)
    names = reader.labels([r["edition"] for r in rows] + [r["via"] for r in rows]
                          + [p for r in rows for p in (r["people"] or "").split()])  # fmt: skip
    page["sections"].append(section("spoken", "Who spoke on it, and when",
        ["Date", "Edition", "As topic", "Who took part"],
        [[r["date"], reader.link(r["edition"], names.get(r["edition"] or "")),
          reader.link(r["via"], names.get(r["via"] or "")),
          [reader.link(p, names.get(p)) for p in (r["people"] or "").split()]] for r in rows],
        note="Editions about this topic or a narrower one, and the people who held a role there."))  # fmt: skip
