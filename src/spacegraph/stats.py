"""What the graph holds: counts per class, per source graph and per edition."""

from __future__ import annotations

from spacegraph.store import GraphStore
from spacegraph.store.sparql import not_system_graph
from spacegraph.vocab import ONTOLOGY
from spacegraph.vocab.sparql import PREFIX_HEADER, edition_pattern, fill

OURS = not_system_graph("?g")  # on a SPARQL server, not the graphs it keeps for itself
PER_CLASS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?class }} FILTER (?g != %ontology%) {OURS} }}
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PER_GRAPH = (
    PREFIX_HEADER
    + f"""
SELECT ?g ?n (GROUP_CONCAT(STR(?source); separator=" ") AS ?from) WHERE {{
  {{ SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }} GROUP BY ?g }}
  OPTIONAL {{ GRAPH ?g {{ ?g prov:wasDerivedFrom ?source }} }}
}} GROUP BY ?g ?n ORDER BY ?g
"""
)
EDITIONS = (
    PREFIX_HEADER
    + f"""
SELECT DISTINCT ?edition ?name ?date ?complete WHERE {{
  {edition_pattern("?edition")}
  ?edition schema:name ?name ; sg:participantsComplete ?complete .
  OPTIONAL {{ ?edition schema:startDate ?date }}
}} ORDER BY ?date ?name
"""
)
# One query per dimension, each counting on its own: in one query the four OPTIONALs multiplied each other before
# COUNT(DISTINCT …) (people x organisations x talks x topics rows per edition: minutes for one edition of 300
# speakers); apart, each costs what its own pattern matches.
PER_EDITION = {
    "people": "?r conf:during ?edition ; conf:isHeldBy ?x . ?x a foaf:Person",
    "organisations": "?a conf:during ?edition ; conf:withOrganisation ?x",
    "talks": "?x conf:isSubEventOf ?edition",
    "topics": "?edition schema:about ?x",
}


def _per_edition(store: GraphStore, pattern: str) -> dict[str, int]:
    query = f"{PREFIX_HEADER}SELECT ?edition (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }} GROUP BY ?edition"
    return {r["edition"].value: int(r["n"].value) for r in store.query(query)}


def graph_stats(store: GraphStore) -> dict:
    per_class = [
        {"class": r["class"].value, "count": int(r["n"].value)} for r in store.query(fill(PER_CLASS, ontology=ONTOLOGY))
    ]
    per_graph = [
        {"graph": r["g"].value, "quads": int(r["n"].value), "sources": r["from"].value.split() if r["from"] else []}
        for r in store.query(PER_GRAPH)
    ]
    counts = {dimension: _per_edition(store, pattern) for dimension, pattern in PER_EDITION.items()}
    per_edition = [
        {
            "edition": r["edition"].value,
            "name": r["name"].value,
            "date": r["date"].value if r["date"] else None,
            "participants_complete": r["complete"].value == "true",
            **{dimension: counted.get(r["edition"].value, 0) for dimension, counted in counts.items()},
        }
        for r in store.query(EDITIONS)
    ]
    return {"quads": len(store), "classes": per_class, "graphs": per_graph, "editions": per_edition}
