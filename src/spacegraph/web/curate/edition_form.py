"""The edition form: the importer's events as the form's state, the posted form back into that state, and that
state as the parsed page the importer plans from.

The state is plain data (kept in the draft): per event its fields and participants, each participant one row with
one role and the span of page text it was read from (None for a row the curator added).
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from spacegraph.ingest.documents import Document
from spacegraph.ingest.event_fields import ParsedEvent
from spacegraph.ingest.page_entries import Mention
from spacegraph.ingest.pages import ParsedPage
from spacegraph.names.split import split_name
from spacegraph.vocab.terms import ATTENDANCE_MODES, ROLE_BY_PHRASE, ROLES, SIDE_BY_KEY

EVENT_FIELDS = ("name", "start_date", "end_date", "city", "country", "attendance_mode", "hosts", "topics")
ROW_FIELDS = ("name", "title", "organisation", "role", "side", "talk_title")
ROLE_CHOICES = [(role.phrases[0], role.label) for role in ROLES]
SIDE_CHOICES = [("", "as the importer decides")] + [(key, side.label) for key, side in SIDE_BY_KEY.items()]
MODE_CHOICES = [("", "not given")] + [(mode.key, mode.label) for mode in ATTENDANCE_MODES]
MAX_ROWS = 500  # participants per event a form may post
MAX_EVENTS = 20


def blank_event() -> dict[str, Any]:
    return {**{name: "" for name in EVENT_FIELDS}, "span": [0, 0], "evidence": {}, "participants": []}


def events_from_parsed(parsed: ParsedPage) -> list[dict[str, Any]]:
    """The form's state from what the importer read: one row per participant and role."""
    events = []
    for event in parsed.events:
        rows = [
            {
                "name": m.name,
                "title": m.title or "",
                "organisation": m.organisation or "",
                "role": role,
                "side": "",
                "talk_title": m.talk_title or "",
                "is_organisation": m.is_organisation,
                "new": False,
                "span": list(m.span),
            }  # fmt: skip
            for m in event.participants
            for role in m.roles
        ]
        events.append({
            "name": event.name, "start_date": event.start_date or "", "end_date": event.end_date or "",
            "city": event.city or "", "country": event.country or "", "attendance_mode": event.attendance_mode or "",
            "hosts": "\n".join(event.hosts), "topics": "", "span": list(event.span), "series": event.series,
            "co_located_with": event.co_located_with,
            "evidence": {fact: list(span) for fact, span in event.evidence.items()}, "participants": rows,
        })  # fmt: skip
    return events


def events_from_form(form: MultiDict, previous: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The posted form as the form's state (spans and evidence kept from ``previous``, never taken from the
    browser), and the errors of values that cannot be read at all, by field name."""
    errors: dict[str, str] = {}
    events = []
    for e in range(min(int_of(form.get("events")) or len(previous) or 1, MAX_EVENTS)):  # never no edition at all
        old = previous[e] if e < len(previous) else blank_event()
        event = {name: form.get(f"e{e}-{name}", "").strip() for name in EVENT_FIELDS}
        event.update(span=old["span"], evidence=old["evidence"], series=old.get("series"),
                     co_located_with=old.get("co_located_with"), participants=[])  # fmt: skip
        if not event["name"]:
            errors[f"e{e}-name"] = "An edition needs a name."
        if event["attendance_mode"] not in dict(MODE_CHOICES):
            errors[f"e{e}-attendance_mode"] = "Choose one of the attendance modes offered."
        for r in range(min(int_of(form.get(f"e{e}-rows")), MAX_ROWS)):
            key = f"e{e}-p{r}"
            if form.get(f"{key}-remove") or not form.get(f"{key}-name", "").strip():
                continue
            spans = [p["span"] for p in old["participants"]]
            row = {name: form.get(f"{key}-{name}", "").strip() for name in ROW_FIELDS}
            row.update(is_organisation=form.get(f"{key}-kind") == "organisation", new=bool(form.get(f"{key}-new")),
                       span=spans[int_of(form.get(f"{key}-origin"), -1)] if 0 <= int_of(form.get(f"{key}-origin"), -1)
                       < len(spans) else None)  # fmt: skip
            if row["role"] not in ROLE_BY_PHRASE:
                errors[f"{key}-role"] = "Choose one of the roles offered."
            if row["side"] and row["side"] not in SIDE_BY_KEY:
                errors[f"{key}-side"] = "Choose one of the sides offered."
            event["participants"].append(row)
        events.append(event)
    return events, errors


def int_of(text: str | None, default: int = 0) -> int:
    return int(text) if text and re.fullmatch(r"\d{1,6}", text) else default


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parsed_page(document: Document, events: list[dict[str, Any]]) -> ParsedPage:
    """The form's state as the page the importer parsed: the importer plans from it as from a page it read."""
    parsed = []
    for event in events:
        mentions = []
        for row in event["participants"]:
            person = None if row["is_organisation"] else split_name(row["name"])
            family, given = (person.family, person.given) if person else (None, None)
            mentions.append(Mention(row["name"], family, given, row["title"] or None, row["organisation"] or None,
                                    [row["role"]], row["talk_title"] or None, tuple(row["span"] or (0, 0)),
                                    row["is_organisation"]))  # fmt: skip
        parsed.append(ParsedEvent(
            event["name"], tuple(event["span"]), event["start_date"] or None, event["end_date"] or None,
            event["city"] or None, event["country"] or None, lines_of(event["hosts"]), event.get("series"),
            event.get("co_located_with"),
            event["attendance_mode"] or None, mentions,
            evidence={fact: tuple(span) for fact, span in event["evidence"].items() if _kept(fact, event)},
        ))  # fmt: skip
    return ParsedPage(document, parsed, [])


def _kept(fact: str, event: dict[str, Any]) -> bool:
    """The evidence of a fact the curator emptied is dropped with it."""
    field = {"start_date": "start_date", "place": "city", "hosts": "hosts", "attendance_mode": "attendance_mode"}
    return fact not in field or bool(event[field[fact]])
