"""Exports for Gephi and spreadsheets (issue 17 point 5, issue 18 point 6): every network in every format from the
command line; GEXF with the structure the GEXF 1.3 schema requires (gexf.rnc and dynamics.rnc of gephi/gexf: no
XML Schema validator is installed here, so the rules are checked one by one); names as labels; no year 0."""

from __future__ import annotations

import csv
import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from spacegraph.analysis.exports import export, gexf_bytes
from spacegraph.analysis.projections import co_appearance_graph
from spacegraph.analysis.tables import EXPORT_FORMATS, NETWORKS
from spacegraph.cli import cli
from spacegraph.vocab.records import Appearance

NS = "{http://gexf.net/1.3}"
GRAPH_ATTRIBUTES = {"defaultedgetype", "idtype", "mode", "timeformat", "start", "end", "timestamp",
                    "timerepresentation", "timezone"}  # fmt: skip
ATTRIBUTE_TYPES = {"integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI"}
NODE_ATTRIBUTES = {"id", "label", "start", "end", "pid"}
EDGE_ATTRIBUTES = {"id", "type", "label", "source", "target", "weight", "kind", "start", "end"}
MANBER = "https://w3id.org/spacegraph/id/person/jeffrey-manber"


def run(settings, *args):
    return CliRunner().invoke(cli, ["--data", str(settings.data), "--store", str(settings.store), *args])


def check_gexf_13(data: bytes) -> ET.Element:
    """The rules of the GEXF 1.3 grammar that a writer can break; the graph element, for more checks."""
    root = ET.fromstring(data)
    assert root.tag == f"{NS}gexf" and root.get("version") == "1.3"
    assert [c.tag for c in root] in ([f"{NS}meta", f"{NS}graph"], [f"{NS}graph"])
    graph = root.find(f"{NS}graph")
    assert set(graph.attrib) <= GRAPH_ATTRIBUTES, graph.attrib  # no name="" (issue 18)
    tags = [c.tag.removeprefix(NS) for c in graph]
    assert tags[-2:] == ["nodes", "edges"] and set(tags[:-2]) <= {"attributes"}
    declared = {}
    for block in graph.findall(f"{NS}attributes"):
        assert block.get("class") in ("node", "edge") and set(block.attrib) == {"class"}
        for attribute in block:
            assert attribute.tag == f"{NS}attribute" and attribute.get("type") in ATTRIBUTE_TYPES
            assert attribute.get("id") and attribute.get("title")
            declared[attribute.get("id")] = (block.get("class"), attribute.get("type"))
    ids = set()
    for node in graph.find(f"{NS}nodes"):
        assert node.tag == f"{NS}node" and set(node.attrib) <= NODE_ATTRIBUTES and node.get("id")
        ids.add(node.get("id"))
        check_times(node, "node", declared)
    for edge in graph.find(f"{NS}edges"):
        assert edge.tag == f"{NS}edge" and set(edge.attrib) <= EDGE_ATTRIBUTES
        assert edge.get("source") in ids and edge.get("target") in ids
        float(edge.get("weight"))
        check_times(edge, "edge", declared)
    assert int(graph.find(f"{NS}nodes").get("count")) == len(ids)
    return graph


def check_times(element: ET.Element, kind: str, declared: dict) -> None:
    for name in ("start", "end"):
        if element.get(name):
            datetime.date.fromisoformat(element.get(name))
    for child in element:
        assert child.tag in (f"{NS}attvalues", f"{NS}spells")
        for item in child:
            if child.tag == f"{NS}attvalues":
                assert declared[item.get("for")][0] == kind and item.get("value") is not None
                if declared[item.get("for")][1] == "integer":
                    int(item.get("value"))
            else:
                assert item.tag == f"{NS}spell"
                datetime.date.fromisoformat(item.get("start"))
                datetime.date.fromisoformat(item.get("end"))


@pytest.mark.parametrize("network", NETWORKS)
def test_every_network_exports_in_every_format(built_settings, tmp_path, network):
    for fmt in EXPORT_FORMATS:
        target = tmp_path / f"{network}.{fmt}"
        result = run(built_settings, "export", str(target), "--format", fmt, "--network", network)
        assert result.exit_code == 0, (fmt, result.output)
        assert target.exists()
    check_gexf_13((tmp_path / f"{network}.gexf").read_bytes())


def test_people_are_labelled_by_name_in_every_format(built_settings, tmp_path):
    for fmt in ("gexf", "graphml", "csv"):
        assert run(built_settings, "export", str(tmp_path / fmt), "--format", fmt).exit_code == 0
    graph = check_gexf_13((tmp_path / "gexf").read_bytes())
    labels = {n.get("id"): n.get("label") for n in graph.iter(f"{NS}node")}
    assert labels[MANBER] == "Jeffrey Manber" and not any(label.startswith("http") for label in labels.values())
    assert nx.read_graphml(tmp_path / "graphml").nodes[MANBER]["label"] == "Jeffrey Manber"
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:2] == ["Id", "Label"]  # what Gephi's spreadsheet importer looks for
    assert {r["Id"]: r["Label"] for r in rows}[MANBER] == "Jeffrey Manber"
    with (tmp_path / "csv" / "edges.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:4] == ["Source", "Target", "Type", "Weight"]


def undated_graph() -> nx.Graph:
    appearances = [Appearance(agent, agent.upper(), "person", "e:undated", "Undated", None, "speaker", "U.S.")
                   for agent in ("p:a", "p:b")]  # fmt: skip
    appearances.append(Appearance("p:a", "P:A", "person", "e:2", "Dated", "2021-03-04", "speaker", "U.S."))
    appearances.append(Appearance("p:c", "P:C", "person", "e:2", "Dated", "2021-03-04", "speaker", "China"))
    return co_appearance_graph(appearances)


def test_an_unknown_year_is_left_out_not_zero(tmp_path):
    graph = undated_graph()
    root = check_gexf_13(gexf_bytes(graph))
    nodes = {n.get("id"): n for n in root.iter(f"{NS}node")}
    assert nodes["p:b"].get("start") is None and nodes["p:a"].get("start") == "2021-01-01"
    edges = {(e.get("source"), e.get("target")): e for e in root.iter(f"{NS}edge")}
    assert edges[("p:a", "p:b")].find(f"{NS}spells") is None
    assert [s.get("start") for s in edges[("p:a", "p:c")].iter(f"{NS}spell")] == ["2021-03-04"]
    export(graph, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8") as f:
        years = {r["Id"]: r["first_year"] for r in csv.DictReader(f)}
    assert years == {"p:a": "2021", "p:b": "", "p:c": "2021"}
    export(graph, "graphml", tmp_path / "g.graphml")
    assert "first_year" not in nx.read_graphml(tmp_path / "g.graphml").nodes["p:b"]


def test_the_network_view_s_gexf_download_is_gexf_13(built_settings):
    from spacegraph.web import create_app

    client = create_app({"SETTINGS": built_settings}).test_client()
    response = client.get("/api/network.gexf?from=2020&to=2020")
    assert response.status_code == 200
    graph = check_gexf_13(response.data)
    assert {n.get("label") for n in graph.iter(f"{NS}node")} >= {"Jeffrey Manber"}


def test_gexf_is_readable_by_an_xml_parser_with_odd_names(tmp_path: Path):
    graph = nx.Graph()
    graph.add_node("p:x", name='A & "B" <C>', kind="person")
    graph.add_node("p:y", name="=HYPERLINK()", kind="person")
    graph.add_edge("p:x", "p:y", weight=2, events={})
    labels = [n.get("label") for n in check_gexf_13(gexf_bytes(graph)).iter(f"{NS}node")]
    assert labels == ['A & "B" <C>', "=HYPERLINK()"]
    export(graph, "csv", tmp_path / "csv")
    assert "'=HYPERLINK()" in (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8")
