"""Reading one store generation for the pages: SPARQL with IRIs filled in safely, labels, links, and sources.

An IRI goes into a query only through ``%name%`` placeholders, and only after ``check_iri``: text from a URL is
never spliced into SPARQL as syntax.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from spacegraph.analysis.cache import Projections
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab.sparql import PREFIX_HEADER, fill
from spacegraph.web.links import page_url
from spacegraph.web.pages.cells import short

SAFE_IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]*", re.I)  # whole IRI: fullmatch
LABELS = """
SELECT ?x ?l ?rank WHERE {{
  VALUES ?x {{ {values} }}
  {{ ?x schema:name ?l BIND(0 AS ?rank) }}
  UNION {{ ?x skos:prefLabel ?l FILTER (lang(?l) = "en") BIND(1 AS ?rank) }}
  UNION {{ ?x rdfs:label ?l FILTER (lang(?l) = "en" || lang(?l) = "") BIND(2 AS ?rank) }}
}}"""
# The graphs' documents, then the documents' labels and local copies: three small queries (one with OPTIONALs inside
# GRAPH took 0.2-0.4 s at 10^6 quads, where a document is described in thousands of graphs).
SOURCES = (
    "SELECT ?g ?doc WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g prov:wasDerivedFrom ?doc }} }} ORDER BY ?g ?doc"
)
DOCUMENT_LABELS = "SELECT DISTINCT ?doc ?label WHERE {{ VALUES ?doc {{ {values} }} ?doc rdfs:label ?label }}"
LOCAL_COPIES = "SELECT DISTINCT ?doc ?local WHERE {{ VALUES ?doc {{ {values} }} ?doc sg:localCopy ?local }}"

# What a role record (sg:Participation) says besides who, what and when: read for a page's records by their IRIs,
# apart from the query that finds them (one query with these OPTIONALs took a second at 10^6 quads; both, 70 ms).
DETAILS = """
SELECT ?rec ?side ?mode ?org ?printed ?title ?talk ?evidence WHERE {{ VALUES ?rec {{ {values} }}
  OPTIONAL {{ ?rec sg:side ?side }} OPTIONAL {{ ?rec sg:attendanceMode ?mode }}
  OPTIONAL {{ ?rec sg:affiliation ?aff . ?aff conf:withOrganisation ?org ; sg:organisationAsPrinted ?printed
             OPTIONAL {{ ?aff sg:titleAsPrinted ?title }} }}
  OPTIONAL {{ ?rec sg:talk/schema:name ?talk }} OPTIONAL {{ ?rec sg:evidence ?evidence }}
}}"""
CHUNK = 1000  # IRIs per VALUES block


def check_iri(iri: str) -> str:
    """``iri`` if it is an absolute IRI that can be written into a query as ``<iri>``, else ValueError."""
    try:
        if SAFE_IRI.fullmatch(iri):
            ox.NamedNode(iri)  # pyoxigraph's own check: percent-encoding, code points
            return iri
    except ValueError:
        pass
    raise ValueError(f"{iri!r} is not an absolute IRI: give one like https://w3id.org/spacegraph/id/person/…")


def is_iri(text: str | None) -> bool:
    try:
        return bool(text) and check_iri(str(text)) is not None
    except ValueError:
        return False


class Reader:
    """One store generation as the pages read it, with that generation's projections (for the network sections)
    and source documents (for evidence sentences)."""

    def __init__(self, store: OxigraphStore, base: str,
                 projections: Callable[[], Projections | None] = lambda: None,
                 document_text: Callable[[str], str | None] = lambda local_copy: None):  # fmt: skip
        self.store, self.base = store, base
        self.args: Mapping[str, str] = {}  # the request's parameters: tables page, sort and filter by them
        self.once: Callable[[Hashable, Callable[[], Any]], Any] = lambda key, compute: compute()  # per data version
        self._projections = projections
        self.document_text = document_text

    @cached_property
    def projections(self) -> Projections | None:
        """The networks of this generation, loaded only by the pages that show them."""
        return self._projections()

    def _sparql(self, sparql: str, iris: dict[str, str]) -> str:
        return PREFIX_HEADER + fill(sparql, **{name: URIRef(check_iri(iri)) for name, iri in iris.items()})

    def rows(self, sparql: str, **iris: str) -> list[dict[str, Any]]:
        """The solutions as dicts of plain values; ``%name%`` in the text stands for the IRI ``iris[name]``."""
        solutions = self.store.query(self._sparql(sparql, iris))
        names = [v.value for v in solutions.variables]
        return [{n: (t.value if (t := row[n]) is not None else None) for n in names} for row in solutions]

    def ask(self, sparql: str, **iris: str) -> bool:
        return bool(self.store.query(self._sparql(sparql, iris)))

    def link(self, iri: str | None, text: str | None = None) -> dict | None:
        if iri is None:
            return None
        return {"text": text or iri, "url": page_url(iri, self.base), "iri": iri}

    def labels(self, iris: Iterable[str | None]) -> dict[str, str]:
        """Each IRI's label: its schema:name, else its English skos:prefLabel, else its rdfs:label."""
        wanted = sorted({i for i in iris if i and is_iri(i)})
        if not wanted:
            return {}
        found: dict[str, tuple[int, str]] = {}
        for row in self.rows(LABELS.format(values=" ".join(f"<{i}>" for i in wanted))):
            rank = int(row["rank"] or 9)
            if row["x"] not in found or rank < found[row["x"]][0]:
                found[row["x"]] = (rank, row["l"] or "")
        return {iri: label for iri, (_, label) in found.items()}

    def linked(self, iris: Iterable[str | None]) -> list[dict]:
        present = [i for i in iris if i]
        names = self.labels(present)
        return [{"text": names.get(i, short(i)), "url": page_url(i, self.base), "iri": i} for i in present]

    def details(self, records: Iterable[str | None]) -> dict[str, dict[str, Any]]:
        """Per role record: its side, attendance mode, organisation (as printed, with the title) and talk, and the
        words of the source behind it (``DETAILS``)."""
        return {r["rec"]: r for r in self.each(DETAILS, records)}

    def dates(self) -> dict[str, str]:
        """Every event's start date (read once per data version: 0.1 s at 10^6 quads)."""
        sparql = "SELECT DISTINCT ?x ?date WHERE { ?x schema:startDate ?date }"
        return self.once(("dates",), lambda: {r["x"]: r["date"] for r in self.rows(sparql)})

    def each(self, sparql: str, iris: Iterable[str | None]) -> list[dict[str, Any]]:
        """The rows of ``sparql`` with ``{values}`` filled with the IRIs, a thousand at a time."""
        wanted = sorted({i for i in iris if i and is_iri(i)})
        out: list[dict[str, Any]] = []
        for start in range(0, len(wanted), CHUNK):
            out += self.rows(sparql.format(values=" ".join(f"<{i}>" for i in wanted[start : start + CHUNK])))
        return out

    def sources(self, graphs: Iterable[str | None]) -> dict[str, list[dict]]:
        """Per named graph, the documents it was derived from: public URL (or local copy) and label."""
        derived = self.each(SOURCES, graphs)
        documents = [r["doc"] for r in derived]
        labels = {r["doc"]: r["label"] for r in self.each(DOCUMENT_LABELS, documents)}
        copies = {r["doc"]: r["local"] for r in self.each(LOCAL_COPIES, documents)}
        out: dict[str, list[dict]] = defaultdict(list)
        for r in derived:
            doc = r["doc"] or ""
            url = doc if doc.startswith(("http://", "https://")) and not doc.startswith(self.base) else None
            out[r["g"] or ""].append({"text": labels.get(doc) or doc, "url": url or page_url(doc, self.base),
                                      "iri": doc, "local_copy": copies.get(doc)})  # fmt: skip
        return out
