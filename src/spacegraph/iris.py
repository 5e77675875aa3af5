"""Minting IRIs: stable, from normalised names, in one place, under one configurable base.

An IRI never comes from a row number or a timestamp, so recording the same fact twice gives the same IRI.

>>> slug("José Ocasio-Christian")
'jose-ocasio-christian'
>>> slug("CHINAROCKERT CO., LTD")
'chinarockert-co-ltd'
>>> Minter("https://w3id.org/spacegraph/").person("WANG Yiran")
rdflib.term.URIRef('https://w3id.org/spacegraph/id/person/wang-yiran')

Names in any script mint an IRI: letters outside ASCII are transliterated (anyascii), a Han or Hangul character
as one syllable of its own.

>>> slug("王亦然"), slug("Юрий Гагарин"), slug("Αλέξανδρος"), slug("Søren Łukasz")
('wang-yi-ran', 'yurii-gagarin', 'alexandros', 'soren-lukasz')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rdflib import URIRef

DEFAULT_BASE = "https://w3id.org/spacegraph/"


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a name: 'José' and 'JOSE' fold to 'jose'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slug(text: str) -> str:
    """The IRI segment for a name: folded, transliterated, runs of other characters replaced by one hyphen."""
    latin = "".join(map(_ascii_letters, fold("".join(map(_syllable, text)))))
    s = re.sub(r"[^a-z0-9]+", "-", latin.lower()).strip("-")
    if not s:
        raise ValueError(f"cannot mint an IRI from {text!r}: it has no letters or digits")
    return s


@dataclass(frozen=True)
class Minter:
    """All IRIs of entities, records and graphs, under ``base`` (which ends with a slash)."""

    base: str = DEFAULT_BASE

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def series(self, name: str) -> URIRef:
        return self._iri("id", "series", slug(name))

    def edition(self, name: str, start_date: str | None) -> URIRef:
        # The year keeps editions of the same name apart; the name alone when the date is unknown.
        prefix = f"{start_date[:4]}-" if start_date and not slug(name).startswith(start_date[:4]) else ""
        return self._iri("id", "event", prefix + slug(name))

    def event(self, name: str) -> URIRef:
        return self._iri("id", "event", slug(name))

    def person(self, name: str) -> URIRef:
        return self._iri("id", "person", slug(name))

    def organisation(self, name: str) -> URIRef:
        return self._iri("id", "org", slug(name))

    def place(self, city: str, country: str | None) -> URIRef:
        return self._iri("id", "place", slug(f"{city} {country or ''}"))

    def topic(self, label: str) -> URIRef:
        return self._iri("id", "topic", slug(label))

    def topic_scheme(self, name: str) -> URIRef:
        return self._iri("id", "scheme", slug(name))

    def participation(self, edition: URIRef, holder: URIRef, role: str) -> URIRef:
        return self._iri("id", "participation", _tail(edition), _tail(holder), slug(role))

    def affiliation(self, edition: URIRef, person: URIRef, organisation_as_printed: str) -> URIRef:
        # One record per way the source prints the affiliation: a page may name it twice, differently.
        return self._iri("id", "affiliation", _tail(edition), _tail(person), slug(organisation_as_printed))

    def evidence(self, edition: URIRef, fact: str) -> URIRef:
        return self._iri("id", "evidence", _tail(edition), slug(fact))

    def talk(self, edition: URIRef, title: str) -> URIRef:
        return self._iri("id", "talk", _tail(edition), slug(title)[:80].rstrip("-"))

    def graph(self, name: str) -> URIRef:
        return self._iri("graph", slug(name))

    def source(self, name: str) -> URIRef:
        return self._iri("source", slug(name))

    def agent(self, name: str) -> URIRef:
        return self._iri("agent", slug(name))


def source_name(location: str) -> str:
    """A short, stable file and graph name for a source: its site, year and last path segment (or file name).

    >>> source_name("https://swfound.org/events/2020/second-sino-us-space-commercialization-workshop")
    'swfound-2020-second-sino-us-space-commercialization-workshop'
    """
    parts = [p for p in re.sub(r"^[a-z]+://", "", location).split("/") if p]
    if "://" not in location:
        return slug(re.sub(r"\.[A-Za-z0-9]+$", "", parts[-1]))[:90].rstrip("-")
    year = next((p for p in parts if re.fullmatch(r"(19|20)\d\d", p)), "")
    site = parts[0].split(".")[-2] if "." in parts[0] else parts[0]
    return slug(f"{site} {year} {parts[-1]}")[:90].rstrip("-")


def _syllable(char: str) -> str:
    """A character of a script without case that stands for a syllable (Han, Hangul), as a word of its own in
    Latin letters (before case folding, which would take a Hangul syllable apart into its letters)."""
    if char.isascii() or char.lower() != char.upper():
        return char
    latin = anyascii(char)
    return f" {latin} " if len(latin) > 1 and latin[0].isupper() else char


def _ascii_letters(char: str) -> str:
    """A letter or digit outside ASCII in Latin letters; anything else as it is (a separator unless ASCII).

    Only letters and digits are transliterated, so the slugs minted before scripts other than Latin were read
    stay as they were (a dash, a quote or a degree sign still separates)."""
    if char.isascii() or unicodedata.category(char)[0] not in "LN":
        return char
    return anyascii(char)


def _tail(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]
