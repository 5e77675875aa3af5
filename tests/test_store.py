"""The store interface on the embedded Oxigraph store: load, replace a named graph, query, dump."""

from __future__ import annotations

import io

import pyoxigraph as ox
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.store.oxigraph import OxigraphStore

G = ox.NamedNode("https://example.org/graph/a")
S, P = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")


def quad(value: str, graph: ox.NamedNode = G) -> ox.Quad:
    return ox.Quad(S, P, ox.Literal(value), graph)


def values(store: OxigraphStore) -> list[str]:
    return sorted(r["o"].value for r in store.query("SELECT ?o WHERE { ?s ?p ?o }"))


def test_replace_graph_replaces_only_that_graph(tmp_path):
    other = ox.NamedNode("https://example.org/graph/b")
    store = OxigraphStore(tmp_path / "store")
    store.load([quad("old 1"), quad("old 2"), quad("kept", other)])
    store.replace_graph(G, [quad('new "quoted"\nline'), quad("new 2")])
    assert values(store) == ["kept", 'new "quoted"\nline', "new 2"]
    assert sorted(g.value for g in store.named_graphs()) == [G.value, other.value]


def test_replace_graph_refuses_quads_of_another_graph(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.load([quad("old")])
    try:
        store.replace_graph(G, [quad("new"), quad("stray", ox.NamedNode("https://example.org/graph/b"))])
    except ValueError as error:
        assert "is not in graph" in str(error)
    else:
        raise AssertionError("a stray quad was accepted")
    assert values(store) == ["old"]


def test_dump_round_trips(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.load([quad("a"), quad("b", ox.NamedNode("https://example.org/graph/b"))])
    out = io.BytesIO()
    store.dump(out)
    assert {str(q) for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)} == {
        str(quad("a")),
        str(quad("b", ox.NamedNode("https://example.org/graph/b"))),
    }


def test_dump_command_writes_every_quad(built_settings, tmp_path):
    target = tmp_path / "all.nq"
    args = ["--store", str(built_settings.store), "dump", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    dumped = list(ox.parse(path=str(target), format=ox.RdfFormat.N_QUADS))
    assert len(dumped) == len(OxigraphStore(built_settings.store, read_only=True))
    assert all(isinstance(q.graph_name, ox.NamedNode) for q in dumped)
