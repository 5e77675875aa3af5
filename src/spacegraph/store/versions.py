"""The version of the data on a SPARQL server: a marker in a graph of spacegraph's own (``VERSION_GRAPH``).

The embedded store's version is its published generation. A SPARQL server has no generations: spacegraph writes
this marker with every change it makes, in the same request where it can, and reads it back; a change made by
another program than spacegraph does not move it (run ``spacegraph build`` or write the marker).
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox

from spacegraph.store.sparql import SparqlStore

VERSION_GRAPH = ox.NamedNode("urn:spacegraph:data-version")
VERSION = ox.NamedNode("urn:spacegraph:data-version#version")


def remote_version(store: SparqlStore) -> str | None:
    rows = list(store.query(f"SELECT ?v WHERE {{ GRAPH {VERSION_GRAPH} {{ {VERSION} ?p ?v }} }}"))
    return rows[0]["v"].value if rows else None


def new_version() -> str:
    return uuid.uuid4().hex


def version_update(version: str | None = None) -> str:
    """The SPARQL Update that gives the SPARQL server's data a new version (appended to a write's request)."""
    marker = ox.Literal(version or new_version())
    return f"DROP SILENT GRAPH {VERSION_GRAPH} ;\nINSERT DATA {{ GRAPH {VERSION_GRAPH} {{ {VERSION} {VERSION} {marker} }} }}"
