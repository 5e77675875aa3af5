"""The network view: ``/network`` (the page), ``/api/network`` (JSON) and ``/api/network.gexf`` (a download).

All three show the same network: the person–person co-appearance network of the cached projections (or, with
``graph=organisations``, the organisation network), narrowed by the filters

* ``from``, ``to``: years (an edition without a date is left out when either is given);
* ``edition``: an edition's IRI;
* ``topic``: a topic's IRI: the editions about it or about a narrower topic (``skos:broader``);
* ``side``: ``U.S.``, ``China``, ``other`` (or ``us``, ``china``);
* ``sector``: a sector's label, as the filter lists give it.

The edition, year and topic filters choose editions: a node stays when it took part in one of them, and an edge
keeps only its evidence from them (its weight is the number of those editions). The side and sector filters
choose nodes. A value the network does not know is a 400 with a message that says which values it takes.

>>> catalogue = Catalogue("", {"e:1": Edition("e:1", "E1", "2020-05-01")}, {}, {})
>>> try:
...     parse_filters({"from": "2021", "to": "2020"}, catalogue)
... except BadFilter as error:
...     print(error)
from (2021) is after to (2020)
>>> parse_filters({"edition": "e:1", "from": "2019"}, catalogue).events(catalogue)
{'e:1'}
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from spacegraph.analysis.cache import Projections, projections_for
from spacegraph.analysis.exports import gexf_bytes
from spacegraph.analysis.projections import NOT_SPEAKING
from spacegraph.planning.history import Edition
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.web.links import page_url

bp = Blueprint("network", __name__)

GRAPHS = {"people": "people", "organisations": "organisations"}
SIDE_ORDER = ["U.S.", "China", "other", "unknown"]
SIDE_NAMES = {"us": "U.S.", "u.s.": "U.S.", "china": "China", "other": "other"}
TOPICS = """
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?x ?topic ?kind WHERE {
  { ?x schema:about ?topic BIND ("about" AS ?kind) }
  UNION { ?x skos:broader ?topic BIND ("broader" AS ?kind) }
  UNION { ?x skos:prefLabel ?topic FILTER (lang(?topic) = "en") BIND ("label" AS ?kind) }
}"""


class BadFilter(ValueError):
    """A filter value the network does not know: answered with 400."""


@dataclass
class Catalogue:
    """What the filters choose from, per store generation: editions, topics and who took part in which edition."""

    generation: str
    editions: dict[str, Edition]
    topics: dict[str, dict]  # IRI -> {"label", "editions": set of edition IRIs, narrower topics' included}
    presence: dict[str, dict[str, set[str]]]  # graph -> node -> the editions it took part in


@dataclass(frozen=True)
class Filters:
    graph: str = "people"
    year_from: int | None = None
    year_to: int | None = None
    edition: str | None = None
    topic: str | None = None
    side: str | None = None
    sector: str | None = None

    def events(self, catalogue: Catalogue) -> set[str] | None:
        """The editions the filters leave, or None when no filter chooses editions."""
        if self.year_from is None and self.year_to is None and self.edition is None and self.topic is None:
            return None
        chosen = set(catalogue.editions)
        if self.edition:
            chosen = {self.edition}
        if self.topic:
            chosen &= catalogue.topics[self.topic]["editions"]
        if self.year_from is not None or self.year_to is not None:
            low, high = self.year_from or -9999, self.year_to or 9999
            chosen = {e for e in chosen if (year := catalogue.editions[e].year) is not None and low <= year <= high}
        return chosen

    def params(self) -> dict[str, str | int | None]:
        """The filters under the names of their query parameters."""
        return {"graph": self.graph, "from": self.year_from, "to": self.year_to, "edition": self.edition,
                "topic": self.topic, "side": self.side, "sector": self.sector}  # fmt: skip

    def query(self) -> dict[str, str]:
        """The filters that are set, as query parameters (for a link to the same network)."""
        return {k: str(v) for k, v in self.params().items() if v is not None and (k, v) != ("graph", "people")}


def parse_filters(args: Mapping[str, str], catalogue: Catalogue, graph: nx.Graph | None = None) -> Filters:
    """The filters of a request, checked against what the network holds; ``BadFilter`` says what is wrong."""
    kind = args.get("graph") or "people"
    if kind not in GRAPHS:
        raise BadFilter(f"graph must be one of {', '.join(GRAPHS)}, not {kind!r}")
    years = {name: _year(args, name) for name in ("from", "to")}
    if years["from"] is not None and years["to"] is not None and years["from"] > years["to"]:
        raise BadFilter(f"from ({years['from']}) is after to ({years['to']})")
    edition = args.get("edition") or None
    if edition is not None and edition not in catalogue.editions:
        raise BadFilter(f"edition {edition!r} is not an edition of the graph: give an edition's IRI")
    topic = args.get("topic") or None
    if topic is not None and topic not in catalogue.topics:
        raise BadFilter(f"topic {topic!r} is not a topic of the graph: give a topic's IRI")
    side = args.get("side") or None
    if side is not None:
        side = SIDE_NAMES.get(side.lower(), side)
        if side not in SIDE_ORDER:
            raise BadFilter(f"side must be one of {', '.join(SIDE_ORDER)}, not {args['side']!r}")
    sector = args.get("sector") or None
    if sector is not None and graph is not None and sector not in _values(graph, "sector"):
        raise BadFilter(f"sector must be one of {', '.join(_values(graph, 'sector'))}, not {sector!r}")
    return Filters(kind, years["from"], years["to"], edition, topic, side, sector)


def _year(args: Mapping[str, str], name: str) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise BadFilter(f"{name} must be a year such as 2020, not {value!r}")
    return int(value)


def _values(graph: nx.Graph, attribute: str) -> list[str]:
    present = {d.get(attribute) for _, d in graph.nodes(data=True) if d.get(attribute)}
    if attribute == "side":
        return [s for s in SIDE_ORDER if s in present]
    return sorted(present)


_CATALOGUES: dict[str, Catalogue] = {}


def catalogue_for(projections: Projections, store: OxigraphStore) -> Catalogue:
    """The catalogue of the projections' generation (read once per generation, like the projections)."""
    found = _CATALOGUES.get(projections.generation)  # one get: another thread may clear it between two
    if found is not None:
        return found
    editions: dict[str, Edition] = {}
    presence: dict[str, dict[str, set[str]]] = {"people": defaultdict(set), "organisations": defaultdict(set)}
    for a in projections.appearances:
        editions.setdefault(a.event, Edition(a.event, a.event_name, a.date))
        if a.role in NOT_SPEAKING:  # as in the projections: a contact or host shares no event with anyone
            continue
        if a.kind == "person":
            presence["people"][a.agent].add(a.event)
        organisation = a.agent if a.kind == "organisation" else a.organisation
        if organisation:
            presence["organisations"][organisation].add(a.event)
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in store.query(TOPICS):
        rows[row["kind"].value].append((row["x"].value, row["topic"].value))
    labels = dict(rows["label"])
    broader: dict[str, set[str]] = defaultdict(set)
    for narrower, wider in rows["broader"]:
        broader[narrower].add(wider)
    topics: dict[str, dict] = {}
    for event, about in rows["about"]:
        if event not in editions:  # talks are about topics too; the filter is by edition
            continue
        for topic in _with_broader(about, broader):
            topics.setdefault(topic, {"label": labels.get(topic, topic), "editions": set()})["editions"].add(event)
    result = Catalogue(projections.generation, editions, topics, {k: dict(v) for k, v in presence.items()})
    _CATALOGUES.clear()  # one generation at a time, as the projections
    _CATALOGUES[projections.generation] = result
    return result


def _with_broader(topic: str, broader: dict[str, set[str]]) -> set[str]:
    seen, todo = {topic}, [topic]
    while todo:
        for wider in broader.get(todo.pop(), ()):
            if wider not in seen:
                seen.add(wider)
                todo.append(wider)
    return seen


def filtered_network(graph: nx.Graph, catalogue: Catalogue, filters: Filters) -> nx.Graph:
    """The part of ``graph`` the filters leave, each edge with its evidence from the editions left only."""
    events = filters.events(catalogue)
    presence = catalogue.presence[filters.graph]
    result = nx.Graph()
    for node, data in graph.nodes(data=True):
        if filters.side and data["side"] != filters.side or filters.sector and data["sector"] != filters.sector:
            continue
        present = presence.get(node, set()) if events is None else presence.get(node, set()) & events
        if events is not None and not present:
            continue
        years = sorted({year for e in present if (year := catalogue.editions[e].year) is not None})
        result.add_node(node, **{**data, "events": len(present), "years": years,
                                 "first_year": years[0] if years else 0, "last_year": years[-1] if years else 0})  # fmt: skip
    for x, y, data in graph.subgraph(result.nodes).edges(data=True):
        evidence = data["events"] if events is None else {e: v for e, v in data["events"].items() if e in events}
        if evidence:
            result.add_edge(x, y, events=evidence, weight=len(evidence))
    return result


def network_json(graph: nx.Graph, base: str) -> dict:
    """Nodes and edges for the page: each node with its page, each edge with its evidence, edition by edition."""
    nodes = [
        {"id": node, "label": d["name"], "kind": d["kind"], "side": d["side"], "sector": d["sector"] or None,
         "country": d["country"] or None, "organisation": d["organisation"] or None, "years": d["years"],
         "editions": d["events"], "degree": graph.degree(node), "weight": graph.degree(node, weight="weight"),
         "url": page_url(node, base)}
        for node, d in graph.nodes(data=True)
    ]  # fmt: skip
    edges = []
    for index, (x, y, d) in enumerate(graph.edges(data=True)):
        evidence = [
            {"edition": event, "name": e["name"], "date": e["date"], "url": page_url(event, base),
             "roles": {"source": e["roles"][x], "target": e["roles"][y]},
             "affiliations": {"source": e["affiliations"][x], "target": e["affiliations"][y]},
             "sources": e["sources"]}
            for event, e in sorted(d["events"].items(), key=lambda item: (item[1]["date"] or "9999", item[0]))
        ]  # fmt: skip
        edges.append({"id": f"e{index}", "source": x, "target": y, "weight": d["weight"], "evidence": evidence})
    return {"nodes": nodes, "edges": edges}


def filter_options(graph: nx.Graph, catalogue: Catalogue, base: str) -> dict:
    """The values each filter takes: graphs, years, editions (with their pages), sides, sectors, topics."""
    editions = sorted(catalogue.editions.values(), key=lambda e: (e.date or "9999", e.name))
    years = sorted({e.year for e in editions if e.year is not None})
    return {
        "graphs": list(GRAPHS),
        "years": [years[0], years[-1]] if years else [],
        "editions": [
            {"iri": e.iri, "name": e.name, "date": e.date, "year": e.year, "url": page_url(e.iri, base)}
            for e in editions
        ],  # fmt: skip
        "sides": _values(graph, "side"),
        "sectors": _values(graph, "sector"),
        "topics": sorted(
            ({"iri": iri, "label": t["label"], "editions": len(t["editions"])} for iri, t in catalogue.topics.items()),
            key=lambda t: t["label"].lower(),
        ),
    }


def _request_network() -> tuple[Filters, nx.Graph, nx.Graph, Catalogue]:
    settings = current_app.config["SETTINGS"]
    projections = projections_for(settings)
    catalogue = catalogue_for(projections, current_app.extensions["store"].current())
    kind = request.args.get("graph") or "people"
    full = getattr(projections, GRAPHS.get(kind, "people"))
    filters = parse_filters(request.args, catalogue, full)
    return filters, full, filtered_network(full, catalogue, filters), catalogue


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return jsonify({"ok": False, "status": 400, "title": "Bad request", "error": str(error)}), 400


@bp.get("/api/network")
def network_api():
    started = time.perf_counter()
    filters, full, graph, catalogue = _request_network()
    base = current_app.config["SETTINGS"].base
    body = {
        "graph": filters.graph,
        "filters": filters.params(),
        "counts": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
        **network_json(graph, base),
        "options": filter_options(full, catalogue, base),
        "gexf": url_for("network.network_gexf", **filters.query()),
    }
    response = jsonify(body)
    response.headers["Server-Timing"] = f"network;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@bp.get("/api/network.gexf")
def network_gexf():
    filters, _, graph, _ = _request_network()
    name = "-".join(["spacegraph", filters.graph, *(v.rsplit("/", 1)[-1] for v in filters.query().values())])
    return Response(
        gexf_bytes(graph),
        mimetype="application/gexf+xml",
        headers={"Content-Disposition": f'attachment; filename="{_safe(name)}.gexf"'},
    )


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:120]


@bp.get("/network")
def network_page():
    settings = current_app.config["SETTINGS"]
    projections = projections_for(settings)
    catalogue = catalogue_for(projections, current_app.extensions["store"].current())
    options = filter_options(projections.people, catalogue, settings.base)
    options["sectors"] = sorted({*options["sectors"], *_values(projections.organisations, "sector")})
    return render_template("network.html", options=options)
