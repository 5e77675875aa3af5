"""Projections cached per data version (``spacegraph.store.open.data_version``: the published generation of the
embedded store, or the version marker of a SPARQL server), in memory and in a file kept for that version.

Every commit gives the data a new version, so an ingest can never leave the projections stale; they are built
once per version, not per request.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx

from spacegraph.analysis import projections as p
from spacegraph.analysis.tables import NETWORKS
from spacegraph.settings import Settings
from spacegraph.store.open import cache_dir, data_version, open_store
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import SparqlStore

FORMAT = 2
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
    # Answers about the whole network (rankings, communities), computed once for this version: see ``remembered``
    answers: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)

    ANSWERS_KEPT = 64

    def network(self, name: str) -> nx.Graph:
        """The network called ``name`` (one of NETWORKS)."""
        if name not in NETWORKS:
            raise ValueError(f"unknown network {name!r}: use one of {', '.join(NETWORKS)}")
        return getattr(self, name.replace("-", "_"))

    def remembered(self, key: tuple, compute: Callable[[], T]) -> T:
        """``compute()``, once for this data version and ``key`` (the question and its parameters): a new version
        has new projections, so an answer kept here is never stale. The oldest of more than ANSWERS_KEPT go. The web
        worker's threads share it (two may compute the same answer at once; each gets one)."""
        with _ANSWERS_LOCK:
            if key in self.answers:
                return self.answers[key]
        answer = compute()
        with _ANSWERS_LOCK:
            if key not in self.answers and len(self.answers) >= self.ANSWERS_KEPT:
                self.answers.pop(next(iter(self.answers)), None)
            self.answers[key] = answer
        return answer


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


_MEMORY: dict[str, Projections] = {}
_BUILDING = threading.Lock()  # a web worker's threads: one builds (and writes the file), the others wait for it
_ANSWERS_LOCK = threading.Lock()


def projections_for(settings: Settings) -> Projections:
    """The projections of the current data version: from memory, from the file kept for that version, or built
    now."""
    version = data_version(settings)  # StoreMissing when there is no data yet
    key = f"{settings.store_url or settings.store}#{version}"
    found = _MEMORY.get(key)
    if found is not None:
        return found
    with _BUILDING:
        return _load_or_build(settings, version, key)


def _load_or_build(settings: Settings, version: str, key: str) -> Projections:
    found = _MEMORY.get(key)
    if found is not None:  # another thread built them meanwhile
        return found
    with open_store(settings) as store:
        result = load_or_build_projections(settings, version, store)
    _MEMORY.clear()  # one version at a time: the published one
    _MEMORY[key] = result
    return result


def load_or_build_projections(settings: Settings, version: str, store: OxigraphStore | SparqlStore) -> Projections:
    """The projections of data ``version`` (``store`` holds it): from the file kept for that version, or built from
    ``store`` and the file written (whole, under a name of this thread's own, then renamed)."""
    cached = cache_dir(settings) / f"{version}.analysis.pickle"
    if cached.exists():
        with cached.open("rb") as f:
            format_version, result = pickle.load(f)  # written below, beside the store: not untrusted input
        if format_version == FORMAT:
            return result
    result = build_projections(store, version)
    if data_version(settings) != version:  # a commit came in while they were built: keep them for nobody
        return result
    temporary = cached.with_name(f".{cached.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    with temporary.open("wb") as f:
        pickle.dump((FORMAT, result), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, cached)
    return result
