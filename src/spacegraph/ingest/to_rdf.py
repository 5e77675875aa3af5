"""From records to RDF: one named graph per source document, each describing its own provenance.

Pure functions: records and a registry in, rdflib graphs out. Nothing here reads or writes files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph, Literal, URIRef

from spacegraph.iris import Minter
from spacegraph.vocab import (
    CONF,
    FOAF,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SDO,
    SG,
    SKOS,
    XSD,
)
from spacegraph.vocab.records import (
    EventRecord,
    OrganisationRecord,
    ParticipantRecord,
    PersonRecord,
    SourceRecord,
)
from spacegraph.vocab.terms import (
    ATTENDANCE_MODE_BY_KEY,
    EDITION_KINDS,
    INFERABLE,
    ROLE_BY_KEY,
    SECTOR_BY_KEY,
    SIDE_BY_KEY,
    side_of_country,
)

# The property each kind of event-level evidence stands behind.
FACT_PROPERTIES = {
    "start_date": SDO.startDate,
    "place": SDO.location,
    "hosts": SDO.organizer,
    "series": SDO.superEvent,
    "co_located_with": SG.coLocatedWith,
    "attendance_mode": SDO.eventAttendanceMode,
}


@dataclass(frozen=True)
class Provenance:
    """Who recorded a graph, and when (an ISO 8601 timestamp)."""

    agent: URIRef
    agent_label: str
    recorded_at: str
    agent_type: URIRef = PROV.SoftwareAgent  # prov:Person or prov:Organization for people who curate by hand


def new_graph(identifier: URIRef) -> Graph:
    graph = Graph(identifier=identifier)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def describe_graph(graph: Graph, documents: Sequence[tuple[URIRef, str, str | None]], prov: Provenance) -> None:
    """Add to ``graph`` its own provenance: the documents it comes from (IRI, label, local copy)."""
    g = graph.identifier
    graph.add((g, RDF.type, SG.SourceGraph))
    graph.add((g, PROV.generatedAtTime, Literal(prov.recorded_at, datatype=XSD.dateTime)))
    graph.add((g, PROV.wasAttributedTo, prov.agent))
    graph.add((prov.agent, RDF.type, prov.agent_type))
    graph.add((prov.agent, RDFS.label, Literal(prov.agent_label)))
    for document, label, local_copy in documents:
        graph.add((g, PROV.wasDerivedFrom, document))
        graph.add((document, RDF.type, SG.SourceDocument))
        graph.add((document, RDFS.label, Literal(label)))
        if local_copy:
            graph.add((document, SG.localCopy, Literal(local_copy)))


class Resolver(Protocol):
    """Names as printed -> records of the registry (with their IRIs when the store already has them)."""

    def organisation(self, printed: str) -> OrganisationRecord: ...

    def person(self, printed: str) -> PersonRecord: ...


def organisation_iri(minter: Minter, org: OrganisationRecord) -> URIRef:
    return URIRef(org.iri) if org.iri else minter.organisation(org.name)


def person_iri(minter: Minter, person: PersonRecord) -> URIRef:
    return URIRef(person.iri) if person.iri else minter.person(person.name)


def organisation_triples(graph: Graph, minter: Minter, org: OrganisationRecord) -> URIRef:
    iri = organisation_iri(minter, org)
    graph.add((iri, RDF.type, ORG.Organization))
    graph.add((iri, SDO.name, Literal(org.name)))
    if org.sector:
        graph.add((iri, SG.sector, SECTOR_BY_KEY[org.sector].iri))
        if "sector" in org.inferred:
            graph.add((iri, SG.inferred, INFERABLE["sector"]))
    if org.country:
        graph.add((iri, SDO.addressCountry, Literal(org.country)))
    for alias in org.aliases:
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    return iri


def person_triples(graph: Graph, minter: Minter, person: PersonRecord) -> URIRef:
    iri = person_iri(minter, person)
    graph.add((iri, RDF.type, FOAF.Person))
    graph.add((iri, SDO.name, Literal(person.name)))
    graph.add((iri, SDO.familyName, Literal(person.family_name)))
    if person.given_name:
        graph.add((iri, SDO.givenName, Literal(person.given_name)))
    for alias in person.aliases:
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    return iri


def source_graph(
    source: SourceRecord,
    graph_iri: URIRef,
    registry: Resolver,
    minter: Minter,
    series: URIRef,
    prov: Provenance,
    also_derived_from: Sequence[tuple[URIRef, str, str | None]] = (),
) -> Graph:
    """The named graph of one source document: its events, who took part in what role, and its provenance."""
    graph = new_graph(graph_iri)
    document = (URIRef(source.url), source.title, source.local_copy)
    describe_graph(graph, [document, *also_derived_from], prov)
    for event in source.events:
        _event_triples(graph, event, registry, minter, series)
    return graph


def _event_triples(graph: Graph, event: EventRecord, registry: Resolver, minter: Minter, series: URIRef) -> None:
    edition = minter.edition(event.name, event.start_date)
    graph.add((edition, RDF.type, EDITION_KINDS[event.kind]))
    graph.add((edition, SDO.name, Literal(event.name)))
    graph.add((edition, SDO.superEvent, series))
    graph.add((edition, SG.participantsComplete, Literal(event.participants_complete)))
    _span(graph, edition, event.span)
    for fact, start, end in event.evidence:
        evidence = minter.evidence(edition, fact)
        graph.add((evidence, RDF.type, SG.Evidence))
        graph.add((evidence, SG.evidenceOf, edition))
        graph.add((evidence, SG.evidenceFor, FACT_PROPERTIES[fact]))
        _span(graph, evidence, (start, end))
    if event.start_date:
        graph.add((edition, SDO.startDate, Literal(event.start_date, datatype=XSD.date)))
    if event.end_date:
        graph.add((edition, SDO.endDate, Literal(event.end_date, datatype=XSD.date)))
    if event.attendance_mode:
        graph.add((edition, SDO.eventAttendanceMode, ATTENDANCE_MODE_BY_KEY[event.attendance_mode].iri))
    if event.city:
        place = minter.place(event.city, event.country)
        graph.add((edition, SDO.location, place))
        graph.add((place, RDF.type, SDO.Place))
        graph.add((place, SDO.name, Literal(event.city)))
        if event.country:
            graph.add((place, SDO.addressCountry, Literal(event.country)))
    if event.co_located_with:
        other = minter.event(event.co_located_with)
        graph.add((edition, SG.coLocatedWith, other))
        graph.add((other, RDF.type, SDO.Event))
        graph.add((other, SDO.name, Literal(event.co_located_with)))
    for topic in event.topics:  # a concept's IRI, or its English label (the scheme's IRIs are minted from it)
        graph.add(
            (edition, SDO.about, URIRef(topic) if topic.startswith(("https://", "http://")) else minter.topic(topic))
        )
    for printed in event.hosts:
        org = registry.organisation(printed)
        holder = organisation_iri(minter, org)
        record = _participation(graph, minter, edition, holder, "host")
        graph.add((edition, SDO.organizer, holder))
        if org.country:
            graph.add((record, SG.side, side_of_country(org.country).iri))
        graph.add((record, SG.nameAsPrinted, Literal(printed)))
    for participant in event.participants:
        _participant_triples(graph, participant, edition, registry, minter)


def _span(graph: Graph, node: URIRef, span: tuple[int, int] | None) -> None:
    if span is not None and graph.value(node, SG.evidenceStart) is None:  # one role read twice: its first span
        graph.add((node, SG.evidenceStart, Literal(span[0])))
        graph.add((node, SG.evidenceEnd, Literal(span[1])))


def _participation(graph: Graph, minter: Minter, edition: URIRef, holder: URIRef, role: str) -> URIRef:
    record = minter.participation(edition, holder, role)
    graph.add((record, RDF.type, SG.Participation))
    graph.add((record, CONF.isHeldBy, holder))
    graph.add((record, CONF.withRole, ROLE_BY_KEY[role].iri))
    graph.add((record, CONF.during, edition))
    return record


def _participant_triples(
    graph: Graph, p: ParticipantRecord, edition: URIRef, registry: Resolver, minter: Minter
) -> None:
    if p.is_organisation:
        person = organisation_iri(minter, registry.organisation(p.organisation or p.name))
    else:
        person = person_iri(minter, registry.person(p.name))
    affiliation = None
    if p.organisation and not p.is_organisation:
        org = registry.organisation(p.organisation)
        affiliation = minter.affiliation(edition, person, p.organisation)
        graph.add((affiliation, RDF.type, CONF.AffiliationDuringEvent))
        graph.add((affiliation, CONF.isAffiliationOf, person))
        graph.add((affiliation, CONF.withOrganisation, organisation_iri(minter, org)))
        graph.add((affiliation, CONF.during, edition))
        graph.add((affiliation, SG.organisationAsPrinted, Literal(p.organisation)))
        if p.title:
            graph.add((affiliation, SG.titleAsPrinted, Literal(p.title)))
    talk = None
    if p.talk_title:
        talk = minter.talk(edition, p.talk_title)
        graph.add((talk, RDF.type, CONF.Talk))
        graph.add((talk, SDO.name, Literal(p.talk_title)))
        graph.add((talk, CONF.isSubEventOf, edition))
        graph.add((talk, SDO.performer, person))
    for role in p.roles:
        record = _participation(graph, minter, edition, person, role)
        graph.add((record, SG.nameAsPrinted, Literal(p.name)))
        if p.side:
            graph.add((record, SG.side, SIDE_BY_KEY[p.side].iri))
            if "side" in p.inferred:
                graph.add((record, SG.inferred, INFERABLE["side"]))
        if affiliation is not None:
            graph.add((record, SG.affiliation, affiliation))
        if talk is not None and ROLE_BY_KEY[role].gives_talk:
            graph.add((record, SG.talk, talk))
        if p.attendance and role != "contact":  # a contact person does not attend in any mode
            graph.add((record, SG.attendanceMode, ATTENDANCE_MODE_BY_KEY[p.attendance].iri))
        if p.evidence:
            graph.add((record, SG.evidence, Literal(p.evidence)))
        _span(graph, record, p.span)


__all__ = ["Provenance", "describe_graph", "new_graph", "organisation_triples", "person_triples", "source_graph"]
