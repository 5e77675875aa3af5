"""Opening the store the settings name: the published generation of the embedded Oxigraph store, or the SPARQL
server at ``store_url``; its writer; and the version of the data in it, which keys every cache (projections,
name index). The only place that asks which kind of store the settings name.
"""

from __future__ import annotations

from pathlib import Path

from spacegraph.settings import Settings
from spacegraph.store import StoreWriter
from spacegraph.store.oxigraph import OxigraphStore, StoreMissing, generation_of
from spacegraph.store.sparql import SparqlStore
from spacegraph.store.versions import remote_version
from spacegraph.store.writers import GenerationWriter, ServerWriter


def sparql_store(settings: Settings) -> SparqlStore:
    return SparqlStore(settings.store_url, settings.store_update or None, settings.store_graph_store or None,
                       settings.store_user or None, settings.store_password or None)  # fmt: skip


def sparql_server(settings: Settings) -> SparqlStore | None:
    """The SPARQL server the data is on, or None for the embedded store."""
    return sparql_store(settings) if settings.remote else None


def open_store(settings: Settings) -> OxigraphStore | SparqlStore:
    """The published data, to read: the embedded store's published generation, or the SPARQL server."""
    if settings.remote:
        return sparql_store(settings)
    generation = generation_of(settings.store)
    if generation is None:
        raise StoreMissing(f"no store at {settings.store}: run `spacegraph build` first")
    return OxigraphStore(generation, read_only=True)


def store_writer(settings: Settings) -> StoreWriter:
    """How changes reach the store (``spacegraph.store.writers``); call it under ``writer_lock(settings.store)``."""
    if settings.remote:
        return ServerWriter(sparql_store(settings), settings.base + "graph/", settings.store_url)
    return GenerationWriter(settings.store)


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


def cache_dir(settings: Settings) -> Path:
    """Where caches of the current version are kept: beside the generations, or in the remote's local directory."""
    directory = settings.store.parent if not settings.remote else settings.store
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def version_file(settings: Settings, suffix: str) -> Path | None:
    """The file of a cache of the current data version (e.g. suffix ``.names.sqlite``), beside the published
    generation or in the local directory of a SPARQL server's store; None when there is no data yet."""
    try:
        return cache_dir(settings) / f"{data_version(settings)}{suffix}"
    except StoreMissing:
        return None
