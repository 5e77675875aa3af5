"""The plain records that pass between layers: no RDF, no store, so any layer can make them and tests write them.

* What a source says, before any RDF: every reader (``ingest.pages``, ``ingest.series_json``) produces
  ``SourceRecord``/``EventRecord``/``ParticipantRecord``, name resolution answers with ``PersonRecord`` and
  ``OrganisationRecord``, and ``ingest.to_rdf`` turns them into triples. Sides, sectors, roles and attendance
  modes are held by their keys in ``spacegraph.vocab.terms``.
* What the graph says, read back: ``Appearance``, one agent holding one role at one event, and ``Edition``,
  one edition of a series, which the analyses, planning and the network's filters work on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParticipantRecord:
    """One person at one event, as the source prints them."""

    name: str
    family_name: str
    given_name: str | None
    roles: tuple[str, ...]  # keys of ROLE_BY_KEY
    title: str | None = None
    organisation: str | None = None
    side: str | None = None  # a key of SIDE_BY_KEY
    talk_title: str | None = None
    attendance: str | None = None  # a key of ATTENDANCE_MODE_BY_KEY
    evidence: str | None = None
    span: tuple[int, int] | None = None  # characters of the source document's text the entry came from
    is_organisation: bool = False  # an organisation taking part in its own name ("remarks from …")
    inferred: tuple[str, ...] = ()  # keys of INFERABLE ("side") proposed by ingest rather than read


@dataclass(frozen=True)
class EventRecord:
    """One edition of the series, as the source describes it."""

    name: str
    kind: str  # a key of EDITION_KINDS: "workshop" or "dialogue"
    start_date: str | None
    end_date: str | None
    city: str | None
    country: str | None
    hosts: tuple[str, ...]
    co_located_with: str | None
    topics: tuple[str, ...]
    participants: tuple[ParticipantRecord, ...]
    participants_complete: bool
    attendance_mode: str | None = None  # a key of ATTENDANCE_MODE_BY_KEY
    series: str | None = None  # the series as the page names it; None: the store's series
    span: tuple[int, int] | None = None
    # where each event-level fact was read: (fact, start, end), fact one of FACT_PROPERTIES in to_rdf
    evidence: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class SourceRecord:
    """One source document and the events it describes."""

    url: str
    title: str
    events: tuple[EventRecord, ...]
    local_copy: str | None = None  # path under data/, e.g. "sources/page.txt"


@dataclass(frozen=True)
class OrganisationRecord:
    name: str
    sector: str | None  # a key of SECTOR_BY_KEY; None: not known yet (a new organisation met on a page)
    country: str | None
    aliases: tuple[str, ...] = ()
    iri: str | None = None  # set when the organisation is already in the store under this IRI
    inferred: tuple[str, ...] = ()  # keys of INFERABLE ("sector") proposed by ingest rather than read


@dataclass(frozen=True)
class PersonRecord:
    name: str
    family_name: str
    given_name: str | None
    aliases: tuple[str, ...] = ()
    iri: str | None = None  # set when the person is already in the store under this IRI


@dataclass(frozen=True)
class Appearance:
    """One agent holding one role at one event, as the graph records it (an sg:Participation, read back)."""

    agent: str  # IRI
    name: str
    kind: str  # "person" or "organisation"
    event: str  # IRI
    event_name: str
    date: str | None
    role: str  # the role's English label (Role.label)
    side: str | None = None  # the side's English label (Side.label)
    organisation: str | None = None  # IRI of the affiliation at the time (a person's)
    organisation_name: str | None = None
    sector: str | None = None  # the sector's English label (Sector.label)
    country: str | None = None
    source: str | None = None  # the document the record comes from

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


@dataclass(frozen=True)
class Edition:
    """One edition of a series, as the graph records it: its IRI, name, start date and topics (IRIs)."""

    iri: str
    name: str
    date: str | None
    topics: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None
