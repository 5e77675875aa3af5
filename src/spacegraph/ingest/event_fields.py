"""An event's own fields as pages print them: its date (never a posting date; a year taken from the page's own date
when the day has none), its place (on a field line, beside the date, inside a flattened line, in prose or in the
title), and the lines that start an event.

Each function reads one line or sentence at a time and keeps the span it read as evidence; the work is linear in the
page's size (``MAX_INLINE_FIELD``, ``MAX_SENTENCE_CHARS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacegraph.ingest.dates import NOT_EVENT_DATE, date_range, date_span
from spacegraph.ingest.page_entries import Mention
from spacegraph.ingest.page_lines import Line, sentences_of
from spacegraph.ingest.page_prose import MAX_SENTENCE_CHARS, attendance_signals
from spacegraph.ingest.places import Place, parse_place, place_after_date, place_beside_date, place_in_prose

BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*+-]|\d{1,2}[.)])\s+")

FIELD = re.compile(
    r"^\s*(?P<key>when|date|dates|time|where|location|venue|place|时间|日期|地点|地址|会场)\s*[:：]\s*(?P<value>.*)$",
    re.I,
)
CHINESE_KEYS = {"时间": "date", "日期": "date", "地点": "where", "地址": "where", "会场": "where"}
# The same labels inside a long line (a flattened page): "… Date: 12 September 2023 Venue: Hotel, Nairobi, Kenya
# Format: Hybrid …": the value runs to the next label ("Word:") or MAX_INLINE_FIELD characters.
INLINE_FIELD = re.compile(
    r"(?<![\w-])(?P<key>When|Date|Dates|Where|Location|Venue|Place|WHEN|DATE|DATES|WHERE|LOCATION|VENUE|PLACE)\s*:\s*"
    r"(?P<value>[^:\n]{1,160}?)(?=\s+[A-Z][\w/-]*\s*:|\s*$|\s+\S{1,20}\s*$)"
)
MAX_INLINE_FIELD = 160
FRONT_MATTER = re.compile(r"^\s*(?:\+\+\+|---)\s*$")


@dataclass
class ParsedEvent:
    name: str
    span: tuple[int, int]
    start_date: str | None = None
    end_date: str | None = None
    city: str | None = None
    country: str | None = None
    hosts: list[str] = field(default_factory=list)
    series: str | None = None
    co_located_with: str | None = None
    attendance_mode: str | None = None
    participants: list[Mention] = field(default_factory=list)
    signals: set[str] = field(default_factory=set)  # attendance words met, decided at the end of the section
    # where each event-level fact was read: "start_date", "place", "hosts", "series", "co_located_with",
    # "attendance_mode" -> (start, end) offsets of the line or sentence in the document's text
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)
    attendance_spans: list[tuple[int, int]] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)  # "start_date", "place": set by ``confidence``


def without_front_matter(lines: list[Line]) -> list[Line]:
    """A page's front matter (between "+++" or "---" lines at its top) says when it was posted, not the event."""
    if len(lines) > 1 and FRONT_MATTER.match(lines[0].text):
        close = next((i for i, line in enumerate(lines[1:60], 1) if FRONT_MATTER.match(line.text)), None)
        if close is not None:
            return lines[close + 1 :]
    return lines


def page_date(lines: list[Line], source_url: str | None) -> str | None:
    """The page's own date, to give a year to an event date printed without one ("On Thursday 19 October"): the
    date it was posted or updated, else the first full date on it, else the year in its address."""
    first = None
    for line in lines[:400]:
        start, _ = date_range(line.text[:MAX_SENTENCE_CHARS])
        if start and NOT_EVENT_DATE.search(line.text):
            return start
        first = first or start
    if first:
        return first
    year = re.search(r"/((?:19|20)\d\d)(?:/|\b)", source_url or "")
    return f"{year.group(1)}-07-01" if year else None


def place_from_title(events: list[ParsedEvent], title: str | None) -> None:
    """A title that says where ("industry and regulators meet in Bremen") places an event the page does not."""
    if title and len(events) == 1 and events[0].city is None and events[0].country is None:
        if place := place_in_prose(title):
            events[0].city, events[0].country = place.city, place.country


def is_date_line(text: str) -> bool:
    m = FIELD.match(text)
    if m and m.group("key").lower() in ("when", "date", "dates"):
        return date_range(m.group("value"))[0] is not None
    if NOT_EVENT_DATE.search(text) or len(text) > 200:
        return False
    found = date_span(text)
    if found is None or BULLET.match(text):
        return False
    # a short line, or a line of facts that starts with its date ("Tuesday 9 April 2024, 09:30 · Hall, City")
    return len(text) <= 80 or (found[0] <= 60 and not re.search(r"[a-z]{3}[.!?]$", text))


def event_anchors(lines: list[Line]) -> list[int]:
    """The date lines that start an event: a date within the days of the event before it ("DAY 2 | 5 February")
    is one of its days, not another event."""
    anchors: list[int] = []
    current: tuple[str, str] | None = None
    for i, line in enumerate(lines):
        if not is_date_line(line.text):
            continue
        start, end = date_range(FIELD.sub(r"\g<value>", line.text))
        if start and current and current[0] <= start <= current[1]:
            continue
        anchors.append(i)
        current = (start, end or start) if start else None
    return anchors


def read_date_line(event: ParsedEvent, line: Line) -> None:
    """A date line, and the place it gives beside the date ("Athens, 14–15 June 2022", "May 10 — Nairobi")."""
    found = date_span(line.text)
    field_match = FIELD.match(line.text)
    if found is None or field_match:
        event.start_date, event.end_date = date_range(field_match.group("value") if field_match else line.text)
    else:
        event.start_date, event.end_date = found[2]
        if event.city is None and event.country is None and (place := place_beside_date(line.text, *found[:2])):
            set_place(event, place, (line.start, line.end))
    event.evidence.setdefault("start_date", (line.start, line.end))


def set_place(event: ParsedEvent, place: Place, span: tuple[int, int]) -> None:
    event.city, event.country = place.city, place.country
    event.evidence["place"] = span


def read_long_line(event: ParsedEvent, line: Line) -> None:
    """ "When:", "Date:", "Venue:" … inside a long line (a page flattened by a scraper), and the place printed
    after a date in it ("… March 8, 2017 10:00 am Harlan Auditorium, Washington, DC Hosted by …")."""
    for m in INLINE_FIELD.finditer(line.text):
        key, value = m.group("key").lower(), m.group("value")
        span = (line.start + m.start(), line.start + m.end())
        if key in ("when", "date", "dates"):
            if event.start_date is None and (dates := date_range(value))[0]:
                event.start_date, event.end_date = dates
                event.evidence["start_date"] = span
        elif event.city is None and event.country is None:
            place = parse_place(value)
            if place.city or place.country:
                set_place(event, place, span)
            if place.mode:
                event.signals.add(place.mode)
                event.attendance_spans.append(span)
    if event.city is None and event.country is None and (found := date_span(line.text[:MAX_SENTENCE_CHARS])):
        if place := place_after_date(line.text, found[1]):
            set_place(event, place, (line.start + found[1], line.start + min(len(line.text), found[1] + 200)))


def date_in_prose(event: ParsedEvent, lines: list[Line], reference: str | None = None) -> None:
    """The first event date a sentence states (never a posting date), and that sentence as evidence; failing
    that, the first day and month without a year ("On Thursday 19 October"), in the year nearest the page's
    own date (``reference``)."""
    for page_date in (None, reference) if reference else (None,):
        for line in lines:
            for sentence in sentences_of(line):
                if NOT_EVENT_DATE.search(sentence.text) or len(sentence.text) > MAX_SENTENCE_CHARS:
                    continue
                start, end = date_range(sentence.text, page_date)
                if start:
                    event.start_date, event.end_date = start, end
                    event.evidence["start_date"] = (sentence.start, sentence.end)
                    return


def read_field(event: ParsedEvent, key: str, value: str, line: Line) -> None:
    """A field line: the date ("When: 16 to 17 Nov. 2021, Accra", with the place beside it) or the place."""
    key = CHINESE_KEYS.get(key, key)
    if key in ("when", "date", "dates", "time"):
        if event.start_date is None and (found := date_span(value)):
            event.start_date, event.end_date = found[2]
            event.evidence["start_date"] = (line.start, line.end)
            if event.city is None and event.country is None and (place := place_beside_date(value, *found[:2])):
                set_place(event, place, (line.start, line.end))
        if signals := attendance_signals(value):
            event.signals |= signals
            event.attendance_spans.append((line.start, line.end))
        return
    place = parse_place(value)
    if event.city is None and event.country is None and (place.city or place.country):
        event.evidence["place"] = (line.start, line.end)
    event.city = event.city or place.city
    event.country = event.country or place.country
    if place.mode:
        event.signals.add(place.mode)
        event.attendance_spans.append((line.start, line.end))
