"""The closed lists of the ontology as tables: roles, sides, sectors, attendance modes and edition kinds.

Each term has a ``key`` (how records, series.json and the command line name it), its ``iri``, its English
``label`` as ``ontology/spacegraph.ttl`` gives it (the label the store answers with, and the one pages and
analyses print), and the other names sources give it. Everything that reads, writes or offers a choice of these
terms reads them here; ``tests/test_vocabulary.py`` checks the tables against the ontology.

>>> ROLE_BY_PHRASE["presenter"].iri == SG.speaker
True
>>> side_of_country("FR").label, side_of_country("CN").key
('other', 'CN')
>>> SECTOR_BY_NAME["university"].label
'research institute or university'
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from spacegraph.vocab.namespaces import CONF, SDO, SG


@dataclass(frozen=True)
class Role:
    """What an agent did at an edition (an ``sg:EventRole``)."""

    key: str  # the term's local name in the ontology, as records hold it: "openingRemarks"
    iri: URIRef
    label: str
    phrases: tuple[str, ...]  # how sources print it, lower case: "opening remarks"
    speaking: bool = True  # takes part in the conversation: a contact person and a host organisation do not
    gives_talk: bool = False  # a talk title printed with the role is the talk given in it


# In the order a programme lists them: pages sort roles by it.
ROLES: tuple[Role, ...] = (
    Role("host", SG.host, "host or co-organiser", ("host", "co-host", "co-organiser", "co-organizer"), speaking=False),
    Role("openingRemarks", SG.openingRemarks, "opening remarks", ("opening remarks",)),
    Role("keynote", SG.keynote, "keynote", ("keynote", "keynote speaker"), gives_talk=True),
    Role("moderator", SG.moderator, "moderator", ("moderator",)),
    Role("speaker", SG.speaker, "speaker or presenter", ("speaker", "presenter"), gives_talk=True),
    Role("panelist", SG.panelist, "panelist", ("panelist", "panellist")),
    Role("discussant", SG.discussant, "discussant", ("discussant",)),
    Role("closingRemarks", SG.closingRemarks, "closing remarks", ("closing remarks",)),
    Role("contact", SG.contact, "contact", ("contact",), speaking=False),
)
ROLE_BY_KEY = {role.key: role for role in ROLES}
ROLE_BY_PHRASE = {phrase: role for role in ROLES for phrase in role.phrases}
# The English labels of the roles that are not taking part in the conversation (analyses hold roles by label).
NOT_SPEAKING = frozenset(role.label for role in ROLES if not role.speaking)


@dataclass(frozen=True)
class Side:
    """The side of the dialogue a participant represents at an edition (an ``sg:Side``)."""

    key: str  # as records hold it: "US", "CN", "other"
    iri: URIRef
    label: str
    slug: str  # in the web's URLs: /side/us
    country: str | None  # the ISO 3166-1 code of the country it stands for; None: every other country


SIDES: tuple[Side, ...] = (
    Side("US", SG.sideUS, "U.S.", "us", "US"),
    Side("CN", SG.sideChina, "China", "china", "CN"),
    Side("other", SG.sideOther, "other", "other", None),
)
# The two sides of the bilateral dialogue, whose balance planning weighs ("other" is neither).
DIALOGUE_SIDES: tuple[Side, Side] = (SIDES[0], SIDES[1])
SIDE_BY_KEY = {side.key: side for side in SIDES}
SIDE_BY_IRI = {str(side.iri): side for side in SIDES}
SIDE_BY_SLUG = {side.slug: side for side in SIDES}
# What analyses and pages show for a side (or a sector) that no source states: a label no term has.
UNKNOWN = "unknown"


def side_of_country(country: str) -> Side:
    """The side an organisation's country (ISO 3166-1 alpha-2) stands for: its own, or "other"."""
    return next((side for side in SIDES if side.country == country), SIDES[-1])


def find_side(name: str) -> Side | None:
    """The side a user means by ``name``: its label, slug or key, in any case ("U.S.", "us", "china")."""
    wanted = name.strip().lower()
    return next((s for s in SIDES if wanted in (s.label.lower(), s.slug, s.key.lower())), None)


@dataclass(frozen=True)
class Sector:
    """The kind of an organisation (an ``sg:Sector``)."""

    key: str  # as records hold it: "non-profit"
    iri: URIRef
    label: str
    aliases: tuple[str, ...] = ()  # other names sources give it (series.json's organisation kinds)


SECTORS: tuple[Sector, ...] = (
    Sector("government body", SG.governmentBody, "government body", ("government",)),
    Sector("state-owned enterprise", SG.stateOwnedEnterprise, "state-owned enterprise"),
    Sector("private company", SG.privateCompany, "private company"),
    Sector("non-profit", SG.nonProfit, "non-profit or foundation", ("foundation",)),
    Sector("research institute", SG.researchInstitute, "research institute or university", ("university",)),
    Sector("intergovernmental body", SG.intergovernmentalBody, "intergovernmental body", ("intergovernmental",)),
)
SECTOR_BY_KEY = {sector.key: sector for sector in SECTORS}
SECTOR_BY_IRI = {str(sector.iri): sector for sector in SECTORS}
SECTOR_BY_NAME = {name: sector for sector in SECTORS for name in (sector.key, *sector.aliases)}


@dataclass(frozen=True)
class AttendanceMode:
    """How an edition was held, or how one participant took part (schema.org's modes, and one of ours)."""

    key: str  # as records and amendments.json hold it: "in-person"
    iri: URIRef
    label: str  # schema.org's modes have no label in our ontology: these are ontology/README.md's


ATTENDANCE_MODES: tuple[AttendanceMode, ...] = (
    AttendanceMode("in-person", SDO.OfflineEventAttendanceMode, "in person"),
    AttendanceMode("online", SDO.OnlineEventAttendanceMode, "online"),
    AttendanceMode("hybrid", SDO.MixedEventAttendanceMode, "hybrid"),
    AttendanceMode("prerecorded", SG.PrerecordedEventAttendanceMode, "pre-recorded"),
)
ATTENDANCE_MODE_BY_KEY = {mode.key: mode for mode in ATTENDANCE_MODES}

# The facts ingest may propose rather than read (marked ``sg:inferred`` with the property): record key -> property.
INFERABLE: dict[str, URIRef] = {"side": SG.side, "sector": SG.sector}

# The kinds of edition (subclasses of sg:Edition), as records name them.
EDITION_KINDS: dict[str, URIRef] = {"workshop": CONF.Workshop, "dialogue": SG.Dialogue}

__all__ = [
    "ATTENDANCE_MODES",
    "ATTENDANCE_MODE_BY_KEY",
    "DIALOGUE_SIDES",
    "EDITION_KINDS",
    "INFERABLE",
    "NOT_SPEAKING",
    "ROLES",
    "ROLE_BY_KEY",
    "ROLE_BY_PHRASE",
    "SECTORS",
    "SECTOR_BY_IRI",
    "SECTOR_BY_KEY",
    "SECTOR_BY_NAME",
    "SIDES",
    "SIDE_BY_IRI",
    "SIDE_BY_KEY",
    "SIDE_BY_SLUG",
    "UNKNOWN",
    "AttendanceMode",
    "Role",
    "Sector",
    "Side",
    "find_side",
    "side_of_country",
]
