"""The home page: how much the graph holds, and the editions of the series (dates, places, hosts, co-located
events), each linked to its page."""

from __future__ import annotations

from spacegraph.vocab.sparql import edition_pattern
from spacegraph.web.links import page_url
from spacegraph.web.pages.reader import Reader

COUNTS = """
SELECT
  (COUNT(DISTINCT ?person) AS ?people) (COUNT(DISTINCT ?org) AS ?organisations)
  (COUNT(DISTINCT ?edition) AS ?editions) (COUNT(DISTINCT ?topic) AS ?topics) (COUNT(DISTINCT ?doc) AS ?sources)
WHERE {
  { ?person a foaf:Person } UNION { ?org a org:Organization } UNION { ?topic a skos:Concept }
  UNION { EDITION }
  UNION { GRAPH ?g { ?g prov:wasDerivedFrom ?doc } FILTER NOT EXISTS { GRAPH ?g { ?g a sg:ProposalGraph } } }
}""".replace("EDITION", edition_pattern("?edition", "?type"))
EDITIONS = """
SELECT ?edition ?name ?kind ?start ?end ?city ?country ?seriesIri ?series ?coLocated ?complete
       (GROUP_CONCAT(DISTINCT ?hostName; separator="\\u001f") AS ?hosts)
WHERE {
  EDITION
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
ORDER BY (!BOUND(?start)) ?start ?name""".replace("EDITION", edition_pattern("?edition", "?type"))
COUNTED = ("people", "organisations", "editions", "topics", "sources")


def home_page(reader: Reader) -> dict:
    editions = list_editions(reader)
    row = reader.rows(COUNTS)[0]
    series = sorted({e["series_iri"] for e in editions if e.get("series_iri")})
    return {"title": "spacegraph", "counts": {name: int(row[name]) for name in COUNTED}, "editions": editions,
            "series": [{"iri": s, "url": page_url(s, reader.base)} for s in series]}  # fmt: skip


def list_editions(reader: Reader) -> list[dict]:
    """Every edition, by date (undated last), with its page."""
    editions = []
    for row in reader.rows(EDITIONS):
        hosts = row["hosts"]
        editions.append({
            "iri": row["edition"], "name": row["name"], "kind": row["kind"], "start_date": row["start"],
            "end_date": row["end"], "city": row["city"], "country": row["country"], "series": row["series"],
            "series_iri": row["seriesIri"], "co_located_with": row["coLocated"],
            "participants_complete": row["complete"] == "true",
            "hosts": sorted(hosts.split("\u001f")) if hosts else [], "url": page_url(row["edition"], reader.base),
        })  # fmt: skip
    return editions
