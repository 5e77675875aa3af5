"""Confidence on every field ingest reads (issue 15): below ``ingest_min_confidence`` a participant or a field goes
to the review list with its evidence, not into the graph; the dry run shows the confidences and warns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.ingest.confidence import (
    event_confidence,
    name_confidence,
    organisation_confidence,
    screen_event,
)
from spacegraph.ingest.event_fields import ParsedEvent
from spacegraph.ingest.page_entries import Mention


def nothing_known(text: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("name", "how", "sure"),
    [
        ("Ingrid Solvang", "entry", 0.95),
        ("Dr. Ingrid Solvang", "entry", 0.95),
        ("王伟", "entry", 0.95),
        ("Ratnasari", "entry", 0.6),
        ("Ingrid Solvang", "prose", 0.8),
        ("Ratnasari", "prose", 0.45),
        ("Room 4B", "entry", 0.2),
        ("the State of the Art in Orbital Debris Capture", "entry", 0.2),
    ],
)
def test_a_name_is_surer_when_it_reads_as_a_persons_name_in_a_list(name, how, sure):
    assert name_confidence(name, how) == sure


@pytest.mark.parametrize(
    ("organisation", "known", "sure"),
    [
        ("Secure World Foundation", True, 0.95),
        ("Karoo Ground Systems (Pty) Ltd", False, 0.85),
        ("Nordic Orbit Institute", False, 0.85),
        ("KSAT", False, 0.8),
        ("Tessellate Lattice", False, 0.45),  # two name-like words: it may be a person printed in the wrong place
        ("Piraeus Orbital Cluster", False, 0.65),
    ],
)
def test_an_organisation_is_surer_when_known_or_named_as_a_body(organisation, known, sure):
    assert organisation_confidence(organisation, lambda text: known) == sure


TEXT = (
    "When: 4 June 2024\n"
    "- Thandi Mokoena, Director, Karoo Ground Systems (Pty) Ltd\n"
    "- Room 4B, Hall\n"
    "- Pieter Botha, Engineer, Anneke Steyn\n"
    "On that day the forum met again.\n"
)


def mention(name: str, organisation: str | None, line: int, **more) -> Mention:
    start = sum(len(x) + 1 for x in TEXT.split("\n")[:line])
    end = start + len(TEXT.split("\n")[line])
    return Mention(name, None, None, None, organisation, ["speaker"], None, (start, end), **more)


def event(**fields) -> ParsedEvent:
    found = ParsedEvent("Karoo Ground Segment Roundtable", (0, len(TEXT)), start_date="2024-06-04", **fields)
    found.evidence["start_date"] = (0, 17)
    found.participants = [
        mention("Thandi Mokoena", "Karoo Ground Systems (Pty) Ltd", 1),
        mention("Room 4B", "Hall", 2),
        mention("Pieter Botha", "Anneke Steyn", 3),
    ]
    return found


def test_screening_takes_the_doubtful_out_and_returns_them_with_their_evidence():
    screened = event(city="Cape Town", country="ZA")
    doubtful = screen_event(screened, TEXT, 0.5, nothing_known)
    assert [m.name for m in screened.participants] == ["Thandi Mokoena", "Pieter Botha"]
    assert screened.participants[1].organisation is None  # the doubtful organisation, not the person
    assert screened.participants[0].confidence == {"name": 0.95, "organisation": 0.85, "role": 0.7}
    assert [(u.what, u.printed, u.confidence) for u in doubtful] == [
        ("participant", "Room 4B", 0.2),
        ("organisation", "Anneke Steyn", 0.45),
    ]
    assert TEXT[slice(*doubtful[1].span)] == "- Pieter Botha, Engineer, Anneke Steyn"
    assert screened.confidence == {"start_date": 0.95, "place": 0.9}


def test_the_threshold_decides_what_is_kept():
    everything = event(city="Cape Town", country="ZA")
    assert screen_event(everything, TEXT, 0.0, nothing_known) == []
    assert len(everything.participants) == 3
    nothing = event(city="Cape Town", country="ZA")
    doubtful = screen_event(nothing, TEXT, 0.99, nothing_known)
    assert nothing.participants == [] and nothing.start_date is None and nothing.city is None
    assert {u.what for u in doubtful} == {"participant", "start_date", "place"}


def test_an_event_date_read_from_a_sentence_is_less_sure_than_from_a_field():
    from_prose = event()
    from_prose.evidence["start_date"] = (TEXT.index("On that day"), len(TEXT) - 1)
    assert event_confidence(from_prose, TEXT)["start_date"] < event_confidence(event(), TEXT)["start_date"]
    unplaced = event(city="Smallville")
    assert event_confidence(unplaced, TEXT)["place"] == 0.6  # a city the gazetteer does not know, no country


PAGE = """title: Karoo Ground Segment Roundtable

When: 4 June 2024
Where: Cape Town, South Africa

Speakers
- Thandi Mokoena, Director, Karoo Ground Systems (Pty) Ltd
- Pieter Botha, Engineer, Anneke Steyn
"""


def test_ingest_shows_confidences_and_sends_the_doubtful_to_review(tmp_settings, tmp_path: Path):
    def run(*args: str):
        base = ["--data", str(tmp_settings.data), "--store", str(tmp_settings.store)]
        return CliRunner().invoke(cli, [*base, *args])

    assert run("build").exit_code == 0
    page = tmp_path / "karoo-roundtable.md"
    page.write_text(PAGE, encoding="utf-8")
    dry = run("ingest", "--dry-run", "--json", str(page))
    assert dry.exit_code == 0, dry.stderr
    found = json.loads(dry.stdout)["events"][0]
    assert found["confidence"]["start_date"] == 0.95 and found["confidence"]["place"] == 0.9
    botha = next(p for p in found["participants"] if p["name"] == "Pieter Botha")
    assert botha["organization"] is None and "organisation" not in botha["confidence"]
    assert found["uncertain"][0]["field"] == "organisation" and found["uncertain"][0]["printed"] == "Anneke Steyn"
    assert "'Anneke Steyn' read with confidence 0.45" in dry.stderr
    text = run("ingest", "--dry-run", str(page)).stdout
    assert "? organisation “Anneke Steyn” (confidence 0.45): for review, not written" in text

    assert run("ingest", "--yes", str(page)).exit_code == 0
    items = json.loads(run("review", "list", "--json").stdout)
    item = next(i for i in items if i["kind"] == "uncertain")
    assert item["printed"] == "organisation: Anneke Steyn"
    assert item["evidence"]["text"] == "Pieter Botha, Engineer, Anneke Steyn" and item["evidence"]["confidence"] == 0.45
    names = run("query", "SELECT ?n WHERE { GRAPH ?g { ?o a org:Organization ; schema:name ?n } }", "--format", "csv")
    assert "Anneke Steyn" not in names.stdout and "Karoo Ground Systems" in names.stdout
    refused = run("review", "accept", item["id"])
    assert refused.exit_code == 1 and "correct the page" in refused.output
    assert run("review", "reject", item["id"]).exit_code == 0
    assert all(i["id"] != item["id"] for i in json.loads(run("review", "list", "--json").stdout))
