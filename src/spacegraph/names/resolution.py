"""What resolving a name answers: the entity meant, with a note of what was assumed, or one error with the candidates.

>>> Resolution("urn:p:1", "Jeffrey Manber", "person", "'Manber' taken as Jeffrey Manber").note
"'Manber' taken as Jeffrey Manber"
>>> error = UnknownName("'Christ' is ambiguous", (Resolution("urn:p:1", "Ian Christensen", "person"),))
>>> [c.name for c in error.candidates]
['Ian Christensen']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Resolution:
    """The person or organisation a name means."""

    iri: str
    name: str  # its canonical name
    kind: str  # "person" or "organisation"
    note: str | None = None  # what was assumed to get here (a typo, a family name alone); None when nothing was

    def label(self) -> str:
        return f"{self.name} <{self.iri}>"


class UnknownName(LookupError):
    """A name that resolves to nothing, to several entities, or to the other kind; the message says which and what
    to do, ``candidates`` holds what it may mean (empty when nothing is near)."""

    def __init__(self, message: str, candidates: Sequence[Resolution] = ()):
        super().__init__(message)
        self.candidates = tuple(candidates)
