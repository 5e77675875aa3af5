"""The names the graph knows (people, organisations, their aliases), indexed for entity resolution.

Reading every name from a million-triple store and preparing it for matching takes seconds, which one page's
ingest should not pay. The index is therefore kept beside each store generation (``var/store.gen-N.names.sqlite``):
computed the first time a generation is used, and carried forward by each commit, which re-reads only the
entities of the graph it replaced. Deleting the files loses nothing: they are computed again.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spacegraph.names.database import SCHEMA, add_records, organisation_records, person_records, remove_entities
from spacegraph.names.matching import Matcher
from spacegraph.settings import Settings
from spacegraph.store.oxigraph import VALUES_BLOCK, OxigraphStore
from spacegraph.vocab.sparql import PREFIX_HEADER, fill
from spacegraph.vocab.terms import SECTOR_BY_IRI

# What the graph knows. The graph of the page being (re)ingested, EXCLUDED, is about to be replaced: what only
# it says is left out (ONLY_THERE finds that, in the page's graph alone; the big queries stay on the union).
ORGANISATIONS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?iri ?name ?alias ?sector ?country WHERE {
  ?iri a org:Organization ; schema:name ?name .
  OPTIONAL { ?iri skos:altLabel ?alias } OPTIONAL { ?iri sg:sector ?sector }
  OPTIONAL { ?iri schema:addressCountry ?country }
}
"""
)
PEOPLE = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?iri ?name ?alias ?family ?given WHERE {
  ?iri a foaf:Person ; schema:name ?name .
  OPTIONAL { ?iri skos:altLabel ?alias } OPTIONAL { ?iri schema:familyName ?family }
  OPTIONAL { ?iri schema:givenName ?given }
}
"""
)
ONLY_THERE = """
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH %excluded% { ?s ?p ?o }
  FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER (?other != %excluded%) }
}
"""
SERIES = (
    PREFIX_HEADER
    + """
SELECT ?iri ?name ?alias WHERE {
  ?iri a conf:WorkshopSeries ; schema:name ?name .
  OPTIONAL { ?iri skos:altLabel ?alias }
}
"""
)
SECTOR_OF_TERM = {iri: sector.key for iri, sector in SECTOR_BY_IRI.items()}


def _rows(store: OxigraphStore, sparql: str) -> list[dict[str, Any]]:
    rows = []
    for solution in store.query(sparql):
        row = {}
        for variable in ("iri", "name", "alias", "sector", "country", "family", "given"):
            try:
                term = solution[variable]
            except KeyError:
                continue
            if term is not None:
                row[variable] = term.value
        if "sector" in row:
            row["sector"] = SECTOR_OF_TERM.get(row["sector"])
        rows.append(row)
    return rows


def _only_there(store: OxigraphStore, graph: str) -> tuple[set[str], set[tuple[str, str]]]:
    """What only ``graph`` states: the entities it alone types or names, and the aliases it alone gives."""
    only = {
        (r["s"].value, r["p"].value, r["o"].value)
        for r in store.query(fill(ONLY_THERE, excluded=ox.NamedNode(graph)))
        if not isinstance(r["s"], ox.BlankNode)
    }
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    gone = {s for s, p, _ in only if p in (rdf_type, "https://schema.org/name")}
    aliases = {(s, o) for s, p, o in only if p == "http://www.w3.org/2004/02/skos/core#altLabel"}
    return gone, aliases


def _entity_rows(store: OxigraphStore, sparql: str, iris: set[str] | None) -> list[dict[str, Any]]:
    if iris is None:
        return _rows(store, sparql)
    ordered, rows = sorted(iris), []
    for start in range(0, len(ordered), VALUES_BLOCK):  # more at once is quadratic (spacegraph.store.oxigraph)
        some = sparql.replace("WHERE {", "WHERE { VALUES ?iri { %iris% }", 1)
        rows += _rows(store, fill(some, iris=[ox.NamedNode(iri) for iri in ordered[start : start + VALUES_BLOCK]]))
    return rows


class NameIndex:
    """The names of a store generation in an SQLite database (a file beside the generation, or in memory)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    @classmethod
    def from_rows(
        cls, organisation_rows: list[dict[str, Any]], person_rows: list[dict[str, Any]], path: Path | None = None
    ) -> NameIndex:
        db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        db.executescript(SCHEMA)
        add_records(db, "organisation", organisation_records(organisation_rows))
        add_records(db, "person", person_records(person_rows))
        db.commit()
        return cls(db)

    def matchers(self, store: OxigraphStore, graph: str, rejected: set[tuple[str, str]]) -> tuple[Matcher, Matcher]:
        """Matchers for everything but what only ``graph`` says."""
        gone, aliases = _only_there(store, graph)
        return (
            Matcher("organisation", self.db, rejected, gone, aliases),
            Matcher("person", self.db, rejected, gone, aliases),
        )

    def refreshed(self, store: OxigraphStore, iris: set[str], path: Path) -> NameIndex:
        """A copy at ``path`` of this index, with the entities ``iris`` read again from ``store``."""
        path.unlink(missing_ok=True)
        copy = sqlite3.connect(str(path), check_same_thread=False)
        self.db.backup(copy)
        remove_entities(copy, iris)
        add_records(copy, "organisation", organisation_records(_entity_rows(store, ORGANISATIONS, iris)))
        add_records(copy, "person", person_records(_entity_rows(store, PEOPLE, iris)))
        copy.commit()
        return NameIndex(copy)


def compute_index(store: OxigraphStore, path: Path | None = None) -> NameIndex:
    """Every name ``store`` knows, indexed at ``path`` (or in memory)."""
    if path is not None:  # written beside, then renamed over: a reader never sees half an index
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        temporary.unlink(missing_ok=True)
        NameIndex.from_rows(_rows(store, ORGANISATIONS), _rows(store, PEOPLE), temporary).db.close()
        os.replace(temporary, path)
        return NameIndex(sqlite3.connect(str(path), check_same_thread=False))
    return NameIndex.from_rows(_rows(store, ORGANISATIONS), _rows(store, PEOPLE))


def index_file(generation: Path) -> Path:
    return generation.with_name(f"{generation.name}.names.sqlite")


def index_path(settings: Settings) -> Path | None:
    """Where the index of the current data version is kept: beside the published generation, or in the local
    directory of a SPARQL server's store; None when there is no data yet."""
    from spacegraph.store.open import version_file

    return version_file(settings, ".names.sqlite")  # for a generation, the same file as index_file's


def load_index(settings: Settings) -> NameIndex | None:
    """The index kept for the current data version, or None."""
    path = index_path(settings)
    if path is None or not path.exists():
        return None
    return NameIndex(sqlite3.connect(str(path), check_same_thread=False))


def series_of(store: OxigraphStore) -> list[tuple[str, str, list[str]]]:
    series: dict[str, tuple[str, list[str]]] = {}
    for row in _rows(store, SERIES):
        entry = series.setdefault(row["iri"], (row["name"], []))
        if row.get("alias"):
            entry[1].append(row["alias"])
    return [(iri, name, aliases) for iri, (name, aliases) in sorted(series.items())]
