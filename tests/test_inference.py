"""Sides and sectors ingest proposes rather than reads: marked sg:inferred, valid, listed for review, decided there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.collection import Collection
from tests.test_ingest_commit import graph_quads, run

from spacegraph.ingest.inferences import INFERENCE_THRESHOLD, sector_from_name
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.vocab import SG, SH
from spacegraph.vocab.terms import INFERABLE

ONTOLOGY = Path(__file__).parent.parent / "ontology"
INFERRED = "<https://w3id.org/spacegraph/ontology#inferred>"

PAGE = """title: Roundtable on Orbital Slot Markets

Roundtable on Orbital Slot Markets

When: May 14, 2024
Where: Lisbon, Portugal

Topics: space traffic management; auctions for orbital slots

- Ian Christensen, Senior Director, China Rocket Co., Ltd.: Moderator
- Marguerite Okafor-Lind, Fellow, Caelus Foundation: Speaker
- Tomasz Brzezinski-Hale, Chief Executive, Tamsin Orbital Systems Ltd: Speaker
- Ines Carvalho-Ruiz, Coordinator, Kestrel Orbital Forum: Panelist
"""


@pytest.mark.parametrize(
    ("name", "sector", "sure"),
    [
        ("Tamsin Orbital Systems Ltd", "private company", True),
        ("Halberd, Quill & Associates, LLP", "private company", True),
        ("Universidad del Litoral Austral", "research institute", True),
        ("Ministry of Digital Affairs", "government body", True),
        ("Reefline Watch Foundation", "non-profit", True),
        ("United Nations Office for Outer Space Affairs", "intergovernmental body", True),
        ("China Aerospace Science and Technology Corporation", "state-owned enterprise", True),
        ("南溟大学", "research institute", True),
        ("澜沧运载科技有限公司", "private company", True),
        ("Kestrel Orbital Forum", "non-profit", False),
        ("Baobab Orbital Capital", "private company", False),
    ],
)
def test_a_sector_is_proposed_from_the_name(name: str, sector: str, sure: bool) -> None:
    proposal = sector_from_name(name)
    assert proposal is not None
    assert proposal[0] == sector
    assert (proposal[1] >= INFERENCE_THRESHOLD) is sure


def test_a_name_without_a_cue_proposes_nothing() -> None:
    assert sector_from_name("Bluebird") is None
    assert sector_from_name("Incandescent Orbit") is None  # "Inc" only as a word of its own
    assert sector_from_name("Agencyless Rockets") is None


def test_the_ontology_declares_inferred_and_the_shapes_allow_the_table_s_properties() -> None:
    ontology = Graph().parse(ONTOLOGY / "spacegraph.ttl")
    assert (SG.inferred, None, None) in ontology
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    allowed = set()
    for prop in shapes.subjects(SH.path, SG.inferred):
        allowed |= set(Collection(shapes, shapes.value(prop, SH["in"])))
    assert allowed == set(INFERABLE.values())


def review_items(settings) -> list[dict]:
    return json.loads(run(settings, "review", "--json").output)


@pytest.fixture
def ingested(tmp_settings, tmp_path):
    built = tmp_settings
    assert run(built, "build").exit_code == 0
    page = tmp_path / "slot-markets.txt"
    page.write_text(PAGE, encoding="utf-8")
    dry = run(built, "ingest", "--dry-run", "--json", str(page))
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.stdout)
    result = run(built, "ingest", "--yes", str(page))
    assert result.exit_code == 0, result.output
    return built, report


def test_topics_are_matched_or_proposed(ingested) -> None:
    settings, report = ingested
    event = report["events"][0]
    assert event["topics"] == ["space traffic management"]
    assert event["proposed_topics"] == ["Orbital Slot Markets", "auctions for orbital slots"]  # the name, the list
    store = OxigraphStore(settings.store, read_only=True)
    about = store.query(
        "SELECT ?t WHERE { ?e <https://schema.org/name> 'Roundtable on Orbital Slot Markets' ; <https://schema.org/about> ?t }"
    )
    assert [r["t"].value for r in about] == ["https://w3id.org/spacegraph/id/topic/space-traffic-management"]
    proposed = [i for i in review_items(settings) if i["kind"] == "topic"]
    assert [i["printed"] for i in proposed] == ["Orbital Slot Markets", "auctions for orbital slots"]
    assert [i["evidence"]["text"] for i in proposed] == ["Orbital Slot Markets", "auctions for orbital slots"]


def test_sides_are_kept_or_inferred_and_sectors_inferred(ingested) -> None:
    settings, report = ingested
    items = {(i["kind"], i["printed"]): i for i in review_items(settings)}
    # Ian Christensen held the U.S. side before: he keeps it, though his organisation here is Chinese
    assert ("side", "Ian Christensen") not in items
    # a new person's side comes from the country of their (known) organisation, and is listed
    side = items[("side", "Marguerite Okafor-Lind")]
    assert side["candidates"][0]["name"] == "U.S." and "Okafor-Lind" in side["evidence"]["text"]
    assert side["evidence"]["source"] == "slot-markets.txt" and "Caelus Foundation is US" in side["evidence"]["because"]
    # a sure sector is written and listed; a weak one is listed only
    assert items[("sector", "Tamsin Orbital Systems Ltd")]["candidates"][0]["name"] == "private company"
    assert items[("sector", "Kestrel Orbital Forum")]["candidates"][0]["score"] < INFERENCE_THRESHOLD
    graph = side["graph"]
    quads = graph_quads(settings, graph)
    christensen_sides = [q for q in quads if "ian-christensen" in q and "ontology#side>" in q]
    assert christensen_sides and all("sideUS" in q for q in christensen_sides)
    assert not any("ian-christensen" in q and INFERRED in q for q in quads)
    assert any("okafor-lind" in q and INFERRED in q and q.endswith("ontology#side>") for q in quads)
    assert any("tamsin" in q and INFERRED in q and q.endswith("ontology#sector>") for q in quads)
    assert not any("kestrel" in q and "ontology#sector>" in q for q in quads)


def test_accepting_and_rejecting_proposals_changes_the_graph(ingested) -> None:
    settings, _ = ingested
    items = {(i["kind"], i["printed"]): i for i in review_items(settings)}
    graph = items[("side", "Marguerite Okafor-Lind")]["graph"]
    accepted = run(settings, "review", "accept", items[("sector", "Kestrel Orbital Forum")]["id"])
    assert accepted.exit_code == 0, accepted.output
    rejected = run(settings, "review", "reject", items[("side", "Marguerite Okafor-Lind")]["id"])
    assert rejected.exit_code == 0, rejected.output
    confirmed = run(settings, "review", "accept", items[("sector", "Tamsin Orbital Systems Ltd")]["id"])
    assert confirmed.exit_code == 0, confirmed.output
    topic = run(settings, "review", "reject", items[("topic", "auctions for orbital slots")]["id"])
    assert topic.exit_code == 0, topic.output
    quads = graph_quads(settings, graph)
    assert any(
        "kestrel" in q and "ontology#sector> <https://w3id.org/spacegraph/ontology#nonProfit>" in q for q in quads
    )
    assert not any("kestrel" in q and INFERRED in q for q in quads)
    assert not any("okafor-lind" in q and ("ontology#side>" in q or INFERRED in q) for q in quads)
    assert any("tamsin" in q and "privateCompany" in q for q in quads)
    assert not any("tamsin" in q and INFERRED in q for q in quads)
    assert run(settings, "build").exit_code == 0  # data/ still valid and the same graph rebuilt
    assert graph_quads(settings, graph) == quads
