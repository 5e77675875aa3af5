"""The home page and the path page, each built as one plain dict: rendered, or returned as its JSON twin."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from spacegraph.analysis import questions
from spacegraph.analysis.cache import projections_for
from spacegraph.names import Resolver, UnknownName
from spacegraph.web.editions import list_editions
from spacegraph.web.links import page_url

bp = Blueprint("pages", __name__)

COUNTS = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sg: <https://w3id.org/spacegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT
  (COUNT(DISTINCT ?person) AS ?people) (COUNT(DISTINCT ?org) AS ?organisations)
  (COUNT(DISTINCT ?edition) AS ?editions) (COUNT(DISTINCT ?topic) AS ?topics) (COUNT(DISTINCT ?doc) AS ?sources)
WHERE {
  { ?person a foaf:Person } UNION { ?org a org:Organization } UNION { ?topic a skos:Concept }
  UNION { ?edition a ?type FILTER EXISTS { ?type rdfs:subClassOf* sg:Edition } }
  UNION { GRAPH ?g { ?g prov:wasDerivedFrom ?doc } FILTER NOT EXISTS { GRAPH ?g { ?g a sg:ProposalGraph } } }
}
"""


def _store():
    return current_app.extensions["store"].current()


def home_page() -> dict:
    store = _store()
    base = current_app.config["SETTINGS"].base
    editions = list_editions(store)
    for edition in editions:
        edition["url"] = page_url(edition["iri"], base)
    row = next(iter(store.query(COUNTS)))
    counts = {name: int(row[name].value) for name in ("people", "organisations", "editions", "topics", "sources")}
    series = sorted({e["series_iri"] for e in editions if e.get("series_iri")})
    return {"title": "spacegraph", "counts": counts, "editions": editions,
            "series": [{"iri": s, "url": page_url(s, base)} for s in series]}  # fmt: skip


@bp.get("/")
def home():
    return render_template("home.html", page=home_page())


@bp.get("/index.json")
def home_json():
    return jsonify(home_page())


def path_page(a: str, b: str) -> dict:
    settings = current_app.config["SETTINGS"]
    graph = projections_for(settings).people
    resolver = Resolver.for_settings(settings, switch=None)
    ends = resolver.person(a, graph), resolver.person(b, graph)
    source, target = (end.iri for end in ends)
    answer = questions.shortest_paths(graph, source, target)
    for path in answer["paths"]:
        path["links"] = [{"text": name, "url": page_url(node, settings.base), "iri": node}
                         for node, name in zip(path["nodes"], path["names"], strict=True)]  # fmt: skip
        for hop in path["hops"]:
            for event in hop["events"]:
                event["url"] = page_url(event["event"], settings.base)
    names = (graph.nodes[source]["name"], graph.nodes[target]["name"])
    return {"title": f"From {names[0]} to {names[1]}", "a": a, "b": b, **answer,
            "from_name": names[0], "to_name": names[1], "assumed": [e.note for e in ends if e.note]}  # fmt: skip


@bp.get("/path")
@bp.get("/path.json")
def path():
    a, b = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    page: dict = {"title": "How two people are connected", "a": a, "b": b}
    status = 200
    if a and b:
        try:
            page = path_page(a, b)
        except UnknownName as error:
            page["error"], status = str(error), 404
    if request.path.endswith(".json"):
        return jsonify(page), status
    return render_template("path.html", page=page), status
