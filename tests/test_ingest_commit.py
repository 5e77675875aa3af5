"""`spacegraph ingest` end to end: dry runs, commits, re-ingest, refusals, a kill mid-commit, and the review list."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.store.oxigraph import OxigraphStore

CORPUS = Path(__file__).parent / "ingest_corpus"
PAGE = CORPUS / "13-space-economy-2030-online-panel.md"


def run(settings, *args, env=None):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args], env=env)


def snapshot(settings) -> tuple[str, str]:
    """Digests of the store's quads and of every file under data/."""
    out = io.BytesIO()
    OxigraphStore(settings.store, read_only=True).dump(out)
    lines = re.sub(rb"_:[0-9a-f]+", b"_:b", out.getvalue()).splitlines()  # each build names blank nodes anew
    store = hashlib.sha256(b"\n".join(sorted(lines))).hexdigest()
    files = hashlib.sha256()
    for path in sorted(settings.data.rglob("*")):
        if path.is_file():
            files.update(str(path.relative_to(settings.data)).encode() + b"\0" + path.read_bytes())
    return store, files.hexdigest()


def graph_quads(settings, graph: str) -> set[str]:
    store = OxigraphStore(settings.store, read_only=True)
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {f"{r['s']} {r['p']} {r['o']}" for r in rows}


def doubts(settings) -> list[dict]:
    """The pending review items that are doubtful matches (not the sectors, sides and topics ingest proposes)."""
    items = json.loads(run(settings, "review", "--json").output)
    return [i for i in items if i["kind"] in ("person", "organisation")]


@pytest.fixture
def built(tmp_settings):
    assert run(tmp_settings, "build").exit_code == 0
    return tmp_settings


def test_dry_run_json_has_the_documented_shape_and_writes_nothing(built):
    before = snapshot(built)
    result = run(built, "ingest", "--dry-run", "--json", str(PAGE))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["source", "events", "review", "warnings"]
    event = report["events"][0]
    assert list(event) == ["name", "start_date", "end_date", "city", "country", "hosts", "series", "co_located_with",
                           "attendance_mode", "topics", "proposed_topics", "participants", "uncertain",
                           "confidence"]  # fmt: skip
    participant = event["participants"][0]
    assert list(participant) == ["name", "family_name", "given_name", "title", "organization", "country", "role",
                                 "talk_title", "iri", "match", "evidence", "confidence", "han_name"]  # fmt: skip
    assert participant["match"] in {"exact", "alias", "fuzzy", "new", "review"}
    assert set(participant["evidence"]) == {"start", "end"}
    assert set(participant["confidence"]) <= {"name", "organisation", "role", "talk"}
    assert all(0 <= sure <= 1 for sure in participant["confidence"].values())
    assert set(event["confidence"]) >= {"start_date", "topics"}
    assert snapshot(built) == before


def test_commit_writes_data_and_store_and_build_agrees(built):
    result = run(built, "ingest", "--yes", str(PAGE))
    assert result.exit_code == 0, result.output
    files = list((built.data / "graphs").glob("*online-panel*.trig"))
    assert len(files) == 1
    assert (built.data / "sources" / (files[0].stem + ".md")).read_bytes() == PAGE.read_bytes()
    graph = "https://w3id.org/spacegraph/graph/" + files[0].stem
    committed = graph_quads(built, graph)
    assert any("Space Futures Forum" in q or "Economy in 2030" in q for q in committed)
    assert run(built, "build").exit_code == 0  # data/ is the truth: rebuilding gives the same graph
    assert graph_quads(built, graph) == committed


def test_reingest_is_idempotent_and_replaces_the_graph(built, tmp_path):
    assert run(built, "ingest", "--yes", str(PAGE)).exit_code == 0
    after_first = snapshot(built)
    again = run(built, "ingest", "--yes", str(PAGE))
    assert again.exit_code == 0 and "unchanged" in again.output
    assert snapshot(built) == after_first
    edited = tmp_path / PAGE.name
    text = PAGE.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "Starlane" in line)
    edited.write_text(text.replace(line, ""), encoding="utf-8")
    assert run(built, "ingest", "--yes", str(edited)).exit_code == 0
    graph = "https://w3id.org/spacegraph/graph/" + next((built.data / "graphs").glob("*online-panel*.trig")).stem
    assert not any("Starlane" in q for q in graph_quads(built, graph))


def test_a_violation_is_reported_and_nothing_is_written(built, tmp_path):
    page = tmp_path / "second-report.txt"
    page.write_text(
        "source: https://example.org/news/2020/fuzhou-report\n"
        "title: Second Sino-U.S. Space Commercialization Workshop\n\n"
        "Second Sino-U.S. Space Commercialization Workshop\n\nWhen: Saturday, September 19, 2020\n"
        "Where: Fuzhou, China\n\nThe workshop discussed commercial space.\n",
        encoding="utf-8",
    )
    before = snapshot(built)
    result = run(built, "ingest", "--yes", str(page))
    assert result.exit_code == 1
    # the page says the edition has no participants listed; the 2020 source lists all nine: a contradiction
    assert "Edition does not say whether its participant list is complete" in result.output
    assert "nothing was written" in result.output
    assert snapshot(built) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary junk" * 10, "binary data, not a text page"),
        (b"\xff\xfe\xfa not utf-8", "not UTF-8 text"),
        (b"<html>" + b"<div>" * 60_000 + b"x", "more than 50,000 tags"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b"<html><body>&lol2;</body></html>",
            "declares XML entities",
        ),
        (b"x" * 2_000_001, "too large for an event page"),
    ],
    ids=["binary", "not-utf8", "deep-html", "entity-bomb", "huge"],
)
def test_untrusted_input_is_refused_with_a_message(built, tmp_path, content, message):
    page = tmp_path / ("page.html" if content.startswith(b"<") else "page.txt")
    page.write_bytes(content)
    before = snapshot(built)
    result = run(built, "ingest", "--yes", str(page))
    assert result.exit_code == 1
    assert message in result.output and str(page) in result.output
    assert snapshot(built) == before


def test_only_local_files_are_read(built):
    result = run(built, "ingest", "--dry-run", "https://swfound.org/events/2020/page.html")
    assert result.exit_code == 1
    assert "cannot be read" in result.output


@pytest.mark.parametrize(("failpoint", "committed"), [("after-journal", False), ("before-store", False),
                                                      ("after-store", True)])  # fmt: skip
def test_a_kill_during_commit_leaves_data_and_store_consistent(built, failpoint, committed):
    before = snapshot(built)
    env = {**os.environ, "SPACEGRAPH_FAILPOINT": failpoint}
    command = [sys.executable, "-m", "spacegraph", "--data", str(built.data), "--store", str(built.store),
               "ingest", "--yes", str(PAGE)]  # fmt: skip
    killed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr  # SIGKILL at the failpoint
    store_now, _ = snapshot(built)
    assert (store_now != before[0]) == committed  # the store changes in one transaction, or not at all
    # The next writer finishes or undoes the interrupted commit; data/ then matches the store again.
    recovered = run(built, "ingest", "--dry-run", str(PAGE))
    assert "Recovered:" in recovered.output
    assert not (built.data / ".journal.json").exists()
    assert not [p for p in built.data.rglob(".*") if p.is_file()], "temporary or backup files were left behind"
    if not committed:
        assert snapshot(built) == before
    else:
        rebuilt_from_data = snapshot(built)
        assert run(built, "build").exit_code == 0
        assert snapshot(built)[0] == rebuilt_from_data[0]


def test_doubtful_match_goes_to_review_and_can_be_accepted(built, tmp_path):
    page = tmp_path / "typo.txt"
    page.write_text(
        "title: Commercial Space Roundtable\n\nCommercial Space Roundtable\n\nWhen: March 3, 2024\nWhere: Paris, France\n\n"
        "  • Blaine Vincent CURCIO, Founder, Orbital Gateway Consulting: Opening Remarks\n",
        encoding="utf-8",
    )
    assert run(built, "ingest", "--yes", str(page)).exit_code == 0
    items = doubts(built)
    # "Blaine Vincent CURCIO" is a printed alias of Blaine Curcio: an exact alias, not a doubt
    assert items == []
    page.write_text(page.read_text(encoding="utf-8").replace("Blaine Vincent CURCIO", "Blaine V. Curcio"),
                    encoding="utf-8")  # fmt: skip
    assert run(built, "ingest", "--yes", str(page)).exit_code == 0
    items = doubts(built)
    assert len(items) == 1 and items[0]["printed"] == "Blaine V. Curcio"
    assert items[0]["candidates"][0]["name"] == "Blaine Curcio"
    assert "Blaine V. Curcio" in items[0]["evidence"]["text"]
    new_person = items[0]["new"]
    assert graph_quads(built, items[0]["graph"]) and any(new_person in q for q in graph_quads(built, items[0]["graph"]))
    accepted = run(built, "review", "accept", items[0]["id"])
    assert accepted.exit_code == 0, accepted.output
    quads = graph_quads(built, items[0]["graph"])
    assert not any(new_person in q for q in quads)
    assert any('altLabel> "Blaine V. Curcio"' in q for q in quads)
    assert doubts(built) == []


def ingest_a_doubtful_match(settings, tmp_path) -> tuple[Path, dict]:
    """Ingest a page whose one speaker may be Blaine Curcio; returns the page and its review item."""
    page = tmp_path / "other.txt"
    page.write_text(
        "title: Commercial Space Roundtable\n\nCommercial Space Roundtable\n\nWhen: March 3, 2024\n\n"
        "  • Blaine V. Curcio, Analyst, Orbital Gateway Consulting: Opening Remarks\n",
        encoding="utf-8",
    )
    assert run(settings, "ingest", "--yes", str(page)).exit_code == 0
    return page, doubts(settings)[0]


def test_rejected_match_is_not_asked_again(built, tmp_path):
    page, item = ingest_a_doubtful_match(built, tmp_path)
    assert run(built, "review", "reject", item["id"]).exit_code == 0
    assert run(built, "ingest", "--yes", str(page)).exit_code == 0
    assert doubts(built) == []


def test_review_of_an_unknown_item_says_what_is_pending(built):
    result = run(built, "review", "accept", "nope")
    assert result.exit_code == 1 and "no single review item 'nope'" in result.output


def test_event_facts_keep_the_span_they_were_read_from(built):
    page = CORPUS / "00-fuzhou-2020.txt"
    # the page's source: line is the curated 2020 edition's: replacing that graph needs --replace
    assert run(built, "ingest", "--yes", "--replace", str(page)).exit_code == 0
    store = OxigraphStore(built.store, read_only=True)
    rows = store.query(
        "SELECT ?for ?start ?end WHERE { ?e a <https://w3id.org/spacegraph/ontology#Evidence> ; "
        "<https://w3id.org/spacegraph/ontology#evidenceFor> ?for ; "
        "<https://w3id.org/spacegraph/ontology#evidenceStart> ?start ; "
        "<https://w3id.org/spacegraph/ontology#evidenceEnd> ?end }"
    )
    text = page.read_text(encoding="utf-8")
    spans = {r["for"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: text[int(r["start"].value) : int(r["end"].value)]
             for r in rows}  # fmt: skip
    assert spans["startDate"] == "When: Saturday, September 19, 2020"
    assert spans["location"] == "Where: Fuzhou, China"
    assert "co-hosted" in spans["organizer"]
    assert "on the margin of the 2020 China Space Conference" in spans["coLocatedWith"]
    assert "pre-recorded video" in spans["eventAttendanceMode"] and "in-person" in spans["eventAttendanceMode"]
