"""A compact valid data set, and the table of defects that each break exactly one shape constraint.

The base is two TriG files as data/ has them: a registry graph (series, organisation, person, topic scheme) and an
edition graph (edition, place, co-located event, participation, affiliation, talk), each describing its own source
inside itself. A ``Case`` is one SPARQL Update applied to the base, and the violations it must cause.
tests/test_shapes.py checks every case with both engines; tests/test_validation_engines.py compares the engines on
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection

from spacegraph.datafiles import DataFile
from spacegraph.settings import load_settings
from spacegraph.validation import load_for_validation, validate_store
from spacegraph.validation.report import ValidationReport
from spacegraph.vocab import RDF, SH

SETTINGS = load_settings()
ENGINES = ("sparql", "pyshacl")

PREFIXES = """\
@prefix sg:      <https://w3id.org/spacegraph/ontology#> .
@prefix sgsh:    <https://w3id.org/spacegraph/shapes#> .
@prefix conf:    <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#> .
@prefix schema:  <https://schema.org/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix t:       <https://w3id.org/spacegraph/test/> .
@prefix tg:      <https://w3id.org/spacegraph/graph/test-> .
"""

NAMESPACES = {
    line.split()[1][:-1]: line.split()[2].strip("<>") for line in PREFIXES.splitlines() if line.startswith("@prefix")
}

REGISTRY_TRIG = """
tg:registry {
    tg:registry a sg:SourceGraph ;
        prov:generatedAtTime "2026-11-27T20:00:00+00:00"^^xsd:dateTime ;
        prov:wasAttributedTo t:importer ;
        prov:wasDerivedFrom t:series-json .

    t:importer a prov:SoftwareAgent ; rdfs:label "spacegraph import-series" .

    t:series-json a sg:SourceDocument ;
        rdfs:label "spacegraph series fact file (series.json)" ;
        sg:localCopy "sources/series.json" .

    t:series a conf:WorkshopSeries ;
        schema:name "U.S.-China Space Commercialization Dialogue" ;
        schema:organizer t:swf .

    t:swf a org:Organization ;
        schema:name "Secure World Foundation" ;
        skos:altLabel "SWF" ;
        schema:addressCountry "US" ;
        sg:sector sg:nonProfit .

    t:ian a foaf:Person ;
        schema:name "Ian Christensen" ;
        schema:givenName "Ian" ;
        schema:familyName "Christensen" .

    t:topics a skos:ConceptScheme, sg:TopicScheme ;
        skos:prefLabel "spacegraph topics"@en .

    t:commercialization a skos:Concept ;
        skos:inScheme t:topics ;
        skos:topConceptOf t:topics ;
        skos:prefLabel "space commercialization"@en, "航天商业化"@zh .

    t:launch a skos:Concept ;
        skos:inScheme t:topics ;
        skos:broader t:commercialization ;
        skos:prefLabel "commercial launch"@en, "商业发射"@zh .
}
"""

EDITION_TRIG = """
tg:edition {
    tg:edition a sg:SourceGraph ;
        prov:generatedAtTime "2026-11-27T20:00:00+00:00"^^xsd:dateTime ;
        prov:wasAttributedTo t:importer ;
        prov:wasDerivedFrom t:page .

    t:importer a prov:SoftwareAgent ; rdfs:label "spacegraph import-series" .

    t:page a sg:SourceDocument ;
        rdfs:label "Second Sino-U.S. Space Commercialization Workshop" ;
        sg:localCopy "sources/swf-2020-09-19-workshop.txt" .

    t:workshop a conf:Workshop ;
        schema:name "Second Sino-U.S. Space Commercialization Workshop" ;
        schema:superEvent t:series ;
        schema:startDate "2020-09-19"^^xsd:date ;
        schema:endDate "2020-09-20"^^xsd:date ;
        sg:participantsComplete true ;
        schema:eventAttendanceMode schema:MixedEventAttendanceMode ;
        schema:location t:fuzhou ;
        sg:coLocatedWith t:conference ;
        schema:about t:launch .

    t:fuzhou a schema:Place ; schema:name "Fuzhou" ; schema:addressCountry "CN" .

    t:conference a schema:Event ; schema:name "2020 China Space Conference" .

    t:participation a sg:Participation ;
        conf:isHeldBy t:ian ;
        conf:withRole sg:speaker ;
        conf:during t:workshop ;
        sg:side sg:sideUS ;
        sg:affiliation t:affiliation ;
        sg:talk t:talk ;
        sg:attendanceMode sg:PrerecordedEventAttendanceMode ;
        sg:nameAsPrinted "Ian Christensen" ;
        sg:evidence "Ian Christensen, Director of Private Sector Programs, Secure World Foundation" ;
        sg:evidenceStart 120 ;
        sg:evidenceEnd 197 .

    t:date-evidence a sg:Evidence ;
        sg:evidenceOf t:workshop ;
        sg:evidenceFor schema:startDate ;
        sg:evidenceStart 60 ;
        sg:evidenceEnd 94 .

    t:affiliation a conf:AffiliationDuringEvent ;
        conf:isAffiliationOf t:ian ;
        conf:withOrganisation t:swf ;
        conf:during t:workshop ;
        sg:organisationAsPrinted "Secure World Foundation" ;
        sg:titleAsPrinted "Director of Private Sector Programs" .

    t:talk a conf:Talk ;
        schema:name "Perspectives on Responsible Space Behavior" ;
        conf:isSubEventOf t:workshop ;
        schema:performer t:ian .
}
"""

REGISTRY_FILE = "data/registry/test-registry.trig"
EDITION_FILE = "data/graphs/test-edition.trig"
EXTRA_FILE = "data/graphs/test-extra.trig"  # for cases that add a graph of their own


def iri(curie: str) -> str:
    """The full IRI of ``prefix:local`` (a full IRI is returned unchanged)."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in NAMESPACES:
        return NAMESPACES[prefix] + local
    return curie


REGISTRY_GRAPH = iri("tg:registry")
EDITION_GRAPH = iri("tg:edition")
EXTRA_GRAPH = iri("tg:extra")
FILE_OF_GRAPH = {REGISTRY_GRAPH: REGISTRY_FILE, EDITION_GRAPH: EDITION_FILE, EXTRA_GRAPH: EXTRA_FILE}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in NAMESPACES.items())


@dataclass(frozen=True)
class Expected:
    """A violation the defect must cause: which shape's constraint fires, and on what."""

    shape: str  # sgsh:…
    path: str | None  # CURIE of sh:path; None for the node-level sh:class
    component: str  # short name: "MinCount", "Datatype", "Class", …
    focus: str  # CURIE of the focus node

    @property
    def key(self) -> tuple[str, str | None, str]:
        """(shape, path, component) as full IRIs / component local name: what the meta-test counts."""
        return iri(self.shape), iri(self.path) if self.path else None, self.component + "ConstraintComponent"


@dataclass(frozen=True)
class Case:
    """One defect applied to the valid base: ``update`` is SPARQL Update (prefixes are added)."""

    id: str
    update: str
    expect: Expected  # the constraint the case is about
    value: str | None = None  # its sh:value as N-Triples, when the component reports one
    also: tuple[Expected, ...] = ()  # every other violation the same defect causes, so the set is exact


def drop(graph: str, triples: str) -> str:
    return f"DELETE DATA {{ GRAPH {graph} {{ {triples} }} }}"


def add(graph: str, triples: str) -> str:
    return f"INSERT DATA {{ GRAPH {graph} {{ {triples} }} }}"


def swap(graph: str, old: str, new: str) -> str:
    return drop(graph, old) + " ;\n" + add(graph, new)


R, E = "tg:registry", "tg:edition"  # the two base graphs


def _case(id, update, shape, path, component, focus, value=None, also=()):
    return Case(id, update, Expected(shape, path, component, focus), value, tuple(Expected(*a) for a in also))


XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"
XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"
XSD_BOOLEAN = "<http://www.w3.org/2001/XMLSchema#boolean>"
XSD_DATETIME = "<http://www.w3.org/2001/XMLSchema#dateTime>"
XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
XSD_DECIMAL = "<http://www.w3.org/2001/XMLSchema#decimal>"
WORKSHOP_NAME = '"Second Sino-U.S. Space Commercialization Workshop"'
TALK_NAME = '"Perspectives on Responsible Space Behavior"'
EDITION_EVENT_NAME = ("sgsh:EventShape", "schema:name", "MinCount", "t:workshop")

# fmt: off
CASES: list[Case] = [
    # ---- SeriesShape
    _case("series-without-name", drop(R, 't:series schema:name "U.S.-China Space Commercialization Dialogue"'),
          "sgsh:SeriesShape", "schema:name", "MinCount", "t:series"),
    _case("series-with-two-names", add(R, 't:series schema:name "Sino-U.S. Space Commercialization Workshops"'),
          "sgsh:SeriesShape", "schema:name", "MaxCount", "t:series"),
    _case("series-name-language-tagged",
          swap(R, 't:series schema:name "U.S.-China Space Commercialization Dialogue"',
               't:series schema:name "U.S.-China Space Commercialization Dialogue"@en'),
          "sgsh:SeriesShape", "schema:name", "Datatype", "t:series",
          value='"U.S.-China Space Commercialization Dialogue"@en'),
    _case("series-organiser-not-an-organisation", swap(R, "t:series schema:organizer t:swf", "t:series schema:organizer t:ian"),
          "sgsh:SeriesShape", "schema:organizer", "Class", "t:series", value=iri("t:ian")),
    # ---- EditionShape
    _case("edition-without-name", drop(E, f"t:workshop schema:name {WORKSHOP_NAME}"),
          "sgsh:EditionShape", "schema:name", "MinCount", "t:workshop", also=[EDITION_EVENT_NAME]),
    _case("edition-with-two-names", add(E, 't:workshop schema:name "Fuzhou Workshop"'),
          "sgsh:EditionShape", "schema:name", "MaxCount", "t:workshop"),
    _case("edition-name-is-an-iri", swap(E, f"t:workshop schema:name {WORKSHOP_NAME}", "t:workshop schema:name t:page"),
          "sgsh:EditionShape", "schema:name", "Datatype", "t:workshop", value=iri("t:page")),
    _case("edition-without-series", drop(E, "t:workshop schema:superEvent t:series"),
          "sgsh:EditionShape", "schema:superEvent", "MinCount", "t:workshop"),
    _case("edition-part-of-an-unknown-series",
          swap(E, "t:workshop schema:superEvent t:series", "t:workshop schema:superEvent t:conference"),
          "sgsh:EditionShape", "schema:superEvent", "Class", "t:workshop", value=iri("t:conference")),
    _case("edition-with-two-start-dates", add(E, 't:workshop schema:startDate "2020-09-18"^^xsd:date'),
          "sgsh:EditionShape", "schema:startDate", "MaxCount", "t:workshop"),
    _case("edition-start-date-plain-string",
          swap(E, 't:workshop schema:startDate "2020-09-19"^^xsd:date', 't:workshop schema:startDate "2020-09-19"'),
          "sgsh:EditionShape", "schema:startDate", "Datatype", "t:workshop", value='"2020-09-19"',
          # a string is not comparable with the end date either
          also=[("sgsh:EditionShape", "schema:startDate", "LessThanOrEquals", "t:workshop")]),
    _case("edition-start-date-ill-formed",
          swap(E, 't:workshop schema:startDate "2020-09-19"^^xsd:date', 't:workshop schema:startDate "2020-13-45"^^xsd:date'),
          "sgsh:EditionShape", "schema:startDate", "Datatype", "t:workshop", value=f'"2020-13-45"^^{XSD_DATE}',
          # an ill-formed date has no value to compare with the end date
          also=[("sgsh:EditionShape", "schema:startDate", "LessThanOrEquals", "t:workshop")]),
    _case("edition-start-date-ill-formed-without-end-date",
          drop(E, 't:workshop schema:endDate "2020-09-20"^^xsd:date') + " ;\n"
          + swap(E, 't:workshop schema:startDate "2020-09-19"^^xsd:date',
                 't:workshop schema:startDate "2020-13-45"^^xsd:date'),
          "sgsh:EditionShape", "schema:startDate", "Datatype", "t:workshop", value=f'"2020-13-45"^^{XSD_DATE}'),
    _case("edition-with-two-end-dates", add(E, 't:workshop schema:endDate "2020-09-21"^^xsd:date'),
          "sgsh:EditionShape", "schema:endDate", "MaxCount", "t:workshop"),
    _case("edition-end-date-is-a-datetime",
          swap(E, 't:workshop schema:endDate "2020-09-20"^^xsd:date',
               't:workshop schema:endDate "2020-09-20T18:00:00Z"^^xsd:dateTime'),
          "sgsh:EditionShape", "schema:endDate", "Datatype", "t:workshop",
          value=f'"2020-09-20T18:00:00Z"^^{XSD_DATETIME}',
          also=[("sgsh:EditionShape", "schema:startDate", "LessThanOrEquals", "t:workshop")]),
    _case("edition-ends-before-it-starts",
          swap(E, 't:workshop schema:endDate "2020-09-20"^^xsd:date', 't:workshop schema:endDate "2020-09-18"^^xsd:date'),
          "sgsh:EditionShape", "schema:startDate", "LessThanOrEquals", "t:workshop", value=f'"2020-09-19"^^{XSD_DATE}'),
    _case("edition-without-participants-complete", drop(E, "t:workshop sg:participantsComplete true"),
          "sgsh:EditionShape", "sg:participantsComplete", "MinCount", "t:workshop"),
    _case("edition-participants-complete-twice", add(E, "t:workshop sg:participantsComplete false"),
          "sgsh:EditionShape", "sg:participantsComplete", "MaxCount", "t:workshop"),
    _case("edition-participants-complete-as-string",
          swap(E, "t:workshop sg:participantsComplete true", 't:workshop sg:participantsComplete "yes"'),
          "sgsh:EditionShape", "sg:participantsComplete", "Datatype", "t:workshop", value='"yes"'),
    _case("edition-with-two-attendance-modes", add(E, "t:workshop schema:eventAttendanceMode schema:OnlineEventAttendanceMode"),
          "sgsh:EditionShape", "schema:eventAttendanceMode", "MaxCount", "t:workshop"),
    _case("edition-unknown-attendance-mode",
          swap(E, "t:workshop schema:eventAttendanceMode schema:MixedEventAttendanceMode",
               "t:workshop schema:eventAttendanceMode schema:Hybrid"),
          "sgsh:EditionShape", "schema:eventAttendanceMode", "In", "t:workshop", value=iri("schema:Hybrid")),
    _case("edition-with-two-locations",
          add(E, 't:workshop schema:location t:beijing . t:beijing a schema:Place ; '
                 'schema:name "Beijing" ; schema:addressCountry "CN"'),
          "sgsh:EditionShape", "schema:location", "MaxCount", "t:workshop"),
    _case("edition-location-is-a-string",
          swap(E, "t:workshop schema:location t:fuzhou", 't:workshop schema:location "Fuzhou, China"'),
          "sgsh:EditionShape", "schema:location", "Class", "t:workshop", value='"Fuzhou, China"'),
    _case("edition-co-located-with-a-non-event",
          swap(E, "t:workshop sg:coLocatedWith t:conference", "t:workshop sg:coLocatedWith t:fuzhou"),
          "sgsh:EditionShape", "sg:coLocatedWith", "Class", "t:workshop", value=iri("t:fuzhou")),
    _case("edition-topic-not-in-scheme",
          swap(E, "t:workshop schema:about t:launch", "t:workshop schema:about t:unknown-topic"),
          "sgsh:EditionShape", "schema:about", "Class", "t:workshop", value=iri("t:unknown-topic")),
    # ---- EventShape
    _case("co-located-event-without-name", drop(E, 't:conference schema:name "2020 China Space Conference"'),
          "sgsh:EventShape", "schema:name", "MinCount", "t:conference"),
    # ---- TalkShape
    _case("talk-without-title", drop(E, f"t:talk schema:name {TALK_NAME}"),
          "sgsh:TalkShape", "schema:name", "MinCount", "t:talk",
          also=[("sgsh:EventShape", "schema:name", "MinCount", "t:talk")]),
    _case("talk-with-two-titles", add(E, 't:talk schema:name "Responsible Space Behavior"'),
          "sgsh:TalkShape", "schema:name", "MaxCount", "t:talk"),
    _case("talk-title-language-tagged",
          swap(E, f"t:talk schema:name {TALK_NAME}", "t:talk schema:name \"负责任的太空行为\"@zh"),
          "sgsh:TalkShape", "schema:name", "Datatype", "t:talk", value='"负责任的太空行为"@zh'),
    _case("talk-not-placed-in-an-edition", drop(E, "t:talk conf:isSubEventOf t:workshop"),
          "sgsh:TalkShape", "conf:isSubEventOf", "MinCount", "t:talk"),
    _case("talk-in-two-events", add(E, "t:talk conf:isSubEventOf t:conference"),
          "sgsh:TalkShape", "conf:isSubEventOf", "MaxCount", "t:talk"),
    _case("talk-sub-event-of-a-place", swap(E, "t:talk conf:isSubEventOf t:workshop", "t:talk conf:isSubEventOf t:fuzhou"),
          "sgsh:TalkShape", "conf:isSubEventOf", "Class", "t:talk", value=iri("t:fuzhou")),
    _case("talk-without-speaker", drop(E, "t:talk schema:performer t:ian"),
          "sgsh:TalkShape", "schema:performer", "MinCount", "t:talk"),
    _case("talk-speaker-is-a-place", swap(E, "t:talk schema:performer t:ian", "t:talk schema:performer t:fuzhou"),
          "sgsh:TalkShape", "schema:performer", "Class", "t:talk", value=iri("t:fuzhou")),
    # ---- PersonShape
    _case("person-without-name", drop(R, 't:ian schema:name "Ian Christensen"'),
          "sgsh:PersonShape", "schema:name", "MinCount", "t:ian"),
    _case("person-with-two-names", add(R, 't:ian schema:name "Ian CHRISTENSEN"'),
          "sgsh:PersonShape", "schema:name", "MaxCount", "t:ian"),
    _case("person-name-typed-integer",
          swap(R, 't:ian schema:name "Ian Christensen"', 't:ian schema:name "42"^^xsd:integer'),
          "sgsh:PersonShape", "schema:name", "Datatype", "t:ian", value=f'"42"^^{XSD_INTEGER}'),
    _case("person-without-family-name", drop(R, 't:ian schema:familyName "Christensen"'),
          "sgsh:PersonShape", "schema:familyName", "MinCount", "t:ian"),
    _case("person-with-two-family-names", add(R, 't:ian schema:familyName "CHRISTENSEN"'),
          "sgsh:PersonShape", "schema:familyName", "MaxCount", "t:ian"),
    _case("person-family-name-language-tagged",
          swap(R, 't:ian schema:familyName "Christensen"', 't:ian schema:familyName "Christensen"@en'),
          "sgsh:PersonShape", "schema:familyName", "Datatype", "t:ian", value='"Christensen"@en'),
    _case("person-with-two-given-names", add(R, 't:ian schema:givenName "Iain"'),
          "sgsh:PersonShape", "schema:givenName", "MaxCount", "t:ian"),
    _case("person-given-name-is-an-iri", swap(R, 't:ian schema:givenName "Ian"', "t:ian schema:givenName t:ian"),
          "sgsh:PersonShape", "schema:givenName", "Datatype", "t:ian", value=iri("t:ian")),
    # ---- OrganisationShape
    _case("organisation-without-name", drop(R, 't:swf schema:name "Secure World Foundation"'),
          "sgsh:OrganisationShape", "schema:name", "MinCount", "t:swf"),
    _case("organisation-with-two-names", add(R, 't:swf schema:name "SWF"'),
          "sgsh:OrganisationShape", "schema:name", "MaxCount", "t:swf"),
    _case("organisation-name-language-tagged",
          swap(R, 't:swf schema:name "Secure World Foundation"', 't:swf schema:name "Secure World Foundation"@en'),
          "sgsh:OrganisationShape", "schema:name", "Datatype", "t:swf", value='"Secure World Foundation"@en'),
    _case("organisation-without-sector", drop(R, "t:swf sg:sector sg:nonProfit"),
          "sgsh:OrganisationShape", "sg:sector", "MinCount", "t:swf"),
    _case("organisation-with-two-sectors", add(R, "t:swf sg:sector sg:researchInstitute"),
          "sgsh:OrganisationShape", "sg:sector", "MaxCount", "t:swf"),
    _case("organisation-unknown-sector", swap(R, "t:swf sg:sector sg:nonProfit", "t:swf sg:sector sg:charity"),
          "sgsh:OrganisationShape", "sg:sector", "In", "t:swf", value=iri("sg:charity")),
    _case("organisation-inferred-side", add(R, "t:swf sg:inferred sg:side"),
          "sgsh:OrganisationShape", "sg:inferred", "In", "t:swf", value=iri("sg:side")),
    _case("organisation-with-two-countries", add(R, 't:swf schema:addressCountry "CH"'),
          "sgsh:OrganisationShape", "schema:addressCountry", "MaxCount", "t:swf"),
    _case("organisation-country-not-iso", swap(R, 't:swf schema:addressCountry "US"', 't:swf schema:addressCountry "USA"'),
          "sgsh:OrganisationShape", "schema:addressCountry", "In", "t:swf", value='"USA"'),
    # ---- PlaceShape
    _case("place-without-name", drop(E, 't:fuzhou schema:name "Fuzhou"'),
          "sgsh:PlaceShape", "schema:name", "MinCount", "t:fuzhou"),
    _case("place-with-two-names", add(E, 't:fuzhou schema:name "Foochow"'),
          "sgsh:PlaceShape", "schema:name", "MaxCount", "t:fuzhou"),
    _case("place-name-language-tagged", swap(E, 't:fuzhou schema:name "Fuzhou"', 't:fuzhou schema:name "福州"@zh'),
          "sgsh:PlaceShape", "schema:name", "Datatype", "t:fuzhou", value='"福州"@zh'),
    _case("place-with-two-countries", add(E, 't:fuzhou schema:addressCountry "TW"'),
          "sgsh:PlaceShape", "schema:addressCountry", "MaxCount", "t:fuzhou"),
    _case("place-country-lower-case", swap(E, 't:fuzhou schema:addressCountry "CN"', 't:fuzhou schema:addressCountry "cn"'),
          "sgsh:PlaceShape", "schema:addressCountry", "In", "t:fuzhou", value='"cn"'),
    # ---- ParticipationShape
    _case("participation-held-by-no-one", drop(E, "t:participation conf:isHeldBy t:ian"),
          "sgsh:ParticipationShape", "conf:isHeldBy", "MinCount", "t:participation"),
    _case("participation-held-by-two", add(E, "t:participation conf:isHeldBy t:swf"),
          "sgsh:ParticipationShape", "conf:isHeldBy", "MaxCount", "t:participation"),
    _case("participation-held-by-a-place",
          swap(E, "t:participation conf:isHeldBy t:ian", "t:participation conf:isHeldBy t:fuzhou"),
          "sgsh:ParticipationShape", "conf:isHeldBy", "Class", "t:participation", value=iri("t:fuzhou")),
    _case("participation-without-role", drop(E, "t:participation conf:withRole sg:speaker"),
          "sgsh:ParticipationShape", "conf:withRole", "MinCount", "t:participation"),
    _case("participation-with-two-roles", add(E, "t:participation conf:withRole sg:moderator"),
          "sgsh:ParticipationShape", "conf:withRole", "MaxCount", "t:participation"),
    _case("participation-unknown-role",
          swap(E, "t:participation conf:withRole sg:speaker", "t:participation conf:withRole sg:chairman"),
          "sgsh:ParticipationShape", "conf:withRole", "In", "t:participation", value=iri("sg:chairman")),
    _case("participation-without-edition", drop(E, "t:participation conf:during t:workshop"),
          "sgsh:ParticipationShape", "conf:during", "MinCount", "t:participation"),
    _case("participation-during-two-editions",
          add(E, "t:participation conf:during t:other-workshop . t:other-workshop a sg:Dialogue ; "
                 'schema:name "Other dialogue" ; schema:superEvent t:series ; sg:participantsComplete false'),
          "sgsh:ParticipationShape", "conf:during", "MaxCount", "t:participation"),
    _case("participation-during-a-non-edition",
          swap(E, "t:participation conf:during t:workshop", "t:participation conf:during t:conference"),
          "sgsh:ParticipationShape", "conf:during", "Class", "t:participation", value=iri("t:conference")),
    _case("participation-with-two-sides", add(E, "t:participation sg:side sg:sideChina"),
          "sgsh:ParticipationShape", "sg:side", "MaxCount", "t:participation"),
    _case("participation-unknown-side", swap(E, "t:participation sg:side sg:sideUS", "t:participation sg:side sg:sideEU"),
          "sgsh:ParticipationShape", "sg:side", "In", "t:participation", value=iri("sg:sideEU")),
    _case("participation-side-as-string", swap(E, "t:participation sg:side sg:sideUS", 't:participation sg:side "US"'),
          "sgsh:ParticipationShape", "sg:side", "In", "t:participation", value='"US"'),
    _case("participation-inferred-sector", add(E, "t:participation sg:inferred sg:sector"),
          "sgsh:ParticipationShape", "sg:inferred", "In", "t:participation", value=iri("sg:sector")),
    _case("participation-with-two-affiliations",
          add(E, "t:participation sg:affiliation t:affiliation2 . t:affiliation2 a conf:AffiliationDuringEvent ; "
                 'conf:isAffiliationOf t:ian ; conf:withOrganisation t:swf ; conf:during t:workshop ; '
                 'sg:organisationAsPrinted "SWF"'),
          "sgsh:ParticipationShape", "sg:affiliation", "MaxCount", "t:participation"),
    _case("participation-affiliation-is-the-organisation",
          swap(E, "t:participation sg:affiliation t:affiliation", "t:participation sg:affiliation t:swf"),
          "sgsh:ParticipationShape", "sg:affiliation", "Class", "t:participation", value=iri("t:swf")),
    _case("participation-talk-is-not-a-talk",
          swap(E, "t:participation sg:talk t:talk", 't:participation sg:talk "Perspectives on Responsible Space Behavior"'),
          "sgsh:ParticipationShape", "sg:talk", "Class", "t:participation",
          value='"Perspectives on Responsible Space Behavior"'),
    _case("participation-with-two-attendance-modes",
          add(E, "t:participation sg:attendanceMode schema:OnlineEventAttendanceMode"),
          "sgsh:ParticipationShape", "sg:attendanceMode", "MaxCount", "t:participation"),
    _case("participation-unknown-attendance-mode",
          swap(E, "t:participation sg:attendanceMode sg:PrerecordedEventAttendanceMode",
               "t:participation sg:attendanceMode sg:Prerecorded"),
          "sgsh:ParticipationShape", "sg:attendanceMode", "In", "t:participation", value=iri("sg:Prerecorded")),
    _case("participation-evidence-start-twice", add(E, "t:participation sg:evidenceStart 130"),
          "sgsh:ParticipationShape", "sg:evidenceStart", "MaxCount", "t:participation"),
    _case("participation-evidence-start-as-string", swap(E, "t:participation sg:evidenceStart 120",
                                                         't:participation sg:evidenceStart "120"'),
          "sgsh:ParticipationShape", "sg:evidenceStart", "Datatype", "t:participation", value='"120"',
          # a string is not comparable with the integer end
          also=[("sgsh:ParticipationShape", "sg:evidenceStart", "LessThanOrEquals", "t:participation")]),
    _case("participation-evidence-span-reversed", swap(E, "t:participation sg:evidenceEnd 197",
                                                        "t:participation sg:evidenceEnd 100"),
          "sgsh:ParticipationShape", "sg:evidenceStart", "LessThanOrEquals", "t:participation",
          value=f'"120"^^{XSD_INTEGER}'),
    _case("participation-evidence-end-twice", add(E, "t:participation sg:evidenceEnd 198"),
          "sgsh:ParticipationShape", "sg:evidenceEnd", "MaxCount", "t:participation"),
    _case("participation-evidence-end-as-decimal", swap(E, "t:participation sg:evidenceEnd 197",
                                                         "t:participation sg:evidenceEnd 197.5"),
          "sgsh:ParticipationShape", "sg:evidenceEnd", "Datatype", "t:participation", value=f'"197.5"^^{XSD_DECIMAL}'),
    # ---- EvidenceShape
    _case("evidence-of-no-event", drop(E, "t:date-evidence sg:evidenceOf t:workshop"),
          "sgsh:EvidenceShape", "sg:evidenceOf", "MinCount", "t:date-evidence"),
    _case("evidence-of-two-events", add(E, "t:date-evidence sg:evidenceOf t:conference"),
          "sgsh:EvidenceShape", "sg:evidenceOf", "MaxCount", "t:date-evidence"),
    _case("evidence-of-a-person", swap(E, "t:date-evidence sg:evidenceOf t:workshop",
                                       "t:date-evidence sg:evidenceOf t:ian"),
          "sgsh:EvidenceShape", "sg:evidenceOf", "Class", "t:date-evidence", value=iri("t:ian")),
    _case("evidence-for-no-fact", drop(E, "t:date-evidence sg:evidenceFor schema:startDate"),
          "sgsh:EvidenceShape", "sg:evidenceFor", "MinCount", "t:date-evidence"),
    _case("evidence-for-two-facts", add(E, "t:date-evidence sg:evidenceFor schema:endDate"),
          "sgsh:EvidenceShape", "sg:evidenceFor", "MaxCount", "t:date-evidence"),
    _case("evidence-for-a-literal", swap(E, "t:date-evidence sg:evidenceFor schema:startDate",
                                         't:date-evidence sg:evidenceFor "startDate"'),
          "sgsh:EvidenceShape", "sg:evidenceFor", "NodeKind", "t:date-evidence", value='"startDate"'),
    _case("evidence-without-start", drop(E, "t:date-evidence sg:evidenceStart 60"),
          "sgsh:EvidenceShape", "sg:evidenceStart", "MinCount", "t:date-evidence"),
    _case("evidence-start-twice", add(E, "t:date-evidence sg:evidenceStart 61"),
          "sgsh:EvidenceShape", "sg:evidenceStart", "MaxCount", "t:date-evidence"),
    _case("evidence-start-as-string", swap(E, "t:date-evidence sg:evidenceStart 60",
                                           't:date-evidence sg:evidenceStart "60"'),
          "sgsh:EvidenceShape", "sg:evidenceStart", "Datatype", "t:date-evidence", value='"60"',
          also=[("sgsh:EvidenceShape", "sg:evidenceStart", "LessThanOrEquals", "t:date-evidence")]),
    _case("evidence-span-reversed", swap(E, "t:date-evidence sg:evidenceEnd 94", "t:date-evidence sg:evidenceEnd 10"),
          "sgsh:EvidenceShape", "sg:evidenceStart", "LessThanOrEquals", "t:date-evidence",
          value=f'"60"^^{XSD_INTEGER}'),
    _case("evidence-without-end", drop(E, "t:date-evidence sg:evidenceEnd 94"),
          "sgsh:EvidenceShape", "sg:evidenceEnd", "MinCount", "t:date-evidence"),
    _case("evidence-end-twice", add(E, "t:date-evidence sg:evidenceEnd 95"),
          "sgsh:EvidenceShape", "sg:evidenceEnd", "MaxCount", "t:date-evidence"),
    _case("evidence-end-as-decimal", swap(E, "t:date-evidence sg:evidenceEnd 94", "t:date-evidence sg:evidenceEnd 94.5"),
          "sgsh:EvidenceShape", "sg:evidenceEnd", "Datatype", "t:date-evidence", value=f'"94.5"^^{XSD_DECIMAL}'),
    # ---- AffiliationShape
    _case("affiliation-without-person", drop(E, "t:affiliation conf:isAffiliationOf t:ian"),
          "sgsh:AffiliationShape", "conf:isAffiliationOf", "MinCount", "t:affiliation"),
    _case("affiliation-of-two-people",
          add(E, 't:affiliation conf:isAffiliationOf t:li . t:li a foaf:Person ; schema:name "LI Hua" ; '
                 'schema:familyName "Li"'),
          "sgsh:AffiliationShape", "conf:isAffiliationOf", "MaxCount", "t:affiliation"),
    _case("affiliation-of-an-organisation",
          swap(E, "t:affiliation conf:isAffiliationOf t:ian", "t:affiliation conf:isAffiliationOf t:swf"),
          "sgsh:AffiliationShape", "conf:isAffiliationOf", "Class", "t:affiliation", value=iri("t:swf")),
    _case("affiliation-without-organisation", drop(E, "t:affiliation conf:withOrganisation t:swf"),
          "sgsh:AffiliationShape", "conf:withOrganisation", "MinCount", "t:affiliation"),
    _case("affiliation-with-two-organisations",
          add(E, 't:affiliation conf:withOrganisation t:csa . t:csa a org:Organization ; '
                 'schema:name "Chinese Society of Astronautics" ; sg:sector sg:nonProfit'),
          "sgsh:AffiliationShape", "conf:withOrganisation", "MaxCount", "t:affiliation"),
    _case("affiliation-organisation-unresolved",
          swap(E, "t:affiliation conf:withOrganisation t:swf",
               't:affiliation conf:withOrganisation "Secure World Foundation"'),
          "sgsh:AffiliationShape", "conf:withOrganisation", "Class", "t:affiliation", value='"Secure World Foundation"'),
    _case("affiliation-without-edition", drop(E, "t:affiliation conf:during t:workshop"),
          "sgsh:AffiliationShape", "conf:during", "MinCount", "t:affiliation"),
    _case("affiliation-during-two-editions",
          add(E, "t:affiliation conf:during t:other-workshop . t:other-workshop a sg:Dialogue ; "
                 'schema:name "Other dialogue" ; schema:superEvent t:series ; sg:participantsComplete false'),
          "sgsh:AffiliationShape", "conf:during", "MaxCount", "t:affiliation"),
    _case("affiliation-during-the-series",
          swap(E, "t:affiliation conf:during t:workshop", "t:affiliation conf:during t:series"),
          "sgsh:AffiliationShape", "conf:during", "Class", "t:affiliation", value=iri("t:series")),
    _case("affiliation-without-printed-organisation",
          drop(E, 't:affiliation sg:organisationAsPrinted "Secure World Foundation"'),
          "sgsh:AffiliationShape", "sg:organisationAsPrinted", "MinCount", "t:affiliation"),
    _case("affiliation-with-two-printed-organisations", add(E, 't:affiliation sg:organisationAsPrinted "SWF"'),
          "sgsh:AffiliationShape", "sg:organisationAsPrinted", "MaxCount", "t:affiliation"),
    _case("affiliation-printed-organisation-is-an-iri",
          swap(E, 't:affiliation sg:organisationAsPrinted "Secure World Foundation"',
               "t:affiliation sg:organisationAsPrinted t:swf"),
          "sgsh:AffiliationShape", "sg:organisationAsPrinted", "Datatype", "t:affiliation", value=iri("t:swf")),
    # ---- TopicShape
    _case("topic-with-only-an-english-label", drop(R, 't:launch skos:prefLabel "商业发射"@zh'),
          "sgsh:TopicShape", "skos:prefLabel", "MinCount", "t:launch"),
    _case("topic-label-in-french", add(R, 't:launch skos:prefLabel "lancement commercial"@fr'),
          "sgsh:TopicShape", "skos:prefLabel", "LanguageIn", "t:launch", value='"lancement commercial"@fr'),
    _case("topic-label-without-language",
          swap(R, 't:launch skos:prefLabel "商业发射"@zh', 't:launch skos:prefLabel "商业发射"'),
          "sgsh:TopicShape", "skos:prefLabel", "LanguageIn", "t:launch", value='"商业发射"'),
    _case("topic-with-two-english-labels", add(R, 't:launch skos:prefLabel "commercial launch services"@en'),
          "sgsh:TopicShape", "skos:prefLabel", "UniqueLang", "t:launch"),
    _case("topic-in-no-scheme", drop(R, "t:launch skos:inScheme t:topics"),
          "sgsh:TopicShape", "skos:inScheme", "MinCount", "t:launch"),
    _case("topic-in-an-untyped-scheme", swap(R, "t:launch skos:inScheme t:topics", "t:launch skos:inScheme t:other-scheme"),
          "sgsh:TopicShape", "skos:inScheme", "Class", "t:launch", value=iri("t:other-scheme")),
    _case("topic-broader-not-a-concept", swap(R, "t:launch skos:broader t:commercialization", "t:launch skos:broader t:series"),
          "sgsh:TopicShape", "skos:broader", "Class", "t:launch", value=iri("t:series")),
    # ---- TopicSchemeShape
    _case("topic-scheme-without-name", drop(R, 't:topics skos:prefLabel "spacegraph topics"@en'),
          "sgsh:TopicSchemeShape", "skos:prefLabel", "MinCount", "t:topics"),
    # ---- SourceDocumentShape
    _case("source-document-without-label", drop(E, 't:page rdfs:label "Second Sino-U.S. Space Commercialization Workshop"'),
          "sgsh:SourceDocumentShape", "rdfs:label", "MinCount", "t:page"),
    _case("source-document-with-two-copies", add(E, 't:page sg:localCopy "sources/swf-2020-09-19-workshop.html"'),
          "sgsh:SourceDocumentShape", "sg:localCopy", "MaxCount", "t:page"),
    _case("source-document-copy-language-tagged",
          swap(E, 't:page sg:localCopy "sources/swf-2020-09-19-workshop.txt"',
               't:page sg:localCopy "sources/swf-2020-09-19-workshop.txt"@en'),
          "sgsh:SourceDocumentShape", "sg:localCopy", "Datatype", "t:page",
          value='"sources/swf-2020-09-19-workshop.txt"@en'),
    _case("source-document-copy-outside-sources",
          swap(E, 't:page sg:localCopy "sources/swf-2020-09-19-workshop.txt"',
               't:page sg:localCopy "data/sources/swf-2020-09-19-workshop.txt"'),
          "sgsh:SourceDocumentShape", "sg:localCopy", "Pattern", "t:page",
          value='"data/sources/swf-2020-09-19-workshop.txt"'),
    # ---- SourceGraphShape
    _case("source-graph-without-source", drop(E, "tg:edition prov:wasDerivedFrom t:page"),
          "sgsh:SourceGraphShape", "prov:wasDerivedFrom", "MinCount", "tg:edition"),
    _case("source-graph-derived-from-untyped-document",
          swap(E, "tg:edition prov:wasDerivedFrom t:page", "tg:edition prov:wasDerivedFrom <https://swfound.org/events/>"),
          "sgsh:SourceGraphShape", "prov:wasDerivedFrom", "Class", "tg:edition", value="https://swfound.org/events/"),
    _case("source-graph-without-time", drop(E, 'tg:edition prov:generatedAtTime "2026-11-27T20:00:00+00:00"^^xsd:dateTime'),
          "sgsh:SourceGraphShape", "prov:generatedAtTime", "MinCount", "tg:edition"),
    _case("source-graph-recorded-twice", add(E, 'tg:edition prov:generatedAtTime "2026-11-28T09:00:00Z"^^xsd:dateTime'),
          "sgsh:SourceGraphShape", "prov:generatedAtTime", "MaxCount", "tg:edition"),
    _case("source-graph-time-is-a-date",
          swap(E, 'tg:edition prov:generatedAtTime "2026-11-27T20:00:00+00:00"^^xsd:dateTime',
               'tg:edition prov:generatedAtTime "2026-11-27"^^xsd:date'),
          "sgsh:SourceGraphShape", "prov:generatedAtTime", "Datatype", "tg:edition", value=f'"2026-11-27"^^{XSD_DATE}'),
    _case("source-graph-not-attributed", drop(E, "tg:edition prov:wasAttributedTo t:importer"),
          "sgsh:SourceGraphShape", "prov:wasAttributedTo", "MinCount", "tg:edition"),
    _case("source-graph-attributed-to-a-string",
          swap(E, "tg:edition prov:wasAttributedTo t:importer", 'tg:edition prov:wasAttributedTo "spacegraph"'),
          "sgsh:SourceGraphShape", "prov:wasAttributedTo", "Class", "tg:edition", value='"spacegraph"'),
    # ---- NamedGraphShape (node-level sh:class)
    _case("named-graph-without-description",
          add("tg:extra", 't:fuzhou schema:alternateName "Foochow"'),
          "sgsh:NamedGraphShape", None, "Class", "tg:extra"),
    _case("named-graph-untyped",
          drop(E, "tg:edition a sg:SourceGraph"),
          "sgsh:NamedGraphShape", None, "Class", "tg:edition"),
    _case("named-graph-typed-as-source-document",
          swap(E, "tg:edition a sg:SourceGraph", "tg:edition a sg:SourceDocument"),
          "sgsh:NamedGraphShape", None, "Class", "tg:edition",
          also=[("sgsh:SourceDocumentShape", "rdfs:label", "MinCount", "tg:edition")]),
]
# fmt: on

# Cases one engine gets wrong (tests mark them xfail(strict=True), so a fix shows up as XPASS).
LTOE_CRASH = (
    "pySHACL 0.40.1 crashes on sh:lessThanOrEquals when the start date is an ill-typed literal and an end date "
    "exists: TypeError '<=' not supported between instances of 'Literal' and 'Literal' "
    "(pyshacl/constraints/core/property_pair_constraints.py _compare_ltoe); validate_store(engine='pyshacl') "
    "lets it escape"
)
LTOE_INCOMPARABLE = (
    "pySHACL does not report a start and end date that cannot be compared (xsd:date against xsd:dateTime): "
    "SHACL says sh:lessThanOrEquals is violated 'where the two values cannot be compared'; the SPARQL engine does"
)
ENGINE_BUGS: dict[tuple[str, str], tuple[str, type[BaseException]]] = {
    ("edition-start-date-ill-formed", "pyshacl"): (LTOE_CRASH, TypeError),
    ("edition-end-date-is-a-datetime", "pyshacl"): (LTOE_INCOMPARABLE, AssertionError),
}


def _base_store() -> ox.Store:
    store = ox.Store()
    store.load(PREFIXES + REGISTRY_TRIG + EDITION_TRIG, format=ox.RdfFormat.TRIG)
    return store


def base_files(update: str | None = None) -> list[DataFile]:
    """The base data set as DataFiles (one per graph, as datafiles.read_data gives), after ``update``."""
    store = _base_store()
    if update:
        store.update(SPARQL_PREFIXES + update)
    files = []
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        quads = list(store.quads_for_pattern(None, None, None, graph))
        files.append(DataFile(Path(FILE_OF_GRAPH[graph.value]), graph, quads))
    return files


def validate(files: list[DataFile], engine: str, graph_files: dict[str, str] | None = None) -> ValidationReport:
    store = load_for_validation(files, SETTINGS.ontology_path)
    if graph_files is None:
        graph_files = {f.graph.value: str(f.path) for f in files}
    return validate_store(store, graph_files, SETTINGS.shapes_path, engine=engine)


@cache
def validate_case(case: Case, engine: str) -> ValidationReport:
    """The report for ``case`` (cached: test_shapes and test_validation_engines ask for the same ones)."""
    files = base_files(case.update)
    graph_files = {f.graph.value: str(f.path) for f in files}
    return validate(files, engine, graph_files)


# ---- what shapes.ttl requires

COMPONENT_OF_PARAMETER = {
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH["class"]: "ClassConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
}
# Parameters that constrain nothing by themselves (sh:flags modifies sh:pattern).
NON_CONSTRAINT = {SH.path, SH.message, SH.name, SH.description, SH.severity, SH.flags, SH.order, SH.group}
NODE_NON_CONSTRAINT = {RDF.type, SH.targetClass, SH.property, SH.message, SH.severity, SH.name, SH.description}


@dataclass(frozen=True)
class Requirement:
    shape: str
    path: str | None
    component: str
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    detail: str  # the parameter and its value, for failure messages


@cache
def shapes_graph() -> Graph:
    return Graph().parse(SETTINGS.shapes_path, format="turtle")


@cache
def requirements() -> list[Requirement]:
    """Every constraint of every shape in shapes.ttl; raises on a parameter this table does not know."""
    shapes = shapes_graph()
    found = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape))):
        for parameter, value in shapes.predicate_objects(shape):
            if parameter in NODE_NON_CONSTRAINT:
                continue
            if parameter != SH["class"]:
                raise AssertionError(f"{shape} uses node-level {parameter}: teach tests/shapes_fixtures.py about it")
            found.append(Requirement(str(shape), None, "ClassConstraintComponent", str(shapes.value(shape, SH.message)),
                                     _severity(shapes, shape), f"sh:class {value}"))  # fmt: skip
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef):
                raise AssertionError(f"{shape} has a property shape with a complex path: teach the tests about it")
            message = str(shapes.value(prop, SH.message))
            for parameter, value in shapes.predicate_objects(prop):
                if parameter in NON_CONSTRAINT:
                    continue
                if parameter not in COMPONENT_OF_PARAMETER:
                    raise AssertionError(f"{shape} {path} uses {parameter}: teach tests/shapes_fixtures.py about it")
                if (parameter == SH.minCount and int(value) == 0) or (
                    parameter == SH.uniqueLang and not value.toPython()
                ):
                    continue  # sh:minCount 0 and sh:uniqueLang false constrain nothing
                if parameter in (SH["in"], SH.languageIn):
                    value = " ".join(str(t) for t in Collection(shapes, value))
                found.append(Requirement(str(shape), str(path), COMPONENT_OF_PARAMETER[parameter], message,
                                         _severity(shapes, prop), f"{parameter} {value}"))  # fmt: skip
    return found


def _severity(shapes: Graph, shape) -> str:
    return str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]


def requirement_of(expected: Expected) -> Requirement:
    """The constraint of shapes.ttl that ``expected`` names (exactly one, or the table is wrong)."""
    found = [r for r in requirements() if (r.shape, r.path, r.component) == expected.key]
    if len(found) != 1:
        raise AssertionError(f"{expected} matches {len(found)} constraints of shapes.ttl")
    return found[0]


def message_of(expected: Expected) -> str:
    """The sh:message of the shape constraint ``expected`` names, from shapes.ttl."""
    return requirement_of(expected).message
