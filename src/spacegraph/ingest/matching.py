"""Entity resolution for ingest: a printed name against the people and organisations the graph already holds.

Levels, from surest to least: ``exact`` (the canonical name), ``alias`` (a known alias, acronym or misspelling,
or the same words in another order), ``fuzzy`` (a close spelling of exactly one known entity: accepted, and the
printed form kept as an alias), ``review`` (doubtful: the new entity stays separate and the candidates go to the
review list), ``new``. Similarity is difflib's ratio on folded names, with common abbreviations expanded.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacegraph.ingest.names import latin_lookalike, mixed_scripts
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
# After this many lookups a matcher keeps the keys of its kind in memory, so that a name the graph does not know (most
# of the stretches a page's entries are tried on) costs a set lookup rather than a query.
KEYS_IN_MEMORY_AFTER = 200


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


SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (iri TEXT PRIMARY KEY, kind TEXT, name TEXT, family TEXT, given TEXT,
                                     sector TEXT, country TEXT);
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, iri TEXT, kind TEXT, position INTEGER, name TEXT,
                                  key TEXT, similarity TEXT, sorted_key TEXT);
CREATE INDEX IF NOT EXISTS names_by_key ON names (kind, key);
CREATE INDEX IF NOT EXISTS names_by_sorted_key ON names (kind, sorted_key);
CREATE INDEX IF NOT EXISTS names_by_iri ON names (iri);
CREATE TABLE IF NOT EXISTS blocks (kind TEXT, block TEXT, name_id INTEGER);
CREATE INDEX IF NOT EXISTS blocks_by_block ON blocks (kind, block);
CREATE INDEX IF NOT EXISTS blocks_by_name ON blocks (name_id);
"""


def add_records(db: sqlite3.Connection, kind: str, records: Iterable[Any]) -> None:
    """Index the names of ``records`` (with their keys computed once, here)."""
    for record in records:
        family = getattr(record, "family_name", None)
        given = getattr(record, "given_name", None)
        db.execute(
            "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?, ?)",
            (str(record.iri), kind, record.name, family, given, getattr(record, "sector", None),
             getattr(record, "country", None)),
        )  # fmt: skip
        for position, name in enumerate((record.name, *record.aliases)):
            similarity = similarity_key(name)
            cursor = db.execute(
                "INSERT INTO names (iri, kind, position, name, key, similarity, sorted_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (str(record.iri), kind, position, name, name_key(name), similarity, _sorted_key(name)),
            )
            db.executemany(
                "INSERT INTO blocks VALUES (?, ?, ?)",
                [(kind, block, cursor.lastrowid) for block in _blocks(similarity)],
            )


def remove_entities(db: sqlite3.Connection, iris: Iterable[str]) -> None:
    for iri in iris:
        db.execute("DELETE FROM blocks WHERE name_id IN (SELECT id FROM names WHERE iri = ?)", (iri,))
        db.execute("DELETE FROM names WHERE iri = ?", (iri,))
        db.execute("DELETE FROM entities WHERE iri = ?", (iri,))


class Matcher:
    """Finds the record a printed name refers to, among the entities of one kind in a name database.

    The database (see ``name_index``) holds every name with its keys and word-prefix blocks, so a lookup reads a
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
        db = sqlite3.connect(":memory:")
        db.executescript(SCHEMA)
        add_records(
            db, kind, [r if r.iri else dataclasses.replace(r, iri=f"urn:x-record:{n}") for n, r in enumerate(records)]
        )
        return cls(kind, db)

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
            self._keys = ({key for key, _ in rows}, {sorted_key for _, sorted_key in rows})
        return self._keys

    def lookup(self, printed: str) -> Match | None:
        """An exact or alias match only: cheap enough to try on every stretch of an entry."""
        key = lookup_key(printed)
        if (known := self._known_keys()) is not None:
            keys, sorted_keys = known
            if key not in keys and (self.kind != "person" or _sorted_key(printed) not in sorted_keys):
                return None
        rows = self.db.execute(
            "SELECT iri, position, name FROM names WHERE kind = ? AND key = ? ORDER BY position, id",
            (self.kind, key),
        ).fetchall()
        if self.kind == "person" and not rows:
            rows = self.db.execute(
                "SELECT iri, 1, name FROM names WHERE kind = ? AND sorted_key = ? ORDER BY id",
                (self.kind, _sorted_key(printed)),
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

    def _candidates(self, target: str) -> list[tuple[str, int, str, str]]:
        blocks = sorted(_blocks(target))
        if blocks:
            # the names sharing the most word prefixes with the printed one, at most MAX_CANDIDATES of them
            marks = ", ".join("?" * len(blocks))
            return self.db.execute(
                f"SELECT n.iri, n.position, n.name, n.similarity FROM blocks b JOIN names n ON n.id = b.name_id "
                f"WHERE b.kind = ? AND b.block IN ({marks}) GROUP BY n.id ORDER BY COUNT(*) DESC, n.id LIMIT ?",
                (self.kind, *blocks, MAX_CANDIDATES),
            ).fetchall()
        return self.db.execute(
            "SELECT iri, position, name, similarity FROM names WHERE kind = ? ORDER BY id", (self.kind,)
        ).fetchall()

    def _fuzzy(self, printed: str, key: str) -> Match | None:
        target = similarity_key(printed)
        scores: dict[str, float] = {}
        closest: dict[str, str] = {}
        matcher = difflib.SequenceMatcher(None, "", target)
        floor = REVIEW - 0.1
        printed_tokens = _tokens(printed)
        for iri, position, name, name_similarity in self._candidates(target):
            if (key, iri) in self.rejected or not self._visible(iri, position, name):
                continue
            matcher.set_seq1(name_similarity)
            # the quick upper bounds skip most names without computing the full ratio
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                score = 0.0
            else:
                score = matcher.ratio()
            if self.kind == "person" and score < REVIEW and _token_subset(printed_tokens, _tokens(name)):
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


PARENTHESES = re.compile(r"\([^)]*\)")
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def lookup_key(name: str) -> str:
    """``name_key(name)``, without decomposing and folding an ASCII name character by character (where folding is
    lower-casing): the key of every stretch of a page's entries is computed."""
    if name.isascii():
        return NOT_ALPHANUMERIC.sub("", PARENTHESES.sub(" ", name).lower())
    return name_key(name)


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
