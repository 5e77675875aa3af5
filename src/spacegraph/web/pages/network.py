"""The network view's data: the nodes and edges of a filtered network (each node with its page, each edge with its
evidence, edition by edition), and the values each filter control offers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from spacegraph.analysis.network_filters import GRAPHS, Filters, filtered_network, node_values, parse_filters
from spacegraph.web.links import page_url

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from spacegraph.library import Spacegraph
    from spacegraph.library.catalogue import Catalogue


def network_view(library: Spacegraph, args: Mapping[str, str]) -> tuple[Filters, nx.Graph, nx.Graph, Catalogue]:
    """The filters ``args`` ask for, the whole network they apply to, the part they leave, and the choices."""
    choices = library.catalogue()
    kind = args.get("graph") or "people"
    full = library.network(kind if kind in GRAPHS else "people")
    filters = parse_filters(args, choices, full)
    return filters, full, filtered_network(full, choices, filters), choices


def network_body(library: Spacegraph, args: Mapping[str, str], gexf_url: Callable[..., str]) -> dict:
    """What /api/network answers; ``gexf_url(**parameters)`` is the URL of the same network's GEXF download."""
    filters, full, graph, choices = network_view(library, args)
    base = library.settings.base
    return {"graph": filters.graph, "filters": filters.params(),
            "counts": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
            **network_json(graph, base), "options": filter_options(full, choices, base),
            "gexf": gexf_url(**filters.query())}  # fmt: skip


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


def filter_options(graph: nx.Graph, choices: Catalogue, base: str) -> dict:
    """The values each filter takes: graphs, years, editions (with their pages), sides, sectors, topics."""
    editions = sorted(choices.editions.values(), key=lambda e: (e.date or "9999", e.name))
    years = sorted({e.year for e in editions if e.year is not None})
    return {
        "graphs": list(GRAPHS),
        "years": [years[0], years[-1]] if years else [],
        "editions": [
            {"iri": e.iri, "name": e.name, "date": e.date, "year": e.year, "url": page_url(e.iri, base)}
            for e in editions
        ],  # fmt: skip
        "sides": node_values(graph, "side"),
        "sectors": node_values(graph, "sector"),
        "topics": sorted(
            ({"iri": iri, "label": t["label"], "editions": len(t["editions"])} for iri, t in choices.topics.items()),
            key=lambda t: t["label"].lower(),
        ),
    }


def network_page(library: Spacegraph) -> dict:
    """The filter controls of /network: the people network's values, and the sectors of both networks."""
    options = filter_options(library.network("people"), library.catalogue(), library.settings.base)
    options["sectors"] = sorted({*options["sectors"], *node_values(library.network("organisations"), "sector")})
    return options
