"""What the analysis offers by name: its centrality measures (each with what it means), its networks and its export
formats. Light (no NetworkX), so the command line offers them as choices without loading the analysis; a new
measure is named here and computed in ``questions.centrality``.
"""

from __future__ import annotations

MEASURES = {
    "degree": "Degree centrality: the share of all other people someone has shared an event with. High for people "
    "who met many others, whatever their position.",
    "betweenness": "Betweenness centrality: how often someone lies on the shortest connection between two others. "
    "High for brokers whom many connections pass through.",
    "eigenvector": "Eigenvector centrality: connection to well-connected people counts more. High for people at "
    "the heart of a dense, central group.",
    "pagerank": "PageRank: like eigenvector centrality, with a small chance of jumping anywhere; robust on "
    "networks made of several pieces.",
}
# The projections by the names the CLI and the web give them, each a field of ``analysis.cache.Projections``.
NETWORKS = ("people", "organisations", "sides", "person-event", "person-topic")
EXPORT_FORMATS = ("graphml", "gexf", "csv", "json")  # see ``analysis.exports.export``
