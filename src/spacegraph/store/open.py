"""Opening the store the settings name: the published generation of the embedded Oxigraph store, or the SPARQL
server at ``store_url``; and the version of the data in it, which keys every cache (projections, name index).

The embedded store's version is its published generation. A SPARQL server has no generations: spacegraph writes
a version marker into a graph of its own (``VERSION_GRAPH``) with every change it makes, in the same request
where it can, and reads it back; a change made by another program than spacegraph does not move it (run
``spacegraph build`` or write the marker).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pyoxigraph as ox

from spacegraph.settings import Settings
from spacegraph.store.oxigraph import OxigraphStore, StoreMissing, generation_of
from spacegraph.store.sparql import SparqlStore

VERSION_GRAPH = ox.NamedNode("urn:spacegraph:data-version")
VERSION = ox.NamedNode("urn:spacegraph:data-version#version")


def sparql_store(settings: Settings) -> SparqlStore:
    return SparqlStore(settings.store_url, settings.store_update or None, settings.store_graph_store or None,
                       settings.store_user or None, settings.store_password or None)  # fmt: skip


def remote_store(settings: Settings) -> SparqlStore | None:
    """The SPARQL server the store is on, or None for the embedded store."""
    return sparql_store(settings) if settings.remote else None


def open_store(settings: Settings) -> OxigraphStore | SparqlStore:
    """The published data, to read: the embedded store's published generation, or the SPARQL server."""
    if settings.remote:
        return sparql_store(settings)
    generation = generation_of(settings.store)
    if generation is None:
        raise StoreMissing(f"no store at {settings.store}: run `spacegraph build` first")
    return OxigraphStore(generation, read_only=True)


def data_version(settings: Settings) -> str:
    """The version of the published data: the generation's name, or the SPARQL server's version marker."""
    if not settings.remote:
        generation = generation_of(settings.store)
        if generation is None:
            raise StoreMissing(f"no store at {settings.store}: run `spacegraph build` first")
        return generation.name
    version = remote_version(sparql_store(settings))
    if version is None:
        raise StoreMissing(f"the SPARQL server at {settings.store_url} holds no spacegraph data: run "
                           f"`spacegraph --store {settings.store_url} build` first")  # fmt: skip
    return "remote-" + version


def remote_version(store: SparqlStore) -> str | None:
    rows = list(store.query(f"SELECT ?v WHERE {{ GRAPH {VERSION_GRAPH} {{ {VERSION} ?p ?v }} }}"))
    return rows[0]["v"].value if rows else None


def new_version() -> str:
    return uuid.uuid4().hex


def version_update(version: str | None = None) -> str:
    """The SPARQL Update that gives the SPARQL server's data a new version (appended to a write's request)."""
    marker = ox.Literal(version or new_version())
    return f"DROP SILENT GRAPH {VERSION_GRAPH} ;\nINSERT DATA {{ GRAPH {VERSION_GRAPH} {{ {VERSION} {VERSION} {marker} }} }}"


def cache_dir(settings: Settings) -> Path:
    """Where caches of the current version are kept: beside the generations, or in the remote's local directory."""
    directory = settings.store.parent if not settings.remote else settings.store
    directory.mkdir(parents=True, exist_ok=True)
    return directory


class FixedStore:
    """The web app's view of a SPARQL server's store: always the same (``PublishedStore`` for the embedded one)."""

    def __init__(self, store: SparqlStore):
        self._store = store

    def current(self) -> SparqlStore:
        return self._store
