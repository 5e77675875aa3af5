"""The editions of the series, for the home page: dates, places, hosts, co-located events."""

from __future__ import annotations

from spacegraph.store.oxigraph import OxigraphStore

EDITIONS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX sg: <https://w3id.org/spacegraph/ontology#>
PREFIX conf: <https://w3id.org/scholarlydata/ontology/conference-ontology.owl#>
SELECT ?edition ?name ?kind ?start ?end ?city ?country ?seriesIri ?series ?coLocated ?complete
       (GROUP_CONCAT(DISTINCT ?hostName; separator="\\u001f") AS ?hosts)
WHERE {
  # FILTER EXISTS, not a pattern: Virtuoso 7.2 loses groups when a rdfs:subClassOf* pattern meets OPTIONALs
  ?edition a ?type FILTER EXISTS { ?type rdfs:subClassOf* sg:Edition }
  ?type rdfs:label ?kind FILTER (lang(?kind) = "en")
  ?edition schema:name ?name ; sg:participantsComplete ?complete .
  OPTIONAL { ?edition schema:startDate ?start }
  OPTIONAL { ?edition schema:endDate ?end }
  OPTIONAL { ?edition schema:location ?place . ?place schema:name ?city OPTIONAL { ?place schema:addressCountry ?country } }
  OPTIONAL { ?edition schema:superEvent ?seriesIri . ?seriesIri schema:name ?series }
  OPTIONAL { ?edition sg:coLocatedWith/schema:name ?coLocated }
  OPTIONAL { ?edition schema:organizer/schema:name ?hostName }
}
GROUP BY ?edition ?name ?kind ?start ?end ?city ?country ?seriesIri ?series ?coLocated ?complete
ORDER BY (!BOUND(?start)) ?start ?name
"""


def list_editions(store: OxigraphStore) -> list[dict]:
    def value(row, name):
        term = row[name]
        return term.value if term is not None else None

    editions = []
    for row in store.query(EDITIONS):
        hosts = value(row, "hosts")
        editions.append(
            {
                "iri": value(row, "edition"),
                "name": value(row, "name"),
                "kind": value(row, "kind"),
                "start_date": value(row, "start"),
                "end_date": value(row, "end"),
                "city": value(row, "city"),
                "country": value(row, "country"),
                "series": value(row, "series"),
                "series_iri": value(row, "seriesIri"),
                "co_located_with": value(row, "coLocated"),
                "participants_complete": value(row, "complete") == "true",
                "hosts": sorted(hosts.split("\u001f")) if hosts else [],
            }
        )
    return editions
