"""The projections of one data version (``spacegraph.store.open.data_version``: the published generation of the
embedded store, or the version marker of a SPARQL server), and the file they are kept in for that version.

Every commit gives the data a new version, so an ingest can never leave the projections stale; they are built
once per version, not per request: a process keeps them in memory in its library object
(``spacegraph.library.published``), and the next process reads them from the file. ``kept_for_version`` keeps other
values computed from a version the same way (the network view's catalogue), so that a new web worker reads them
rather than computes them (issue 17).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from spacegraph.analysis import projections as p
from spacegraph.analysis.tables import NETWORKS
from spacegraph.settings import Settings
from spacegraph.store.open import cache_dir, data_version
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import SparqlStore

FORMAT = 4  # of the file: 4 since an unknown first or last year is None, not 0
T = TypeVar("T")


@dataclass
class Projections:
    generation: str
    appearances: list[p.Appearance]
    topics: dict[str, list[str]]
    people: nx.Graph
    organisations: nx.Graph
    sides: nx.Graph
    person_event: nx.Graph
    person_topic: nx.Graph

    def network(self, name: str) -> nx.Graph:
        """The network called ``name`` (one of NETWORKS)."""
        if name not in NETWORKS:
            raise ValueError(f"unknown network {name!r}: use one of {', '.join(NETWORKS)}")
        return getattr(self, name.replace("-", "_"))


def build_projections(store: OxigraphStore, generation: str = "") -> Projections:
    appearances = p.read_appearances(store)
    topics = p.read_topics(store)
    people = p.co_appearance_graph(appearances)
    return Projections(
        generation,
        appearances,
        topics,
        people,
        p.organisation_graph(appearances),
        p.side_graph(people),
        p.person_event_graph(appearances),
        p.person_topic_graph(appearances, topics),
    )


def load_or_build_projections(settings: Settings, version: str, store: OxigraphStore | SparqlStore) -> Projections:
    """The projections of data ``version`` (``store`` holds it): from the file kept for that version, or built from
    ``store`` and the file written."""
    return kept_for_version(settings, version, "analysis", FORMAT, lambda: build_projections(store, version))


def kept_for_version(settings: Settings, version: str, name: str, form: Hashable, compute: Callable[[], T]) -> T:
    """A value computed from data ``version``, kept in the file ``VERSION.NAME.pickle`` beside it: read from the file
    when it holds a value of this ``form`` (a format number, changed with the value's shape), else ``compute()``-d
    and the file written (whole, under a name of this thread's own, then renamed), unless a commit came in
    meanwhile."""
    cached = cache_dir(settings) / f"{version}.{name}.pickle"
    if cached.exists():
        with cached.open("rb") as f, _no_collection():
            kept: tuple[Any, T] = pickle.load(f)  # written below, beside the store: not untrusted input
        if kept[0] == form:
            return kept[1]
    result = compute()
    if data_version(settings) != version:  # a commit came in while it was computed: keep it for nobody
        return result
    temporary = cached.with_name(f".{cached.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    with temporary.open("wb") as f:
        pickle.dump((form, result), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, cached)
    return result


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: unpickling millions of small objects, none of which is garbage,
    triggered it again and again (at 10^6 quads the file took 18.4 s to read with it, 5.6 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
