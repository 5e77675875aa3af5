"""A draft programme saved as RDF: one named graph per proposal, typed as a proposal, never mixed into the facts.

A series has one unnamed proposal (what `spacegraph plan` saves) and any number of named ones (``--name``, or
saved from the web's /plan page). The graph (``{base}graph/proposal-{series}[-{name}]``) holds an ``sg:Proposal`` with its ``sg:ProposedSlot``s and describes
itself like every named graph: derived from the plan request (an ``sg:SourceDocument``), recorded by
``spacegraph plan``, at a time. It uses only the proposal terms, so queries over the facts (participations,
affiliations, names) and the analysis do not see it; ``GRAPH <…proposal…>`` or ``?p a sg:Proposal`` ask for it.
It is kept in ``data/proposals/`` like any graph (``spacegraph build`` restores it), validated before it is
written, and written and discarded through the same journaled commit as an ingest: all or nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from spacegraph.datafiles import graph_quads
from spacegraph.ingest.to_rdf import new_graph
from spacegraph.iris import Minter, slug
from spacegraph.planning.history import SPEAKING_SIDES
from spacegraph.settings import Settings
from spacegraph.store.oxigraph import StoreMissing
from spacegraph.vocab import SG
from spacegraph.write import Agent, GraphChange, Writer


class ProposalRejected(ValueError):
    """The proposal graph failed validation; nothing was written."""


def names(series_name: str, base: str, name: str | None = None) -> tuple[str, URIRef, URIRef]:
    """The file stem, the graph IRI and the proposal IRI for a series (and a proposal's name)."""
    stem = "proposal-" + slug(series_name)[:80].rstrip("-")
    if name and name.strip():
        if not slug(name):
            raise ValueError(f"the proposal name {name!r} has no letter or digit: give a name such as 'balanced-8'")
        stem += "-" + slug(name)[:40].rstrip("-")
    minter = Minter(base)
    return stem, minter.graph(stem), URIRef(f"{base}id/proposal/{stem.removeprefix('proposal-')}")


def proposal_graph(plan: dict, base: str, recorded_at: str, by: Agent | None = None) -> Graph:
    stem, graph_iri, proposal = names(plan["series_name"], base, plan.get("name"))
    minter = Minter(base)
    graph = new_graph(graph_iri)
    request = minter.source(f"plan-request-{stem}")
    agent = URIRef(by.iri) if by else minter.agent("spacegraph plan")
    graph.add((graph_iri, RDF.type, SG.SourceGraph))
    graph.add((graph_iri, RDF.type, SG.ProposalGraph))
    graph.add((graph_iri, PROV.wasDerivedFrom, request))
    graph.add((graph_iri, PROV.generatedAtTime, Literal(recorded_at, datatype=XSD.dateTime)))
    graph.add((graph_iri, PROV.wasAttributedTo, agent))
    graph.add((request, RDF.type, SG.SourceDocument))
    graph.add((request, RDFS.label, Literal(f"spacegraph plan {plan['request']}")))
    graph.add((agent, RDF.type, URIRef(by.kind) if by else PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal(by.label if by else "spacegraph plan")))
    graph.add((proposal, RDF.type, SG.Proposal))
    named = f" ({plan['name']})" if plan.get("name") else ""
    graph.add((proposal, RDFS.label, Literal(f"Draft programme for the next edition of {plan['series_name']}{named}")))
    graph.add((proposal, SG.forSeries, URIRef(plan["series"])))
    for s in plan["slots"]:
        node = URIRef(f"{proposal}/slot-{s['slot']}")
        graph.add((proposal, SG.slot, node))
        graph.add((node, RDF.type, SG.ProposedSlot))
        graph.add((node, SG.slotNumber, Literal(s["slot"])))
        graph.add((node, SG.proposedAgent, URIRef(s["person"])))
        graph.add((node, RDFS.label, Literal(s["name"])))  # the name as proposed (a longlist invitee has no other)
        graph.add((node, SG.proposedTopic, URIRef(s["topic"])))
        graph.add((node, SG.score, Literal(Decimal(str(s["score"])))))
        for reason in s["reasons"]:
            graph.add((node, SG.reason, Literal(reason)))
    return graph


def save(plan: dict, settings: Settings, by: Agent | None = None) -> str:
    """Validate the proposal in the context of the store, then commit it to data/proposals/ and the store;
    ``plan["name"]`` (optional) names it among the series' proposals."""
    stem, graph_iri, _ = names(plan["series_name"], settings.base, plan.get("name"))
    recorded_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    quads = graph_quads(proposal_graph(plan, settings.base, recorded_at, by))
    change = GraphChange(
        ox.NamedNode(str(graph_iri)), quads, settings.data / "proposals" / f"{stem}.trig", by or _by(settings)
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


def discard(series_name: str, settings: Settings, name: str | None = None, by: Agent | None = None) -> str | None:
    """Remove the series' proposal (its unnamed one, or the one called ``name``) from data/proposals/ and the store;
    None when there was none."""
    stem, graph_iri, _ = names(series_name, settings.base, name)
    graph = ox.NamedNode(str(graph_iri))
    target = settings.data / "proposals" / f"{stem}.trig"
    with Writer(settings) as writer:
        try:
            present = any(True for _ in writer.store.quads(graph=graph))
        except StoreMissing:
            present = False
        if not present and not target.exists():
            return None
        writer.commit(GraphChange(graph, [], target, by or _by(settings)))
    return str(graph_iri)


def _by(settings: Settings) -> Agent:
    return Agent.program("spacegraph plan", settings)


PROPOSALS = """PREFIX sg: <https://w3id.org/spacegraph/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?graph ?proposal ?label ?series ?request ?at ?by (COUNT(DISTINCT ?slot) AS ?slots) WHERE {
  GRAPH ?graph { ?proposal a sg:Proposal ; rdfs:label ?label ; sg:forSeries ?series .
    OPTIONAL { ?proposal sg:slot ?slot }
    OPTIONAL { ?graph prov:wasDerivedFrom/rdfs:label ?request }
    OPTIONAL { ?graph prov:generatedAtTime ?at }
    OPTIONAL { ?graph prov:wasAttributedTo/rdfs:label ?by } }
} GROUP BY ?graph ?proposal ?label ?series ?request ?at ?by ORDER BY DESC(?at) ?graph"""
SLOTS = """PREFIX sg: <https://w3id.org/spacegraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?number ?person ?name ?topic ?score ?reason WHERE { GRAPH %graph% {
  ?proposal sg:slot ?slot . ?slot sg:slotNumber ?number ; sg:proposedAgent ?person ; sg:proposedTopic ?topic .
  OPTIONAL { ?slot rdfs:label ?name } OPTIONAL { ?slot sg:score ?score } OPTIONAL { ?slot sg:reason ?reason } } }"""


def list_proposals(store: Any) -> list[dict]:
    """Every saved proposal, the latest first: graph, label, series, the request, when, by whom, how many slots."""
    out: dict[str, dict] = {}
    for row in store.query(PROPOSALS):
        graph = row["graph"].value
        entry = out.setdefault(graph, {"graph": graph, "label": row["label"].value, "series": row["series"].value,
                                       "slots": int(row["slots"].value)})  # fmt: skip
        for key in ("request", "at", "by"):
            if row[key] is not None and key not in entry:
                entry[key] = row[key].value.removeprefix("spacegraph plan ")
    return list(out.values())


def read_proposal(store: Any, graph: str, history: Any) -> dict:
    """A saved proposal as a plan (the shape ``programme.draft`` returns, for the exports); people and
    organisations as the history knows them now. LookupError when there is no such proposal."""
    found = [p for p in list_proposals(store) if p["graph"] == graph]
    if not found:
        raise LookupError(f"no saved proposal <{graph}>: list them with `spacegraph proposals list`")
    slots: dict[int, dict] = {}
    for row in store.query(SLOTS.replace("%graph%", f"<{graph}>")):
        number, person, topic = int(row["number"].value), row["person"].value, row["topic"].value
        info = history.people.get(person, {})
        slot = slots.setdefault(number, {
            "slot": number, "person": person, "topic": topic, "topic_label": history.label(topic),
            "name": row["name"].value if row["name"] is not None else info.get("name", person.rsplit("/", 1)[-1]),
            "side": info.get("side"), "organisation": info.get("organisation_name"), "new": not info.get("spoke_at"),
            "longlist": "longlist" in info,
            "score": float(row["score"].value) if row["score"] is not None else 0.0, "reasons": []})  # fmt: skip
        if row["reason"] is not None and row["reason"].value not in slot["reasons"]:
            slot["reasons"].append(row["reason"].value)
    ordered = [slots[n] | {"reasons": sorted(slots[n]["reasons"])} for n in sorted(slots)]  # a graph keeps no order
    sides = {s: sum(1 for c in ordered if c["side"] == s) for s in SPEAKING_SIDES}
    meta = found[0]
    return {"series": meta["series"], "series_name": history.series_name, "request": meta.get("request", ""),
            "slots": ordered, "by_side": sides, "new": sum(1 for c in ordered if c["new"]), "saved_as": graph,
            "label": meta["label"], "at": meta.get("at"), "by": meta.get("by")}  # fmt: skip
