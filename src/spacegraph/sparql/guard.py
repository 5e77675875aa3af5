"""Checks a query text before any parser sees it. A query the service must not run is refused here.

The scan is lexical (strings, IRIs and comments are skipped), so keywords inside literals do not count:

>>> check_query('SELECT * WHERE { ?s ?p "INSERT DATA" }', max_bytes=1000, max_depth=10)
'SELECT'
>>> try:
...     check_query("LOAD <file:///etc/passwd>", max_bytes=1000, max_depth=10)
... except QueryRefused as refused:
...     print(refused)
LOAD is not allowed: this endpoint is read-only (SPARQL Update is refused)

Queries a SPARQL server behind the endpoint would run with powers SPARQL does not have are refused too:

>>> try:
...     check_query('SELECT (bif:file_to_string("/etc/passwd") AS ?x) {}', max_bytes=1000, max_depth=10)
... except QueryRefused as refused:
...     print(refused)
bif:file_to_string is refused: bif: and sql: name a SPARQL server's SQL built-ins (Virtuoso's), which can read files
"""

from __future__ import annotations

import re

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"  # IRIs
    r"|#[^\r\n]*"  # comments: to the end of the line, which \r ends too (as it does for the engine)
    r"|[?$][A-Za-z0-9_\u00B7-\uFFFF]+"  # variables
    r"|[A-Za-z_][A-Za-z0-9_\-.]*:[^\s{}()\[\],;]*"  # prefixed names
    r"|:[^\s{}()\[\],;]*"  # names in the empty prefix (":add" is a name, not ADD)
    r"|[A-Za-z_][A-Za-z0-9_]*"  # keywords and function names
    r"|[{(\[]|[})\]]"
    r"|\S",
    re.S,
)


ENGINE_FUNCTIONS = ("bif:", "sql:")  # Virtuoso's SQL built-ins, e.g. bif:file_to_string


class QueryRefused(ValueError):
    """A query refused before execution (HTTP 400); the message says why."""


FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def check_query(query: str, *, max_bytes: int, max_depth: int) -> str:
    """Refuse the query, or return its form: SELECT, ASK, CONSTRUCT or DESCRIBE."""
    size = len(query.encode("utf-8"))
    if size > max_bytes:
        raise QueryRefused(f"the query is {size:,} bytes; this endpoint accepts at most {max_bytes:,}")
    depth = deepest = 0
    form = None
    for m in TOKEN.finditer(query):
        token = m.group(0)
        if token.lower().lstrip("<").startswith(ENGINE_FUNCTIONS):
            raise QueryRefused(f"{token.split('(')[0]} is refused: bif: and sql: name a SPARQL server's SQL built-ins "
                               "(Virtuoso's), which can read files")  # fmt: skip
        if token in "{([":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise QueryRefused(f"the query nests groups or expressions more than {max_depth} deep")
        elif token in "})]":
            depth -= 1
        elif token[0].isalpha() or token[0] == "_":
            word = token.upper()
            if word in UPDATE_KEYWORDS:
                raise QueryRefused(f"{word} is not allowed: this endpoint is read-only (SPARQL Update is refused)")
            if word == "SERVICE":
                raise QueryRefused("SERVICE is not allowed: this endpoint does not federate queries to other services")
            if word == "DEFINE":  # not SPARQL: Virtuoso's pragmas, some of which fetch IRIs from the network
                raise QueryRefused("DEFINE is not SPARQL 1.1 (it sets server pragmas, which can fetch IRIs): remove it")
            if form is None and word in FORMS:
                form = word
    if form is None:
        raise QueryRefused("not a SPARQL query: it should be a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return form


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED``): then that dataset applies (SPARQL 1.1
    section 13.2), among the graphs the store holds, and not the service's default one."""
    return any(m.group(0).upper() == "FROM" for m in TOKEN.finditer(query))
