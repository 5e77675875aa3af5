"""From a parsed page to what ingest commits: resolved records, the page's named graph, the review items,
and the ``--dry-run --json`` report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import Graph, Literal, URIRef

from spacegraph.ingest.confidence import DEFAULT_MIN_CONFIDENCE, screen_event, uncertain_reviews, uncertain_warning
from spacegraph.ingest.inferences import (
    INFERENCE_THRESHOLD,
    ReviewItem,
    participant_side,
    sector_from_name,
    sector_reviews,
    topic_reviews,
)
from spacegraph.ingest.inferences import evidence as _evidence
from spacegraph.ingest.page_entries import Mention
from spacegraph.ingest.pages import ParsedEvent, ParsedPage
from spacegraph.ingest.places import country_in_name
from spacegraph.ingest.to_rdf import (
    Provenance,
    organisation_iri,
    organisation_triples,
    person_iri,
    person_triples,
    source_graph,
)
from spacegraph.ingest.topics import TopicMatch, TopicScheme, event_phrases

__all__ = ["IngestPlan", "KnownEntities", "PageResolver", "ReviewItem", "plan_page"]
from spacegraph.iris import Minter
from spacegraph.names.han import HAN
from spacegraph.names.index import NameIndex, compute_index, series_of
from spacegraph.names.keys import name_key
from spacegraph.names.matching import Match, Matcher
from spacegraph.names.organisations import strip_acronym
from spacegraph.names.split import split_name
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab import SKOS
from spacegraph.vocab.records import EventRecord, OrganisationRecord, ParticipantRecord, PersonRecord, SourceRecord
from spacegraph.vocab.terms import ROLE_BY_PHRASE


@dataclass
class KnownEntities:
    """What the graph already holds, for resolving a page against it."""

    organisations: Matcher
    people: Matcher
    series: list[tuple[str, str, list[str]]]  # (iri, name, aliases)
    topics: TopicScheme = field(default_factory=lambda: TopicScheme([]))
    store: OxigraphStore | None = None  # for the sides people held at other editions
    excluding: str = "urn:x-none"  # the page's own graph, about to be replaced

    @classmethod
    def from_store(
        cls,
        store: OxigraphStore,
        rejected: set[tuple[str, str]] | None = None,
        excluding: str = "urn:x-none",
        index: NameIndex | None = None,
    ) -> KnownEntities:
        """What ``store`` holds, leaving out what only the graph ``excluding`` says (the page's own, about to be
        replaced). ``index`` is the store's name index, when one was kept (see ``names.index``)."""
        index = index or compute_index(store)
        organisations, people = index.matchers(store, excluding, rejected or set())
        return cls(organisations, people, series_of(store), TopicScheme.from_store(store), store, excluding)


class PageResolver:
    """Resolves the names a page prints; remembers every match, new entity and alias for the commit."""

    def __init__(self, known: KnownEntities, minter: Minter):
        self.minter = minter
        self.known = known
        self.orgs = known.organisations
        self.people = known.people
        self.matches: dict[tuple[str, str], Match] = {}
        self.new_organisations: dict[str, OrganisationRecord] = {}
        self.new_people: dict[str, PersonRecord] = {}
        self.aliases: list[tuple[URIRef, str]] = []  # (entity, printed form) to keep as skos:altLabel
        self.reviews: list[ReviewItem] = []
        self.evidence: dict[tuple[str, str], dict[str, Any]] = {}
        self.sectors: dict[str, tuple[str, float, str]] = {}  # new organisation's name key -> (sector, sure, cue)
        self.sides: dict[str, ReviewItem] = {}  # sides proposed from an organisation's country, by holder
        self.held: dict[str, tuple[str, bool] | None] = {}  # the side each returning person held before

    def is_known_organisation(self, text: str) -> bool:
        return self.orgs.lookup(text) is not None

    def organisation(self, printed: str) -> OrganisationRecord:
        return self._resolve("organisation", printed).record

    def person(self, printed: str) -> PersonRecord:
        return self._resolve("person", printed).record

    def match(self, kind: str, printed: str) -> Match:
        return self._resolve(kind, printed)

    def _resolve(self, kind: str, printed: str) -> Match:
        key = (kind, name_key(printed))
        if key in self.matches:
            return self.matches[key]
        matcher = self.orgs if kind == "organisation" else self.people
        match = matcher.match(printed) or Match("new", None)
        if match.level in ("review", "new"):
            candidates = match.candidates
            match.record = self._apart(self._new(kind, printed), [r for r, _ in candidates])
            if match.level == "review":
                self.reviews.append(
                    ReviewItem(
                        kind,
                        printed,
                        str(_iri_of(self.minter, match.record)),
                        [{"iri": str(_iri_of(self.minter, r)), "name": r.name, "score": s} for r, s in candidates],
                        self.evidence.get(key, {}),
                    )
                )
        elif match.level == "fuzzy" or (match.level == "alias" and printed not in match.record.aliases):
            self.aliases.append((_iri_of(self.minter, match.record), printed))
        self.matches[key] = match
        return match

    def _apart(self, record: Any, candidates: list[Any]) -> Any:
        """``record``, with an IRI of its own where its name mints the IRI of an entity it may only be ("Iаn
        Christensen", a Cyrillic а, mints Ian Christensen's): kept apart until review says otherwise."""
        iri = _iri_of(self.minter, record)
        taken = {str(_iri_of(self.minter, c)) for c in candidates}
        if str(iri) not in taken:
            return record
        n = 2
        while f"{iri}-{n}" in taken:
            n += 1
        apart = replace(record, iri=f"{iri}-{n}")
        table: dict[str, Any] = self.new_people if isinstance(record, PersonRecord) else self.new_organisations
        table[name_key(record.name)] = apart
        return apart

    def _new(self, kind: str, printed: str) -> OrganisationRecord | PersonRecord:
        if kind == "organisation":
            name, acronym = strip_acronym(printed)
            proposal = sector_from_name(name)
            sure = proposal is not None and proposal[1] >= INFERENCE_THRESHOLD
            sector, inferred = (proposal[0], ("sector",)) if sure and proposal else (None, ())
            org = OrganisationRecord(name, sector, country_in_name(name), (acronym,) if acronym else (), None, inferred)
            if proposal and name_key(name) not in self.sectors:
                self.sectors[name_key(name)] = proposal
                self.evidence.setdefault(("organisation", name_key(name)), self.evidence.get(key_of(printed), {}))
            return self.new_organisations.setdefault(name_key(name), org)
        person = split_name(printed)
        record = PersonRecord(person.name, person.family, person.given)
        return self.new_people.setdefault(name_key(person.name), record)


def key_of(printed: str) -> tuple[str, str]:
    return ("organisation", name_key(printed))


def _iri_of(minter: Minter, record: OrganisationRecord | PersonRecord) -> URIRef:
    if isinstance(record, OrganisationRecord):
        return organisation_iri(minter, record)
    return person_iri(minter, record)


@dataclass
class IngestPlan:
    """Everything one page adds: its graph, what it would report, what needs review."""

    source: SourceRecord
    graph: Graph
    report: dict[str, Any]
    reviews: list[ReviewItem]
    warnings: list[str]
    focus: set[URIRef]


def plan_page(
    parsed: ParsedPage,
    resolver: PageResolver,
    known: KnownEntities,
    minter: Minter,
    graph_iri: URIRef,
    source_iri: str,
    local_copy: str | None,
    prov: Provenance,
    series_name: str | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> IngestPlan:
    """What the page adds; a participant or field read less surely than ``min_confidence`` goes to review."""
    document = parsed.document
    warnings = list(parsed.warnings)
    events, report_events = _read_events(parsed, resolver, known, minter, warnings, min_confidence)
    source = SourceRecord(source_iri, document.title or document.path.name, tuple(events), local_copy)
    series = _series(known, minter, series_name, parsed, warnings)
    graph = source_graph(source, graph_iri, resolver, minter, series, prov)
    for org in resolver.new_organisations.values():
        organisation_triples(graph, minter, org)
        if org.sector is None:
            warnings.append(f"new organisation {org.name!r}: set its sector in data/ when it is known")
    resolver.reviews += sector_reviews(resolver) + list(resolver.sides.values())
    inferred = [i for i in resolver.reviews if i.kind in ("sector", "side", "topic")]
    if inferred:
        warnings.append(
            f"{len(inferred)} sector(s), side(s) and topic(s) proposed rather than read: see `spacegraph review`"
        )
    for person in resolver.new_people.values():
        person_triples(graph, minter, person)
    for iri, printed in resolver.aliases:
        graph.add((iri, SKOS.altLabel, Literal(printed, lang="zh") if HAN.search(printed) else Literal(printed)))
    for item in resolver.reviews:
        if item.kind not in ("organisation", "person"):
            continue
        names = ", ".join(f"{c['name']} ({c['score']})" for c in item.candidates)
        warnings.append(f"{item.kind} {item.printed!r} may be {names}: kept separate until `spacegraph review`")
    focus = {s for s in graph.subjects() if isinstance(s, URIRef) and s != graph_iri}
    report = {
        "source": str(document.path),
        "events": report_events,
        "review": [
            {"kind": i.kind, "printed": i.printed, "candidates": i.candidates, "evidence": i.evidence}
            for i in resolver.reviews
        ],
        "warnings": warnings,
    }
    return IngestPlan(source, graph, report, resolver.reviews, warnings, focus)


def _read_events(
    parsed: ParsedPage,
    resolver: PageResolver,
    known: KnownEntities,
    minter: Minter,
    warnings: list[str],
    threshold: float,
) -> tuple[list[EventRecord], list[dict[str, Any]]]:
    """Each event's record and report, its topics matched to the scheme (the rest proposed for review), what was
    read too unsurely left out of it and listed for review."""
    document = parsed.document
    events = []
    report_events = []
    for event in parsed.events:
        doubtful = screen_event(event, document.text, threshold, resolver.is_known_organisation)
        for mention in event.participants:
            kind = "organisation" if mention.is_organisation else "person"
            resolver.evidence[(kind, name_key(mention.name))] = _evidence(document, mention.span)
            if mention.organisation:
                resolver.evidence.setdefault(key_of(mention.organisation), _evidence(document, mention.span))
        if "hosts" in event.evidence:
            for host in event.hosts:
                resolver.evidence.setdefault(key_of(host), _evidence(document, event.evidence["hosts"]))
        whole = (0, len(document.text)) if len(parsed.events) == 1 else event.span
        talks = [(m.talk_title, m.span) for m in event.participants if m.talk_title]
        topics = known.topics.match_all(event_phrases(document.text, whole, event.name, talks))
        topics += known.topics.in_title(event.name, event.span)
        record, report = _event(event, resolver, document.text, topics)
        events.append(record)
        report_events.append(report)
        edition = str(minter.edition(record.name, record.start_date))
        resolver.reviews += topic_reviews(document, edition, topics) + uncertain_reviews(document, edition, doubtful)
        warnings += [uncertain_warning(u, threshold) for u in doubtful]
        report["uncertain"] = [u.as_dict() for u in doubtful]
        report["confidence"] = {**event.confidence, "topics": {m.phrase: round(m.score, 2) for m in topics}}
        if record.start_date is None:
            warnings.append(f"event {record.name!r}: the page gives no event date")
    return events, report_events


def _series(
    known: KnownEntities, minter: Minter, series_name: str | None, parsed: ParsedPage, warnings: list[str]
) -> URIRef:
    """The series the page's events belong to: named on the command line, on the page, or the only one."""
    wanted = series_name or next((e.series for e in parsed.events if e.series), None)
    if wanted:
        for iri, name, aliases in known.series:
            if name_key(wanted) in {name_key(n) for n in (name, *aliases)}:
                return URIRef(iri)
    if len(known.series) == 1:
        if wanted:
            warnings.append(
                f"series {wanted!r} is not known by that name: the edition is put in {known.series[0][1]!r}"
            )
        return URIRef(known.series[0][0])
    raise LookupError(
        "cannot tell which series the page belongs to: give --series with one of "
        + ", ".join(repr(name) for _, name, _ in known.series)
    )


def _event(
    event: ParsedEvent, resolver: PageResolver, text: str, topics: list[TopicMatch]
) -> tuple[EventRecord, dict[str, Any]]:
    participants = []
    report_participants = []
    for mention in event.participants:
        record, entries = _participant(mention, resolver, text)
        participants.append(record)
        report_participants += entries
    hosts = tuple(resolver.organisation(h).name for h in event.hosts)
    record = EventRecord(
        name=event.name,
        kind="workshop" if re.search(r"\bworkshop\b", event.name, re.I) else "dialogue",
        start_date=event.start_date,
        end_date=event.end_date,
        city=event.city,
        country=event.country,
        hosts=hosts,
        co_located_with=event.co_located_with,
        topics=tuple(dict.fromkeys(m.concept.iri for m in topics if m.sure and m.concept)),
        participants=tuple(participants),
        participants_complete=bool(participants),
        attendance_mode=event.attendance_mode,
        series=event.series,
        span=event.span,
        evidence=tuple((fact, start, end) for fact, (start, end) in sorted(event.evidence.items())),
    )
    report = {
        "name": event.name,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "city": event.city,
        "country": event.country,
        "hosts": list(hosts),
        "series": event.series,
        "co_located_with": event.co_located_with,
        "attendance_mode": event.attendance_mode,
        "topics": list(dict.fromkeys(m.concept.label for m in topics if m.sure and m.concept)),
        "proposed_topics": [m.phrase for m in topics if not m.sure],
        "participants": report_participants,
    }
    return record, report


def _participant(mention: Mention, resolver: PageResolver, text: str) -> tuple[ParticipantRecord, list[dict]]:
    org = resolver.organisation(mention.organisation) if mention.organisation else None
    if mention.is_organisation:
        match = resolver.match("organisation", mention.organisation or mention.name)
        iri = _iri_of(resolver.minter, match.record)
        name = match.record.name
    else:
        match = resolver.match("person", mention.name)
        iri = _iri_of(resolver.minter, match.record)
        name = mention.name
    country = org.country if org else None
    side, inferred = participant_side(match, country, resolver, mention, text)
    if mention.han_name and mention.han_name not in getattr(match.record, "aliases", ()):
        resolver.aliases.append((iri, mention.han_name))  # 邵明川, the Han name of "SHAO Mingchuan"
    family, given = mention.family_name, mention.given_name
    if match.level != "new" and isinstance(match.record, PersonRecord) and match.record.given_name:
        # "Wang Yiran" printed without capitals: the registry knows which name is the family name
        if (name_key(family or ""), name_key(given or "")) == (
            name_key(match.record.given_name),
            name_key(match.record.family_name),
        ):
            family, given = given, family
    record = ParticipantRecord(
        name=mention.name if not mention.is_organisation else name,
        family_name=family or name,
        given_name=given,
        roles=tuple(ROLE_BY_PHRASE[r].key for r in mention.roles),
        title=mention.title,
        organisation=mention.organisation,
        side=side,
        inferred=("side",) if inferred and side else (),
        talk_title=mention.talk_title,
        evidence=text[mention.span[0] : mention.span[1]],
        span=mention.span,
        is_organisation=mention.is_organisation,
    )
    entries = [
        {
            "name": name,
            "family_name": None if mention.is_organisation else family,
            "given_name": None if mention.is_organisation else given,
            "title": mention.title,
            "organization": org.name if org else None,
            "country": country,
            "role": role,
            "talk_title": mention.talk_title if ROLE_BY_PHRASE[role].gives_talk else None,
            "iri": str(iri),
            "match": match.level,
            "evidence": {"start": mention.span[0], "end": mention.span[1]},
            "confidence": mention.confidence,
            "han_name": mention.han_name,
        }
        for role in mention.roles
    ]
    return record, entries
