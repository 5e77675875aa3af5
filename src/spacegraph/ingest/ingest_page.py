"""`spacegraph ingest`: a page file -> its validated named graph, committed to data/ and the store together.

``prepare_page`` reads, parses, resolves and validates, touching nothing; ``commit_page`` writes. Both run in a
writing session (``spacegraph.write.Writer``: the writer lock, recovery once), so ingest reports everything it
understood (and every problem) before anything is written, and nothing changes the store in between.

Graph names belong to the project, not to the page. A page's graph is named after its `source:` line or its file
name, both the page author's choice, so ingest refuses a name whose graph or data file it does not own: the
registry's and proposals' graphs, a graph kept in another file, a source document under data/sources/ that is
not this graph's saved copy. An edition's graph recorded from another source document (a curated edition, a page
from another address) is replaced only when asked (``replace``); the same page again simply replaces its graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from spacegraph.datafiles import DataError, data_files, graph_quads, read_data_file
from spacegraph.ingest.documents import Document, DocumentError, read_document
from spacegraph.ingest.page_records import IngestPlan, KnownEntities, PageResolver, plan_page
from spacegraph.ingest.pages import ParsedPage, parse_page
from spacegraph.ingest.pdf_file import PdfLimits
from spacegraph.ingest.review import ReviewList
from spacegraph.ingest.to_rdf import Provenance
from spacegraph.iris import Minter, slug, source_name
from spacegraph.names.index import NameIndex, compute_index, index_file, index_path, load_index
from spacegraph.settings import Settings
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import SparqlStore
from spacegraph.validation.report import ValidationReport
from spacegraph.vocab import PROV, RDFS, SDO, SG
from spacegraph.vocab.sparql import fill
from spacegraph.write import Agent, FileChange, GraphChange, Writer

# Graph names of the project's own graphs: data/registry/ (registry-people …) and data/proposals/ (proposal-…).
RESERVED_PREFIXES = {"registry-": "the registry (data/registry/)", "proposal-": "the proposals (data/proposals/)"}


class GraphNameError(DocumentError):
    """A page whose graph name, or data file, belongs to something ingest does not own: nothing is written."""


class ReplaceRefused(DocumentError):
    """Committing would replace an edition's graph recorded from another source document, without ``replace``."""


@dataclass
class PreparedPage:
    path: Path
    name: str  # file and graph name, e.g. "swfound-2020-second-sino-us-space-commercialization-workshop"
    graph: ox.NamedNode
    quads: list[ox.Quad]
    by: Agent  # who recorded it: spacegraph ingest
    plan: IngestPlan
    validation: ValidationReport
    unchanged: bool
    previous_subjects: set[str]  # what the page's graph described before, to refresh in the name index
    index: NameIndex  # the published generation's name index, carried forward by the commit
    source_bytes: bytes  # the page as read, once: what is committed to data/sources/
    replaces: str | None  # the graph committing would replace, when another source document recorded it
    fix: str  # how the page author names the page otherwise (for messages)

    @property
    def report(self) -> dict[str, Any]:
        return self.plan.report


def prepare_page(path: Path, writer: Writer, series: str | None = None) -> PreparedPage:
    """Read, parse, resolve and validate one page against the published data, writing nothing. Raises
    ``DocumentError`` (with the file and the fix) for a page that cannot be read, that says nothing an event page
    says, or whose graph name is not ingest's to use; a replacement of another source's graph is reported as
    ``replaces``, for ``check_replace``."""
    settings, store = writer.settings, writer.store
    minter = Minter(settings.base)
    document = read_document(path, pdf_limits(settings))
    name, origin, fix = _graph_name(document)
    graph_iri = minter.graph(name)
    graph = ox.NamedNode(str(graph_iri))
    target = settings.data / "graphs" / f"{name}.trig"
    local_copy = f"sources/{name}{path.suffix.lower()}"
    existing = _own_graph(settings, store, document, name, origin, fix, graph, target)
    _own_source_copy(settings, document, local_copy, existing, fix)
    reviews = ReviewList.load(settings.data)
    index = load_index(settings)
    if index is None:  # the first ingest into this data version reads every name once, and keeps them
        index = compute_index(store, index_path(settings))
    known = KnownEntities.from_store(store, reviews.rejected_pairs(), excluding=str(graph_iri), index=index)
    resolver = PageResolver(known, minter)
    parsed = parse_page(document, resolver.is_known_organisation)
    _says_something(parsed)
    source_iri = document.source_url or str(minter.source(path.name))
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    by = Agent.program("spacegraph ingest", settings)
    prov = Provenance(URIRef(by.iri), by.label, now)
    try:
        plan = plan_page(
            parsed, resolver, known, minter, graph_iri, source_iri, local_copy, prov, series,
            settings.ingest_min_confidence,
        )  # fmt: skip
    except ValueError as error:  # a name, title or talk with nothing to mint an IRI from
        raise DocumentError(f"{path}: {error}: correct that text on the page") from error
    _warn_of_gaps(plan.report)
    quads = graph_quads(plan.graph)
    validation = writer.check(GraphChange(graph, quads, target, by))
    unchanged = existing is not None and _without_time(existing) == _without_time(quads)
    replaces = None if existing is None else _replaces(existing, graph, source_iri, str(prov.agent), target)
    if replaces:
        plan.report["warnings"].append(f"replaces {replaces} (needs --replace)")
    in_graph = fill("SELECT DISTINCT ?s WHERE { GRAPH %graph% { ?s ?p ?o } }", graph=graph)
    previous = {r["s"].value for r in store.query(in_graph)}
    return PreparedPage(
        path, name, graph, quads, by, plan, validation, unchanged, previous, index, document.raw, replaces, fix
    )


def pdf_limits(settings: Settings) -> PdfLimits:
    """The limits a PDF is read within, from the settings (ingest_pdf_max_bytes, ingest_pdf_max_pages)."""
    return PdfLimits(max_bytes=settings.ingest_pdf_max_bytes, max_pages=settings.ingest_pdf_max_pages)


def _warn_of_gaps(report: dict[str, Any]) -> None:
    """A warning for each thing an event page gives that this one did not: the date, the place (an online event
    has none), the participants, the topics. Nothing is lost silently."""
    warnings = report["warnings"]
    for event in report["events"]:
        gaps = [
            "no event date" if not event.get("start_date") else None,
            "no place" if not (event.get("city") or event.get("country") or event.get("attendance_mode") == "online")
            else None,
            "no participants" if not event.get("participants") else None,
            "no topics" if not (event.get("topics") or event.get("proposed_topics")) else None,
        ]  # fmt: skip
        for gap in filter(None, gaps):
            warning = f"event {event['name']!r}: the page gives {gap}"
            if warning not in warnings:
                warnings.append(warning)


def check_replace(page: PreparedPage, replace: bool) -> None:
    """Refuse to replace a graph recorded from another source document unless ``replace`` is given."""
    if page.replaces and not replace:
        raise ReplaceRefused(
            f"{page.path}: would replace {page.replaces}, with what this page alone says (<{page.plan.source.url}>, "
            f"read by spacegraph ingest). Run again with --replace to replace it, or {page.fix} to ingest the page "
            "as an edition of its own."
        )


def _graph_name(document: Document) -> tuple[str, str, str]:
    """The page's graph name, where it came from, and how the page's author would name it otherwise."""
    if document.source_url:
        origin, fix = f"its `source:` line <{document.source_url}>", "correct the page's `source:` line"
    else:
        origin = f"its file name {document.path.name!r}"
        fix = "rename the page file, or give it a `source: URL` line with the address it was saved from"
    try:
        name = source_name(document.source_url or document.path.name)
    except ValueError as error:
        raise GraphNameError(
            f"{document.path}: no graph name can be made from {origin}: {error}. Fix: {fix}"
        ) from error
    return name, origin, fix


def _own_graph(
    settings: Settings,
    store: OxigraphStore | SparqlStore,
    document: Document,
    name: str,
    origin: str,
    fix: str,
    graph: ox.NamedNode,
    target: Path,
) -> list[ox.Quad] | None:
    """The quads ``target`` holds now (None: a new graph), after refusing a name that is not ingest's to use."""
    path = document.path
    for prefix, owner in RESERVED_PREFIXES.items():
        if name.startswith(prefix):
            held = _file_holding(settings.data, graph)
            where = f": {held} holds <{graph.value}>" if held else ""
            raise GraphNameError(
                f"{path}: the graph name {name!r} (from {origin}) belongs to {owner}{where}; ingest writes only "
                f"source graphs under data/graphs/. Fix: {fix}"
            )
    if target.exists():
        try:
            held_graph = read_data_file(target)
        except DataError as error:
            raise GraphNameError(f"{path}: its graph file cannot be read, nothing was replaced:\n{error}") from error
        if held_graph.graph != graph:
            raise GraphNameError(
                f"{path}: {target} holds the graph <{held_graph.graph.value}>, not this page's <{graph.value}> "
                f"(named from {origin}); ingest does not overwrite it. Fix: {fix}"
            )
        return held_graph.quads
    if list(store.query(fill("SELECT ?s WHERE { GRAPH %graph% { ?s ?p ?o } } LIMIT 1", graph=graph))):
        held = _file_holding(settings.data, graph)
        raise GraphNameError(
            f"{path}: the graph <{graph.value}> (named from {origin}) is already in the store, from "
            f"{held or 'a file other than ' + str(target)}; ingest writes only its own source graphs under "
            f"data/graphs/. Fix: {fix}"
        )
    return None


def _file_holding(data: Path, graph: ox.NamedNode) -> Path | None:
    """The data file holding ``graph`` (only to name it in a message: this reads data/)."""
    marker = f"<{graph.value}>".encode()
    for path in data_files(data):
        try:
            if marker in path.read_bytes() and read_data_file(path).graph == graph:
                return path
        except (OSError, DataError):
            continue
    return None


def _own_source_copy(
    settings: Settings, document: Document, local_copy: str, existing: list[ox.Quad] | None, fix: str
) -> None:
    """data/sources/ holds the project's source documents: a page may replace only its own graph's saved copy."""
    if not (settings.data / local_copy).exists():
        return
    local = str(SG.localCopy)
    if existing and any(q.predicate.value == local and q.object == ox.Literal(local_copy) for q in existing):
        return
    raise GraphNameError(
        f"{document.path}: {settings.data / local_copy} already exists and is not the saved copy of this page's "
        f"graph; ingest does not overwrite a source document. Fix: {fix}"
    )


def _says_something(parsed: ParsedPage) -> None:
    """A page from which no event, or no date, place or participant of any event, can be read is no event page."""
    path = parsed.document.path
    if not parsed.document.text.strip():
        raise DocumentError(f"{path}: the page is empty: nothing to ingest")
    if not parsed.events:
        raise DocumentError(f"{path}: no event could be read from the page: nothing to ingest")
    if not any(e.start_date or e.city or e.country or e.participants or e.hosts for e in parsed.events):
        names = ", ".join(repr(e.name) for e in parsed.events)
        raise DocumentError(
            f"{path}: no event date, place or participant could be read (only the title {names}): not an event "
            "page, nothing to ingest. An event page gives the date (`When: …`), the place (`Where: …`) or who took "
            "part (`Name, Title, Organisation` lines)"
        )
    for event in parsed.events:
        try:
            slug(event.name)
        except ValueError as error:
            raise DocumentError(
                f"{path}: the event title {event.name!r} has no letters or digits to name the edition by: give the "
                "page a `title: …` line or a heading with the event's name"
            ) from error


def _replaces(existing: list[ox.Quad], graph: ox.NamedNode, source_iri: str, agent: str, target: Path) -> str | None:
    """What committing would replace, when the graph in ``target`` was not recorded by ingest from this page's
    source (the same page again, perhaps edited, replaces its own graph without asking)."""
    derived = sorted(_text(q.object) for q in existing if q.subject == graph and q.predicate == _DERIVED)
    agents = sorted(_text(q.object) for q in existing if q.subject == graph and q.predicate == _ATTRIBUTED)
    if derived == [source_iri] and agent in agents:  # review may have attributed it to itself too
        return None
    labels = {_text(q.subject): _text(q.object) for q in existing if q.predicate == _LABEL}
    in_series = {q.subject for q in existing if q.predicate == _SUPER_EVENT}
    editions = sorted({_text(q.object) for q in existing if q.predicate == _NAME and q.subject in in_series})
    by = ", ".join(labels.get(a, f"<{a}>") for a in agents) or "an unknown agent"
    return (
        f"{target}, the graph of {', '.join(repr(e) for e in editions) or 'no edition'} recorded by {by} from "
        + ", ".join(f"<{d}>" for d in derived)
    )


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_ATTRIBUTED = ox.NamedNode(str(PROV.wasAttributedTo))
_LABEL = ox.NamedNode(str(RDFS.label))
_NAME = ox.NamedNode(str(SDO.name))
_SUPER_EVENT = ox.NamedNode(str(SDO.superEvent))


def _without_time(quads: list[ox.Quad]) -> set[str]:
    """A graph's quads, except when it was recorded: re-ingesting an unchanged page changes nothing."""
    generated = str(PROV.generatedAtTime)
    return {str(q) for q in quads if q.predicate.value != generated}


def commit_page(page: PreparedPage, writer: Writer, replace: bool = False) -> None:
    """Write the page's graph, its document (the bytes read when it was prepared) and its review items to data/
    and the store together. A graph from another source document is replaced only with ``replace``."""
    check_replace(page, replace)
    data = writer.settings.data
    reviews = ReviewList.load(data)
    reviews.replace_pending(page.graph.value, page.plan.reviews)
    also = [
        FileChange(data / "sources" / f"{page.name}{page.path.suffix.lower()}", page.source_bytes),
        FileChange(reviews.path, reviews.text()),
    ]
    subjects = page.previous_subjects | {q.subject.value for q in page.quads if isinstance(q.subject, ox.NamedNode)}

    def carry_index_forward(store: OxigraphStore, generation: Path) -> None:
        page.index.refreshed(store, subjects, index_file(generation)).db.close()

    change = GraphChange(page.graph, page.quads, data / "graphs" / f"{page.name}.trig", page.by, also)
    writer.commit(change, carry_index_forward)
