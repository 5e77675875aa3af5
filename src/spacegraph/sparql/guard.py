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

The guard is the first barrier, not the only one: the embedded engine's query process cannot open a network
socket at all (``spacegraph.sparql.confine``), so a query the guard misreads still reaches no other service.
"""

from __future__ import annotations

import bisect
import re

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
# Virtuoso's SQL built-ins, e.g. bif:file_to_string: a name in the bif: or sql: prefix, also inside an IRI-looking
# token (read with its "<" as an operator, the name is a call); "mysql:" is not one.
ENGINE_FUNCTION = re.compile(r"(?<![\w.\-])(?:bif|sql):", re.I)

# The terminals of the SPARQL 1.1 grammar (https://www.w3.org/TR/sparql11-query/#terminals), written out so that
# the guard splits a query where the engine does. The grammar's white space (WS, [173]) is only space, tab, CR and
# LF: a U+00A0 or U+2028 inside <…> belongs to the IRI, and a # after it does not start a comment.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)  # PN_CHARS_BASE
_U = _BASE + "_"  # PN_CHARS_U
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"  # PN_CHARS
_PLX = "%[0-9A-Fa-f]{2}|\\\\[_~.\\-!$&'()*+,;=/?#@%]"  # PERCENT | PN_LOCAL_ESC
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"  # PN_PREFIX
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"  # PN_LOCAL
_VARNAME = f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"  # VARNAME
_ECHAR = "\\\\[tbnrf\\\\\"']"  # ECHAR
TOKEN = re.compile(
    "|".join(
        [
            f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}))*"""',  # STRING_LITERAL_LONG2
            f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}))*'''",  # STRING_LITERAL_LONG1
            f'"(?:[^"\\\\\\n\\r]|{_ECHAR})*"',  # STRING_LITERAL2
            f"'(?:[^'\\\\\\n\\r]|{_ECHAR})*'",  # STRING_LITERAL1
            '<[^<>"{}|^`\\\\\\x00-\\x20]*>',  # IRIREF
            "#[^\\r\\n]*",  # a comment runs to the end of the line (\n or \r)
            f"[?$]{_VARNAME}",  # VAR1, VAR2
            "@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*",  # LANGTAG: "x"@add is a language tag, not ADD
            f"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?",  # BLANK_NODE_LABEL
            f"(?:{_PREFIX})?:(?:{_LOCAL})?",  # PNAME_LN, PNAME_NS: ":add" and "ex:delete" are names
            "[A-Za-z_][A-Za-z0-9_]*",  # keywords and function names
            "[^\\x20\\t\\r\\n]",  # anything else, one character at a time
        ]
    ),
    re.S,
)
OPEN, CLOSE = "{([", "})]"
NESTING = "<" + OPEN + CLOSE  # the first characters of the tokens that change the nesting depth (``_nest``)
# Every text ``_refuse`` refuses, looser: a refused token of an ASCII query holds one of these in some case (a word,
# or a built-in's prefix), so an ASCII query that holds none has no token to refuse. (Not so beyond ASCII: case-blind
# matching takes the dotless "ı" for "i", and "ſ" for "s".)
REFUSABLE = ("bif:", "sql:", "service", "define", *(word.lower() for word in sorted(UPDATE_KEYWORDS)))


class QueryRefused(ValueError):
    """A query refused before execution (HTTP 400); the message says why."""


def check_query(query: str, *, max_bytes: int, max_depth: int) -> str:
    """Refuse the query, or return its form: SELECT, ASK, CONSTRUCT or DESCRIBE.

    One place is read two ways by the grammar: ``<`` starts an IRI, or is "less than" inside an expression
    (``FILTER(?a<'>' …)``). Where an IRI-looking token holds a ``'`` or ``#``, the engine's other reading could
    enter a string or a comment that the first reading does not; the text after it is then also checked as the
    other reading sees it, until the two readings meet again at a token boundary.
    """
    size = len(query.encode("utf-8"))
    if size > max_bytes:
        raise QueryRefused(f"the query is {size:,} bytes; this endpoint accepts at most {max_bytes:,}")
    tokens = list(TOKEN.finditer(query))
    other: _OtherReading | None = None
    # A token can be refused only if its text is in the query: without any, no token is looked at for it
    lowered = query.lower()
    refusable = not query.isascii() or any(text in lowered for text in REFUSABLE)
    form = None
    depth = 0
    for m in tokens:
        token = m.group(0)
        if refusable:
            _refuse(token)
        if token[0] in NESTING:
            depth = _nest(token, depth, max_depth)
        if form is None and token.upper() in FORMS:
            form = token.upper()
        if token[0] == "<" and len(token) > 1 and ("'" in token or "#" in token):
            if other is None:
                other = _OtherReading(query, {m.start() for m in tokens}, max_depth)
            other.check(m, depth)
    if form is None:
        raise QueryRefused("not a SPARQL query: it should be a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return form


class _OtherReading:
    """The text after an IRI-looking token, read with its ``<`` as an operator. Inside the token's span there is
    no ``{``, so nothing there can open a SERVICE or an update; what matters is a string or comment that starts
    inside and ends beyond it. Each position is read at most once over all the IRIs, and a comment is skipped to
    its line's end without reading it, so the work stays linear in the query's length."""

    def __init__(self, query: str, starts: set[int], max_depth: int):
        self.query, self.starts, self.max_depth = query, starts, max_depth
        self.seen: set[int] = set()
        self.line_ends = [m.start() for m in _LINE_END.finditer(query)] + [len(query)]

    def check(self, iri: re.Match, depth: int) -> None:
        query, position = self.query, iri.start() + 1
        while True:
            space = _SPACE.match(query, position)
            assert space is not None  # it matches the empty string too
            position = space.end()
            if position >= len(query) or position in self.seen:
                return
            if position >= iri.end() and position in self.starts:
                return  # both readings are in step again from here
            self.seen.add(position)
            if query[position] == "#":  # a comment, to the end of its line
                position = self.line_ends[bisect.bisect(self.line_ends, position)]
                continue
            m = TOKEN.match(query, position)
            assert m is not None  # the last alternative of TOKEN matches any character but white space
            if m.end() > iri.end():
                _refuse(m.group(0))
                depth = _nest(m.group(0), depth, self.max_depth)
            position = m.end()


_SPACE = re.compile("[\x20\t\r\n]*")
_LINE_END = re.compile("[\r\n]")


def _nest(token: str, depth: int, max_depth: int) -> int:
    """The nesting depth after ``token``. Brackets inside an IRI-looking token count too: read with its ``<`` as
    an operator, they are brackets."""
    if token[0] not in NESTING:
        return depth
    for char in token:
        if char in OPEN:
            depth += 1
            if depth > max_depth:
                raise QueryRefused(f"the query nests groups or expressions more than {max_depth} deep")
        elif char in CLOSE:
            depth -= 1
    return depth


def _refuse(token: str) -> None:
    """Refuse a keyword the service must not run, or a SQL built-in of a SPARQL server (in a name or an IRI)."""
    engine = ENGINE_FUNCTION.search(token) if token[0] not in "\"'#" else None
    if engine:
        name = re.split(r"[(>]", token[engine.start() :])[0]
        raise QueryRefused(f"{name} is refused: bif: and sql: name a SPARQL server's SQL built-ins (Virtuoso's), "
                           "which can read files")  # fmt: skip
    if not (token[0].isalpha() or token[0] == "_") or ":" in token:
        return
    word = token.upper()
    if word in UPDATE_KEYWORDS:
        raise QueryRefused(f"{word} is not allowed: this endpoint is read-only (SPARQL Update is refused)")
    if word == "SERVICE":
        raise QueryRefused("SERVICE is not allowed: this endpoint does not federate queries to other services")
    if word == "DEFINE":  # not SPARQL: Virtuoso's pragmas, some of which fetch IRIs from the network
        raise QueryRefused("DEFINE is not SPARQL 1.1 (it sets server pragmas, which can fetch IRIs): remove it")


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED``): then that dataset applies (SPARQL 1.1
    section 13.2), among the graphs the store holds, and not the service's default one."""
    if _FROM.search(query) is None:  # the token is ASCII, so the text is in the query (a quick look first)
        return False
    return any(m.group(0).upper() == "FROM" for m in TOKEN.finditer(query))


_FROM = re.compile("from", re.I)
