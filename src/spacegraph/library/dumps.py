"""The dataset as a file to download and cite: every quad in its named graph, gzip-compressed, written once per
data version beside the store's other caches (and removed with that version's generation)."""

from __future__ import annotations

import gzip
import os
import threading
from pathlib import Path

import pyoxigraph as ox

from spacegraph.library.published import Published
from spacegraph.store.open import cache_dir

DUMP_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}  # file extension -> format


def dump_file(published: Published, extension: str) -> Path:
    """The gzip-compressed dump of ``published`` in the format of ``extension`` (``nq`` or ``trig``): made on the
    first request of its version, then read from disk. The same data gives the same bytes (no time in the header)."""
    rdf_format = DUMP_FORMATS[extension]
    path = (cache_dir(published.settings) / f"{published.version}.dump.{extension}.gz").absolute()

    def write() -> Path:
        if path.is_file():
            return path
        # another worker may be writing it too: each writes its own temporary, the rename makes it whole or absent
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            with temporary.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
                published.store.dump(out, rdf_format)
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
        return path

    return published.once(("dump", extension), write)
