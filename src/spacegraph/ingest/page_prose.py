"""Facts stated in sentences: hosts, the series, a co-located event, the attendance mode, a contact, and the
people and organisations a sentence says took part ("moderated by …", "A; B; and C")."""

from __future__ import annotations

import re

from spacegraph.ingest.page_entries import (
    ROLE_LIST,
    KnownOrganisation,
    Mention,
    read_entries,
    role_names,
    strip_punctuation,
)
from spacegraph.ingest.page_lines import Line
from spacegraph.ingest.prose_people import people_in_prose
from spacegraph.names.organisations import has_institution_word, has_organisation_word, strip_acronym
from spacegraph.names.split import looks_like_person

MAX_SENTENCE_CHARS = 5_000

HOSTS = re.compile(
    r"(?:(?:co-?)?(?:hosted|organi[sz]ed|convened|sponsored)\s+(?:jointly\s+)?by|hosts?\s+(?:are|were|include[ds]?))"
    r"\s+(?P<list>[^.;:]+)",
    re.I,
)

HOSTS_BEFORE = re.compile(
    r"^(?P<list>(?:[A-Z(][^.;:]*?))\s+(?:(?:jointly|will|have|has|are|is)\s+)*(?:co-?)?(?:host(?:ed|s|ing)?|"
    r"hold|holds|held|organi[sz](?:e|es|ed|ing)|convene[sd]?|invite[sd]?|present[s]?|"
    r"(?:brought|bring|brings)(?=[^.;]*\btogether\b))\b",
)

TOGETHER_WITH = re.compile(r"\b(?:together|jointly|in\s+partnership|in\s+cooperation)\s+with\s+(?P<list>[^.;:]+)", re.I)
# An organisation's name, up to the first lower-case word that cannot be in one ("… Space Law brought some forty …")
LEADING_NAME = re.compile(
    r"^(?:[A-Z0-9(\u00C0-\u024F][\w’'.&()\u00C0-\u024F-]*|of|for|and|the|de|du|des|la|le|del|on|in|&)"
    r"(?:\s+(?:[A-Z0-9(\u00C0-\u024F][\w’'.&()\u00C0-\u024F-]*|of|for|and|the|de|du|des|la|le|del|on|in|&))*(?=\s+[a-z]|$)"
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
            r"\b(?:moderated|chaired|facilitated)\s+by\s+(?P<list>.+?)"
            r"(?=,\s+(?:were|are|who|with|which|while|brought|(?-i:[a-z]{3,}ed))\b|\.\s|\.?$|;)",
            re.I,
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

INLINE_CUE = re.compile(
    rf"(?P<cue>{ROLE_LIST}|participants|featured|included|including|with|were|are|joined\s+by)\s*(?:included|:|were|are)?\s*:?\s*$",
    re.I,
)


def tidy_name(text: str) -> str:
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


def hosts_in(sentence: str, known: KnownOrganisation) -> list[str]:
    m = HOSTS.search(sentence)
    candidates = m.group("list") if m else None
    if candidates is None and (m := HOSTS_BEFORE.search(sentence)):
        candidates = m.group("list")
    if not candidates:
        return []
    candidates = re.split(r"\s+(?:as\s+part|under|in|at|during|(?:on|for|to)(?=\s+[a-z]))\s+", candidates)[0]
    if together := TOGETHER_WITH.search(sentence):  # "… will hold its dialogue …, together with the Y Society"
        candidates += ", " + together.group("list")
    hosts = []
    for item in split_list(candidates):
        item = re.sub(r"^(?:the|both)\s+(?:[\w’'-]+-based\s+)?|^[\w’'-]+-based\s+", "", item.strip(), flags=re.I)
        if leading := LEADING_NAME.match(item):  # "… Space Law brought some forty …": the name only
            item = leading.group(0).strip()
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


def prose_participants(sentence: Line, known: KnownOrganisation, warnings: list[str] | None = None) -> list[Mention]:
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
                mentions.append(
                    Mention(name, None, None, None, org, ["speaker"], None, (at, at + len(part)), True, "prose")
                )
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
    return _with_story_people(mentions, people_in_prose(sentence, known))


def _with_story_people(mentions: list[Mention], story: list[Mention]) -> list[Mention]:
    """The mentions, and the people a story names by what they did; where both read one person, the reading that
    found an organisation (else a shorter title) is kept."""
    by_name = {m.name: m for m in story}
    kept = []
    for mention in mentions:
        other = by_name.get(mention.name)
        if other and not mention.organisation and (other.organisation or len(mention.title or "") > 60):
            kept.append(other)
            del by_name[mention.name]
        else:
            kept.append(mention)
            by_name.pop(mention.name, None)
    return kept + list(by_name.values())
