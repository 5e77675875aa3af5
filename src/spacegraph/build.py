"""Building the store from data/: read, load into a new store, validate, then swap it in, or change nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacegraph.commit import recover
from spacegraph.datafiles import data_files, read_data
from spacegraph.settings import Settings
from spacegraph.store.open import remote_store, sparql_store, version_update
from spacegraph.store.oxigraph import OxigraphStore, discard, new_generation, publish, writer_lock
from spacegraph.validation import ONTOLOGY_GRAPH, load_for_validation, validate_store
from spacegraph.validation.report import ValidationReport


@dataclass(frozen=True)
class BuildResult:
    files: int
    graphs: int
    quads: int
    seconds: float
    report: ValidationReport


class BuildRejected(Exception):
    """The data does not conform; the previous store is untouched."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.render())


def build_store(*args: Any, **kwargs: Any) -> BuildResult:
    """(Re)build the published store from data/, under the writer lock; see ``_build``."""
    settings = args[0] if args else kwargs["settings"]
    with writer_lock(settings.store):
        recover(settings.data, settings.store, remote_store(settings))
        return _build(*args, **kwargs)


def _build(
    settings: Settings, *, engine: str = "sparql", progress: Callable[[str], None] = lambda message: None
) -> BuildResult:
    if settings.remote:
        return _build_remote(settings, engine=engine, progress=progress)
    started = time.perf_counter()
    building = new_generation(settings.store)
    store = OxigraphStore(building)
    try:
        files, quads, report = _load_and_validate(settings, store, engine, progress)
        store.flush()
        store.close()
        publish(settings.store, building)
    except BaseException:
        store.close()
        discard(building)
        raise
    return BuildResult(len(files), len(files), quads, time.perf_counter() - started, report)


def _load_and_validate(
    settings: Settings, store: OxigraphStore, engine: str, progress: Callable[[str], None]
) -> tuple[list, int, ValidationReport]:
    """Read data/ into ``store`` with the ontology and validate it; BuildRejected when it does not conform."""
    paths = data_files(settings.data)
    if not paths:
        raise FileNotFoundError(f"no graph files under {settings.data}/registry or {settings.data}/graphs")
    progress(f"Reading {len(paths)} files from {settings.data}")
    files = read_data(paths)
    quads = sum(len(f.quads) for f in files)
    progress(f"Loading {quads:,} quads into a new store")
    load_for_validation(files, settings.ontology_path, store)
    progress(f"Validating against {settings.shapes_path.name} ({engine})")
    graph_files = {f.graph.value: _relative(f.path, settings.data) for f in files}
    report = validate_store(store, graph_files, settings.shapes_path, engine=engine)
    if not report.conforms:
        raise BuildRejected(report)
    return files, quads, report


def _build_remote(settings: Settings, *, engine: str, progress: Callable[[str], None]) -> BuildResult:
    """Validate data/ in a scratch store here, then write it to the SPARQL server graph by graph (each graph in
    one request), remove the graphs data/ no longer has, and give the server's data a new version."""
    started = time.perf_counter()
    scratch = OxigraphStore()
    files, quads, report = _load_and_validate(settings, scratch, engine, progress)
    remote = sparql_store(settings)
    graphs = [(f.graph, f.quads) for f in files]
    graphs.append((ONTOLOGY_GRAPH, list(scratch.quads(graph=ONTOLOGY_GRAPH))))
    progress(f"Writing {len(graphs)} named graphs to {settings.store_url}, one request each")
    # A new version first, so that no cache of the old data outlives a build that stops halfway (the server then
    # holds old and new graphs side by side: run the build again); and again at the end.
    remote.update(version_update())
    for graph, graph_quads in graphs:
        remote.replace_graph(graph, graph_quads)
    # Only spacegraph's own graphs that data/ no longer has are removed: the server may hold other applications'.
    ours = settings.base + "graph/"
    keep = {graph for graph, _ in graphs}
    for stale in [g for g in remote.named_graphs() if g not in keep and g.value.startswith(ours)]:
        remote.remove_graph(stale)
    remote.update(version_update())
    return BuildResult(len(files), len(files), quads, time.perf_counter() - started, report)


def _relative(path: Path, data_dir: Path) -> str:
    try:
        return str(Path(data_dir.name) / path.relative_to(data_dir))
    except ValueError:
        return str(path)
