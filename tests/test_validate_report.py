"""`spacegraph validate` tells violations from warnings: warnings are reported as such, and the data still conforms."""

from __future__ import annotations

import json

from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from spacegraph.cli import cli
from spacegraph.settings import Settings

CAELUS = "<https://w3id.org/spacegraph/id/org/caelus-foundation>"


def run(settings: Settings, *args: str):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), "validate", *args])


def edit_caelus(settings: Settings, line: str) -> None:
    """Remove ``line`` from the Caelus Foundation's description in the registry (it must be there)."""
    path = settings.data / "registry" / "organisations.trig"
    text = path.read_text(encoding="utf-8")
    start = text.index(CAELUS + " a org:Organization")
    end = text.index(" .\n", start)
    block = text[start:end]
    assert line in block
    path.write_text(text[:start] + block.replace(line, "") + text[end:], encoding="utf-8")


def test_a_warning_is_reported_as_a_warning_and_the_data_conforms(tmp_settings):
    edit_caelus(tmp_settings, " ;\n        sg:sector sg:nonProfit")
    result = run(tmp_settings)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Conforms, with 1 warning(s) in 1 file(s)")
    assert "- warning: Organisation has no sector yet" in result.output
    assert "violation" not in result.output.split("\n", 1)[1]

    document = json.loads(run(tmp_settings, "--json").output)
    assert document["conforms"] is True and document["violations"] == []
    [warning] = document["warnings"]
    assert (warning["entity"], warning["severity"]) == (CAELUS.strip("<>"), "Warning")
    assert warning["files"] == [str(tmp_settings.data / "registry" / "organisations.trig")]


def test_violations_and_warnings_are_apart_in_json_and_in_the_shacl_report(tmp_settings):
    edit_caelus(tmp_settings, " ;\n        sg:sector sg:nonProfit")
    edit_caelus(tmp_settings, ' ;\n        schema:name "Caelus Foundation"')
    result = run(tmp_settings, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["conforms"] is False
    assert [v["constraint"] for v in document["violations"]] == ["MinCountConstraintComponent"]
    assert [w["message"][:30] for w in document["warnings"]] == ["Organisation has no sector yet"]

    result = run(tmp_settings, "--format", "ttl")
    assert result.exit_code == 1
    report = Graph().parse(data=result.output, format="turtle")
    [node] = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    severities = sorted(str(report.value(r, SH.resultSeverity)) for r in report.objects(node, SH.result))
    assert severities == [str(SH.Violation), str(SH.Warning)]


def test_nothing_to_validate_is_an_error_not_a_verdict(tmp_path):
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "nowhere"), "validate"])
    assert result.exit_code == 2 and "no graph files under" in result.output
