"""What the network view's filters choose from, read once per data version: the editions, the topics (with the
editions about each, narrower topics' included) and who took part in which edition."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacegraph.analysis.cache import Projections
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab.records import Edition
from spacegraph.vocab.sparql import PREFIX_HEADER
from spacegraph.vocab.terms import NOT_SPEAKING

TOPICS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?x ?topic ?kind WHERE {
  { ?x schema:about ?topic BIND ("about" AS ?kind) }
  UNION { ?x skos:broader ?topic BIND ("broader" AS ?kind) }
  UNION { ?x skos:prefLabel ?topic FILTER (lang(?topic) = "en") BIND ("label" AS ?kind) }
}"""
)


@dataclass
class Catalogue:
    """What the filters choose from, per data version: editions, topics and who took part in which edition."""

    generation: str
    editions: dict[str, Edition]
    topics: dict[str, dict]  # IRI -> {"label", "editions": set of edition IRIs, narrower topics' included}
    presence: dict[str, dict[str, set[str]]]  # graph -> node -> the editions it took part in


FORMAT = (1, tuple(Catalogue.__dataclass_fields__))  # of the file it is kept in (analysis.cache.kept_for_version)


def read_catalogue(projections: Projections, store: OxigraphStore) -> Catalogue:
    """The catalogue of the projections' data version (its topics read from ``store``, of the same version)."""
    editions: dict[str, Edition] = {}
    presence: dict[str, dict[str, set[str]]] = {"people": defaultdict(set), "organisations": defaultdict(set)}
    for a in projections.appearances:
        editions.setdefault(a.event, Edition(a.event, a.event_name, a.date))
        if a.role in NOT_SPEAKING:  # as in the projections: a contact or host shares no event with anyone
            continue
        if a.kind == "person":
            presence["people"][a.agent].add(a.event)
        organisation = a.agent if a.kind == "organisation" else a.organisation
        if organisation:
            presence["organisations"][organisation].add(a.event)
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in store.query(TOPICS):
        rows[row["kind"].value].append((row["x"].value, row["topic"].value))
    labels = dict(rows["label"])
    broader: dict[str, set[str]] = defaultdict(set)
    for narrower, wider in rows["broader"]:
        broader[narrower].add(wider)
    topics: dict[str, dict] = {}
    for event, about in rows["about"]:
        if event not in editions:  # talks are about topics too; the filter is by edition
            continue
        for topic in _with_broader(about, broader):
            topics.setdefault(topic, {"label": labels.get(topic, topic), "editions": set()})["editions"].add(event)
    return Catalogue(projections.generation, editions, topics, {k: dict(v) for k, v in presence.items()})


def _with_broader(topic: str, broader: dict[str, set[str]]) -> set[str]:
    seen, todo = {topic}, [topic]
    while todo:
        for wider in broader.get(todo.pop(), ()):
            if wider not in seen:
                seen.add(wider)
                todo.append(wider)
    return seen
