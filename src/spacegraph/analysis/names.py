"""Names on the command line and in /api/ resolve as in the importer: aliases, case, diacritics, typos."""

from __future__ import annotations

import networkx as nx

from spacegraph.ingest.matching import Matcher
from spacegraph.ingest.name_index import NameIndex, compute_index, index_path, load_index
from spacegraph.settings import Settings
from spacegraph.store.open import open_store


class NameNotFound(LookupError):
    """A name that resolves to nothing, or to several candidates; the message lists them."""


def resolve_node(settings: Settings, graph: nx.Graph, name: str) -> str:
    """The IRI of the person or organisation ``name`` means, in ``graph``; NameNotFound lists candidates."""
    if name in graph:
        return name
    index = load_index(settings)
    if index is None:
        with open_store(settings) as store:
            index = compute_index(store, index_path(settings))
    candidates = []
    for kind in ("person", "organisation"):
        match = Matcher(kind, index.db).match(name)
        if match is None:
            continue
        if match.level in ("exact", "alias", "fuzzy") and str(match.record.iri) in graph:
            return str(match.record.iri)
        candidates += [record for record, _ in match.candidates] or [match.record]
    known = [c for c in candidates if c is not None and str(c.iri) in graph]
    if known:
        listed = "; ".join(f"{c.name} <{c.iri}>" for c in known)
        raise NameNotFound(f"{name!r} is ambiguous: it may be {listed}. Give the full name or the IRI.")
    raise NameNotFound(f"no person or organisation called {name!r} took part in any event here")


__all__ = ["NameIndex", "NameNotFound", "resolve_node"]
