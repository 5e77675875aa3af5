"""Event dates as pages print them: with weekdays, as ranges, in several orders. Never a posting date.

>>> date_range("When: Saturday, September 19, 2020")
('2020-09-19', None)
>>> date_range("Tuesday, April 25, 2023 to Wednesday, April 26, 2023")
('2023-04-25', '2023-04-26')
>>> date_range("April 25-26, 2023")
('2023-04-25', '2023-04-26')
>>> date_range("25–26 April 2023")
('2023-04-25', '2023-04-26')
>>> date_range("16 to 17 Nov. 2021")
('2021-11-16', '2021-11-17')
>>> date_range("2024年5月14日至15日")
('2024-05-14', '2024-05-15')
>>> date_range("On Thursday 19 October, the forum met", reference="2023-10-24")  # no year: the nearest one
('2023-10-19', None)
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
# 2024年5月14日, 2024年5月14日至15日, 2024年5月14日至6月1日
HAN = re.compile(
    r"(?P<y1>(?:19|20)\d\d)\s*年\s*(?P<m1>[01]?\d)\s*月\s*(?P<d1>[0-3]?\d)\s*[日号]"
    r"(?:\s*(?:至|到|-|–|—|~|～)\s*(?:(?:(?P<y2>(?:19|20)\d\d)\s*年\s*)?(?P<m2>[01]?\d)\s*月\s*)?(?P<d2>[0-3]?\d)\s*[日号])?"
)
# Without a year (the year is the one nearest the page's own date): 19 October / October 19 / 5月14日.
NO_YEAR = [
    re.compile(r"\b" + WEEKDAY + DAY.format("d1") + r"(?:" + DASH + DAY.format("d2") + r")?\s+" + MONTH.format("m1")
               + r"(?![\w.]*,?\s*(?:19|20)\d\d)", re.I),
    re.compile(r"\b" + WEEKDAY + MONTH.format("m1") + r"\s+" + DAY.format("d1") + r"(?:" + DASH + DAY.format("d2")
               + r")?\b(?!,?\s*(?:19|20)\d\d)", re.I),
    re.compile(r"(?<!\d)(?<!年)(?P<m1>[01]?\d)\s*月\s*(?P<d1>[0-3]?\d)\s*[日号](?:\s*(?:至|到|-|–|—|~|～)\s*(?P<d2>[0-3]?\d)\s*[日号])?"),
]  # fmt: skip
NOT_EVENT_DATE = re.compile(
    r"\b(?:last\s+updated|updated|posted|published|modified|released|copyright|deadline|register\s+by|rsvp|"
    r"as\s+of|version\s+of|min(?:ute)?s?\s+read|submi(?:t|ssions?)|call\s+for\s+(?:papers|abstracts))\b|^\W*by\s|\bregist(?:er|ration)\b[^.]{0,40}\b(?:until|by|before|closes?)\b|"
    r"©|发布|更新|发表|来源|截止",
    re.I,
)


def date_range(text: str, reference: str | None = None) -> tuple[str | None, str | None]:
    """The first date or range ``text`` states, as ISO dates; with ``reference`` (the page's own date), also a date
    without a year, in the year that puts it nearest the reference."""
    span = date_span(text, reference)
    return span[2] if span else (None, None)


def date_span(text: str, reference: str | None = None) -> tuple[int, int, tuple[str | None, str | None]] | None:
    """Where the first date or range in ``text`` is (start, end offsets), and its ISO dates."""
    best: tuple[int, int, tuple[str | None, str | None]] | None = None
    for pattern in [*COMPILED, HAN]:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            parsed = _parse(m)
            if parsed[0]:
                best = (m.start(), m.end(), parsed)
    if best is None and reference and (year := _year(reference)):
        for pattern in NO_YEAR:
            m = pattern.search(text)
            if m and (best is None or m.start() < best[0]) and (parsed := _without_year(m, year, reference))[0]:
                best = (m.start(), m.end(), parsed)
    return best


def _year(reference: str) -> int | None:
    return int(reference[:4]) if re.match(r"(?:19|20)\d\d", reference) else None


def _without_year(m: re.Match[str], year: int, reference: str) -> tuple[str | None, str | None]:
    """A day and month with no year, in the year (of three) nearest the page's own date."""
    g = m.groupdict()
    month = int(g["m1"]) if g["m1"].isdigit() else MONTHS[g["m1"].lower().rstrip(".")]
    ref = dt.date.fromisoformat(reference[:10]) if _valid(reference[:10]) else dt.date(year, 7, 1)
    options = [d for y in (year - 1, year, year + 1) if (d := _date(y, month, int(g["d1"])))]
    if not options:
        return None, None
    start = min(options, key=lambda d: abs((dt.date.fromisoformat(d) - ref).days))
    end = _date(int(start[:4]), month, int(g["d2"])) if g.get("d2") else None
    return start, end if end and end > start else None


def _parse(m: re.Match[str]) -> tuple[str | None, str | None]:
    g = m.groupdict()
    if g.get("iso1"):
        return _valid(g["iso1"]), _valid(g["iso2"]) if g.get("iso2") else None
    y2 = int(g.get("y2") or g["y1"])
    y1 = int(g["y1"]) if g.get("y1") else y2
    m1 = _month(g.get("m1") or g.get("m2") or "")
    m2 = _month(g.get("m2") or g.get("m1") or "")
    start = _date(y1, m1, int(g["d1"]))
    end = _date(y2, m2, int(g["d2"])) if g.get("d2") else None
    if g.get("d2") is None and g.get("m2") and g.get("m1") and g["m1"] != g["m2"]:
        end = None
    if end is not None and start is not None and end <= start:
        end = None if end == start else end
    return start, end


def _month(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.lower()]


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
