"""An edition from the browser, through the importer and the write path.

``read_page``: the page a curator uploads or pastes goes through ``prepare_page`` (the call behind ``spacegraph
ingest --dry-run``: the graph's name and whether it may be written, what the page says, its validation) and the
page reader, and becomes a draft. ``plan_draft``: the draft's form state is planned by the importer's own
``plan_page`` (names resolved against the graph, the RDF, review items), the curator's choice of side and topics
applied, and validated with the graph's nodes as focus. ``commit_draft``: committed with the curator as its agent,
unless the graph changed since the form was opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from spacegraph.datafiles import graph_quads
from spacegraph.ingest.documents import Document, upload_document
from spacegraph.ingest.ingest_page import pdf_limits, prepare_page
from spacegraph.ingest.page_records import IngestPlan, KnownEntities, PageResolver, plan_page
from spacegraph.ingest.pages import parse_page
from spacegraph.ingest.review import ReviewList
from spacegraph.ingest.to_rdf import Provenance
from spacegraph.iris import Minter, slug
from spacegraph.names.index import compute_index, index_path, load_index
from spacegraph.validation.report import ValidationReport
from spacegraph.vocab import CONF, RDF, SDO, SG
from spacegraph.vocab.terms import SIDE_BY_KEY
from spacegraph.web.curate import drafts, edition_form
from spacegraph.web.curate.drafts import Draft
from spacegraph.write import Agent, FileChange, GraphChange, Writer
from spacegraph.write.history import describe, version_of


class GraphChangedMeanwhile(ValueError):
    """The graph changed after the form was opened: nothing was written."""


@dataclass
class Planned:
    quads: list[ox.Quad]
    plan: IngestPlan
    validation: ValidationReport
    errors: dict[str, str]  # form field -> message (SHACL messages, names that need an explicit choice)
    general: list[str]  # messages that concern no one field


def _known(writer: Writer, graph: str) -> tuple[KnownEntities, PageResolver]:
    store = writer.store
    index = load_index(writer.settings) or compute_index(store, index_path(writer.settings))
    known = KnownEntities.from_store(store, ReviewList.load(writer.settings.data).rejected_pairs(), graph, index)
    return known, PageResolver(known, Minter(writer.settings.base))


def read_page(writer: Writer, raw: bytes, filename: str, owner: str) -> Draft:
    """A draft of the page ``raw`` (named ``filename``); DocumentError or LookupError (with the fix) when the page
    cannot be read or its graph is not the importer's to write."""
    draft_id = Draft.new_id()
    path = drafts.page_path(writer.settings, draft_id, filename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    page = prepare_page(path, writer)
    known, resolver = _known(writer, page.graph.value)
    parsed = parse_page(page_document(writer, path.name, raw), resolver.is_known_organisation)
    events = edition_form.events_from_parsed(parsed)
    for event, reported in zip(events, page.report["events"], strict=False):
        event["topics"] = "\n".join(reported.get("topics", []))
    target = writer.settings.data / "graphs" / f"{page.name}.trig"
    return Draft(draft_id, owner, path.name, page.name, page.graph.value, version_of(target),
                 parsed.document.text, events, page.replaces, "", list(page.report["warnings"]))  # fmt: skip


def blank_draft(writer: Writer, name: str, source: str, owner: str) -> Draft:
    """A draft with no page: the curator fills the form; ``source`` says where the facts come from."""
    graph_name = "curated-" + slug(name)[:80].rstrip("-")
    graph = str(Minter(writer.settings.base).graph(graph_name))
    target = writer.settings.data / "graphs" / f"{graph_name}.trig"
    event = edition_form.blank_event() | {"name": name}
    return Draft(Draft.new_id(), owner, "", graph_name, graph, version_of(target), "", [event], None, source)


def page_document(writer: Writer, filename: str, raw: bytes, described_as: str = "") -> Document:
    """The page, read as ingest reads it; for a blank form, an empty page titled with where its facts come from."""
    if not filename:
        return Document(Path("curated.txt"), "text", "", None, described_as or None, b"")
    return upload_document(raw, filename, pdf_limits(writer.settings))


def plan_draft(writer: Writer, draft: Draft, by: Agent, insist: bool = True) -> Planned:
    """The draft's graph as the importer makes it from the form, validated; what is wrong, by form field (with
    ``insist``, also each name the graph lacks that the curator did not mark new)."""
    settings = writer.settings
    minter = Minter(settings.base)
    document = page_document(writer, draft.filename, drafts.page_bytes(settings, draft), draft.source)
    known, resolver = _known(writer, draft.graph)
    parsed = edition_form.parsed_page(document, draft.events)
    given = draft.source if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", draft.source) else None
    source = document.source_url or given or str(minter.source(draft.filename or draft.name))
    local_copy = f"sources/{draft.name}{Path(draft.filename).suffix.lower()}" if draft.filename else None
    prov = Provenance(URIRef(by.iri), by.label, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    plan = plan_page(parsed, resolver, known, minter, URIRef(draft.graph), source, local_copy, prov,
                     min_confidence=0.0)  # fmt: skip
    errors = _apply_choices(plan.graph, draft.events, plan.report, known, minter, insist)
    agent = URIRef(by.iri)  # the importer names a program as the agent; here a person curates
    plan.graph.remove((agent, RDF.type, None))
    plan.graph.add((agent, RDF.type, URIRef(by.kind)))
    quads = graph_quads(plan.graph)
    target = settings.data / "graphs" / f"{draft.name}.trig"
    validation = writer.check(GraphChange(ox.NamedNode(draft.graph), quads, target, by))
    general = _place_violations(validation, plan.graph, draft.events, errors, minter)
    return Planned(quads, plan, validation, errors, general)


def _apply_choices(graph: Graph, events: list[dict[str, Any]], report: dict[str, Any], known: KnownEntities,
                   minter: Minter, insist: bool) -> dict[str, str]:  # fmt: skip
    """The curator's sides and topics on the planned graph; a new name without the curator's say-so, or a topic
    the scheme lacks, is an error next to its field."""
    errors: dict[str, str] = {}
    labels = {c.label.casefold(): c.iri for c in known.topics.concepts}
    labels |= {alt.casefold(): c.iri for c in known.topics.concepts for alt in (*c.alt, c.zh or "") if alt}
    for e, (event, reported) in enumerate(zip(events, report["events"], strict=False)):
        edition = minter.edition(event["name"], event["start_date"] or None)
        graph.remove((edition, SDO.about, None))
        for label in edition_form.lines_of(event["topics"]):
            if label.casefold() in labels:
                graph.add((edition, SDO.about, URIRef(labels[label.casefold()])))
            else:
                errors[f"e{e}-topics"] = f"“{label}” is not in the topic scheme: choose a topic from the list."
        for r, (row, entry) in enumerate(zip(event["participants"], reported["participants"], strict=False)):
            row["iri"], row["match"] = entry["iri"], entry["match"]
            if insist and entry["match"] == "new" and not row["new"]:
                kind = "organisation" if row["is_organisation"] else "person"
                errors[f"e{e}-p{r}-name"] = (f"No {kind} named “{row['name']}” is in the graph: tick “new” to add "
                                             "one, or choose a name from the list.")  # fmt: skip
            if row["side"]:
                _set_side(graph, URIRef(entry["iri"]), edition, row["side"])
    return errors


def _set_side(graph: Graph, holder: URIRef, edition: URIRef, side: str) -> None:
    for record in set(graph.subjects(CONF.isHeldBy, holder)):
        if (record, CONF.during, edition) in graph:
            graph.remove((record, SG.side, None))
            graph.remove((record, SG.inferred, SG.side))
            graph.add((record, SG.side, SIDE_BY_KEY[side].iri))


EVENT_PATHS = {str(SDO.name): "name", str(SDO.startDate): "start_date", str(SDO.endDate): "end_date",
               str(SDO.eventAttendanceMode): "attendance_mode", str(SDO.location): "city", str(SDO.about): "topics",
               str(SDO.addressCountry): "country", str(SDO.organizer): "hosts"}  # fmt: skip


def _place_violations(report: ValidationReport, graph: Graph, events: list[dict[str, Any]], errors: dict[str, str],
                      minter: Minter) -> list[str]:  # fmt: skip
    """Each SHACL message next to the field it concerns: an edition's (or its place's) field, or a participant's
    row (its participation, affiliation, talk, or the person or organisation); the others in a list."""
    fields: dict[str, str] = {}
    for e, event in enumerate(events):
        edition = minter.edition(event["name"], event["start_date"] or None)
        fields[str(edition)] = f"e{e}"
        for place in graph.objects(edition, SDO.location):
            fields[str(place)] = f"e{e}"
        for r, row in enumerate(event["participants"]):
            holder = URIRef(row.get("iri", ""))
            fields.setdefault(str(holder), f"e{e}-p{r}")
            for predicate in (CONF.isHeldBy, CONF.isAffiliationOf, SDO.performer):
                for record in graph.subjects(predicate, holder):
                    fields.setdefault(str(record), f"e{e}-p{r}")
    general = []
    for violation in report.violations:
        if violation.severity != "Violation":
            continue
        where = fields.get(violation.focus)
        if where is None:
            general.append(violation.message)
            continue
        name = EVENT_PATHS.get(violation.path or "", "name") if "-p" not in where else "name"
        key = f"{where}-{name}"
        errors[key] = f"{errors[key]} {violation.message}" if key in errors else violation.message
    return general


def commit_draft(writer: Writer, draft: Draft, planned: Planned, by: Agent, version: str, replace: bool) -> None:
    """Commit the planned graph (with the page's copy and its review items), unless the graph is no longer at
    ``version`` (the one the form was opened at): GraphChangedMeanwhile says who changed what since."""
    settings = writer.settings
    target = settings.data / "graphs" / f"{draft.name}.trig"
    if (now := version_of(target)) != version:
        from spacegraph.write.history import changed_since

        later = changed_since(settings, draft.graph, version)
        what = describe(later) if later else f"{target.name} is now at version {now}"
        raise GraphChangedMeanwhile(f"Somebody changed this edition after you opened the form ({what}). Nothing "
                                    "was written: your form is kept; open the edition again to see the changes, "
                                    "then make yours.")  # fmt: skip
    if draft.replaces and not replace:
        raise GraphChangedMeanwhile(f"Saving replaces {draft.replaces}: tick “replace” to do so.")
    reviews = ReviewList.load(settings.data)
    reviews.replace_pending(draft.graph, planned.plan.reviews)
    also = [FileChange(reviews.path, reviews.text())]
    if draft.filename:
        suffix = Path(draft.filename).suffix.lower()
        also.insert(
            0, FileChange(settings.data / "sources" / f"{draft.name}{suffix}", drafts.page_bytes(settings, draft))
        )
    note = f"{'edited' if version != 'absent' else 'added'} {', '.join(e['name'] for e in draft.events)} in the browser"
    writer.commit(GraphChange(ox.NamedNode(draft.graph), planned.quads, target, by, also, note=note))
