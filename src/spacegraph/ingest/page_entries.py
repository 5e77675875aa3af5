"""One participant entry (a bullet, a role line, an item of an inline list) -> the participant it names.

"NAME, Title, Organisation" and its variants: the organisation first, in brackets, "of" an organisation, roles
before or after, a talk title in quotes. Known organisations are recognised by the longest stretch of the entry
that names one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacegraph.ingest.roles import role_names
from spacegraph.names.organisations import LEGAL_FORMS, has_institution_word, has_organisation_word, has_title_word
from spacegraph.names.split import looks_like_person, split_name, strip_invisible
from spacegraph.vocab.terms import ROLE_BY_PHRASE

KnownOrganisation = Callable[[str], bool]

# Bounds on the work one page can cause (issue 13). The longest participant entry of the sources and the corpus has
# 216 characters and 32 words, the longest line 740 characters, the longest known organisation name 13 words.
MAX_ENTRY_CHARS = 1_000

MAX_ENTRY_WORDS = 150
MAX_ORGANISATION_WORDS = 16  # an organisation is recognised by a name of at most this many words

MAX_ORGANISATION_CHARS = 200  # ... and this many characters

ROLE = (
    r"(?:(?:opening|closing|welcome|welcoming|concluding|introductory|farewell)\s+(?:and\s+(?:opening|closing|concluding)\s+)?"
    r"(?:remarks|address|words)|farewell|keynote(?:\s+(?:speaker|speech|address|remarks|presentation))?|moderators?|"
    r"moderated\s+by|panell?ists?|discussants?|speakers?|presenters?|contact(?:\s+person)?|respondents?|"
    r"(?:co-)?chair(?:s|person)?|chaired\s+by|rapporteurs?|master\s+of\s+ceremonies|emcee)"
)

ROLE_LIST = rf"{ROLE}(?:\s*(?:,|and|&|/)\s*{ROLE})*"

ROLE_FIRST = re.compile(rf"^(?P<roles>{ROLE_LIST})\s*(?::|–|—|-(?=\s))\s*(?P<rest>.+)$", re.I)

ROLE_LAST = re.compile(rf"^(?P<rest>.+?)\s*(?::|–|—|\s-\s)\s*(?P<roles>{ROLE_LIST})\s*\.?$", re.I)

ROLE_HEADER = re.compile(rf"^(?P<roles>{ROLE_LIST})\s*:?\s*$", re.I)

TALK = re.compile(r"(?:^|[:.,]|\s[–—-])\s*[\"“„«](?P<talk>[^\"”“»]{3,})[\"”»]\s*\.?\s*$")

TALK_SINGLE = re.compile(r"(?:^|[:.])\s*[‘'](?P<talk>[^’']{3,})[’']\s*\.?\s*$")


# Notes in brackets that say how or whether someone takes part, not who they are
NOTE = re.compile(
    r"\s*\((?:invited|tbc|tba|tbd|to\s+be\s+confirmed|confirmed|remote(?:ly)?|online|virtual(?:ly)?|in\s+person|"
    r"by\s+video|pre-?recorded|joining\s+(?:online|remotely|virtually|by\s+video))\)",
    re.I,
)

# Nobody yet: "TBC", "Speaker TBA", "Moderator to be confirmed", "Keynote speaker to be announced"
PLACEHOLDER = re.compile(
    r"^\W*(?:(?:(?:keynote|guest|invited|panel|main|final)\s+)?(?:speakers?|moderators?|panell?ists?|chairs?|"
    r"presenters?|discussants?|guests?|names?)\s*:?\s*)?(?:tbc|tba|tbd|to\s+be\s+(?:confirmed|announced|determined|"
    r"decided|named)|n/?a)\b\W*$",
    re.I,
)

# "Dr. Ana Lind (Fjord Radar AS): Early Warning for Drifting Ice": the entry, then its talk after the colon
ENTRY_THEN_TALK = re.compile(
    r"^(?P<entry>(?P<name>[^,():\"“]{3,80}?)\s*\([^()]{2,160}\))\s*:\s+(?P<talk>[^:\"“”]{3,200})$"
)

TALK_BEFORE = re.compile(r"^\s*[\"“„«](?P<talk>[^\"”“»]{3,200})[\"”»]\s*(?:[–—:,|]|\s-)\s*")

NAME_DASH = re.compile(
    r"^(?P<name>[^,–—]{2,80}?)(?P<post>,\s*(?:Ph\.?\s?D|[KCMO]BE|MBA|Esq)\.?)?\s+[–—]\s+(?P<rest>\S.*)$"
)


def dash_after_name(text: str) -> str:
    """'Lea Holm, PhD – Lecturer, Foo University' -> 'Lea Holm, Lecturer, Foo University' (the name, a dash, the
    rest); a one-word name ("Ratnasari – Senior Analyst, …") is kept as a name."""
    m = NAME_DASH.match(text)
    if not m:
        return text
    name = m.group("name").strip()
    if looks_like_person(name) or _one_word_name(name, m.group("rest")):
        return f"{name}, {m.group('rest')}"
    return text


def _one_word_name(word: str, rest: str) -> bool:
    """A single name ("Ratnasari") before a job title: a capitalised word that is neither a title nor a body."""
    return bool(
        re.fullmatch(r"[A-Z\u00C0-\u024F][a-z\u00DF-\u024F'’-]{3,}", word)
        and not has_title_word(word)
        and not has_organisation_word(word)
        and has_title_word(rest.split(",")[0])
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
    how: str = "entry"  # read from: "entry" (a list, a programme, a table), "heading" (under a role heading), "prose"
    confidence: dict[str, float] = field(default_factory=dict)  # per field, set by ``confidence.screen_event``
    han_name: str | None = None  # the name in Han characters the page also prints ("邵明川" for "SHAO Mingchuan")


def too_long(text: str, start: int, what: str, limit: int, warnings: list[str] | None) -> bool:
    """Whether ``text`` is longer than any real entry or sentence (it is then not read, and a warning says so)."""
    words = len(text.split()) if what == "participant entry" else 0
    if len(text) <= limit and words <= MAX_ENTRY_WORDS:
        return False
    if warnings is not None:
        size = f"{len(text):,} characters" if len(text) > limit else f"{words:,} words"
        bound = f"{limit:,} characters" if len(text) > limit else f"{MAX_ENTRY_WORDS} words"
        warnings.append(f"a {what} of {size} at offset {start:,} is longer than any real one (limit {bound}): not read")
    return True


# "Label: entry", a label of one to three words before a colon, the entry after it (only kept if it names a person)
LABEL_FIRST = re.compile(r"^(?P<label>[A-Za-z][A-Za-z-]*(?: [A-Za-z-]+){0,2})\s*:\s+(?P<rest>.+)$")


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
    if too_long(text, entry_span[0], "participant entry", MAX_ENTRY_CHARS, warnings):
        return []
    visible = strip_invisible(text)
    invisible = visible != text
    text = visible.strip()
    plural = (m := ROLE_FIRST.match(text)) is not None and m.group("roles").lower().endswith("s")
    text, offset, roles = _leading_roles(text, offset, list(default_roles), known, org_first)
    if plural and (people := names_only(text, offset, roles)):  # "Panelists: A, B and Dr. C": each a participant
        return people
    text = NOTE.sub("", text)
    if PLACEHOLDER.match(text):
        return []  # "TBC", "to be announced": nobody yet
    talk = None
    if (m := ENTRY_THEN_TALK.match(text)) and looks_like_person(m.group("name")):
        talk, text = strip_punctuation(m.group("talk")), m.group("entry")
    elif m := TALK_BEFORE.match(text):  # '"Keeping a Fund Solvent" – Ana Ruiz, Fellow, …'
        talk, text = m.group("talk").strip(), text[m.end() :]
    text = dash_after_name(text)
    if ";" in text and "," in text.split(";")[0]:  # a second affiliation after ";" (the first is the one kept)
        text = text.split(";")[0]
    if not talk and (m := (TALK.search(text) or TALK_SINGLE.search(text))):
        talk = m.group("talk").strip()
        text = strip_punctuation(text[: m.start()].rstrip(" -"))
    if m := ROLE_LAST.match(text):
        roles = role_names(m.group("roles")) or roles
        text = m.group("rest")
    if talk and not any(ROLE_BY_PHRASE[r].gives_talk for r in roles):  # a talk is given in a role that gives one
        roles = [*roles, "speaker"]
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


def names_only(text: str, offset: int, roles: list[str]) -> list[Mention]:
    """A list of names and nothing else ("Tevita Fifita-Holm, Lasse Nyberg-Oduro and Dr. Amaru Quispe-Laine"),
    each a participant in ``roles`` with its own span; [] for anything else (one name, or a name and titles)."""
    parts, at = [], 0
    for sep in [*re.finditer(r"\s*(?:,\s*(?:and\s+)?|;\s*|\s+and\s+|&\s*)", text), None]:
        piece = text[at : sep.start() if sep else len(text)]
        parts.append((piece.strip().rstrip("."), at + len(piece) - len(piece.lstrip())))
        at = sep.end() if sep else at
    if len(parts) < 2 or not all(looks_like_person(p) for p, _ in parts):
        return []
    people = []
    for part, at in parts:
        person = split_name(part)
        span = (offset + at, offset + at + len(part))
        people.append(Mention(person.name, person.family, person.given, None, None, list(roles), None, span))
    return people


def _leading_roles(
    text: str, offset: int, roles: list[str], known: KnownOrganisation, org_first: bool
) -> tuple[str, int, list[str]]:
    """The entry after a leading role ("Moderator: …") or label, its offset, and the roles it gives."""
    if m := ROLE_FIRST.match(text):
        return m.group("rest"), offset + m.start("rest"), role_names(m.group("roles")) or roles
    if (m := LABEL_FIRST.match(text)) and _person_entry(m.group("rest"), known, org_first) is not None:
        # A label the role list does not know ("Video address:", "Roundtable moderator:", "Talk:"): its last role
        # word counts (the head of an English noun phrase: a panel's moderator moderates); the label is no name
        roles = next((found for word in reversed(m.group("label").split()) if (found := role_names(word))), roles)
        return m.group("rest"), offset + m.start("rest"), roles
    return text, offset, roles


def _person_entry(text: str, known: KnownOrganisation, org_first: bool) -> tuple[str, str | None, str | None] | None:
    """(name, title, organisation) from 'NAME, Title, Organisation' and its variants."""
    text = strip_punctuation(text)
    if m := re.match(r"^(?P<name>[^,(]+?)\s*\((?P<org>[^)]+)\)\s*$", text):
        if looks_like_person(m.group("name")):
            return m.group("name").strip(), None, m.group("org").strip()
    head, _, rest = text.partition(",")
    if looks_like_person(head) or _one_word_name(head.strip(), rest):
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
            rest = re.sub(r"^the\s+(?=[A-Z])", "", " ".join(words[n + 1 :]))
            title, organisation = split_affiliation(rest, known)
            return candidate, title, organisation
        candidate = " ".join(words[-n:])
        prefix = " ".join(words[:-n])
        if looks_like_person(candidate) and len(words) > n and (org_first or _affiliation_like(prefix, known)):
            title, organisation = split_affiliation(" ".join(words[:-n]), known, org_first=True)
            return candidate, title, organisation
    return None


def _affiliation_like(text: str, known: KnownOrganisation) -> bool:
    return has_title_word(text) or has_organisation_word(text) or known_span(text, known) is not None


def split_affiliation(text: str, known: KnownOrganisation, org_first: bool = False) -> tuple[str | None, str | None]:
    """'Title(s), Organisation' (or 'Title of Organisation', or 'Organisation Title') -> (title, organisation)."""
    text = strip_punctuation(text)
    if not text:
        return None, None
    found = known_span(text, known)
    if found:
        start, end = found
        organisation = text[start:end].strip(" ,")
        before = re.sub(r"\s*(?:,|\bof|\bat|\bfrom|\bwith|\bfor)\s*$", "", text[:start].strip(), flags=re.I).strip(" ,")
        after = text[end:].strip(" ,")
        titles = [t for t in (before, after) if t and re.search(r"[A-Za-z]", t)]
        return ("; ".join(titles) or None), organisation
    parts = split_list_keep_titles(text)
    if len(parts) >= 2 and LEGAL_FORMS.search(parts[-1]):  # "Head of Ground Systems, Estrella Norte S.A."
        return ", ".join(parts[:-1]), parts[-1]
    if len(parts) >= 2:
        for n, part in enumerate(parts):  # "Title of Organisation, Second Title": the first organisation named
            if m := TITLE_OF_ORG.match(part):
                if has_title_word(m.group("title")) and has_institution_word(m.group("org")):
                    titles = [m.group("title"), *parts[:n], *parts[n + 1 :]]
                    return "; ".join(titles), m.group("org")
        last = parts[-1]
        if re.match(r"^The\s+[A-Z]", last) and not has_title_word(last):  # "…, The Orbital Ledger"
            return ", ".join(parts[:-1]), last
        if LEGAL_FORMS.search(last) or (
            has_organisation_word(last) and not (has_title_word(last) and not has_organisation_word(last))
        ):
            return ", ".join(parts[:-1]), last
        if org_first and has_organisation_word(parts[0]):
            return ", ".join(parts[1:]), parts[0]
        if _titled(parts[:-1]) and _body_name(last):  # "Astronomer, Observatorio Altiplano Sur", "…, IAPE"
            return ", ".join(parts[:-1]), last
        return ", ".join(parts), None
    single = parts[0]
    if m := TITLE_OF_ORG.match(single):
        if has_title_word(m.group("title")) and has_organisation_word(m.group("org")):
            return m.group("title"), m.group("org")
    if (has_organisation_word(single) or LEGAL_FORMS.search(single)) and not has_title_word(single):
        return None, single
    if len(single.split()) >= 2 and _body_name(single) and not has_title_word(single):
        return None, single  # "Nordkapp Radar Oy", "Lofoten Wave Analytics": capitalised words, no job title
    return single, None


DEPARTMENT_END = re.compile(
    r"\b(?:affairs|policy|programs?|programmes?|operations|development|relations|strategy|research|engineering|"
    r"communications|partnerships|sales|marketing|finance|legal|compliance|products?|services)$",
    re.I,
)


def _titled(parts: list[str]) -> bool:
    return bool(parts) and has_title_word(parts[0])


def _body_name(text: str) -> bool:
    """A name that can only be a body's: capitalised words with no job title in them, not a department."""
    if has_title_word(text) or DEPARTMENT_END.search(text):
        return False
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and words[0][0].isupper() and sum(w[0].isupper() for w in words) >= max(1, len(words) - 2)


TITLE_OF_ORG = re.compile(r"^(?P<title>.+?)\s+(?:of|at|from|with)\s+(?:the\s+)?(?P<org>[A-Z].+)$")

ABBREVIATED_END = re.compile(r"\b(?:ltd|inc|co|corp|jr|sr|llc|plc|(?:[a-z]\.){1,3}[a-z])\.$", re.I)


def strip_punctuation(text: str) -> str:
    """Trim separators around an entry, keeping the period of an abbreviation ("Co., Ltd.")."""
    text = text.strip(" ,;:–—")
    while text.endswith(".") and not ABBREVIATED_END.search(text):
        text = text[:-1].rstrip(" ,;:–—")
    return text.lstrip(" .")


def split_list_keep_titles(text: str) -> list[str]:
    parts: list[str] = []
    for part in re.split(r",\s*", text):
        if parts and re.match(r"^(?:ltd|inc|llc|llp|co|corp|limited|gmbh|plc|ltda)\b\.?", part, re.I):
            parts[-1] = f"{parts[-1]}, {part}"
            if "&" in parts[-1] and len(parts) > 2 and re.fullmatch(r"[A-Z][\w'’-]+", parts[-2]):
                parts[-2:] = [f"{parts[-2]}, {parts[-1]}"]  # "Halberd, Quill & Associates, LLP" is one firm
        elif part.strip():
            parts.append(part.strip())
    return parts


ACRONYM_AFTER = re.compile(r"\s*\([^)]{1,20}\)")


def known_span(text: str, known: KnownOrganisation) -> tuple[int, int] | None:
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
