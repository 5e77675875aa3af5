"""Building the store from data/: read, load into a new store, validate, then swap it in, or change nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spacegraph.datafiles import data_files, read_data
from spacegraph.settings import Settings
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.validation import load_for_validation, validate_store
from spacegraph.validation.report import ValidationReport
from spacegraph.write import Writer


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


def build_store(
    settings: Settings, *, engine: str = "sparql", progress: Callable[[str], None] = lambda message: None
) -> BuildResult:
    """(Re)build the published store from data/ through the write path (the writer lock, recovery first): a new
    store (a new generation, or the SPARQL server's graphs) is published only if the data conforms."""
    started = time.perf_counter()
    with Writer(settings) as writer:
        files, quads, report = writer.rebuild(lambda store: _load_and_validate(settings, store, engine, progress),
                                              progress)  # fmt: skip
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


def _relative(path: Path, data_dir: Path) -> str:
    try:
        return str(Path(data_dir.name) / path.relative_to(data_dir))
    except ValueError:
        return str(path)
