"""The registry of series.json: names as printed resolved, strictly, to its canonical people and organisations.

Matching is exact on a normalised key: case, diacritics, punctuation, spacing and a parenthesised acronym do
not count, so "Leobit Technology CO.,LTD" and "Chinese Society of Astronautics (CSA)" find their organisation.
Known misspellings are aliases in the registry ("CHINAROCKERT CO., LTD" -> China Rocket Co., Ltd.).
A name that matches nothing is an error that lists the nearest registry names; it is never guessed.

>>> registry = Registry([OrganisationRecord("China Rocket Co., Ltd.", "state-owned enterprise", "CN",
...                                          ("CHINAROCKERT CO., LTD",))], [])
>>> registry.organisation("Chinarockert Co Ltd").name
'China Rocket Co., Ltd.'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from spacegraph.names.keys import name_key
from spacegraph.names.resolution import UnknownName
from spacegraph.vocab.records import OrganisationRecord, PersonRecord


class Registry:
    """The canonical organisations and people, indexed by every name they are known under."""

    def __init__(self, organisations: Iterable[OrganisationRecord], people: Iterable[PersonRecord]):
        self.organisations = list(organisations)
        self.people = list(people)
        self._orgs = _index(self.organisations, "organisation")
        self._people = _index(self.people, "person")

    def organisation(self, printed: str) -> OrganisationRecord:
        return _lookup(self._orgs, printed, "organisation", "data/sources/series.json 'organizations'")

    def person(self, printed: str) -> PersonRecord:
        return _lookup(self._people, printed, "person", "data/sources/series.json 'same_person'")


def _index(records: list[Any], kind: str) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for record in records:
        for name in (record.name, *record.aliases):
            key = name_key(name)
            other = index.get(key)
            if other is not None and other is not record:
                raise UnknownName(f"the {kind} name {name!r} is claimed by both {other.name!r} and {record.name!r}")
            index[key] = record
    return index


def _lookup(index: dict[str, Any], printed: str, kind: str, where: str) -> Any:
    record = index.get(name_key(printed))
    if record is not None:
        return record
    near = difflib.get_close_matches(name_key(printed), list(index), n=3, cutoff=0.6)
    hint = f" Nearest known: {', '.join(repr(index[k].name) for k in near)}." if near else ""
    raise UnknownName(
        f"unknown {kind} {printed!r}.{hint} If it is one of these, add {printed!r} to its aliases; "
        f"otherwise add a new {kind} to {where}."
    )
