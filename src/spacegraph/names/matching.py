"""Entity resolution for ingest: a printed name against the people and organisations the graph already holds.

Levels, from surest to least: ``exact`` (the canonical name), ``alias`` (a known alias, acronym or misspelling,
or the same words in another order), ``fuzzy`` (a close spelling of exactly one known entity: accepted, and the
printed form kept as an alias), ``review`` (doubtful: the new entity stays separate and the candidates go to the
review list), ``new``. Similarity is difflib's ratio on folded names, with common abbreviations expanded.
"""

from __future__ import annotations

import dataclasses
import difflib
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from spacegraph.names.database import in_memory, names_sharing_blocks
from spacegraph.names.keys import lookup_key, name_key, similarity_key, sorted_key, word_set
from spacegraph.names.split import latin_lookalike, mixed_scripts
from spacegraph.vocab.records import OrganisationRecord, PersonRecord

ACCEPT = {"organisation": 0.92, "person": 0.92}
MAX_CANDIDATES = 100
REVIEW = 0.8
MARGIN = 0.05
# After this many lookups a matcher keeps the keys of its kind in memory, so that a name the graph does not know (most
# of the stretches a page's entries are tried on) costs a set lookup rather than a query.
KEYS_IN_MEMORY_AFTER = 200


@dataclass
class Match:
    level: str  # exact, alias, fuzzy, review or new
    record: Any  # OrganisationRecord or PersonRecord: the match, or the new entity
    candidates: list[tuple[Any, float]] = field(default_factory=list)  # for review: (record, score)


class Matcher:
    """Finds the record a printed name refers to, among the entities of one kind in a name database.

    The database (see ``names.database``) holds every name with its keys and word-prefix blocks, so a lookup reads a
    few rows, however many names the graph knows. ``hidden`` entities and ``hidden_aliases`` are left out:
    what only the graph being replaced says.
    """

    def __init__(
        self,
        kind: str,
        db: sqlite3.Connection,
        rejected: set[tuple[str, str]] | None = None,
        hidden: set[str] | frozenset[str] = frozenset(),
        hidden_aliases: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
    ):
        self.kind = kind
        self.db = db
        self.rejected = rejected or set()  # (printed name key, candidate IRI) pairs a reviewer said differ
        self.hidden = hidden
        self.hidden_aliases = hidden_aliases
        self._records: dict[str, Any] = {}
        self._lookups = 0
        self._keys: tuple[set[str], set[str]] | None = None  # every key and sorted key of the kind, once read

    @classmethod
    def of_records(cls, kind: str, records: list[Any]) -> Matcher:
        """A matcher over ``records`` alone, in memory."""
        return cls(
            kind,
            in_memory(
                kind, [r if r.iri else dataclasses.replace(r, iri=f"urn:x-record:{n}") for n, r in enumerate(records)]
            ),
        )

    def _visible(self, iri: str, position: int, name: str) -> bool:
        return iri not in self.hidden and (position == 0 or (iri, name) not in self.hidden_aliases)

    def record(self, iri: str) -> Any:
        if iri not in self._records:
            _, kind, name, family, given, sector, country = self.db.execute(
                "SELECT * FROM entities WHERE iri = ?", (iri,)
            ).fetchone()
            aliases = tuple(
                alias
                for (alias,) in self.db.execute(
                    "SELECT name FROM names WHERE iri = ? AND position > 0 ORDER BY id", (iri,)
                )
                if (iri, alias) not in self.hidden_aliases
            )
            if kind == "organisation":
                self._records[iri] = OrganisationRecord(name, sector, country, aliases, iri)
            else:
                self._records[iri] = PersonRecord(name, family or name, given, aliases, iri)
        return self._records[iri]

    def _known_keys(self) -> tuple[set[str], set[str]] | None:
        self._lookups += 1
        if self._keys is None and self._lookups > KEYS_IN_MEMORY_AFTER:
            rows = self.db.execute("SELECT key, sorted_key FROM names WHERE kind = ?", (self.kind,)).fetchall()
            self._keys = ({key for key, _ in rows}, {words_key for _, words_key in rows})
        return self._keys

    def lookup(self, printed: str) -> Match | None:
        """An exact or alias match only: cheap enough to try on every stretch of an entry."""
        key = lookup_key(printed)
        if (known := self._known_keys()) is not None:
            keys, sorted_keys = known
            if key not in keys and (self.kind != "person" or sorted_key(printed) not in sorted_keys):
                return None
        rows = self.db.execute(
            "SELECT iri, position, name FROM names WHERE kind = ? AND key = ? ORDER BY position, id",
            (self.kind, key),
        ).fetchall()
        if self.kind == "person" and not rows:
            rows = self.db.execute(
                "SELECT iri, 1, name FROM names WHERE kind = ? AND sorted_key = ? ORDER BY id",
                (self.kind, sorted_key(printed)),
            ).fetchall()
        for iri, position, name in rows:
            if self._visible(iri, position, name):
                return Match("exact" if position == 0 else "alias", self.record(iri))
        return None

    def match(self, printed: str) -> Match | None:
        """The match for ``printed``, or None when it is new (the caller makes the new record).

        A name that mixes Latin letters with Cyrillic or Greek look-alikes within a word ("Rоb Smith" with a
        Cyrillic о) is never merged silently: when, read in Latin letters, it is a known name, it goes to review
        with that entity as the candidate.
        """
        if mixed_scripts(printed) and (same := self.lookup(latin_lookalike(printed))):
            return Match("review", None, [(same.record, 1.0)])
        return self.lookup(printed) or self._fuzzy(printed, name_key(printed))

    def _fuzzy(self, printed: str, key: str) -> Match | None:
        target = similarity_key(printed)
        scores: dict[str, float] = {}
        closest: dict[str, str] = {}
        matcher = difflib.SequenceMatcher(None, "", target)
        floor = REVIEW - 0.1
        printed_tokens = word_set(printed)
        for iri, position, name, name_similarity in names_sharing_blocks(self.db, self.kind, target, MAX_CANDIDATES):
            if (key, iri) in self.rejected or not self._visible(iri, position, name):
                continue
            matcher.set_seq1(name_similarity)
            # the quick upper bounds skip most names without computing the full ratio
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                score = 0.0
            else:
                score = matcher.ratio()
            if self.kind == "person" and score < REVIEW and _token_subset(printed_tokens, word_set(name)):
                score = REVIEW  # "Blaine Vincent Curcio" and "Blaine Curcio": worth a look
            if score > scores.get(iri, -1.0):
                scores[iri], closest[iri] = score, name
        ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
        if not ranked or ranked[0][1] < REVIEW:
            return None
        top, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        # a person with an added or missing name part ("Blaine V. Curcio") is a question, not a typo
        same_shape = self.kind != "person" or len(closest[top].split()) == len(printed.split())
        if score >= ACCEPT[self.kind] and score - runner_up >= MARGIN and len(key) >= 8 and same_shape:
            return Match("fuzzy", self.record(top))
        return Match("review", None, [(self.record(i), round(s, 3)) for i, s in ranked[:3] if s >= REVIEW - 0.1])


def _token_subset(tokens: frozenset[str], known: frozenset[str]) -> bool:
    return len(known) >= 2 and len(tokens) >= 2 and (known < tokens or tokens < known)
