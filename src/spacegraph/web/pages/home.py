"""The home page: how much the graph holds, the editions per year on a time axis, and the editions (dates, places,
hosts, co-located events) as a table, newest first, each linked to its page."""

from __future__ import annotations

from collections import Counter, defaultdict

from spacegraph.vocab.sparql import edition_pattern
from spacegraph.web.links import page_url
from spacegraph.web.pages.reader import Reader
from spacegraph.web.pages.table import Row, table

COUNTS = """
SELECT
  (COUNT(DISTINCT ?person) AS ?people) (COUNT(DISTINCT ?org) AS ?organisations)
  (COUNT(DISTINCT ?edition) AS ?editions) (COUNT(DISTINCT ?topic) AS ?topics) (COUNT(DISTINCT ?doc) AS ?sources)
WHERE {
  { ?person a foaf:Person } UNION { ?org a org:Organization } UNION { ?topic a skos:Concept }
  UNION { EDITION }
  UNION { GRAPH ?g { ?g prov:wasDerivedFrom ?doc } FILTER NOT EXISTS { GRAPH ?g { ?g a sg:ProposalGraph } } }
}""".replace("EDITION", edition_pattern("?edition", "?type"))
KINDS = """SELECT ?e ?v WHERE { EDITION ?type rdfs:label ?v FILTER (lang(?v) = "en") }""".replace(
    "EDITION", edition_pattern("?e", "?type")
)
# One pattern each, joined in Python: a join of OPTIONALs over places and series described in thousands of graphs
# took minutes at 10^6 quads; these take 1.5 s together, once per data version.
FACTS = {name: f"SELECT DISTINCT ?e ?v WHERE {{ ?e {path} ?v }}" for name, path in (
    ("name", "schema:name"), ("start", "schema:startDate"), ("end", "schema:endDate"), ("place", "schema:location"),
    ("country", "schema:addressCountry"), ("series", "schema:superEvent"), ("host", "schema:organizer"),
    ("with", "sg:coLocatedWith"), ("complete", "sg:participantsComplete"))}  # fmt: skip
COUNTED = ("people", "organisations", "editions", "topics", "sources")


def home_page(reader: Reader) -> dict:
    """The counts, the editions per year on a time axis, and the editions' table (newest first, paged)."""
    counts, editions = reader.once(("home",), lambda: (read_counts(reader), list_editions(reader)))
    rows = [Row([" – ".join(d for d in (e["start_date"], e["end_date"]) if d) or "date not given",
                 {"text": e["name"], "url": e["url"],
                  "iri": e["iri"]}, e["kind"], e["place"], e["hosts"], e["co_located_with"],
                 None if e["participants_complete"] else "list incomplete"],
                {"year": (e["start_date"] or "")[:4] or None, "kind": e["kind"], "series": e["series"],
                 "country": e["country"]}, (e["start_date"] or "", e["name"], None, None, None, None, None))
            for e in editions]  # fmt: skip
    section = table("editions", "Editions", ["Date", "Edition", "Kind", "Place", "Hosts", "Held with",
                                             "Participant list"], rows, reader.args, sort="-1")  # fmt: skip
    series = sorted({e["series_iri"] for e in editions if e.get("series_iri")})
    by_iri = {e["iri"]: e for e in editions}
    shown = [by_iri[row[1]["iri"]] for row in section["rows"]]  # the page's editions, as records
    return {"title": "spacegraph", "counts": counts, "years": time_axis(editions), "editions": shown,
            "sections": [section],
            "series": [{"iri": s, "url": page_url(s, reader.base)} for s in series], "path": "/index"}  # fmt: skip


def read_counts(reader: Reader) -> dict[str, int]:
    row = reader.rows(COUNTS)[0]
    return {name: int(row[name]) for name in COUNTED}


def time_axis(editions: list[dict]) -> list[dict]:
    """Every year from the first edition to the last (years without one included: a real time axis), newest
    first, with the number of editions; ``share`` is that number against the busiest year's."""
    per_year = Counter(e["start_date"][:4] for e in editions if e["start_date"])
    if not per_year:
        return []
    busiest = max(per_year.values())
    first, last = int(min(per_year)), int(max(per_year))
    return [{"year": str(y), "editions": per_year[str(y)], "share": round(per_year[str(y)] / busiest, 3),
             "url": f"/?editions.year={y}#editions"} for y in range(last, first - 1, -1)]  # fmt: skip


def list_editions(reader: Reader) -> list[dict]:
    """Every edition, newest first (undated last), with its page."""
    facts: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in FACTS}
    for name, sparql in FACTS.items():
        for row in reader.rows(sparql):
            facts[name][row["e"] or ""].append(row["v"] or "")
    one = {name: {k: v[0] for k, v in values.items()} for name, values in facts.items()}
    names = one["name"]
    editions = []
    for row in reader.rows(KINDS):
        iri = row["e"] or ""
        place, series = one["place"].get(iri), one["series"].get(iri)
        country = one["country"].get(place or "")
        editions.append({
            "iri": iri, "name": names.get(iri, iri), "kind": row["v"], "start_date": one["start"].get(iri),
            "end_date": one["end"].get(iri), "city": names.get(place or ""), "country": country,
            "place": ", ".join(p for p in (names.get(place or ""), country) if p) or None,
            "series": names.get(series or ""), "series_iri": series,
            "co_located_with": names.get(one["with"].get(iri) or ""),
            "participants_complete": one["complete"].get(iri) != "false",
            "hosts": sorted(names.get(h, h) for h in facts["host"].get(iri, [])), "url": page_url(iri, reader.base),
        })  # fmt: skip
    editions.sort(key=lambda e: (e["start_date"] or "", e["name"]), reverse=True)
    return [e for e in editions if e["start_date"]] + [e for e in editions if not e["start_date"]]
