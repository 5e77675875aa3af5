"""The review list: doubtful matches that ingest did not merge (data/review.json).

Each item names the printed form, the entity ingest created for it, the candidates it might be, and the evidence.
Accepting merges the new entity into a candidate (the page's graph is rewritten and recommitted; the printed
form becomes an alias); rejecting records that they differ, so the question is not asked again.
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
        return {(name_key(i["printed"]), c) for i in self.items if i["status"] == "rejected" for c in i["rejected"]}

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


def decide(writer: Writer, item_id: str, accept: bool, candidate: int = 1) -> str:
    """Accept (merge into candidate number ``candidate``) or reject a pending item; returns what was done.

    Either way the decision is committed through the journal with the item's graph: merged into the candidate
    (and validated first), or as it is, with the review list that records the rejection."""
    data_dir = writer.settings.data
    reviews = ReviewList.load(data_dir)
    item = reviews.find(item_id)
    if item["status"] != "pending":
        raise ReviewError(f"review item {item['id']} was already {item['status']}")
    if not 1 <= candidate <= len(item["candidates"]):
        raise ReviewError(f"review item {item['id']} has {len(item['candidates'])} candidate(s): give --candidate 1..")
    chosen = item["candidates"][candidate - 1]
    by = Agent.program("spacegraph review", writer.settings)
    graph = ox.NamedNode(item["graph"])
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
