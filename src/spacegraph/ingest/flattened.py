"""Speaker lists whose layout is gone: role labels and entries run together on one line.

A scraper that flattens a page prints "Keynote: A, Title, Org Panelists: B, Title, Org Inc. C, Title at Org
Moderator: D, Title, Org" with no separator between entries. The line is cut at its role labels ("Moderator:",
"Chair --", a time stamp followed by a role) and at its time stamps; each stretch is split into entries where a
person's name begins: at the stretch's start, after ";" or "·", or where the words before a name end an organisation
("… Tessaract Orbital Inc. Maribel Quintanar, …"). Each entry is then read as any other (``read_entries``).

The work is linear in the text: each regular expression runs once over it, and each comma-separated chunk is
looked at a bounded number of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacegraph.ingest.page_entries import KnownOrganisation, Mention, read_entries, role_names
from spacegraph.ingest.tables import session_parts, starts_with_name
from spacegraph.names.organisations import LEGAL_FORMS, ends_organisation, has_organisation_word, has_title_word
from spacegraph.names.split import HONORIFICS, looks_like_person

MAX_FLATTENED_CHARS = 50_000  # a longer line is not read as a speaker list

ROLE_WORDS = (
    r"(?:welcome|welcoming|opening|closing|concluding|introductory|farewell)\s+(?:remarks|address|words)|farewell|"
    r"keynote(?:\s+(?:speaker|speech|address|remarks|presentation))?|panell?ists?|moderators?|chairs?|co-chairs?|"
    r"discussants?|respondents?|speakers?|presenters?|report\s+authors?|authors?|rapporteurs?|"
    r"master\s+of\s+ceremonies|welcome|opening|closing|remarks|vote\s+of\s+thanks|panel"
)

SEP = r"(?:\s*:|\s+--|\s+[–—-](?=\s))"

LABEL = re.compile(
    rf"(?:(?<=\s)|^)(?:track\s+[A-Z0-9]\s+)?(?P<label>{ROLE_WORDS})(?P<number>\s+(?:\d{{1,2}}|[IVX]{{1,4}}))?{SEP}\s*",
    re.I,
)

TIME = re.compile(
    r"(?:(?<=\s)|^)\[?\d{1,2}[:.]\d{2}(?:\s*[-–]\s*\d{1,2}[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\]?"
    rf"(?:\s*(?P<label>{ROLE_WORDS})\b(?!\s*(?:\d|[IVX]{{1,4}}\b))(?:{SEP})?\s*)?",
    re.I,
)

STOP = re.compile(
    r"\s(?:supported|sponsored|funded|refreshments|register|watch|add\s+to\s+calendar|share)\b|\s\[|\s{2,}",
    re.I,
)

LIST_SEP = re.compile(r"\s*(?:;|\s·\s|\s•\s|\s\|\s)\s*")

TALK_FIRST = re.compile(r"^[\"“](?P<talk>[^\"”]{3,200})[\"”]\s*[:,–—-]?\s*")

ROLE_OF_LABEL = {
    "chair": "moderator",
    "co-chair": "moderator",
    "master of ceremonies": "moderator",
    "rapporteur": "speaker",
    "author": "speaker",
    "report author": "speaker",
    "vote of thanks": "closing remarks",
    "welcome": "opening remarks",
    "opening": "opening remarks",
    "closing": "closing remarks",
    "panel": "panelist",
    "remark": "speaker",
}


@dataclass(frozen=True)
class Stretch:
    roles: list[str]
    start: int
    end: int
    numbered_panel: bool
    in_panel: bool = False  # the stretch of a panel's moderator: the entries after the first are its panelists


def label_roles(label: str) -> list[str]:
    """'Welcome Remarks' -> ['opening remarks']; 'Chair' -> ['moderator']; 'Report authors' -> ['speaker']."""
    low = re.sub(r"\s+", " ", label.lower().strip())
    singular = re.sub(r"s$", "", low)
    if low in ROLE_OF_LABEL or singular in ROLE_OF_LABEL:
        return [ROLE_OF_LABEL.get(low) or ROLE_OF_LABEL[singular]]
    return role_names(low) or ["speaker"]


def stretches(text: str) -> list[Stretch]:
    """The stretches of ``text`` after each role label, each up to the next label, time stamp or end."""
    marks: list[tuple[int, int, list[str] | None, bool]] = []  # (start, end of the mark, roles, numbered panel)
    for m in LABEL.finditer(text):
        if m.group("number") and not m.group("label").lower().startswith("panel"):
            continue  # "Speaker 2:" labels a transcript's turn, not a role
        marks.append((m.start(), m.end(), label_roles(m.group("label")), bool(m.group("number"))))
    for m in TIME.finditer(text):
        roles = label_roles(m.group("label")) if m.group("label") else None
        marks.append((m.start(), m.end(), roles, False))
    for m in STOP.finditer(text):
        if not _inside_name(text, m.start(), m.end()):
            marks.append((m.start(), m.end(), None, False))
    marks = sorted({mark[1]: mark for mark in sorted(marks, key=lambda m: m[2] is None)}.values())
    out: list[Stretch] = []
    for n, (_, end, roles, numbered) in enumerate(marks):
        if roles is None:
            continue
        stop = next((s for s, _, _, _ in marks[n + 1 :] if s >= end), len(text))
        in_panel = bool(out) and out[-1].numbered_panel and out[-1].end == marks[n][0] and roles == ["moderator"]
        out.append(Stretch(roles, end, stop, numbered, in_panel))
    return out


def _inside_name(text: str, start: int, end: int) -> bool:
    """A stop word that is part of a name ("(Baltic Orbit Watch)", "Share Capital Partners,"): inside brackets, or
    capitalised between capitalised words or before a comma or bracket."""
    before = text[max(0, start - 80) : start]
    if before.count("(") > before.count(")"):
        return True
    word_before = re.search(r"(\S+)\s*$", before)
    after = text[end : end + 3]
    return bool(
        text[start + 1 : start + 2].isupper()
        and word_before
        and word_before.group(1)[:1].isupper()
        and re.match(r"\s+[A-Z]|[,)]", after)
    )


def _name_at_end(chunk: str) -> int | None:
    """Where a person's name that ends ``chunk`` begins, if the words before it end an organisation."""
    words = list(re.finditer(r"\S+", chunk))
    for size in (4, 3, 2):
        if len(words) <= size:
            continue
        start = words[-size].start()
        before = chunk[:start].rstrip()
        if len(before.split()) < 2 and not LEGAL_FORMS.search(before):
            continue
        if looks_like_person(chunk[start:]) and ends_organisation(before):
            return start
    return None


def _titled_before(text: str, chunks: list[tuple[int, int]], n: int) -> bool:
    """Whether the chunks around chunk ``n`` are job titles: it then holds an organisation and the next name."""
    before, after = text[slice(*chunks[n - 1])], text[slice(*chunks[n + 1])]
    return has_title_word(before) and has_title_word(after) and not looks_like_person(after.strip())


def _name_after_body(chunk: str) -> int | None:
    """Where a name of two or three words that ends ``chunk`` begins, after at least one capitalised word."""
    words = list(re.finditer(r"\S+", chunk))
    for size in (2, 3):
        if len(words) > size and looks_like_person(chunk[words[-size].start() :]) and not has_title_word(chunk):
            if words[-size - 1].group()[:1].isupper():
                return words[-size].start()
    return None


def _two_names(chunk: str) -> int | None:
    """Where the second of two names run together begins ("Dr. Ann Lee Bo Chen, Founder, …": a name-only entry
    then the next entry's name), if ``chunk`` is two names and not one."""
    words = list(re.finditer(r"\S+", chunk))
    if len(words) < 4 or (looks_like_person(chunk) and len(words) < 5 and not _ends_surname(words[1].group())):
        return None
    for size in (2, 3):
        if len(words) - size >= 2 and (len(words) >= 5 or _ends_surname(words[-size - 1].group())):
            start = words[-size].start()
            if looks_like_person(chunk[:start]) and looks_like_person(chunk[start:]):
                return start
    return None


def _ends_surname(word: str) -> bool:
    """A composed family name ("Ndung'u-Castell", "Okafor-Lyle") ends a name: a name rarely goes on after one."""
    return bool(re.search(r"\w[-'’]\w", word))


def split_entries(text: str) -> list[tuple[int, int]]:
    """(start, end) of each entry in a stretch of a flattened list."""
    entries: list[tuple[int, int]] = []
    pos = 0
    for piece in [*LIST_SEP.finditer(text), None]:
        end = piece.start() if piece else len(text)
        for start, stop in _name_starts(text[pos:end]):
            part = _comma_after_name(text[pos + start : pos + stop])
            entries += [(pos + start + s, pos + start + e) for s, e in _split_piece(part)]
        pos = piece.end() if piece else len(text)
    return [(s, e) for s, e in entries if text[s:e].strip()]


# Where a new entry begins without a separator: an honorific ("… Advokatfirma Dr. Paulo …"), or a name after an
# organisation in brackets ("Kaito Mori (Hokkai K.K.) Wiremu Tane (…)")
NEW_NAME = re.compile(
    r"(?<=\S)\s+(?=(?:Dr|Dra|Prof|Mr|Mrs|Ms|Mx)\.?\s+[A-Z\u00C0-\u024F])|(?<=[\w.]\))\s+(?=[A-Z\u00C0-\u024F][\w'’-]+\s)"
)


def _name_starts(piece: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of a piece, cut where a new person's name begins, if the part before it begins
    with a name too ("SWF Director Dr. Ana Lind" is one entry: its name comes after the title)."""
    cuts = [0]
    for m in NEW_NAME.finditer(piece):
        part = piece[cuts[-1] : min(m.start(), cuts[-1] + 80)]  # a name's words are near: bounded work per cut
        if starts_with_name(part) and starts_with_name(piece[m.end() : m.end() + 80]):
            cuts.append(m.end())
    return [(start, end) for start, end in zip(cuts, [*cuts[1:], len(piece)], strict=True)]


def _comma_after_name(entry: str) -> str:
    """'Dr. Helga Rask-Tor Vestfold Havrett Advokatfirma' -> 'Dr. Helga Rask-Tor,Vestfold Havrett Advokatfirma': an
    entry with no separator, a name (two words, or up to a composed family name) then its organisation. The comma
    takes the place of a space, so the entry keeps its length and its offsets."""
    if re.search(r"[,()\"“”:;]", entry) or not (lead := HONORIFICS.match(entry.strip())):
        return entry
    words = list(re.finditer(r"\S+", entry))
    first = next(n for n, w in enumerate(words) if w.start() >= lead.end() + len(entry) - len(entry.lstrip()))
    size = next((n for n in (2, 3) if first + n <= len(words) and re.search(r"\w-\w", words[first + n - 1].group())), 2)
    if len(words) - first - size < 2:
        return entry
    name, rest = words[first + size - 1], entry[words[first + size].start() :]
    if (
        looks_like_person(entry[: name.end()])
        and _body_name_words(rest)
        and (len(rest.split()) > 2 or not looks_like_person(rest))
    ):
        return f"{entry[: name.end()]},{entry[name.end() + 1 :]}"
    return entry


def _body_name_words(text: str) -> bool:
    words = text.split()
    return all(w[:1].isupper() or w in ("of", "for", "and", "&", "the", "de") for w in words) and not has_title_word(
        text
    )


def _split_piece(text: str) -> list[tuple[int, int]]:
    chunks = [(m.start(), m.end()) for m in re.finditer(r"[^,]+", text)]
    entries: list[tuple[int, int]] = []
    start, has_org = 0, False
    for n, (s, e) in enumerate(chunks):
        chunk = text[s:e]
        if n == 0:
            if (two := _two_names(chunk)) is not None:
                entries.append((0, two))
                start = two
            continue
        stripped = chunk.strip()
        bracketed = text[:s].rstrip(" ,").endswith(")") and "(" in stripped and starts_with_name(stripped)
        if bracketed or (
            has_org and looks_like_person(stripped) and not ends_organisation(stripped)
        ):  # "A (Org), B (Org)"
            entries.append((start, s - 1))
            start, has_org = s, False
            continue
        at = _name_at_end(chunk) if n < len(chunks) - 1 else None
        if at is None and n < len(chunks) - 1 and _titled_before(text, chunks, n) and not has_org:
            at = _name_after_body(chunk)  # "…, Senior Analyst, Rift Geodesy Kwabena Osei, Director, …"
        if at is not None:
            entries.append((start, s + at))
            start, has_org = s + at, False
            continue
        if has_organisation_word(stripped) and not (has_title_word(stripped) and not ends_organisation(stripped)):
            has_org = True
    entries.append((start, len(text)))
    return entries


def flattened_entries(
    text: str, offset: int, known: KnownOrganisation, warnings: list[str] | None = None
) -> list[Mention]:
    """The participants of a line that holds role labels and the entries after them."""
    if len(text) > MAX_FLATTENED_CHARS:
        return []
    mentions: list[Mention] = []
    found = stretches(text)
    if not found:
        return talk_then_entry(text, offset, known, warnings)
    for stretch in found:
        body = text[stretch.start : stretch.end]
        talk = None
        if m := TALK_FIRST.match(body):
            talk = m.group("talk").strip()
            body = body[m.end() :]
        base = stretch.end - len(body)
        spans = split_entries(body)
        if stretch.numbered_panel and spans and not ("," in body or "(" in body):
            continue  # "Panel 1: Financing Ground Infrastructure": the session's name
        for n, (s, e) in enumerate(spans):
            roles = stretch.roles
            if n > 0 and stretch.in_panel:
                roles = ["panelist"]
            found = read_entries(_comma_after_name(body[s:e]), offset + base + s, known, roles, warnings=warnings)
            if talk and found and n == 0:
                found[0].talk_title = talk
            mentions += [m for m in found if not m.is_organisation]
    return mentions


# A programme line's time stamp ("09:20", "[14:00–14:30]", "9.30 am")
LEADING_TIME = re.compile(
    r"^\s*\[?\d{1,2}[:.]\d{2}(?:\s*[-–—]\s*\d{1,2}[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\]?\s*(?:[|·]\s*)?", re.I
)
# '"Talk" — Name, Org' and 'Name, Org — "Talk"': a quoted talk on either side of a dash
QUOTED_TALK = re.compile(
    r"^[\"“][^\"”]{3,200}[\"”]\s*(?:[–—:|]|\s-)\s*\S|\S\s*(?:[–—|]|\s-)\s*[\"“][^\"”]{3,200}[\"”]\s*\.?$"
)
# "Talk: Buoys and Satellites (Name, Org)", "Keynote: Title (Name, Org)": a title, then who gives it in brackets
TITLE_THEN_WHO = re.compile(
    r"^(?:(?P<label>talk|presentation|lecture|keynote|address)\s*[:–—]\s*)?(?P<talk>[^()\"“”|]{8,200}?)\s*"
    r"\((?P<entry>[^()]{4,300})\)\s*$",
    re.I,
)


# "Opening | NAME, Org", "Avalanche Risk in a Warmer Alps — NAME (Org)": what the slot is, then who
KIND_THEN_ENTRY = re.compile(r"^(?P<kind>[^|–—]{3,200}?)\s+(?:\||–|—)\s+(?P<entry>[^|–—]{4,400})$")


def _kind_then_entry(
    body: str, base: int, known: KnownOrganisation, warnings: list[str] | None
) -> list[Mention] | None:
    """A programme line "kind | entry" or "kind — entry": the kind is a role ("Opening"), a session with a talk
    ("Keynote: Title") or a talk title (three words or more); the entry begins with a person's name."""
    m = KIND_THEN_ENTRY.match(body)
    if not m or not starts_with_name(m.group("entry")) or re.search(r"\d{4}|\d[:.]\d\d", m.group("kind")):
        return None
    kind = m.group("kind").strip()
    quoted = re.fullmatch(r"[\"“](?P<talk>[^\"”]{3,200})[\"”]", kind)
    role, talk = ("", quoted.group("talk")) if quoted else session_parts(kind)
    if not role and talk and len(talk.split()) < 3:
        return None
    roles = label_roles(role) if role else ["speaker"]
    found = read_entries(m.group("entry"), base + m.start("entry"), known, roles, warnings=warnings)
    for mention in found:
        mention.talk_title = mention.talk_title or talk
    return [mention for mention in found if not mention.is_organisation]


def talk_then_entry(text: str, offset: int, known: KnownOrganisation, warnings: list[str] | None) -> list[Mention]:
    """An agenda line that gives a talk and who gives it, after a time stamp or not: 'Talk Title | Name, Title,
    Organisation', '"Talk" — Name, Org', 'Name, Org — "Talk"', 'Talk: Title (Name, Org)'."""
    lead = LEADING_TIME.match(text)
    body = text[lead.end() :] if lead else text
    base = offset + (lead.end() if lead else 0)
    if len(body) <= 600 and QUOTED_TALK.search(body):
        first = re.sub(r"^[\"“][^\"”]*[\"”]\s*(?:[–—:|]|\s-)\s*", "", body)
        if looks_like_person(re.split(r"[,(–—]", first)[0].strip()):
            found = read_entries(body, base, known, ["speaker"], warnings=warnings)
            return [mention for mention in found if not mention.is_organisation and mention.talk_title]
    if m := TITLE_THEN_WHO.match(body):
        if looks_like_person(m.group("entry").split(",")[0]) and len(m.group("talk").split()) >= 2:
            roles = ["keynote"] if (m.group("label") or "").lower() == "keynote" else ["speaker"]
            return _given_talk(m.group("entry"), base + m.start("entry"), m.group("talk"), roles, known, warnings)
    return _kind_then_entry(body, base, known, warnings) or []


def _given_talk(
    entry: str, at: int, talk: str, roles: list[str], known: KnownOrganisation, warnings: list[str] | None
) -> list[Mention]:
    found = read_entries(entry, at, known, roles, warnings=warnings)
    for mention in found:
        mention.talk_title = talk.strip()
    return [mention for mention in found if not mention.is_organisation]
