"""Entries laid out under a heading rather than in a list: a programme item's heading ("Opening", "09:20 |
KEYNOTE: "Talk"") over an unbulleted "NAME, Title, Organisation" line, or a speaker profile whose name and
affiliation are two lines ("Dr. Ji-ho Seong" over "Principal Researcher, Hallasan Institute").

Each line is looked at once, with the two lines before it: the work is linear in the page.
"""

from __future__ import annotations

import re

from spacegraph.ingest.page_entries import (
    ABBREVIATED_END,
    PLACEHOLDER,
    ROLE_FIRST,
    TALK,
    KnownOrganisation,
    Mention,
    read_entries,
    split_affiliation,
)
from spacegraph.ingest.page_lines import Line
from spacegraph.names.organisations import has_organisation_word, has_title_word
from spacegraph.names.split import HONORIFICS, looks_like_person, split_name

MAX_HEADED_CHARS = 300

HEADING_ROLES = [
    (re.compile(r"\b(?:opening|welcome|welcoming)\b", re.I), "opening remarks"),
    (re.compile(r"\bkeynote\b", re.I), "keynote"),
    (re.compile(r"\b(?:closing|concluding|close|farewell)\b", re.I), "closing remarks"),
    (re.compile(r"\b(?:moderators?|chairs?)\b", re.I), "moderator"),
    (re.compile(r"\bpanel\b", re.I), "panelist"),
]

PROSE_WORDS = re.compile(
    r"\b(?:is|was|were|are|has|have|had|will|would|said|says|who|which|that|he|she|they|his|her|their)\b", re.I
)
LABELLED = re.compile(r"^[\w ]{1,30}:\s")  # "Profile: …", "Venue: …": a field, not an entry


def heading_roles(text: str) -> tuple[list[str], str | None]:
    """The roles a programme heading names, and a talk title quoted in it: ('Keynote – "Who Pays?"') ->
    (['keynote'], 'Who Pays?')."""
    if len(text) > 160 or "," in text.split('"')[0].split("“")[0]:
        return [], None
    if ":" in text and looks_like_person(text.split(":", 1)[1].strip()):
        return [], None  # "Moderator: NAME" is an entry, not a heading
    roles = [role for pattern, role in HEADING_ROLES if pattern.search(text)]
    talk = re.search(r"[\"“](?P<talk>[^\"”]{3,200})[\"”]", text)
    return roles[:1], (talk.group("talk").strip() if talk and roles else None)


def is_name_line(text: str) -> bool:
    """A line that is only a name, printed so that it cannot be a heading: with an honorific, a composed or
    particled family name, or a family name in capitals."""
    if len(text) > 80 or not looks_like_person(text):
        return False
    words = text.split()
    return bool(HONORIFICS.match(text)) or any(re.search(r"\w[-'’]\w", w) or w.isupper() for w in words[1:])


def is_affiliation_line(text: str) -> bool:
    """'Principal Researcher, Hallasan Orbital Sciences Institute': a title and an organisation, no sentence."""
    if len(text) > 200 or LABELLED.match(text) or PROSE_WORDS.search(text) or looks_like_person(text.split(",")[0]):
        return False
    if text.endswith(".") and not ABBREVIATED_END.search(text):
        return False
    return has_title_word(text) or has_organisation_word(text)


def is_entry_line(text: str) -> bool:
    """'H.E. Amb. Ana Ruiz, Honorary President, Society of X': a name, then a title or organisation, no sentence."""
    if len(text) > MAX_HEADED_CHARS or LABELLED.match(text) or "," not in text:
        return False
    head, _, rest = text.partition(",")
    return looks_like_person(head) and is_affiliation_line(rest.strip()) and not TALK.search(text)


def headed_entries(
    before: list[Line], line: Line, known: KnownOrganisation, default_roles: list[str], warnings: list[str] | None
) -> list[Mention]:
    """The participant a line gives with the (at most two) lines before it, or nothing."""
    text = line.text
    if before and is_name_line(before[-1].text) and is_affiliation_line(text):
        name_line = before[-1]
        roles, talk = heading_roles(before[-2].text) if len(before) > 1 else ([], None)
        title, organisation = split_affiliation(text, known)
        person = split_name(name_line.text)
        span = (name_line.start, line.end)
        return [
            Mention(person.name, person.family, person.given, title, organisation, roles or default_roles, talk, span)
        ]
    if not is_entry_line(text):
        return []
    roles, talk = heading_roles(before[-1].text) if before else ([], None)
    found = read_entries(text, line.start, known, roles or default_roles, warnings=warnings)
    for mention in found:
        mention.talk_title = mention.talk_title or talk
    return found


TIME_SLOT = re.compile(r"^\s*\d{1,2}[:.]\d{2}\b(?:\s*[-–—]\s*\d{1,2}[:.]\d{2})?\s*(?:[|·]\s*)?(?P<rest>.*)$")
SLOT_TALK = re.compile(r"^(?:keynote|presentation|talk|lecture)(?:\s+\w+)?\s*[:–—]\s*(?P<talk>[^\"“”]{8,200})$", re.I)


def time_slot(text: str) -> tuple[list[str], str | None]:
    """A programme's time slot ("09:20  Keynote: Traffic Rules for a Crowded Sky", "12:30  Closing"): the roles it
    names and its talk's title, for the entries under it; ([], None) for a slot that names no role."""
    m = TIME_SLOT.match(text)
    rest = m.group("rest").strip() if m else ""
    roles, talk = heading_roles(rest)
    if (entry := ROLE_FIRST.match(rest)) and _names_its_entry(entry.group("rest")):
        return [], None  # "11:40 Closing remarks: Speaker TBA": the slot's own entry, no heading for lines under it
    if roles and not talk and (titled := SLOT_TALK.match(rest)) and not looks_like_person(titled.group("talk")):
        talk = titled.group("talk").strip()
    if not roles and (titled := SLOT_TALK.match(rest)) and not looks_like_person(titled.group("talk")):
        return ["speaker"], titled.group("talk").strip()  # "10:15  Presentation: Glacier Mass Balance"
    if not roles and SLOT_TITLE.match(rest) and not looks_like_person(rest):
        return ["speaker"], rest.strip()  # "10:50 Coastal Altimetry After the Next Launch": the talk of the next line
    return roles, talk


# A time slot's talk title: three to twenty words, no comma, quote or sentence end, and no break in the programme
SLOT_TITLE = re.compile(
    r"^(?!.*\b(?i:break|lunch|coffee|tea|registration|networking|reception|dinner|arrival|q\s*&\s*a|questions)\b)"
    r"[A-Z][^,\"“”:;|\s]*(?:\s+[^,\"“”:;|\s]+){2,19}(?<![.!])$"
)


def _names_its_entry(rest: str) -> bool:
    return bool(PLACEHOLDER.match(rest)) or looks_like_person(re.split(r"[,(]", rest)[0].strip())
