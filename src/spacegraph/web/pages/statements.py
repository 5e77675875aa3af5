"""Every statement the graph holds about an entity, each with its source: the documents its named graph was derived
from and, where the data records it, the sentence behind it (an event fact's ``sg:Evidence`` offsets into the
document's local copy)."""

from __future__ import annotations

from typing import Any

from spacegraph.web.pages.cells import short, term
from spacegraph.web.pages.reader import Reader, is_iri

LIMIT = 300  # statements listed per direction; a node described in thousands of graphs shows the first
OUTGOING = f"""SELECT ?p ?o ?g ?isIri ?lang WHERE {{ GRAPH ?g {{ %x% ?p ?o }} BIND(IF(isIRI(?o), 'iri', 'value') AS ?isIri)
  BIND(LANG(?o) AS ?lang) }}
ORDER BY ?p ?o LIMIT {LIMIT + 1}"""
# Unordered, so that the engine stops at the limit (an organisation is the object of thousands); sorted here.
INCOMING = f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p %x% }} }} LIMIT {LIMIT + 1}"
# Two queries, not one UNION: with the VALUES outside the UNION, the engine read every record (3 s at 10^6 quads).
RECORDS = (
    "SELECT ?x ?who ?r ?event WHERE {{ VALUES ?x {{ {values} }} ?x conf:isHeldBy ?who ; conf:withRole ?r "
    "OPTIONAL {{ ?x conf:during ?event }} }}",
    "SELECT ?x ?who ?org ?event WHERE {{ VALUES ?x {{ {values} }} ?x conf:isAffiliationOf ?who ; "
    "conf:withOrganisation ?org OPTIONAL {{ ?x conf:during ?event }} }}",
)
EVIDENCE = """
SELECT ?g ?prop ?start ?end ?local WHERE {
  GRAPH ?g { ?e a sg:Evidence ; sg:evidenceOf %x% ; sg:evidenceFor ?prop ; sg:evidenceStart ?start ;
                sg:evidenceEnd ?end . ?g prov:wasDerivedFrom ?doc . ?doc sg:localCopy ?local }
}"""


def statements(reader: Reader, iri: str) -> dict:
    """The statements ``iri`` is the subject of (``about``) and the object of (``pointing_here``)."""
    outgoing = reader.rows(OUTGOING, x=iri)
    incoming = sorted(reader.rows(INCOMING, x=iri), key=lambda r: (r["p"] or "", r["s"] or ""))
    sources = reader.sources({r["g"] for r in outgoing + incoming})
    evidence = event_evidence(reader, iri)
    names = reader.labels([r["p"] for r in outgoing + incoming] + [r["o"] for r in outgoing if r["isIri"] == "iri"]
                          + [r["s"] for r in incoming])  # fmt: skip
    names.update(record_labels(reader, [r["s"] for r in incoming] + [r["o"] for r in outgoing if r["isIri"] == "iri"],
                               names))  # fmt: skip

    def link(iri: str | None) -> dict | None:
        return reader.link(iri, names.get(iri or "", short(iri or "")))

    about = []
    for r in outgoing[:LIMIT]:
        value: Any = link(r["o"]) if r["isIri"] == "iri" else r["o"]
        if r["lang"]:  # a label in a language: marked, so that a reader or a screen reader says it right
            value = {"text": r["o"], "url": None, "lang": r["lang"]}
        about.append({"property": link(r["p"]), "value": value, "sources": sources.get(r["g"] or "", []),
                      "graph": r["g"], "evidence": evidence.get((r["p"] or "", r["g"] or ""))})  # fmt: skip
    pointing_here = [{"subject": link(r["s"]), "property": link(r["p"]), "sources": sources.get(r["g"] or "", []),
                      "graph": r["g"]} for r in incoming[:LIMIT]]  # fmt: skip
    return {"about": about, "pointing_here": pointing_here, "with_evidence": any(s["evidence"] for s in about),
            "truncated": len(outgoing) > LIMIT or len(incoming) > LIMIT}  # fmt: skip


def record_labels(reader: Reader, iris: list[str | None], names: dict[str, str]) -> dict[str, str]:
    """Role and affiliation records (which have no name) in words: "Jeffrey Manber, speaker or presenter at 2020
    Second …", "Jeffrey Manber's affiliation with Nanoracks at 2020 Second …"."""
    unnamed = sorted({i for i in iris if i and i not in names and is_iri(i)})
    if not unnamed:
        return {}
    rows = [r for sparql in RECORDS for r in reader.each(sparql, unnamed)]
    more = reader.labels([r.get(k) for r in rows for k in ("who", "org", "event")])
    out = {}
    for r in rows:
        who, at = more.get(r["who"] or "", short(r["who"] or "")), more.get(r["event"] or "")
        role, org = r.get("r"), r.get("org") or ""
        what = (
            f"{who}, {term(role) or short(role)}" if role else f"{who}'s affiliation with {more.get(org, short(org))}"
        )
        out[r["x"] or ""] = f"{what} at {at}" if at else what
    return out


def event_evidence(reader: Reader, iri: str) -> dict[tuple[str, str], str]:
    """The sentences behind an event's facts: (property, graph) -> text, from the document's local copy."""
    out = {}
    for r in reader.rows(EVIDENCE, x=iri):
        text = reader.document_text(r["local"] or "")
        if text is not None:
            out[(r["prop"] or "", r["g"] or "")] = text[int(r["start"] or 0) : int(r["end"] or 0)].strip()
    return out
