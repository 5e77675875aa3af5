"""Whom to invite: people ranked for a topic, each with the reasons for the rank; and new pairings.

A candidate's score adds four things the graph shows, each given as a reason in words:

* **topic similarity** (weight 3): the best Wu–Palmer similarity, over the SKOS scheme, between the wanted topic
  and the topics of the editions the person spoke at: 2·depth(common broader topic) / (depth(a) + depth(b)),
  1 for the topic itself (Wu and Palmer, "Verb semantics and lexical selection", ACL 1994);
* **side** (weight 1): the person is from the side with fewer speaking appearances in the series;
* **bridging** (weight 1): the person's co-speakers fall in more than one community of the co-appearance network
  (Louvain, seeded), so inviting them ties groups that otherwise meet little;
* **rotation** (weight 0.5): the person has not spoken in the latest year of the series (or never has).

New pairings are people of the two sides who never shared an edition, scored by link prediction on the
co-appearance network (Adamic–Adar over shared co-speakers) and on the person–topic network (Jaccard overlap
of their topics, broader topics included).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from functools import cached_property

import networkx as nx

from spacegraph.analysis.projections import co_appearance_graph
from spacegraph.planning.coverage import covered_topics
from spacegraph.planning.history import SPEAKING_SIDES, History

WEIGHTS = {"topic": 3.0, "side": 1.0, "bridging": 1.0, "rotation": 0.5}
SEED = 1


class Ranker:
    """Scores people of one history for topics; built once per plan (the communities are computed once).

    ``everyone``: every person of the series as a network without ties, to resolve names against (anyone can be
    excluded from a plan, speaker or not)."""

    def __init__(self, history: History):
        self.history = history

    @cached_property
    def network(self) -> nx.Graph:
        return co_appearance_graph(self.history.speaking)

    @cached_property
    def everyone(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(self.history.people)
        return graph

    @cached_property
    def community_of(self) -> dict[str, int]:
        if self.network.number_of_edges() == 0:
            return {}
        groups = nx.community.louvain_communities(self.network, seed=SEED)
        ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
        return {person: i for i, group in enumerate(ordered) for person in group}

    @cached_property
    def topics_of(self) -> dict[str, dict[str, int]]:
        """Per person, the topics of the editions they spoke at, with the latest year (0 when undated)."""
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for a in self.history.speaking:
            edition = self.history.editions[self.history.edition_index[a.event]]
            for topic in edition.topics:
                out[a.agent][topic] = max(out[a.agent].get(topic, 0), edition.year or 0)
        for invitee in self.history.longlist:  # the topics a curator suggested them for
            for topic in invitee.get("topics", ()):
                out[invitee["iri"]].setdefault(topic, 0)
        return out

    @cached_property
    def side_counts(self) -> Counter:
        return Counter(a.side for a in self.history.speaking if a.side in SPEAKING_SIDES)

    @cached_property
    def latest_year(self) -> int | None:
        return max((e.year for e in self.history.editions if e.year), default=None)

    @cached_property
    def under_represented(self) -> str | None:
        counts = self.side_counts
        if len(counts) < 2 or counts[SPEAKING_SIDES[0]] == counts[SPEAKING_SIDES[1]]:
            return None
        return min(SPEAKING_SIDES, key=lambda s: counts[s])

    def similarity(self, a: str, b: str) -> float:
        """Wu–Palmer similarity of two topics in the scheme (1 for the same topic, 0 when unrelated)."""
        if a == b:
            return 1.0
        common = ({a} | self.history.ancestors.get(a, set())) & ({b} | self.history.ancestors.get(b, set()))
        if not common:
            return 0.0
        deepest = max(self.history.depth(c) for c in common)
        return 2 * deepest / (self.history.depth(a) + self.history.depth(b))

    def score(self, person: str, topic: str | None) -> dict:
        """The person's score for ``topic`` (or for any slot, when None), with its parts and reasons."""
        h = self.history
        info = h.people[person]
        parts: dict[str, float] = {}
        reasons: list[str] = []
        if topic is not None:
            best = max(((self.similarity(topic, t), year, t) for t, year in self.topics_of.get(person, {}).items()),
                       default=(0.0, 0, None))  # fmt: skip
            similarity, year, related = best
            parts["topic"] = round(similarity, 3)
            if "longlist" in info and related is not None and similarity > 0:
                reasons.append(f"on the longlist for {'this topic' if related == topic else 'a related topic'} "
                               f"({h.label(related)})")  # fmt: skip
            elif related == topic:
                reasons.append(f"spoke on this topic ({h.label(topic)}) in {year or 'an undated edition'}")
            elif related is not None and similarity > 0:
                reasons.append(f"spoke on a related topic ({h.label(related)}) in {year or 'an undated edition'}")
        side = info["side"]
        if side is not None and side == self.under_represented:
            counts = self.side_counts
            parts["side"] = 1.0
            reasons.append(f"from the under-represented side ({side}: {counts[side]} of "
                           f"{sum(counts.values())} speaking appearances)")  # fmt: skip
        groups = {self.community_of[n] for n in self.network.neighbors(person)} if person in self.network else set()
        groups.discard(self.community_of.get(person, -1))
        if groups:
            parts["bridging"] = min(1.0, len(groups) / 2)
            reasons.append(f"would connect two otherwise separate groups: has co-speakers in {len(groups) + 1} "
                           "groups of the network")  # fmt: skip
        spoke_years = [y for i in info["spoke_at"] if (y := h.editions[i].year)]
        if spoke_years and self.latest_year and max(spoke_years) < self.latest_year:
            parts["rotation"] = 1.0
            reasons.append(f"has not appeared since {max(spoke_years)}")
        elif not info["spoke_at"]:
            parts["rotation"] = 1.0
            reasons.append("new to the series: on the longlist of people to invite, not in the graph yet"
                           if "longlist" in info else
                           "has never spoken at an edition of the series (listed only as contact or host)")  # fmt: skip
        total = sum(WEIGHTS[k] * v for k, v in parts.items())
        return {"person": person, "name": info["name"], "side": side, "organisation": info["organisation_name"],
                "organisation_iri": info["organisation"], "sector": info["sector"], "score": round(total, 3),
                "parts": parts, "reasons": reasons, "new": not info["spoke_at"],
                "longlist": "longlist" in info}  # fmt: skip

    def rank(self, topic: str | None = None, exclude: set[str] | frozenset[str] = frozenset()) -> list[dict]:
        """Everyone of the series but ``exclude``, best first; ties broken by name, then IRI (deterministic)."""
        scored = [self.score(p, topic) for p in self.history.people if p not in exclude]
        return sorted(scored, key=lambda c: (-c["score"], c["name"], c["person"]))


def candidates(history: History, topic: str | None = None, top: int = 20) -> dict:
    ranker = Ranker(history)
    ranked = ranker.rank(topic)[:top]
    return {"series": history.series, "topic": topic, "topic_label": history.label(topic) if topic else None,
            "weights": WEIGHTS, "candidates": ranked}  # fmt: skip


def pairings(history: History, top: int = 10, ranker: Ranker | None = None) -> list[dict]:
    """People of the two sides who share topics but never shared a stage, best first, with the reasons.
    ``ranker``: one already built for ``history`` (its network and communities are computed once)."""
    ranker = ranker or Ranker(history)
    network = ranker.network
    # pairs of people who spoke (a longlist invitee has not)
    sides = {p: info["side"] for p, info in history.people.items()
             if info["side"] in SPEAKING_SIDES and "longlist" not in info}  # fmt: skip
    us = sorted(p for p, s in sides.items() if s == SPEAKING_SIDES[0])
    china = sorted(p for p, s in sides.items() if s == SPEAKING_SIDES[1])
    broad = {p: set(covered_topics(history, tuple(t))) for p, t in ranker.topics_of.items()}
    out = []
    for a in us:
        for b in china:
            if network.has_edge(a, b):
                continue
            shared = broad.get(a, set()) & broad.get(b, set())
            if not shared:
                continue
            jaccard = len(shared) / len(broad[a] | broad[b])
            common = set(network[a]) & set(network[b]) if a in network and b in network else set()
            adamic_adar = sum(1 / math.log(network.degree(c)) for c in common if network.degree(c) > 1)
            direct = sorted(history.label(t) for t in shared if t in ranker.topics_of[a] and t in ranker.topics_of[b])
            labels = direct or sorted(history.label(t) for t in shared if history.depth(t) > 1) or sorted(
                history.label(t) for t in shared)  # fmt: skip
            reasons = [f"both spoke on {', '.join(labels[:3])}"]
            if common:
                reasons.append(f"share {len(common)} co-speakers but never a stage")
            out.append({"a": a, "a_name": history.people[a]["name"], "b": b, "b_name": history.people[b]["name"],
                        "score": round(jaccard + adamic_adar, 3), "topic_overlap": round(jaccard, 3),
                        "adamic_adar": round(adamic_adar, 3), "reasons": reasons})  # fmt: skip
    out.sort(key=lambda p: (-p["score"], p["a_name"], p["b_name"]))
    return out[:top]
