"""The network view's filters: which part of a co-appearance network a request asks for, checked against what the
network holds, and that part cut out with each edge's evidence from the editions left only.

The filters are

* ``graph``: ``people`` (the person–person network) or ``organisations``;
* ``from``, ``to``: years (an edition without a date is left out when either is given);
* ``edition``: an edition's IRI;
* ``series``: a series' IRI: its editions (what each series holds is given by the caller, ``parse_filters``);
* ``topic``: a topic's IRI: the editions about it or about a narrower topic (``skos:broader``);
* ``side``: ``U.S.``, ``China``, ``other`` (or ``us``, ``china``);
* ``sector``: a sector's label, as the filter lists give it.

The edition, year and topic filters choose editions: a node stays when it took part in one of them, and an edge
keeps only its evidence from them (its weight is the number of those editions). The side and sector filters
choose nodes. A value the network does not know is a ``BadFilter`` whose message says which values it takes.

What the filters choose from (a ``Choices``: the editions, the topics, who took part where) is read once per data
version by the library (``spacegraph.library.catalogue``).

>>> from types import SimpleNamespace
>>> choices = SimpleNamespace(editions={"e:1": Edition("e:1", "E1", "2020-05-01")}, topics={}, presence={})
>>> try:
...     parse_filters({"from": "2021", "to": "2020"}, choices)
... except BadFilter as error:
...     print(error)
from (2021) is after to (2020)
>>> parse_filters({"edition": "e:1", "from": "2019"}, choices).events(choices)
{'e:1'}
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import networkx as nx

from spacegraph.vocab.records import Edition
from spacegraph.vocab.terms import SIDES, find_side

GRAPHS = ("people", "organisations")
SIDE_ORDER = [*(side.label for side in SIDES), "unknown"]


class BadFilter(ValueError):
    """A filter value the network does not know (the web answers 400 with this message)."""


class Choices(Protocol):
    """What the filters choose from, for one data version."""

    @property
    def editions(self) -> Mapping[str, Edition]:  # edition IRI -> the edition
        ...

    @property
    def topics(self) -> Mapping[str, dict]:  # topic IRI -> {"label", "editions": set of IRIs, narrower topics' too}
        ...

    @property
    def presence(self) -> Mapping[str, Mapping[str, set[str]]]:  # graph -> node -> the editions it took part in
        ...


@dataclass(frozen=True)
class Filters:
    graph: str = "people"
    year_from: int | None = None
    year_to: int | None = None
    edition: str | None = None
    topic: str | None = None
    side: str | None = None
    sector: str | None = None
    series: str | None = None
    series_editions: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def events(self, choices: Choices) -> set[str] | None:
        """The editions the filters leave, or None when no filter chooses editions."""
        if (self.year_from, self.year_to, self.edition, self.topic, self.series) == (None,) * 5:
            return None
        chosen = set(choices.editions)
        if self.edition:
            chosen = {self.edition}
        if self.series:
            chosen &= self.series_editions
        if self.topic:
            chosen &= choices.topics[self.topic]["editions"]
        if self.year_from is not None or self.year_to is not None:
            low, high = self.year_from or -9999, self.year_to or 9999
            chosen = {e for e in chosen if (year := choices.editions[e].year) is not None and low <= year <= high}
        return chosen

    def params(self) -> dict[str, str | int | None]:
        """The filters under the names of their query parameters."""
        return {"graph": self.graph, "from": self.year_from, "to": self.year_to, "edition": self.edition,
                "series": self.series, "topic": self.topic, "side": self.side, "sector": self.sector}  # fmt: skip

    def query(self) -> dict[str, str]:
        """The filters that are set, as query parameters (for a link to the same network)."""
        return {k: str(v) for k, v in self.params().items() if v is not None and (k, v) != ("graph", "people")}


def parse_filters(
    args: Mapping[str, str],
    choices: Choices,
    graph: nx.Graph | None = None,
    series: Mapping[str, set[str]] | None = None,
) -> Filters:
    """The filters of a request, checked against what the network holds (``series``: each series' editions);
    ``BadFilter`` says what is wrong."""
    kind = args.get("graph") or "people"
    if kind not in GRAPHS:
        raise BadFilter(f"graph must be one of {', '.join(GRAPHS)}, not {kind!r}")
    years = {name: _year(args, name) for name in ("from", "to")}
    if years["from"] is not None and years["to"] is not None and years["from"] > years["to"]:
        raise BadFilter(f"from ({years['from']}) is after to ({years['to']})")
    edition = args.get("edition") or None
    if edition is not None and edition not in choices.editions:
        raise BadFilter(f"edition {edition!r} is not an edition of the graph: give an edition's IRI")
    topic = args.get("topic") or None
    if topic is not None and topic not in choices.topics:
        raise BadFilter(f"topic {topic!r} is not a topic of the graph: give a topic's IRI")
    side = args.get("side") or None
    if side is not None:
        found = find_side(side)
        side = found.label if found is not None else side
        if side not in SIDE_ORDER:
            raise BadFilter(f"side must be one of {', '.join(SIDE_ORDER)}, not {args['side']!r}")
    sector = args.get("sector") or None
    if sector is not None and graph is not None and sector not in node_values(graph, "sector"):
        raise BadFilter(f"sector must be one of {', '.join(node_values(graph, 'sector'))}, not {sector!r}")
    chosen_series = args.get("series") or None
    if chosen_series is not None and chosen_series not in (series or {}):
        raise BadFilter(f"series {chosen_series!r} is not a series of the graph: give a series' IRI")
    editions = frozenset(series[chosen_series]) if series and chosen_series else frozenset()
    return Filters(kind, years["from"], years["to"], edition, topic, side, sector, chosen_series, editions)


def _year(args: Mapping[str, str], name: str) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise BadFilter(f"{name} must be a year such as 2020, not {value!r}")
    return int(value)


def node_values(graph: nx.Graph, attribute: str) -> list[str]:
    """The values the nodes of ``graph`` take for ``attribute`` (sides in their order, the rest sorted)."""
    present = {d.get(attribute) for _, d in graph.nodes(data=True) if d.get(attribute)}
    if attribute == "side":
        return [s for s in SIDE_ORDER if s in present]
    return sorted(present)


def filtered_network(graph: nx.Graph, choices: Choices, filters: Filters) -> nx.Graph:
    """The part of ``graph`` the filters leave, each edge with its evidence from the editions left only.

    Without any filter, the network itself; otherwise a new one whose ties refer to the evidence they keep (their
    adjacency read directly: a subgraph view of the 10^6-quad people network took seconds to walk)."""
    events = filters.events(choices)
    if events is None and not filters.side and not filters.sector:
        return graph
    presence = choices.presence[filters.graph]
    result = nx.Graph(**graph.graph)
    for node, data in graph.nodes(data=True):
        if not _chosen(data, filters):
            continue
        if events is None:
            result.add_node(node, **data)
            continue
        present = presence.get(node, set()) & events
        if present:
            years = sorted({year for e in present if (year := choices.editions[e].year) is not None})
            result.add_node(node, **{**data, "events": len(present), "first_year": years[0] if years else None,
                                     "last_year": years[-1] if years else None})  # fmt: skip
    for x in result:
        for y, data in graph.adj[x].items():
            if x >= y or y not in result:
                continue
            if events is None:
                result.add_edge(x, y, **data)
            elif evidence := {e: v for e, v in data["events"].items() if e in events}:
                result.add_edge(x, y, events=evidence, weight=len(evidence))
    return result


def _chosen(data: dict, filters: Filters) -> bool:
    return (not filters.side or data["side"] == filters.side) and (
        not filters.sector or data["sector"] == filters.sector
    )


# What the view shows at most: a network of 10^4 people and 10^5 ties is cut to its strongest part, or to the
# ego network of one node; the answer says what it left out.
DEFAULT_NODES, DEFAULT_TIES = 500, 5000
MAX_NODES, MAX_TIES, MAX_RADIUS = 2000, 20000, 3
# How the cut ranks nodes: by ties or editions in the filtered network, or (people only) by a centrality measure of
# the whole people network (``tables.MEASURES``, computed once per data version by the library).
RANKINGS = {"ties": "the most ties", "editions": "the most editions", "pagerank": "the highest PageRank",
            "betweenness": "the highest betweenness", "eigenvector": "the highest eigenvector centrality"}  # fmt: skip
COUNTED = ("ties", "editions")


@dataclass(frozen=True)
class Cut:
    """How much of a filtered network to show: the ``nodes`` ranked first by ``rank`` (or nearest ``focus``, up to
    ``radius`` ties away), with their ``ties`` strongest ties."""

    nodes: int = DEFAULT_NODES
    ties: int = DEFAULT_TIES
    rank: str = "ties"
    focus: str | None = None
    radius: int = 1

    def params(self) -> dict[str, str | int | None]:
        return {"nodes": self.nodes, "ties": self.ties, "rank": self.rank, "focus": self.focus, "radius": self.radius}


def parse_cut(args: Mapping[str, str], graph: nx.Graph) -> Cut:
    """The cut a request asks for, checked: numbers in their ranges, a focus that is a node of ``graph``."""
    nodes = _bounded(args, "nodes", DEFAULT_NODES, MAX_NODES)
    ties = _bounded(args, "ties", DEFAULT_TIES, MAX_TIES)
    radius = _bounded(args, "radius", 1, MAX_RADIUS)
    rank = args.get("rank") or "ties"
    if rank not in RANKINGS:
        raise BadFilter(f"rank must be one of {', '.join(RANKINGS)}, not {rank!r}")
    focus = args.get("focus") or None
    if focus is not None and focus not in graph:
        raise BadFilter(f"focus {focus!r} is not a node of this network with these filters: give the IRI of "
                        "someone shown, or clear a filter")  # fmt: skip
    return Cut(nodes, ties, rank, focus, radius)


def _bounded(args: Mapping[str, str], name: str, default: int, most: int) -> int:
    value = (args.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise BadFilter(f"{name} must be a whole number from 1 to {most:,}, not {value!r}")
    return int(value)


def cut_network(graph: nx.Graph, cut: Cut, measured: Mapping[str, float] | None = None) -> tuple[nx.Graph, dict]:
    """The part of ``graph`` the view shows, and what it says about it: how many nodes and ties there were, how
    the shown ones were chosen. Ties keep a reference to their evidence (not a copy)."""
    if cut.focus is not None:
        around = nx.single_source_shortest_path_length(graph, cut.focus, cutoff=cut.radius)
        near = graph[cut.focus]
        chosen = heapq.nsmallest(cut.nodes, around, key=lambda n: (around[n], -_strength(graph, near, n), n))
        chosen_by = f"within {cut.radius} tie(s) of the focus, nearest first"
        total = len(around)
    else:
        around = {}
        score = _scores(graph, cut.rank) if measured is None else (lambda n: measured.get(n, 0.0))
        chosen = heapq.nsmallest(cut.nodes, graph, key=lambda n: (-score(n), n))
        chosen_by, total = RANKINGS[cut.rank], graph.number_of_nodes()
    kept = set(chosen)
    among = [(x, y, d["weight"]) for x in chosen for y, d in graph.adj[x].items() if y in kept and x < y]
    ties = heapq.nsmallest(cut.ties, among, key=lambda e: (cut.focus not in e[:2], -e[2], e[0], e[1]))
    result = nx.Graph(**graph.graph)
    result.add_nodes_from((n, graph.nodes[n]) for n in chosen)
    result.add_edges_from((x, y, graph[x][y]) for x, y, _ in ties)
    total_edges = graph.number_of_edges() if cut.focus is None else _edges_among(graph, set(around))
    return result, {"nodes": len(chosen), "edges": len(ties), "total_nodes": total, "total_edges": total_edges,
                    "ties_among_shown": len(among), "chosen_by": chosen_by}  # fmt: skip


def _edges_among(graph: nx.Graph, nodes: set[str]) -> int:
    return sum(1 for x in nodes for y in graph.adj[x] if y in nodes and x < y)


def _strength(graph: nx.Graph, near: Mapping, node: str) -> int:
    return near[node]["weight"] if node in near else len(graph[node])


def _scores(graph: nx.Graph, rank: str):
    if rank == "editions":
        return lambda n: graph.nodes[n].get("events") or 0
    return lambda n: len(graph[n])
