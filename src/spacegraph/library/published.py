"""What one data version gives: its store, and everything computed from it, each computed once and kept while that
version is the published one.

A commit gives the data a new version (``spacegraph.store.open.data_version``), so nothing kept here can outlive
the data it was computed from: the library replaces the whole ``Published`` when the version changes. The web
worker's threads share it: each value is computed by one thread while the others that want it wait for it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from spacegraph.analysis.cache import Projections, kept_for_version, load_or_build_projections
from spacegraph.ingest.documents import DocumentError, read_document
from spacegraph.library.catalogue import FORMAT as CATALOGUE_FORMAT
from spacegraph.library.catalogue import Catalogue, read_catalogue
from spacegraph.settings import Settings
from spacegraph.store.open import cache_dir
from spacegraph.store.oxigraph import OxigraphStore
from spacegraph.store.sparql import SparqlStore

if TYPE_CHECKING:
    from spacegraph.names.index import NameIndex

T = TypeVar("T")
ANSWERS_KEPT = 64  # answers about the whole network (rankings, communities) kept per version; the oldest go
DOCUMENTS_KEPT = 64  # source documents' texts kept per version (evidence sentences are cut from them)


class Published:
    """One data version of the published store, and what the library computed from it."""

    def __init__(self, settings: Settings, version: str, store: OxigraphStore | SparqlStore):
        self.settings, self.version, self.store = settings, version, store
        self._values: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()  # over the two dicts; never held while a value is computed
        self._answers: OrderedDict[Hashable, None] = OrderedDict()  # the keys of the remembered answers, oldest first
        self._documents: OrderedDict[Hashable, None] = OrderedDict()

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once for this version and ``key``: the first thread computes it, the others wait."""
        with self._guard:
            if key in self._values:
                return self._values[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._values[key]
            value = compute()
            with self._guard:
                self._values[key] = value
                self._locks.pop(key, None)
        return value

    def remembered(self, key: tuple, compute: Callable[[], T]) -> T:
        """An answer about the whole network (``key``: the question and its parameters), computed once for this
        version; more than ANSWERS_KEPT answers: the oldest go."""
        return self._kept(("answer", *key), compute, self._answers, ANSWERS_KEPT)

    def _kept(self, key: Hashable, compute: Callable[[], T], order: OrderedDict, limit: int) -> T:
        value = self.once(key, compute)
        with self._guard:
            if key in self._values and key not in order:
                order[key] = None
                while len(order) > limit:
                    self._values.pop(order.popitem(last=False)[0], None)
        return value

    def warm(self, progress: Callable[[str], None] = lambda message: None) -> None:
        """Load now what most pages need from this version (the projections, the network view's catalogue, the name
        index), each part announced to ``progress`` first, rather than on the first request that needs it."""
        progress(f"loading the network projections for version {self.version} …")
        self.projections  # noqa: B018 - computed and kept
        progress(f"loading the network view's catalogue for version {self.version} …")
        self.catalogue  # noqa: B018
        progress(f"loading the name index for version {self.version} …")
        self.names  # noqa: B018

    @property
    def projections(self) -> Projections:
        """The networks of this version: from the file kept for it, or built now (and the file written)."""
        return self.once("projections", lambda: load_or_build_projections(self.settings, self.version, self.store))

    @property
    def catalogue(self) -> Catalogue:
        """What the network's filters choose from: from the file kept for this version, or read now (and kept)."""
        return self.once("catalogue", lambda: kept_for_version(self.settings, self.version, "catalogue",
                         CATALOGUE_FORMAT, lambda: read_catalogue(self.projections, self.store)))  # fmt: skip

    @property
    def names(self) -> NameIndex:
        """The name index of this version: the file kept beside it, or computed now."""
        return self.once("names", self._name_index)

    def _name_index(self) -> NameIndex:
        from spacegraph.names.index import NameIndex, compute_index

        path = cache_dir(self.settings) / f"{self.version}.names.sqlite"  # beside the version it indexes
        if path.exists():
            return NameIndex(sqlite3.connect(str(path), check_same_thread=False))
        return compute_index(self.store, path)

    def document_text(self, local_copy: str) -> str | None:
        """The text of a source document's local copy (a path under the data directory only), as the parser read it;
        None when there is no such readable file. Kept for this version: a re-ingested page is read anew."""
        key = ("document", local_copy)
        return self._kept(key, lambda: _read_text(self.settings.data.resolve(), local_copy), self._documents,
                          DOCUMENTS_KEPT)  # fmt: skip


def _read_text(data_dir: Path, local_copy: str) -> str | None:
    path = (data_dir / local_copy).resolve()
    if not path.is_relative_to(data_dir) or not path.is_file():
        return None
    try:
        return read_document(path).text
    except (DocumentError, OSError, UnicodeDecodeError):
        return None
