"""The network view's data: the part of a filtered network a view shows (never the whole of a large one: the
strongest part, or the ego network of one node, ``network_filters.Cut``), laid out on the server, with a sentence
saying what is shown and what is left out; the evidence of one tie on demand; the values each filter offers.

A view is computed once per data version and set of parameters (the library keeps it), so the same view looks the
same on every visit and answers at once the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from spacegraph.analysis.network_filters import (
    COUNTED,
    DEFAULT_NODES,
    DEFAULT_TIES,
    GRAPHS,
    MAX_NODES,
    MAX_TIES,
    RANKINGS,
    BadFilter,
    Cut,
    Filters,
    cut_network,
    filtered_network,
    node_values,
    parse_cut,
    parse_filters,
)
from spacegraph.analysis.network_layout import communities, layout
from spacegraph.vocab.sparql import PREFIX_HEADER
from spacegraph.web.links import page_url

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from spacegraph.library import Spacegraph
    from spacegraph.library.catalogue import Catalogue


SERIES = (
    PREFIX_HEADER + "SELECT DISTINCT ?series ?name ?edition WHERE { ?edition schema:superEvent ?series . "
    "?series schema:name ?name }"
)


@dataclass
class View:
    filters: Filters
    cut: Cut
    shown: nx.Graph
    summary: dict


def network_view(library: Spacegraph, args: Mapping[str, str]) -> View:
    """The filters and the cut ``args`` ask for, and the part of the network they leave to show."""
    choices, full, filters = _asked(library, args)
    filtered = filtered_network(full, choices, filters)
    cut = parse_cut(args, filtered)
    measured = None
    if cut.rank not in COUNTED:
        if filters.graph != "people":
            raise BadFilter(f"rank={cut.rank} ranks people: use ties or editions for the {filters.graph} network")
        measured = {r["iri"]: r["score"] for r in library.rank(cut.rank, None, top=full.number_of_nodes())["ranking"]}
    shown, summary = cut_network(filtered, cut, measured)
    summary["degrees"] = {n: len(filtered[n]) for n in shown}
    summary["scores"] = {n: measured.get(n, 0.0) for n in shown} if measured is not None else {}
    return View(filters, cut, shown, summary)


def _asked(library: Spacegraph, args: Mapping[str, str]) -> tuple[Catalogue, nx.Graph, Filters]:
    """What the filters choose from, the whole network ``args`` asks for, and its filters (checked)."""
    choices = library.catalogue()
    kind = args.get("graph") or "people"
    full = library.network(kind if kind in GRAPHS else "people")
    series = {iri: s["editions"] for iri, s in all_series(library).items()}
    return choices, full, parse_filters(args, choices, full, series)


def all_series(library: Spacegraph) -> dict[str, dict]:
    """Each series (``schema:superEvent`` of an edition): its name and editions; read once per data version."""

    published = library.published()  # one version: read from its own store, kept under its own key

    def read() -> dict[str, dict]:
        found: dict[str, dict] = {}
        for row in published.store.query(SERIES):
            entry = found.setdefault(row["series"].value, {"name": row["name"].value, "editions": set()})
            entry["editions"].add(row["edition"].value)
        return found

    return published.once(("network-series",), read)


def view_query(args: Mapping[str, str]) -> tuple:
    """The parameters that make a view, in one order (the key the library keeps a view under)."""
    names = ("graph", "from", "to", "edition", "series", "topic", "side", "sector", "nodes", "ties", "rank", "focus",
             "radius")  # fmt: skip
    return tuple((name, (args.get(name) or "").strip()) for name in names)


def network_body(library: Spacegraph, args: Mapping[str, str], gexf_url: Callable[..., str]) -> dict:
    """What /api/network answers; ``gexf_url(**parameters)`` is the URL of the same view's GEXF download."""
    published = library.published()
    return published.remembered(("network-view", view_query(args)), lambda: _body(library, args, gexf_url))


def _body(library: Spacegraph, args: Mapping[str, str], gexf_url: Callable[..., str]) -> dict:
    view = network_view(library, args)
    base, shown, summary = library.settings.base, view.shown, view.summary
    positions, groups = layout(shown), communities(shown)
    index = {node: i for i, node in enumerate(shown)}
    nodes = [
        {"id": node, "label": d.get("name") or node, "kind": d.get("kind"), "side": d.get("side") or "unknown",
         "sector": d.get("sector") or None,
         "organisation": d.get("organisation") or None, "country": d.get("country") or None,
         "years": [d["first_year"], d["last_year"]] if d.get("first_year") else [],
         "editions": d.get("events") or 0, "degree": summary["degrees"][node], "community": groups[node],
         "score": summary["scores"].get(node), "x": positions[node][0], "y": positions[node][1],
         "url": page_url(node, base)}
        for node, d in shown.nodes(data=True)
    ]  # fmt: skip
    edges = [[index[x], index[y], w] for x, y, w in shown.edges(data="weight")]
    query = {**view.filters.query(), **{k: str(v) for k, v in view.cut.params().items() if v is not None}}
    return {"graph": view.filters.graph, "filters": {**view.filters.params(), **view.cut.params()},
            "counts": {k: v for k, v in summary.items() if k not in ("degrees", "scores")}, "shown": describe(view),
            "note": shown.graph.get("note"), "communities": len(set(groups.values())),
            "nodes": nodes, "edges": edges, "gexf": gexf_url(**query)}  # fmt: skip


def describe(view: View) -> str:
    """What the view shows and what it leaves out, in one sentence or two."""
    s, kind = view.summary, "organisations" if view.filters.graph == "organisations" else "people"
    if view.cut.focus is not None:
        name = view.shown.nodes[view.cut.focus].get("name", view.cut.focus)
        head = f"The network around {name}: {s['nodes']:,} of the {s['total_nodes']:,} {kind} {s['chosen_by']}"
    elif s["nodes"] < s["total_nodes"]:
        head = f"The {s['nodes']:,} {kind} with {s['chosen_by']}, of {s['total_nodes']:,}"
    else:
        head = f"All {s['nodes']:,} {kind}"
    if s["edges"] < s["ties_among_shown"]:
        ties = f"the {s['edges']:,} strongest of the {s['ties_among_shown']:,} ties among them"
    else:
        ties = f"all {s['edges']:,} ties among them"
    left = s["total_edges"] - s["edges"]
    tail = f" ({left:,} ties not shown: raise the limits, filter, or focus on someone)." if left > 0 else "."
    return f"{head}; {ties}{tail}"


def tie_body(library: Spacegraph, args: Mapping[str, str]) -> dict:
    """The evidence of the tie between ``a`` and ``b``, from the editions the filters leave, edition by edition."""
    choices, full, filters = _asked(library, args)
    a, b = args.get("a") or "", args.get("b") or ""
    if not full.has_edge(a, b):
        raise BadFilter(f"{a!r} and {b!r} share no edition in the {filters.graph} network: give two linked IRIs")
    events, base = filters.events(choices), library.settings.base
    evidence = [
        {"edition": event, "name": e["name"], "date": e["date"], "url": page_url(event, base),
         "roles": {"source": e["roles"][a], "target": e["roles"][b]},
         "affiliations": {"source": e["affiliations"][a], "target": e["affiliations"][b]}, "sources": e["sources"]}
        for event, e in sorted(full[a][b]["events"].items(), key=lambda item: (item[1]["date"] or "9999", item[0]))
        if events is None or event in events
    ]  # fmt: skip
    names = {n: full.nodes[n].get("name", n) for n in (a, b)}
    return {"source": {"id": a, "label": names[a]}, "target": {"id": b, "label": names[b]},
            "weight": len(evidence), "evidence": evidence}  # fmt: skip


def filter_options(graph: nx.Graph, choices: Catalogue, base: str) -> dict:
    """The values each filter takes: graphs, years, editions (with their pages), sides, sectors, topics."""
    dated = sorted((e for e in choices.editions.values() if e.date), key=lambda e: (e.date, e.name), reverse=True)
    editions = dated + sorted((e for e in choices.editions.values() if not e.date), key=lambda e: e.name)
    years = sorted({e.year for e in editions if e.year is not None})
    return {
        "graphs": list(GRAPHS),
        "rankings": RANKINGS,
        "years": [years[0], years[-1]] if years else [],
        "editions": [
            {"iri": e.iri, "name": e.name, "date": e.date, "year": e.year, "url": page_url(e.iri, base)}
            for e in editions  # newest first, undated last
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
    options["series"] = sorted(
        ({"iri": iri, "name": s["name"], "editions": len(s["editions"])} for iri, s in all_series(library).items()),
        key=lambda s: s["name"].lower(),
    )
    options["limits"] = {
        "nodes": MAX_NODES,
        "ties": MAX_TIES,
        "default_nodes": DEFAULT_NODES,
        "default_ties": DEFAULT_TIES,
    }
    return options
