"""A draft programme saved as RDF: one named graph per series, typed as a proposal, never mixed into the facts.

The graph (``{base}graph/proposal-{series}``) holds an ``sg:Proposal`` with its ``sg:ProposedSlot``s and describes
itself like every named graph: derived from the plan request (an ``sg:SourceDocument``), recorded by
``spacegraph plan``, at a time. It uses only the proposal terms, so queries over the facts (participations,
affiliations, names) and the analysis do not see it; ``GRAPH <…proposal…>`` or ``?p a sg:Proposal`` ask for it.
It is kept in ``data/proposals/`` like any graph (``spacegraph build`` restores it), validated before it is
written, and written and discarded through the same journaled commit as an ingest: all or nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from spacegraph.datafiles import graph_quads
from spacegraph.ingest.to_rdf import new_graph
from spacegraph.iris import Minter, slug
from spacegraph.settings import Settings
from spacegraph.store.oxigraph import StoreMissing
from spacegraph.vocab import SG
from spacegraph.write import Agent, GraphChange, Writer


class ProposalRejected(ValueError):
    """The proposal graph failed validation; nothing was written."""


def names(series_name: str, base: str) -> tuple[str, URIRef, URIRef]:
    """The file stem, the graph IRI and the proposal IRI for a series."""
    stem = "proposal-" + slug(series_name)[:80].rstrip("-")
    minter = Minter(base)
    return stem, minter.graph(stem), URIRef(f"{base}id/proposal/{stem.removeprefix('proposal-')}")


def proposal_graph(plan: dict, base: str, recorded_at: str) -> Graph:
    stem, graph_iri, proposal = names(plan["series_name"], base)
    minter = Minter(base)
    graph = new_graph(graph_iri)
    request = minter.source(f"plan-request-{stem}")
    agent = minter.agent("spacegraph plan")
    graph.add((graph_iri, RDF.type, SG.SourceGraph))
    graph.add((graph_iri, RDF.type, SG.ProposalGraph))
    graph.add((graph_iri, PROV.wasDerivedFrom, request))
    graph.add((graph_iri, PROV.generatedAtTime, Literal(recorded_at, datatype=XSD.dateTime)))
    graph.add((graph_iri, PROV.wasAttributedTo, agent))
    graph.add((request, RDF.type, SG.SourceDocument))
    graph.add((request, RDFS.label, Literal(f"spacegraph plan {plan['request']}")))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal("spacegraph plan")))
    graph.add((proposal, RDF.type, SG.Proposal))
    graph.add((proposal, RDFS.label, Literal(f"Draft programme for the next edition of {plan['series_name']}")))
    graph.add((proposal, SG.forSeries, URIRef(plan["series"])))
    for s in plan["slots"]:
        node = URIRef(f"{proposal}/slot-{s['slot']}")
        graph.add((proposal, SG.slot, node))
        graph.add((node, RDF.type, SG.ProposedSlot))
        graph.add((node, SG.slotNumber, Literal(s["slot"])))
        graph.add((node, SG.proposedAgent, URIRef(s["person"])))
        graph.add((node, SG.proposedTopic, URIRef(s["topic"])))
        graph.add((node, SG.score, Literal(Decimal(str(s["score"])))))
        for reason in s["reasons"]:
            graph.add((node, SG.reason, Literal(reason)))
    return graph


def save(plan: dict, settings: Settings) -> str:
    """Validate the proposal in the context of the store, then commit it to data/proposals/ and the store."""
    stem, graph_iri, _ = names(plan["series_name"], settings.base)
    recorded_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    quads = graph_quads(proposal_graph(plan, settings.base, recorded_at))
    change = GraphChange(
        ox.NamedNode(str(graph_iri)), quads, settings.data / "proposals" / f"{stem}.trig", _by(settings)
    )
    with Writer(settings) as writer:
        try:
            report = writer.check(change)
        except StoreMissing as error:
            raise ProposalRejected(str(error)) from None
        if not report.conforms:
            raise ProposalRejected(f"the proposal does not validate, nothing was written:\n{report.render()}")
        writer.commit(change)
    return str(graph_iri)


def discard(series_name: str, settings: Settings) -> str | None:
    """Remove the series' proposal from data/proposals/ and the store; None when there was none."""
    stem, graph_iri, _ = names(series_name, settings.base)
    graph = ox.NamedNode(str(graph_iri))
    target = settings.data / "proposals" / f"{stem}.trig"
    with Writer(settings) as writer:
        try:
            present = any(True for _ in writer.store.quads(graph=graph))
        except StoreMissing:
            present = False
        if not present and not target.exists():
            return None
        writer.commit(GraphChange(graph, [], target, _by(settings)))
    return str(graph_iri)


def _by(settings: Settings) -> Agent:
    return Agent.program("spacegraph plan", settings)
