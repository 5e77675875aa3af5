"""Early projection: a query's join made over distinct rows where its answer cannot tell the difference.

Oxigraph's planner does not project away early. Under set semantics (a ``SELECT DISTINCT``, or a grouping whose
every aggregate ignores duplicates: ``COUNT(DISTINCT …)``, ``MIN``, ``MAX``), the identity of relational
algebra (Ullman, *Principles of Database and Knowledge-Base Systems*, vol. I, 1988, on pushing projections
through joins; Garcia-Molina, Ullman and Widom, *Database Systems: The Complete Book*, 2nd ed., section 16.2.4):

    π_Y(σ_F1(R1) ⋈ σ_F2(R2)) = π_Y(π_{Y1∪S}(σ_F1(R1)) ⋈ π_{Y2∪S}(σ_F2(R2)))

where S holds the variables R1 and R2 share and Y1, Y2 the kept ones of each, lets each part of a group be a
``SELECT DISTINCT`` of its kept and shared variables, with the FILTERs that read only its variables inside it. A
group of triple patterns is cut into stars (the patterns of one subject); a star with no variable of its own to
drop joins the star it shares most variables with. Example: the all-pairs join (b) of bench/sparql.py becomes two
sub-selects of distinct, typed (person, edition) pairs joined on the edition.

A group with a pattern that names its subject or object (other than a class), or a FILTER comparing with a
constant outside an EXISTS, is selective and left as written: Oxigraph starts from the rows it keeps and looks the
rest up by index, which sub-selects, evaluated on their own, would stop.

A query is left as written as a whole (``_eligible``) when the rewrite could change which rows it keeps or what
it means: a LIMIT or OFFSET anywhere (with ties in its ORDER BY, which rows are kept depends on the order they
come in), RAND, UUID, STRUUID or BNODE anywhere (a new value per row: the number of duplicate rows shows), a
labelled blank node (the rewrite makes it a variable, and a label used in two groups is an error the engine must
give), a prefix the query does not declare and the endpoint does not either (the engine's error, not rows), a
relative IRI (rdflib and Oxigraph resolve some differently), and an IRI-looking token that may be a comparison
(``?a<?b … ?c>?d`` read as one IRI would hide its variables).

Only a group of plain triple patterns (no property path, collection, OPTIONAL, MINUS, UNION, BIND, VALUES,
GRAPH, SERVICE or sub-select) and FILTERs is rewritten; blank nodes are variables of their part; a FILTER that
reads variables of two parts stays outside. Every solution of a group of triple patterns binds all of its
variables, so a FILTER over one part's variables sees the same values inside it (an unbound variable it names is
unbound in both). ``plan`` returns None for any other query, and cheaply for small ones: rdflib's parser (about
10 ms) only reads a query that has ``DISTINCT`` and a group that qualifies.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from rdflib.namespace import RDF, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import BNode, Literal, URIRef, Variable

from spacegraph.vocab import PREFIXES

log = logging.getLogger("spacegraph.sparql")

_NAMESPACES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_TOKEN = re.compile(
    r'(?P<space>\s+|#[^\n]*)|(?P<string>"""(?:"{0,2}(?:[^"\\]|\\.))*"""|' + r"'''(?:'{0,2}(?:[^'\\]|\\.))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"|' + r"'(?:[^'\\\n\r]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)|(?P<var>[?$]\w+)|(?P<bnode>_:[\w.-]*)'
    r"|(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%.-]|\\.)*)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].;,<>=!+\-*/|^?])"
)
_LONGEST = 20_000  # characters: a longer query is not read (rdflib's parser would take its time from the deadline)
_OPEN = {"{": "}", "(": ")", "[": "]"}
_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
_SET_AGGREGATES = {"MIN", "MAX"}  # the same answer over distinct rows, without DISTINCT
_ORDERED_AGGREGATES = {"SAMPLE", "GROUP_CONCAT"}  # their answer depends on the order of the rows
_RANDOM = {"RAND", "UUID", "STRUUID", "BNODE"}  # a new value per row: a query calling these is not rewritten
_TRIPLE_TOKENS = {"var", "iri", "pname", "string", "number", "lang", "bnode"}
_TRIPLE_PUNCT = {".", ";", ",", "[", "]", "^^"}


class _NotRewritten(Exception):
    """The query is not of a shape this module rewrites (or could not be read): it runs as written."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    def word(self) -> str:
        return self.text.upper() if self.kind == "name" else ""


def plan(text: str, base_iri: str | None = None) -> str | None:
    """The query rewritten with its parts made distinct before their join, or None when it is not rewritten."""
    if len(text) > _LONGEST or "DISTINCT" not in text.upper() or "_sg_blank" in text:
        return None
    try:
        tokens = _tokens(text)
        closing, parent = _brackets(tokens)
    except _NotRewritten:
        return None
    if not _eligible(tokens):
        return None
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if token.word() != "SELECT" or (edits and token.start < edits[-1][1]):
            continue
        try:
            edit = _rewrite_select(text, tokens, closing, parent, i, base_iri)
        except Exception as error:  # a shape not rewritten, or one rdflib does not read: as written
            log.debug("query not rewritten (%s: %s)", type(error).__name__, error)
            continue
        if edit is not None:
            edits.append(edit)
    if not edits:
        return None
    for start, end, group in reversed(edits):
        text = text[:start] + group + text[end:]
    log.debug("query rewritten with early projection: %s", text)
    return text


_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_IN_A_READ_IRI = set("?$(),")  # an IRI with one may be a misread comparison: ?a<STR(?b),…>


def _eligible(tokens: list[_Token]) -> bool:
    """Whether the query as a whole may be rewritten (see the module's documentation)."""
    declared = {tokens[k + 1].text.split(":", 1)[0] for k, t in enumerate(tokens[:-1]) if t.word() == "PREFIX"}
    for token in tokens:
        if token.word() in ("LIMIT", "OFFSET") or token.word() in _RANDOM or token.kind == "bnode":
            return False
        if token.kind == "iri" and (not _ABSOLUTE.match(token.text) or _NOT_IN_A_READ_IRI & set(token.text)):
            return False
        if token.kind == "pname" and token.text.split(":", 1)[0] not in declared | _NAMESPACES.keys():
            return False
    return True


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        found = _TOKEN.match(text, position)
        if found is None or found.lastgroup is None:
            raise _NotRewritten(f"unread text at {position}")
        kind, end = found.lastgroup, found.end()
        if kind == "pname":  # a prefixed name does not end with a dot: that dot ends the triple
            while text[end - 1] == "." and end - 1 > position:
                end -= 1
        if kind != "space":
            tokens.append(_Token(kind, text[position:end], position, end))
        position = end
    return tokens


def _brackets(tokens: list[_Token]) -> tuple[dict[int, int], dict[int, int | None]]:
    """Each opening bracket's closing one, and each token's innermost enclosing opening bracket."""
    closing: dict[int, int] = {}
    parent: dict[int, int | None] = {}
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind == "punct" and token.text in _OPEN.values():
            if not stack or _OPEN[tokens[stack[-1]].text] != token.text:
                raise _NotRewritten("unbalanced brackets")
            closing[stack.pop()] = i
        parent[i] = stack[-1] if stack else None
        if token.kind == "punct" and token.text in _OPEN:
            stack.append(i)
    if stack:
        raise _NotRewritten("unbalanced brackets")
    return closing, parent


def _rewrite_select(text, tokens, closing, parent, i, base_iri) -> tuple[int, int, str] | None:
    """The edit (start, end, new group) of the SELECT at token ``i``'s WHERE group, or None."""
    outer = parent[i]
    while outer is not None:  # EXISTS substitutes its solution's values into the pattern: left as written
        if outer and tokens[outer - 1].word() == "EXISTS":
            return None
        outer = parent[outer]
    j = i + 1
    distinct = tokens[j].word() == "DISTINCT"
    j += tokens[j].word() in ("DISTINCT", "REDUCED")
    head = j
    while not (tokens[j].text == "{" or tokens[j].word() in ("WHERE", "FROM")):
        j = closing.get(j, j) + 1
    projection = tokens[head:j]
    while tokens[j].text != "{":
        j += 1
    open_, close = j, closing[j]
    enclosing = parent[i]
    tail = tokens[close + 1 : closing[enclosing] if enclosing is not None else len(tokens)]
    if not _set_semantics(projection, tail, distinct):
        return None
    kept = {t.text[1:] for t in (*projection, *tail) if t.kind == "var"}
    triples, filters = _pieces(text, tokens, closing, open_, close)
    group = _split(_prologue(text, tokens), triples, filters, kept, base_iri)
    return None if group is None else (tokens[open_].start, tokens[close].end, group)


def _set_semantics(projection: list[_Token], tail: list[_Token], distinct: bool) -> bool:
    """Whether the answer depends only on the set of the group's solutions (over the variables it reads)."""
    words = [t.word() for t in (*projection, *tail)]
    if "*" in (t.text for t in projection) or "VALUES" in words:
        return False
    aggregates = [k for k, word in enumerate(words) if word in _AGGREGATES]
    if not aggregates and "GROUP" not in words and "HAVING" not in words:
        return distinct
    every = [*projection, *tail]
    for k in aggregates:
        if words[k] in _SET_AGGREGATES:
            continue
        if words[k] in _ORDERED_AGGREGATES or every[k + 2].word() != "DISTINCT" or every[k + 3].text == "*":
            return False
    return True


def _pieces(text, tokens, closing, open_, close) -> tuple[str, list[tuple[str, set[str]]]]:
    """A group's triple patterns (as text) and its FILTERs (text, variables named); raises unless the group is
    only triple patterns and FILTERs."""
    runs: list[str] = []
    filters: list[tuple[str, set[str]]] = []
    j, run_start = open_ + 1, None
    while j < close:
        token = tokens[j]
        if token.word() == "FILTER":
            end = _filter_end(tokens, closing, j)
            inside = tokens[j : end + 1]
            if _names_a_constant(tokens, closing, j, end):
                raise _NotRewritten("a FILTER naming a constant: selective, as a pattern naming one")
            filters.append((text[token.start : tokens[end].end], {t.text[1:] for t in inside if t.kind == "var"}))
            j = end + 1
            continue
        if not _in_triples(token):
            raise _NotRewritten(f"not a triple pattern: {token.text}")
        run_start = j if run_start is None else run_start
        if j + 1 == close or tokens[j + 1].word() == "FILTER":
            runs.append(_run_text(text, tokens[run_start : j + 1]))
            run_start = None
        j += 1
    return " . ".join(run for run in runs if run), filters


def _names_a_constant(tokens, closing, start, end) -> bool:
    """Whether a FILTER compares with a constant outside its EXISTS patterns (``?a = <x>``, ``CONTAINS(?n, "x")``):
    Oxigraph may start from the rows it keeps; an EXISTS (a type check, say) is taken to keep most."""
    k = start
    while k <= end:
        token = tokens[k]
        if token.word() == "EXISTS":
            k = closing[k + 1] + 1
            continue
        if token.kind in ("iri", "pname", "string", "number") or token.word() in ("TRUE", "FALSE"):
            return True
        k += 1
    return False


def _filter_end(tokens, closing, j) -> int:
    k = j + 1
    if tokens[k].word() == "NOT":
        k += 1
    if tokens[k].word() == "EXISTS" and tokens[k + 1].text == "{":
        return closing[k + 1]
    if tokens[k].text == "(":
        return closing[k]
    if tokens[k].kind in ("name", "pname", "iri") and tokens[k + 1].text == "(":
        return closing[k + 1]
    raise _NotRewritten("an unread FILTER")


def _in_triples(token: _Token) -> bool:
    if token.kind == "name":
        return token.text in ("a", "true", "false")
    return token.kind in _TRIPLE_TOKENS or (token.kind == "punct" and token.text in _TRIPLE_PUNCT)


def _run_text(text: str, run: list[_Token]) -> str:
    while run and run[0].text == ".":
        run = run[1:]
    while run and run[-1].text == ".":
        run = run[:-1]
    return text[run[0].start : run[-1].end] if run else ""


def _prologue(text: str, tokens: list[_Token]) -> str:
    first = next(t for t in tokens if t.word() in _FORMS)
    return text[: first.start]


def _two_subjects(triples_text: str) -> bool:
    """Whether the triple patterns may have two subjects: a blank node's property list, or a dot between two."""
    tokens = _tokens(triples_text)
    inner = any(t.text == "[" and tokens[k + 1].text != "]" for k, t in enumerate(tokens[:-1]))
    return inner or any(t.text == "." for t in tokens[:-1])


def _triples(prologue: str, triples: str, base_iri: str | None) -> list[tuple]:
    """The triple patterns, read by rdflib, with blank nodes as variables (named apart from the query's)."""
    query = translateQuery(parseQuery(f"{prologue}\nSELECT * WHERE {{ {triples} }}"), base_iri, _NAMESPACES)
    bgp = query.algebra.p.p
    if bgp.name != "BGP":
        raise _NotRewritten("not a basic graph pattern")
    blanks: dict[BNode, Variable] = {}
    out = []
    for triple in bgp.triples:
        terms = []
        for term in triple:
            if isinstance(term, BNode):
                term = blanks.setdefault(term, Variable(f"_sg_blank{len(blanks)}"))
            if not isinstance(term, Variable | URIRef | Literal):
                raise _NotRewritten(f"not a term: {term!r}")
            if isinstance(term, Literal) and term.datatype not in (None, XSD.string):
                raise _NotRewritten(f"a typed literal ({term.n3()}): rdflib may write it in its canonical form")
            terms.append(term)
        out.append(tuple(terms))
    return out


def _split(prologue, triples_text, filters, kept, base_iri) -> str | None:
    """The group with its parts as sub-selects of distinct rows, or None when there is nothing to drop."""
    if not _two_subjects(triples_text):  # one star is one part: rdflib need not read it
        return None
    triples = _triples(prologue, triples_text, base_iri)
    if len(triples) < 2 or any(_selective(triple) for triple in triples):
        return None
    parts = _stars(triples, kept)
    if len(parts) < 2:
        return None
    names = [{str(term) for triple in part for term in triple if isinstance(term, Variable)} for part in parts]
    for _, variables in filters:  # a filter over two parts stays outside: what it reads is kept
        present = variables & set().union(*names)
        if not any(present <= part for part in names):
            kept = kept | variables
    shared = {v for k, part in enumerate(names) for v in part if any(v in o for m, o in enumerate(names) if m != k)}
    blocks, outside = [], list(filters)
    for part, variables in zip(parts, names, strict=True):
        projected = sorted(variables & (kept | shared))
        patterns = " . ".join(" ".join(term.n3() for term in triple) for triple in part)
        if not projected or len(projected) == len(variables):
            blocks.append(patterns + " .")
            continue
        inside = [f for f in outside if f[1] & variables and f[1] & set().union(*names) <= variables]
        outside = [f for f in outside if f not in inside]
        body = " ".join([patterns + " .", *(f[0] for f in inside)])
        blocks.append(f"{{ SELECT DISTINCT {' '.join('?' + v for v in projected)} WHERE {{ {body} }} }}")
    if not any(block.startswith("{") for block in blocks):
        return None
    return "{ " + "\n  ".join([*blocks, *(f[0] for f in outside)]) + " }"


def _selective(triple: tuple) -> bool:
    """Whether a pattern names a subject or an object (not a class): Oxigraph then starts from it and looks the
    rest up by index, which a sub-select, evaluated on its own, would stop."""
    subject, predicate, object_ = triple
    return not isinstance(subject, Variable) or not (isinstance(object_, Variable) or predicate == RDF.type)


def _stars(triples: list[tuple], kept: set[str]) -> list[list[tuple]]:
    """The triple patterns in stars of one subject; a star with no variable of its own to drop is joined to the
    star it shares most variables with."""
    stars: dict[object, list[tuple]] = {}
    for triple in triples:
        stars.setdefault(triple[0], []).append(triple)
    parts = list(stars.values())

    def variables(part: list[tuple]) -> set[str]:
        return {str(term) for triple in part for term in triple if isinstance(term, Variable)}

    merged = True
    while merged and len(parts) > 1:
        merged = False
        for k, part in enumerate(parts):
            others = set().union(*(variables(p) for m, p in enumerate(parts) if m != k))
            if variables(part) - kept - others:
                continue
            neighbours = sorted(((len(variables(p) & variables(part)), -m) for m, p in enumerate(parts) if m != k),
                                reverse=True)  # fmt: skip
            if neighbours and neighbours[0][0]:
                parts[-neighbours[0][1]] += part
                del parts[k]
                merged = True
                break
    return parts


def run(store, text: str, options: dict):
    """``store.query(text, **options)``, of the rewritten text when ``plan`` rewrites it; the text as written when
    the engine refuses the rewritten one (its error, if any, is then the user's own)."""
    planned = plan(text, options.get("base_iri"))
    if planned is not None:
        try:
            return store.query(planned, **options)
        except (SyntaxError, ValueError) as error:
            log.debug("the rewritten query was refused (%s): running it as written", error)
    return store.query(text, **options)
