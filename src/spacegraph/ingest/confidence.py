"""How sure ingest is of each thing it read, and what it does with what it is not sure of.

Every field read gets a confidence between 0 and 1, from what the page shows around it: a participant's name (a
plausible personal name, read from a labelled entry rather than a sentence), organisation (known to the graph,
named as a body, or only a capitalised phrase), role (printed, or only the default "speaker"), talk (in quotes),
and an event's date (a `When:` field, a date line, a sentence) and place (a city the gazetteer knows, a country).
Topics carry the score they were matched to the scheme with (``topics``).

Below the threshold (the setting ``ingest_min_confidence``), nothing is guessed into the graph: a participant
whose name or role is doubtful is left out of the event, a doubtful organisation, talk, date or place is left out
of its record, and each goes to the review list (kind ``uncertain``) with its confidence and evidence, and to the
dry run's warnings. Nothing read is dropped silently.

>>> name_confidence("Ingrid Solvang", "entry")
0.95
>>> name_confidence("Ingrid Solvang", "prose")
0.8
>>> name_confidence("Room 4", "entry")
0.2
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from spacegraph.ingest.event_fields import ParsedEvent
from spacegraph.ingest.gazetteer import city_country
from spacegraph.ingest.han_entries import CHINESE_BODY
from spacegraph.ingest.inferences import ReviewItem, evidence
from spacegraph.ingest.page_entries import ROLE, Mention
from spacegraph.ingest.places import CHINESE_CITY
from spacegraph.names.organisations import LEGAL_FORMS, has_institution_word, has_organisation_word
from spacegraph.names.split import looks_like_person, strip_honorific

DEFAULT_MIN_CONFIDENCE = 0.5
FROM_PROSE = 0.15  # a name read from a sentence is that much less sure than one from a list or a programme
ROLE_WORD = re.compile(ROLE + r"|\b(?:chair(?:ed|s)?|co-chairs?|rapporteurs?|host(?:ed)?|emcee|master of ceremonies"
                       r"|remarks|presented|spoke|panel|主持|发言|致辞|嘉宾)", re.I)  # fmt: skip
DATE_FIELD = re.compile(r"\s*(?:[-*•]\s*)?(?:when|date|dates|时间|日期)\s*[:：]", re.I)
QUOTED = re.compile(r"[\"“„«‘']")


@dataclass
class Uncertain:
    """A field (or a whole participant) read less surely than the threshold: for review, not for the graph."""

    what: str  # "participant", or the field: "organisation", "talk", "start_date", "place"
    printed: str
    confidence: float
    span: tuple[int, int]
    event: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.what, "printed": self.printed, "confidence": self.confidence,
                "evidence": {"start": self.span[0], "end": self.span[1]}}  # fmt: skip


def name_confidence(name: str, how: str) -> float:
    """A participant's name: a plausible personal name (two to five name words), else a one-word name, else not."""
    bare = strip_honorific(name).strip()
    if re.search(r"\d", bare) or len(bare.split()) > 6:
        sure = 0.2
    elif looks_like_person(bare) or re.fullmatch(r"[\u3400-\u9fff·]{2,4}", bare):
        sure = 0.95
    elif len(bare.split()) == 1:
        sure = 0.6
    else:
        sure = 0.7
    return round(max(0.0, sure - (FROM_PROSE if how == "prose" else 0.0)), 2)


def organisation_confidence(organisation: str, known: Callable[[str], bool]) -> float:
    """Known to the graph; named as a body (a body word, a legal form, an acronym); or only a capitalised phrase,
    least of all two words that read as a person's name.

    >>> organisation_confidence("Karoo Orbital Forum", lambda name: False)
    0.85
    >>> organisation_confidence("Piet Botha", lambda name: False)
    0.45
    """
    if known(organisation):
        return 0.95
    if (
        has_organisation_word(organisation)
        or has_institution_word(organisation)
        or LEGAL_FORMS.search(organisation)
        or CHINESE_BODY.search(organisation)
    ):
        return 0.85
    if re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]{1,9}", organisation):  # an acronym: NASA, CNSA, JAXA
        return 0.8
    two_names = len(organisation.split()) == 2 and looks_like_person(organisation)  # "Kari Brekke": a person?
    return 0.45 if two_names else 0.65


def mention_confidence(mention: Mention, text: str, known: Callable[[str], bool]) -> dict[str, float]:
    """Each field of one participant read: name, organisation, role, talk (the fields the page gave)."""
    evidence = text[mention.span[0] : mention.span[1]]
    sure = {"name": name_confidence(mention.name, mention.how)}
    if mention.is_organisation:
        sure["name"] = organisation_confidence(mention.name, known)
    if mention.organisation:
        sure["organisation"] = organisation_confidence(mention.organisation, known)
    explicit = mention.how == "heading" or ROLE_WORD.search(evidence) or mention.roles != ["speaker"]
    sure["role"] = 0.9 if explicit else 0.7
    if mention.talk_title:
        quoted = QUOTED.search(evidence) is not None
        sure["talk"] = 0.4 if len(mention.talk_title.split()) > 40 else 0.9 if quoted else 0.75
    return sure


def known_city(city: str) -> bool:
    return city_country(city) is not None or CHINESE_CITY.fullmatch(city) is not None


def event_confidence(event: ParsedEvent, text: str) -> dict[str, float]:
    """The event's date (a labelled field, a date line, a sentence) and place (a city known to the gazetteer)."""
    sure: dict[str, float] = {}
    if event.start_date:
        span = event.evidence.get("start_date")
        said = text[span[0] : span[1]] if span else ""
        sure["start_date"] = 0.95 if DATE_FIELD.match(said) else 0.5 if not span else 0.85 if len(said) < 120 else 0.75
    if event.city:
        sure["place"] = 0.9 if known_city(event.city) or event.country else 0.6
    elif event.country:
        sure["place"] = 0.85
    return sure


def screen_event(event: ParsedEvent, text: str, threshold: float, known: Callable[[str], bool]) -> list[Uncertain]:
    """Sets the confidence of the event's fields and of each participant's, and takes out of ``event`` what is
    below ``threshold``: the doubtful fields and participants it returns, for the review list."""
    doubtful: list[Uncertain] = []
    event.confidence = event_confidence(event, text)
    for what, sure in event.confidence.items():
        if sure >= threshold:
            continue
        span = event.evidence.get(what, event.span)
        if what == "start_date":
            printed, event.start_date, event.end_date = event.start_date or "", None, None
        else:
            printed = ", ".join(p for p in (event.city, event.country) if p)
            event.city = event.country = None
        doubtful.append(Uncertain(what, printed, sure, span, event.name))
    kept = []
    for mention in event.participants:
        mention.confidence = mention_confidence(mention, text, known)
        low = {f: s for f, s in mention.confidence.items() if s < threshold}
        if "name" in low or "role" in low:
            doubtful.append(Uncertain("participant", mention.name, min(low.values()), mention.span, event.name))
            continue
        if "organisation" in low:
            doubtful.append(Uncertain("organisation", mention.organisation or "", low["organisation"],
                                      mention.span, event.name))  # fmt: skip
            mention = replace(mention, organisation=None, confidence=_without(mention.confidence, "organisation"))
        if "talk" in low:
            doubtful.append(Uncertain("talk", mention.talk_title or "", low["talk"], mention.span, event.name))
            mention = replace(mention, talk_title=None, confidence=_without(mention.confidence, "talk"))
        kept.append(mention)
    event.participants = kept
    return doubtful


def _without(confidence: dict[str, float], what: str) -> dict[str, float]:
    return {k: v for k, v in confidence.items() if k != what}


def uncertain_reviews(document: Any, edition: str, doubtful: list[Uncertain]) -> list[ReviewItem]:
    """The review list's items for what was read too unsurely to be written: its confidence and evidence."""
    return [
        ReviewItem(
            "uncertain",
            f"{u.what}: {u.printed}",
            edition,
            [],
            {**evidence(document, u.span), "field": u.what, "confidence": u.confidence},
        )  # fmt: skip
        for u in doubtful
    ]


def uncertain_warning(u: Uncertain, threshold: float) -> str:
    return (
        f"event {u.event!r}: {u.what} {u.printed!r} read with confidence {u.confidence:.2f} (below {threshold:g}): "
        "not in the graph, listed for `spacegraph review`"
    )
