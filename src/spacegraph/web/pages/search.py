"""The search page: entities whose name or label contains the text, case and accents aside; people and editions
first."""

from __future__ import annotations

import pyoxigraph as ox

from spacegraph.iris import fold
from spacegraph.names import Resolver, UnknownName
from spacegraph.web.pages.entity import KINDS
from spacegraph.web.pages.reader import Reader

LONGEST = 200  # a name, not an essay: longer text is cut
ORDER = {"person": 0, "organisation": 1, "edition": 2, "topic": 3}
CONTAINING = """
SELECT DISTINCT ?x ?label ?t WHERE {{
  {{ ?x schema:name ?label }} UNION {{ ?x skos:prefLabel ?label FILTER (lang(?label) = "en") }}
  UNION {{ ?x skos:altLabel ?label }}
  FILTER (CONTAINS(LCASE(STR(?label)), {literal}))
  ?x a ?t
}} LIMIT {limit}"""
EVERY_NAME = """
SELECT DISTINCT ?x ?label ?t WHERE {
  ?x schema:name|skos:altLabel ?label ; a ?t FILTER (?t IN (foaf:Person, org:Organization))
}"""


def search_page(reader: Reader, text: str, names: Resolver | None = None) -> dict:
    """With ``names``, the person or organisation the text means as the CLI reads it comes first, with what was
    assumed (a typo, a family name alone), when the text is not in its name."""
    text = text.strip()[:LONGEST]
    results = search(reader, text) if text else []
    if names is not None and text:
        try:
            meant = names.node(text)
        except UnknownName:  # ambiguous or unknown: the names containing the text are the answer
            meant = None
        if meant is not None and all(r.get("iri") != meant.iri for r in results):
            link = reader.link(meant.iri, meant.name) or {}
            results.insert(0, {**link, "kind": meant.kind, "matched": text, "note": meant.note})
    return {"title": "Search", "query": text, "results": results}


def search(reader: Reader, text: str, limit: int = 50) -> list[dict]:
    """Entities whose name or label contains ``text`` (case and accents aside), people and editions first."""
    wanted = fold(text.strip())
    if not wanted:
        return []
    literal = str(ox.Literal(wanted))  # quoted and escaped as N-Triples writes it, which SPARQL reads
    rows = reader.rows(CONTAINING.format(literal=literal, limit=limit * 4))
    if len(rows) < limit:  # names with accents or other case forms: "jose" finds "José", folded here
        rows += reader.rows(EVERY_NAME)
    found: dict[str, dict] = {}
    names = reader.labels(r["x"] for r in rows)
    for r in rows:
        iri = r["x"] or ""
        if iri in found or wanted not in fold(r["label"] or ""):
            continue
        kind = KINDS.get(r["t"] or "", "edition" if "/id/event/" in iri else "resource")
        found[iri] = {**(reader.link(iri, names.get(iri, r["label"])) or {}), "kind": kind, "matched": r["label"]}
    return sorted(found.values(), key=lambda f: (ORDER.get(f["kind"], 9), f["text"]))[:limit]
