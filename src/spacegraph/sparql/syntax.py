"""A query's syntax error explained in the user's own text: where (line and column of what they typed, with the
line and a caret under the place) and, when a prefix is used without being declared, which one and how to declare
it.

The engine's message is ``error at LINE:COLUMN: expected …``. The project's prefixes are declared for every query:
by the engine itself (pyoxigraph's ``prefixes``, positions are already the user's) or by lines put in front of the
query (``lines_before``, taken off the line number).

>>> print(explain("error at 2:14: expected OPTIONAL", "SELECT * WHERE {\\n  ?s ex:name ?o }", {"sg"}))
line 2, column 6: the prefix ex: is not declared: add PREFIX ex: <…> before the query (declared: sg:)
  ?s ex:name ?o }
     ^
"""

from __future__ import annotations

import re
from collections.abc import Iterable

POSITION = re.compile(r"error at (\d+):(\d+): ?")
# What cannot hold a prefixed name: strings, IRIs and comments (replaced by spaces, so positions stay).
NOT_NAMES = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|'
                       r"<[^<>\"{}|^`\\\s]*>|#[^\n]*")  # fmt: skip
PREFIXED_NAME = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.\-]*)?:")
DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.\-]*)?:", re.I)
# The character classes of the engine's "expected one of …" list say nothing to a user.
CHARACTER_CLASS = re.compile(r",?\s*\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]")


def explain(message: str, query: str, project_prefixes: Iterable[str], lines_before: int = 0) -> str:
    """The engine's syntax error ``message`` on ``query`` said for a person (see the module's documentation)."""
    found = POSITION.match(message)
    said = _readable(message[found.end() :] if found else message)
    declared = set(project_prefixes)
    missing = undeclared_prefixes(query, declared)
    if missing:
        name, line, column = missing[0]
        listed = ", ".join(f"{p}:" for p in sorted(declared))
        said = f"the prefix {name}: is not declared: add PREFIX {name}: <…> before the query (declared: {listed})"
    elif found:
        line, column = int(found.group(1)) - lines_before, int(found.group(2))
    else:
        return said
    lines = query.splitlines() or [""]
    if not 1 <= line <= len(lines):
        return f"line {line}, column {column}: {said}"
    return f"line {line}, column {column}: {said}\n{lines[line - 1]}\n{' ' * (column - 1)}^"


def undeclared_prefixes(query: str, project_prefixes: Iterable[str]) -> list[tuple[str, int, int]]:
    """The prefixed names of ``query`` whose prefix neither the query nor the project declares: (prefix, line,
    column) of each first use."""
    text = NOT_NAMES.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), query)
    declared = set(project_prefixes) | {m.group(1) or "" for m in DECLARED.finditer(text)}
    seen: dict[str, tuple[str, int, int]] = {}
    for match in PREFIXED_NAME.finditer(text):
        name = match.group(1) or ""
        if name in declared or name in seen:
            continue
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        seen[name] = (name, line, column)
    return list(seen.values())


def _readable(said: str) -> str:
    """The engine's list of what it expected, without character classes; the first line only."""
    said = CHARACTER_CLASS.sub("", said.replace("\n", " ")).replace("one of ,", "one of").strip()
    return said[:300]
