"""A dialogue series' history, as plain data the planning functions work on: its editions in date order, who took
part in each (the analysis's role records), the topic scheme, and what is known of each person and organisation.

``read_history`` reads it from a store; tests build one by hand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import URIRef

from spacegraph.analysis.projections import read_appearances
from spacegraph.iris import fold
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab.records import Appearance, Edition
from spacegraph.vocab.sparql import PREFIX_HEADER, edition_pattern, fill
from spacegraph.vocab.terms import DIALOGUE_SIDES, NOT_SPEAKING

SERIES = (
    PREFIX_HEADER
    + f"""
SELECT DISTINCT ?series ?name (MAX(?date) AS ?latest) WHERE {{
  ?edition schema:superEvent ?series . {edition_pattern("?edition")} ?series schema:name ?name
  OPTIONAL {{ ?edition schema:startDate ?date }}
}} GROUP BY ?series ?name ORDER BY DESC(?latest) ?series"""
)
EDITIONS = (
    PREFIX_HEADER
    + f"""
SELECT DISTINCT ?edition ?name ?date ?topic WHERE {{
  ?edition schema:superEvent %series% ; schema:name ?name . {edition_pattern("?edition")}
  OPTIONAL {{ ?edition schema:startDate ?date }} OPTIONAL {{ ?edition schema:about ?topic }}
}}"""
)
SCHEME = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?topic ?label ?broader WHERE {
  ?topic a skos:Concept ; skos:prefLabel ?label FILTER (lang(?label) = "en")
  OPTIONAL { ?topic skos:broader ?broader }
}"""
)
# The labels of the two sides whose balance planning weighs (appearances hold sides by label).
SPEAKING_SIDES = tuple(side.label for side in DIALOGUE_SIDES)


@dataclass
class History:
    """One series: ``editions`` in date order (undated last), ``appearances`` at them, the topic scheme."""

    series: str
    series_name: str
    editions: list[Edition]
    appearances: list[Appearance]
    topic_labels: dict[str, str] = field(default_factory=dict)
    broader: dict[str, set[str]] = field(default_factory=dict)
    # People to invite who are not in the graph yet (``spacegraph.planning.longlist``): each a dict with iri, name,
    # organisation, side (a label), topics (IRIs). They count as people of the series who never spoke.
    longlist: list[dict] = field(default_factory=list)

    @cached_property
    def edition_index(self) -> dict[str, int]:
        return {e.iri: i for i, e in enumerate(self.editions)}

    @cached_property
    def speaking(self) -> list[Appearance]:
        """People holding a speaking role (not contact, not host) at an edition of this series."""
        return [a for a in self.appearances if a.kind == "person" and a.role not in NOT_SPEAKING
                and a.event in self.edition_index]  # fmt: skip

    @cached_property
    def people(self) -> dict[str, dict]:
        """Per person of the series: name, side, latest organisation and sector, editions (indexes), years."""
        seen: dict[str, list[Appearance]] = defaultdict(list)
        for a in self.appearances:
            if a.kind == "person" and a.event in self.edition_index:
                seen[a.agent].append(a)
        out = {}
        for person, records in seen.items():
            records.sort(key=lambda a: self.edition_index[a.event])
            sides = Counter(a.side for a in records if a.side)
            latest = next((a for a in reversed(records) if a.organisation), None)
            speaking = {self.edition_index[a.event] for a in records if a.role not in NOT_SPEAKING}
            out[person] = {
                "name": records[0].name,
                "side": sides.most_common(1)[0][0] if sides else None,
                "organisation": latest.organisation if latest else None,
                "organisation_name": latest.organisation_name if latest else None,
                "sector": latest.sector if latest else None,
                "editions": sorted({self.edition_index[a.event] for a in records}),
                "spoke_at": sorted(speaking),
            }
        for invitee in self.longlist:
            out.setdefault(invitee["iri"], {
                "name": invitee["name"], "side": invitee.get("side"), "organisation": None,
                "organisation_name": invitee.get("organisation"), "sector": None, "editions": [], "spoke_at": [],
                "longlist": tuple(invitee.get("topics", ())),
            })  # fmt: skip
        return out

    @cached_property
    def ancestors(self) -> dict[str, set[str]]:
        """Each topic's broader topics, transitively (skos:broader*), without itself."""
        out: dict[str, set[str]] = {}

        def walk(topic: str, trail: frozenset[str]) -> set[str]:
            if topic in out:
                return out[topic]
            found: set[str] = set()
            for parent in self.broader.get(topic, ()):
                if parent not in trail:  # a cycle in the scheme stops here
                    found |= {parent} | walk(parent, trail | {parent})
            out[topic] = found
            return found

        for topic in set(self.topic_labels) | set(self.broader):
            walk(topic, frozenset({topic}))
        return out

    def depth(self, topic: str) -> int:
        """1 for a top concept, 2 for its narrower ones, …: the longest chain of broader topics, plus one."""
        parents = self.broader.get(topic, set())
        return 1 + max((self.depth(p) for p in parents if topic not in self.ancestors.get(p, set())), default=0)

    def label(self, topic: str) -> str:
        return self.topic_labels.get(topic, topic.rsplit("/", 1)[-1])

    def find_topic(self, text: str) -> str:
        """The topic an IRI or a label means (case and accents aside); KeyError lists near labels."""
        if text in self.topic_labels:
            return text
        wanted = fold(text.strip())
        exact = [t for t, label in self.topic_labels.items() if fold(label) == wanted]
        if len(exact) == 1:
            return exact[0]
        near = sorted(label for label in self.topic_labels.values() if wanted in fold(label))
        hint = f": did you mean {'; '.join(near[:5])}?" if near else ": list them with `spacegraph coverage`"
        raise KeyError(f"no topic called {text!r}{hint}")


def list_series(store: OxigraphStore) -> list[tuple[str, str]]:
    """The series of the store (IRI, name), the one with the latest edition first."""
    return [(row["series"].value, row["name"].value) for row in store.query(SERIES)]


def read_history(store: OxigraphStore, series: str | None = None,
                 appearances: list[Appearance] | None = None) -> History:  # fmt: skip
    """The history of ``series`` (an IRI or a name; default: the series with the latest edition)."""
    known = list_series(store)
    if not known:
        raise LookupError("the store holds no dialogue series: build it from data/ first (spacegraph build)")
    if series is None:
        iri, name = known[0]
    else:
        matches = [(i, n) for i, n in known if series in (i, n) or fold(series) in fold(n)]
        if len(matches) != 1:
            listed = "; ".join(n for _, n in known)
            raise LookupError(f"{'no' if not matches else 'more than one'} series matches {series!r}: the series are "
                              f"{listed}")  # fmt: skip
        iri, name = matches[0]
    editions: dict[str, dict] = {}
    for row in store.query(fill(EDITIONS, series=URIRef(iri))):
        entry = editions.setdefault(row["edition"].value, {"name": row["name"].value, "topics": set(),
                                                           "date": row["date"].value if row["date"] else None})  # fmt: skip
        if row["topic"] is not None:
            entry["topics"].add(row["topic"].value)
    ordered = sorted(editions.items(), key=lambda item: (item[1]["date"] is None, item[1]["date"] or "", item[0]))
    labels: dict[str, str] = {}
    broader: dict[str, set[str]] = defaultdict(set)
    for row in store.query(SCHEME):
        labels[row["topic"].value] = row["label"].value
        if row["broader"] is not None:
            broader[row["topic"].value].add(row["broader"].value)
    events = {e for e, _ in ordered}
    records = [a for a in (appearances if appearances is not None else read_appearances(store)) if a.event in events]
    return History(iri, name, [Edition(e, d["name"], d["date"], tuple(sorted(d["topics"]))) for e, d in ordered],
                   records, labels, dict(broader))  # fmt: skip
