"""The store: where the graph lives while the app runs. data/ is the truth; the store is an index of it.

Callers see two small interfaces, ``GraphStore`` to read and ``StoreWriter`` to change it; the embedded Oxigraph store is the default, and a remote
SPARQL 1.1 server can take its place without touching them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

import pyoxigraph as ox

T = TypeVar("T")


class GraphStore(Protocol):
    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Make ``graph`` hold exactly ``quads`` (whose graph name must be ``graph``), in one step."""

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in bulk (building a new store)."""

    def query(self, sparql: str, *, union_default_graph: bool = True) -> Any:
        """Run a read-only SPARQL query: solutions, a boolean, or triples."""

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    def dump(self, output: IO[bytes], format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None: ...

    def __len__(self) -> int: ...


class StoreWriter(Protocol):
    """How a change reaches the store, whichever kind it is (``spacegraph.store.writers``; the steps of a commit
    are in ``spacegraph.write.journal``). Used under the writer lock."""

    def prepare(self, graph: ox.NamedNode, quads: list[ox.Quad], on_new_version: Any) -> dict[str, Any]:
        """Make the graph's new content ready, unseen by readers; returns what the journal records to settle it."""

    def publish(self, graph: ox.NamedNode, quads: list[ox.Quad], journal: dict[str, Any]) -> list[Path]:
        """The commit point; returns the directories whose entries changed (to fsync)."""

    def was_published(self, journal: dict[str, Any], journal_path: Path) -> bool:
        """After a crash: whether the journal's commit reached its commit point."""

    def undo(self, graph: ox.NamedNode, journal: dict[str, Any], restored: list[Path]) -> None:
        """After a crash before the commit point: put the store back as the restored files say."""

    def remove_unpublished(self) -> None:
        """Remove what writers that died before their journal was complete had prepared."""

    def rebuild(self, fill: Callable[[Any], T], progress: Callable[[str], None]) -> T:
        """Replace everything with what ``fill`` loads (and validates) into a new store; ``fill`` raises to
        change nothing."""
        ...
