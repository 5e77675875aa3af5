"""Committing one named graph to data/ and the store together, or not at all, even across a crash.

data/ is the truth and the store an index of it, but they are two places on disk. A commit therefore keeps a
journal (a redo/undo log) in ``data/.journal.json``:

1. every new file is written beside its target (``.name.tmp``) and flushed;
2. the published store is cloned (see ``spacegraph.store.oxigraph``) and the clone's named graph replaced;
3. the journal records the targets, their backups, the graph and the clone;
4. existing targets are backed up, then the new files are renamed into place;
5. the clone is published in one rename: this is the commit point;
6. the journal and backups are removed.

``recover`` runs before any write: a journal left by a crash is rolled forward if step 5 happened (the published
store holds the new graph), and rolled back otherwise (backups restored, new files and the clone removed), so
data/ and the store are both as they were before the commit, or both as after it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spacegraph.store.open import new_version, remote_version, version_update
from spacegraph.store.oxigraph import (
    OxigraphStore,
    clone_generation,
    discard,
    discard_unpublished,
    generation_of,
    publish,
)
from spacegraph.store.sparql import SparqlStore

JOURNAL = ".journal.json"


def failpoint(name: str) -> None:
    """Crash here, for the tests that kill a commit midway (SPACEGRAPH_FAILPOINT=name)."""
    if os.environ.get("SPACEGRAPH_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class FileChange:
    target: Path
    content: bytes | None  # None: remove the file


def _write_synced(path: Path, content: bytes) -> None:
    with path.open("wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp")


def _backup(target: Path) -> Path:
    return target.with_name(f".{target.name}.bak")


def commit_graph(
    data_dir: Path,
    store_path: Path,
    graph: ox.NamedNode,
    quads: list[ox.Quad],
    files: list[FileChange],
    on_clone: Callable[[OxigraphStore, Path], None] | None = None,
    remote: SparqlStore | None = None,
) -> None:
    """Write ``files`` under data_dir and make the store's ``graph`` hold exactly ``quads``, atomically.

    ``on_clone`` sees the changed clone (and its directory) before it is published, to keep what goes with it.
    With ``remote`` (the store on a SPARQL server), the commit point is the request that replaces the graph there
    and sets the data's version to the one the journal names (one request with SPARQL Update; with the Graph
    Store Protocol, a PUT and then the version); recovery reads the version to tell whether it was applied, and
    when it was not, writes the graph back from the restored file, so that the server matches data/ either way.
    """
    recover(data_dir, store_path, remote)
    for change in files:
        change.target.parent.mkdir(parents=True, exist_ok=True)
        if change.content is not None:
            _write_synced(_temporary(change.target), change.content)
    journal: dict[str, Any] = {
        "graph": graph.value,
        "files": [{"target": str(c.target), "existed": c.target.exists()} for c in files],
    }
    if remote is None:
        clone = clone_generation(store_path)
        with OxigraphStore(clone) as store:
            store.replace_graph(graph, quads)
            store.flush()
            if on_clone is not None:
                on_clone(store, clone)
        journal["generation"] = clone.name
    else:
        journal["version"] = new_version()
    _write_synced(data_dir / JOURNAL, json.dumps(journal, indent=2).encode("utf-8"))
    failpoint("after-journal")
    for change in files:
        if change.target.exists():
            shutil.copy2(change.target, _backup(change.target))
        if change.content is None:
            change.target.unlink(missing_ok=True)
        else:
            os.replace(_temporary(change.target), change.target)
    failpoint("before-store")
    if remote is None:
        publish(store_path, clone)
    else:
        remote.replace_graph(graph, quads, then=version_update(journal["version"]))
    failpoint("after-store")
    _finish(data_dir, files=[c.target for c in files])


def _finish(data_dir: Path, files: list[Path]) -> None:
    (data_dir / JOURNAL).unlink()
    for target in files:
        _backup(target).unlink(missing_ok=True)
        _temporary(target).unlink(missing_ok=True)


def recover(data_dir: Path, store_path: Path, remote: SparqlStore | None = None) -> str | None:
    """Finish or undo a commit a crash interrupted. Returns what was done, or None if nothing was pending."""
    path = data_dir / JOURNAL
    if not path.exists():
        if remote is None:
            discard_unpublished(store_path)  # a clone made before a crash that came before its journal
        return None
    journal = json.loads(path.read_text(encoding="utf-8"))
    graph = ox.NamedNode(journal["graph"])
    files = [Path(f["target"]) for f in journal["files"]]
    if "version" in journal:  # a commit to a SPARQL server: applied if the server has the journal's version
        if remote is None:
            raise RuntimeError(f"{path} is a commit to a SPARQL server: run the command with that --store to finish it")
        committed = remote_version(remote) == journal["version"]
    else:
        # The clone is published only after every new file is in place: published means committed.
        clone = store_path.with_name(journal["generation"])
        committed = generation_of(store_path) == clone
        if not committed:
            discard(clone)
    if committed:
        _finish(data_dir, files)
        return f"finished the interrupted commit of <{graph.value}>"
    for entry in journal["files"]:
        target = Path(entry["target"])
        if _backup(target).exists():
            os.replace(_backup(target), target)
        elif not entry["existed"] and target.exists() and not _temporary(target).exists():
            target.unlink()
    if "version" in journal:  # the server may hold the new graph (a PUT before the crash): write the old one back
        _rewrite_from_files(remote, graph, files)  # type: ignore[arg-type]
    _finish(data_dir, files)
    return f"undid the interrupted commit of <{graph.value}>"


def _rewrite_from_files(remote: SparqlStore, graph: ox.NamedNode, files: list[Path]) -> None:
    """Make the server's ``graph`` what the (restored) TriG files say, and give the data a new version."""
    quads: list[ox.Quad] = []
    for target in files:
        if target.suffix == ".trig" and target.exists():
            quads += [q for q in ox.parse(path=str(target), format=ox.RdfFormat.TRIG) if q.graph_name == graph]
    remote.replace_graph(graph, quads, then=version_update())
