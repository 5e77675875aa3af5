"""Tables read as entries: a row whose header names its columns (Role, Name, Position, Organisation, Talk) becomes
"Role: Name, Position, Organisation, “Talk”" (without a role, a "• " bullet), the form the line reader reads; Markdown tables in a page's text are
rendered so (the header row stays, its cells joined by " | "). Empty cells and dashes ("–") mean nothing; struck
text (~~…~~) is dropped, as a reader does not take it for what the page says."""

from __future__ import annotations

import re

COLUMN = {
    "role": re.compile(r"^(?:role|function|part)s?$", re.I),
    "name": re.compile(r"^(?:names?|speakers?|persons?|panell?ists?|participants?|who|moderators?)$", re.I),
    "title": re.compile(r"^(?:titles?|positions?|job titles?|posts?)$", re.I),
    "organisation": re.compile(r"^(?:organi[sz]ations?|affiliations?|institutions?|company|companies|employer)$", re.I),
    "talk": re.compile(r"^(?:talks?|talk titles?|presentations?|topics?|subjects?|titles? of (?:the )?talk)$", re.I),
}
SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
EMPTY = re.compile(r"^[\s–—-]*$")


def entry_cells(header: list[str], cells: list[str]) -> tuple[str, list[str]] | None:
    """(role label, [name, title, organisation, “talk”]) of a row whose header names a name column, else None."""
    kinds = [next((k for k, pattern in COLUMN.items() if pattern.match(h.strip(" *_:"))), None) for h in header]
    if "name" not in kinds or len(cells) != len(header):
        return None
    value = {kind: cell.strip() for kind, cell in zip(kinds, cells, strict=True) if kind and not EMPTY.match(cell)}
    talk = value.get("talk")
    if talk and not re.match(r"^[\"“„«]", talk):
        talk = f"“{talk}”"
    parts = [value.get("name", ""), value.get("title", ""), value.get("organisation", ""), talk or ""]
    return value.get("role", ""), [p for p in parts if p]


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    cells = [re.sub(r"~~.*?~~", "", cell) for cell in inner.split("|")]
    return [" ".join(re.sub(r"^([*_]{1,2})(.+)\1$", r"\2", cell.strip()).split()) for cell in cells]


def markdown_tables(text: str) -> str:
    """``text`` with each Markdown table whose header names a name column rendered one entry a row."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("|") and i + 1 < len(lines) and SEPARATOR.match(lines[i + 1].strip()):
            header = _cells(line)
            end = i + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            rows = [_cells(row) for row in lines[i + 2 : end]]
            if all(entry_cells(header, row) is not None for row in rows) and rows:
                out.append(" | ".join(header))
                out += [_entry_line(*entry) for row in rows if (entry := entry_cells(header, row)) and entry[1]]
                i = end
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _entry_line(label: str, parts: list[str]) -> str:
    return f"{label}: " + ", ".join(parts) if label else "• " + ", ".join(parts)
