"""Reading the series fact file (``data/sources/series.json``) and the curators' amendments into records.

series.json holds the facts gathered about the whole series, each event with its source URL; amendments.json
adds what the curators read in a source but series.json leaves out (a contact person, the attendance mode),
each with the source's own words as evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal

from spacegraph.ingest.roles import parse_roles
from spacegraph.ingest.to_rdf import (
    Provenance,
    describe_graph,
    new_graph,
    organisation_triples,
    person_triples,
    source_graph,
)
from spacegraph.iris import Minter, source_name
from spacegraph.names.keys import name_key
from spacegraph.names.registry import Registry
from spacegraph.vocab import CONF, RDF, RDFS, SDO
from spacegraph.vocab.records import (
    EventRecord,
    OrganisationRecord,
    ParticipantRecord,
    PersonRecord,
    SourceRecord,
)
from spacegraph.vocab.terms import SECTOR_BY_NAME, side_of_country


@dataclass(frozen=True)
class SeriesData:
    name: str
    organisers: tuple[str, ...]
    note: str | None
    sources: tuple[SourceRecord, ...]
    registry: Registry
    amended_sources: frozenset[str] = frozenset()  # URLs of the sources that amendments.json adds to


class SeriesFileError(ValueError):
    """series.json or amendments.json says something that cannot be recorded; the message names where."""


def load_series(series_path: Path, amendments_path: Path | None, data_dir: Path) -> SeriesData:
    facts = _read_json(series_path)
    amendments = _read_json(amendments_path) if amendments_path else {}
    try:
        return _series(facts, amendments, data_dir)
    except (KeyError, ValueError, LookupError) as error:
        raise SeriesFileError(f"{series_path}: {error}") from error


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise SeriesFileError(f"{path}, line {error.lineno}: not valid JSON ({error.msg})") from error


def _series(facts: dict, amendments: dict, data_dir: Path) -> SeriesData:
    organisations = [
        OrganisationRecord(o["name"], _sector(o), o.get("country"), tuple(o.get("aliases", ())))
        for o in [*facts["organizations"], *amendments.get("organizations", [])]
    ]
    source_notes = amendments.get("sources", {})
    by_url: dict[str, list[EventRecord]] = {}
    for index, event in enumerate(facts["events"]):
        extra = source_notes.get(event["source"], {}).get("events", {}).get(event["name"], {})
        by_url.setdefault(event["source"], []).append(_event(event, extra, index))
    organisations = _with_printed_aliases(organisations, by_url)
    people = _people(facts, amendments, by_url)
    registry = Registry(organisations, people)
    sources = []
    for url, events in by_url.items():
        note = source_notes.get(url, {})
        local_copy = note.get("local_copy")
        if local_copy:
            events = [_with_evidence(e, (data_dir / local_copy).read_text(encoding="utf-8")) for e in events]
        title = note.get("title") or "Secure World Foundation page on " + "; ".join(e.name for e in events)
        sources.append(SourceRecord(url=url, title=title, events=tuple(events), local_copy=local_copy))
    series = facts["series"]
    amended = frozenset(url for url, note in source_notes.items() if note.get("events"))
    return SeriesData(
        series["name"], tuple(series["organisers"]), series.get("note"), tuple(sources), registry, amended
    )


def _sector(org: dict) -> str:
    kind = org.get("kind", "")
    if kind not in SECTOR_BY_NAME:  # series.json's kinds are the sectors' keys and aliases
        raise ValueError(
            f"organisation {org.get('name')!r} has unknown kind {kind!r}: use one of {sorted(SECTOR_BY_NAME)}"
        )
    return SECTOR_BY_NAME[kind].key


def _event(event: dict, extra: dict, index: int) -> EventRecord:
    by_side = extra.get("attendance_by_side", {})
    participants = []
    for p in [*event["participants"], *extra.get("extra_participants", [])]:
        side = _side(p.get("country"))
        try:
            roles = parse_roles(p["role"])
        except ValueError as error:
            raise ValueError(f"event {index} ({event['name']!r}), participant {p['name']!r}: {error}") from error
        participants.append(
            ParticipantRecord(
                name=p["name"],
                family_name=p["family_name"],
                given_name=p.get("given_name"),
                roles=roles,
                title=p.get("title"),
                organisation=p.get("organization"),
                side=side,
                talk_title=p.get("talk_title"),
                attendance=by_side.get(side) if side else None,
                evidence=p.get("evidence"),
            )
        )
    return EventRecord(
        name=event["name"],
        kind=extra.get("kind") or ("workshop" if "workshop" in event["name"].lower() else "dialogue"),
        start_date=event.get("start_date"),
        end_date=event.get("end_date"),
        city=event.get("city"),
        country=event.get("country"),
        hosts=tuple(event.get("hosts", ())),
        co_located_with=event.get("co_located_with"),
        topics=tuple(event.get("topics", ())),
        participants=tuple(participants),
        participants_complete=bool(event["participants_complete"]),
        attendance_mode=extra.get("attendance_mode"),
    )


def _side(country: str | None) -> str | None:
    return None if country is None else side_of_country(country).key


def _with_printed_aliases(organisations, by_url) -> list[OrganisationRecord]:
    """Keep every organisation name as printed (typos included) as an alias of the organisation it resolves to."""
    registry = Registry(organisations, [])
    printed: dict[str, list[str]] = {}
    for events in by_url.values():
        for event in events:
            names = [*event.hosts, *(p.organisation for p in event.participants if p.organisation)]
            for name in names:
                org = registry.organisation(name)
                if name != org.name and name not in org.aliases and name not in printed.setdefault(org.name, []):
                    printed[org.name].append(name)
    return [
        OrganisationRecord(o.name, o.sector, o.country, (*o.aliases, *printed.get(o.name, ()))) for o in organisations
    ]


def _people(facts: dict, amendments: dict, by_url) -> list[PersonRecord]:
    """One record per person: the names of a same_person group are one person; the first printed is canonical."""
    canonical_names = amendments.get("canonical_person_names", {})
    groups: dict[str, list[ParticipantRecord]] = {}
    group_of: dict[str, str] = {}
    for group in facts.get("same_person", []):
        head = name_key(group["names"][0])
        for name in group["names"]:
            group_of[name_key(name)] = head
    for events in by_url.values():
        for event in events:
            for p in event.participants:
                key = group_of.get(name_key(p.name), name_key(p.name))
                groups.setdefault(key, []).append(p)
    people = []
    for appearances in groups.values():
        first = appearances[0]
        name = canonical_names.get(first.name, first.name)
        printed = [p.name for p in appearances]
        names_like_canonical = [p for p in appearances if p.name == name] or [first]
        aliases = tuple(dict.fromkeys(n for n in printed if n != name))
        given = names_like_canonical[0].given_name
        if name != first.name and name not in printed:
            given = name.split()[0]
        people.append(PersonRecord(name, first.family_name, given, aliases))
    return people


def _with_evidence(event: EventRecord, text: str) -> EventRecord:
    """Give each participant without evidence the line of the local copy that names them."""
    lines = [line.strip().lstrip("•").strip() for line in text.splitlines() if line.strip()]
    participants = []
    for p in event.participants:
        evidence = p.evidence or next((line for line in lines if p.name in line), None)
        participants.append(ParticipantRecord(**{**p.__dict__, "evidence": evidence}))
    return EventRecord(**{**event.__dict__, "participants": tuple(participants)})


SERIES_JSON_DOCUMENT = "series.json"


def series_graphs(data: SeriesData, minter: Minter, prov: Provenance) -> dict[str, Graph]:
    """The named graphs for the whole series, keyed by their file under data/ (e.g. "graphs/….trig")."""
    fact_file = (
        minter.source(SERIES_JSON_DOCUMENT),
        "spacegraph series fact file (series.json)",
        "sources/series.json",
    )
    amendments = (
        minter.source("amendments.json"),
        "spacegraph curators' amendments (amendments.json)",
        "sources/amendments.json",
    )
    series = minter.series(data.name)
    graphs: dict[str, Graph] = {}

    registry = new_graph(minter.graph("registry-organisations"))
    describe_graph(registry, [fact_file, amendments], prov)
    for org in data.registry.organisations:
        organisation_triples(registry, minter, org)
    graphs["registry/organisations.trig"] = registry

    people = new_graph(minter.graph("registry-people"))
    describe_graph(people, [fact_file, amendments], prov)
    for person in data.registry.people:
        person_triples(people, minter, person)
    graphs["registry/people.trig"] = people

    series_graph = new_graph(minter.graph("registry-series"))
    describe_graph(series_graph, [fact_file], prov)
    series_graph.add((series, RDF.type, CONF.WorkshopSeries))
    series_graph.add((series, SDO.name, Literal(data.name)))
    if data.note:
        series_graph.add((series, RDFS.comment, Literal(data.note)))
    for organiser in data.organisers:
        series_graph.add((series, SDO.organizer, minter.organisation(data.registry.organisation(organiser).name)))
    graphs["registry/series.trig"] = series_graph

    for source in data.sources:
        name = source_name(source.url)
        documents = [fact_file, amendments] if source.url in data.amended_sources else [fact_file]
        graph = source_graph(source, minter.graph(name), data.registry, minter, series, prov, documents)
        graphs[f"graphs/{name}.trig"] = graph
    return graphs
