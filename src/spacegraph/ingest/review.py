"""The review list: doubtful matches that ingest did not merge, and what it proposed rather than read
(data/review.json).

Each item names the printed form, the entity ingest created for it, the candidates it might be, and the evidence.
Accepting merges the new entity into a candidate (the page's graph is rewritten and recommitted; the printed
form becomes an alias); rejecting records that they differ, so the question is not asked again.

The proposals (``PROPOSALS``): a new organisation's sector from its name and a participant's side from their
organisation's country (``kind`` "sector", "side": in the graph marked ``sg:inferred`` when sure enough), and a
topic phrase that fits no concept of the scheme (``kind`` "topic", its candidates the near concepts). Accepting a
sector or side confirms it (the mark goes; a sector too weak to write is written); rejecting it removes it.
Accepting a topic with a candidate says the edition is about that concept (``schema:about``); a concept of its
own is a curator's work in data/registry/topics.trig, with its English and Chinese labels.

What was read too unsurely (``kind`` "uncertain": a participant, an organisation, a talk, a date or a place below
the setting ingest_min_confidence, see ``confidence``) is listed with its confidence and evidence and is not in the
graph; rejecting dismisses it, and it comes into the graph when the page, corrected, is ingested again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spacegraph.datafiles import data_files, read_data_file
from spacegraph.names.keys import name_key
from spacegraph.write import Agent, FileChange, GraphChange, Writer

REVIEW_FILE = "review.json"
PROPOSALS = ("sector", "side", "topic")
UNCERTAIN = "uncertain"  # a participant or a field read less surely than ingest_min_confidence: not in the graph
_SG = "https://w3id.org/spacegraph/ontology#"
INFERRED, SECTOR, SIDE = ox.NamedNode(_SG + "inferred"), ox.NamedNode(_SG + "sector"), ox.NamedNode(_SG + "side")
HELD_BY = ox.NamedNode("https://w3id.org/scholarlydata/ontology/conference-ontology.owl#isHeldBy")
ABOUT = ox.NamedNode("https://schema.org/about")
IDENTITY = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "https://schema.org/name",
    "https://schema.org/familyName",
    "https://schema.org/givenName",
    "https://schema.org/addressCountry",
    "https://w3id.org/spacegraph/ontology#sector",
    "http://www.w3.org/2004/02/skos/core#altLabel",
}


class ReviewError(LookupError):
    """A review command that cannot be carried out; the message says why and what to do."""


@dataclass
class ReviewList:
    path: Path
    items: list[dict[str, Any]]

    @classmethod
    def load(cls, data_dir: Path) -> ReviewList:
        path = data_dir / REVIEW_FILE
        if not path.exists():
            return cls(path, [])
        return cls(path, json.loads(path.read_text(encoding="utf-8")).get("items", []))

    def as_json(self) -> dict[str, Any]:
        return {
            "about": "Doubtful matches found by `spacegraph ingest`, for `spacegraph review` to accept or reject.",
            "items": self.items,
        }

    def text(self) -> bytes:
        """The file's content (UTF-8 JSON), as a commit writes it."""
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"

    def pending(self) -> list[dict[str, Any]]:
        return [i for i in self.items if i["status"] == "pending"]

    def rejected_pairs(self) -> set[tuple[str, str]]:
        """(printed name key, candidate IRI) pairs a reviewer said are different entities."""
        return {
            (name_key(i["printed"]), c)
            for i in self.items
            if i["status"] == "rejected" and i["kind"] not in PROPOSALS
            for c in i["rejected"]
        }

    def replace_pending(self, graph: str, new_items: list[Any]) -> None:
        """The pending items of a page are replaced when the page is ingested again."""
        decided = [i for i in self.items if not (i["graph"] == graph and i["status"] == "pending")]
        known = {i["id"] for i in decided}
        for item in new_items:
            entry = {
                "id": _item_id(graph, item.kind, item.printed),
                "graph": graph,
                "kind": item.kind,
                "printed": item.printed,
                "new": item.new_iri,
                "candidates": item.candidates,
                "evidence": item.evidence,
                "status": "pending",
                "rejected": [],
            }
            if entry["id"] not in known:
                decided.append(entry)
        self.items = decided

    def find(self, item_id: str) -> dict[str, Any]:
        matches = [i for i in self.items if i["id"].startswith(item_id)]
        if len(matches) != 1:
            pending = ", ".join(i["id"] for i in self.pending()) or "none"
            raise ReviewError(f"no single review item {item_id!r} (pending: {pending}): see `spacegraph review`")
        return matches[0]


def _item_id(graph: str, kind: str, printed: str) -> str:
    return hashlib.sha256(f"{graph}|{kind}|{name_key(printed)}".encode()).hexdigest()[:8]


def merged_quads(quads: list[ox.Quad], new: str, into: str, printed: str) -> list[ox.Quad]:
    """The page's quads with the new entity merged into ``into``: its identity triples dropped, its uses
    pointed at ``into``, and the printed form kept as an alias of ``into``."""
    new_node, into_node = ox.NamedNode(new), ox.NamedNode(into)
    merged = []
    graph = None
    for q in quads:
        graph = q.graph_name
        if q.subject == new_node and q.predicate.value in IDENTITY:
            continue
        subject = into_node if q.subject == new_node else q.subject
        obj = into_node if q.object == new_node else q.object
        merged.append(ox.Quad(subject, q.predicate, obj, q.graph_name))
    if graph is not None:
        alias = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
        merged.append(ox.Quad(into_node, alias, ox.Literal(printed), graph))
    return list(dict.fromkeys(merged))


def decided_quads(quads: list[ox.Quad], item: dict[str, Any], accept: bool, chosen: dict[str, Any]) -> list[ox.Quad]:
    """The page's quads once a proposal is decided: a sector or side confirmed (the ``sg:inferred`` mark dropped,
    a sector written if it was too weak to be) or removed; a topic taken as ``schema:about`` the chosen concept."""
    new = ox.NamedNode(item["new"])
    graph = quads[0].graph_name if quads else ox.DefaultGraph()
    if item["kind"] == "topic":
        return (
            list(dict.fromkeys([*quads, ox.Quad(new, ABOUT, ox.NamedNode(chosen["iri"]), graph)])) if accept else quads
        )
    prop = SECTOR if item["kind"] == "sector" else SIDE
    # a sector is the organisation's own; a side is on each participation the person holds on the page
    holders = {new} if prop == SECTOR else {q.subject for q in quads if q.predicate == HELD_BY and q.object == new}
    marked = {q.subject for q in quads if q.subject in holders and q.predicate == INFERRED and q.object == prop}
    kept = []
    for q in quads:
        if q.subject in marked and q.predicate == INFERRED and q.object == prop:
            continue
        if not accept and q.subject in marked and q.predicate == prop:
            continue
        kept.append(q)
    if accept and prop == SECTOR and not any(q.subject == new and q.predicate == SECTOR for q in quads):
        kept.append(ox.Quad(new, SECTOR, ox.NamedNode(chosen["iri"]), graph))
    return kept


def decide(writer: Writer, item_id: str, accept: bool, candidate: int = 1) -> str:
    """Accept (merge into candidate number ``candidate``) or reject a pending item; returns what was done.

    Either way the decision is committed through the journal with the item's graph: merged into the candidate
    (and validated first), or as it is, with the review list that records the rejection."""
    data_dir = writer.settings.data
    reviews = ReviewList.load(data_dir)
    item = reviews.find(item_id)
    if item["status"] != "pending":
        raise ReviewError(f"review item {item['id']} was already {item['status']}")
    if accept and item["kind"] == UNCERTAIN:
        raise ReviewError(
            f"review item {item['id']} ({item['printed']!r}) was read with confidence {item['evidence'].get('confidence')}"
            " and is not in the graph: correct the page so it says it plainly and ingest it again (or lower "
            "SPACEGRAPH_INGEST_MIN_CONFIDENCE for that ingest); `reject` dismisses it"
        )
    needs_candidate = accept or item["kind"] not in (*PROPOSALS, UNCERTAIN)  # these are rejected as a whole
    if needs_candidate and not 1 <= candidate <= len(item["candidates"]):
        raise ReviewError(f"review item {item['id']} has {len(item['candidates'])} candidate(s): give --candidate 1..")
    chosen = item["candidates"][candidate - 1] if needs_candidate else {"iri": "", "name": "none"}
    by = Agent.program("spacegraph review", writer.settings)
    graph = ox.NamedNode(item["graph"])
    if item["kind"] in PROPOSALS:
        return _decide_proposal(writer, reviews, item, accept, chosen, by)
    if not accept:
        item["status"] = "rejected"
        item["rejected"] = [c["iri"] for c in item["candidates"]]
        unchanged = list(writer.store.quads(graph=graph))  # the graph stays as the store has it
        writer.commit(GraphChange(graph, unchanged, None, by, [FileChange(reviews.path, reviews.text())]))
        return f"kept {item['printed']!r} apart from {', '.join(c['name'] for c in item['candidates'])}"
    page = next((f for f in map(read_data_file, data_files(data_dir)) if f.graph == graph), None)
    if page is None:
        raise ReviewError(f"the graph <{item['graph']}> of review item {item['id']} is no longer in {data_dir}")
    merge = GraphChange(graph, merged_quads(page.quads, item["new"], chosen["iri"], item["printed"]), page.path, by)
    report = writer.check(merge)
    if not report.conforms:
        raise ReviewError(f"merging would make the data invalid, nothing changed:\n{report.render()}")
    item["status"] = "accepted"
    item["merged_into"] = chosen["iri"]
    merge.also.append(FileChange(reviews.path, reviews.text()))
    writer.commit(merge)
    return f"merged {item['printed']!r} into {chosen['name']} <{chosen['iri']}>"


def _decide_proposal(
    writer: Writer, reviews: ReviewList, item: dict[str, Any], accept: bool, chosen: dict[str, Any], by: Agent
) -> str:
    """Confirm or remove a proposed sector or side, or take a proposed topic as one of the scheme's concepts."""
    graph = ox.NamedNode(item["graph"])
    page = next((f for f in map(read_data_file, data_files(writer.settings.data)) if f.graph == graph), None)
    if page is None:
        raise ReviewError(
            f"the graph <{item['graph']}> of review item {item['id']} is no longer in {writer.settings.data}"
        )
    change = GraphChange(graph, decided_quads(page.quads, item, accept, chosen), page.path, by)
    report = writer.check(change)
    if not report.conforms:
        raise ReviewError(f"deciding would make the data invalid, nothing changed:\n{report.render()}")
    item["status"] = "accepted" if accept else "rejected"
    if not accept:
        item["rejected"] = [c["iri"] for c in item["candidates"]]
    change.also.append(FileChange(reviews.path, reviews.text()))
    writer.commit(change)
    what = item["kind"]
    if accept:
        return f"{item['printed']!r}: {what} {chosen['name']} confirmed"
    return (
        f"{item['printed']!r}: {what} {chosen['name']} removed"
        if item["kind"] != "topic"
        else (f"{item['printed']!r}: not taken as a topic of the scheme")
    )
