"""What ingest proposes where a page does not say: a new organisation's sector from its name, a participant's side.

A proposal is never taken for a fact the page states. The graph marks it ``sg:inferred`` (the property whose
value was proposed), and the review list shows it with its evidence. A proposal at least ``INFERENCE_THRESHOLD``
sure goes into the graph, so marked; a weaker one goes to the review list only.

>>> sector_from_name("Lancang Launch Technology Co., Ltd.")
('private company', 0.9, 'Co')
>>> sector_from_name("Nanming University")
('research institute', 0.9, 'University')
>>> sector_from_name("Karoo Orbital Forum")
('non-profit', 0.6, 'Forum')
>>> sector_from_name("Bluebird") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from spacegraph.ingest.to_rdf import organisation_iri, person_iri
from spacegraph.ingest.topics import TopicMatch
from spacegraph.names.keys import name_key
from spacegraph.vocab.records import OrganisationRecord
from spacegraph.vocab.sparql import PREFIX_HEADER, fill
from spacegraph.vocab.terms import SECTOR_BY_KEY, SIDE_BY_IRI, Side, side_of_country

INFERENCE_THRESHOLD = 0.75  # a proposal at least this sure goes into the graph (marked inferred); below, to review

SURE, LIKELY = 0.9, 0.6

# (sector key, how sure, words of the name that say so). Earlier rules win: "China Academy of Space Technology"
# is an academy before it is Chinese; "Foundation University" would be a university.
_RULES: tuple[tuple[str, float, str], ...] = (
    ("intergovernmental body", SURE, r"United Nations|UNOOSA|UNESCO|Office for Outer Space Affairs|联合国"),
    (
        "research institute",
        SURE,
        r"Universit(?:y|ies|é|ät|at|à|ad|ade|eit|et)|Universidad|Universidade|College|Polytechnic|"
        r"School of|Academy|Academia|Akademie|Institut(?:e|o|a)?|Instytut|Observator(?:y|io|ium|ire)|Laborator(?:y|ies|io)|"
        r"Research (?:Centre|Center|Council)|Studies (?:Centre|Center)|大学|学院|研究院|研究所|研究中心|实验室",
    ),
    (
        "government body",
        SURE,
        r"Ministry|Ministerio|Ministère|Ministerium|Department of|Agency|Agencia|Agence|Administration|"
        r"Directorate|Authority|Commission|[A-Z][a-z]+ing Board|Regulatory|Federal|Government of|Bureau of|"
        r"Office of the|国家.{1,8}局|部$|委员会|管理中心",
    ),
    ("state-owned enterprise", SURE, r"(?:^China|^中国).*(?:Corporation|Group|集团)"),
    (
        "private company",
        SURE,
        r"Inc|Incorporated|Ltda|Ltd|A/S|ApS|SRL|S\.R\.L|Sp\. z o\.o|Avocats|Limited|LLC|LLP|L\.L\.C|PLC|plc|GmbH|AG|SA|S\.A|SAS|SARL|S\.L|S\.p\.A|SpA|BV|B\.V|"
        r"NV|N\.V|AS|ASA|AB|Oy|Pte|Pty|Sdn\.? Bhd|Bhd|K\.K|Co\.|Corp|Corporation|Company|FZ-LLC|FZE|Holdings|"
        r"有限公司|股份公司|公司",
    ),
    ("non-profit", SURE, r"Foundation|Fundaci[óo]n|Fondation|Fondazione|Stiftung|Trust|Society|Sociedad|基金会|学会"),
    (
        "private company",
        LIKELY,
        r"Partners|Associates|Ventures|Capital|Consulting|Consultants|Advisory|Group|Systems|Technologies|Works|"
        r"[A-Z][a-z]+works|Aerospace|Services|Rechtsanwälte|Law Firm|Insurance|Analytics|Fund",
    ),
    ("non-profit", LIKELY, r"Forum|Council|Initiative|Network|Alliance|Association|Coalition|Centre|Center|协会|论坛"),
)
_COMPILED = tuple(
    (sector, sure, re.compile(rf"(?<![A-Za-z])(?:{words})(?![A-Za-z])")) for sector, sure, words in _RULES
)


def sector_from_name(name: str) -> tuple[str, float, str] | None:
    """The sector an organisation's name suggests: (sector key, how sure, the words that say so), or None."""
    for sector, sure, pattern in _COMPILED:
        found = pattern.search(name)
        if found:
            return sector, sure, found.group(0).rstrip(".")
    return None


# The sides a person held at other editions (in graphs other than the page's own), read or inferred, most often first.
SIDES_HELD = (
    PREFIX_HEADER
    + """
SELECT ?side (SUM(IF(?was_inferred, 0, 1)) AS ?read) (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?participation conf:isHeldBy %person% ; sg:side ?side .
    BIND (EXISTS { ?participation sg:inferred sg:side } AS ?was_inferred) }
  FILTER (?g != %graph%)
} GROUP BY ?side ORDER BY DESC(?read) DESC(?n) LIMIT 1
"""
)


def side_held(store: Any, person: str, graph: str) -> tuple[str, bool] | None:
    """The side ``person`` represented at other editions (their usual one, read ones first), and whether it was
    only ever inferred there; None for a person with no side in the graph."""
    for row in store.query(fill(SIDES_HELD, person=URIRef(person), graph=URIRef(graph))):
        side = SIDE_BY_IRI.get(row["side"].value)
        if side is not None:
            return side.key, int(row["read"].value) == 0
    return None


@dataclass
class ReviewItem:
    """One entry for the review list: what the page printed, the entity (or edition) it concerns, the candidates
    (the entities it may be, or the proposed values with how sure each is), and the evidence."""

    kind: str  # "organisation" or "person" (a doubtful match); "sector", "side" (an inference); "topic" (a proposal)
    printed: str
    new_iri: str
    candidates: list[dict[str, Any]]
    evidence: dict[str, Any]


def evidence(document: Any, span: tuple[int, int]) -> dict[str, Any]:
    """Where on the page something was read: the file, the offsets and the text."""
    return {
        "source": str(document.path.name),
        "start": span[0],
        "end": span[1],
        "text": document.text[span[0] : span[1]],
    }


def evidence_in(text: str, span: tuple[int, int]) -> dict[str, Any]:
    return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}


def side_review(printed: str, holder: str, side: Side, because: str, found: dict[str, Any]) -> ReviewItem:
    """A side proposed for ``holder`` (in the graph, marked inferred), for the review list to confirm or remove."""
    candidate = {"iri": str(side.iri), "name": side.label, "score": SURE}
    return ReviewItem("side", printed, holder, [candidate], {**found, "because": because})


def topic_reviews(document: Any, edition: str, topics: list[TopicMatch]) -> list[ReviewItem]:
    """A phrase that fits no concept of the scheme well enough: a new concept proposed, with the near ones (the
    broader topics it might go under, or the concept it might be after all)."""
    taken = {m.concept.iri for m in topics if m.sure and m.concept}
    items = []
    for m in topics:
        if m.sure or (m.concept is not None and m.concept.iri in taken):
            continue
        near = [(m.concept, m.score)] if m.concept else []
        candidates = [{"iri": c.iri, "name": c.label, "score": score} for c, score in [*near, *m.candidates]]
        items.append(ReviewItem("topic", m.phrase, edition, candidates, evidence(document, m.span)))
    return items


def sector_reviews(resolver: Any) -> list[ReviewItem]:
    """Each new organisation's sector proposed from its name (in the graph, marked inferred, when sure enough), for
    the organisations ``resolver`` (a ``page_records.PageResolver``) created."""
    items = []
    for key, (sector, sure, cue) in resolver.sectors.items():
        org = resolver.new_organisations.get(key)
        if org is None:
            continue
        iri = str(organisation_iri(resolver.minter, org))
        candidate = {"iri": str(SECTOR_BY_KEY[sector].iri), "name": SECTOR_BY_KEY[sector].label, "score": sure}
        evidence = {**resolver.evidence.get(("organisation", key), {}), "because": f"the name has {cue!r}"}
        items.append(ReviewItem("sector", org.name, iri, [candidate], evidence))
    return items


def participant_side(
    match: Any, country: str | None, resolver: Any, mention: Any, text: str
) -> tuple[str | None, bool]:
    """A returning person keeps the side they held before; anyone else's side is proposed from their
    organisation's country, marked inferred, and shown on the review list. ``resolver`` is the page's
    ``page_records.PageResolver``, ``match`` its match of ``mention`` (a ``page_entries.Mention``)."""
    known, iri = resolver.known, getattr(match.record, "iri", None)
    if match.level not in ("new", "review") and iri and known.store is not None:
        if iri not in resolver.held:  # asked once per person and page
            resolver.held[iri] = side_held(known.store, iri, known.excluding)
        held = resolver.held[iri]
        if held is not None:
            return held  # type: ignore[no-any-return]
    if country is None:
        return None, False
    record = match.record
    holder = str(organisation_iri(resolver.minter, record) if isinstance(record, OrganisationRecord)
                 else person_iri(resolver.minter, record))  # fmt: skip
    side = side_of_country(country)
    if holder not in resolver.sides:
        kind = "organisation" if mention.is_organisation else "person"
        found = resolver.evidence.get((kind, name_key(mention.name))) or evidence_in(text, mention.span)
        because = f"the country of {mention.organisation or mention.name} is {country}"
        resolver.sides[holder] = side_review(mention.name, holder, side, because, found)
    return side.key, True


__all__ = [
    "INFERENCE_THRESHOLD",
    "SIDES_HELD",
    "ReviewItem",
    "evidence",
    "evidence_in",
    "participant_side",
    "sector_from_name",
    "sector_reviews",
    "side_held",
    "side_review",
    "topic_reviews",
]
