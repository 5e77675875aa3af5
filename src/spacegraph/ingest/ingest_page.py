"""`spacegraph ingest`: a page file -> its validated named graph, committed to data/ and the store together.

``prepare_page`` reads, parses, resolves and validates, touching nothing; ``commit_page`` writes. Ingest
therefore reports everything it understood (and every problem) before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spacegraph.commit import FileChange, commit_graph
from spacegraph.datafiles import graph_to_trig
from spacegraph.ingest.documents import read_document
from spacegraph.ingest.name_index import NameIndex, compute_index, index_file, index_path, load_index
from spacegraph.ingest.page_records import IngestPlan, KnownEntities, PageResolver, plan_page
from spacegraph.ingest.pages import parse_page
from spacegraph.ingest.review import ReviewList
from spacegraph.ingest.to_rdf import Provenance
from spacegraph.iris import Minter, source_name
from spacegraph.settings import Settings
from spacegraph.store.open import remote_store
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.validation import validate_in_context
from spacegraph.validation.report import ValidationReport
from spacegraph.vocab import PROV


@dataclass
class PreparedPage:
    path: Path
    name: str  # file and graph name, e.g. "swfound-2020-second-sino-us-space-commercialization-workshop"
    graph: ox.NamedNode
    quads: list[ox.Quad]
    trig: str
    plan: IngestPlan
    validation: ValidationReport
    unchanged: bool
    previous_subjects: set[str]  # what the page's graph described before, to refresh in the name index
    index: NameIndex  # the published generation's name index, carried forward by the commit

    @property
    def report(self) -> dict[str, Any]:
        return self.plan.report


def prepare_page(path: Path, settings: Settings, store: OxigraphStore, series: str | None = None) -> PreparedPage:
    minter = Minter(settings.base)
    document = read_document(path)
    reviews = ReviewList.load(settings.data)
    name = source_name(document.source_url or path.name)
    graph_iri = minter.graph(name)
    index = load_index(settings)
    if index is None:  # the first ingest into this data version reads every name once, and keeps them
        index = compute_index(store, index_path(settings))
    known = KnownEntities.from_store(store, reviews.rejected_pairs(), excluding=str(graph_iri), index=index)
    resolver = PageResolver(known, minter)
    parsed = parse_page(document, resolver.is_known_organisation)
    local_copy = f"sources/{name}{path.suffix.lower()}"
    source_iri = document.source_url or str(minter.source(path.name))
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    prov = Provenance(minter.agent("spacegraph ingest"), "spacegraph ingest", now)
    plan = plan_page(parsed, resolver, known, minter, graph_iri, source_iri, local_copy, prov, series)
    trig = graph_to_trig(plan.graph)
    quads = list(ox.parse(trig.encode("utf-8"), format=ox.RdfFormat.TRIG))
    graph = ox.NamedNode(str(graph_iri))
    target = settings.data / "graphs" / f"{name}.trig"
    validation = validate_in_context(store, quads, graph, str(target), settings.shapes_path)
    unchanged = target.exists() and _without_time(target.read_bytes()) == _without_time(trig.encode("utf-8"))
    previous = {r["s"].value for r in store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")}
    return PreparedPage(path, name, graph, quads, trig, plan, validation, unchanged, previous, index)


def _without_time(trig: bytes) -> set[str]:
    """A graph's quads, except when it was recorded: re-ingesting an unchanged page changes nothing."""
    generated = str(PROV.generatedAtTime)
    return {str(q) for q in ox.parse(trig, format=ox.RdfFormat.TRIG) if q.predicate.value != generated}


def commit_page(page: PreparedPage, settings: Settings) -> None:
    reviews = ReviewList.load(settings.data)
    reviews.replace_pending(page.graph.value, page.plan.reviews)
    files = [
        FileChange(settings.data / "graphs" / f"{page.name}.trig", page.trig.encode("utf-8")),
        FileChange(settings.data / "sources" / f"{page.name}{page.path.suffix.lower()}", page.path.read_bytes()),
        FileChange(reviews.path, json.dumps(reviews.as_json(), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"),
    ]
    subjects = page.previous_subjects | {q.subject.value for q in page.quads if isinstance(q.subject, ox.NamedNode)}

    def carry_index_forward(clone: OxigraphStore, generation: Path) -> None:
        page.index.refreshed(clone, subjects, index_file(generation)).db.close()

    remote = remote_store(settings)  # on a SPARQL server the name index is rebuilt for the new version when used
    commit_graph(settings.data, settings.store, page.graph, page.quads, files,
                 None if remote else carry_index_forward, remote=remote)  # fmt: skip
