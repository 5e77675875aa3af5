"""Who changed what (issue 16): every commit of a graph file leaves a change record in data/history/, in the same
journaled commit; history by graph and by entity; undo through the write path, refused when the graph changed."""

from __future__ import annotations

import json

import pytest
from tests.hostile import test_commit_crash
from tests.test_ingest_commit import graph_quads, run

from spacegraph.write import Agent
from spacegraph.write.history import UndoRefused, changed_since, history, undo, version_of

GRAPH = "https://w3id.org/spacegraph/graph/13-space-economy-2030-online-panel"
TRIG = "graphs/13-space-economy-2030-online-panel.trig"
ingested = test_commit_crash.ingested  # the fixture: the store built, PAGE ingested, and an edit of PAGE


def test_each_commit_records_who_when_what_and_the_previous_content(ingested):
    settings, edited = ingested
    first_version = version_of(settings.data / TRIG)
    assert run(settings, "ingest", "--yes", str(edited)).exit_code == 0
    latest, first = history(settings, graph=GRAPH)
    assert first.by["label"] == "spacegraph ingest" and first.note.startswith("recorded the graph")
    assert first.before is None and first.after_version == first_version
    assert latest.before_version == first_version and latest.after_version == version_of(settings.data / TRIG)
    assert latest.removed > 0 and re_read(settings, latest.id)["before"].startswith("@prefix")
    starlane = next(iri for iri in latest.entities if "starlane" in iri)
    assert latest.entities[starlane][1] > 0  # statements about it removed
    assert [c.id for c in history(settings, entity=starlane)] == [latest.id, first.id]
    assert changed_since(settings, GRAPH, first_version) == [latest]
    assert changed_since(settings, GRAPH, latest.after_version) == []


def re_read(settings, change_id: str) -> dict:
    folder, number = change_id.split("/")
    return json.loads((settings.data / "history" / folder / f"{number}.json").read_text())


def test_undo_puts_the_previous_content_back_through_the_write_path(ingested):
    settings, edited = ingested
    before = graph_quads(settings, GRAPH)
    assert run(settings, "ingest", "--yes", str(edited)).exit_code == 0
    assert any("Starlane" in q for q in before) and not any("Starlane" in q for q in graph_quads(settings, GRAPH))
    change = history(settings, graph=GRAPH)[0]
    done = undo(settings, change.id, Agent.program("spacegraph undo", settings))
    assert done.undoes == change.id and done.by["label"] == "spacegraph undo"
    restored = graph_quads(settings, GRAPH)
    assert {q for q in before if "Starlane" in q} <= restored
    assert run(settings, "build").exit_code == 0 and graph_quads(settings, GRAPH) == restored  # data/ agrees
    with pytest.raises(UndoRefused, match="changed after"):
        undo(settings, change.id, Agent.program("spacegraph undo", settings))


def test_the_cli_lists_and_undoes_and_refuses_an_undo_of_a_changed_graph(ingested):
    settings, edited = ingested
    assert run(settings, "ingest", "--yes", str(edited)).exit_code == 0
    listed = run(settings, "history", GRAPH)
    first, second = sorted(line.split()[0] for line in listed.output.splitlines())
    refused = run(settings, "undo", first)
    assert refused.exit_code == 1 and "changed after" in refused.stderr and "spacegraph ingest at" in refused.stderr
    assert run(settings, "undo", second).exit_code == 0
    assert json.loads(run(settings, "history", "--json").output)[0]["undoes"] == second
    assert run(settings, "undo", "no-such-graph/00001").exit_code == 1


def test_undoing_a_recorded_graph_removes_it_and_the_copy_it_saved(ingested):
    settings, _ = ingested
    [change] = history(settings, graph=GRAPH)
    undo(settings, change.id, Agent.program("spacegraph undo", settings))
    assert not (settings.data / TRIG).exists() and graph_quads(settings, GRAPH) == set()
    assert not (settings.data / "sources" / "13-space-economy-2030-online-panel.md").exists()
    assert run(settings, "build").exit_code == 0


def test_a_change_of_several_graphs_in_one_commit_is_not_undone_by_halves(ingested):
    from spacegraph.library.entities import merge_entities

    settings, _ = ingested
    by = Agent.program("spacegraph merge", settings)
    edited = merge_entities(settings, by, "Fatima Al-Sayed", "Bhavya Lal", "person")
    assert len(edited.graphs) > 1
    for graph in edited.graphs:
        change = history(settings, graph=graph)[0]
        assert not change.alone
        with pytest.raises(UndoRefused, match="in the same commit"):
            undo(settings, change.id, by)
