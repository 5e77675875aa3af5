"""Plain records of what a source says, before any RDF: what every reader produces and ``to_rdf`` consumes."""

from __future__ import annotations

from dataclasses import dataclass

SIDES = ("US", "CN", "other")
ATTENDANCE_MODES = ("in-person", "online", "hybrid", "prerecorded")
SECTORS = (
    "government body",
    "state-owned enterprise",
    "private company",
    "non-profit",
    "research institute",
    "intergovernmental body",
)


@dataclass(frozen=True)
class ParticipantRecord:
    """One person at one event, as the source prints them."""

    name: str
    family_name: str
    given_name: str | None
    roles: tuple[str, ...]
    title: str | None = None
    organisation: str | None = None
    side: str | None = None
    talk_title: str | None = None
    attendance: str | None = None
    evidence: str | None = None
    span: tuple[int, int] | None = None  # characters of the source document's text the entry came from
    is_organisation: bool = False  # an organisation taking part in its own name ("remarks from …")


@dataclass(frozen=True)
class EventRecord:
    """One edition of the series, as the source describes it."""

    name: str
    kind: str  # "workshop" or "dialogue"
    start_date: str | None
    end_date: str | None
    city: str | None
    country: str | None
    hosts: tuple[str, ...]
    co_located_with: str | None
    topics: tuple[str, ...]
    participants: tuple[ParticipantRecord, ...]
    participants_complete: bool
    attendance_mode: str | None = None
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
    sector: str | None  # None: not known yet (a new organisation met on a page)
    country: str | None
    aliases: tuple[str, ...] = ()
    iri: str | None = None  # set when the organisation is already in the store under this IRI


@dataclass(frozen=True)
class PersonRecord:
    name: str
    family_name: str
    given_name: str | None
    aliases: tuple[str, ...] = ()
    iri: str | None = None  # set when the person is already in the store under this IRI
