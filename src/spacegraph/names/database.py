"""The SQLite tables of known names: every entity, every name it is known under with its keys, and word-prefix
blocks, so that a lookup reads a few rows however many names the graph knows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from spacegraph.names.keys import blocks, name_key, similarity_key, sorted_key
from spacegraph.vocab.records import OrganisationRecord, PersonRecord

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


def in_memory(kind: str, records: Iterable[Any]) -> sqlite3.Connection:
    """A database of ``records`` alone (all of ``kind``), in memory."""
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    add_records(db, kind, records)
    return db


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
                (str(record.iri), kind, position, name, name_key(name), similarity, sorted_key(name)),
            )
            db.executemany(
                "INSERT INTO blocks VALUES (?, ?, ?)", [(kind, block, cursor.lastrowid) for block in blocks(similarity)]
            )


def remove_entities(db: sqlite3.Connection, iris: Iterable[str]) -> None:
    for iri in iris:
        db.execute("DELETE FROM blocks WHERE name_id IN (SELECT id FROM names WHERE iri = ?)", (iri,))
        db.execute("DELETE FROM names WHERE iri = ?", (iri,))
        db.execute("DELETE FROM entities WHERE iri = ?", (iri,))


def names_sharing_blocks(
    db: sqlite3.Connection, kind: str, similarity: str, limit: int
) -> list[tuple[str, int, str, str]]:
    """(iri, position, name, similarity) of the names of ``kind`` sharing the most word prefixes with the name whose
    similarity key is ``similarity``, at most ``limit`` of them; every name of the kind when it has no block."""
    prefixes = sorted(blocks(similarity))
    if prefixes:
        marks = ", ".join("?" * len(prefixes))
        return db.execute(
            f"SELECT n.iri, n.position, n.name, n.similarity FROM blocks b JOIN names n ON n.id = b.name_id "
            f"WHERE b.kind = ? AND b.block IN ({marks}) GROUP BY n.id ORDER BY COUNT(*) DESC, n.id LIMIT ?",
            (kind, *prefixes, limit),
        ).fetchall()
    return db.execute(
        "SELECT iri, position, name, similarity FROM names WHERE kind = ? ORDER BY id", (kind,)
    ).fetchall()


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
    """Records from store rows: {iri, name, alias, family, given} (one row per alias)."""
    grouped: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = grouped.setdefault(row["iri"], {"name": row["name"], "family": row.get("family") or row["name"],
                                                "given": row.get("given"), "aliases": []})  # fmt: skip
        if row.get("alias") and row["alias"] not in entry["aliases"]:
            entry["aliases"].append(row["alias"])
    return [
        PersonRecord(e["name"], e["family"], e["given"], tuple(e["aliases"]), iri) for iri, e in sorted(grouped.items())
    ]
