"""What the graph holds: counts per class, per source graph and per edition."""

from __future__ import annotations

from spacegraph.store import GraphStore
from spacegraph.store.sparql import not_system_graph

ONTOLOGY = "<https://w3id.org/spacegraph/ontology>"
OURS = not_system_graph("?g")  # on a SPARQL server, not the graphs it keeps for itself
PER_CLASS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?class }} FILTER (?g != {ONTOLOGY}) {OURS} }}
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PER_GRAPH = """
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?n (GROUP_CONCAT(STR(?source); separator=" ") AS ?from) WHERE {
  { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } OURS } GROUP BY ?g }
  OPTIONAL { GRAPH ?g { ?g prov:wasDerivedFrom ?source } }
} GROUP BY ?g ?n ORDER BY ?g
""".replace("OURS", OURS)
PREFIXES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX sg: <https://w3id.org/spacegraph/ontology#>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
EDITIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?edition ?name ?date ?complete WHERE {
  # FILTER EXISTS rather than a/rdfs:subClassOf*: Virtuoso 7.2 drops groups when the path meets the OPTIONALs
  ?edition a ?type FILTER EXISTS { ?type rdfs:subClassOf* sg:Edition }
  ?edition schema:name ?name ; sg:participantsComplete ?complete .
  OPTIONAL { ?edition schema:startDate ?date }
} ORDER BY ?date ?name
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
    query = f"{PREFIXES}SELECT ?edition (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }} GROUP BY ?edition"
    return {r["edition"].value: int(r["n"].value) for r in store.query(query)}


def graph_stats(store: GraphStore) -> dict:
    per_class = [{"class": r["class"].value, "count": int(r["n"].value)} for r in store.query(PER_CLASS)]
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
