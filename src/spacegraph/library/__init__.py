"""One way into the library: ``Spacegraph(settings)``, the calls the command line and the web both make.

Each call answers from the published data version: the library opens its store once per version and keeps what it
computes from it (the projections and the answers about the whole network, the name index, the network view's
catalogue, the source documents' texts) in one ``Published`` per version, replaced when a commit publishes a new one
(``spacegraph.library.published``). A web worker builds one ``Spacegraph`` and its threads share it; under
`spacegraph serve` it loads a new version in the background while the one before keeps answering
(``load_in_background``).

A call returns plain data (a dict, a network) or raises the domain's error: ``StoreMissing`` (no data yet),
``UnknownName`` (a name that resolves to no one, or to several), ``LookupError`` (no such series or topic),
``PlanRefused``, ``ProposalRejected``, ``QueryError``, ``ValueError`` (a parameter out of range). The CLI and the web
turn them into messages.

An answer from a people or organisation network that leaves out the ties of very large events carries the
network's ``note`` and ``events_left_out`` (``spacegraph.analysis.projections.MAX_TIE_PARTICIPANTS``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from spacegraph.library.published import Published
from spacegraph.settings import Settings
from spacegraph.store.open import data_version, open_store

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

    from spacegraph.analysis.cache import Projections
    from spacegraph.library.catalogue import Catalogue
    from spacegraph.names import Resolution
    from spacegraph.planning.candidates import Ranker
    from spacegraph.planning.history import History
    from spacegraph.store.oxigraph import OxigraphStore
    from spacegraph.store.sparql import SparqlStore
    from spacegraph.write import Agent

OPENING_ATTEMPTS = 5  # a store opened while a commit publishes is opened again (see ``published``)


class Spacegraph:
    """The library on the data the settings name. Thread-safe: a web worker's threads share one."""

    def __init__(self, settings: Settings, switch: str | None = "--organisations"):
        """``switch``: how the caller's interface asks for organisations instead of people, for the message about a
        name of the other kind (``names.Resolver``)."""
        self.settings, self.switch = settings, switch
        self._published: Published | None = None
        self._switching = threading.Lock()
        self._loading: tuple[str, threading.Event] | None = None  # the version being loaded in the background
        self.background: tuple[float, Callable[[Published], None]] | None = None  # see ``load_in_background``

    # -- the data version and what is kept for it ------------------------------------------------------------------

    def version(self) -> str:
        """The version of the published data (``StoreMissing`` when there is none yet)."""
        return data_version(self.settings)

    def published(self) -> Published:
        """The published data version, with what has been computed from it: the same object until a commit."""
        version = self.version()
        current = self._published
        if current is not None and current.version == version:
            return current
        if current is not None and self.background is not None:
            return self._next(version, current)
        with self._switching:
            current = self._published
            if current is not None and current.version == version:
                return current
            self._published = current = self._open(version)
        return current

    def _open(self, version: str) -> Published:
        for _ in range(OPENING_ATTEMPTS):
            store = open_store(self.settings)
            opened = self.version()
            if opened == version:  # no commit published between the two reads: the store is that version
                break
            store.close()
            version = opened
        return Published(self.settings, version, store)

    def warm(self, progress: Callable[[str], None] = lambda message: None) -> Published:
        """Load now what most calls need from the published version (``Published.warm``), telling ``progress``."""
        published = self.published()
        published.warm(progress)
        return published

    def load_in_background(self, wait: float, warm: Callable[[Published], None]) -> None:
        """From now on, a version a commit publishes is opened and ``warm``-ed in a thread of its own while the
        version before keeps answering; a call waits for it at most ``wait`` seconds (a small version is ready by
        then, so that whoever committed sees the commit)."""
        self.background = (wait, warm)

    def _next(self, version: str, current: Published) -> Published:
        assert self.background is not None
        wait, warm = self.background
        with self._switching:
            if self._loading is None or self._loading[0] != version:
                self._loading = (version, threading.Event())
                threading.Thread(target=self._load, args=(self._loading, warm), daemon=True).start()
            done = self._loading[1]
        done.wait(wait)
        return self._published or current

    def _load(self, loading: tuple[str, threading.Event], warm: Callable[[Published], None]) -> None:
        published = None
        try:
            published = self._open(loading[0])
            warm(published)
            with self._switching:
                if self._loading is loading:  # not overtaken by a later commit
                    self._published = published
        finally:
            with self._switching:
                if self._loading is loading and self._published is not published:  # failed: the next call retries
                    self._loading = None
            loading[1].set()

    def store(self) -> OxigraphStore | SparqlStore:
        """The store of the published data version, to read."""
        return self.published().store

    def projections(self) -> Projections:
        return self.published().projections

    def catalogue(self) -> Catalogue:
        """What the network view's filters choose from."""
        return self.published().catalogue

    def document_text(self, local_copy: str) -> str | None:
        """The text of a source document's local copy under the data directory (None: no such readable file)."""
        return self.published().document_text(local_copy)

    def network(self, name: str = "people") -> nx.Graph:
        """One of the projections by its name in ``spacegraph.analysis.tables.NETWORKS``."""
        return self.projections().network(name)

    def resolve(self, name: str, network: str = "people") -> Resolution:
        """The node ``name`` means in the network, with a note of what was assumed (a typo, a family name alone);
        ``UnknownName`` lists candidates, or says the name is of the other kind."""
        return self._resolve(self.published(), name, network)

    def _resolve(self, published: Published, name: str, network: str) -> Resolution:
        from spacegraph.names import Resolver

        resolver, graph = Resolver(published.names, self.switch), published.projections.network(network)
        return resolver.organisation(name, graph) if network == "organisations" else resolver.person(name, graph)

    # -- the analysts' questions: each reads one published version, from the names to the answer --------------------

    def who_spoke_with(self, person: str, year_from: int | None = None, year_to: int | None = None) -> dict:
        from spacegraph.analysis import questions

        published = self.published()
        graph, found = published.projections.people, self._resolve(published, person, "people")
        return _noted(questions.who_spoke_with(graph, found.iri, year_from, year_to), graph, found)

    def path(self, a: str, b: str, organisations: bool = False) -> dict:
        from spacegraph.analysis import questions

        published, network = self.published(), "organisations" if organisations else "people"
        graph = published.projections.network(network)
        ends = self._resolve(published, a, network), self._resolve(published, b, network)
        return _noted(questions.shortest_paths(graph, ends[0].iri, ends[1].iri), graph, *ends)

    def ego(self, node: str, radius: int = 1, max_nodes: int = 500) -> dict:
        from spacegraph.analysis import questions

        if radius < 1 or max_nodes < 1:
            raise ValueError("radius and max_nodes must be at least 1")
        published = self.published()
        graph, found = published.projections.people, self._resolve(published, node, "people")
        return _noted(questions.ego(graph, found.iri, radius, max_nodes), graph, found)

    def rank(self, measure: str = "degree", side: str | None = None, top: int = 20) -> dict:
        """People ranked by a centrality measure (``tables.MEASURES``); the scores are computed once per
        version and measure, whatever the side and the number asked for."""
        from spacegraph.analysis import questions

        if measure not in questions.MEASURES:
            raise ValueError(f"unknown measure {measure!r}: use one of {', '.join(questions.MEASURES)}")
        published = self.published()
        graph = published.projections.people
        scored = published.remembered(("centrality", measure), lambda: questions.centrality(graph, measure))
        return _noted(questions.rank(graph, measure, side, top, scored=scored), graph)

    def bridges(self, top: int = 20) -> dict:
        from spacegraph.analysis import questions

        published = self.published()
        graph = published.projections.people
        return published.remembered(("bridges", top), lambda: _noted(questions.bridges(graph, top), graph))

    def communities(self, seed: int = 1) -> dict:
        from spacegraph.analysis import questions

        published = self.published()
        graph, topics = published.projections.people, published.projections.topics
        return published.remembered(
            ("communities", seed), lambda: _noted(questions.communities(graph, topics, seed), graph)
        )

    def continuity(self) -> dict:
        from spacegraph.analysis import questions

        published = self.published()
        person_event = published.projections.person_event
        return published.remembered(("continuity",), lambda: questions.continuity(person_event))

    def export(self, network: str, fmt: str, output: Path) -> nx.Graph:
        """Write a projection for Gephi, Cytoscape or a spreadsheet (``tables.EXPORT_FORMATS``); the network
        written."""
        from spacegraph.analysis.exports import export

        graph = self.network(network)
        export(graph, fmt, output)
        return graph

    # -- planning the next edition ---------------------------------------------------------------------------------

    def history(self, series: str | None = None) -> History:
        """A series' history (default: the series with the latest edition); ``LookupError`` for no such series."""
        return self.planner(series)[0]

    def planner(self, series: str | None = None) -> tuple[History, Ranker]:
        """A series' history and the ranker of its people, kept for this version."""
        return self._planner(self.published(), series)

    def _planner(self, published: Published, series: str | None) -> tuple[History, Ranker]:
        from spacegraph.planning.candidates import Ranker
        from spacegraph.planning.history import read_history
        from spacegraph.planning.longlist import read_longlist

        def read() -> tuple[History, Ranker]:
            history = read_history(published.store, series, published.projections.appearances)
            history.longlist = read_longlist(self.settings.data)  # committed with a new version, read with it
            return history, Ranker(history)

        return published.remembered(("planner", series), read)

    def coverage(self, series: str | None = None) -> dict:
        from spacegraph.planning.coverage import coverage

        return coverage(self.history(series))

    def balance(self, series: str | None = None) -> dict:
        from spacegraph.planning.balance import balance

        return balance(self.history(series))

    def candidates(self, topic: str | None = None, top: int = 10, pairings: bool = False,
                   series: str | None = None) -> dict:  # fmt: skip
        """Whom to invite for ``topic`` (a label or IRI; None: any slot), best first, with the reasons."""
        from spacegraph.planning import candidates as c

        history, ranker = self.planner(series)
        if topic is not None and not topic.strip():
            raise ValueError("the topic is empty: give a topic's label or IRI, or none to rank for any slot")
        result = c.candidates(history, history.find_topic(topic) if topic else None, top)
        if pairings:
            result["pairings"] = c.pairings(history, top, ranker)
        return result

    def plan(self, slots: int, topics: tuple[str, ...] = (), balance_sides: bool = False, min_new: int = 0,
             exclude: tuple[str, ...] = (), series: str | None = None, save: bool = False, name: str | None = None,
             by: Agent | None = None) -> dict:  # fmt: skip
        """A draft programme for the next edition (``PlanRefused`` says which constraint cannot be met); with
        ``save``, kept as a proposal graph (``saved_as``: its IRI), called ``name`` if given, attributed to ``by``
        (default: the command)."""
        from spacegraph.iris import fold
        from spacegraph.names import Resolver
        from spacegraph.planning import proposal
        from spacegraph.planning.programme import Request, draft

        published = self.published()
        history, ranker = self._planner(published, series)
        resolver = Resolver(published.names, switch=None)
        invited = {fold(e["name"]): e["iri"] for e in history.longlist}  # not in the graph: not in the name index
        excluded = [resolver.person(name, ranker.everyone) for name in exclude if fold(name) not in invited]
        request = Request(slots, tuple(history.find_topic(t) for t in topics), balance_sides, min_new,
                          frozenset(found.iri for found in excluded)
                          | {invited[fold(n)] for n in exclude if fold(n) in invited})  # fmt: skip
        plan = draft(history, request, ranker)
        if assumed := [found.note for found in excluded if found.note]:
            plan["assumed"] = assumed
        if name:
            plan["name"] = name
        if save:
            plan["saved_as"] = proposal.save(plan, self.settings, by)
        return plan

    def discard_plan(self, series: str | None = None, name: str | None = None) -> str | None:
        """Remove the series' saved proposal (the one called ``name``); its IRI, or None when there was none."""
        from spacegraph.planning import proposal

        return proposal.discard(self.history(series).series_name, self.settings, name)

    # -- the data as a whole ---------------------------------------------------------------------------------------

    def stats(self) -> dict:
        """Counts per class, per source graph and per edition."""
        from spacegraph.stats import graph_stats

        return graph_stats(self.store())

    def query(self, sparql: str, output_format: str = "table") -> str:
        """A SPARQL query's result as a table, CSV, JSON or Turtle (``QueryError`` says what is wrong)."""
        from spacegraph.query import run_query

        return run_query(self.store(), sparql, output_format)

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat) -> int:
        """Every quad of the store, each in its named graph, to ``output``; how many quads."""
        store = self.store()
        store.dump(output, rdf_format)
        return len(store)


def _noted(answer: dict, graph: nx.Graph, *names: Resolution) -> dict:
    """The answer, with the network's note when it leaves out the ties of very large events, and what was assumed
    to read the ``names`` asked about (``assumed``) when anything was."""
    if graph.graph.get("note"):
        answer["note"] = graph.graph["note"]
        answer["events_left_out"] = graph.graph["events_left_out"]
    if assumed := [name.note for name in names if name.note]:
        answer["assumed"] = assumed
    return answer


__all__ = ["Spacegraph"]
