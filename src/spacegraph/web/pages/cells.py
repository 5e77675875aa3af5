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

from spacegraph.vocab.terms import ATTENDANCE_MODES, ROLES, SECTORS, SIDES

# The labels of the vocabulary's terms (sides, attendance modes, sectors, roles), by IRI: a page labels them from
# the vocabulary, whichever graph the term is used in (the store's ontology graph may not hold schema.org's modes).
TERM_LABELS = {str(t.iri): t.label for t in (*SIDES, *ATTENDANCE_MODES, *SECTORS, *ROLES)}
CURATORS_NOTE = re.compile(r"^[\w.-]+\.json\b")  # "series.json same_person note: …": a curator's, not the source's


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


def term(iri: str | None) -> str | None:
    """The label of a term of the vocabulary (a side, an attendance mode, a sector, a role); else None."""
    return TERM_LABELS.get(iri or "")


def evidence(text: str | None) -> str | None:
    """The source's words behind a record, or None for a curator's note about a data file (not evidence).

    >>> evidence('series.json same_person note: "SWF"'), evidence("Ian Christensen, Director")
    (None, 'Ian Christensen, Director')
    """
    return None if not text or CURATORS_NOTE.match(text) else text


def first(items: list, every: bool = False, shown: int = 10) -> list:
    """The first ``shown`` items and how many more (``every``: all of them, for a table's CSV and JSON).

    >>> first(["a", "b", "c"], shown=2), first(["a", "b", "c"], every=True, shown=2)
    (['a', 'b', 'and 1 more'], ['a', 'b', 'c'])
    """
    if every or len(items) <= shown:
        return items
    return [*items[:shown], f"and {len(items) - shown} more"]


def short(iri: str) -> str:
    """The last segment of an IRI, for an entity without a label."""
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri
