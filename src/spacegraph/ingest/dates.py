"""Event dates as pages print them: with weekdays, as ranges, in several orders. Never a posting date.

>>> date_range("When: Saturday, September 19, 2020")
('2020-09-19', None)
>>> date_range("Tuesday, April 25, 2023 to Wednesday, April 26, 2023")
('2023-04-25', '2023-04-26')
>>> date_range("April 25-26, 2023")
('2023-04-25', '2023-04-26')
>>> date_range("25–26 April 2023")
('2023-04-25', '2023-04-26')
>>> bool(NOT_EVENT_DATE.search("Last updated on September 30, 2020"))  # the reader skips such sentences
True
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
MONTH = r"(?P<{0}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
DASH = r"\s*(?:-|–|—|to|through|until)\s*"
YEAR = r"(?P<{0}>(?:19|20)\d\d)"
DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"

# Each pattern names its groups: m1 d1 y1 (start), m2 d2 y2 (end, optional).
PATTERNS = [
    # Tuesday, April 25, 2023 to Wednesday, April 26, 2023 / April 30 – May 2, 2023 / April 25-26, 2023
    WEEKDAY + MONTH.format("m1") + r"\s+" + DAY.format("d1") + r"(?:,?\s*" + YEAR.format("y1") + r")?"
    + r"(?:" + DASH + WEEKDAY + r"(?:" + MONTH.format("m2") + r"\s+)?" + DAY.format("d2") + r")?"
    + r",?\s*" + YEAR.format("y2"),
    # 25 April 2023 / 25-26 April 2023 / 30 April – 2 May 2023
    WEEKDAY + DAY.format("d1") + r"(?:\s+" + MONTH.format("m1") + r")?" + r"(?:" + DASH + WEEKDAY
    + DAY.format("d2") + r")?" + r"\s+" + MONTH.format("m2") + r",?\s+" + YEAR.format("y2"),
    # 2023-04-25 (to 2023-04-26)
    r"(?P<iso1>(?:19|20)\d\d-[01]\d-[0-3]\d)(?:" + DASH + r"(?P<iso2>(?:19|20)\d\d-[01]\d-[0-3]\d))?",
]  # fmt: skip
COMPILED = [re.compile(r"\b" + p + r"\b", re.I) for p in PATTERNS]
NOT_EVENT_DATE = re.compile(
    r"\b(?:last\s+updated|updated|posted|published|modified|released|copyright|©|deadline|register\s+by|rsvp)\b", re.I
)


def date_range(text: str) -> tuple[str | None, str | None]:
    best: tuple[int, tuple[str | None, str | None]] | None = None
    for pattern in COMPILED:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            parsed = _parse(m)
            if parsed[0]:
                best = (m.start(), parsed)
    return best[1] if best else (None, None)


def _parse(m: re.Match[str]) -> tuple[str | None, str | None]:
    g = m.groupdict()
    if g.get("iso1"):
        return _valid(g["iso1"]), _valid(g["iso2"]) if g.get("iso2") else None
    y2 = int(g["y2"])
    y1 = int(g["y1"]) if g.get("y1") else y2
    m1 = MONTHS[(g.get("m1") or g.get("m2") or "").lower()]
    m2 = MONTHS[(g.get("m2") or g.get("m1") or "").lower()]
    start = _date(y1, m1, int(g["d1"]))
    end = _date(y2, m2, int(g["d2"])) if g.get("d2") else None
    if g.get("d2") is None and g.get("m2") and g.get("m1") and g["m1"] != g["m2"]:
        end = None
    if end is not None and start is not None and end <= start:
        end = None if end == start else end
    return start, end


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _valid(iso: str | None) -> str | None:
    if iso is None:
        return None
    try:
        return dt.date.fromisoformat(iso).isoformat()
    except ValueError:
        return None
