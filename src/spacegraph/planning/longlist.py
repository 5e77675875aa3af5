"""The longlist: people to invite who are not in the graph yet (name, organisation, side, topics).

Candidates and drafts draw from it, so a plan can bring new people to the table (``plan --min-new``). It is not a
fact about the series (nobody on it has taken part), so it is no part of the graph: it is one JSON file,
``data/planning/longlist.json``, a list reviewable in a diff, changed only through the write path (the journaled
commit, which names who made the change) and read with each data version. An invitee's IRI is the one the person
will have when a page with them is ingested (``Minter.person``), so a draft names them stably.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pyoxigraph as ox

from spacegraph.iris import Minter, fold
from spacegraph.settings import Settings
from spacegraph.vocab.terms import SIDES, find_side
from spacegraph.write import Agent, FileChange, GraphChange, Writer

LONGLIST = Path("planning") / "longlist.json"


def longlist_path(data_dir: Path) -> Path:
    return data_dir / LONGLIST


def read_longlist(data_dir: Path) -> list[dict]:
    """The invitees, in the order they were added; a file that is not a JSON list is an error naming the fix."""
    path = longlist_path(data_dir)
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise ValueError(f"{path}: not a readable JSON list ({error}); correct it or remove the file") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("iri") and e.get("name")
                                                for e in entries):  # fmt: skip
        raise ValueError(f"{path}: each entry needs an iri and a name; correct the file or remove it")
    return entries


def _commit(settings: Settings, writer: Writer, entries: list[dict], by: Agent) -> None:
    """The file alone, through the journaled commit (the store's longlist graph stays empty: the list is no fact)."""
    text = json.dumps(entries, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    graph = ox.NamedNode(str(Minter(settings.base).graph("longlist")))
    writer.commit(GraphChange(graph, [], None, by, [FileChange(longlist_path(settings.data), text)]))


def add_invitee(settings: Settings, by: Agent, name: str, organisation: str, side: str,
                topics: list[str]) -> dict:  # fmt: skip
    """Put someone on the longlist: ``topics`` are IRIs the caller has resolved; ``side`` a side's label or key.
    ValueError when the name is empty, the side unknown, or the person is on the list already."""
    name, organisation = " ".join(name.split()), " ".join(organisation.split())
    if not name:
        raise ValueError("the invitee has no name: give their full name")
    found = find_side(side) if side.strip() else None
    if side.strip() and found is None:
        raise ValueError(f"unknown side {side!r}: use one of {', '.join(s.label for s in SIDES)}")
    entry = {"iri": str(Minter(settings.base).person(name)), "name": name, "organisation": organisation or None,
             "side": found.label if found else None, "topics": list(dict.fromkeys(topics)), "added_by": by.label,
             "added_at": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()}  # fmt: skip
    with Writer(settings) as writer:
        entries = read_longlist(settings.data)
        if any(e["iri"] == entry["iri"] or fold(e["name"]) == fold(name) for e in entries):
            raise ValueError(f"{name} is on the longlist already: remove them first to change the entry")
        _commit(settings, writer, [*entries, entry], by)
    return entry


def remove_invitee(settings: Settings, by: Agent, name: str) -> dict:
    """Take someone (by name or IRI) off the longlist; LookupError when they are not on it."""
    with Writer(settings) as writer:
        entries = read_longlist(settings.data)
        gone = [e for e in entries if name.strip() == e["iri"] or fold(e["name"]) == fold(name)]
        if not gone:
            listed = "; ".join(e["name"] for e in entries) or "the longlist is empty"
            raise LookupError(f"{name!r} is not on the longlist ({listed})")
        _commit(settings, writer, [e for e in entries if e not in gone], by)
    return gone[0]
