"""Writing the networks for other tools: GEXF 1.3 with time spells (Gephi's timeline), GraphML, CSV as Gephi's
spreadsheet importer reads it (``Id`` and ``Label``; ``Source``, ``Target``, ``Weight``), node-link JSON.

Every format labels a node with its name, never its IRI (the IRI stays its id), and leaves a value out where the
data does not know it: an edition without a date gives no year, never year 0.

>>> g = nx.Graph()
>>> g.add_node("p:a", name="Ann", kind="person", side="U.S.", first_year=2020, last_year=2021, events=2)
>>> g.add_node("p:b", name="Bo", kind="person", side="China", first_year=None, last_year=None, events=1)
>>> g.add_edge("p:a", "p:b", weight=1, events={"e:1": {"name": "E1", "date": None}})
>>> nodes, edges = table_rows(g)
>>> nodes[1]
{'Id': 'p:b', 'Label': 'Bo', 'kind': 'person', 'side': 'China', 'events': 1}
>>> edges[0]
{'Source': 'p:a', 'Target': 'p:b', 'Type': 'Undirected', 'Weight': 1, 'events': 1, 'event_names': 'E1'}
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import networkx as nx

from spacegraph.analysis.tables import EXPORT_FORMATS as FORMATS
from spacegraph.query import spreadsheet_cell

GEXF_NS = "http://gexf.net/1.3"


def node_row(node: str, data: dict) -> dict:
    """One node as Gephi's importer wants it: ``Id``, ``Label`` (its name), then its plain attributes (text and
    numbers; an unknown value left out)."""
    row = {"Id": node, "Label": data["name"] if "name" in data else data.get("label", node)}
    for key, value in data.items():
        if key not in ("name", "label") and isinstance(value, str | int | float) and not isinstance(value, bool):
            if value != "":
                row[key] = value
    return row


def edge_row(x: str, y: str, data: dict) -> dict:
    """One tie: its ends, its weight, how many events, their names and years (none when no event has a date)."""
    events = _evidence(data)
    row = {"Source": x, "Target": y, "Type": "Undirected", "Weight": data.get("weight", 1),
           "events": len(data.get("events", ()))}  # fmt: skip
    years = _years(events)
    if years:
        row["first_year"], row["last_year"] = years[0], years[-1]
    if events:
        row["event_names"] = "; ".join(e["name"] for e in events)
    return row


def table_rows(graph: nx.Graph) -> tuple[list[dict], list[dict]]:
    """The nodes and the edges of ``graph`` as rows (see ``node_row`` and ``edge_row``)."""
    nodes = [node_row(n, d) for n, d in graph.nodes(data=True)]
    return nodes, [edge_row(x, y, d) for x, y, d in graph.edges(data=True)]


def _evidence(edge: dict) -> list[dict]:
    """An edge's events with their names and dates; none for the person–topic network's, which lists IRIs only."""
    events = edge.get("events", {})
    return list(events.values()) if isinstance(events, dict) else []


def _years(events: list[dict]) -> list[int]:
    return sorted({int(e["date"][:4]) for e in events if e.get("date")})


def export(graph: nx.Graph, fmt: str, output: Path) -> None:
    if fmt == "graphml":
        output.write_bytes(graphml_bytes(graph))
    elif fmt == "gexf":
        output.write_bytes(gexf_bytes(graph))
    elif fmt == "json":
        output.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), indent=1, default=str), encoding="utf-8")
    elif fmt == "csv":
        nodes, edges = table_rows(graph)
        output.mkdir(parents=True, exist_ok=True)
        (output / "nodes.csv").write_text(_table(nodes), encoding="utf-8")
        (output / "edges.csv").write_text(_table(edges), encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def graphml_bytes(graph: nx.Graph) -> bytes:
    """GraphML whose nodes carry a ``label`` (the name) beside their attributes; edges their weight and events."""
    flat = nx.Graph()
    nodes, edges = table_rows(graph)
    for row in nodes:
        node, label = row.pop("Id"), row.pop("Label")
        flat.add_node(node, label=label, **row)
    for row in edges:
        x, y = row.pop("Source"), row.pop("Target")
        row.pop("Type")
        flat.add_edge(x, y, weight=row.pop("Weight"), **row)
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer)
    return buffer.getvalue()


def gexf_bytes(graph: nx.Graph) -> bytes:
    """GEXF 1.3, dynamic: each node from its first to its last year, each edge one spell per dated event."""
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": date.today().isoformat()})
    ET.SubElement(meta, "creator").text = "spacegraph"
    meta_text = graph.graph.get("note") or "Co-appearance network: a tie for each pair who took part in an event."
    ET.SubElement(meta, "description").text = meta_text
    element = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "dynamic", "timeformat": "date"})
    nodes, edges = table_rows(graph)
    node_ids = _declare(element, "node", [{k: v for k, v in r.items() if k not in ("Id", "Label")} for r in nodes])
    edge_ids = _declare(element, "edge", [{k: v for k, v in r.items() if k[0].islower()} for r in edges])
    listed = ET.SubElement(element, "nodes", {"count": str(len(nodes))})
    for row in nodes:
        node = ET.SubElement(listed, "node", {"id": row["Id"], "label": row["Label"]})
        if "first_year" in row:
            node.set("start", f"{row['first_year']}-01-01")
            node.set("end", f"{row['last_year']}-12-31")
        _values(node, row, node_ids)
    listed = ET.SubElement(element, "edges", {"count": str(len(edges))})
    for index, ((_, _, data), row) in enumerate(zip(graph.edges(data=True), edges, strict=True)):
        edge = ET.SubElement(listed, "edge", {"id": str(index), "source": row["Source"], "target": row["Target"],
                                              "weight": str(float(row["Weight"]))})  # fmt: skip
        _values(edge, row, edge_ids)
        dates = sorted({e["date"][:10] for e in _evidence(data) if e.get("date")})
        if dates:
            spells = ET.SubElement(edge, "spells")
            for day in dates:
                ET.SubElement(spells, "spell", {"start": day, "end": day})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _declare(graph: ET.Element, kind: str, rows: list[dict]) -> dict[str, str]:
    """``<attributes class=kind>``: one attribute per key the rows hold, typed by its values; key -> its id."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    block = ET.SubElement(graph, "attributes", {"class": kind})
    ids = {}
    for number, key in enumerate(keys):
        values = [row[key] for row in rows if key in row]
        kind_of = "integer" if all(isinstance(v, int) for v in values) else "string"
        ids[key] = f"{kind[0]}{number}"
        ET.SubElement(block, "attribute", {"id": ids[key], "title": key, "type": kind_of})
    return ids


def _values(element: ET.Element, row: dict, ids: dict[str, str]) -> None:
    present = [(ids[k], v) for k, v in row.items() if k in ids]
    if present:
        values = ET.SubElement(element, "attvalues")
        for attribute, value in present:
            ET.SubElement(values, "attvalue", {"for": attribute, "value": str(value)})


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
