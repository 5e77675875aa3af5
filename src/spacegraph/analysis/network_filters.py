"""The network view's filters: which part of a co-appearance network a request asks for, checked against what the
network holds, and that part cut out with each edge's evidence from the editions left only.

The filters are

* ``graph``: ``people`` (the person–person network) or ``organisations``;
* ``from``, ``to``: years (an edition without a date is left out when either is given);
* ``edition``: an edition's IRI;
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

from collections.abc import Mapping
from dataclasses import dataclass
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

    def events(self, choices: Choices) -> set[str] | None:
        """The editions the filters leave, or None when no filter chooses editions."""
        if self.year_from is None and self.year_to is None and self.edition is None and self.topic is None:
            return None
        chosen = set(choices.editions)
        if self.edition:
            chosen = {self.edition}
        if self.topic:
            chosen &= choices.topics[self.topic]["editions"]
        if self.year_from is not None or self.year_to is not None:
            low, high = self.year_from or -9999, self.year_to or 9999
            chosen = {e for e in chosen if (year := choices.editions[e].year) is not None and low <= year <= high}
        return chosen

    def params(self) -> dict[str, str | int | None]:
        """The filters under the names of their query parameters."""
        return {"graph": self.graph, "from": self.year_from, "to": self.year_to, "edition": self.edition,
                "topic": self.topic, "side": self.side, "sector": self.sector}  # fmt: skip

    def query(self) -> dict[str, str]:
        """The filters that are set, as query parameters (for a link to the same network)."""
        return {k: str(v) for k, v in self.params().items() if v is not None and (k, v) != ("graph", "people")}


def parse_filters(args: Mapping[str, str], choices: Choices, graph: nx.Graph | None = None) -> Filters:
    """The filters of a request, checked against what the network holds; ``BadFilter`` says what is wrong."""
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
    return Filters(kind, years["from"], years["to"], edition, topic, side, sector)


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
    """The part of ``graph`` the filters leave, each edge with its evidence from the editions left only."""
    events = filters.events(choices)
    presence = choices.presence[filters.graph]
    result = nx.Graph()
    for node, data in graph.nodes(data=True):
        if filters.side and data["side"] != filters.side or filters.sector and data["sector"] != filters.sector:
            continue
        present = presence.get(node, set()) if events is None else presence.get(node, set()) & events
        if events is not None and not present:
            continue
        years = sorted({year for e in present if (year := choices.editions[e].year) is not None})
        result.add_node(node, **{**data, "events": len(present), "years": years,
                                 "first_year": years[0] if years else None, "last_year": years[-1] if years else None})  # fmt: skip
    for x, y, data in graph.subgraph(result.nodes).edges(data=True):
        evidence = data["events"] if events is None else {e: v for e, v in data["events"].items() if e in events}
        if evidence:
            result.add_edge(x, y, events=evidence, weight=len(evidence))
    return result
