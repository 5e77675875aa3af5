"""Every statement the graph holds about an entity, each with its source: the documents its named graph was derived
from and, where the data records it, the sentence behind it (an event fact's ``sg:Evidence`` offsets into the
document's local copy)."""

from __future__ import annotations

from typing import Any

from spacegraph.web.pages.cells import short
from spacegraph.web.pages.reader import Reader

LIMIT = 300  # statements listed per direction; a node described in thousands of graphs shows the first
OUTGOING = f"""SELECT ?p ?o ?g ?isIri WHERE {{ GRAPH ?g {{ %x% ?p ?o }} BIND(IF(isIRI(?o), 'iri', 'value') AS ?isIri) }}
ORDER BY ?p ?o LIMIT {LIMIT + 1}"""
INCOMING = f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p %x% }} }} ORDER BY ?p ?s LIMIT {LIMIT + 1}"
EVIDENCE = """
SELECT ?g ?prop ?start ?end ?local WHERE {
  GRAPH ?g { ?e a sg:Evidence ; sg:evidenceOf %x% ; sg:evidenceFor ?prop ; sg:evidenceStart ?start ;
                sg:evidenceEnd ?end . ?g prov:wasDerivedFrom ?doc . ?doc sg:localCopy ?local }
}"""


def statements(reader: Reader, iri: str) -> dict:
    """The statements ``iri`` is the subject of (``about``) and the object of (``pointing_here``)."""
    outgoing, incoming = reader.rows(OUTGOING, x=iri), reader.rows(INCOMING, x=iri)
    sources = reader.sources({r["g"] for r in outgoing + incoming})
    evidence = event_evidence(reader, iri)
    names = reader.labels([r["p"] for r in outgoing + incoming] + [r["o"] for r in outgoing if r["isIri"] == "iri"]
                          + [r["s"] for r in incoming])  # fmt: skip

    def link(iri: str | None) -> dict | None:
        return reader.link(iri, names.get(iri or "", short(iri or "")))

    about = []
    for r in outgoing[:LIMIT]:
        value: Any = link(r["o"]) if r["isIri"] == "iri" else r["o"]
        about.append({"property": link(r["p"]), "value": value, "sources": sources.get(r["g"] or "", []),
                      "graph": r["g"], "evidence": evidence.get((r["p"] or "", r["g"] or ""))})  # fmt: skip
    pointing_here = [{"subject": link(r["s"]), "property": link(r["p"]), "sources": sources.get(r["g"] or "", []),
                      "graph": r["g"]} for r in incoming[:LIMIT]]  # fmt: skip
    return {"about": about, "pointing_here": pointing_here,
            "truncated": len(outgoing) > LIMIT or len(incoming) > LIMIT}  # fmt: skip


def event_evidence(reader: Reader, iri: str) -> dict[tuple[str, str], str]:
    """The sentences behind an event's facts: (property, graph) -> text, from the document's local copy."""
    out = {}
    for r in reader.rows(EVIDENCE, x=iri):
        text = reader.document_text(r["local"] or "")
        if text is not None:
            out[(r["prop"] or "", r["g"] or "")] = text[int(r["start"] or 0) : int(r["end"] or 0)].strip()
    return out
