"""The search page: entities whose name or label contains the text, case and accents aside; people and editions
first."""

from __future__ import annotations

from spacegraph.iris import fold
from spacegraph.names import Resolver, UnknownName
from spacegraph.vocab.sparql import edition_pattern
from spacegraph.web.links import page_url
from spacegraph.web.pages.entity import KINDS
from spacegraph.web.pages.reader import Reader

LONGEST = 200  # a name, not an essay: longer text is cut
ORDER = {"person": 0, "organisation": 1, "edition": 2, "topic": 3}
# Every label, read once per data version and searched in memory: a CONTAINS over every label, in a store where a
# place's name is stated in thousands of graphs, took seconds at 10^6 quads.
LABELS = (
    "SELECT DISTINCT ?x ?label WHERE { ?x schema:name ?label }",
    'SELECT DISTINCT ?x ?label WHERE { ?x skos:prefLabel ?label FILTER (lang(?label) = "en") }',
    "SELECT DISTINCT ?x ?label WHERE { ?x skos:altLabel ?label }",
)
TYPES = "SELECT DISTINCT ?x ?t WHERE {{ VALUES ?t {{ {values} }} ?x a ?t }}"


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
    found: dict[str, dict] = {}
    for iri, label, folded, name, kind in reader.once(("search-labels",), lambda: every_label(reader)):
        if wanted in folded and iri not in found:
            found[iri] = {"text": name, "url": page_url(iri, reader.base), "iri": iri, "kind": kind, "matched": label}
    return sorted(found.values(), key=lambda f: (ORDER.get(f["kind"], 9), f["text"]))[:limit]


def every_label(reader: Reader) -> list[tuple[str, str, str, str, str]]:
    """(IRI, label, label folded, the entity's name, kind) of every label of a typed entity (names first)."""
    kinds = {r["x"]: KINDS[r["t"]] for r in reader.rows(TYPES.format(values=" ".join(f"<{t}>" for t in KINDS)))}
    kinds |= {r["x"]: "edition" for r in reader.rows(f"SELECT DISTINCT ?x WHERE {{ {edition_pattern('?x', '?t')} }}")}
    names: dict[str, str] = {}
    out = []
    for sparql in LABELS:
        for r in reader.rows(sparql):
            iri, label = r["x"] or "", r["label"] or ""
            kind = kinds.get(iri)
            if kind is None:
                continue
            names.setdefault(iri, label)
            out.append((iri, label, fold(label), names[iri], kind))
    return out
