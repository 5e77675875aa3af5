"""The one write path (``spacegraph.write``): attribution, refusal, review's reject through the journal, the TriG
it writes, the focus chunks of validation, and the store's query form without the /sparql guard."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Dataset
from tests.test_ingest_commit import PAGE, doubts, graph_quads, ingest_a_doubtful_match, run, snapshot

from spacegraph.datafiles import graph_quads as rdflib_quads
from spacegraph.datafiles import graph_to_trig, read_data_file, trig_text
from spacegraph.store.sparql import query_form
from spacegraph.validation.compiled import FOCUS_CHUNK, Check, run_checks
from spacegraph.vocab import PROV
from spacegraph.write import Agent, WriteRejected, write_graph
from spacegraph.write.journal import JOURNAL

BASE = "https://w3id.org/spacegraph/"
CURATOR = Agent(BASE + "agent/ada-curator", "Ada Curator", str(PROV.Person))


@pytest.fixture
def built(tmp_settings):
    assert run(tmp_settings, "build").exit_code == 0
    return tmp_settings


def curated_graph(name: str, recorded: bool = True) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """A source graph as a curator would write it, without saying who recorded it (the write path says so)."""
    graph = ox.NamedNode(f"{BASE}graph/{name}")
    source = ox.NamedNode(f"{BASE}source/{name}")
    text = f"""
        @prefix sg: <https://w3id.org/spacegraph/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        {graph} {{ {graph} a sg:SourceGraph ; prov:wasDerivedFrom {source}
                   {'; prov:generatedAtTime "2026-12-06T07:00:00Z"^^xsd:dateTime' if recorded else ""} .
                   {source} a sg:SourceDocument ; rdfs:label "notes of a curator" . }}"""
    return graph, list(ox.parse(text.encode(), format=ox.RdfFormat.TRIG))


def test_a_change_is_attributed_to_who_made_it_in_the_graph_and_the_store(built):
    graph, quads = curated_graph("curated-notes")
    target = built.data / "graphs" / "curated-notes.trig"
    report = write_graph(built, graph, quads, file=target, by=CURATOR)
    assert report.conforms  # it does only with the attribution the write path adds: the shapes require one
    written = read_data_file(target)
    attribution = f"<{graph.value}> <{PROV.wasAttributedTo}> <{CURATOR.iri}>"
    assert attribution in {str(ox.Triple(q.subject, q.predicate, q.object)).rstrip(" .") for q in written.quads}
    assert f"<{graph.value}> <{PROV.wasAttributedTo}> <{CURATOR.iri}>" in graph_quads(built, graph.value)
    assert f'<{CURATOR.iri}> <http://www.w3.org/2000/01/rdf-schema#label> "Ada Curator"' in graph_quads(
        built, graph.value
    )


def test_the_journal_names_who_made_the_change(built):
    graph, quads = curated_graph("curated-notes")
    code = (
        "import sys, pyoxigraph as ox\nfrom pathlib import Path\nfrom spacegraph.settings import load_settings\n"
        "from spacegraph.write import Agent, write_graph\n"
        "settings = load_settings(data=Path(sys.argv[1]), store=Path(sys.argv[2]))\n"
        "quads = list(ox.parse(sys.stdin.buffer.read(), format=ox.RdfFormat.N_QUADS))\n"
        "write_graph(settings, quads[0].graph_name, quads, file=settings.data / 'graphs' / 'curated-notes.trig',\n"
        f"            by=Agent({CURATOR.iri!r}, {CURATOR.label!r}, {CURATOR.kind!r}))\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", code, str(built.data), str(built.store)],
        input=ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
        env={**os.environ, "SPACEGRAPH_FAILPOINT": "after-journal"},
        capture_output=True,
    )
    assert killed.returncode == -9, killed.stderr
    journal = json.loads((built.data / JOURNAL).read_text(encoding="utf-8"))
    assert journal["by"] == CURATOR.iri and journal["graph"] == graph.value
    assert "Recovered:" in run(built, "ingest", "--dry-run", str(PAGE)).output  # the next writer settles it


def test_a_graph_that_does_not_conform_is_refused_and_nothing_changes(built):
    graph, quads = curated_graph("curated-notes", recorded=False)
    before = snapshot(built)
    with pytest.raises(WriteRejected, match="generatedAtTime"):
        write_graph(built, graph, quads, file=built.data / "graphs" / "curated-notes.trig", by=CURATOR)
    assert snapshot(built) == before


@pytest.mark.parametrize(("failpoint", "committed"), [("before-store", False), ("after-store", True)])
def test_a_rejection_is_committed_through_the_journal(built, tmp_path, failpoint, committed):
    page, item = ingest_a_doubtful_match(built, tmp_path)
    command = [sys.executable, "-m", "spacegraph", "--data", str(built.data), "--store", str(built.store),
               "review", "reject", item["id"]]  # fmt: skip
    killed = subprocess.run(command, env={**os.environ, "SPACEGRAPH_FAILPOINT": failpoint}, capture_output=True)
    assert killed.returncode == -9, killed.stderr  # the rejection reached the journal's failpoint
    assert run(built, "ingest", "--dry-run", str(page)).exit_code == 0  # the next writer settles it
    pending = doubts(built)
    assert (pending == []) == committed
    assert not (built.data / JOURNAL).exists()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's TriG parser and Dataset, not ours
def test_the_trig_of_a_page_graph_is_the_graph_rdflib_wrote_sorted_and_stable(built):
    path = next((built.data / "graphs").glob("*.trig"))
    data = Dataset().parse(path, format="trig")
    graph = next(g for g in data.graphs() if len(g))
    direct = rdflib_quads(graph)
    via_text = list(ox.parse(graph_to_trig(graph).encode(), format=ox.RdfFormat.TRIG))
    assert set(direct) == set(via_text)  # one conversion, term by term, gives the quads rdflib's text gave
    text = trig_text(direct)
    assert set(ox.parse(text, format=ox.RdfFormat.TRIG)) == set(direct)
    assert trig_text(list(reversed(direct))) == text  # the same graph gives the same text, whatever the order
    assert b"@prefix schema: <https://schema.org/>" in text and b"@prefix sh:" not in text  # only prefixes in use


def test_focus_nodes_are_checked_in_chunks_and_none_is_lost():
    focus = [f"urn:x:{i:05d}" for i in range(FOCUS_CHUNK * 2 + 500)]
    seen: list[int] = []

    def select(query: str) -> list[dict]:
        chunk = [iri for iri in focus if f"<{iri}>" in query]
        seen.append(len(chunk))
        return [{"this": iri} for iri in chunk if iri.endswith("0")]  # every tenth node violates

    violations = run_checks([Check("SELECT ?this WHERE { #FOCUS# }", "C", None, "m")], select, focus)
    assert seen == [FOCUS_CHUNK, FOCUS_CHUNK, 500]
    assert [v.focus for v in violations] == [iri for iri in focus if iri.endswith("0")]


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("prefix ex: <http://x/#SELECT> # ASK {}\n ask { ?s ?p ?o }", "ASK"),
        ("BASE <http://x/> PREFIX : <y#> DESCRIBE <z>", "DESCRIBE"),
        ("#CONSTRUCT\nconstruct where { ?s ?p ?o }", "CONSTRUCT"),
    ],
)
def test_the_store_reads_a_query_form_from_its_prologue(query, form):
    assert query_form(query) == form


def test_the_store_refuses_what_is_not_a_query():
    with pytest.raises(ValueError, match="not a SPARQL query"):
        query_form("INSERT DATA { <a> <b> <c> }")
