"""Reading an event page: its events, and who took part in what role, each with the span of text it came from.

A pure function of the document's text and a way to recognise known organisations. Resolution to canonical
entities happens afterwards (``spacegraph.ingest.page_records``).

The page is read line by line. Field lines ("When:", "Where:") and date lines anchor events; headings name them;
bullets, role lines ("Moderator: …") and ";"-separated lists in sentences give participants; prose sentences give
hosts, the series, a co-located event, the attendance mode, a contact, and organisations taking part.

The work is linear in the page's size, whatever its text: an entry or a sentence longer than any real one is
skipped with a warning (``MAX_ENTRY_CHARS``, ``MAX_ENTRY_WORDS``, ``MAX_SENTENCE_CHARS``), and a known
organisation is looked for in stretches of at most ``MAX_ORGANISATION_WORDS`` words, each looked up once per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacegraph.ingest.dates import date_range
from spacegraph.ingest.documents import Document
from spacegraph.ingest.event_fields import (
    BULLET,
    FIELD,
    ParsedEvent,
    date_in_prose,
    event_anchors,
    is_date_line,
    page_date,
    place_from_title,
    read_date_line,
    read_field,
    read_long_line,
    set_place,
    without_front_matter,
)
from spacegraph.ingest.flattened import flattened_entries
from spacegraph.ingest.han_entries import read_bilingual
from spacegraph.ingest.headed import TIME_SLOT, headed_entries, time_slot
from spacegraph.ingest.page_entries import (
    LABEL_FIRST,
    MAX_ENTRY_CHARS,
    ROLE_FIRST,
    ROLE_HEADER,
    KnownOrganisation,
    names_only,
    read_entries,
    role_names,
    too_long,
)
from spacegraph.ingest.page_lines import Line, clean_markdown, is_header, sentences_of, split_lines
from spacegraph.ingest.page_prose import (
    COLOCATED,
    EDITION_OF,
    MAX_SENTENCE_CHARS,
    SERIES,
    SERIES_LOWER,
    attendance_signals,
    decide_attendance,
    hosts_in,
    prose_participants,
    tidy_name,
)
from spacegraph.ingest.places import place_in_prose, place_line
from spacegraph.ingest.prose_people import refer_to_hosts, share_affiliation
from spacegraph.names.split import looks_like_person, mixed_scripts

LABEL_ALONE = re.compile(r"^\s*(?P<key>when|date|dates|where|location|venue)\s*(?P<value>)$", re.I)

HELD_IN = re.compile(r"在[\u4e00-\u9fff]{2,8}?(?:隆重|成功)?(?:举行|举办|召开|开幕)$")  # a headline's "held in Xi'an"

KNOWN_CACHE = 100_000  # names looked up per page, kept so each is looked up once (a page repeats its names)

QUOTED_EVENT = re.compile(
    r"\b(?:organi[sz]ed|hosted|held|convened|co-organi[sz]ed|co-hosted)\s+(?:the\s+)?[\"“](?P<name>[^\"”]{10,})[\"”]"
)


@dataclass
class ParsedPage:
    document: Document
    events: list[ParsedEvent]
    warnings: list[str]


def parse_page(document: Document, known: KnownOrganisation) -> ParsedPage:
    known = _remembered(known)
    lines = [line for line in split_lines(document.text) if not is_header(line.text)]
    lines = [clean_markdown(line) for line in without_front_matter(lines)]
    warnings: list[str] = []
    sections, intro = _sections(lines, document.title)
    page_level = _prose_facts(lines[:intro], known, warnings)
    events = []
    reference = page_date(lines, document.source_url)
    for name, start, end in sections:
        event = _read_section(name, lines[start:end], known, warnings, reference)
        _inherit(event, page_level)
        refer_to_hosts(event.participants, event.hosts)  # "the forum's policy lead": the hosting forum
        share_affiliation(event.participants)  # "Ana Lind of X moderated. … Ana Lind later closed the event."
        events.append(event)
    place_from_title(events, document.title)
    read_bilingual(events, lines, document.text)  # 邵明川 beside "SHAO Mingchuan"; the Chinese block's own people
    warnings += _leave_out_asides(events, lines, document)
    if not events:
        warnings.append("no event found on the page")
    for event in events:
        warnings += _script_warnings(event)
    return ParsedPage(document, events, list(dict.fromkeys(warnings)))


# Sections about other people and other events than the page's: their names are no participants
ASIDE = re.compile(
    r"^\W*(?:(?:past|previous|former|earlier)\s+(?:speakers|participants|panell?ists|editions|events|workshops|"
    r"dialogues|sessions)|(?:related|upcoming|other|more|recent|similar|latest)\s+(?:events|news|articles|posts|stories|"
    r"editions|sessions)|see\s+also|you\s+may\s+also\s+like|read\s+more|further\s+reading|往届|往期|相关(?:新闻|活动|阅读))\b",
    re.I,
)


def _leave_out_asides(events: list[ParsedEvent], lines: list[Line], document: Document) -> list[str]:
    """Participants read under a heading such as "Past speakers", "Related events" or "See also" (up to the next
    heading, role heading or such heading) are left out of their event, with a warning saying so."""
    headings = {b.start for b in document.blocks if b.kind == "heading"}
    headings |= {
        x.start for x in lines if document.text[document.text.rfind("\n", 0, x.start) + 1 : x.start].strip() == "#"
    }
    warnings = []
    for i, line in enumerate(lines):
        if len(line.text) > 80 or not ASIDE.match(line.text):
            continue
        after = (
            x.start for x in lines[i + 1 :] if x.start in headings or ROLE_HEADER.match(x.text) or ASIDE.match(x.text)
        )
        start, end = line.start, next(after, len(document.text))
        for event in events:
            aside = [m for m in event.participants if start <= m.span[0] < end]
            if aside:
                left_out = {id(m) for m in aside}
                event.participants = [m for m in event.participants if id(m) not in left_out]
                names = ", ".join(m.name for m in aside)
                warnings.append(f"under {line.text.strip()!r}: {names}: not participants of {event.name!r}")
    return warnings


def _remembered(known: KnownOrganisation) -> KnownOrganisation:
    """``known``, asked once per text: a page repeats its organisations' names. At most KNOWN_CACHE answers are
    kept (then the oldest half goes), so a page of ever new words holds bounded memory."""
    answers: dict[str, bool] = {}

    def remembered(text: str) -> bool:
        answer = answers.get(text)
        if answer is None:
            if len(answers) >= KNOWN_CACHE:
                for stale in list(answers)[: KNOWN_CACHE // 2]:
                    del answers[stale]
            answer = answers[text] = known(text)
        return answer

    return remembered


def _script_warnings(event: ParsedEvent) -> list[str]:
    """A name that mixes Latin letters with Cyrillic or Greek ones within a word is shown like another name but is
    not the same: it is kept, and the report asks for a check."""
    warnings = []
    for mention in event.participants:
        for kind, text in (("name", mention.name), ("organisation", mention.organisation)):
            if text and (scripts := mixed_scripts(text)):
                warnings.append(
                    f"{kind} {text!r} mixes {' and '.join(scripts)} letters: check it (a look-alike letter makes "
                    f"it a different name from one spelt in {scripts[0]} letters only)"
                )
    return warnings


# ---------------------------------------------------------------- events


def _is_heading(text: str) -> bool:
    if BULLET.match(text) or FIELD.match(text) or len(text) > 160 or len(text.split()) < 2:
        return False
    if re.search(r"[.!?]$", text) and not text.endswith("?"):
        return False
    if ROLE_HEADER.match(text) or date_range(text)[0]:
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= max(1, len(words) * 0.6)


def _sections(lines: list[Line], title: str | None) -> tuple[list[tuple[str, int, int]], int]:
    """(event name, first line, end line) for each event on the page, and where the first event's heading is
    (lines before it speak of the page as a whole)."""
    anchors = event_anchors(lines)
    headings: list[int] = []
    for anchor in anchors:
        h = next((j for j in range(anchor - 1, max(-1, anchor - 6), -1) if _is_heading(lines[j].text)), None)
        if h is not None and h not in headings and (not headings or h > headings[-1]):
            headings.append(h)
    if len(headings) >= 2:
        names = [lines[h].text for h in headings]
        if title and names[0] == title and len(headings) > 2:
            headings, names = headings[1:], names[1:]
        bounds = [*headings[1:], len(lines)]
        first = [0, *headings[1:]]
        return [(_event_name(n), s, e) for n, s, e in zip(names, first, bounds, strict=True)], headings[0]
    if not lines:
        return [], 0
    name = title or lines[0].text
    for line in lines:  # a news item names the event it reports on: 'co-organized "Space High-end Dialogue …"'
        if m := QUOTED_EVENT.search(line.text):
            name = m.group("name")
            break
    return [(_event_name(name), 0, len(lines))], len(lines)


def _event_name(text: str) -> str:
    """The title's first part ("Name | Site"); a name with no Latin letter or digit to name the edition by
    ("卫星导航产业沙龙 | Satellite Navigation Industry Salon 2023") gives way to the first part that has one."""
    parts = [HELD_IN.sub("", p.strip()) or p.strip() for p in re.split(r"\s+[|]\s+", text)]
    return next((p for p in parts if re.search(r"[A-Za-z0-9]", p)), parts[0])


def _read_section(
    name: str, lines: list[Line], known: KnownOrganisation, warnings: list[str], reference: str | None = None
) -> ParsedEvent:
    span = (lines[0].start, lines[-1].end) if lines else (0, 0)
    event = ParsedEvent(name=name, span=span)
    default_roles: list[str] = ["speaker"]
    label: str | None = None  # a field's label alone on its line ("Venue", a <dt>): its value is the next line
    slot: tuple[list[str], str | None] = ([], None)  # a programme's time slot: its roles, and its talk's title
    recent: list[Line] = []  # the two lines before this one
    for line in lines:
        text = line.text
        before, recent = recent, [*recent[-1:], line]
        read, label = _field(event, line, label)
        if read:
            continue
        if (event.start_date is None or _place_to_read(event, text)) and is_date_line(text):
            read_date_line(event, line)
            continue
        if len(text) > 80 and not BULLET.match(text):
            read_long_line(event, line)
        if event.city is None and event.country is None and (place := place_line(text)):
            set_place(event, place, (line.start, line.end))
            continue
        header = ROLE_HEADER.match(BULLET.sub("", text))
        if header:
            default_roles, slot = role_names(header.group("roles")), ([], None)
            continue
        if TIME_SLOT.match(text):  # "09:20  Keynote: Title": the role (and talk) of the bullets under it
            slot = time_slot(text)
        if slot[0] and (found := names_only(text, line.start, slot[0])):
            event.participants += found  # "12:30  Closing" over "Prof. A and Dr. B"
            continue
        if not BULLET.match(text) and (found := flattened_entries(text, line.start, known, warnings)):
            event.participants += found  # role labels with the entries after them, however laid out
            _read_prose(event, line, known, participants=False, warnings=warnings)
            continue
        if not BULLET.match(text) and (found := headed_entries(before, line, known, default_roles, warnings)):
            if slot[1] and not found[0].talk_title:  # "10:50 Coastal Altimetry" over "NAME, Organisation"
                found[0].talk_title, slot = slot[1], (slot[0], None)
            event.participants += found  # an entry under a programme heading, or a profile's name over its title
            continue
        if BULLET.match(text) or ROLE_FIRST.match(text) or _labelled_entry(text):
            slot = _read_entry_line(event, line, known, slot, default_roles, warnings)
            continue
        if not TIME_SLOT.match(text) and _is_heading(text):
            slot = ([], None)  # "Lightning talks": a new part of the programme, out of the last time slot
        _read_prose(event, line, known, warnings=warnings)
    if event.attendance_mode is None:
        _decide_attendance(event)
    if event.start_date is None:
        date_in_prose(event, [line for line in lines if not BULLET.match(line.text)], reference)
    return event


def _read_entry_line(
    event: ParsedEvent,
    line: Line,
    known: KnownOrganisation,
    slot: tuple[list[str], str | None],
    default_roles: list[str],
    warnings: list[str],
) -> tuple[list[str], str | None]:
    """A bullet or a role line's participants into ``event``; the time slot after it (its talk is used once)."""
    text = line.text
    body = BULLET.sub("", text)
    offset = line.start + len(text) - len(body)
    if too_long(body, offset, "participant entry", MAX_ENTRY_CHARS, warnings):
        return slot
    mentions = read_entries(body, offset, known, slot[0] or default_roles, warnings=warnings)
    if mentions and slot[1] and BULLET.match(text):
        mentions[0].talk_title, slot = mentions[0].talk_title or slot[1], (slot[0], None)
    if mentions:
        event.participants += mentions
    elif BULLET.match(text) and (looks_like_person(body.split(",")[0]) and "," in body):
        warnings.append(f"could not read the participant entry {body!r}")
    return slot


# Labels of a line that names someone who is no participant: a photo's credit, an article's author, a contact
NOT_A_ROLE = re.compile(
    r"^\W*(?:photo|photos|image|credit|credits|by|author|written\s+by|posted\s+by|editor|edited\s+by|source|"
    r"press|media|questions|registration|rsvp|share|tags?|category|enquiries|inquiries|email|e-mail|tel|phone)\s*:",
    re.I,
)


def _labelled_entry(text: str) -> bool:
    """'Introduction: NAME, Title, Organisation': a label the role list does not know, over an entry (not a credit,
    a byline or a contact line; not a sentence)."""
    m = LABEL_FIRST.match(text)
    if not m or NOT_A_ROLE.match(text) or re.search(r"[a-z]{2}[.!?]$", text):
        return False
    head, comma, _ = m.group("rest").partition(",")
    return bool(comma) and looks_like_person(head)


def _field(event: ParsedEvent, line: Line, label: str | None) -> tuple[bool, str | None]:
    """Read ``line`` as a field ("Where: …"), or as the value of the ``label`` alone on the line before; (whether
    the line was a field, the label whose value is on the next line)."""
    if label:
        read_field(event, label, line.text, line)
        return True, None
    if field_match := FIELD.match(line.text) or LABEL_ALONE.match(line.text):
        key, value = field_match.group("key").lower(), field_match.group("value")
        if not value.strip():
            return True, key
        read_field(event, key, value, line)
        return True, None
    return False, None


def _place_to_read(event: ParsedEvent, text: str) -> bool:
    """A second line with the event's date ("Chengdu, China | 14–15 May 2024" after the date in Chinese) may give
    the place the first did not."""
    return event.city is None and event.country is None and date_range(text)[0] == event.start_date


def _decide_attendance(event: ParsedEvent) -> None:
    event.attendance_mode = decide_attendance(event.signals)
    if event.attendance_mode and event.attendance_spans:
        event.evidence["attendance_mode"] = (event.attendance_spans[0][0], event.attendance_spans[-1][1])


def _prose_facts(lines: list[Line], known: KnownOrganisation, warnings: list[str]) -> ParsedEvent:
    facts = ParsedEvent(name="", span=(0, 0))
    for line in lines:
        if not (BULLET.match(line.text) or FIELD.match(line.text)):
            _read_prose(facts, line, known, participants=False, warnings=warnings)
    _decide_attendance(facts)
    return facts


def _inherit(event: ParsedEvent, page: ParsedEvent) -> None:
    """Facts stated once for the whole page apply to each of its events that does not state its own."""
    for fact in ("hosts", "series", "co_located_with", "attendance_mode"):
        if not getattr(event, fact) and getattr(page, fact):
            setattr(event, fact, getattr(page, fact))
            if fact in page.evidence:
                event.evidence[fact] = page.evidence[fact]
    if event.city is None and event.country is None and (page.city or page.country):
        event.city, event.country = page.city, page.country
        if "place" in page.evidence:
            event.evidence["place"] = page.evidence["place"]


def _read_prose(
    event: ParsedEvent,
    line: Line,
    known: KnownOrganisation,
    participants: bool = True,
    warnings: list[str] | None = None,
) -> None:
    for sentence in sentences_of(line):
        text = sentence.text
        if too_long(text, sentence.start, "sentence", MAX_SENTENCE_CHARS, warnings):
            continue
        span = (sentence.start, sentence.end)
        if not event.hosts and not re.search(r"\bseries\b[^.]*\b(?:organi[sz]ed|hosted)\b", text, re.I):
            event.hosts = hosts_in(text, known)
            if event.hosts:
                event.evidence["hosts"] = span
        if event.co_located_with is None and (m := COLOCATED.search(text)):
            event.co_located_with = tidy_name(m.group("a") or m.group("b"))
            event.evidence["co_located_with"] = span
        if event.series is None and (m := SERIES.search(text) or SERIES_LOWER.search(text) or EDITION_OF.search(text)):
            event.series = tidy_name(m.group("name"))
            event.evidence["series"] = span
        if signals := attendance_signals(text):
            event.signals |= signals
            event.attendance_spans.append(span)
        if event.city is None and event.country is None and (place := place_in_prose(text)):
            event.city, event.country = place.city, place.country
            event.evidence["place"] = span
        if not participants:
            continue
        event.participants += prose_participants(sentence, known, warnings)
