"""The embedded store: Oxigraph (RocksDB on disk) through pyoxigraph, transactional, SPARQL 1.1."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

# Oxigraph 0.5 joins a VALUES block of 1,024 rows or more with the pattern beside it by scanning that pattern, and
# below that looks each row up: one query restricted to a page's 40,000 nodes made validation quadratic (135 s for
# 10,000 speakers). A query about many nodes names them VALUES_BLOCK at a time.
VALUES_BLOCK = 1000


class StoreMissing(FileNotFoundError):
    """No store at the configured path."""


class OxigraphStore:
    """A pyoxigraph store at ``path`` (None: in memory)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False):
        self.path = path
        if path is None:
            self._store = ox.Store()
        elif read_only:
            if generation_of(path) is None:
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

    def quads(self, subject=None, predicate=None, object=None, graph=None) -> Iterator[ox.Quad]:  # noqa: A002
        """The quads matching a pattern; ``None`` matches anything."""
        return self._store.quads_for_pattern(subject, predicate, object, graph)

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


# Published generations. A store path (var/store) is a symbolic link to one generation directory beside it
# (var/store.gen-…). A published generation is never written again: a writer clones it (a RocksDB checkpoint:
# hard links, milliseconds at any size), changes the clone, and publishes the clone by replacing the link in
# one rename. Readers (the web app's workers) open the generation the link names, read-only, and reopen when it
# changes. So a reader never shares a database with a writer, which pyoxigraph does not support, and a crash
# before the rename leaves the published store as it was.

KEEP_GENERATIONS = 3  # the current one and the two before it, for readers that opened them a moment ago


def generation_of(path: Path) -> Path | None:
    """The generation directory the store path names (a plain directory is its own), or None. Every /sparql query
    asks (twice in the web worker, once in the query process): one system call when it is a link."""
    try:
        return _beside(path, os.readlink(path))
    except OSError as error:
        if error.errno != errno.EINVAL:  # nothing there
            return None
    return path if (path / "CURRENT").exists() else None  # not a link


@lru_cache(maxsize=64)
def _beside(path: Path, name: str) -> Path:
    return path.parent / name


def new_generation(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f"{path.name}.gen-{time.time_ns()}")


def clone_generation(path: Path) -> Path:
    """A private, writable copy of the published generation."""
    current = generation_of(path)
    if current is None:
        raise StoreMissing(f"no store at {path}: run `spacegraph build` first")
    target = new_generation(path)
    ox.Store.read_only(str(current)).backup(str(target))
    return target


def publish(path: Path, generation: Path) -> None:
    """Make ``path`` name ``generation``, atomically, then remove generations older than KEEP_GENERATIONS."""
    if path.exists() and not path.is_symlink():  # a store built before generations: keep it as one
        os.replace(path, new_generation(path))
    link = path.with_name(f".{path.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    os.symlink(generation.name, link)
    os.replace(link, path)
    generations = sorted((g for g in path.parent.glob(f"{path.name}.gen-*") if g.is_dir()), key=_number)
    for old in generations[:-KEEP_GENERATIONS]:
        if old != generation:
            discard(old)


def discard(generation: Path) -> None:
    """Remove a generation, and what is kept beside it (``generation.*``, e.g. its name index)."""
    shutil.rmtree(generation, ignore_errors=True)
    for companion in generation.parent.glob(f"{generation.name}.*"):
        companion.unlink(missing_ok=True)


def _number(generation: Path) -> int:
    return int(generation.name.rsplit("-", 1)[1])


def discard_unpublished(path: Path) -> None:
    """Remove generations newer than the published one: clones of writers that died (call under writer_lock)."""
    for link in path.parent.glob(f".{path.name}.link-*"):
        link.unlink(missing_ok=True)  # a link ``publish`` made but had not renamed over the store path yet
    current = generation_of(path)
    if current is None or not current.name.startswith(f"{path.name}.gen-"):
        return
    for generation in path.parent.glob(f"{path.name}.gen-*"):
        if generation.is_dir() and _number(generation) > _number(current):
            discard(generation)


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """One writer at a time per store (an advisory lock on a file beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
