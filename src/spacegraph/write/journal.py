"""Committing one named graph to data/ and the store together, or not at all, even across a crash.

data/ is the truth and the store an index of it, but they are two places on disk. A commit therefore keeps a
journal (a redo/undo log) in ``data/.journal.json``:

1. every new file is written beside its target (``.name.new.tmp``) and fsynced;
2. the store writer prepares the graph's new content, unseen by readers (``spacegraph.store.writers``: a clone of
   the published generation with the graph replaced; nothing on a SPARQL server);
3. the journal records the targets (with the sha256 of each one's present content), the graph, what the writer
   prepared, and who made the change;
4. every existing target is backed up (``.name.bak``), then the new files are renamed into place;
5. the writer publishes (the clone's rename; on a SPARQL server, the request that replaces the graph and sets the
   data's version to the journal's): this is the commit point;
6. the backups and temporaries, and last the journal, are removed.

The journal and each backup are written whole to a temporary name, fsynced, and renamed (then the directory
fsynced), so a kill or a power cut leaves either the complete file or none: never a torn journal that stops every
later command, never a torn backup restored over a good file. A target is replaced only after its backup is
complete, and recovery restores a backup only if its sha256 is the one the journal recorded.

``recover`` runs before any write: a journal left by a crash is rolled forward if step 5 happened (the published
store holds the new graph), and rolled back otherwise (backups restored, new files and the clone removed, a
SPARQL server's graph written back from the restored file), so
data/ and the store are both as they were before the commit, or both as after it. A journal that is missing,
does not parse or lacks a field means the commit stopped before step 4, when nothing had changed yet: recovery
then only removes what the commit had prepared (temporaries and unpublished clones).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spacegraph.store import StoreWriter
from spacegraph.store.writers import OnNewVersion

JOURNAL = ".journal.json"


def failpoint(name: str) -> None:
    """Crash here, for the tests that kill a commit midway (SPACEGRAPH_FAILPOINT=name); the crash is first noted in
    the file SPACEGRAPH_FAILPOINT_LOG names, if any, for a test that cannot see the process die."""
    if os.environ.get("SPACEGRAPH_FAILPOINT") == name:
        if log := os.environ.get("SPACEGRAPH_FAILPOINT_LOG"):
            with open(log, "a", encoding="utf-8") as noted:
                noted.write(name + "\n")
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class FileChange:
    target: Path
    content: bytes | None  # None: remove the file


def _temporary(target: Path) -> Path:
    """Where a commit writes a file before renaming it: ``.name.new.tmp``.

    Not the plain ``.name.tmp`` of import-series, which writes data/ without the writer lock: recovery, under the
    lock, removes the commit's own temporaries, never another writer's.
    """
    return target.with_name(f".{target.name.lstrip('.')}.new.tmp")


def _backup(target: Path) -> Path:
    return target.with_name(f".{target.name}.bak")


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _write_synced(path: Path, content: bytes, torn: str | None = None) -> None:
    with path.open("wb") as f:
        half = len(content) // 2 if torn else 0
        f.write(content[:half])
        f.flush()
        if torn:
            failpoint(torn)  # a kill here leaves half a file, as a kill mid-write would
        f.write(content[half:])
        f.flush()
        os.fsync(f.fileno())


def _fsync_dirs(directories: Iterable[Path]) -> None:
    """Make renames and removals in these directories durable (a rename is atomic, but not durable by itself)."""
    for directory in set(directories):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_whole(path: Path, content: bytes, torn: str) -> None:
    """Write ``path`` so that it exists complete or not at all: a temporary, fsynced, renamed, directory fsynced."""
    temporary = _temporary(path)
    _write_synced(temporary, content, torn)
    os.replace(temporary, path)
    _fsync_dirs([path.parent])


def commit_graph(
    data_dir: Path,
    writer: StoreWriter,
    graph: ox.NamedNode,
    quads: list[ox.Quad],
    files: list[FileChange],
    by: str,
    on_new_version: OnNewVersion | None = None,
) -> None:
    """Write ``files`` under data_dir and make the store's ``graph`` hold exactly ``quads``, atomically; ``by``
    (who made the change) is recorded in the journal.

    ``on_new_version`` sees the store of the new version before it is published, to keep what goes with it.
    Call under the writer lock, after ``recover`` (``spacegraph.write.Writer`` does both).
    """
    old: dict[Path, bytes] = {}  # the present content of each existing target, to back up
    for change in files:
        change.target.parent.mkdir(parents=True, exist_ok=True)
        if change.target.exists():
            old[change.target] = change.target.read_bytes()
        if change.content is not None:
            _write_synced(_temporary(change.target), change.content)
    journal: dict[str, Any] = {
        "graph": graph.value,
        "by": by,
        "files": [{"target": str(c.target), "sha256": _sha256(old[c.target]) if c.target in old else None}
                  for c in files],
    }  # fmt: skip
    journal.update(writer.prepare(graph, quads, on_new_version))
    failpoint("before-journal")
    _write_whole(data_dir / JOURNAL, json.dumps(journal, indent=2).encode("utf-8"), torn="mid-journal")
    failpoint("after-journal")
    for target, content in old.items():
        _write_whole(_backup(target), content, torn="mid-backup")
    failpoint("after-backups")
    for change in files:  # every backup is complete: only now may a target change
        if change.content is None:
            change.target.unlink(missing_ok=True)
        else:
            os.replace(_temporary(change.target), change.target)
    _fsync_dirs(c.target.parent for c in files)  # the new files are durable before the commit point
    failpoint("before-store")
    _fsync_dirs(writer.publish(graph, quads, journal))
    failpoint("after-store")
    _finish(data_dir, [c.target for c in files])


def _finish(data_dir: Path, files: list[Path]) -> None:
    """Remove the backups and temporaries, then the journal: a crash in between leaves the journal to redo this."""
    for target in files:
        for leftover in (_backup(target), _temporary(target), _temporary(_backup(target))):
            leftover.unlink(missing_ok=True)
    _fsync_dirs(target.parent for target in files)
    failpoint("mid-finish")
    (data_dir / JOURNAL).unlink(missing_ok=True)
    _temporary(data_dir / JOURNAL).unlink(missing_ok=True)
    _fsync_dirs([data_dir])


def _read_journal(path: Path) -> tuple[ox.NamedNode, list[tuple[Path, str | None]], dict[str, Any]] | None:
    """The journal's graph, its targets with the sha256 of what each held before, and all of it; None if torn."""
    try:
        journal = json.loads(path.read_bytes())
        files = [(Path(f["target"]), f["sha256"]) for f in journal["files"]]
        if "generation" not in journal and "version" not in journal:
            return None
        return ox.NamedNode(journal["graph"]), files, journal
    except (ValueError, KeyError, TypeError):  # not JSON, not UTF-8, a field missing or of the wrong type
        return None


def _remove_temporaries(data_dir: Path, writer: StoreWriter) -> None:
    """Remove what interrupted commits prepared before their journal was complete (call under the writer lock)."""
    for temporary in data_dir.rglob(".*.new.tmp"):
        temporary.unlink(missing_ok=True)
    writer.remove_unpublished()  # e.g. a clone made before a crash that came before its journal


def recover(data_dir: Path, writer: StoreWriter) -> str | None:
    """Finish or undo a commit a crash interrupted. Returns what was done, or None if nothing was pending."""
    path = data_dir / JOURNAL
    if not path.exists():
        _remove_temporaries(data_dir, writer)
        return None
    read = _read_journal(path)
    if read is None:  # written whole, then renamed: a torn journal is one from before that, or a damaged disk
        _remove_temporaries(data_dir, writer)
        path.unlink()
        _fsync_dirs([data_dir])
        return f"removed an incomplete journal ({path}): the interrupted commit had changed nothing"
    graph, files, journal = read
    targets = [target for target, _ in files]
    if writer.was_published(journal, path):
        _finish(data_dir, targets)
        return f"finished the interrupted commit of <{graph.value}>"
    for target, before in files:
        backup = _backup(target)
        if before is not None and backup.exists() and _sha256(backup.read_bytes()) == before:
            os.replace(backup, target)  # a complete backup: the target may have been replaced, put it back
        elif before is None and target.exists() and not _temporary(target).exists():
            target.unlink()  # the commit created it (its new content had been renamed into place)
        # Otherwise the target is untouched: it is replaced only after its backup is complete.
    writer.undo(graph, journal, targets)
    _finish(data_dir, targets)
    return f"undid the interrupted commit of <{graph.value}>"
