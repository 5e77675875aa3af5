"""A table as a user expects it: sorted, filtered by facets with their counts, cut into pages, and whole as CSV or
JSON. The rows are built by the page (a few thousand at most: one entity's rows, or read from the analysis caches),
and only one page of them is shown.

A table's request parameters carry its key, so that several tables of one page page on their own:
``?appearances.page=2&appearances.sort=-date&appearances.year=2020``. ``?table=KEY`` with the page's ``.csv`` or
``.json`` URL gives the whole table (its facets applied).

>>> rows = [Row(["2021", "x"], {"year": "2021"}, ("2021", "x")), Row(["2020", "y"], {"year": "2020"}, ("2020", "y"))]
>>> t = table("t", "T", ["Date", "Name"], rows, {"t.year": "2020"})
>>> t["rows"], t["table"]["total"], [(f["value"], f["count"]) for f in t["table"]["facets"][0]["values"]]
([['2020', 'y']], 1, [('2021', 1), ('2020', 1)])
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

PAGE_ROWS = 100  # rows a page shows: a page of HTML stays small at any size of the data
FACET_VALUES = 30  # values a facet lists (the most frequent)
FACET_NAMES = {"year": "Year", "side": "Side", "sector": "Sector", "role": "Role", "kind": "Kind",
               "country": "Country", "series": "Series"}  # fmt: skip
OPTIONAL = ("Evidence", "Talk", "Attended", "Title as printed")  # columns shown only when a row has a value


@dataclass
class Row:
    """One row: its cells, its facet values (a facet may hold several: "role": "moderator; speaker"), and its sort
    keys, one per column (None: the cell's text)."""

    cells: list
    facets: dict[str, str | list[str] | None] = field(default_factory=dict)
    keys: tuple | None = None
    data: Any = None  # what ``table``'s ``build`` makes the cells of, for a row it shows (cells: [])


def text(cell) -> str:
    """A cell as plain text: a link by its text, a list joined."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Mapping):
        return str(cell.get("text") or "")
    return "; ".join(t for t in (text(c) for c in cell) if t)


def _values(value: str | list[str] | None) -> list[str]:
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def _sort_key(row: Row, column: int) -> tuple:
    """(value, text): a number sorts as a number; a cell without a value is (None, "")."""
    key = row.keys[column] if row.keys is not None else None
    value = text(row.cells[column] if row.cells else None) if key is None else key
    if value in ("", None):
        return (None, "")
    return (value, "") if isinstance(value, (int, float)) else (str(value).casefold(), str(value))


def table(key: str, heading: str, columns: list[str], rows: list[Row], args: Mapping[str, str],
          note: str | None = None, sort: str | None = None, page_rows: int | None = PAGE_ROWS,
          build: Callable[[list[Any]], list[list]] | None = None) -> dict:  # fmt: skip
    """The section ``key``: ``rows`` filtered by the facets in ``args``, sorted by ``args[key.sort]`` (a column's
    position from 1, ``-`` for descending; default ``sort``), one page of them (``page_rows``; None: all).
    ``build``: the cells of the rows shown, from their ``data`` (labels and sources read for one page only; the
    rows' ``keys`` sort them)."""
    if args.get("table") == key:  # the whole table, for its CSV or JSON
        page_rows = None
    if build is None:
        columns, rows = _without_empty(columns, rows)
    chosen = {name: args[f"{key}.{name}"] for name in FACET_NAMES if args.get(f"{key}.{name}")}
    kept = [r for r in rows if all(value in _values(r.facets.get(name)) for name, value in chosen.items())]
    order = args.get(f"{key}.sort") or sort or ""
    column = int(order.lstrip("-")) - 1 if order.lstrip("-").isdigit() else -1
    if 0 <= column < len(columns):  # empty cells last, whichever the direction
        keyed = [(_sort_key(r, column), r) for r in kept]
        filled = sorted((k for k in keyed if k[0][0] is not None), key=lambda k: k[0], reverse=order.startswith("-"))
        kept = [r for _, r in filled] + [r for k, r in keyed if k[0] is None]
    pages = max(1, -(-len(kept) // page_rows)) if page_rows else 1
    number = min(max(1, int(args.get(f"{key}.page", "1")) if args.get(f"{key}.page", "").isdigit() else 1), pages)
    shown = kept[(number - 1) * page_rows : number * page_rows] if page_rows else kept
    sorts = _sort_links(key, state_of(key, args), order, len(columns))
    if build is not None:  # the columns stay in place for sorting; those empty on this page are not shown
        shown = [Row(cells, r.facets, r.keys) for r, cells in zip(shown, build([r.data for r in shown]), strict=True)]
        visible = [i for i, c in enumerate(columns) if c not in OPTIONAL or any(text(r.cells[i]) for r in shown)]
        columns, sorts = [columns[i] for i in visible], [sorts[i] for i in visible]
        shown = [Row([r.cells[i] for i in visible], r.facets) for r in shown]
    state = state_of(key, args)
    return {"id": key, "heading": heading, "columns": columns, "rows": [r.cells for r in shown], "note": note,
            "table": {"total": len(kept), "of": len(rows), "page": number, "pages": pages,
                      "first": (number - 1) * (page_rows or 0) + 1 if shown else 0,
                      "sort": order, "sorts": sorts,
                      "facets": _facets(key, state, rows, kept, chosen), "links": _links(key, state, number, pages)}}  # fmt: skip


def state_of(key: str, args: Mapping[str, str]) -> dict[str, str]:
    """The parameters a link of table ``key`` keeps: its own, and the page's (an IRI, a measure …)."""
    return {k: v for k, v in args.items() if k.startswith(f"{key}.") or k in ("q", "iri", "measure", "side", "seed")}


def _without_empty(columns: list[str], rows: list[Row]) -> tuple[list[str], list[Row]]:
    """The columns that may stay empty (evidence, talk, attendance) left out when no row has a value in them."""
    empty = {i for i, c in enumerate(columns) if c in OPTIONAL and all(not text(r.cells[i]) for r in rows)}
    if not empty:
        return columns, rows
    kept = [i for i in range(len(columns)) if i not in empty]
    return [columns[i] for i in kept], [
        Row([r.cells[i] for i in kept], r.facets, tuple(r.keys[i] for i in kept) if r.keys else None) for r in rows
    ]


def _query(state: Mapping[str, str], **changes: str | None) -> str:
    merged = {**state, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v}) if any(merged.values()) else "?"


def _sort_links(key: str, state: Mapping[str, str], order: str, columns: int) -> list[str]:
    """Per column, the link that sorts by it (descending when it is already the ascending order)."""
    return [_query(state, **{f"{key}.sort": f"-{i}" if order == str(i) else str(i), f"{key}.page": None})
            for i in range(1, columns + 1)]  # fmt: skip


def _links(key: str, state: Mapping[str, str], number: int, pages: int) -> dict:
    whole = {**state, "table": key}
    whole.pop(f"{key}.page", None)
    return {"previous": _query(state, **{f"{key}.page": str(number - 1)}) if number > 1 else None,
            "next": _query(state, **{f"{key}.page": str(number + 1)}) if number < pages else None,
            "query": urlencode(whole)}  # fmt: skip


def _facets(key: str, state: Mapping[str, str], rows: list[Row], kept: list[Row], chosen: dict) -> list[dict]:
    """Per facet the rows hold: its values with their counts among the rows the other facets keep."""
    out = []
    names = [n for n in FACET_NAMES if any(_values(r.facets.get(n)) for r in rows)]
    for name in names:
        others = {n: v for n, v in chosen.items() if n != name}
        counts: Counter[str] = Counter()
        for r in rows if others != chosen else kept:
            if all(v in _values(r.facets.get(n)) for n, v in others.items()):
                counts.update(set(_values(r.facets.get(name))))
        if name == "year":  # newest first
            ordered = sorted(counts.items(), reverse=True)
        else:
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        values = [{"value": v, "count": n, "selected": chosen.get(name) == v,
                   "url": _query(state, **{f"{key}.{name}": None if chosen.get(name) == v else v, f"{key}.page": None})}
                  for v, n in ordered[:FACET_VALUES]]  # fmt: skip
        out.append(
            {"name": name, "label": FACET_NAMES[name], "values": values, "more": max(0, len(counts) - FACET_VALUES)}
        )
    return out


def as_csv(section: dict) -> str:
    """A section's rows as CSV, cells as text (links by their text), with its columns as the header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(section["columns"])
    writer.writerows([text(c) for c in row] for row in section["rows"])
    return out.getvalue()


def as_json(section: dict) -> str:
    """A section's rows as JSON objects keyed by its columns (links keep their ``url`` and ``iri``)."""
    rows = [dict(zip(section["columns"], row, strict=False)) for row in section["rows"]]
    return json.dumps({"heading": section["heading"], "columns": section["columns"], "rows": rows,
                       "total": len(rows)}, ensure_ascii=False)  # fmt: skip


def find(sections: Iterable[dict], key: str) -> dict | None:
    return next((s for s in sections if s.get("id") == key), None)
