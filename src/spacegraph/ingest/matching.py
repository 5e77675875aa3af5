"""Entity resolution for ingest: a printed name against the people and organisations the graph already holds.

Levels, from surest to least: ``exact`` (the canonical name), ``alias`` (a known alias, acronym or misspelling,
or the same words in another order), ``fuzzy`` (a close spelling of exactly one known entity: accepted, and the
printed form kept as an alias), ``review`` (doubtful: the new entity stays separate and the candidates go to the
review list), ``new``. Similarity is difflib's ratio on folded names, with common abbreviations expanded.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from spacegraph.ingest.organisations import strip_acronym
from spacegraph.ingest.records import OrganisationRecord, PersonRecord
from spacegraph.ingest.resolve import name_key
from spacegraph.iris import fold

ABBREVIATIONS = {
    "fdn": "foundation", "found": "foundation", "intl": "international", "int'l": "international",
    "univ": "university", "inst": "institute", "natl": "national", "nat'l": "national", "assn": "association",
    "assoc": "association", "acad": "academy", "tech": "technology", "corp": "corporation", "dept": "department",
    "ctr": "center", "centre": "center", "soc": "society", "sci": "science", "admin": "administration",
}  # fmt: skip
ACCEPT = {"organisation": 0.92, "person": 0.92}
MAX_CANDIDATES = 100
REVIEW = 0.8
MARGIN = 0.05


@dataclass
class Match:
    level: str  # exact, alias, fuzzy, review or new
    record: Any  # OrganisationRecord or PersonRecord: the match, or the new entity
    candidates: list[tuple[Any, float]] = field(default_factory=list)  # for review: (record, score)


def similarity_key(name: str) -> str:
    words = re.findall(r"[a-z0-9']+", fold(strip_acronym(name)[0]))
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def _sorted_key(name: str) -> str:
    return "".join(sorted(tokens_with_digits(name)))


NameKeys = tuple[str, str, str, frozenset[str], str, tuple[str, ...]]


class Matcher:
    """Finds the record a printed name refers to, among ``records`` (organisations or people).

    The keys of every name are computed once per record (``self.keys``); the lookup tables are rebuilt from them
    cheaply, so that a commit can replace a few records without computing every key again, and so that only
    the keys are pickled with the store's name index.
    """

    def __init__(self, kind: str, records: list[Any], rejected: set[tuple[str, str]] | None = None):
        self.kind = kind
        self.rejected = rejected or set()  # (printed name key, candidate IRI) pairs a reviewer said differ
        self.keys: dict[str, tuple[Any, list[NameKeys]]] = {}
        for record in records:
            self.keys[_identity(record)] = (record, _record_keys(record))
        self._index()

    def __getstate__(self) -> dict[str, Any]:
        return {"kind": self.kind, "keys": self.keys}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.kind, self.keys, self.rejected = state["kind"], state["keys"], set()
        self._index()

    def replaced(self, iris: set[str], records: list[Any]) -> Matcher:
        """A matcher in which the records of ``iris`` are replaced by ``records``."""
        other = Matcher.__new__(Matcher)
        other.kind, other.rejected = self.kind, self.rejected
        other.keys = {k: v for k, v in self.keys.items() if k not in iris}
        for record in records:
            other.keys[_identity(record)] = (record, _record_keys(record))
        other._index()
        return other

    @property
    def records(self) -> list[Any]:
        return [record for record, _ in self.keys.values()]

    def _index(self) -> None:
        self.canonical: dict[str, Any] = {}
        self.aliases: dict[str, Any] = {}
        # every name of every record, blocked by word prefixes, so that a name is compared only with names that
        # share one (Christensen, Christenson: "chri")
        self.similarity: list[tuple[Any, str, str, frozenset[str]]] = []
        self.blocks: dict[str, list[int]] = {}
        for record, names in self.keys.values():
            for n, (name, key, similarity, tokens, sorted_key, blocks) in enumerate(names):
                (self.canonical if n == 0 else self.aliases).setdefault(key, record)
                if self.kind == "person":
                    self.aliases.setdefault(sorted_key, record)
                for block in blocks:
                    self.blocks.setdefault(block, []).append(len(self.similarity))
                self.similarity.append((record, name, similarity, tokens))

    def lookup(self, printed: str) -> Match | None:
        """An exact or alias match only: cheap enough to try on every stretch of an entry."""
        key = name_key(printed)
        if key in self.canonical:
            return Match("exact", self.canonical[key])
        if key in self.aliases:
            return Match("alias", self.aliases[key])
        if self.kind == "person" and (sorted_key := _sorted_key(printed)) in self.aliases:
            return Match("alias", self.aliases[sorted_key])
        return None

    def match(self, printed: str) -> Match | None:
        """The match for ``printed``, or None when it is new (the caller makes the new record)."""
        return self.lookup(printed) or self._fuzzy(printed, name_key(printed))

    def _fuzzy(self, printed: str, key: str) -> Match | None:
        target = similarity_key(printed)
        scores: dict[int, tuple[Any, float]] = {}
        closest: dict[int, str] = {}
        matcher = difflib.SequenceMatcher(None, "", target)
        floor = REVIEW - 0.1
        printed_tokens = _tokens(printed)
        blocks = _blocks(target)
        candidates = (
            sorted({i for block in blocks for i in self.blocks.get(block, ())})
            if blocks
            else range(len(self.similarity))
        )
        for index in candidates:
            record, name, name_similarity_key, name_tokens = self.similarity[index]
            if (key, str(record.iri)) in self.rejected:
                continue
            matcher.set_seq1(name_similarity_key)
            # the quick upper bounds skip most names without computing the full ratio
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                score = 0.0
            else:
                score = matcher.ratio()
            if self.kind == "person" and score < REVIEW and _token_subset(printed_tokens, name_tokens):
                score = REVIEW  # "Blaine Vincent Curcio" and "Blaine Curcio": worth a look
            if score > scores.get(id(record), (None, -1.0))[1]:
                scores[id(record)] = (record, score)
                closest[id(record)] = name
        ranked = sorted(scores.values(), key=lambda pair: -pair[1])
        if not ranked or ranked[0][1] < REVIEW:
            return None
        top, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        # a person with an added or missing name part ("Blaine V. Curcio") is a question, not a typo
        same_shape = self.kind != "person" or len(closest[id(top)].split()) == len(printed.split())
        if score >= ACCEPT[self.kind] and score - runner_up >= MARGIN and len(key) >= 8 and same_shape:
            return Match("fuzzy", top)
        return Match("review", None, [(r, round(s, 3)) for r, s in ranked[:3] if s >= REVIEW - 0.1])


def _identity(record: Any) -> str:
    return str(record.iri) if record.iri else f"new:{record.name}"


def _record_keys(record: Any) -> list[NameKeys]:
    """(name, name key, similarity key, words, words sorted, blocks) for the record's name, then its aliases."""
    keys = []
    for name in (record.name, *record.aliases):
        similarity = similarity_key(name)
        keys.append((name, name_key(name), similarity, _tokens(name), _sorted_key(name), tuple(_blocks(similarity))))
    return keys


def tokens_with_digits(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(name))


def _tokens(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", fold(name)))


def _token_subset(tokens: frozenset[str], known: frozenset[str]) -> bool:
    return len(known) >= 2 and len(tokens) >= 2 and (known < tokens or tokens < known)


BLOCK_STOPWORDS = {"co", "ltd", "inc", "llc", "the", "of", "and", "for", "company", "corporation", "limited", "group"}


def _blocks(similarity: str) -> set[str]:
    return {w[:4] for w in similarity.split() if len(w) >= 2 and w not in BLOCK_STOPWORDS}


def organisation_records(rows: list[dict[str, Any]]) -> list[OrganisationRecord]:
    """Records from store rows: {iri, name, alias, sector, country} (one row per alias)."""
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = grouped.setdefault(row["iri"], {"name": row["name"], "aliases": [], "sector": row.get("sector"),
                                                "country": row.get("country")})  # fmt: skip
        if row.get("alias") and row["alias"] not in entry["aliases"]:
            entry["aliases"].append(row["alias"])
    return [
        OrganisationRecord(e["name"], e["sector"], e["country"], tuple(e["aliases"]), iri)
        for iri, e in sorted(grouped.items())
    ]


def person_records(rows: list[dict[str, Any]]) -> list[PersonRecord]:
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = grouped.setdefault(row["iri"], {"name": row["name"], "family": row.get("family") or row["name"],
                                                "given": row.get("given"), "aliases": []})  # fmt: skip
        if row.get("alias") and row["alias"] not in entry["aliases"]:
            entry["aliases"].append(row["alias"])
    return [
        PersonRecord(e["name"], e["family"], e["given"], tuple(e["aliases"]), iri) for iri, e in sorted(grouped.items())
    ]
