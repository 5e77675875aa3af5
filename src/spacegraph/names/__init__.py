"""Names: how a person's name is split (``split``), the keys names are compared by (``keys``), the SQLite tables of
known names (``database``) kept per store generation (``index``), the ingest's matcher (``matching``), the strict
registry of series.json (``registry``), how organisations are told from job titles (``organisations``), and the
one resolver of what a user types (``resolver``).

Everyone who resolves a name a user typed calls ``Resolver``::

    resolver = Resolver.for_settings(settings)  # or Resolver(index, switch=None) where there is no --organisations
    found = resolver.person("Manber", within=graph)  # Resolution(iri, name, kind, note); UnknownName lists candidates

It sits just below ``ingest`` in the layers (tests/test_layout.py checks it): ingest, analysis, planning, the
library, the web and the CLI read it.
"""

from spacegraph.names.resolution import Resolution, UnknownName
from spacegraph.names.resolver import Resolver

__all__ = ["Resolution", "Resolver", "UnknownName"]
