"""The embedded store: Oxigraph (RocksDB on disk) through pyoxigraph, transactional, SPARQL 1.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox


class StoreMissing(FileNotFoundError):
    """No store at the configured path."""


class OxigraphStore:
    """A pyoxigraph store at ``path`` (None: in memory)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False):
        self.path = path
        if path is None:
            self._store = ox.Store()
        elif read_only:
            if not (path / "CURRENT").exists():
                raise StoreMissing(f"no store at {path}: run `spacegraph build` first")
            self._store = ox.Store.read_only(str(path))
        else:
            self._store = ox.Store(str(path))

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        wrong = [q for q in quads if q.graph_name != graph]
        if wrong:
            raise ValueError(f"quad {wrong[0]} is not in graph {graph}")
        # One SPARQL update runs as one transaction: readers see the old graph or the new one, never a mix.
        body = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        self._store.update(f"DROP SILENT GRAPH {graph} ; INSERT DATA {{ GRAPH {graph} {{ {body} }} }}")

    def load(self, quads: Iterable[ox.Quad]) -> None:
        self._store.bulk_extend(quads)

    def add(self, quad: ox.Quad) -> None:
        self._store.add(quad)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._store.remove_graph(graph)

    def query(self, sparql: str, *, union_default_graph: bool = True) -> Any:
        return self._store.query(sparql, use_default_graph_as_union=union_default_graph)

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        return self._store.named_graphs()

    def dump(self, output: IO[bytes], format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        self._store.dump(output, format=format)

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        """Close the database now (pyoxigraph closes it when the object is freed; a traceback can keep it alive)."""
        if hasattr(self, "_store"):
            del self._store

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def swap_in(new: Path, target: Path) -> None:
    """Replace the store directory ``target`` with ``new``; the old one is removed only once the new is in place."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)
