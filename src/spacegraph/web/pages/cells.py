"""The parts a page is made of: sections (tables whose cells are text or links) and the cells that recur.

A cell is ``None``, a string, a link ``{"text", "url", "iri"}``, or a list of these.

>>> years(["2020-09-19", None, "2023-04-25"])
'2020–2023'
>>> affiliation({"text": "Nanoracks", "url": "/id/org/nanoracks", "iri": "x"}, "NanoRacks LLC", "CEO")[1]["text"]
'NanoRacks LLC (Nanoracks)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def section(key: str, heading: str, columns: list[str], rows: list[list], note: str | None = None) -> dict:
    return {"id": key, "heading": heading, "columns": columns, "rows": rows, "note": note}


def affiliation(org: dict | None, printed: str | None, title: str | None) -> list:
    """The title, then the organisation (with its name as printed, where that differs)."""
    cells: list = []
    if title:
        cells.append(title)
    if org is not None:
        cells.append(org if not printed or printed == org["text"] else {**org, "text": f"{printed} ({org['text']})"})
    return cells


def years(dates: Iterable[str | None]) -> str:
    found = sorted({d[:4] for d in dates if d})
    if not found:
        return "not given"
    return found[0] if len(found) == 1 else f"{found[0]}–{found[-1]}"


def country(code: str | None) -> dict | None:
    return {"text": code, "url": f"/country/{code}", "iri": None} if code else None


def short(iri: str) -> str:
    """The last segment of an IRI, for an entity without a label."""
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri
