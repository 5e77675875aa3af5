"""Text extracted from a PDF, repaired for reading: ligatures (ﬁ ﬂ …) as plain letters, soft hyphens dropped,
running headers, footers, page numbers and table-of-contents lines left out, two columns printed side by side read
one after the other, words hyphenated at a line end joined, and lines wrapped inside an entry or a sentence joined.

Only the ligatures and soft hyphens are repaired in any text; the rest is done only to text that shows it came from
a PDF (page numbers or page breaks, at least twice). The work is linear in the text's size: each pass looks at
every line a bounded number of times (at most ``MAX_COLUMN_TRIES`` column positions are tried).
"""

from __future__ import annotations

import re
from collections import Counter

from spacegraph.names.split import looks_like_person

LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\u00ad": ""}
PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.I)
PAGE_MARK = re.compile(r"(?:\s{2,}|^)(?:[-–—]\s*\d{1,4}\s*[-–—]|page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)\s*$", re.I)
LEADER = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}\s*$")
SPACED = re.compile(r"^\s*(?:\w ){3,}\w\s*$")
GAP = re.compile(r"\S(\s{3,})(?=\S)")
MAX_COLUMN_TRIES = 4
MAX_JOINED = 2_000  # characters: no paragraph of an event page is longer
PAGE_BREAK = "\f"  # where furniture was: a page's end, read as a blank line
HONORIFIC_END = re.compile(r"\b(?:Dr|Prof|Mr|Mrs|Ms|Amb|Capt|Sir|Dra|Ing)\.?(?:\s+[A-Z][\w'’-]*)?$")


def normalise_ligatures(text: str) -> str:
    return text.translate({ord(k): v for k, v in LIGATURES.items()}) if re.search("[ﬀ-ﬆ\u00ad]", text) else text


def looks_extracted(text: str) -> bool:
    """Page numbers on lines of their own or in a running header/footer, or page breaks, at least twice."""
    lines = text.split("\n")
    marks = sum(1 for line in lines if PAGE_NUMBER.match(line) and line.strip() or PAGE_MARK.search(line))
    return marks + text.count("\f") >= 2


def repair(text: str, extracted: bool = False) -> str:
    """``text`` read as a PDF's text (see the module's doc) when it shows it was one, or is known to be
    (``extracted``); the page's header lines stay as they are."""
    text = normalise_ligatures(text)
    if not (extracted or looks_extracted(text)):
        return text
    lines = text.replace("\f", "\n").split("\n")
    head = 0
    while head < len(lines) and re.match(r"\s*(?:source|url|title):\s", lines[head], re.I):
        head += 1
    body = _drop_furniture(lines[head:])
    body = _unspace(body)
    body = ["" if line == PAGE_BREAK else line for line in _columns(body)]
    body = _entries(_badges(_join(body)))
    return "\n".join(lines[:head] + body)


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _drop_furniture(lines: list[str]) -> list[str]:
    """Without page numbers, table-of-contents lines, and lines repeated on several pages next to a page number."""
    numbered = {
        i for i, line in enumerate(lines) if line.strip() and (PAGE_NUMBER.match(line) or PAGE_MARK.search(line))
    }
    near: Counter[str] = Counter()
    for i in numbered:
        for j in (i - 2, i - 1, i + 1, i + 2):
            if 0 <= j < len(lines) and lines[j].strip() and j not in numbered:
                near[_key(lines[j])] += 1
    counts = Counter(_key(line) for line in lines if line.strip())
    running = {key for key, n in near.items() if n >= 2 and counts[key] >= 2 and len(key) <= 120}
    running |= {_key(lines[i]) for i in numbered if counts[_key(lines[i])] >= 2 and not PAGE_NUMBER.match(lines[i])}
    return [
        PAGE_BREAK if i in numbered or _key(line) in running else "" if LEADER.search(line) else line
        for i, line in enumerate(lines)
    ]


def _unspace(lines: list[str]) -> list[str]:
    """'P R O G R A M M E' -> 'PROGRAMME'."""
    return [line.replace(" ", "") if SPACED.match(line) else line for line in lines]


def _columns(lines: list[str]) -> list[str]:
    """Runs of lines printed as two columns (a gap of 3+ spaces ending at the same position on 3+ lines, and no
    text across that position), read left column first."""
    for _ in range(MAX_COLUMN_TRIES):
        starts: Counter[int] = Counter(m.end(1) for line in lines for m in GAP.finditer(line))
        for column, count in starts.most_common(MAX_COLUMN_TRIES):
            if count < 3:
                return lines
            split = _split_at(lines, column)
            if split != lines:
                lines = split
                break
        else:
            return lines
    return lines


def _fits(line: str, column: int) -> bool:
    if line == PAGE_BREAK:
        return False  # columns do not go on over a page's end
    return len(line) <= column or line[column - 2 : column] == "  " or not line[:column].strip()


def _split_at(lines: list[str], column: int) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _fits(lines[i], column):
            out.append(lines[i])
            i += 1
            continue
        end = i
        while end < len(lines) and _fits(lines[end], column):
            end += 1
        run = lines[i:end]
        if sum(1 for line in run if line[:column].strip() and line[column:].strip()) >= 3:
            last = max(k for k, line in enumerate(run) if line[column:].strip()) + 1
            while last < len(run) and run[last].strip():  # the left column's paragraph goes on below the right's
                last += 1
            left, right = [line[:column].rstrip() for line in run[:last]], [line[column:] for line in run[:last]]
            out += [*left, "", *right, "", *run[last:]]
        else:
            out += run
        i = end
    return out


def _join(lines: list[str]) -> list[str]:
    """Hyphenated words and wrapped lines joined (see ``_continues``); a joined line stays under ``MAX_JOINED``."""
    widths = _paragraph_widths(lines)
    out: list[list[str]] = []  # each line as the pieces it is joined from
    size = 0
    for line, wide in zip(lines, widths, strict=True):
        text = line.strip()
        pieces = out[-1] if out else []
        physical = pieces[-1].strip() if pieces else ""
        if text and physical and size + len(text) < MAX_JOINED and _continues(pieces, text, wide):
            if re.search(r"[^\W\d_]-$", physical) and text[0].islower():
                pieces[-1] = pieces[-1].rstrip()[:-1]
                pieces.append(text)
            else:
                pieces.append(" " + text)
            size += len(text) + 1
            continue
        out.append([line.rstrip() if text else ""])
        size = len(text)
    return ["".join(pieces) for pieces in out]


def _paragraph_widths(lines: list[str]) -> list[int]:
    """For each line, the width of its paragraph (the longest of the lines around it without a blank line)."""
    widths: list[int] = []
    start = 0
    for end in range(len(lines) + 1):
        if end == len(lines) or not lines[end].strip():
            wide = max((len(line.strip()) for line in lines[start:end]), default=0)
            widths += [wide] * (end - start) + ([0] if end < len(lines) else [])
            start = end + 1
    return widths


def _continues(pieces: list[str], text: str, wide: int) -> bool:
    """Whether ``text`` goes on the line made of ``pieces`` (the lines joined so far, the last as printed)."""
    last = pieces[-1].strip()
    joined = len(pieces) > 1
    if re.search(r"[^\W\d_]-$", last) and text[0].islower():
        return True  # "Mediterra-" + "nean"
    if re.fullmatch(r"[\"“„«][^\"”»]{3,200}[\"”»]", last) and re.match(r"^[–—]\s", text):
        return True  # a talk title, then "– NAME" under it: the reader takes '"Talk" – NAME'
    if re.match(r"^(?:[•·▪*+-]|\d{1,2}[:.]\d{2}\b)", text) or re.search(r"[.:;!?]$", last):
        return False
    if re.match(r"^[\"“„«]", text) and re.match(r"^[–—]\s", last):
        return False  # "– NAME" is the end of the entry above it; a quoted talk title begins the next one
    if last.endswith(",") or HONORIFIC_END.search(last):
        return True  # "Panelists: A," + "B, Dr. C" + "D-E"
    long = len(last) >= 0.75 * wide
    if long and text[0].islower():
        return True
    if long and not joined and last.count(", ") >= 2 and ", " not in text and len(text.split()) <= 4:
        return True  # "…, Tagus Satellite" + "Operations S.L."
    person = looks_like_person(text.split(",")[0])
    return (
        long and len(last.split()) >= 5 and not person and not re.match(r"^\s*\d", pieces[0]) and not last[-1].isdigit()
    )


def _badges(lines: list[str]) -> list[str]:
    """A speaker's badge (a name, then a title and an organisation on lines of their own, a blank line around) as
    one entry line: "• NAME, Title, Organisation"."""
    out: list[str] = []
    group: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            group.append(line)
            continue
        parts = [part.strip() for part in group]
        badge = 2 <= len(parts) <= 4 and looks_like_person(parts[0]) and all(len(p) <= 80 for p in parts)
        if badge and not any(
            looks_like_person(p) or _is_entry(p) or re.search(r"\d{1,2}[:.]\d{2}|[.;:]$", p) for p in parts[1:]
        ):
            out.append("• " + ", ".join(parts))
        else:
            out += group
        out.append(line)
        group = []
    return out[:-1]


def _is_entry(text: str) -> bool:
    """ "NAME, Title, Organisation" (a person's name first, then commas), not a sentence."""
    head = text.split(", ")[0]
    return ", " in text and len(text) <= 250 and looks_like_person(head) and not re.search(r"\b[a-z]+[.!?]$", text)


def _entries(lines: list[str]) -> list[str]:
    """A programme's entries as bullets: "NAME, Title, Organisation" lines, and names alone on a line under a label
    ("Panelists:") or another entry; a talk title on the line above an entry (no quotes, no time, no comma-separated
    parts) goes after it in quotes, where the entry reader looks for one."""
    out: list[str] = []
    listing = False
    for line in lines:
        text = line.strip()
        if not text or text.startswith("• "):
            out.append(line)
            listing = False
            continue
        if _is_entry(text) or (listing and looks_like_person(text)):
            above = out[-1].strip() if out else ""
            if above and not listing and _talk_like(above):
                out[-1] = "• " + text + f", “{above}”"
            else:
                out.append("• " + text)
            listing = True
            continue
        out.append(line)
        listing = text.endswith(":")
    return out


def _talk_like(text: str) -> bool:
    return (
        len(text) <= 120
        and ", " not in text
        and not re.match(r"^(?:\d{1,2}[:.]\d{2}|[•·*-])", text)
        and not re.search(r"[:.;]$", text)
        and not looks_like_person(text)
        and len(text.split()) >= 2
    )
