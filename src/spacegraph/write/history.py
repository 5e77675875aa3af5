"""Who changed what: a change record for every commit of a graph file, kept in data/ and undoable.

``Writer.commit`` adds one record per commit that changes a graph's file (ingest, review, the web's curators, a
saved plan), as one more file of the same journaled commit: ``data/history/GRAPH/NNNNN.json``. A record says who
made the change (the ``Agent``) and when, what it was (a note and the statements added and removed per entity),
the version of the graph's file before and after (a hash of its content), and the file's previous content, so that
``undo`` can put it back through the same write path. data/ stays the truth and reviewable as a diff; a build
ignores data/history/.

``history(settings, graph=… | entity=…)`` lists the records of a graph, or of the graphs whose changes touched an
entity; ``changed_since`` says what changed in a graph after a version a form was opened at.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from spacegraph.datafiles import DataError, read_data_file
from spacegraph.write.journal import FileChange

if TYPE_CHECKING:
    from spacegraph.settings import Settings
    from spacegraph.write.pipeline import GraphChange

HISTORY = "history"
ABSENT = "absent"  # the version of a graph that has no file (not recorded yet, or removed)
MANY_GRAPHS = re.compile(r"\(one commit of \d+ graphs\)$")  # how library.entities notes a commit of several graphs
MAX_ENTITIES = 200  # entities named per record: a change to a whole registry graph names the first ones


class UndoRefused(ValueError):
    """The change cannot be undone as it stands (the graph changed since, or it was already undone)."""


@dataclass(frozen=True)
class Change:
    """One change record, as read from data/history/."""

    id: str
    graph: str
    file: str  # relative to data/
    by: dict[str, str]  # iri, label, kind
    at: str  # ISO 8601, UTC
    note: str
    before_version: str
    after_version: str
    added: int
    removed: int
    entities: dict[str, list[int]]  # IRI -> [statements added, statements removed] that mention it
    before: str | None  # the file's previous content (None: there was no file)
    created: list[str]  # other files the change created (relative to data/), removed again by an undo
    undoes: str | None = None
    with_graphs: list[str] = field(default_factory=list)  # the other graph files the same commit changed

    @property
    def alone(self) -> bool:
        """Whether the change's commit changed this graph only (one of several cannot be undone by itself)."""
        return not self.with_graphs and not MANY_GRAPHS.search(self.note)

    def summary(self) -> dict[str, Any]:
        """The record without the previous content: what a page or the CLI shows."""
        return {"id": self.id, "graph": self.graph, "by": self.by["label"], "by_iri": self.by["iri"], "at": self.at,
                "note": self.note, "added": self.added, "removed": self.removed, "undoes": self.undoes}  # fmt: skip


def version_of(path: Path) -> str:
    """The version of a graph file: a hash of its content (``ABSENT`` when there is no file)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except FileNotFoundError:
        return ABSENT


def graph_name(graph: str) -> str:
    """The directory of a graph's records: the last segment of its IRI."""
    return graph.rstrip("/").rsplit("/", 1)[-1]


def record_for(data_dir: Path, change: GraphChange, quads: list[ox.Quad], new_content: bytes | None) -> FileChange:
    """The change record of ``change`` (its graph's file about to hold ``new_content``), as one more file of its
    commit. Call under the writer lock (the record's number is the next free one)."""
    assert change.file is not None
    old = change.file.read_bytes() if change.file.exists() else None
    before = _quads_of(change.file) if old is not None else []
    added, removed = set(map(str, quads)) - set(map(str, before)), set(map(str, before)) - set(map(str, quads))
    folder = data_dir / HISTORY / graph_name(change.graph.value)
    number = 1 + max((int(p.stem) for p in folder.glob("[0-9]*.json") if p.stem.isdigit()), default=0)
    record = {
        "id": f"{folder.name}/{number:05d}",
        "graph": change.graph.value,
        "file": _relative(change.file, data_dir),
        "by": {"iri": change.by.iri, "label": change.by.label, "kind": change.by.kind},
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "note": change.note or _default_note(len(added), len(removed), old is None, new_content is None),
        "before_version": version_of(change.file),
        "after_version": hashlib.sha256(new_content).hexdigest()[:16] if new_content is not None else ABSENT,
        "added": len(added),
        "removed": len(removed),
        "entities": _entities(quads, before, added, removed),
        "before": old.decode("utf-8") if old is not None else None,
        "created": [_relative(f.target, data_dir) for f in change.also if f.content is not None
                    and not f.target.exists()],
        "undoes": change.undoes,
        "with_graphs": [_relative(f.target, data_dir) for f in change.also if f.target.suffix == ".trig"],
    }  # fmt: skip
    text = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
    return FileChange(folder / f"{number:05d}.json", text.encode("utf-8"))


def _relative(path: Path, data_dir: Path) -> str:
    try:
        return str(path.resolve().relative_to(data_dir.resolve()))
    except ValueError:
        return str(path)


def _default_note(added: int, removed: int, created: bool, deleted: bool) -> str:
    if created:
        return f"recorded the graph ({added} statements)"
    if deleted:
        return f"removed the graph ({removed} statements)"
    return f"changed {added + removed} statements ({added} added, {removed} removed)"


def _quads_of(path: Path) -> list[ox.Quad]:
    try:
        return read_data_file(path).quads
    except DataError:
        return []


def _entities(quads: list[ox.Quad], before: list[ox.Quad], added: set[str], removed: set[str]) -> dict:
    """For each IRI a changed statement mentions (as subject or object): [added, removed]."""
    counts: Counter[tuple[str, int]] = Counter()
    for quad in [*quads, *before]:
        key = str(quad)
        sides = [i for i, changed in enumerate((key in added, key in removed)) if changed]
        for side in sides:
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.NamedNode):
                    counts[(term.value, side)] += 1
    entities: dict[str, list[int]] = {}
    for (iri, side), n in sorted(counts.items()):
        if iri in entities or len(entities) < MAX_ENTITIES:
            entities.setdefault(iri, [0, 0])[side] = n
    return entities


def _records(data_dir: Path, folder: str | None = None, whole: bool = False) -> list[Change]:
    """The records (of one graph's ``folder``); without ``whole``, without their previous content, each file read
    once per process (a record never changes)."""
    root = data_dir / HISTORY
    paths = sorted((root / folder).glob("[0-9]*.json")) if folder else sorted(root.glob("*/[0-9]*.json"))
    changes = [_read(path) if whole else _read_summary(path, _stamp(path)) for path in paths]
    return [change for change in changes if change is not None]


def _read(path: Path, whole: bool = True) -> Change | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Change(**(record if whole else {**record, "before": None}))
    except (OSError, ValueError, TypeError):
        return None  # a record that cannot be read names nothing; the file stays for a person to look at


def _stamp(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (0, 0)
    return status.st_mtime_ns, status.st_size


@lru_cache(maxsize=100_000)
def _read_summary(path: Path, stamp: tuple[int, int]) -> Change | None:
    """A record without its previous content, read once per version of its file (``stamp``)."""
    return _read(path, whole=False)


def history(settings: Settings, *, graph: str | None = None, entity: str | None = None) -> list[Change]:
    """The changes of ``graph``, or the changes that touched ``entity`` (any graph); all changes with neither;
    newest first."""
    if graph is not None:
        changes = _records(settings.data, graph_name(graph))
        changes = [c for c in changes if c.graph == graph]
    else:
        changes = _records(settings.data)
    if entity is not None:
        changes = [c for c in changes if entity in c.entities]
    return sorted(changes, key=lambda c: (c.at, c.id), reverse=True)


def find(settings: Settings, change_id: str) -> Change:
    """The change record ``change_id`` (``GRAPH/NNNNN``); LookupError naming how to list them."""
    folder, _, number = change_id.partition("/")
    for change in _records(settings.data, folder, whole=True) if folder and "." not in folder else []:
        if change.id == change_id or (number and change.id == f"{folder}/{number.zfill(5)}"):
            return change
    raise LookupError(f"no change {change_id!r}: `spacegraph history` lists them (GRAPH/NUMBER)")


def changed_since(settings: Settings, graph: str, version: str) -> list[Change]:
    """The changes of ``graph`` made after it was at ``version`` (oldest first); empty when it still is."""
    changes = sorted(history(settings, graph=graph), key=lambda c: (c.at, c.id))
    if not changes or changes[-1].after_version == version:
        return []
    later = [c for c in changes if c.before_version == version]
    start = changes.index(later[-1]) if later else 0
    return changes[start:]


def describe(changes: list[Change]) -> str:
    """'alice at 2026-…: note; bob at …: note' for a message."""
    return "; ".join(f"{c.by['label']} at {c.at.replace('T', ' ').rstrip('Z')} UTC: {c.note}" for c in changes)


def undo(settings: Settings, change_id: str, by: Any) -> Change:
    """Undo ``change_id`` through the write path (validated, journaled, attributed to ``by``, itself undoable): the
    graph's file gets its previous content back (or is removed, with the files the change created). Refused when
    the graph changed since (undo the later changes first) or does not conform as it was."""
    from spacegraph.write.pipeline import GraphChange, Writer, WriteRejected

    change = find(settings, change_id)
    if not change.alone:
        others = ", ".join(change.with_graphs) or "other graphs"
        raise UndoRefused(f"{change.id} changed {others} in the same commit (e.g. a merge): undoing {change.file} "
                          "alone would leave them changed; make the reverse change instead")  # fmt: skip
    target = settings.data / change.file
    with Writer(settings) as writer:
        if (now := version_of(target)) != change.after_version:
            later = changed_since(settings, change.graph, change.after_version) if now != ABSENT else []
            raise UndoRefused(f"{change.file} changed after {change.id}" + (f" ({describe(later)})" if later else "")
                              + ": undo the later changes first, newest first")  # fmt: skip
        quads = [] if change.before is None else list(ox.parse(change.before, format=ox.RdfFormat.TRIG))
        also = [FileChange(settings.data / path, None) for path in change.created if (settings.data / path).exists()]
        undoing = GraphChange(ox.NamedNode(change.graph), quads, target, by, also)
        undoing.note, undoing.undoes = f"undid {change.id}: {change.note}"[:300], change.id
        if quads:
            report = writer.check(undoing)
            if not report.conforms:
                raise WriteRejected(report)
        writer.commit(undoing)
    return history(settings, graph=change.graph)[0]
