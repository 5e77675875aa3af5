"""People a news story or a magazine feature says took part: "…, said D, director of Z", "D, head of X at Y,
argued …", "The keynote came from Dr. E, a licensing official", "The forum's policy lead, F, moderated".

Only names in such positions are read: a name the text merely mentions ("a deputy minister, G, told a committee")
is not a participant. Nor is one whose own clause says they were not there ("who did not attend", "was due to …
could not travel", "sent regrets") or belong to another time ("former", "predecessor", "last year").

Each pattern runs once over a sentence of bounded length: the work is linear in the page.
"""

from __future__ import annotations

import re

from spacegraph.ingest.page_entries import KnownOrganisation, Mention, strip_punctuation
from spacegraph.ingest.page_lines import Line
from spacegraph.names.organisations import has_title_word
from spacegraph.names.split import looks_like_person, split_name

TOKEN = r"[A-Z\u00C0-\u024F][\w\u00C0-\u024F'’.-]*"
PARTICLE = r"(?:van|von|de|der|den|da|del|della|di|du|la|le|bin|binti|al|ibn|dos|das)"
HONORIFIC = r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs|Sir|Dame|Amb|Ambassador|H\.E)\.?\s+)"
NAME = rf"(?P<name>{HONORIFIC}*{TOKEN}(?:\s+(?:{PARTICLE}\s+)*{TOKEN}){{1,4}})"
# An organisation's name: capitalised words and the small words between them, never running on into a person's
# honorific ("… of Accra Orbital and Mr. Yaw Darko of …")
ORG = rf"{TOKEN}(?:\s+(?:(?:of|for|and|&|de|du|des|the|on|in)\s+)?(?!{HONORIFIC}){TOKEN}){{0,8}}"

SAID_BEFORE = re.compile(rf"\b(?:said|says|added|explained|noted|argued|warned|recalled)\s+{NAME}")
# "NAME of ORG spoke": the organisation after "of" is read by AFTER, never as a name of its own
OF_ORG = rf"(?:\s+(?:of|from|at)\s+(?:the\s+)?{ORG})?"
VERB_AFTER = re.compile(
    rf"{NAME}(?P<appositive>,\s+[^,;“”\"]{{3,120}},|{OF_ORG}),?\s+(?:also\s+|later\s+|then\s+)?"
    r"(?P<verb>argued|warned|said|says|noted|explained|presented|moderated|chaired|opened|closed|spoke|described|"
    r"added|gave|delivered|introduced|welcomed|answered|thanked|summed\s+up|wrapped\s+up|pointed\s+out|"
    r"told\s+the\s+(?:audience|room|forum|panel|participants|workshop|meeting))\b"
)
BY_ROLE = re.compile(
    rf"\b(?P<cue>came\s+from|(?:given|delivered|read|opened|closed|moderated|chaired|introduced)\s+by|remarks\s+from|"
    rf"(?:welcome|welcoming\s+(?:remarks|words)|welcome\s+(?:address|words)|opening\s+(?:remarks|address|words)|"
    rf"closing\s+(?:remarks|words)|keynote(?:\s+address)?)\s+(?:from|by)|"
    rf"with\s+(?:remarks|contributions)\s+from|(?i:(?:also\s+)?on\s+the\s+panel\s*(?:were|was|:))|"
    rf"(?i:panell?ists\s*(?:were|:))|(?i:the\s+panel(?:lists)?\s+(?:were|was|included|featured))|"
    rf"(?i:(?:speakers?|presenters?)(?:\s+at\s+the\s+\w+)?\s+(?:included|were|was|featured))|"
    rf"(?i:presentations?\s+(?:were|was)\s+(?:given|made|delivered)\s+by)|heard\s+from|brought\s+together|"
    rf"(?i:moderating(?:\s+the(?:\s+\w+){{1,2}})?\s+was))\s+{NAME}"
)
# Between two names of an enumeration ("Mr. A of X, Dr. B of Y, and Ms. C of Z")
NEXT_NAME = re.compile(rf"(?:,\s+(?:and\s+)?|\s+and\s+)(?:from\s+)?{NAME}")
# Words before a name that make it an organisation's slot ("… of Han River Geodata")
ORG_SLOT = re.compile(r"\bof\s+(?:the\s+)?$")
AFTER = re.compile(
    rf"^(?:,\s+(?:the\s+|an?\s+)?(?P<title>[A-Za-z][\w -]{{2,60}}?)\s+(?:of|at|for|with)\s+(?:the\s+)?(?P<org>{ORG})"
    rf"|,\s+the\s+(?P<org2>{ORG})[’']s\s+(?P<title2>[a-z][\w -]{{2,40}}?)(?=[,.;]|\s+who\b)"
    rf"|\s+(?:of|from)\s+(?:the\s+)?(?P<org3>{ORG})|\s*\((?P<org6>{ORG})\)"
    rf"|,\s+(?:the\s+|an?\s+)(?P<title4>[a-z][\w -]{{2,40}}?)(?=[,.;]|\s+who\b)"
    rf"|,\s+who\s+(?:heads|leads|directs|runs|chairs|founded|co-founded|manages)\s+(?:the\s+)?(?P<org5>{ORG})"
    rf"|,\s+the\s+(?P<ref>[a-z]+)[’']s\s+(?:own\s+)?(?P<title5>[a-z][\w -]{{2,40}}?)(?=[,.;]|\s+who\b))"
)
BEFORE = re.compile(
    rf"(?:the\s+)?(?P<org>{ORG})[’']s\s+(?:own\s+)?(?P<title>[a-z][\w -]{{2,40}}),\s+$|\b(?:the|an?)\s+"
    rf"(?P<title2>[a-z][\w -]{{2,40}}),\s+$|\b(?P<ref>[a-z]+)[’']s\s+(?:own\s+)?(?P<title3>[a-z][\w -]{{2,40}}),\s+$"
)
NOT_THERE = re.compile(
    r"\b(?:did\s+not\s+(?:attend|come|travel)|could\s+not\s+(?:attend|travel|come|join|be\s+there)|unable\s+to|"
    r"was\s+due\s+to|were\s+due\s+to|withdr[ae]w|sent\s+(?:his|her|their)\s+regrets|regrets|absent|former|"
    r"predecessor|last\s+year|previously|co-?authored|not\s+present)\b",
    re.I,
)
TALK_TITLED = re.compile(r"\b(?:titled|entitled|called)\s+[\"“](?P<talk>[^\"”]{3,200})[\"”]")


def _roles(text: str) -> list[str]:
    """The roles a clause names: 'After the keynote' -> keynote, 'on the panel were' -> panelist."""
    low = text.lower()
    roles = []
    session = r"(?!\s+(?:discussion|panel|session|roundtable|debate|dialogue|conversation))"  # "the closing panel"
    if re.search(rf"\bopen(?:ed|ing)\b{session}|\bwelcom", low):
        roles.append("opening remarks")
    if "keynote" in low:
        roles.append("keynote")
    if re.search(r"\bmoderat|\bchair(?:ed)?\b", low):
        roles.append("moderator")
    if re.search(rf"\bclos(?:ed|ing)\b{session}", low):
        roles.append("closing remarks")
    if not roles and re.search(r"\bpanel", low):
        roles.append("panelist")
    return roles


def _clause_after(text: str, end: int) -> str:
    """The text from a name to the end of its clause: a semicolon, a sentence end or the next quotation."""
    m = re.search(r"[;“\"]|\.\s", text[end:])
    return text[end : end + m.start()] if m else text[end:]


def _clause_before(text: str, start: int) -> str:
    """The text of the clause that ends at ``start``: back to the last comma, semicolon or the sentence's start."""
    head = text[:start]
    cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"))
    return head[cut + 1 :]


def _verb_clause(text: str, m: re.Match[str]) -> str:
    """A verb and what follows it to the clause's end ("spoke on the second panel")."""
    rest = text[m.start("verb") :]
    cut = re.search(r"[,;“\"]|\.\s", rest)
    return rest[: cut.start()] if cut else rest


def _opening_phrase(text: str, start: int) -> str:
    """'Closing the event, ' before the sentence's first name: a phrase that sets that person's role."""
    head = text[:start]
    return (
        head if len(head) <= 60 and head.rstrip().endswith(",") and not re.search(r"[A-Z][a-z]+\s+[A-Z]", head) else ""
    )


def _named(pattern: re.Pattern[str], m: re.Match[str], text: str) -> list[tuple[re.Match[str], list[str]]]:
    """The names one match gives, each with the roles of its own clause; a panel's cue reads its whole enumeration."""
    if pattern is SAID_BEFORE:
        return [(m, _roles(_clause_after(text, m.end("name"))))]
    if pattern is VERB_AFTER:
        roles = _roles(_verb_clause(text, m)) or _roles(_opening_phrase(text, m.start("name")))
        return [(m, roles)]
    roles = _roles(_clause_before(text, m.start("cue")) + " " + m.group("cue"))
    if not roles and re.match(r"^(?:the\s+)?panel\b", text, re.I):  # "The panel, chaired by A, brought together B"
        roles = ["panelist"]
    out = [(m, roles)]
    at = m.end("name")
    while len(out) < 12:
        nxt = NEXT_NAME.match(text, at + _affiliation_end(text[at:]))
        if not nxt or not looks_like_person(nxt.group("name")):
            break
        out.append((nxt, roles))
        at = nxt.end("name")
    return out


def _affiliation_end(after: str) -> int:
    """Where the affiliation after a name ends (0 without one), before a next person joined by "and"."""
    m = AFTER.match(after)
    if not m:
        return 0
    group = next((g for g in ("org", "org2", "org3", "org5", "org6") if m.group(g)), None)
    if group and (cut := _cut_at_person(m.group(group))) != m.group(group):
        return m.start(group) + len(cut)
    return m.end()


def _cut_at_person(organisation: str) -> str:
    """'Rwanda Soil Institute and Claudine Uwase' -> 'Rwanda Soil Institute': an organisation's name does not run
    on into the next person of an enumeration."""
    for m in re.finditer(r"\s+and\s+", organisation):
        words = organisation[m.end() :].split()
        if any(
            looks_like_person(" ".join(words[:n])) and (len(words) == n or words[n] in ("of", "from", "at"))
            for n in (2, 3, 4)
        ):
            return organisation[: m.start()]
    return organisation


def people_in_prose(sentence: Line, known: KnownOrganisation) -> list[Mention]:
    """The participants a sentence of a story names by what they did at the event."""
    text = sentence.text
    found: dict[str, Mention] = {}
    for pattern in (SAID_BEFORE, VERB_AFTER, BY_ROLE):
        for match in pattern.finditer(text):
            for m, roles in _named(pattern, match, text):
                name = re.sub(r"(?<=\w\w\w)\.$", "", m.group("name"))  # "… by Efua Mensah." ends a sentence
                before = text[max(0, m.start("name") - 80) : m.start("name")]
                if not looks_like_person(name) or ORG_SLOT.search(before):
                    continue
                person = split_name(name)
                clause = _clause_after(text, m.end("name"))
                if person.name in found or NOT_THERE.search(clause) or NOT_THERE.search(before[-40:]):
                    continue
                found[person.name] = _mention(
                    sentence, m, person, clause, roles, _affiliation(before, text[m.end("name") :], known)
                )
    return list(found.values())


def _mention(sentence: Line, m: re.Match[str], person, clause: str, roles: list[str], affiliation) -> Mention:
    talk = TALK_TITLED.search(clause)
    roles = list(roles) or ["speaker"]
    if talk and "speaker" not in roles:
        roles.append("speaker")
    span = (sentence.start + m.start("name"), sentence.start + m.end("name") + len(clause))
    title, organisation = affiliation
    talk_title = talk.group("talk").strip() if talk else None
    return Mention(person.name, person.family, person.given, title, organisation, roles, talk_title, span, how="prose")


def _affiliation(before: str, after: str, known: KnownOrganisation) -> tuple[str | None, str | None]:
    if m := AFTER.match(after):
        if m.group("ref"):  # "NAME, the centre's research director": which centre is decided with the page's hosts
            return f"the {m.group('ref')}'s {m.group('title5')}", None
        title = m.group("title") or m.group("title2") or m.group("title4")
        organisation = m.group("org") or m.group("org2") or m.group("org3") or m.group("org5") or m.group("org6")
        if title and not has_title_word(title) and not re.search(r"\b(?:official|expert|lawyer)\b", title):
            title = None
        if organisation:
            organisation = _cut_at_person(organisation)
            organisation = re.sub(r"\s+(?:in|on|the|of|for|and)$", "", organisation)
            organisation = strip_punctuation(re.split(r"\s+in\s+(?=[A-Z])", organisation)[0])  # "… in Luanda"
        return title, organisation
    if m := BEFORE.search(before):
        if m.group("title3"):  # "the forum's own policy lead": which forum is decided with the page's hosts
            return f"the {m.group('ref')}'s {m.group('title3')}", None
        title = m.group("title") or m.group("title2")
        return (title if m.group("title") or has_title_word(title) else None), m.group("org")  # not "the session"
    return None, None


POSSESSIVE_TITLE = re.compile(r"^the\s+(?P<ref>[\w-]+)[’']s\s+(?:own\s+)?(?P<title>.+)$", re.I)


def refer_to_hosts(mentions: list[Mention], hosts: list[str]) -> None:
    """'the Council's secretary-general' on a page whose host is the Nordlys Orbital Council: the title is
    'secretary-general' and the organisation that council (when one host alone ends with the word)."""
    for mention in mentions:
        if mention.organisation or not mention.title or not (m := POSSESSIVE_TITLE.match(mention.title)):
            continue
        names = [re.sub(r"^[\w-]+-based\s+|\s*\([^)]*\)\s*$", "", host).strip() for host in hosts]
        matches = [name for name in names if name.split() and name.split()[-1].lower() == m.group("ref").lower()]
        mention.title = m.group("title")
        if len(matches) == 1:
            mention.organisation = matches[0]


def share_affiliation(mentions: list[Mention]) -> None:
    """A story names a person a second time without their organisation ("Ana Lind later closed the event"): that
    entry takes the title and organisation the page gave them first."""
    first: dict[str, Mention] = {}
    for mention in mentions:
        if mention.organisation and not mention.is_organisation:
            first.setdefault(mention.name, mention)
    for mention in mentions:
        if mention.how == "prose" and not mention.organisation and not mention.title and mention.name in first:
            mention.title, mention.organisation = first[mention.name].title, first[mention.name].organisation
