"""The one write path: a named graph, its data files and who made the change -> validated -> committed.

``Writer`` is a writing session: it takes the writer lock and recovers an interrupted commit once, then checks
graphs (SHACL with the graph's own nodes as focus, against the published data) and commits them through the
journal, each serialised once. ``write_graph`` is all of it in one call. Build, ingest, review and plan write
through it, and nothing else writes data/ or the store (but ``import-series``, which writes data/ only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import pyoxigraph as ox

from spacegraph.datafiles import trig_text
from spacegraph.iris import Minter
from spacegraph.settings import Settings
from spacegraph.store.open import open_store, store_writer
from spacegraph.store.oxigraph import OxigraphStore, writer_lock
from spacegraph.store.sparql import SparqlStore
from spacegraph.store.writers import OnNewVersion
from spacegraph.validation import validate_in_context
from spacegraph.validation.report import ValidationReport
from spacegraph.vocab import PROV, RDF, RDFS
from spacegraph.write import history
from spacegraph.write.journal import FileChange, commit_graph, recover

T = TypeVar("T")


@dataclass(frozen=True)
class Agent:
    """Who made a change: a program (``prov:SoftwareAgent``) or a person or organisation who curates by hand
    (``prov:Person``, ``prov:Organization``). Recorded in the journal and, as ``prov:wasAttributedTo``, in the
    graph it changed."""

    iri: str
    label: str
    kind: str = str(PROV.SoftwareAgent)

    @classmethod
    def program(cls, name: str, settings: Settings) -> Agent:
        """A command of spacegraph, e.g. ``Agent.program("spacegraph review", settings)``."""
        return cls(str(Minter(settings.base).agent(name)), name)


@dataclass
class GraphChange:
    """A named graph's whole new content (no quads: the graph is removed), the data file that holds it (None:
    the graph has no file of its own to write), the other files that change with it, and who made the change."""

    graph: ox.NamedNode
    quads: list[ox.Quad]
    file: Path | None
    by: Agent
    also: list[FileChange] = field(default_factory=list)
    note: str = ""  # what the change was, for its history record (spacegraph.write.history)
    undoes: str | None = None  # the history record this change undoes


class WriteRejected(ValueError):
    """The graph does not conform to the shapes; nothing was written."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(f"the graph does not conform to the shapes, nothing was written:\n{report.render()}")


def attributed(change: GraphChange) -> list[ox.Quad]:
    """The change's quads with the graph attributed to its agent (``prov:wasAttributedTo``, the agent's type and
    label), unless it already is, or the graph is removed, or has no file (it is not changed, only committed
    with other files: the journal records who made the change)."""
    graph, quads = change.graph, change.quads
    agent = ox.NamedNode(change.by.iri)
    said = ox.Quad(graph, _ATTRIBUTED, agent, graph)
    if not quads or change.file is None or said in set(quads):
        return quads
    return [*quads, said, ox.Quad(agent, _TYPE, ox.NamedNode(change.by.kind), graph),
            ox.Quad(agent, _LABEL, ox.Literal(change.by.label), graph)]  # fmt: skip


_ATTRIBUTED = ox.NamedNode(str(PROV.wasAttributedTo))
_TYPE = ox.NamedNode(str(RDF.type))
_LABEL = ox.NamedNode(str(RDFS.label))


class Writer:
    """A writing session on the data and store of ``settings``: ``with Writer(settings) as writer: …``.

    Entering takes the writer lock (one writer at a time) and settles a commit a crash interrupted
    (``recovered`` says what was done); ``store`` is the published data, to read and to check against."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.recovered: str | None = None
        self._writer = store_writer(settings)
        self._lock = writer_lock(settings.store)
        self._store: OxigraphStore | SparqlStore | None = None
        self._unsettled = False

    def __enter__(self) -> Writer:
        self._lock.__enter__()
        try:
            self.recovered = recover(self.settings.data, self._writer)
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._close_store()
        self._lock.__exit__(kind, error, tb)

    @property
    def store(self) -> OxigraphStore | SparqlStore:
        """The published data (StoreMissing when there is none), reopened after each commit."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def check(self, change: GraphChange) -> ValidationReport:
        """Validate the change's graph (as it will be committed) in the context of the published data, with its
        own nodes as focus."""
        quads = attributed(change)
        label = str(change.file) if change.file is not None else change.graph.value
        return validate_in_context(self.store, quads, change.graph, label, self.settings.shapes_path)

    def commit(self, change: GraphChange, on_new_version: OnNewVersion | None = None) -> None:
        """Commit the change through the journal: its graph's file serialised once from its quads, the other
        files as given, and the store's graph, all or nothing. ``on_new_version`` sees the new version's store
        before it is published (``spacegraph.store.writers``). Check first: this does not validate."""
        quads = attributed(change)
        files = list(change.also)
        if change.file is not None:
            files.insert(0, FileChange(change.file, trig_text(quads) if quads else None))
            files.append(history.record_for(self.settings.data, change, quads, files[0].content))  # who, when, what
        if self._unsettled:  # a commit of this session failed midway: settle it before the next
            self.recovered = recover(self.settings.data, self._writer)
        self._close_store()
        self._unsettled = True
        commit_graph(self.settings.data, self._writer, change.graph, quads, files, change.by.iri, on_new_version)
        self._unsettled = False

    def rebuild(self, fill: Callable[[OxigraphStore], T], progress: Callable[[str], None]) -> T:
        """Replace the whole store with what ``fill`` loads (and validates) into a new one; ``fill`` raises to
        change nothing."""
        self._close_store()
        return self._writer.rebuild(fill, progress)


def write_graph(
    settings: Settings,
    graph: ox.NamedNode,
    quads: list[ox.Quad],
    *,
    file: Path | None,
    by: Agent,
    also: list[FileChange] | None = None,
) -> ValidationReport:
    """The write path in one call: lock, recover, validate ``graph``'s new ``quads`` (WriteRejected when they do
    not conform), and commit them with their ``file`` (and ``also``), attributed to ``by``."""
    change = GraphChange(graph, quads, file, by, also or [])
    with Writer(settings) as writer:
        report = writer.check(change)
        if not report.conforms:
            raise WriteRejected(report)
        writer.commit(change)
    return report
