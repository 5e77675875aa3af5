"""Writing the networks for other tools: GraphML, GEXF with time spells (Gephi's timeline), CSV, node-link JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

from spacegraph.analysis.tables import EXPORT_FORMATS as FORMATS
from spacegraph.query import spreadsheet_cell


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all plain values (GraphML and GEXF take no dicts): years, weights, sides."""
    flat = nx.Graph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in data.items() if isinstance(v, str | int | float)})
    for x, y, data in graph.edges(data=True):
        events = _evidence(data)
        years = sorted({int(e["date"][:4]) for e in events if e.get("date")})
        flat.add_edge(x, y, weight=data.get("weight", 1), events=len(data.get("events", ())),
                      first_year=years[0] if years else 0, last_year=years[-1] if years else 0,
                      event_names="; ".join(e["name"] for e in events))  # fmt: skip
    return flat


def _evidence(edge: dict) -> list[dict]:
    """An edge's events with their names and dates; none for the person–topic network's, which lists IRIs only."""
    events = edge.get("events", {})
    return list(events.values()) if isinstance(events, dict) else []


def export(graph: nx.Graph, fmt: str, output: Path) -> None:
    if fmt == "graphml":
        nx.write_graphml(_flat(graph), output)
    elif fmt == "gexf":
        output.write_bytes(gexf_bytes(graph))
    elif fmt == "json":
        output.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), indent=1, default=str), encoding="utf-8")
    elif fmt == "csv":
        flat = _flat(graph)
        output.mkdir(parents=True, exist_ok=True)
        (output / "nodes.csv").write_text(_table([{"id": n, **d} for n, d in flat.nodes(data=True)]), encoding="utf-8")
        (output / "edges.csv").write_text(
            _table([{"source": x, "target": y, **d} for x, y, d in flat.edges(data=True)]), encoding="utf-8"
        )
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def gexf_bytes(graph: nx.Graph) -> bytes:
    """Dynamic GEXF (see ``_dynamic``) in memory, for a download."""
    buffer = io.BytesIO()
    nx.write_gexf(_dynamic(graph), buffer)
    return buffer.getvalue()


def _dynamic(graph: nx.Graph) -> nx.Graph:
    """Each edge's events as time spells (one per event date), each node from its first to its last year."""
    flat = _flat(graph)
    for _, data in flat.nodes(data=True):
        if data.get("first_year"):
            data["start"], data["end"] = f"{data['first_year']}-01-01", f"{data['last_year']}-12-31"
    for x, y, data in graph.edges(data=True):
        dates = sorted(e["date"] for e in _evidence(data) if e.get("date"))
        if dates:
            flat[x][y]["spells"] = [(date, date) for date in dates]
    flat.graph["mode"] = "dynamic"
    return flat


def _table(rows: list[dict]) -> str:
    """CSV for a spreadsheet: text that a spreadsheet would take for a formula (=, +, -, @, tab, CR first) is
    neutralised with a single quote (spacegraph.query.spreadsheet_cell); numbers are written as they are."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(str(c)) for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c, "")) for c in columns])
    return buffer.getvalue()


def _cell(value: object) -> object:
    return spreadsheet_cell(value) if isinstance(value, str) else value
