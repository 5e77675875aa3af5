"""Tables read as entries: a row whose header names its columns (Role, Name, Position, Organisation, Talk) becomes
"Role: Name, Position, Organisation, “Talk”" (without a role, a "• " bullet), the form the line reader reads; Markdown tables in a page's text are
rendered so (the header row stays, its cells joined by " | "). Empty cells and dashes ("–") mean nothing; struck
text (~~…~~) is dropped, as a reader does not take it for what the page says."""

from __future__ import annotations

import re

from spacegraph.names.split import looks_like_person, strip_honorific

COLUMN = {
    "role": re.compile(r"^(?:role|function|part)s?$", re.I),
    "name": re.compile(r"^(?:names?|speakers?|persons?|panell?ists?|participants?|who|moderators?)$", re.I),
    "title": re.compile(r"^(?:titles?|positions?|job titles?|posts?)$", re.I),
    "organisation": re.compile(r"^(?:organi[sz]ations?|affiliations?|institutions?|company|companies|employer)$", re.I),
    "talk": re.compile(r"^(?:talks?|talk titles?|presentations?|topics?|subjects?|titles? of (?:the )?talk)$", re.I),
    "session": re.compile(r"^(?:sessions?|programme|program|agenda|items?|activit(?:y|ies)|segments?)$", re.I),
}
# A session cell's kind ("Keynote: Title", "Panel: Who Pays?", "Closing") -> the role label the line reader knows
SESSION_ROLES = (
    (re.compile(r"^(?:opening|welcome|welcoming)\b", re.I), "Opening remarks"),
    (re.compile(r"^(?:closing|concluding|close|farewell)\b", re.I), "Closing remarks"),
    (re.compile(r"^keynote\b", re.I), "Keynote"),
    (re.compile(r"^(?:panel|roundtable|round\s+table)\b", re.I), "Panelist"),
    (re.compile(r"^(?:moderat|chair)", re.I), "Moderator"),
    (re.compile(r"^(?:presentation|talk|lecture|address|briefing|session)\b", re.I), ""),
)
SESSION_TITLE = re.compile(r"^(?P<kind>[^:–—]{2,40}?)\s*(?::|–|—|\s-\s)\s*(?P<title>\S.{1,200})$")
SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
EMPTY = re.compile(r"^[\s–—-]*$")


def entry_cells(header: list[str], cells: list[str]) -> tuple[str, list[str]] | None:
    """(role label, [name, title, organisation, “talk”]) of a row whose header names a name column, else None."""
    kinds = column_kinds(header)
    if "name" not in kinds or len(cells) != len(header):
        return None
    value = {kind: cell.strip() for kind, cell in zip(kinds, cells, strict=True) if kind and not EMPTY.match(cell)}
    role, talk = value.get("role", ""), value.get("talk")
    if "name" not in value:
        return role, []  # "Coffee break": a row of the programme with nobody in it
    if "session" in value:
        session_role, session_talk = session_parts(value["session"])
        role, talk = role or session_role, talk or session_talk
    if talk and not re.match(r"^[\"“„«]", talk):
        talk = f"“{talk}”"
    parts = [value.get("name", ""), value.get("title", ""), value.get("organisation", ""), talk or ""]
    return role, [p for p in parts if p]


def column_kinds(header: list[str]) -> list[str | None]:
    """What each column holds ("Speaker(s)" -> name), by its header."""
    cleaned = [re.sub(r"\(s\)$", "s", h.strip(" *_:")) for h in header]
    return [next((k for k, pattern in COLUMN.items() if pattern.match(h)), None) for h in cleaned]


def session_parts(cell: str) -> tuple[str, str | None]:
    """'Keynote: Soil Maps for Every Village' -> ('Keynote', 'Soil Maps for Every Village'); 'Panel: Who Pays?' ->
    ('Panelist', None) (a panel's name is no one's talk); 'Closing' -> ('Closing remarks', None); a title alone is
    a talk ('Yield from Radar' -> ('', 'Yield from Radar'))."""
    m = SESSION_TITLE.match(cell)
    kind, title = (m.group("kind"), m.group("title").strip()) if m else (cell, None)
    role = next((label for pattern, label in SESSION_ROLES if pattern.match(kind.strip())), None)
    if role is None:
        return "", cell if len(cell.split()) >= 2 else None
    return role, (title if role not in ("Panelist", "Moderator") else None)


def row_entries(header: list[str], cells: list[str]) -> list[tuple[str, list[str]]] | None:
    """The entries of a row (entry_cells), one per person when its name cell holds several ("A, Org; B, Org",
    "A and B", one per line): None when the header names no name column."""
    entry = entry_cells(header, cells)
    kinds = column_kinds(header)
    if entry is None or "name" not in kinds:
        return entry and [entry]
    cell = cells[kinds.index("name")]
    people = [p for p in re.split(r"\s*(?:;|\n)\s*|\s+and\s+(?=(?:Dr|Prof|Mr|Ms|Mrs)\.?\s|[A-Z])", cell) if p.strip()]
    if len(people) < 2 or not all(starts_with_name(p) for p in people):
        return [entry]
    return [
        entry_cells(header, [p if k == "name" else c for k, c in zip(kinds, cells, strict=True)]) or entry
        for p in people
    ]


def starts_with_name(text: str) -> bool:
    """'Dr. Ana Lind, Fjord Radar AS', 'Bo Chen (Kalmar AB)' and 'Bo Chen' begin with a person's name."""
    words = strip_honorific(text.strip()).split()
    return any(looks_like_person(" ".join(words[:n]).rstrip(",(")) for n in (2, 3))


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
                out += [_entry_line(*entry) for row in rows for entry in row_entries(header, row) or [] if entry[1]]
                i = end
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _entry_line(label: str, parts: list[str]) -> str:
    return f"{label}: " + ", ".join(parts) if label else "• " + ", ".join(parts)
