"""Where the network view draws each node, and the groups it can colour by: computed on the server for the part of
the network a view shows (at most ``network_filters.MAX_NODES``), seeded, so the same view of the same data version
always looks the same (the library keeps it per version).

The force-directed layout (NetworkX's spring layout) costs about n² per step: 0.6 s for 400 nodes here, 17 s for
2,000 (from 500 nodes on NetworkX switches to a slower sparse variant). So it runs on the ``SKELETON`` strongest nodes
only; every other node goes where its ties pull it (the weighted mean of its already placed neighbours, strongest
nodes first, with a small seeded offset), which keeps groups together.

>>> g = nx.Graph([("a", "b", {"weight": 1}), ("b", "c", {"weight": 1}), ("x", "y", {"weight": 3})])
>>> positions = layout(g)
>>> sorted(positions) == ["a", "b", "c", "x", "y"] and positions == layout(g)
True
>>> sorted(communities(g).items())
[('a', 0), ('b', 0), ('c', 0), ('x', 1), ('y', 1)]
"""

from __future__ import annotations

import math
import random

import networkx as nx

SKELETON = 300  # nodes laid out by forces (0.3 s here); the rest are placed by their ties
SEED = 1


def layout(graph: nx.Graph, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Each node's position, in [-1, 1]², the same for the same graph and seed."""
    if graph.number_of_nodes() == 0:
        return {}
    order = sorted(graph, key=lambda n: (-graph.degree(n, weight="weight"), n))
    skeleton = graph.subgraph(order[:SKELETON])
    placed = {n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(skeleton, seed=seed, method="force").items()}
    rng = random.Random(seed)
    for node in order[SKELETON:]:
        near = [(placed[m], graph[node][m].get("weight", 1)) for m in graph[node] if m in placed]
        if near:
            total = sum(w for _, w in near)
            x = sum(p[0] * w for p, w in near) / total
            y = sum(p[1] * w for p, w in near) / total
            placed[node] = (x + rng.uniform(-0.04, 0.04), y + rng.uniform(-0.04, 0.04))
        else:  # no tie to anyone placed: on a ring around the picture
            angle = rng.uniform(0, 2 * math.pi)
            placed[node] = (1.1 * math.cos(angle), 1.1 * math.sin(angle))
    return {n: (round(x, 4), round(y, 4)) for n, (x, y) in placed.items()}


def communities(graph: nx.Graph, seed: int = SEED) -> dict[str, int]:
    """Louvain communities of what is shown (seeded), numbered from the largest."""
    groups = nx.community.louvain_communities(graph, weight="weight", seed=seed) if graph.number_of_edges() else []
    ranked = sorted(groups, key=lambda g: (-len(g), min(g)))
    found = {node: number for number, group in enumerate(ranked) for node in group}
    next_number = len(ranked)
    for node in sorted(graph):
        if node not in found:
            found[node] = next_number
            next_number += 1
    return found
