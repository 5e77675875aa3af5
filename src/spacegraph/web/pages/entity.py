"""The page of an entity IRI: what kind of thing it is, the page its kind builds, every statement about it, and
its RDF description. A page has a title, a short summary (label and values), sections and its statements.

The kinds and their page modules (add a kind: a module with ``describe(reader, iri, page)``, and a line in
``DESCRIBERS``; its sections render through entity.html as they are):

* person: appearances over time, with role and affiliation at the time; co-speakers with evidence; topics;
* edition: date, place, mode, hosts, programme, topics, co-located event, its place in the series;
* organisation: its people over time, its editions, its partners;
* topic: who spoke on it (or on a narrower topic), and when;
* series: its editions on a timeline, and who came back;
* place, event, resource: the statements only.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from spacegraph.sparql import results
from spacegraph.vocab.sparql import edition_pattern
from spacegraph.web.pages import edition, organisation, person, series, topic
from spacegraph.web.pages.cells import short
from spacegraph.web.pages.reader import Reader, check_iri
from spacegraph.web.pages.statements import statements

DESCRIBERS: dict[str, Callable[[Reader, str, dict], None]] = {
    "person": person.describe,
    "edition": edition.describe,
    "organisation": organisation.describe,
    "topic": topic.describe,
    "series": series.describe,
}
KINDS = {  # rdf:type -> kind of page
    "http://xmlns.com/foaf/0.1/Person": "person",
    "http://www.w3.org/ns/org#Organization": "organisation",
    "https://w3id.org/scholarlydata/ontology/conference-ontology.owl#WorkshopSeries": "series",
    "http://www.w3.org/2004/02/skos/core#Concept": "topic",
    "https://schema.org/Place": "place",
    "https://schema.org/Event": "event",
}
KIND_NAMES = {"person": "Person", "organisation": "Organisation", "series": "Series", "topic": "Topic",
              "place": "Place", "event": "Event", "edition": "Edition", "resource": "Resource",
              "side": "Side", "country": "Country"}  # fmt: skip


class PageNotFound(LookupError):
    """Nothing is known about this IRI; ``suggestions`` are links to entities with similar names."""

    def __init__(self, message: str, suggestions: list[dict] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


def kind_of(reader: Reader, iri: str) -> str | None:
    """The kind of page ``iri`` has, or None when nothing is recorded about it."""
    if reader.ask(f"ASK {{ {edition_pattern('%x%', '?type')} }}", x=iri):
        return "edition"
    types = [r["t"] for r in reader.rows("SELECT DISTINCT ?t WHERE { %x% a ?t }", x=iri)]
    for t in types:
        if t in KINDS:
            return KINDS[t]
    if types or reader.ask("ASK { { %x% ?p ?o } UNION { ?s ?p %x% } }", x=iri):
        return "resource"
    return None


def entity_page(reader: Reader, iri: str) -> dict:
    """The page of ``iri`` as one plain dict; PageNotFound (with suggestions) when nothing is known about it."""
    check_iri(iri)
    kind = kind_of(reader, iri)
    if kind is None:
        raise PageNotFound(f"nothing is recorded about <{iri}>", suggestions(reader, iri))
    page: dict[str, Any] = {"iri": iri, "kind": kind, "kind_name": KIND_NAMES[kind],
                            "title": reader.labels([iri]).get(iri, short(iri)), "summary": [], "sections": []}  # fmt: skip
    if kind in DESCRIBERS:
        DESCRIBERS[kind](reader, iri, page)
    page["statements"] = statements(reader, iri)
    return page


def suggestions(reader: Reader, iri: str) -> list[dict]:
    """Entities whose IRI's last segment is close to this one's, for a 404 page."""
    if not iri.startswith(reader.base + "id/"):
        return []
    kind_path, _, wanted = iri[len(reader.base) + 3 :].rpartition("/")
    prefix = f"{reader.base}id/{kind_path}/"
    candidates = [r["x"] for r in reader.rows(
        f'SELECT DISTINCT ?x WHERE {{ ?x a ?t FILTER (STRSTARTS(STR(?x), "{prefix}")) }} LIMIT 50000')]  # fmt: skip
    tails = {c[len(prefix) :]: c for c in candidates if c}
    close = difflib.get_close_matches(wanted, list(tails), n=5, cutoff=0.5)
    words = set(wanted.split("-"))
    close += [t for t in tails if t not in close and words & set(t.split("-")) and len(words) > 0][: 5 - len(close)]
    return reader.linked(tails[t] for t in close[:5])


def rdf_description(reader: Reader, iri: str, media_type: str, whole_graph: bool = False) -> bytes:
    """The statements ``iri`` is the subject or object of (for a named graph: the graph's own statements)."""
    node = ox.NamedNode(check_iri(iri))
    if whole_graph:
        triples = {q.triple for q in reader.store.quads(None, None, None, node)}
    else:
        triples = {q.triple for q in reader.store.quads(node, None, None, None)}
        triples |= {q.triple for q in reader.store.quads(None, None, node, None)}
    out: list[bytes] = []
    results.write_graph(sorted(triples, key=str), media_type, out.append)
    return b"".join(out)
