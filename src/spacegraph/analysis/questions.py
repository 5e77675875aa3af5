"""The questions analysts ask of the networks, as pure functions ``f(graph, ...) -> dict`` with evidence.

>>> from spacegraph.analysis.projections import co_appearance_graph
>>> from spacegraph.vocab.records import Appearance
>>> rows = [Appearance("a", "A", "person", "e1", "E1", "2020-01-01", "speaker", "U.S."),
...         Appearance("b", "B", "person", "e1", "E1", "2020-01-01", "speaker", "China"),
...         Appearance("b", "B", "person", "e2", "E2", "2021-01-01", "speaker", "China"),
...         Appearance("c", "C", "person", "e2", "E2", "2021-01-01", "speaker", "U.S.")]
>>> g = co_appearance_graph(rows)
>>> [p["nodes"] for p in shortest_paths(g, "a", "c")["paths"]]
[['a', 'b', 'c']]
>>> who_spoke_with(g, "b")["co_speakers"][0]["name"]
'A'
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator

import networkx as nx
import numpy as np
from scipy import sparse

from spacegraph.analysis.tables import MEASURES
from spacegraph.vocab.terms import UNKNOWN

# Betweenness (Brandes) costs one breadth-first search per source, each about the size of the network: nodes times
# edges in all. Up to this budget it is exact (networkit, 2 cores: about 25 s at the budget, from 191 s at 7.7e9);
# above it, estimated from as many sampled sources as the budget allows (about 17 s at 10^6 quads).
BETWEENNESS_BUDGET = 10**9  # sources x edges


def _events(graph: nx.Graph, x: str, y: str, year_from: int | None = None, year_to: int | None = None) -> list[dict]:
    out = []
    for event, data in sorted(graph[x][y]["events"].items(), key=lambda item: item[1]["date"] or ""):
        year = int(data["date"][:4]) if data["date"] else None
        if year_from and (year is None or year < year_from) or year_to and (year is None or year > year_to):
            continue
        out.append({"event": event, "name": data["name"], "date": data["date"], "roles": data["roles"],
                    "affiliations": data["affiliations"], "sources": data["sources"]})  # fmt: skip
    return out


def who_spoke_with(graph: nx.Graph, person: str, year_from: int | None = None, year_to: int | None = None) -> dict:
    """The people ``person`` shared an event with: how often, where, when, in what roles, and the sources."""
    co_speakers = []
    for other in graph.neighbors(person):
        events = _events(graph, person, other, year_from, year_to)
        if events:
            co_speakers.append({"iri": other, "name": graph.nodes[other]["name"], "side": graph.nodes[other]["side"],
                                "count": len(events), "events": events})  # fmt: skip
    co_speakers.sort(key=lambda c: (-c["count"], c["name"]))
    return {"person": person, "name": graph.nodes[person]["name"], "co_speakers": co_speakers}


def shortest_paths(graph: nx.Graph, a: str, b: str, limit: int = 20) -> dict:
    """All shortest connections between two nodes (up to ``limit``), each hop with its evidence."""
    paths = []
    for nodes in all_shortest_paths(graph, a, b):
        hops = [{"from": x, "to": y, "from_name": graph.nodes[x]["name"], "to_name": graph.nodes[y]["name"],
                 "events": _events(graph, x, y)} for x, y in zip(nodes, nodes[1:], strict=False)]  # fmt: skip
        paths.append({"nodes": nodes, "names": [graph.nodes[n]["name"] for n in nodes], "hops": hops})
        if len(paths) >= limit:
            break
    return {"from": a, "to": b, "length": len(paths[0]["nodes"]) - 1 if paths else None, "paths": paths}


def all_shortest_paths(graph: nx.Graph, a: str, b: str) -> Iterator[list[str]]:
    """Every shortest path from ``a`` to ``b`` (none when they are not connected), in the order of the nodes' IRIs.

    Breadth-first from both ends, a level at a time on the side with the smaller frontier, until the two meet: it
    reads the neighbourhoods of the two ends only, where ``nx.all_shortest_paths`` searches the whole network from
    ``a`` first (150 ms and more at 20,000 people). When a new level of one side first reaches nodes the other side
    has seen, the distance is the two radii together, and every shortest path crosses that level at one of those
    nodes, once: the paths are the ways to it from ``a`` joined to the ways from it to ``b``.
    """
    for end in (a, b):
        if end not in graph:
            raise nx.NodeNotFound(f"{end} is not in the network")
    if a == b:
        yield [a]
        return
    # per side: each node seen, with its neighbours one level nearer that side's end
    seen: tuple[dict[str, list[str]], dict[str, list[str]]] = ({a: []}, {b: []})
    frontiers = ([a], [b])
    while frontiers[0] and frontiers[1]:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        nearer = seen[side]
        level: dict[str, list[str]] = {}
        for x in frontiers[side]:
            for y in graph[x]:
                if y not in nearer:
                    level.setdefault(y, []).append(x)
        nearer.update(level)
        frontiers[side][:] = list(level)
        meeting = sorted(y for y in level if y in seen[1 - side])
        if meeting:
            for middle in meeting:
                for to_middle in _ways(seen[0], middle):
                    for from_b in _ways(seen[1], middle):
                        yield to_middle + from_b[-2::-1]
            return


def _ways(nearer: dict[str, list[str]], node: str) -> Iterator[list[str]]:
    """The paths from the end a search started at to ``node``, through each node's nearer neighbours."""
    if not nearer[node]:
        yield [node]
        return
    for previous in sorted(nearer[node]):
        for way in _ways(nearer, previous):
            yield [*way, node]


def ego(graph: nx.Graph, node: str, radius: int = 1, max_nodes: int = 500) -> dict:
    """The network around ``node``: everyone within ``radius`` ties, and the ties among them.

    Around a central person at radius 2 that can be nearly the whole network, which no one reads: the answer keeps
    the ``max_nodes`` nearest (the centre's own ties first, those who shared the most events with it first; then
    those with the most ties) and says how many there were.

    >>> g = nx.Graph([("a", "b", {"weight": 2, "events": {"e1": {}}}), ("b", "c", {"weight": 1, "events": {"e2": {}}})])
    >>> [n["iri"] for n in ego(g, "a", radius=2, max_nodes=2)["nodes"]], ego(g, "a", 2, 2)["truncated"]
    (['a', 'b'], True)
    """
    distance = nx.single_source_shortest_path_length(graph, node, cutoff=radius)
    around = graph[node]

    def nearness(n: str) -> tuple:  # the centre's own ties by events shared with it, the others by their ties
        return distance[n], -(around[n]["weight"] if n in around else len(graph[n])), n

    kept = [node] + heapq.nsmallest(max_nodes - 1, (n for n in distance if n != node), key=nearness)
    inside = set(kept)
    edges = []
    for x in kept:  # each tie among the kept nodes once, looked up from whichever side is cheaper
        neighbours = graph[x]
        others = (
            (y for y in kept if y in neighbours)
            if len(neighbours) > len(kept)
            else (y for y in neighbours if y in inside)
        )
        for y in others:
            if x < y:
                data = neighbours[y]
                edges.append({"source": x, "target": y, "weight": data["weight"], "events": sorted(data["events"])})
    return {
        "center": node,
        "radius": radius,
        "nodes": [{"iri": n, **graph.nodes[n]} for n in sorted(kept)],
        "edges": edges,
        "total_nodes": len(distance),
        "truncated": len(distance) > len(kept),
    }


def centrality(graph: nx.Graph, measure: str, seed: int = 1) -> tuple[dict, str]:
    """Every person's score by a centrality measure, and how it was computed ("exact", or how it was sampled)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}: use one of {', '.join(MEASURES)}")
    if measure == "degree":
        return nx.degree_centrality(graph), "exact"
    if measure == "betweenness":
        return betweenness(graph, seed=seed)
    if measure == "eigenvector":
        return _eigenvector(graph)
    return nx.pagerank(graph, weight="weight"), "exact"


def rank(
    graph: nx.Graph,
    measure: str,
    side: str | None = None,
    top: int = 20,
    seed: int = 1,
    scored: tuple[dict, str] | None = None,
) -> dict:
    """People ranked by a centrality measure (optionally only those of one side), with what it means.
    ``scored``: ``centrality(graph, measure, seed)`` computed before (the web app keeps it per data version)."""
    scores, note = scored if scored is not None else centrality(graph, measure, seed)
    ranked = [
        {"iri": n, "name": graph.nodes[n]["name"], "side": graph.nodes[n]["side"], "score": round(float(s), 6)}
        for n, s in scores.items()
        if side is None or graph.nodes[n]["side"] == side
    ]
    ranked.sort(key=lambda r: (-r["score"], r["name"]))
    return {"measure": measure, "meaning": MEASURES[measure], "computation": note, "ranking": ranked[:top]}


def _eigenvector(graph: nx.Graph) -> tuple[dict, str]:
    """Eigenvector centrality; on a network in several pieces, that of the largest piece (a leading eigenvector
    has no single answer across pieces): the people of the other pieces score 0, and the note says so."""
    if not graph.number_of_edges():
        return {}, "exact"
    pieces = list(nx.connected_components(graph))
    if len(pieces) == 1:
        return nx.eigenvector_centrality_numpy(graph, weight="weight"), "exact"
    largest = max(pieces, key=lambda piece: (len(piece), sorted(piece)))
    scores = dict.fromkeys(graph, 0.0)
    scores.update(nx.eigenvector_centrality_numpy(graph.subgraph(largest), weight="weight"))
    return scores, (
        f"exact, on the largest connected piece ({len(largest):,} of {len(graph):,} people); the others, in "
        f"{len(pieces) - 1} smaller pieces, score 0"
    )


def betweenness_sources(nodes: int, edges: int) -> int | None:
    """How many sampled sources ``betweenness`` uses by default: None (every one: exact) within the budget."""
    return None if nodes * edges <= BETWEENNESS_BUDGET else max(2, BETWEENNESS_BUDGET // edges)


def betweenness(graph: nx.Graph, sources: int | None = None, seed: int = 1) -> tuple[dict, str]:
    """Betweenness centrality, normalized as networkx's ``betweenness_centrality`` (unweighted, no endpoints), and
    how it was computed, by networkit's kernel in C++ on every core.

    Exact (``networkit.centrality.Betweenness``: the same numbers as networkx) when every source fits in
    ``BETWEENNESS_BUDGET``; else estimated from ``sources`` sampled ones (default: as many as the budget allows)
    by ``networkit.centrality.EstimateBetweenness`` (Sanders, Geisberger and Schultes 2008, "Better approximation
    of betweenness centrality", linear scaling: a node's share of a path from a sampled source weighted by
    how far along the path it lies, so nodes near the sampled sources are not overrated; no proven error bound, see
    bench/README.md for the error measured). The sources are drawn at random by networkit's generator, seeded
    with ``seed`` before each run: the same seed gives the same sources whatever the number of threads, and the
    same scores up to the order of the sums in the last bits (which ``rank()`` rounds away).

    >>> scores, note = betweenness(nx.path_graph(3))
    >>> scores, note
    ({0: 0.0, 1: 1.0, 2: 0.0}, 'exact')
    """
    import networkit as nk  # here, not at the top: it takes half a second to import, and most calls never need it

    nodes = list(graph)
    n, m = len(nodes), graph.number_of_edges()
    why = ""
    if sources is None and (sources := betweenness_sources(n, m)) is not None:
        why = f"; exact ({n:,} sources x {m:,} edges) is over the budget of {BETWEENNESS_BUDGET:.0e}"
    if sources is not None and sources < 2:
        raise ValueError("betweenness needs at least 2 sampled sources")
    if n <= 2:
        return dict.fromkeys(nodes, 0.0), "exact"
    index = {node: i for i, node in enumerate(nodes)}
    ends = np.array([(index[x], index[y]) for x, y in graph.edges() if x != y], dtype=np.uint64).reshape(-1, 2)
    kernel = nk.GraphFromCoo((np.ascontiguousarray(ends[:, 0]), np.ascontiguousarray(ends[:, 1])), n=n)
    if sources is None or sources >= n:
        exact = nk.centrality.Betweenness(kernel, normalized=True)
        exact.run()
        return dict(zip(nodes, exact.scores(), strict=True)), "exact"
    nk.setSeed(seed, False)  # False: the same seed on every thread; the sources are drawn before the threads start
    estimate = nk.centrality.EstimateBetweenness(kernel, sources, True, True)  # normalized, parallel
    estimate.run()
    note = f"estimated from {sources:,} of {n:,} sources, sampled (seed {seed}), with linear scaling{why}"
    return dict(zip(nodes, estimate.scores(), strict=True)), note


def bridges(graph: nx.Graph, top: int = 20) -> dict:
    """Who connects the sides: ties across sides, and brokerage by structural holes (Burt 1992): low constraint
    and high effective size mean someone's contacts are not connected to each other, so they broker between them."""
    across: dict[str, list[str]] = {}
    for node in graph:
        own = graph.nodes[node]["side"]
        if own == UNKNOWN:  # the sources do not say which side this person represents
            continue
        others = [m for m in graph.neighbors(node) if graph.nodes[m]["side"] not in (own, UNKNOWN)]
        if others:
            across[node] = others
    # Structural holes only for those who can be in the top (by ties across, then constraint): at 10^6 quads, for
    # every node they took minutes.
    ties = sorted((len(v) for v in across.values()), reverse=True)
    least = ties[top - 1] if 0 < top <= len(ties) else 0
    wanted = [node for node, others in across.items() if len(others) >= least]
    constraint, effective = structural_holes(graph, wanted)
    rows = [{
        "iri": node, "name": graph.nodes[node]["name"], "side": graph.nodes[node]["side"],
        "cross_side_ties": len(across[node]), "cross_side_partners": sorted(graph.nodes[m]["name"] for m in across[node]),
        "constraint": _rounded(constraint.get(node)), "effective_size": _rounded(effective.get(node)),
    } for node in wanted]  # fmt: skip
    rows.sort(key=lambda r: (-r["cross_side_ties"], r["constraint"] if r["constraint"] is not None else 9, r["name"]))
    return {"bridges": rows[:top]}


def structural_holes(graph: nx.Graph, nodes: list[str], rows: int = 256) -> tuple[dict, dict]:
    """Burt's constraint and effective size of ``nodes`` (unweighted, as ``nx.constraint`` and ``nx.effective_size``
    with ``weight=None``), from sparse matrices: NetworkX's loops grow with the cube of a node's ties, minutes for
    one node with a thousand at 10^6 quads.

    With A the adjacency matrix and p_uv = A_uv / deg(u): constraint(u) = sum over neighbours v of
    (p_uv + sum_w p_uw p_wv)^2, and effective size(u) = deg(u) - 2 t(u) / deg(u), t(u) the ties among u's
    neighbours. Rows are taken ``rows`` at a time, so memory stays bounded. NaN for a node without ties.

    >>> g = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")])
    >>> c, e = structural_holes(g, ["c", "d"])
    >>> round(c["c"], 4) == round(nx.constraint(g)["c"], 4), e["c"], e["d"]
    (True, 2.3333333333333335, 1.0)
    """
    order = list(graph)
    index = {node: i for i, node in enumerate(order)}
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=order, weight=None, format="csr")
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        share = sparse.diags(np.where(degree > 0, 1.0 / degree, 0.0)) @ adjacency  # p_uv
    constraint: dict[str, float] = {}
    effective: dict[str, float] = {}
    for start in range(0, len(nodes), rows):
        chunk = nodes[start : start + rows]
        at = [index[node] for node in chunk]
        mask = adjacency[at]
        direct = share[at]
        local = (direct + (direct @ share).multiply(mask)).multiply(mask)  # p_uv + sum_w p_uw p_wv, on ties only
        sums = np.asarray(local.power(2).sum(axis=1)).ravel()
        among = np.asarray((mask @ adjacency).multiply(mask).sum(axis=1)).ravel() / 2  # ties among the neighbours
        for node, i, total, ties in zip(chunk, at, sums, among, strict=True):
            d = degree[i]
            constraint[node] = float(total) if d else float("nan")
            effective[node] = float(d - 2 * ties / d) if d else float("nan")
    return constraint, effective


def _rounded(value: float | None) -> float | None:
    return None if value is None or value != value else round(float(value), 4)  # NaN for isolated nodes


def communities(graph: nx.Graph, topics: dict[str, list[str]] | None = None, seed: int = 1) -> dict:
    """Louvain communities (seeded, so reproducible), each described by its members' sides, sectors and topics."""
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed) if graph.number_of_edges() else []
    described = []
    for members in sorted(found, key=lambda c: (-len(c), sorted(c))):
        events = {e for x, y, d in graph.subgraph(members).edges(data=True) for e in d["events"]}
        topic_counts: Counter[str] = Counter(t for e in events for t in (topics or {}).get(e, []))
        described.append({
            "size": len(members),
            "members": sorted(graph.nodes[n]["name"] for n in members),
            "sides": dict(Counter(graph.nodes[n]["side"] for n in members).most_common()),
            "sectors": dict(Counter(graph.nodes[n]["sector"] or UNKNOWN for n in members).most_common()),
            "topics": [t for t, _ in topic_counts.most_common(5)],
        })  # fmt: skip
    return {"algorithm": f"Louvain (networkx), seed {seed}", "communities": described}


def continuity(bipartite: nx.Graph) -> dict:
    """Per event in date order: new and returning people and organisations, retention, and who dropped out."""
    events = sorted(
        (n for n, d in bipartite.nodes(data=True) if d.get("bipartite") == "event"),
        key=lambda e: (bipartite.nodes[e]["date"] or "9999", e),
    )
    seen: set[str] = set()
    last_seen: dict[str, int] = {}
    for index, event in enumerate(events):
        for agent in bipartite.neighbors(event):
            last_seen[agent] = index
    rows = []
    for index, event in enumerate(events):
        present = set(bipartite.neighbors(event))
        returning = present & seen
        rows.append({
            "event": event, "name": bipartite.nodes[event]["name"], "date": bipartite.nodes[event]["date"] or None,
            "people": _count(bipartite, present, "person"), "organisations": _count(bipartite, present, "organisation"),
            "new": sorted(bipartite.nodes[a]["name"] for a in present - seen),
            "returning": sorted(bipartite.nodes[a]["name"] for a in returning),
            "retention": round(len(returning) / len(present), 3) if present else None,
            "last_appearance": sorted(bipartite.nodes[a]["name"] for a in present if last_seen[a] == index
                                      and index < len(events) - 1),
        })  # fmt: skip
        seen |= present
    return {"events": rows}


def _count(graph: nx.Graph, agents: set[str], kind: str) -> int:
    return sum(1 for a in agents if graph.nodes[a]["kind"] == kind)
