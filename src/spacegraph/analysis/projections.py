"""Networks built from the role records (sg:Participation) of the graph, with the evidence of every edge.

``Appearance`` is one agent holding one role at one event. From a list of them (read from the store by
``read_appearances``, or written by hand in tests) ``co_appearance_graph`` builds the person–person network:
two people are linked when they held a role at the same event, and the edge keeps, per event, its name and date,
both people's roles and affiliations at the time, and the sources.

>>> a = [Appearance("p:a", "A", "person", "e:1", "Event 1", "2020-01-01", "speaker"),
...      Appearance("p:b", "B", "person", "e:1", "Event 1", "2020-01-01", "moderator")]
>>> graph = co_appearance_graph(a)
>>> graph["p:a"]["p:b"]["weight"], graph["p:a"]["p:b"]["events"]["e:1"]["roles"]
(1, {'p:a': ['speaker'], 'p:b': ['moderator']})

An event with more than ``MAX_TIE_PARTICIPANTS`` participants (a congress, not a dialogue) would add a tie for
every pair of them, n²/2 ties with their evidence: 12.5 million for 5,000 speakers. Its ties are left out of the
co-appearance networks, and the network says so (``graph.graph["note"]`` and ``graph.graph["events_left_out"]``);
its people stay in the network, and in the person–event network with all their events.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab.records import Appearance
from spacegraph.vocab.sparql import PREFIX_HEADER
from spacegraph.vocab.terms import NOT_SPEAKING, UNKNOWN

# Participants of one event above which its co-participation ties are left out of the co-appearance networks (the
# largest edition of the series has 12 people; the synthetic benchmark's largest 84): see the module's text.
MAX_TIE_PARTICIPANTS = 300


# Simple queries joined in Python: one pattern each, so the engine never has to plan a large join of OPTIONALs
# (a single query with all of them took minutes on a thousand triples).
PARTICIPATIONS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?p ?g ?agent ?event ?role WHERE {
  GRAPH ?g { ?p a sg:Participation ; conf:isHeldBy ?agent ; conf:withRole ?r ; conf:during ?event }
  ?r rdfs:label ?role FILTER (lang(?role) = "en")
}"""
)
SIDES = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?p ?side WHERE { ?p sg:side ?term . ?term rdfs:label ?side FILTER (lang(?side) = "en") }"""
)
AFFILIATIONS = PREFIX_HEADER + "SELECT DISTINCT ?p ?org WHERE { ?p sg:affiliation/conf:withOrganisation ?org }"
ORGANISATIONS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?org ?sector ?country WHERE {
  ?org a org:Organization .
  OPTIONAL { ?org sg:sector ?s . ?s rdfs:label ?sector FILTER (lang(?sector) = "en") }
  OPTIONAL { ?org schema:addressCountry ?country }
}"""
)
NAMES = PREFIX_HEADER + "SELECT DISTINCT ?x ?name WHERE { ?x schema:name ?name }"
PEOPLE = PREFIX_HEADER + "SELECT DISTINCT ?x WHERE { ?x a foaf:Person }"
DATES = PREFIX_HEADER + "SELECT DISTINCT ?x ?date WHERE { ?x schema:startDate ?date }"
SOURCES = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?g ?source WHERE {
  GRAPH ?g { ?g prov:wasDerivedFrom ?source } FILTER (!STRSTARTS(STR(?source), "https://w3id.org/"))
}"""
)
TOPICS = (
    PREFIX_HEADER
    + """
SELECT DISTINCT ?event ?topic ?label WHERE {
  ?event schema:about ?topic . ?topic skos:prefLabel ?label FILTER (lang(?label) = "en")
}
"""
)


def _value(row, name):
    term = row[name]
    return None if term is None else term.value


def _pairs(store: OxigraphStore, sparql: str, key: str, value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in store.query(sparql):
        out.setdefault(_value(row, key), _value(row, value))
    return out


def read_appearances(store: OxigraphStore) -> list[Appearance]:
    """Every role record of the graph, one per agent, role and event (the first source, if several)."""
    sides = _pairs(store, SIDES, "p", "side")
    affiliations = _pairs(store, AFFILIATIONS, "p", "org")
    names = _pairs(store, NAMES, "x", "name")
    dates = _pairs(store, DATES, "x", "date")
    sources = _pairs(store, SOURCES, "g", "source")
    people = {_value(row, "x") for row in store.query(PEOPLE)}
    organisations = {_value(r, "org"): (_value(r, "sector"), _value(r, "country")) for r in store.query(ORGANISATIONS)}
    seen: dict[tuple[str, str, str], Appearance] = {}
    for row in store.query(PARTICIPATIONS):
        record, agent, event, role = (_value(row, v) for v in ("p", "agent", "event", "role"))
        key = (agent, event, role)
        org = affiliations.get(record)
        if key in seen and (seen[key].organisation or not org):
            continue
        sector, country = organisations.get(org, (None, None)) if org else (None, None)
        seen[key] = Appearance(
            agent, names.get(agent, agent), "person" if agent in people else "organisation", event,
            names.get(event, event), dates.get(event), role, sides.get(record), org, names.get(org) if org else None,
            sector, country, sources.get(_value(row, "g")),
        )  # fmt: skip
    return sorted(seen.values(), key=lambda a: (a.date or "9999", a.event, a.agent, a.role))


def read_topics(store: OxigraphStore) -> dict[str, list[str]]:
    topics: dict[str, list[str]] = defaultdict(list)
    for row in store.query(TOPICS):
        topics[_value(row, "event")].append(_value(row, "label"))
    return dict(topics)


def _node_attributes(appearances: list[Appearance]) -> dict[str, dict]:
    """Per agent: name, kind, most frequent side, latest organisation, sector and country, years."""
    by_agent: dict[str, list[Appearance]] = defaultdict(list)
    for a in appearances:
        by_agent[a.agent].append(a)
    attributes = {}
    for agent, seen in by_agent.items():
        sides = Counter(a.side for a in seen if a.side)
        latest = next((a for a in reversed(seen) if a.organisation), None)
        years = sorted({a.year for a in seen if a.year})
        attributes[agent] = {
            "name": seen[0].name,
            "kind": seen[0].kind,
            "side": sides.most_common(1)[0][0] if sides else UNKNOWN,
            "organisation": latest.organisation_name if latest else "",
            "sector": (latest.sector if latest else None) or "",
            "country": (latest.country if latest else None) or "",
            "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None,
            "events": len({a.event for a in seen}),
        }
    return attributes


def person_event_graph(appearances: Iterable[Appearance]) -> nx.Graph:
    """Bipartite: agents and events, an edge per agent and event with its roles, affiliation and source."""
    appearances = list(appearances)
    graph = nx.Graph()
    for agent, attributes in _node_attributes(appearances).items():
        graph.add_node(agent, bipartite="agent", **attributes)
    for a in appearances:
        graph.add_node(a.event, bipartite="event", name=a.event_name, date=a.date or "", kind="event")
        data = graph.get_edge_data(a.agent, a.event) or {
            "roles": [],
            "affiliation": a.organisation_name,
            "source": a.source,
        }
        data["roles"] = sorted({*data["roles"], a.role})
        graph.add_edge(a.agent, a.event, **data)
    return graph


def co_appearance_graph(
    appearances: Iterable[Appearance], kind: str = "person", max_participants: int = MAX_TIE_PARTICIPANTS
) -> nx.Graph:
    """Agents of ``kind`` linked when they took part in the same event (not as contact or host).

    The ties of an event with more than ``max_participants`` such agents are left out (n²/2 of them), and listed in
    ``graph.graph["events_left_out"]`` with a ``note`` saying what that means for the answers.
    """
    appearances = [a for a in appearances if a.kind == kind and a.role not in NOT_SPEAKING]
    graph = nx.Graph()
    graph.graph["events_left_out"] = []
    for agent, attributes in _node_attributes(appearances).items():
        graph.add_node(agent, **attributes)
    by_event: dict[str, list[Appearance]] = defaultdict(list)
    for a in appearances:
        by_event[a.event].append(a)
    for event, present in by_event.items():
        roles: dict[str, list[str]] = defaultdict(list)
        affiliations: dict[str, str | None] = {}
        sources = sorted({a.source for a in present if a.source})
        for a in present:
            roles[a.agent].append(a.role)
            affiliations[a.agent] = affiliations.get(a.agent) or a.organisation_name
        if len(roles) > max_participants:
            graph.graph["events_left_out"].append(
                {"event": event, "name": present[0].event_name, "date": present[0].date, "participants": len(roles)}
            )
            continue
        for x, y in itertools.combinations(sorted(roles), 2):
            if not graph.has_edge(x, y):
                graph.add_edge(x, y, events={}, weight=0)
            graph[x][y]["events"][event] = {
                "name": present[0].event_name,
                "date": present[0].date,
                "roles": {x: sorted(roles[x]), y: sorted(roles[y])},
                "affiliations": {x: affiliations[x], y: affiliations[y]},
                "sources": sources,
            }
            graph[x][y]["weight"] = len(graph[x][y]["events"])
    if left_out := graph.graph["events_left_out"]:
        events = "; ".join(f"{e['name']} ({e['participants']:,} participants)" for e in left_out)
        graph.graph["note"] = (
            f"The ties of {len(left_out)} event(s) with more than {max_participants:,} participants are left out "
            f"of this network (every pair of them would be a tie): {events}. Who spoke with whom, paths, ego "
            "networks and rankings do not count those events; the person–event network has them."
        )
    return graph


def organisation_graph(appearances: Iterable[Appearance]) -> nx.Graph:
    """Organisations linked when their people (or they themselves) took part in the same event."""
    as_organisations = []
    for a in appearances:
        if a.role in NOT_SPEAKING:
            continue
        if a.kind == "organisation":
            as_organisations.append(a)
        elif a.organisation:
            as_organisations.append(Appearance(a.organisation, a.organisation_name or a.organisation, "organisation",
                                               a.event, a.event_name, a.date, a.role, a.side, a.organisation,
                                               a.organisation_name, a.sector, a.country, a.source))  # fmt: skip
    return co_appearance_graph(as_organisations, kind="organisation")


def side_graph(people: nx.Graph) -> nx.Graph:
    """The sides of the dialogue, linked by how many person pairs of the two sides shared an event."""
    graph = nx.Graph()
    for x, y, data in people.edges(data=True):
        a, b = people.nodes[x]["side"], people.nodes[y]["side"]
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, weight=0, pairs=0)
        graph[a][b]["weight"] += data["weight"]
        graph[a][b]["pairs"] += 1
    return graph


def person_topic_graph(appearances: Iterable[Appearance], topics: dict[str, list[str]]) -> nx.Graph:
    """People linked to the topics of the events they took part in."""
    graph = nx.Graph()
    for a in appearances:
        if a.kind != "person":
            continue
        for topic in topics.get(a.event, []):
            graph.add_node(a.agent, kind="person", name=a.name)
            graph.add_node(topic, kind="topic", name=topic)
            data = graph.get_edge_data(a.agent, topic) or {"events": []}
            if a.event not in data["events"]:
                data["events"] = [*data["events"], a.event]
            graph.add_edge(a.agent, topic, weight=len(data["events"]), events=data["events"])
    return graph
