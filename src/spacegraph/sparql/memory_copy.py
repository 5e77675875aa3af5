"""The stores a query process answers from: the published generation, read-only on disk, and its copy in memory.

Oxigraph's memory store runs the joins of an analyst's query 3.7 to 11 times faster than its RocksDB store
(bench/README.md, "SPARQL endpoint"). A published generation never changes, so the copy is exact (the same
solutions; an order SPARQL leaves open, as without ORDER BY or inside GROUP_CONCAT, may differ). The store on disk
stays the one written to and the source of truth. The copy is made in a thread, in small batches, only while no
query is being answered, so that it never slows one down; until it is ready the disk store answers. A new
generation starts a new copy and the old one is dropped.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from spacegraph.store.oxigraph import generation_of


class Stores:
    """The stores a query process answers from: the published generation, read-only on disk, and its copy in
    memory once made (when it holds at most ``memory_quads`` quads; 0: never)."""

    BATCH = 500  # quads per step of the copy; a step holds the interpreter for about 10 ms

    def __init__(self, path: Path, memory_quads: int, copies: int = 1, memory_limit: int = 0):
        self.path, self.memory_quads, self.copies, self.memory_limit = path, memory_quads, copies, memory_limit
        self.generation: Path | None = None
        self.disk: ox.Store | None = None
        self.memory: ox.Store | None = None
        self.copying: threading.Thread | None = None  # the thread making the copy of the current generation
        self.progress = 0  # quads copied so far
        self.idle = threading.Event()  # set while no query is being answered: only then does the copy go on
        self.idle.set()
        self._lock = threading.Lock()
        self._cancel = threading.Event()

    @contextmanager
    def answering(self) -> Iterator[None]:
        """While a query is answered, the copy waits: its steps would hold the interpreter the answer needs."""
        self.idle.clear()
        try:
            yield
        finally:
            self.idle.set()

    def current(self) -> tuple[ox.Store, str] | None:
        """The store to answer from and its kind ("memory" or "disk"); None when there is no store."""
        generation = generation_of(self.path)
        if generation is None:
            return None
        with self._lock:
            if generation != self.generation:
                self._cancel.set()  # a copy of the previous generation, if one is running, stops
                self.generation, self.disk, self.memory = generation, ox.Store.read_only(str(generation)), None
                if self.memory_quads > 0:
                    self._cancel = threading.Event()
                    self.copying = threading.Thread(
                        target=self._copy, args=(self.disk, generation, self._cancel), daemon=True
                    )
                    self.copying.start()
            if self.memory is not None:
                return self.memory, "memory"
            assert self.disk is not None
            return self.disk, "disk"

    BYTES_PER_QUAD = 500  # a copy's size in memory, measured at 10^5 and 10^6 quads (bench/README.md)

    def too_large(self, quads: int) -> str:
        """Why a store of ``quads`` is not copied into memory, or "" when it is: above the setting, or the copies of
        every web worker together would take more than half of the memory the system has available (so that a small
        machine answers from disk rather than run out)."""
        if quads > self.memory_quads:
            return f"{quads:,} quads, above SPACEGRAPH_QUERY_MEMORY_QUADS ({self.memory_quads:,})"
        if self.memory_limit and quads * self.BYTES_PER_QUAD > self.memory_limit // 2:
            return (f"a copy of {quads:,} quads needs about {quads * self.BYTES_PER_QUAD // 2**20:,} MB, more than half "
                    f"of the {self.memory_limit // 2**20:,} MB a query process may use (SPACEGRAPH_QUERY_MEMORY_LIMIT)")  # fmt: skip
        needed, available = quads * self.BYTES_PER_QUAD * self.copies, available_memory()
        if available is not None and needed > available // 2:
            return (f"{self.copies} copies of {quads:,} quads (one per web worker) need about {needed // 2**20:,} MB, "
                    f"more than half of the {available // 2**20:,} MB available")  # fmt: skip
        return ""

    def _copy(self, disk: ox.Store, generation: Path, cancel: threading.Event) -> None:
        self.progress = 0
        try:
            self.idle.wait()
            why_not = self.too_large(len(disk))
            if why_not:
                print(f"spacegraph query process {os.getpid()}: answering from the store on disk: {why_not}",
                      file=sys.stderr, flush=True)  # fmt: skip
                return
            memory = ox.Store()
            for graph in disk.named_graphs():  # an empty named graph exists too (GRAPH ?g {} finds it)
                memory.add_graph(graph)
            quads = disk.quads_for_pattern(None, None, None, None)
            while True:
                self.idle.wait()
                if cancel.is_set():
                    return  # a newer generation came
                batch = list(itertools.islice(quads, self.BATCH))
                if not batch:
                    break
                memory.bulk_extend(batch)
                self.progress += len(batch)
        except OSError:  # the generation was removed while it was read (a newer one came): its copy is not needed
            return
        with self._lock:
            if generation == self.generation and not cancel.is_set():
                self.memory = memory


def available_memory() -> int | None:
    """The memory the system has available now, in bytes (Linux: MemAvailable in /proc/meminfo), or None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
