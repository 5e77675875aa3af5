"""The request's library object: the one way a route reaches the data (no ``current_app`` look-ups elsewhere)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from spacegraph.library import Spacegraph
from spacegraph.web.pages.reader import Reader

if TYPE_CHECKING:
    from spacegraph.web.sparql import QueryPool

LIBRARY, QUERY_POOL = "spacegraph", "sparql"  # their keys in app.extensions


def library() -> Spacegraph:
    """The app's ``Spacegraph``, built by create_app from its settings and shared by the worker's threads."""
    return current_app.extensions[LIBRARY]


def reader() -> Reader:
    """The pages' reader of the published data version: its store, its projections and its documents' texts, all
    of one version even when a commit publishes another during the request."""
    lib = library()
    published = lib.published()
    return Reader(published.store, lib.settings.base, lambda: published.projections, published.document_text)


def query_pool() -> QueryPool:
    """This worker's /sparql query runners (``spacegraph.web.sparql.QueryPool``)."""
    return current_app.extensions[QUERY_POOL]
