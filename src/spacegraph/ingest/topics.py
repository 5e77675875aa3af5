"""What an event is about: the phrases a page gives for it, matched to the project's SKOS topic scheme.

A page says what an event is about in a few ways: a "Topics:" (or "Themes:", "主题：") line, a sentence ("the
dialogue focused on …", "discussions covered …", "participants discussed …"), and the titles of its sessions and
panels ("Session 2 – Governance in the Mediterranean", "Panel: Paying for Ocean Data"). Each phrase, with the span
it was read from, is matched to the scheme's concepts by their labels (``skos:prefLabel`` in English and Chinese,
``skos:altLabel``): the same words, or a label that the phrase contains. A match is taken into the graph
(``schema:about``) when it is sure enough (``TOPIC_THRESHOLD``); a phrase that matches nothing well enough is a
proposed new concept, for review, with the concepts that share its words as possible broader topics. Nothing is
added to the scheme by ingest: a concept needs an English and a Chinese label that a curator gives.

>>> scheme = TopicScheme([Concept("t:stm", "space traffic management", "空间交通管理", ("STM",), ())])
>>> [(m.phrase, m.concept.label, m.score) for m in scheme.match_all([("Space Traffic Management", (0, 24))])]
[('Space Traffic Management', 'space traffic management', 1.0)]
>>> [p for p, _ in topic_phrases("Topics: launch licensing; radio spectrum, and debris.", (0, 53))]
['launch licensing', 'radio spectrum', 'debris']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacegraph.names.split import looks_like_person
from spacegraph.vocab.sparql import PREFIX_HEADER

TOPIC_THRESHOLD = 0.75  # a match at least this sure goes into the graph; below it, to the review list
MAX_LINE_CHARS = 2_000  # a longer "line" (a flattened page) is read sentence by sentence, each at most this long
MAX_PHRASE_WORDS = 16
MAX_TOPICS = 40  # phrases kept per event
NEAR_MIN = 0.3  # a concept sharing less of its words with a phrase is not offered as near it

TOPICS = (
    PREFIX_HEADER
    + """
SELECT ?iri ?en ?zh ?alt ?broader WHERE {
  ?iri a skos:Concept .
  OPTIONAL { ?iri skos:prefLabel ?en FILTER(lang(?en) = "en") }
  OPTIONAL { ?iri skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }
  OPTIONAL { ?iri skos:altLabel ?alt }
  OPTIONAL { ?iri skos:broader ?broader }
}
"""
)

_LIST_LINE = re.compile(
    r"^\s*(?:key\s+|main\s+|discussion\s+|agenda\s+)?(?:topics?|themes?|subjects?|focus(?:\s+areas?)?|issues)"
    r"(?:\s+(?:include|included|covered|discussed|were|are))?\s*[:：]\s*(?P<list>.+)$",
    re.I,
)
_ZH_LIST = re.compile(r"(?:主题|议题|话题|研讨内容|讨论内容)\s*[:：]\s*(?P<list>[^。\n]+)")
_ZH_AROUND = re.compile(
    r"围绕(?P<list>[^。，；\n]{2,80}?)(?:等(?:问题|议题|话题|主题|方面)?|问题|议题|话题|主题|(?=展开|进行|开展|交换|深入))"
)
_SUBJECT = (
    r"(?:dialogue|workshop|discussions?|panels?|sessions?|conference|forum|roundtable|round-table|summit|meeting|"
    r"event|talks|debate|conversation|webinar|symposium|speakers|participants|panellists|panelists|programme|"
    r"program|agenda|it|they)"
)
_VERB = (
    r"(?:focus(?:ed|ing|sed|sing|es)?\s+on|cent(?:red|ered)\s+on|concentrated\s+on|(?:was|were|is|are)\s+devoted\s+to|"
    r"(?:was|were|is|are)\s+dedicated\s+to|explored|examined|addressed|discussed|covered|tackled|looked\s+at|"
    r"(?:will|to|would)\s+(?:discuss|explore|examine|address|cover|focus\s+on|look\s+at)|looks?\s+at|turned\s+to|"
    r"(?:on|under)\s+the\s+theme(?:\s+of)?)"
)
_SENTENCE = re.compile(rf"\b{_SUBJECT}\b[^.;:!?]{{0,80}}?\b{_VERB}\s+(?P<list>[^.!?\n:]+)", re.I)
# "This year the dialogue will look at:" or "Topics:" at a line's end: the bullets below are the list
_INTRO = re.compile(
    rf"(?:\b{_SUBJECT}\b[^.;!?]{{0,80}}?\b{_VERB}|^\s*(?:key\s+|main\s+)?(?:topics?|themes?|issues))\s*[:：]\s*$", re.I
)
_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*+-]|\d{1,2}[.)])\s+(?P<list>\S.*)$")
MAX_BULLETS = 12
_SESSION = re.compile(
    r"^\s*[*_]*(?:\[?\d{1,2}[:.]\d{2}(?:\s*[-–—]\s*\d{1,2}[:.]\d{2})?\]?[*_]*\s*[|·:-]?\s*)?"
    r"(?:closing\s+|opening\s+|high-level\s+|plenary\s+)?(?:session|panel|track|roundtable|round\s+table|plenary)"
    r"(?:\s+(?:[IVX]{1,4}|\d{1,2}|[A-Z]))?(?:\s*\([^)]{0,30}\))?\s*(?::|–|—|\||-(?!-))\s*(?P<list>.+)$",
    re.I,
)
# A panel or session title inside a long line (a flattened page): "… 10:00 Panel 1: Financing Ground Infrastructure
# Moderator: …"; the title ends where a role label, a time or the line does.
_INLINE_SESSION = re.compile(
    r"\b(?:Session|Panel|Track|Roundtable)\s+(?:[IVX]{1,4}|\d{1,2}|[A-Z])\s*[:–—]\s*(?P<list>[A-Z][^:;]{2,90}?)"
    r"(?=\s+(?:Moderator|Chair|Chaired|Speakers?|Panel(?:l)?ists?|Discussants?|Keynote)\b|\s+\d{1,2}[:.]\d{2}|\s*$)"
)
# The words of an event's name that say what kind of event it is, not what it is about.
_EVENT_WORDS = re.compile(
    r"\b(?:\d{4}|\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|annual|international|dialogue|workshop|"
    r"roundtable|round-table|round table|summit|conference|symposium|forum|webinar|seminar|panel|meeting|colloquium|"
    r"series|edition|session|report\s+launch|policy|online|virtual|agenda|programme|program|booklet|final|draft|speakers|updated|"
    r"announcement|announced|recap|highlights|opens|held|concluded|convened)\b",
    re.I,
)
_KIND_OF_EVENT = re.compile(
    r"\b(?:dialogue|workshop|roundtable|round-table|summit|conference|symposium|forum|webinar|seminar|panel|"
    r"colloquium|meeting|report\s+launch)\b",
    re.I,
)
_TRAILING_WORDS = re.compile(r"(?:\s+(?:\d{4}|announced|held|opens|concluded|convened|updated))+\s*$", re.I)
_ABOUT_IN_NAME = re.compile(
    r"\b(?:dialogue|workshop|roundtable|summit|conference|symposium|forum|webinar|seminar|panel|colloquium)\s+"
    r"(?:on|about|for)\s+(?P<list>.+)$",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:;|•|·|\||,\s*(?:and|or)\s+|,|、|，|；)\s*")
_TRAILING = re.compile(r"\s*\((?:panel|discussion|keynote|roundtable|q&a)\)\s*$", re.I)
_LEADING = re.compile(r"^(?:and|or|also|including|such as|issues such as|questions of|how to)\s+", re.I)
_STOP = frozenset(
    "a an the of and or for in on to with by from at as its their our what who whom whose how why is are be "
    "between into over under about after before this that these those".split()
)


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str  # the English prefLabel
    zh: str | None
    alt: tuple[str, ...]
    broader: tuple[str, ...]


@dataclass(frozen=True)
class TopicMatch:
    phrase: str
    span: tuple[int, int]
    concept: Concept | None  # None: nothing fits; a new concept is proposed
    score: float  # how sure the match is, 0..1
    candidates: tuple[tuple[Concept, float], ...] = ()  # near concepts (possible broader topics of a new one)

    @property
    def sure(self) -> bool:
        return self.concept is not None and self.score >= TOPIC_THRESHOLD


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    words = re.findall(r"[^\W_]+", text)
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def _content(normalised: str) -> set[str]:
    return {w for w in normalised.split() if w not in _STOP}


class TopicScheme:
    """The scheme's concepts, indexed by their normalised labels."""

    def __init__(self, concepts: list[Concept]):
        self.concepts = concepts
        self.by_label: dict[str, Concept] = {}
        for concept in concepts:
            for label in (concept.label, concept.zh, *concept.alt):
                if label and _norm(label):
                    self.by_label.setdefault(_norm(label), concept)

    @classmethod
    def from_store(cls, store: Any) -> TopicScheme:
        rows: dict[str, dict[str, Any]] = {}
        for solution in store.query(TOPICS):
            iri = solution["iri"].value
            row = rows.setdefault(iri, {"en": None, "zh": None, "alt": [], "broader": []})
            for key in ("en", "zh"):
                if solution[key] is not None:
                    row[key] = solution[key].value
            for key in ("alt", "broader"):
                term = solution[key]
                if term is not None and term.value not in row[key]:
                    row[key].append(term.value)
        return cls(
            [
                Concept(iri, r["en"] or r["zh"] or iri, r["zh"], tuple(r["alt"]), tuple(r["broader"]))
                for iri, r in sorted(rows.items())
                if r["en"] or r["zh"]
            ]
        )

    def match(self, phrase: str, span: tuple[int, int]) -> TopicMatch:
        key = _norm(phrase)
        exact = self.by_label.get(key)
        if exact is not None:
            return TopicMatch(phrase, span, exact, 1.0)
        contained = self._contained(key)
        if contained is not None:
            return TopicMatch(phrase, span, contained, 0.8)
        near = self._near(key)
        if near and near[0][1] >= TOPIC_THRESHOLD:
            return TopicMatch(phrase, span, near[0][0], near[0][1], tuple(near[1:3]))
        return TopicMatch(phrase, span, None, near[0][1] if near else 0.0, tuple(near[:3]))

    def match_all(self, phrases: list[tuple[str, tuple[int, int]]]) -> list[TopicMatch]:
        return [self.match(phrase, span) for phrase, span in phrases]

    def in_title(self, title: str, span: tuple[int, int]) -> list[TopicMatch]:
        """The concepts whose labels an event's title contains ("Space Traffic Management Conference")."""
        key = f" {_norm(title)} "
        found: list[TopicMatch] = []
        for label, concept in self.by_label.items():
            if len(label.split()) >= 2 and f" {label} " in key and concept not in [m.concept for m in found]:
                found.append(TopicMatch(title, span, concept, 0.8))
        return found

    def _contained(self, key: str) -> Concept | None:
        """The longest label of two or more words the phrase holds as whole words (Chinese: as characters)."""
        padded = f" {key} "
        best: tuple[int, Concept] | None = None
        for label, concept in self.by_label.items():
            whole = len(label.split()) >= 2 and f" {label} " in padded
            han = len(label) >= 4 and not label.isascii() and " " not in label and label in key
            if (whole or han) and (best is None or len(label) > best[0]):
                best = (len(label), concept)
        return best[1] if best else None

    def _near(self, key: str) -> list[tuple[Concept, float]]:
        """Concepts sharing content words with the phrase, by the share of words in common (Dice), best first."""
        words = _content(key)
        if not words:
            return []
        scores: dict[str, tuple[Concept, float]] = {}
        for label, concept in self.by_label.items():
            theirs = _content(label)
            if not theirs:
                continue
            score = round(2 * len(words & theirs) / (len(words) + len(theirs)), 2)
            if score >= NEAR_MIN and score > scores.get(concept.iri, (concept, 0.0))[1]:
                scores[concept.iri] = (concept, score)
        return sorted(scores.values(), key=lambda pair: (-pair[1], pair[0].label))


def topic_phrases(text: str, span: tuple[int, int]) -> list[tuple[str, tuple[int, int]]]:
    """The phrases that ``text[span[0]:span[1]]`` gives as what its event is about, each with its own span."""
    found: list[tuple[str, tuple[int, int]]] = []
    seen: set[str] = set()
    pieces = _pieces(text, span)
    for n, (start, end) in enumerate(pieces):
        piece = text[start:end]
        matches: list[tuple[re.Match[str], int]]
        if _INTRO.search(piece):
            bullets = [(_BULLET.match(text[a:b]), a) for a, b in pieces[n + 1 : n + 1 + MAX_BULLETS]]
            matches = _while_matched(bullets)
        elif session := _SESSION.match(piece):
            matches = [] if _names_a_person(session.group("list")) else [(session, start)]
        elif line := _LIST_LINE.match(piece):
            matches = [(line, start)]
        else:
            found_in = [*_ZH_LIST.finditer(piece), *_ZH_AROUND.finditer(piece), *_SENTENCE.finditer(piece)]
            found_in += _INLINE_SESSION.finditer(piece)
            matches = [(m, start) for m in found_in]
        for match, at in matches:
            whole = match.re in (_SESSION, _INLINE_SESSION)
            items = _items(match.group("list"), at + match.start("list"), whole=whole)
            for phrase, (a, b) in items:
                if _norm(phrase) not in seen and len(found) < MAX_TOPICS:
                    seen.add(_norm(phrase))
                    found.append((phrase, (a, b)))
    return found


def event_phrases(
    text: str, span: tuple[int, int], name: str, talks: Sequence[tuple[str, tuple[int, int]]] = ()
) -> list[tuple[str, tuple[int, int]]]:
    """What the event's name says it is about, what its part of the page says (``topic_phrases``), then the
    titles of its talks (each ``(title, span of its entry)``), each phrase once."""
    titled = title_topic(name, text)
    found = topic_phrases(text, span)
    if titled:
        found.insert(0, titled)
    for title, (start, end) in talks:
        at = text.find(title, start, end)
        if at >= 0 and len(title.split()) <= MAX_PHRASE_WORDS:
            found.append((title, (at, at + len(title))))
    unique: dict[str, tuple[str, tuple[int, int]]] = {}
    for phrase, at_span in found:
        unique.setdefault(_norm(phrase), (phrase, at_span))
    return list(unique.values())[:MAX_TOPICS]


def title_topic(name: str, text: str) -> tuple[str, tuple[int, int]] | None:
    """What an event's name says it is about ("Workshop on Export Controls" -> "Export Controls"; "Lunar Resource
    Rights Summit 2021" -> "Lunar Resource Rights"), with a span where the page prints it; None if the name says
    nothing more than what kind of event it is, or the page does not print it."""
    if not _KIND_OF_EVENT.search(name):  # a headline ("Regulators compare notes in Cape Town"), not a name
        return None
    parts = re.split(r"\s*(?::|\||\s[–—-]\s)\s*", name)  # on a tie, the subtitle: "Series 2023: Perspectives on …"
    part = max(reversed(parts), key=lambda p: len(_content(_norm(_EVENT_WORDS.sub(" ", p)))))
    about = _ABOUT_IN_NAME.search(part)
    words = (about.group("list") if about else _EVENT_WORDS.sub(" ", part)).split()
    phrase = " ".join(words).strip(' -–—,.&"“”')
    phrase = _EVENT_WORDS.sub(" ", phrase).strip() if not about else _TRAILING_WORDS.sub("", phrase)
    phrase = re.sub(r"^(?:the|a|an)\s+", "", " ".join(phrase.split()).strip(" -–—,.&"), flags=re.I)
    if not re.search(r"[a-z]{3}", phrase) or len(phrase.split()) > MAX_PHRASE_WORDS or len(_content(_norm(phrase))) < 1:
        return None
    at = text.lower().find(phrase.lower(), 0, 200_000)
    return (text[at : at + len(phrase)], (at, at + len(phrase))) if at >= 0 else None


def _while_matched(matches: list[tuple[re.Match[str] | None, int]]) -> list[tuple[re.Match[str], int]]:
    out = []
    for match, at in matches:
        if match is None:
            break
        out.append((match, at))
    return out


def _names_a_person(title: str) -> bool:
    """A "session" line that lists people ("Panel: Dr. A (X) · B"), or a room, rather than giving a title."""
    return bool(
        re.match(r"\s*(?:room|hall|salle|auditorium)\b", title, re.I)
        or re.search(r"(?:^|\s)(?:Dr|Prof|Mr|Ms|Mrs|Amb|H\.E)\.?\s+[A-Z]|·", title)
        or (re.search(r"\)\s*[,;]", title) and looks_like_person(title.split("(")[0]))
    )


def _pieces(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """The lines of the span; a line longer than ``MAX_LINE_CHARS`` cut into sentences (each at most that long)."""
    pieces = []
    for line in re.finditer(r"[^\n]+", text[span[0] : span[1]]):
        start, end = span[0] + line.start(), span[0] + line.end()
        if end - start <= MAX_LINE_CHARS:
            pieces.append((start, end))
            continue
        for sentence in re.finditer(rf"[^.!?]{{1,{MAX_LINE_CHARS}}}[.!?]?", text[start:end]):
            pieces.append((start + sentence.start(), start + sentence.end()))
    return pieces


def _items(listed: str, offset: int, whole: bool = False) -> list[tuple[str, tuple[int, int]]]:
    """The phrases of a list ("a; b, and c"), cleaned, each with its span in the document (``whole``: one title)."""
    items = []
    position = 0
    for part in [listed] if whole else _SPLIT.split(listed):
        at = listed.find(part, position)
        position = at + len(part)
        phrase = _LEADING.sub("", _TRAILING.sub("", part.strip(" \t*_\"“”‘’'.:-–—?!")))
        phrase = phrase.strip(" \t*_\"“”‘’'.:-–—?!")
        if not phrase or len(phrase.split()) > MAX_PHRASE_WORDS or not re.search(r"[^\W\d_]{3}", phrase):
            continue
        start = offset + at + part.find(phrase) if phrase in part else offset + at
        items.append((phrase, (start, start + len(phrase))))
    return items


__all__ = ["TOPIC_THRESHOLD", "Concept", "TopicMatch", "TopicScheme", "event_phrases", "title_topic", "topic_phrases"]
