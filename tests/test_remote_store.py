"""Everything on a SPARQL server instead of the embedded store: build, queries, analysis, planning, ingest with
its crash recovery, the web app and /sparql, on Virtuoso, compared with the same data on the embedded store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.virtuoso import virtuoso  # noqa: F401  (the fixture)

from spacegraph.cli import cli
from spacegraph.settings import load_settings
from spacegraph.store.sparql import SparqlStore
from spacegraph.web import create_app

PAGE = Path(__file__).parent / "ingest_corpus" / "13-space-economy-2030-online-panel.md"
FUZHOU = "/id/event/2020-second-sino-u-s-space-commercialization-workshop"


@pytest.fixture
def remote(virtuoso, tmp_settings, monkeypatch):  # noqa: F811
    """Settings on Virtuoso (its update endpoint), with a copy of the real data, the server emptied first."""
    monkeypatch.setenv("SPACEGRAPH_STORE_UPDATE", virtuoso.update_url)
    monkeypatch.setenv("SPACEGRAPH_STORE_USER", virtuoso.user)
    monkeypatch.setenv("SPACEGRAPH_STORE_PASSWORD", virtuoso.password)
    monkeypatch.chdir(tmp_settings.data.parent)  # the local directory of the remote store goes under tmp_path
    SparqlStore(virtuoso.query_url, virtuoso.update_url, user=virtuoso.user, password=virtuoso.password).clear()
    return load_settings(data=tmp_settings.data, store=virtuoso.query_url)


def run(settings, *args):
    store = settings.store_url or str(settings.store)
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", store, *args])


def test_build_query_analysis_and_planning_answer_as_on_the_embedded_store(remote, built_settings):
    built = run(remote, "build")
    assert built.exit_code == 0, built.output
    assert remote.store_url in built.output
    local, there = (json.loads(run(s, "stats", "--json").stdout) for s in (built_settings, remote))
    assert there["quads"] == local["quads"] and there["classes"] == local["classes"]
    assert _without_order(there["editions"]) == _without_order(local["editions"])  # engines sort unbound dates apart
    for command in (["who-spoke-with", "Jeffrey Manber", "--json"], ["path", "Jeffrey Manber", "Blaine Curcio", "--json"],
                    ["rank", "--measure", "degree", "--json"], ["coverage", "--json"],
                    ["plan", "--slots", "8", "--balance-sides", "--dry-run", "--json"]):  # fmt: skip
        here, far = run(built_settings, *command), run(remote, *command)
        assert far.exit_code == 0, far.output
        assert json.loads(far.stdout) == json.loads(here.stdout), command
    speakers = run(remote, "query", "@" + str(Path(__file__).parents[1] / "queries" / "fuzhou-2020-speakers.rq"),
                   "--format", "csv")  # fmt: skip
    assert speakers.exit_code == 0 and len(speakers.stdout.strip().splitlines()) == 10  # header and nine people


def test_a_build_leaves_other_applications_graphs_alone(remote, virtuoso):  # noqa: F811
    server = SparqlStore(virtuoso.query_url, virtuoso.update_url, user=virtuoso.user, password=virtuoso.password)
    server.update("INSERT DATA { GRAPH <http://other-app.example/payroll> { <http://other-app.example/a> "
                  "<http://other-app.example/pays> 1 } }")  # fmt: skip
    assert run(remote, "build").exit_code == 0
    assert run(remote, "build").exit_code == 0
    assert server.query("ASK { GRAPH <http://other-app.example/payroll> { ?s ?p ?o } }")


def test_an_unreachable_server_is_a_readable_error(tmp_settings):
    result = CliRunner().invoke(
        cli, ["--data", str(tmp_settings.data), "--store", "http://127.0.0.1:1/sparql", "stats"]
    )
    assert result.exit_code == 2 and "cannot reach the SPARQL server" in result.output
    assert "Traceback" not in result.output


def test_a_build_that_does_not_conform_leaves_the_server_as_it_was(remote):
    assert run(remote, "build").exit_code == 0
    before = run(remote, "stats", "--json").stdout
    people = remote.data / "registry" / "people.trig"
    people.write_text(people.read_text().replace("schema:familyName", "schema:familyNameX", 1))
    rejected = run(remote, "build")
    assert rejected.exit_code == 1 and "is unchanged" in rejected.output
    assert run(remote, "stats", "--json").stdout == before


def test_ingest_and_a_saved_plan_go_to_the_server(remote):
    assert run(remote, "build").exit_code == 0
    ingested = run(remote, "ingest", "--yes", str(PAGE))
    assert ingested.exit_code == 0, ingested.output
    client = create_app({"SETTINGS": remote, "TESTING": True}).test_client()
    names = [e["name"] for e in client.get("/index.json").get_json()["editions"]]
    assert "Online Panel: The Commercial Space Economy in 2030" in names  # a new version: no stale cache
    saved = run(remote, "plan", "--slots", "4", "--json")
    assert saved.exit_code == 0, saved.output
    graph = json.loads(saved.stdout)["saved_as"]
    store = SparqlStore(remote.store_url)
    assert store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert run(remote, "plan", "--discard").exit_code == 0
    assert not store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


@pytest.mark.parametrize(("failpoint", "committed"), [("before-store", False), ("after-store", True)])
def test_a_kill_during_a_commit_to_the_server_leaves_data_and_server_consistent(remote, failpoint, committed):
    assert run(remote, "build").exit_code == 0
    env = {**os.environ, "SPACEGRAPH_FAILPOINT": failpoint}
    command = [sys.executable, "-m", "spacegraph", "--data", str(remote.data), "--store", remote.store_url,
               "ingest", "--yes", str(PAGE)]  # fmt: skip
    killed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    recovered = run(remote, "ingest", "--dry-run", str(PAGE))
    assert "Recovered:" in recovered.output and ("finished" in recovered.output) == committed
    files = list((remote.data / "graphs").glob("*online-panel*.trig"))
    store = SparqlStore(remote.store_url)
    on_server = store.query('ASK { ?e <https://schema.org/name> "Online Panel: The Commercial Space Economy in 2030" }')
    assert bool(files) == committed and bool(on_server) == committed
    assert not [p for p in remote.data.rglob(".*") if p.is_file()]


def test_the_web_app_and_sparql_endpoint_on_the_server(remote, built_settings):
    assert run(remote, "build").exit_code == 0
    far = create_app({"SETTINGS": remote, "TESTING": True}).test_client()
    here = create_app({"SETTINGS": built_settings, "TESTING": True}).test_client()
    for path in (
        "/id/person/jeffrey-manber.json",
        FUZHOU + ".json",
        "/plan.json",
        "/api/who-spoke-with?person=WANG+Yiran",
    ):
        got, expected = far.get(path), here.get(path)
        assert got.status_code == 200, got.get_data(as_text=True)[:500]
        assert _without_order(got.get_json()) == _without_order(expected.get_json()), path
    query = "SELECT ?name WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> ; <https://schema.org/name> ?name }"
    answer = far.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and len(answer.get_json()["results"]["bindings"]) == 14
    timing = re.fullmatch(r'query;dur=([0-9.]+);desc="server"', answer.headers["Server-Timing"])
    assert timing and float(timing[1]) > 0  # the server's time, measured
    csv = far.get("/sparql", query_string={"query": query, "format": "csv"})
    assert csv.mimetype == "text/csv" and len(csv.get_data(as_text=True).strip().splitlines()) == 15
    for bad in ('DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/> { ?s ?p ?o }',
                'SELECT (bif:file_to_string("/etc/passwd") AS ?x) {}', "CLEAR ALL"):  # fmt: skip
        refused = far.get("/sparql", query_string={"query": bad})
        assert refused.status_code == 400, bad
    assert far.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # still answering


def test_a_runaway_query_on_the_server_is_stopped_at_the_deadline(remote):
    assert run(remote, "build").exit_code == 0
    import dataclasses

    client = create_app({"SETTINGS": dataclasses.replace(remote, query_timeout=1), "TESTING": True}).test_client()
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    stopped = client.get("/sparql", query_string={"query": runaway})
    assert stopped.status_code == 503 and "stopped" in stopped.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def _without_order(value):
    """JSON with every list sorted, for answers whose order the engine leaves open (e.g. GROUP_CONCAT)."""
    if isinstance(value, dict):
        return {k: _without_order(v) for k, v in value.items() if k not in ("generation",)}
    if isinstance(value, list):
        return sorted((_without_order(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value
