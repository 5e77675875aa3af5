"""The namespaces: every term is referenced as ``SG.Edition``, never as a string IRI.

Reused vocabularies (schema.org, the W3C org ontology, FOAF, SKOS, PROV-O, Dublin Core) come from rdflib;
the ScholarlyData conference ontology and spacegraph's own terms are declared here.  The terms and their
meaning are documented in ``ontology/spacegraph.ttl`` and ``ontology/README.md``.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)
from rdflib.term import URIRef

__all__ = [
    "CONF",
    "DCTERMS",
    "FOAF",
    "ORG",
    "ONTOLOGY",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SG",
    "SH",
    "SKOS",
    "XSD",
]


class CONF(DefinedNamespace):
    """ScholarlyData conference ontology (the terms spacegraph uses)."""

    _fail = True
    _NS = Namespace("https://w3id.org/scholarlydata/ontology/conference-ontology.owl#")

    WorkshopSeries: URIRef
    Workshop: URIRef
    Panel: URIRef
    Session: URIRef
    Talk: URIRef
    RoleDuringEvent: URIRef
    AffiliationDuringEvent: URIRef
    isSubEventOf: URIRef
    isHeldBy: URIRef
    withRole: URIRef
    during: URIRef
    withOrganisation: URIRef
    isAffiliationOf: URIRef


class SG(DefinedNamespace):
    """spacegraph's own terms: only where no reused vocabulary has one."""

    _fail = True
    _NS = Namespace("https://w3id.org/spacegraph/ontology#")

    # classes
    Edition: URIRef
    Dialogue: URIRef
    Participation: URIRef
    EventRole: URIRef
    Sector: URIRef
    Side: URIRef
    SourceDocument: URIRef
    SourceGraph: URIRef
    NamedGraph: URIRef
    TopicScheme: URIRef
    Evidence: URIRef
    ProposalGraph: URIRef
    Proposal: URIRef
    ProposedSlot: URIRef
    # properties
    sector: URIRef
    side: URIRef
    inferred: URIRef
    affiliation: URIRef
    talk: URIRef
    nameAsPrinted: URIRef
    titleAsPrinted: URIRef
    organisationAsPrinted: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    evidenceOf: URIRef
    evidenceFor: URIRef
    attendanceMode: URIRef
    coLocatedWith: URIRef
    participantsComplete: URIRef
    localCopy: URIRef
    forSeries: URIRef
    slot: URIRef
    slotNumber: URIRef
    proposedAgent: URIRef
    proposedTopic: URIRef
    reason: URIRef
    score: URIRef
    # roles at an event (instances of SG.EventRole)
    speaker: URIRef
    moderator: URIRef
    openingRemarks: URIRef
    closingRemarks: URIRef
    keynote: URIRef
    panelist: URIRef
    discussant: URIRef
    host: URIRef
    contact: URIRef
    # sectors (instances of SG.Sector)
    governmentBody: URIRef
    stateOwnedEnterprise: URIRef
    privateCompany: URIRef
    nonProfit: URIRef
    researchInstitute: URIRef
    intergovernmentalBody: URIRef
    # sides of the dialogue (instances of SG.Side)
    sideUS: URIRef
    sideChina: URIRef
    sideOther: URIRef
    # attendance mode not in schema.org
    PrerecordedEventAttendanceMode: URIRef


PREFIXES: dict[str, Namespace | str] = {
    "sg": str(SG),
    "conf": str(CONF),
    "schema": str(SDO),
    "org": str(ORG),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
}
# The ontology's own IRI: it also names the graph that holds the ontology in the store.
ONTOLOGY = URIRef(str(SG)[:-1])
