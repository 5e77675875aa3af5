"""The names the graph knows (people, organisations, their aliases), indexed for entity resolution.

Reading every name from a million-triple store and preparing it for matching takes seconds, which one page's
ingest should not pay. The index is therefore kept beside each store generation (``var/store.gen-N.names``):
computed the first time a generation is used, and carried forward by each commit, which re-reads only the
entities of the graph it replaced. Deleting the files loses nothing: they are computed again.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spacegraph.ingest.matching import Matcher, organisation_records, person_records
from spacegraph.ingest.to_rdf import SECTOR_TERMS
from spacegraph.store.oxigraph import OxigraphStore, generation_of

FORMAT = 3  # bump when what is pickled changes

# What the graph knows. The graph of the page being (re)ingested, EXCLUDED, is about to be replaced: what only
# it says is left out (ONLY_THERE finds that, in the page's graph alone; the big queries stay on the union).
ORGANISATIONS = """
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sg: <https://w3id.org/spacegraph/ontology#>
SELECT DISTINCT ?iri ?name ?alias ?sector ?country WHERE {
  ?iri a <http://www.w3.org/ns/org#Organization> ; schema:name ?name .
  OPTIONAL { ?iri skos:altLabel ?alias } OPTIONAL { ?iri sg:sector ?sector }
  OPTIONAL { ?iri schema:addressCountry ?country }
}
"""
PEOPLE = """
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?iri ?name ?alias ?family ?given WHERE {
  ?iri a <http://xmlns.com/foaf/0.1/Person> ; schema:name ?name .
  OPTIONAL { ?iri skos:altLabel ?alias } OPTIONAL { ?iri schema:familyName ?family }
  OPTIONAL { ?iri schema:givenName ?given }
}
"""
ONLY_THERE = """
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH EXCLUDED { ?s ?p ?o }
  FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER (?other != EXCLUDED) }
}
"""
SERIES = """
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?iri ?name ?alias WHERE {
  ?iri a <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#WorkshopSeries> ; schema:name ?name .
  OPTIONAL { ?iri skos:altLabel ?alias }
}
"""
SECTOR_OF_TERM = {str(term): name for name, term in SECTOR_TERMS.items()}


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
        for r in store.query(ONLY_THERE.replace("EXCLUDED", f"<{graph}>"))
        if not isinstance(r["s"], ox.BlankNode)
    }
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    gone = {s for s, p, _ in only if p in (rdf_type, "https://schema.org/name")}
    aliases = {(s, o) for s, p, o in only if p == "http://www.w3.org/2004/02/skos/core#altLabel"}
    return gone, aliases


def _entity_rows(store: OxigraphStore, sparql: str, iris: set[str] | None) -> list[dict[str, Any]]:
    if iris is not None:
        values = " ".join(f"<{iri}>" for iri in sorted(iris))
        sparql = sparql.replace("WHERE {", f"WHERE {{ VALUES ?iri {{ {values} }}", 1)
    return _rows(store, sparql)


@dataclass
class NameIndex:
    organisations: Matcher
    people: Matcher

    @classmethod
    def from_rows(cls, organisation_rows: list[dict[str, Any]], person_rows: list[dict[str, Any]]) -> NameIndex:
        return cls(
            Matcher("organisation", organisation_records(organisation_rows)),
            Matcher("person", person_records(person_rows)),
        )

    def without(self, store: OxigraphStore, graph: str) -> tuple[Matcher, Matcher]:
        """Matchers for everything but what only ``graph`` says (usually nothing: then these ones)."""
        gone, aliases = _only_there(store, graph)
        if not gone and not aliases:
            return self.organisations, self.people
        matchers = []
        for matcher in (self.organisations, self.people):
            touched = {
                _iri(r) for r in matcher.records if _iri(r) in gone or any((_iri(r), a) in aliases for a in r.aliases)
            }
            kept = [
                dataclasses.replace(r, aliases=tuple(a for a in r.aliases if (_iri(r), a) not in aliases))
                for r in matcher.records
                if _iri(r) in touched and _iri(r) not in gone
            ]
            matchers.append(matcher.replaced(touched, kept))
        return matchers[0], matchers[1]

    def refreshed(self, store: OxigraphStore, iris: set[str]) -> NameIndex:
        """The index after a commit: the entities ``iris`` read again from ``store``, the rest kept."""
        if not iris:
            return self
        return NameIndex(
            self.organisations.replaced(iris, organisation_records(_entity_rows(store, ORGANISATIONS, iris))),
            self.people.replaced(iris, person_records(_entity_rows(store, PEOPLE, iris))),
        )


def _iri(record: Any) -> str:
    return str(record.iri)


def compute_index(store: OxigraphStore) -> NameIndex:
    return NameIndex.from_rows(_rows(store, ORGANISATIONS), _rows(store, PEOPLE))


def index_file(generation: Path) -> Path:
    return generation.with_name(f"{generation.name}.names")


def load_index(store_path: Path) -> NameIndex | None:
    """The index kept for the published generation, or None."""
    generation = generation_of(store_path)
    if generation is None or not index_file(generation).exists():
        return None
    with index_file(generation).open("rb") as f:
        version, index = pickle.load(f)  # written by save_index only, beside the store: not untrusted input
    return index if version == FORMAT else None


def save_index(index: NameIndex, generation: Path) -> None:
    target = index_file(generation)
    temporary = target.with_name(f".{target.name}.tmp")
    with temporary.open("wb") as f:
        pickle.dump((FORMAT, index), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)


def series_of(store: OxigraphStore) -> list[tuple[str, str, list[str]]]:
    series: dict[str, tuple[str, list[str]]] = {}
    for row in _rows(store, SERIES):
        entry = series.setdefault(row["iri"], (row["name"], []))
        if row.get("alias"):
            entry[1].append(row["alias"])
    return [(iri, name, aliases) for iri, (name, aliases) in sorted(series.items())]
