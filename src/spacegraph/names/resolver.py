"""One way to read a name a user types (CLI, /api/, /path, the network's Find, /search, planning's --exclude): the
person or organisation it means, with a note of what was assumed, or UnknownName with the candidates.

Tried in order, the first step that finds someone answers: the IRI itself; the name or a known alias (case,
accents, punctuation and word order aside); the same name of the other kind ("… is an organisation: use
--organisations"); a family name alone ("Manber"); a close spelling ("Jefrey Manber"); a close family name
("Manbr"); a part of a name ("Christ"). One finding resolves (with a note unless it was the name itself), several
are ambiguous and listed. Only the entities ``within`` (the nodes of the graph asked about: those who took part in
an event) count.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Container, Iterable

from spacegraph.iris import fold
from spacegraph.names.database import names_sharing_blocks
from spacegraph.names.index import NameIndex, compute_index, index_path, load_index
from spacegraph.names.keys import blocks, name_key, similarity_key, sorted_key
from spacegraph.names.matching import MARGIN, Matcher
from spacegraph.names.resolution import Resolution, UnknownName
from spacegraph.settings import Settings
from spacegraph.store.open import open_store

KINDS = ("person", "organisation")
CLOSE = 0.8  # difflib ratio from which a family name counts as a typo of another
BLOCK_ROWS = 200  # names read per step: a part of a name shared by more is ambiguous anyway
LISTED = 10  # candidates named in an error
SHORTEST_PART = 3  # letters of the shortest part of a name looked for inside names ("Wu" is a whole family name)

Step = Callable[[str, str], list[Resolution]]


class Resolver:
    """Resolves names against a name index (``names.index``). ``switch`` is how the caller's interface asks for
    organisations instead of people ("--organisations" on the command line), None when it cannot."""

    def __init__(self, index: NameIndex, switch: str | None = "--organisations"):
        self.db = index.db
        self.switch = switch

    @classmethod
    def for_settings(cls, settings: Settings, switch: str | None = "--organisations") -> Resolver:
        """A resolver over the index kept for the current data version (computed now when there is none yet)."""
        index = load_index(settings)
        if index is None:
            with open_store(settings) as store:
                index = compute_index(store, index_path(settings))
        return cls(index, switch)

    def person(self, text: str, within: Container[str] | None = None) -> Resolution:
        return self._resolve(text, ("person",), within)

    def organisation(self, text: str, within: Container[str] | None = None) -> Resolution:
        return self._resolve(text, ("organisation",), within)

    def node(self, text: str, within: Container[str] | None = None) -> Resolution:
        """A person or an organisation."""
        return self._resolve(text, KINDS, within)

    def suggest(self, text: str, kinds: tuple[str, ...] = KINDS, limit: int = 10) -> list[Resolution]:
        """Names a user may be typing (autocomplete): a name or alias with a word that starts with ``text``'s
        words, case and accents aside; each entity once, under the name that matched (``note``: the alias)."""
        key = similarity_key(text)
        if not key:
            return []
        marks = ", ".join("?" * len(kinds))
        rows = self.db.execute(
            f"SELECT n.iri, n.kind, n.name, e.name FROM names n JOIN entities e ON e.iri = n.iri WHERE n.kind IN "
            f"({marks}) AND (n.similarity LIKE ? OR n.similarity LIKE ?) ORDER BY n.position, LENGTH(n.name), n.name "
            "LIMIT ?",
            (*kinds, f"{key}%", f"% {key}%", limit * 4),
        ).fetchall()
        found = _distinct(Resolution(iri, name, kind, None if printed == name else printed)
                          for iri, kind, printed, name in rows)  # fmt: skip
        return found[:limit]

    def _resolve(self, text: str, kinds: tuple[str, ...], within: Container[str] | None) -> Resolution:
        text = text.strip()
        if not name_key(text):
            raise UnknownName(f"give a name (a person's or organisation's name, or its IRI), not {text!r}")
        if within is not None and text in within and not any(self._iri(text, kind) for kind in KINDS):
            return Resolution(text, text, kinds[0])  # a node the index does not know: the IRI is all there is
        others = tuple(k for k in KINDS if k not in kinds)
        filed = bool(blocks(similarity_key(text)))  # else the near steps would read every name ("the", "X Y")
        outside: list[Resolution] = []  # known, but not among those asked about
        steps: list[tuple[Step, tuple[str, ...]]] = [(self._iri, KINDS), (self._exact, kinds), (self._exact, others)]
        if filed:
            steps += [
                (self._family, kinds),
                (self._close, kinds),
                (self._close_family, kinds),
                (self._containing, kinds),
                (self._close, others),
                (self._family, others),
            ]
        for step, step_kinds in steps:
            found = _distinct(r for kind in step_kinds for r in step(text, kind))
            if found and found[0].kind not in kinds:
                raise self._wrong_kind(text, found[0])
            counted = [r for r in found if within is None or r.iri in within]
            outside += [r for r in found if r not in counted]
            if len(counted) == 1:
                return counted[0]
            if counted:
                raise _ambiguous(text, counted)
        if outside and outside[0].note is None:
            raise UnknownName(f"{text!r} is {outside[0].label()}, who is not in the network asked about")
        raise UnknownName(f"no person or organisation called {text!r} took part in any event here", outside)

    def _wrong_kind(self, text: str, found: Resolution) -> UnknownName:
        expected = "an organisation" if found.kind == "person" else "a person"
        if self.switch is None:
            advice = f", not {expected}"
        else:
            advice = f": {'leave out' if found.kind == 'person' else 'use'} {self.switch}"
        return UnknownName(f"{text!r} is {'a person' if found.kind == 'person' else 'an organisation'} "
                           f"({found.label()}){advice}", [found])  # fmt: skip

    def _entities(self, iris: Iterable[str], kind: str) -> list[tuple[str, str, str | None]]:
        """(iri, name, family name) of the entities ``iris`` of ``kind``."""
        iris = sorted(set(iris))
        marks = ", ".join("?" * len(iris))
        return self.db.execute(
            f"SELECT iri, name, family FROM entities WHERE kind = ? AND iri IN ({marks}) ORDER BY name, iri",
            (kind, *iris),
        ).fetchall()

    def _iri(self, text: str, kind: str) -> list[Resolution]:
        return [Resolution(iri, name, kind) for iri, name, _ in self._entities([text], kind)]

    def _exact(self, text: str, kind: str) -> list[Resolution]:
        """The name or an alias; for a person, also its words in another order ("Yiran Wang")."""
        rows = self.db.execute("SELECT iri FROM names WHERE kind = ? AND key = ?", (kind, name_key(text))).fetchall()
        if not rows and kind == "person":
            rows = self.db.execute(
                "SELECT iri FROM names WHERE kind = ? AND sorted_key = ?", (kind, sorted_key(text))
            ).fetchall()
        return [Resolution(iri, name, kind) for iri, name, _ in self._entities((iri for (iri,) in rows), kind)]

    def _near(self, text: str, kind: str) -> list[tuple[str, str, str | None]]:
        """The entities with a name sharing a word prefix with ``text``."""
        rows = names_sharing_blocks(self.db, kind, similarity_key(text), BLOCK_ROWS)
        return self._entities((iri for iri, *_ in rows), kind)

    def _family(self, text: str, kind: str) -> list[Resolution]:
        if kind != "person":
            return []
        key = name_key(text)
        return [
            Resolution(iri, name, kind, f"{text!r} taken as {name}, the only person of that family name")
            for iri, name, family in self._near(text, kind)
            if family and name_key(family) == key
        ]

    def _close(self, text: str, kind: str) -> list[Resolution]:
        """A close spelling of a whole name: the one the ingest would accept, or the best of those it would ask
        a reviewer about, when no other is as close."""
        match = Matcher(kind, self.db).match(text)
        if match is None:
            return []
        if match.level in ("exact", "alias", "fuzzy"):
            records = [match.record]
        else:
            best = max(score for _, score in match.candidates)
            records = [record for record, score in match.candidates if score >= best - MARGIN]
        return [
            Resolution(str(r.iri), r.name, kind, f"{text!r} taken as {r.name}, the closest known name") for r in records
        ]

    def _close_family(self, text: str, kind: str) -> list[Resolution]:
        if kind != "person" or len(text.split()) != 1:
            return []
        key = name_key(text)
        scored = [
            (difflib.SequenceMatcher(None, key, name_key(family)).ratio(), iri, name)
            for iri, name, family in self._near(text, kind)
            if family
        ]
        best = max((score for score, *_ in scored), default=0.0)
        return [
            Resolution(iri, name, kind, f"{text!r} taken as {name}, the closest family name")
            for score, iri, name in scored
            if score >= max(CLOSE, best - MARGIN)
        ]

    def _containing(self, text: str, kind: str) -> list[Resolution]:
        wanted = fold(text)
        if len(wanted) < SHORTEST_PART:
            return []
        rows = names_sharing_blocks(self.db, kind, similarity_key(text), BLOCK_ROWS)
        iris = {iri for iri, _, name, _ in rows if wanted in fold(name)}
        return [
            Resolution(iri, name, kind, f"{text!r} taken as {name}, the only name containing it")
            for iri, name, _ in self._entities(iris, kind)
        ]


def _distinct(found: Iterable[Resolution]) -> list[Resolution]:
    """One finding per entity, the first."""
    first: dict[str, Resolution] = {}
    for resolution in found:
        first.setdefault(resolution.iri, resolution)
    return list(first.values())


def _ambiguous(text: str, candidates: list[Resolution]) -> UnknownName:
    listed = "; ".join(c.label() for c in candidates[:LISTED])
    more = f" and {len(candidates) - LISTED} more" if len(candidates) > LISTED else ""
    return UnknownName(f"{text!r} is ambiguous: it may be {listed}{more}. Give the full name or the IRI.", candidates)
