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
from collections.abc import Callable
from dataclasses import dataclass, field

from spacegraph.ingest.dates import NOT_EVENT_DATE, date_range
from spacegraph.ingest.documents import Document
from spacegraph.ingest.names import looks_like_person, mixed_scripts, split_name, strip_invisible
from spacegraph.ingest.organisations import has_institution_word, has_organisation_word, has_title_word, strip_acronym
from spacegraph.ingest.places import parse_place, place_in_prose

KnownOrganisation = Callable[[str], bool]

# Bounds on the work one page can cause (issue 13). The longest participant entry of the sources and the corpus has
# 216 characters and 32 words, the longest line 740 characters, the longest known organisation name 13 words.
MAX_ENTRY_CHARS = 1_000
MAX_ENTRY_WORDS = 150
MAX_SENTENCE_CHARS = 5_000
MAX_ORGANISATION_WORDS = 16  # an organisation is recognised by a name of at most this many words
MAX_ORGANISATION_CHARS = 200  # ... and this many characters
KNOWN_CACHE = 100_000  # names looked up per page, kept so each is looked up once (a page repeats its names)

ROLE = (
    r"(?:(?:opening|closing|welcome|welcoming|concluding|introductory)\s+(?:and\s+(?:opening|closing|concluding)\s+)?"
    r"(?:remarks|address|words)|keynote(?:\s+(?:speaker|speech|address|remarks|presentation))?|moderators?|"
    r"moderated\s+by|panell?ists?|discussants?|speakers?|presenters?|contact(?:\s+person)?|respondents?)"
)
ROLE_LIST = rf"{ROLE}(?:\s*(?:,|and|&|/)\s*{ROLE})*"
ROLE_FIRST = re.compile(rf"^(?P<roles>{ROLE_LIST})\s*(?::|–|—|-(?=\s))\s*(?P<rest>.+)$", re.I)
ROLE_LAST = re.compile(rf"^(?P<rest>.+?)\s*(?::|–|—|\s-\s)\s*(?P<roles>{ROLE_LIST})\s*\.?$", re.I)
ROLE_HEADER = re.compile(rf"^(?P<roles>{ROLE_LIST})\s*:?\s*$", re.I)
BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*+-]|\d{1,2}[.)])\s+")
FIELD = re.compile(r"^\s*(?P<key>when|date|dates|time|where|location|venue|place)\s*:\s*(?P<value>.*)$", re.I)
TALK = re.compile(r"(?:^|[:.,]|\s[–—-])\s*[\"“„«](?P<talk>[^\"”“»]{3,})[\"”»]\s*\.?\s*$")
TALK_SINGLE = re.compile(r"(?:^|[:.])\s*[‘'](?P<talk>[^’']{3,})[’']\s*\.?\s*$")
HOSTS = re.compile(
    r"(?:(?:co-?)?(?:hosted|organi[sz]ed|convened|sponsored)\s+(?:jointly\s+)?by|hosts?\s+(?:are|were|include[ds]?))"
    r"\s+(?P<list>[^.;:]+)",
    re.I,
)
HOSTS_BEFORE = re.compile(
    r"^(?P<list>(?:[A-Z(][^.;:]*?))\s+(?:(?:jointly|will|have|has|are|is)\s+)*(?:co-?)?(?:host(?:ed|s|ing)?|"
    r"hold|holds|held|organi[sz](?:e|es|ed|ing)|convene[sd]?|invite[sd]?|present[s]?)\b",
)
COLOCATED = re.compile(
    r"\b(?:on|at)?\s*(?:the\s+)?(?:margins?|sidelines?)\s+of\s+(?:the\s+)?(?P<a>[^,.;()]+)|"
    r"\bin\s+(?:conjunction|association)\s+with\s+(?:the\s+)?(?P<b>[^,.;()]+)",
    re.I,
)
SERIES_LOWER = re.compile(
    r"\bpart\s+of\s+(?:the|its|their|our|an?)\s+(?:ongoing\s+)?(?P<name>(?:[A-Z][\w.'’&-]*\s+){1,6})series\b"
)
EDITION_OF = re.compile(
    r"\b(?:edition|instalment|installment)\s+of\s+the\s+(?P<name>[A-Z](?:[^,.;]|(?<=\b[A-Z])\.)*[A-Za-z])"
)
SERIES = re.compile(r"\b(?P<name>(?:[A-Z0-9][\w.'’&-]*\s+){1,7}(?:Dialogue|Workshop|Event|Lecture)?\s*Series)\b")
CONTACT = re.compile(
    r"(?:contact|direct\s+(?:any\s+)?(?:questions|inquiries|enquiries)\s+to|reach\s+out\s+to|questions\s+to)\s*:?\s+"
    r"(?P<who>[^.()@]+?)\s*(?:\(|at\s+\S+@|\.\s|\.$|$|,?\s+(?:via|by|at)\s)",
    re.I,
)
ORG_PARTICIPANT = re.compile(
    r"(?:pre-?recorded|video|recorded|written)?\s*(?:remarks|message|statement|greetings|address)\s+(?:were\s+)?"
    r"(?:from|by|delivered\s+by)\s+(?:the\s+)?(?P<org>[A-Z].+?)(?=,\s+(?:followed|and\s+then|with|as)\b|\.\s|\.?$|;)",
    re.I,
)
# Where a phrase ends inside a sentence: a full stop that is not an honorific's, or a semicolon.
PHRASE_END = r"(?=(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)\.(?:\s|$)|;|$)"
PROSE_ROLES = [
    (re.compile(r"\b(?:opened|welcomed)\s+by\s+(?P<list>.+?)" + PHRASE_END, re.I), ["opening remarks"]),
    (re.compile(r"\b(?:closed|concluded)\s+by\s+(?P<list>.+?)" + PHRASE_END, re.I), ["closing remarks"]),
    (
        re.compile(
            r"\b(?:moderated|chaired|facilitated)\s+by\s+(?P<list>.+?)(?=,\s+(?:were|are|who|with)\b|\.\s|\.?$|;)", re.I
        ),
        ["moderator"],
    ),
    (
        re.compile(
            r"^(?:(?:finally|then|afterwards|later),\s+)?(?P<list>[^.;]+?),?\s+(?:gave|delivered|offered|provided|made)\s+"
            r"(?:the\s+)?(?P<kind>opening|closing|welcome|welcoming|concluding|keynote)\s+(?:remarks|address|speech)",
            re.I,
        ),
        None,
    ),
]
QUOTED_EVENT = re.compile(
    r"\b(?:organi[sz]ed|hosted|held|convened|co-organi[sz]ed|co-hosted)\s+(?:the\s+)?[\"“](?P<name>[^\"”]{10,})[\"”]"
)
INLINE_CUE = re.compile(
    rf"(?P<cue>{ROLE_LIST}|participants|featured|included|including|with|were|are|joined\s+by)\s*(?:included|:|were|are)?\s*:?\s*$",
    re.I,
)


@dataclass
class Mention:
    """A participant as the page prints them."""

    name: str
    family_name: str | None
    given_name: str | None
    title: str | None
    organisation: str | None
    roles: list[str]
    talk_title: str | None
    span: tuple[int, int]
    is_organisation: bool = False


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


@dataclass
class ParsedPage:
    document: Document
    events: list[ParsedEvent]
    warnings: list[str]


@dataclass(frozen=True)
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lines.append(Line(stripped, offset + raw.index(stripped)))
        offset += len(raw) + 1
    return lines


def parse_page(document: Document, known: KnownOrganisation) -> ParsedPage:
    known = _remembered(known)
    lines = [line for line in split_lines(document.text) if not _is_header(line.text)]
    lines = [_clean_markdown(line) for line in lines]
    warnings: list[str] = []
    sections, intro = _sections(lines, document.title)
    page_level = _prose_facts(lines[:intro], known, warnings)
    events = []
    for name, start, end in sections:
        event = _read_section(name, lines[start:end], known, warnings)
        _inherit(event, page_level)
        events.append(event)
    if not events:
        warnings.append("no event found on the page")
    for event in events:
        warnings += _script_warnings(event)
    return ParsedPage(document, events, list(dict.fromkeys(warnings)))


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


def _too_long(text: str, start: int, what: str, limit: int, warnings: list[str] | None) -> bool:
    """Whether ``text`` is longer than any real entry or sentence (it is then not read, and a warning says so)."""
    words = len(text.split()) if what == "participant entry" else 0
    if len(text) <= limit and words <= MAX_ENTRY_WORDS:
        return False
    if warnings is not None:
        size = f"{len(text):,} characters" if len(text) > limit else f"{words:,} words"
        bound = f"{limit:,} characters" if len(text) > limit else f"{MAX_ENTRY_WORDS} words"
        warnings.append(f"a {what} of {size} at offset {start:,} is longer than any real one (limit {bound}): not read")
    return True


def _is_header(text: str) -> bool:
    return bool(re.match(r"^(?:source|url|title):\s", text, re.I))


def _clean_markdown(line: Line) -> Line:
    """Drop Markdown markup from a line, keeping the offset of what remains."""
    text = line.text
    m = re.match(r"^(#{1,6}\s+|>\s+)", text)
    start = line.start
    if m:
        start += m.end()
        text = text[m.end() :]
    text = re.sub(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return Line(text.strip(), start)


# ---------------------------------------------------------------- events


def _is_date_line(text: str) -> bool:
    m = FIELD.match(text)
    if m and m.group("key").lower() in ("when", "date", "dates"):
        return date_range(m.group("value"))[0] is not None
    if NOT_EVENT_DATE.search(text) or len(text) > 80:
        return False
    start, _ = date_range(text)
    return start is not None and not BULLET.match(text)


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
    anchors = [i for i, line in enumerate(lines) if _is_date_line(line.text)]
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
    name = title or (lines[0].text if lines else "untitled event")
    for line in lines:  # a news item names the event it reports on: 'co-organized "Space High-end Dialogue …"'
        if m := QUOTED_EVENT.search(line.text):
            name = m.group("name")
            break
    return [(_event_name(name), 0, len(lines))], len(lines)


def _event_name(text: str) -> str:
    return re.split(r"\s+[|]\s+", text)[0].strip()


def _read_section(name: str, lines: list[Line], known: KnownOrganisation, warnings: list[str]) -> ParsedEvent:
    span = (lines[0].start, lines[-1].end) if lines else (0, 0)
    event = ParsedEvent(name=name, span=span)
    default_roles: list[str] = ["speaker"]
    for line in lines:
        text = line.text
        field_match = FIELD.match(text)
        if field_match:
            _read_field(event, field_match.group("key").lower(), field_match.group("value"), line)
            continue
        if event.start_date is None and _is_date_line(text):
            event.start_date, event.end_date = date_range(text)
            event.evidence["start_date"] = (line.start, line.end)
            continue
        header = ROLE_HEADER.match(BULLET.sub("", text))
        if header:
            default_roles = role_names(header.group("roles"))
            continue
        if BULLET.match(text) or ROLE_FIRST.match(text):
            body = BULLET.sub("", text)
            offset = line.start + len(text) - len(body)
            if _too_long(body, offset, "participant entry", MAX_ENTRY_CHARS, warnings):
                continue
            mentions = read_entries(body, offset, known, default_roles, warnings=warnings)
            if mentions:
                event.participants += mentions
            elif BULLET.match(text) and (looks_like_person(body.split(",")[0]) and "," in body):
                warnings.append(f"could not read the participant entry {body!r}")
            continue
        _read_prose(event, line, known, warnings=warnings)
    if event.attendance_mode is None:
        _decide_attendance(event)
    if event.start_date is None:
        _date_in_prose(event, [line for line in lines if not BULLET.match(line.text)])
    return event


def _decide_attendance(event: ParsedEvent) -> None:
    event.attendance_mode = decide_attendance(event.signals)
    if event.attendance_mode and event.attendance_spans:
        event.evidence["attendance_mode"] = (event.attendance_spans[0][0], event.attendance_spans[-1][1])


def _date_in_prose(event: ParsedEvent, lines: list[Line]) -> None:
    """The first event date a sentence states (never a posting date), and that sentence as evidence."""
    for line in lines:
        for sentence in sentences_of(line):
            if NOT_EVENT_DATE.search(sentence.text):
                continue
            start, end = date_range(sentence.text)
            if start:
                event.start_date, event.end_date = start, end
                event.evidence["start_date"] = (sentence.start, sentence.end)
                return


def _read_field(event: ParsedEvent, key: str, value: str, line: Line) -> None:
    if key in ("when", "date", "dates", "time"):
        if event.start_date is None:
            event.start_date, event.end_date = date_range(value)
            if event.start_date:
                event.evidence["start_date"] = (line.start, line.end)
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


# A sentence ends at . ! ? before a capital, but not after an honorific or an abbreviation ("Dr. WANG", "Co. Ltd").
SENTENCE_END = re.compile(
    r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bProf\.)(?<!\bSt\.)(?<!\bNo\.)(?<!\bCo\.)(?<!\bJr\.)"
    r"(?<!\bSr\.)(?<!\bGen\.)(?<!\bAmb\.)(?<!\bHon\.)(?<!\b[A-Z]\.)(?<=[.!?])\s+(?=[A-Z“\"(])"
)


def sentences_of(line: Line) -> list[Line]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(line.text):
        out.append(Line(line.text[start : m.start()], line.start + start))
        start = m.end()
    out.append(Line(line.text[start:], line.start + start))
    return out


def _read_prose(
    event: ParsedEvent,
    line: Line,
    known: KnownOrganisation,
    participants: bool = True,
    warnings: list[str] | None = None,
) -> None:
    for sentence in sentences_of(line):
        text = sentence.text
        if _too_long(text, sentence.start, "sentence", MAX_SENTENCE_CHARS, warnings):
            continue
        span = (sentence.start, sentence.end)
        if not event.hosts and not re.search(r"\bseries\b[^.]*\b(?:organi[sz]ed|hosted)\b", text, re.I):
            event.hosts = _hosts(text, known)
            if event.hosts:
                event.evidence["hosts"] = span
        if event.co_located_with is None and (m := COLOCATED.search(text)):
            event.co_located_with = _tidy_name(m.group("a") or m.group("b"))
            event.evidence["co_located_with"] = span
        if event.series is None and (m := SERIES.search(text) or SERIES_LOWER.search(text) or EDITION_OF.search(text)):
            event.series = _tidy_name(m.group("name"))
            event.evidence["series"] = span
        if signals := attendance_signals(text):
            event.signals |= signals
            event.attendance_spans.append(span)
        if event.city is None and event.country is None and (place := place_in_prose(text)):
            event.city, event.country = place.city, place.country
            event.evidence["place"] = span
        if not participants:
            continue
        event.participants += _prose_participants(sentence, known, warnings)


def _tidy_name(text: str) -> str:
    text = re.sub(r"\s+(?:in|at|on|held|which|that|and\s+was)\b.*$", "", text.strip())
    return text.strip(" .,;:")


def attendance_signals(text: str) -> set[str]:
    low = text.lower()
    signals = set()
    if re.search(r"\bhybrid\b", low):
        signals.add("hybrid")
    if re.search(r"pre-?recorded", low):
        signals.add("prerecorded-event" if _entirely_prerecorded(low) else "prerecorded")
    if re.search(r"\bin[- ]person\b|gathered in|on[- ]site", low):
        signals.add("in-person")
    if re.search(r"\b(?:virtual(?:ly)?|online|remotely|webinar|via zoom|video ?conference|zoom)\b", low):
        signals.add("online")
    return signals


ENTIRELY_PRERECORDED = re.compile(
    r"\b(?P<cue>entirely|only|all|exclusively|held|conducted|took place)\b|pre-?recorded|\."
)


def _entirely_prerecorded(low: str) -> bool:
    """Whether "prerecorded" follows "entirely", "only", "held" … within a sentence: one pass over the text (the
    regular expression ``cue[^.]*prerecorded`` went to the end of the text from every cue, quadratic time)."""
    cue = False
    for m in ENTIRELY_PRERECORDED.finditer(low):
        if m.group("cue"):
            cue = True
        elif m.group(0) == ".":
            cue = False
        elif cue:
            return True
    return False


def decide_attendance(signals: set[str]) -> str | None:
    """One mode from what the page says: hybrid, or a mix of in person and remote; else the one said."""
    if "hybrid" in signals or ("in-person" in signals and signals & {"online", "prerecorded", "prerecorded-event"}):
        return "hybrid"
    if "prerecorded-event" in signals:
        return "prerecorded"
    if "online" in signals:
        return "online"
    if "prerecorded" in signals:
        return "prerecorded"
    return "in-person" if "in-person" in signals else None


def _hosts(sentence: str, known: KnownOrganisation) -> list[str]:
    m = HOSTS.search(sentence)
    candidates = m.group("list") if m else None
    if candidates is None and (m := HOSTS_BEFORE.search(sentence)):
        candidates = m.group("list")
    if not candidates:
        return []
    candidates = re.split(r"\s+(?:as\s+part|under|on|in|at|during|for|to)\s+", candidates)[0]
    hosts = []
    for item in split_list(candidates):
        item = re.sub(r"^(?:the|both)\s+", "", item.strip(), flags=re.I)
        name, _ = strip_acronym(item)
        if name and (known(item) or known(name) or has_institution_word(name)):
            hosts.append(item if known(item) and not known(name) else name)
    return hosts


def split_list(text: str) -> list[str]:
    """'A, B, and the C (CX)' -> ['A', 'B', 'the C (CX)'], keeping 'Co., Ltd.' whole."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*(?=[A-Z])", text)
    merged: list[str] = []
    for part in parts:
        if merged and re.match(r"^(?:ltd|inc|llc|co|corp|limited|gmbh|s\.a|plc)\b\.?", part.strip(), re.I):
            merged[-1] = f"{merged[-1]}, {part.strip()}"
        elif part.strip():
            merged.append(part.strip())
    return merged


def _people_list(text: str, offset: int) -> list[tuple[str, int]]:
    """'CSA Vice President and Secretary General Dr. WANG Yiran and SWF Director Daniel Porter' -> two people:
    a piece without a name belongs to the next one."""
    pieces, start = [], 0
    for m in re.finditer(r"\s+and\s+|,\s+and\s+", text):
        pieces.append((text[start : m.start()], offset + start))
        start = m.end()
    pieces.append((text[start:], offset + start))
    people: list[tuple[str, int]] = []
    pending: tuple[str, int] | None = None
    for piece, at in pieces:
        if pending:
            piece, at = f"{pending[0]} and {piece}", pending[1]
            pending = None
        words = strip_punctuation(piece).split()
        if any(
            looks_like_person(" ".join(words[i:j]))
            for i in range(len(words))
            for j in range(i + 2, min(len(words), i + 5) + 1)
        ):
            people.append((piece, at))
        else:
            pending = (piece, at)
    return people


def _prose_participants(sentence: Line, known: KnownOrganisation, warnings: list[str] | None = None) -> list[Mention]:
    text = sentence.text
    mentions: list[Mention] = []
    if m := CONTACT.search(text):
        who = m.group("who")
        start = sentence.start + m.start("who")
        mentions += read_entries(who, start, known, ["contact"], org_first=True, warnings=warnings)
    if m := ORG_PARTICIPANT.search(text):
        start = sentence.start + m.start("org")
        for part in re.split(r"\s+and\s+(?:from\s+)?(?:the\s+)?", m.group("org")):
            org = strip_punctuation(part)
            if org and (has_organisation_word(org) or known(org)):
                name, _ = strip_acronym(org)
                at = start + m.group("org").find(part)
                mentions.append(Mention(name, None, None, None, org, ["speaker"], None, (at, at + len(part)), True))
    for pattern, roles in PROSE_ROLES:
        if m := pattern.search(text):
            wanted = roles or role_names(m.group("kind") + " remarks")
            for item, at in _people_list(m.group("list"), sentence.start + m.start("list")):
                mentions += read_entries(item, at, known, wanted, org_first=True, warnings=warnings)
    if ";" in text:
        head, _, tail = text.partition(":") if ":" in text.split(";")[0] else ("", "", text)
        cue = INLINE_CUE.search(head) if head else None
        roles = role_names(cue.group("cue")) if cue and re.match(ROLE_LIST, cue.group("cue"), re.I) else ["speaker"]
        base = sentence.start + (len(head) + 1 if head else 0)
        if not head:
            m2 = re.search(rf"(?P<cue>{ROLE_LIST}|included|featured|were|are)\s*:?\s+", tail, re.I)
            if m2 and m2.start() < tail.index(";"):
                if re.match(ROLE_LIST, m2.group("cue"), re.I):
                    roles = role_names(m2.group("cue"))
                base += m2.end()
                tail = tail[m2.end() :]
        first = tail.split(";")[0]
        cut = None
        for cue_match in re.finditer(r"\b(?:were|are|included|includes|include|featured|was)\s+|:\s*", first):
            cut = cue_match.end()
        if cut is not None:
            base += cut
            tail = tail[cut:]
        offset = 0
        for item in tail.split(";"):
            item_start = base + offset
            offset += len(item) + 1
            entry = re.sub(r"^\s*(?:and\s+)?", "", item, count=1)  # "…; and NAME, …": the entry starts after "and"
            at = item_start + len(item) - len(entry)
            mentions += read_entries(entry.rstrip(" ."), at, known, roles, warnings=warnings)
    return mentions


# ---------------------------------------------------------------- participants


def role_names(text: str) -> list[str]:
    """Role phrases -> role names of the ontology's list, in order."""
    text = re.sub(r"\b(\w+)\s+and\s+(\w+)\s+remarks\b", r"\1 remarks, \2 remarks", text.lower())
    roles: list[str] = []
    for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", text):
        role = _ROLE_OF(part.strip())
        if role and role not in roles:
            roles.append(role)
    return roles


def _ROLE_OF(phrase: str) -> str | None:  # noqa: N802 (a table lookup)
    if not phrase:
        return None
    if re.match(r"(?:opening|welcome|welcoming|introductory)\b", phrase):
        return "opening remarks"
    if re.match(r"(?:closing|concluding)\b", phrase):
        return "closing remarks"
    if phrase.startswith("keynote"):
        return "keynote"
    if phrase.startswith("moderat"):
        return "moderator"
    if phrase.startswith("panel"):
        return "panelist"
    if phrase.startswith(("discussant", "respondent")):
        return "discussant"
    if phrase.startswith(("speaker", "presenter")):
        return "speaker"
    if phrase.startswith("contact"):
        return "contact"
    return None


def read_entries(
    text: str,
    offset: int,
    known: KnownOrganisation,
    default_roles: list[str],
    org_first: bool = False,
    warnings: list[str] | None = None,
) -> list[Mention]:
    """The participant(s) of one entry: a bullet, a role line, or an item of an inline list.

    The evidence span is the whole entry: the words the facts about this participant come from. An entry longer
    than any real one is not read (a warning says so); invisible characters (zero-width, direction controls) are
    left out of what is read from it, and a warning says so.
    """
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    entry_span = (offset + lead, offset + lead + len(text))
    if _too_long(text, entry_span[0], "participant entry", MAX_ENTRY_CHARS, warnings):
        return []
    visible = strip_invisible(text)
    invisible = visible != text
    text = visible.strip()
    roles = list(default_roles)
    if m := ROLE_FIRST.match(text):
        roles = role_names(m.group("roles")) or roles
        offset += m.start("rest")
        text = m.group("rest")
    talk = None
    if m := (TALK.search(text) or TALK_SINGLE.search(text)):
        talk = m.group("talk").strip()
        text = strip_punctuation(text[: m.start()].rstrip(" -"))
    if m := ROLE_LAST.match(text):
        roles = role_names(m.group("roles")) or roles
        text = m.group("rest")
    if talk and roles == ["speaker"] or talk and not any(r in ("speaker", "keynote") for r in roles):
        roles = roles if any(r in ("speaker", "keynote") for r in roles) else [*roles, "speaker"]
    mention = _person_entry(text, known, org_first)
    if mention is None:
        return []
    name, title, organisation = mention
    person = split_name(name)
    if invisible and warnings is not None:
        warnings.append(
            f"participant {person.name!r} (offset {entry_span[0]:,}): invisible characters (zero-width or direction "
            "controls) left out of the entry"
        )
    return [Mention(person.name, person.family, person.given, title, organisation, roles, talk, entry_span)]


def _person_entry(text: str, known: KnownOrganisation, org_first: bool) -> tuple[str, str | None, str | None] | None:
    """(name, title, organisation) from 'NAME, Title, Organisation' and its variants."""
    text = strip_punctuation(text)
    if m := re.match(r"^(?P<name>[^,(]+?)\s*\((?P<org>[^)]+)\)\s*$", text):
        if looks_like_person(m.group("name")):
            return m.group("name").strip(), None, m.group("org").strip()
    head, _, rest = text.partition(",")
    if looks_like_person(head):
        title, organisation = split_affiliation(rest, known)
        return head.strip(), title, organisation
    # organisation or title first: "SWF Director of Private Sector Programs, Ian Christensen"
    if "," in text:
        before, _, last = text.rpartition(",")
        if looks_like_person(last):
            title, organisation = split_affiliation(before, known, org_first=True)
            return last.strip(), title, organisation
    words = text.split()
    for n in range(min(5, len(words)), 1, -1):  # "Ian Christensen of SWF" / "Director Jane Doe"
        candidate = " ".join(words[:n])
        if looks_like_person(candidate) and (n == len(words) or words[n].lower() in ("of", "from", "at")):
            title, organisation = split_affiliation(" ".join(words[n + 1 :]), known)
            return candidate, title, organisation
        candidate = " ".join(words[-n:])
        prefix = " ".join(words[:-n])
        if looks_like_person(candidate) and len(words) > n and (org_first or _affiliation_like(prefix, known)):
            title, organisation = split_affiliation(" ".join(words[:-n]), known, org_first=True)
            return candidate, title, organisation
    return None


def _affiliation_like(text: str, known: KnownOrganisation) -> bool:
    return has_title_word(text) or has_organisation_word(text) or _known_span(text, known) is not None


def split_affiliation(text: str, known: KnownOrganisation, org_first: bool = False) -> tuple[str | None, str | None]:
    """'Title(s), Organisation' (or 'Title of Organisation', or 'Organisation Title') -> (title, organisation)."""
    text = strip_punctuation(text)
    if not text:
        return None, None
    found = _known_span(text, known)
    if found:
        start, end = found
        organisation = text[start:end].strip(" ,")
        before = re.sub(r"\s*(?:,|\bof|\bat|\bfrom|\bwith|\bfor)\s*$", "", text[:start].strip(), flags=re.I).strip(" ,")
        after = text[end:].strip(" ,")
        titles = [t for t in (before, after) if t and re.search(r"[A-Za-z]", t)]
        return ("; ".join(titles) or None), organisation
    parts = split_list_keep_titles(text)
    if len(parts) >= 2:
        for n, part in enumerate(parts):  # "Title of Organisation, Second Title": the first organisation named
            if m := TITLE_OF_ORG.match(part):
                if has_title_word(m.group("title")) and has_institution_word(m.group("org")):
                    titles = [m.group("title"), *parts[:n], *parts[n + 1 :]]
                    return "; ".join(titles), m.group("org")
        last = parts[-1]
        if has_organisation_word(last) and not (has_title_word(last) and not has_organisation_word(last)):
            return ", ".join(parts[:-1]), last
        if org_first and has_organisation_word(parts[0]):
            return ", ".join(parts[1:]), parts[0]
        return ", ".join(parts), None
    single = parts[0]
    if m := TITLE_OF_ORG.match(single):
        if has_title_word(m.group("title")) and has_organisation_word(m.group("org")):
            return m.group("title"), m.group("org")
    if has_organisation_word(single) and not has_title_word(single):
        return None, single
    return single, None


TITLE_OF_ORG = re.compile(r"^(?P<title>.+?)\s+(?:of|at|from|with)\s+(?:the\s+)?(?P<org>[A-Z].+)$")
ABBREVIATED_END = re.compile(r"\b(?:ltd|inc|co|corp|jr|sr|llc|plc|s\.a|u\.s|d\.c)\.$", re.I)


def strip_punctuation(text: str) -> str:
    """Trim separators around an entry, keeping the period of an abbreviation ("Co., Ltd.")."""
    text = text.strip(" ,;:–—")
    while text.endswith(".") and not ABBREVIATED_END.search(text):
        text = text[:-1].rstrip(" ,;:–—")
    return text.lstrip(" .")


def split_list_keep_titles(text: str) -> list[str]:
    parts: list[str] = []
    for part in re.split(r",\s*", text):
        if parts and re.match(r"^(?:ltd|inc|llc|co|corp|limited|gmbh|plc)\b\.?", part, re.I):
            parts[-1] = f"{parts[-1]}, {part}"
        elif part.strip():
            parts.append(part.strip())
    return parts


ACRONYM_AFTER = re.compile(r"\s*\([^)]{1,20}\)")


def _known_span(text: str, known: KnownOrganisation) -> tuple[int, int] | None:
    """The longest stretch of ``text`` that names a known organisation (with a parenthesised acronym after it).

    Stretches of at most MAX_ORGANISATION_WORDS words and MAX_ORGANISATION_CHARS characters are tried: the work is
    linear in the length of ``text``, not quadratic (every pair of word boundaries), and no long text is looked up.
    """
    starts = [0, *(m.end() for m in re.finditer(r"[\s,(]+", text))]
    ends = [m.start() for m in re.finditer(r"[\s,]+", text)] + [len(text)]
    best: tuple[int, int] | None = None
    first = 0  # the first end after the start
    for i in starts:
        while first < len(ends) and ends[first] <= i:
            first += 1
        for j in ends[first : first + MAX_ORGANISATION_WORDS]:
            if j - i > MAX_ORGANISATION_CHARS:
                break
            if best and j - i <= best[1] - best[0]:
                continue
            candidate = text[i:j]
            if re.match(r"^\W", candidate) or not known(candidate):
                continue
            after = ACRONYM_AFTER.match(text, j)
            best = (i, after.end() if after else j)
    return best
