"""How a change reaches each kind of store: a new generation of the embedded store, or requests to a SPARQL server.

The journal (``spacegraph.write.journal``) and the build call the same five operations on either, so that no
caller asks which store it has:

* ``prepare``: make the graph's new content ready without showing it to readers (a clone of the published
  generation with the graph replaced; nothing on a server), and say what the journal must record to settle it;
* ``publish``: the commit point (the clone's publication; on a server, the request that replaces the graph and
  sets the data's version to the journal's);
* ``was_published``: after a crash, whether the journal's commit reached its commit point;
* ``undo``: after a crash before it, put the store back (remove the clone; on a server, write the graph back from
  the restored files, since a PUT may have reached it);
* ``rebuild``: replace everything from a store filled and validated by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from spacegraph.store.oxigraph import (
    OxigraphStore,
    clone_generation,
    discard,
    discard_unpublished,
    generation_of,
    new_generation,
    publish,
)
from spacegraph.store.sparql import SparqlStore
from spacegraph.store.versions import new_version, remote_version, version_update

T = TypeVar("T")
# Called with the new version's store before it is published, and the path its companion files start with, to
# keep beside it what goes with that version (the name index); a store that cannot leaves them to be rebuilt.
OnNewVersion = Callable[[OxigraphStore, Path], None]


class GenerationWriter:
    """Writes the embedded store: each change is a clone of the published generation, published by one rename."""

    def __init__(self, path: Path):
        self.path = path

    def prepare(self, graph: ox.NamedNode, quads: list[ox.Quad], on_new_version: OnNewVersion | None) -> dict[str, Any]:
        clone = clone_generation(self.path)
        with OxigraphStore(clone) as store:
            # The clone is private until it is published, so the graph need not change in one transaction: the
            # bulk loader takes a page of 10,000 speakers in about 2 s, one SPARQL update in about 20 s.
            store.remove_graph(graph)
            store.load(quads)
            store.flush()
            if on_new_version is not None:
                on_new_version(store, clone)
        return {"generation": clone.name}

    def publish(self, graph: ox.NamedNode, quads: list[ox.Quad], journal: dict[str, Any]) -> list[Path]:
        """Publish the prepared clone; returns the directories whose entries changed (to fsync)."""
        publish(self.path, self.path.with_name(journal["generation"]))
        return [self.path.parent]

    def was_published(self, journal: dict[str, Any], journal_path: Path) -> bool:
        if "generation" not in journal:
            raise RuntimeError(f"{journal_path} is a commit to a SPARQL server: run the command with that --store "
                               "to finish it")  # fmt: skip
        # The clone is published only after every new file is in place: published means committed.
        return generation_of(self.path) == self.path.with_name(journal["generation"])

    def undo(self, graph: ox.NamedNode, journal: dict[str, Any], restored: list[Path]) -> None:
        discard(self.path.with_name(journal["generation"]))

    def remove_unpublished(self) -> None:
        """Remove clones of writers that died before their journal was complete."""
        discard_unpublished(self.path)

    def rebuild(self, fill: Callable[[OxigraphStore], T], progress: Callable[[str], None]) -> T:
        """A new generation filled by ``fill`` (which raises to change nothing), then published."""
        building = new_generation(self.path)
        store = OxigraphStore(building)
        try:
            result = fill(store)
            store.flush()
            store.close()
            publish(self.path, building)
        except BaseException:
            store.close()
            discard(building)
            raise
        return result


class ServerWriter:
    """Writes a store on a SPARQL server: a change is one request (or a few), and a version marker says it landed.

    ``owned`` is the prefix of the graphs this project writes there: a rebuild removes only those of them that
    the new data no longer has, never another application's graphs."""

    def __init__(self, server: SparqlStore, owned: str, where: str):
        self.server, self.owned, self.where = server, owned, where

    def prepare(self, graph: ox.NamedNode, quads: list[ox.Quad], on_new_version: OnNewVersion | None) -> dict[str, Any]:
        return {"version": new_version()}  # the name index of the new version is built when first used

    def publish(self, graph: ox.NamedNode, quads: list[ox.Quad], journal: dict[str, Any]) -> list[Path]:
        self.server.replace_graph(graph, quads, then=version_update(journal["version"]))
        return []

    def was_published(self, journal: dict[str, Any], journal_path: Path) -> bool:
        if "version" not in journal:
            raise RuntimeError(f"{journal_path} is a commit to the embedded store: run the command with that "
                               "--store to finish it")  # fmt: skip
        return remote_version(self.server) == journal["version"]

    def undo(self, graph: ox.NamedNode, journal: dict[str, Any], restored: list[Path]) -> None:
        """Make the server's ``graph`` what the restored TriG files say (a PUT may have reached it), with a new
        version."""
        quads: list[ox.Quad] = []
        for target in restored:
            if target.suffix == ".trig" and target.exists():
                quads += [q for q in ox.parse(path=str(target), format=ox.RdfFormat.TRIG) if q.graph_name == graph]
        self.server.replace_graph(graph, quads, then=version_update())

    def remove_unpublished(self) -> None:
        """Nothing is prepared on the server before the commit point."""

    def rebuild(self, fill: Callable[[OxigraphStore], T], progress: Callable[[str], None]) -> T:
        """Fill and validate a scratch store here, then write it to the server graph by graph (each graph in one
        request), remove the project's graphs it no longer has, and give the server's data a new version."""
        scratch = OxigraphStore()
        result = fill(scratch)
        graphs = [g for g in scratch.named_graphs() if isinstance(g, ox.NamedNode)]
        progress(f"Writing {len(graphs)} named graphs to {self.where}, one request each")
        # A new version first, so that no cache of the old data outlives a build that stops halfway (the server
        # then holds old and new graphs side by side: run the build again); and again at the end.
        self.server.update(version_update())
        for graph in graphs:
            self.server.replace_graph(graph, scratch.quads(graph=graph))
        keep = set(graphs)
        for stale in [g for g in self.server.named_graphs() if g not in keep and g.value.startswith(self.owned)]:
            self.server.remove_graph(stale)
        self.server.update(version_update())
        return result
