"""Projections cached per data version: per published store generation, in memory and in a file beside it.

A commit publishes a new generation, so an ingest can never leave the projections stale; they are built once per
generation, not per request.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from spacegraph.analysis import projections as p
from spacegraph.store.oxigraph import OxigraphStore, StoreMissing, generation_of

FORMAT = 1


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


def projections_for(store_path: Path) -> Projections:
    """The projections of the published generation: from memory, from the file beside it, or built now."""
    generation = generation_of(store_path)
    if generation is None:
        raise StoreMissing(f"no store at {store_path}: run `spacegraph build` first")
    key = str(generation)
    if key in _MEMORY:
        return _MEMORY[key]
    cached = generation.with_name(f"{generation.name}.analysis.pickle")
    result = None
    if cached.exists():
        with cached.open("rb") as f:
            version, result = pickle.load(f)  # written below, beside the store: not untrusted input
        result = result if version == FORMAT else None
    if result is None:
        with OxigraphStore(generation, read_only=True) as store:
            result = build_projections(store, generation.name)
        temporary = cached.with_name(f".{cached.name}.tmp-{os.getpid()}")
        with temporary.open("wb") as f:
            pickle.dump((FORMAT, result), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cached)
    _MEMORY.clear()  # one generation at a time: the published one
    _MEMORY[key] = result
    return result
