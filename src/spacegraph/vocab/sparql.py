"""How every query is written: the prefix header, the edition pattern, and ``fill``, the one way to put a value in.

A query is a constant with ``%name%`` placeholders; ``fill`` writes each value in SPARQL syntax, checked and
escaped, so that no IRI or text, whatever it holds, can end its term early and add to the query:

>>> fill("ASK { %person% schema:name %name% }", person=URIRef("https://example.org/a b"), name=Literal("x"))
Traceback (most recent call last):
ValueError: 'https://example.org/a b' is not an absolute IRI: give one like https://w3id.org/spacegraph/id/person/…
>>> print(fill("ASK { %person% schema:name %name% }", person=URIRef("https://example.org/a"), name=Literal('"}')))
ASK { <https://example.org/a> schema:name "\\"}" }

A plain ``str`` is refused: say ``URIRef(text)`` for an IRI or ``Literal(text)`` for text, so that one is never
taken for the other. A list or tuple of values is written separated by spaces, for ``VALUES ?x { %xs% }``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Literal, URIRef

from spacegraph.vocab.namespaces import PREFIXES

# Every prefix of the project, declared once: queries use sg:, schema:, conf: … without PREFIX lines of their own.
PREFIX_HEADER = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())

# SPARQL's IRIREF excludes these characters (and the space and control characters, below \x21).
IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
PLACEHOLDER = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)%")
ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}

Value = URIRef | Literal | ox.NamedNode | ox.Literal | bool | int | float


def edition_pattern(node: str = "?edition", type_variable: str = "?edition_type") -> str:
    """A graph pattern that holds when ``node`` is an edition: typed with sg:Edition or one of its subclasses.

    FILTER EXISTS rather than ``a/rdfs:subClassOf*``: Virtuoso 7.2 drops groups when the path meets OPTIONALs.
    ``type_variable`` is bound to the type, for a query that also wants its label.
    """
    return f"{node} a {type_variable} FILTER EXISTS {{ {type_variable} rdfs:subClassOf* sg:Edition }}"


def sparql_iri(iri: str) -> str:
    """``<iri>``, for an absolute IRI; ValueError for anything that is not one (a space, a ``>``, no scheme)."""
    if not ABSOLUTE.match(iri) or IRI_FORBIDDEN.search(iri):
        raise ValueError(f"{iri!r} is not an absolute IRI: give one like https://w3id.org/spacegraph/id/person/…")
    try:
        ox.NamedNode(iri)  # pyoxigraph's own check: percent-encoding, code points
    except ValueError as error:
        raise ValueError(f"{iri!r} is not an absolute IRI: {error}") from error
    return f"<{iri}>"


def sparql_string(text: str) -> str:
    """``text`` as a quoted SPARQL string, every quote, backslash and line break escaped.

    SPARQL reads ``\\u0022`` as a quote before it parses anything, so the ``u`` after an escaped backslash is
    written as ``\\u0075``: the text's own ``\\u0022`` stays six characters.
    """
    escaped = "".join(ESCAPES.get(c, c) for c in text)
    return '"' + re.sub(r"\\\\([uU])", lambda m: f"\\\\\\u{ord(m.group(1)):04X}", escaped) + '"'


def sparql_literal(text: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal: its quoted text, with its datatype IRI or its language tag (checked) if it has one."""
    if language:
        if not LANGUAGE_TAG.fullmatch(language):
            raise ValueError(f"{language!r} is not a language tag (like en or zh-Hans)")
        return f"{sparql_string(text)}@{language}"
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return f"{sparql_string(text)}^^{sparql_iri(datatype)}"
    return sparql_string(text)


def sparql_term(value: Value) -> str:
    """One value written for a query: an IRI (rdflib or pyoxigraph), a literal, or a Python bool, int or float."""
    if isinstance(value, URIRef):
        return sparql_iri(str(value))
    if isinstance(value, ox.NamedNode):
        return sparql_iri(value.value)
    if isinstance(value, Literal):
        return sparql_literal(str(value), value.datatype, value.language)
    if isinstance(value, ox.Literal):
        return sparql_literal(value.value, value.datatype.value, value.language)
    if isinstance(value, bool | int | float):
        literal = Literal(value)
        return sparql_literal(str(literal), literal.datatype)
    raise TypeError(
        f"{value!r} ({type(value).__name__}) cannot go into a query: "
        "give URIRef(text) for an IRI or Literal(text) for text"
    )


def fill(query: str, **values: Value | Iterable[Value]) -> str:
    """``query`` with each ``%name%`` replaced by ``values[name]`` in SPARQL syntax (a list: space-separated).

    The placeholders are replaced in one pass, so a value's text is never read as another placeholder; a
    ``%name%`` that no value is given for is left alone (``%20%`` in an IRI of the query), and a value whose
    placeholder the query lacks is a ValueError (a misspelt name).
    """
    written = {name: _written(value) for name, value in values.items()}
    found = {m.group(1) for m in PLACEHOLDER.finditer(query)}
    missing = sorted(set(written) - found)
    if missing:
        raise ValueError(f"the query has no placeholder {', '.join(f'%{name}%' for name in missing)}")
    return PLACEHOLDER.sub(lambda m: written.get(m.group(1), m.group(0)), query)


def _written(value: Value | Iterable[Value]) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(sparql_term(v) for v in value)
    return sparql_term(value)  # type: ignore[arg-type]


__all__ = [
    "PREFIX_HEADER",
    "edition_pattern",
    "fill",
    "sparql_iri",
    "sparql_literal",
    "sparql_string",
    "sparql_term",
]
