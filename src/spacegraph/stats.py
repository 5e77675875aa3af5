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
PER_EDITION = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX sg: <https://w3id.org/spacegraph/ontology#>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
SELECT ?edition ?name ?date ?complete
       (COUNT(DISTINCT ?person) AS ?people) (COUNT(DISTINCT ?org) AS ?organisations)
       (COUNT(DISTINCT ?talk) AS ?talks) (COUNT(DISTINCT ?topic) AS ?topics)
WHERE {
  # FILTER EXISTS rather than a/rdfs:subClassOf*: Virtuoso 7.2 drops groups when the path meets the OPTIONALs
  ?edition a ?type FILTER EXISTS { ?type rdfs:subClassOf* sg:Edition }
  ?edition schema:name ?name ; sg:participantsComplete ?complete .
  OPTIONAL { ?edition schema:startDate ?date }
  OPTIONAL { ?r conf:during ?edition ; conf:isHeldBy ?person . ?person a <http://xmlns.com/foaf/0.1/Person> }
  OPTIONAL { ?a conf:during ?edition ; conf:withOrganisation ?org }
  OPTIONAL { ?talk conf:isSubEventOf ?edition }
  OPTIONAL { ?edition schema:about ?topic }
} GROUP BY ?edition ?name ?date ?complete ORDER BY ?date ?name
"""


def graph_stats(store: GraphStore) -> dict:
    per_class = [{"class": r["class"].value, "count": int(r["n"].value)} for r in store.query(PER_CLASS)]
    per_graph = [
        {"graph": r["g"].value, "quads": int(r["n"].value), "sources": r["from"].value.split() if r["from"] else []}
        for r in store.query(PER_GRAPH)
    ]
    per_edition = [
        {
            "edition": r["edition"].value,
            "name": r["name"].value,
            "date": r["date"].value if r["date"] else None,
            "participants_complete": r["complete"].value == "true",
            "people": int(r["people"].value),
            "organisations": int(r["organisations"].value),
            "talks": int(r["talks"].value),
            "topics": int(r["topics"].value),
        }
        for r in store.query(PER_EDITION)
    ]
    return {"quads": len(store), "classes": per_class, "graphs": per_graph, "editions": per_edition}
