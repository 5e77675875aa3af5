"""The guard's quick looks (issue 19) refuse and pass exactly what its token-by-token reading does: a query with no
refusable text in it skips ``_refuse`` for each token, and ``has_dataset_clause`` looks for "from" first."""

from __future__ import annotations

import itertools

import pytest

from spacegraph.sparql import guard
from spacegraph.sparql.guard import QueryRefused, check_query, has_dataset_clause

WORDS = ["insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with", "service", "define"]
QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "SELECT * { ?s <http://example.org/address> ?o }",  # "add" inside an IRI: not a keyword
    'SELECT * { ?s ?p "INSERT DATA { <a> <b> <c> }" }',
    "SELECT * { ?s ?p ?o } # LOAD <file:///etc/passwd>",
    'SELECT (bif:file_to_string("/etc/passwd") AS ?x) {}',
    'SELECT (bıf:file_to_string("/etc/passwd") AS ?x) {}',  # a dotless i: case-blind, it is "bif:"
    'SELECT (SQL:x("a") AS ?x) {}',
    "SELECT * { ?s ?p ?o FILTER(?o<'>' ) } SERVICE",
    "SELECT * { ?s ?p ?o } ; ſervice <x> {}",  # a long s: not "service" to the engine either
    "DEFINE input:inference 'x' SELECT * {}",
    *(f"SELECT * {{ ?s ?p ?o }} {case(word)}" for word in WORDS for case in (str.lower, str.upper, str.title)),
    *(f"PREFIX ex: <http://x/> SELECT * {{ ?s ex:{word} ?o }}" for word in WORDS),
]


def _verdict(query: str) -> str:
    try:
        return check_query(query, max_bytes=10_000, max_depth=20)
    except QueryRefused as refused:
        return f"refused: {refused}"


@pytest.mark.parametrize("query", QUERIES)
def test_the_quick_look_changes_no_verdict(query, monkeypatch):
    quick = _verdict(query)
    monkeypatch.setattr(guard, "REFUSABLE", ("",))  # "" is in every text: every token is looked at
    assert quick == _verdict(query)


def test_the_quick_look_still_refuses():
    refused = [query for query in QUERIES if _verdict(query).startswith("refused")]
    assert len(refused) >= len(WORDS) * 3  # every keyword, in every case, after a whole query


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("SELECT * FROM <http://x/g> { ?s ?p ?o }", True),
        ("select * from named <http://x/g> { graph ?g { ?s ?p ?o } }", True),
        ("SELECT * { ?s <http://x/from> ?o }", False),
        ('SELECT * { ?s ?p "FROM" }', False),
        ("SELECT ?from { ?from ?p ?o }", False),
        *((f"SELECT * {''.join(case)} <http://x/g> {{}}", True) for case in itertools.product("fF", "rR", "oO", "mM")),
    ],
)
def test_a_dataset_clause_is_found_as_before(query, named):
    assert has_dataset_clause(query) is named
