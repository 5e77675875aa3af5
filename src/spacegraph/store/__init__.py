"""The store: where the graph lives while the app runs. data/ is the truth; the store is an index of it.

Callers see one small interface, ``GraphStore``; the embedded Oxigraph store is the default, and a remote
SPARQL 1.1 server can take its place without touching them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any, Protocol

import pyoxigraph as ox


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
