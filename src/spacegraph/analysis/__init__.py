"""Relationship analysis: NetworkX projections of the graph's role records, and the questions analysts ask.

``projections`` reads the role records once and builds the networks, every edge with its evidence (the events,
their dates, the roles and affiliations at the time, the sources); ``cache`` keeps them per store generation;
``questions`` answers who spoke with whom, paths, ego networks, rankings, bridges, communities and continuity;
``exports`` writes GraphML, GEXF (dynamic), CSV and node-link JSON.
"""
