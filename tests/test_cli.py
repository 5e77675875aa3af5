"""The command line on the real data, through click's CliRunner: exact figures, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph

from spacegraph.analysis.tables import EXPORT_FORMATS, MEASURES, NETWORKS
from spacegraph.cli import cli
from spacegraph.settings import PROJECT_ROOT, Settings

FUZHOU_QUERY = "@" + str(PROJECT_ROOT / "queries" / "fuzhou-2020-speakers.rq")
# The nine people of the 2020 source page (../shared/sources), under the canonical names of their organisations.
FUZHOU_PAGE = {
    "WANG Yiran": "Chinese Society of Astronautics",
    "Ian Christensen": "Secure World Foundation",
    "ZHANG Dong": "China Rocket Co., Ltd.",
    "Jeffrey Manber": "Nanoracks",
    "PI Benjie": "Leobit Technology Co., Ltd.",
    "Bhavya Lal": "IDA Science and Technology Policy Institute",
    "HUO Jia": "Beijing Interstellar Glory Space Technology Co., Ltd.",
    "Ken Hodgkins": "International Space Enterprise Consultants",
    "Rob Ronci": "Caelus Foundation",
}


def run(settings: Settings, *args: str):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args])


def test_build_reports_counts_and_conforms(tmp_settings):
    result = run(tmp_settings, "build")
    assert result.exit_code == 0, result.output
    assert "in 11 named graphs from 11 files; conforms to the shapes" in result.output
    assert (tmp_settings.store / "CURRENT").exists()


def test_fuzhou_speakers_are_the_nine_of_the_page(built_settings):
    result = run(built_settings, "query", FUZHOU_QUERY, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["name"]: r["organisation"] for r in rows} == FUZHOU_PAGE
    zhang = next(r for r in rows if r["name"] == "ZHANG Dong")
    assert zhang["printedAs"] == "CHINAROCKERT CO., LTD"
    assert zhang["talk"].startswith("Link the World, Achieve the Dream")
    assert zhang["title"].startswith("Executive Vice President")
    assert next(r for r in rows if r["name"] == "WANG Yiran")["roles"] in (
        "opening remarks, closing remarks",
        "closing remarks, opening remarks",
    )


def test_query_table_json_and_turtle(built_settings):
    table = run(built_settings, "query", "SELECT ?n WHERE { ?p a foaf:Person ; schema:name ?n } ORDER BY ?n")
    assert table.exit_code == 0
    assert table.output.splitlines()[2] == "Bhavya Lal" and "(14 rows)" in table.output
    as_json = run(built_settings, "query", 'ASK { ?o schema:name "China Rocket Co., Ltd." }', "--format", "json")
    assert json.loads(as_json.output)["boolean"] is True
    turtle = run(
        built_settings, "query", "CONSTRUCT { ?o schema:name ?n } WHERE { ?o a org:Organization ; schema:name ?n }",
        "--format", "turtle",
    )  # fmt: skip
    assert turtle.exit_code == 0
    assert len(Graph().parse(data=turtle.output, format="turtle")) == 14


@pytest.mark.parametrize(
    ("query", "output_format", "message"),
    [
        ("SELECT ?x WHERE { ?x ?y }", "table", "SPARQL syntax error"),
        ("SELECT ?x WHERE { ?x ?y ?z }", "turtle", "use --format table, csv or json"),
        ("CONSTRUCT WHERE { ?x ?y ?z }", "csv", "use --format turtle"),
    ],
)
def test_query_errors_are_readable(built_settings, query, output_format, message):
    result = run(built_settings, "query", query, "--format", output_format)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_query_without_store_says_to_build(tmp_settings):
    result = run(tmp_settings, "query", "ASK {}")
    assert result.exit_code == 2
    assert "run `spacegraph build` first" in result.output


def test_stats_per_edition(built_settings):
    result = run(built_settings, "stats", "--json")
    assert result.exit_code == 0
    counts = json.loads(result.output)
    editions = {e["name"]: e for e in counts["editions"]}
    assert len(editions) == 8
    fuzhou = editions["Second Sino-U.S. Space Commercialization Workshop"]
    assert (fuzhou["people"], fuzhou["organisations"], fuzhou["talks"], fuzhou["participants_complete"]) == (
        9, 9, 7, True,
    )  # fmt: skip
    assert {c["class"].rsplit("/", 1)[-1]: c["count"] for c in counts["classes"]}["Person"] == 14
    assert len(counts["graphs"]) == 12  # eleven source graphs and the ontology


def test_stats_table(built_settings):
    result = run(built_settings, "stats")
    assert result.exit_code == 0
    assert "2020-09-19  Second Sino-U.S. Space Commercialization Workshop" in result.output


def test_validate_real_data_conforms(tmp_settings):
    for engine in ("sparql", "pyshacl"):
        result = run(tmp_settings, "validate", "--engine", engine, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == {"conforms": True, "engine": engine, "violations": [], "warnings": []}


@pytest.mark.parametrize(
    "command", ["build", "validate", "query", "stats", "serve", "import-series", "dump", "ingest", "review"]
)  # every command, and the group
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "spacegraph " + command in result.output


def test_import_series_reproduces_the_committed_data(tmp_settings):
    """data/ was written by import-series from data/sources: running it again changes nothing."""
    result = run(tmp_settings, "import-series", "--recorded-at", "2026-11-27T20:00:00Z")
    assert result.exit_code == 0, result.output
    committed = [
        *(PROJECT_ROOT / "data" / "registry").glob("[!t]*.trig"),
        *(PROJECT_ROOT / "data" / "graphs").glob("*"),
    ]
    assert len(committed) == 10
    for path in committed:
        written = tmp_settings.data / path.relative_to(PROJECT_ROOT / "data")
        before, after = quads(path), quads(written)
        assert before == after, f"{path.name}: only committed {before - after}, only written {after - before}"


def quads(path) -> set[str]:
    import pyoxigraph as ox

    return {str(q) for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG)}


@pytest.mark.parametrize("measure", list(MEASURES))
def test_every_measure_of_the_table_is_offered_and_ranks(built_settings, measure):
    result = run(built_settings, "rank", "--measure", measure, "--top", "3", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["meaning"] == MEASURES[measure] and len(answer["ranking"]) == 3


@pytest.mark.parametrize("network", NETWORKS)
def test_every_network_of_the_table_is_offered_and_exports(built_settings, network, tmp_path):
    result = run(built_settings, "export", str(tmp_path / "out.graphml"), "--network", network)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Wrote ") and (tmp_path / "out.graphml").stat().st_size > 0


def test_the_choice_lists_are_the_library_s_tables():
    choices = {(c, p.name): list(getattr(p.type, "choices", [])) for c in ("rank", "export")
               for p in cli.commands[c].params}  # fmt: skip
    assert choices[("rank", "measure")] == list(MEASURES)
    assert choices[("export", "network")] == list(NETWORKS)
    assert choices[("export", "fmt")] == list(EXPORT_FORMATS)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["coverage", "--series", "No Such Series"], 1, "no series matches 'No Such Series'"),
        (["candidates", "--topic", "underwater basket weaving"], 1, "no topic called 'underwater basket weaving'"),
        (["plan", "--dry-run", "--exclude", "Nobody Atall"], 1, "no person or organisation called 'Nobody Atall'"),
        (["plan", "--dry-run", "--slots", "40", "--balance-sides"], 1, "cannot plan this:"),
        (["ego", "Nanoracks"], 1, "is an organisation"),
    ],
)
def test_the_library_s_errors_are_messages_with_exit_codes(built_settings, args, code, message):
    result = run(built_settings, *args)
    assert result.exit_code == code and message in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["stats"], ["dump"], ["rank"], ["coverage"], ["export", "x.gexf"]])
def test_commands_without_data_say_to_build(tmp_settings, args):
    result = run(tmp_settings, *args)
    assert result.exit_code == 2 and "run `spacegraph build` first" in result.output, result.output
