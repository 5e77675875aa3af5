"""Result formats of the SPARQL 1.1 Protocol: choosing one by content negotiation, and writing it in chunks.

SELECT results are written here (JSON, XML, CSV, TSV, per the W3C result-format specs) so that a row limit can be
applied while writing; graphs (CONSTRUCT, DESCRIBE) are written by pyoxigraph's serializers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
FORMAT_NAMES = {  # the `format` parameter's short names
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml", "xml-rdf": "application/rdf+xml",
    "trig": "application/trig", "nquads": "application/n-quads",
}  # fmt: skip
# Equivalent types clients send.
ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
           "text/xml": "application/sparql-results+xml", "application/x-turtle": "text/turtle",
           "text/plain": "application/n-triples", "application/json+ld": "application/ld+json"}  # fmt: skip
CHUNK = 64 * 1024


class NotAcceptable(ValueError):
    """No result format the client accepts fits the query (HTTP 406)."""


def choose_format(form: str, accept: MIMEAccept, format_param: str | None) -> str:
    """The media type to answer with: the `format` parameter, else the best of Accept (q-values honoured)."""
    offered = list(SOLUTION_TYPES) if form in ("SELECT", "ASK") else list(GRAPH_TYPES)
    if format_param:
        wanted = FORMAT_NAMES.get(format_param.lower(), ALIASES.get(format_param.lower(), format_param.lower()))
        if wanted not in offered:
            raise NotAcceptable(f"format {format_param!r} does not fit a {form} query: use one of {', '.join(offered)}")
        return wanted
    if not accept or accept.best == "*/*" and len(accept) == 1:
        return offered[0]
    candidates = offered + [alias for alias, real in ALIASES.items() if real in offered]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptable(f"none of the accepted types ({accept}) fits a {form} query: offered {', '.join(offered)}")
    return ALIASES.get(best, best)


def write_solutions(variables: list[str], rows: Iterable[ox.QuerySolution], media_type: str) -> Iterator[bytes]:
    kind = SOLUTION_TYPES[media_type]
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[kind]
    buffer = io.StringIO()
    for piece in writer(variables, rows):
        buffer.write(piece)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer = io.StringIO()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_boolean(value: bool, media_type: str) -> bytes:
    kind = SOLUTION_TYPES[media_type]
    if kind == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if kind == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return ("_askResult\r\n" if kind == "csv" else "?_askResult\n").encode() + (b"true" if value else b"false") + b"\n"


def _value(solution: ox.QuerySolution, variable: str):
    try:
        return solution[variable]
    except KeyError:
        return None


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def _json(variables: list[str], rows: Iterable[ox.QuerySolution]) -> Iterator[str]:
    yield '{"head": {"vars": ' + json.dumps(variables) + '}, "results": {"bindings": ['
    first = True
    for row in rows:
        binding = {v: _json_term(t) for v in variables if (t := _value(row, v)) is not None}
        yield ("" if first else ",\n") + json.dumps(binding, ensure_ascii=False)
        first = False
    yield "]}}\n"


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _xml(variables: list[str], rows: Iterable[ox.QuerySolution]) -> Iterator[str]:
    yield '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
    yield "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    yield "</head>\n<results>\n"
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v in variables
            if (t := _value(row, v)) is not None
        )
        yield f"<result>{cells}</result>\n"
    yield "</results>\n</sparql>\n"


def _csv_cell(term) -> str:
    if term is None:
        return ""
    text = term.value if isinstance(term, ox.NamedNode | ox.Literal) else f"_:{term.value}"
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _csv(variables: list[str], rows: Iterable[ox.QuerySolution]) -> Iterator[str]:
    yield ",".join(variables) + "\r\n"
    for row in rows:
        yield ",".join(_csv_cell(_value(row, v)) for v in variables) + "\r\n"


def _tsv(variables: list[str], rows: Iterable[ox.QuerySolution]) -> Iterator[str]:
    yield "\t".join(f"?{v}" for v in variables) + "\n"
    for row in rows:
        # N-Triples syntax, whose escapes keep tabs and line breaks out of the cells
        yield "\t".join("" if (t := _value(row, v)) is None else str(t) for v in variables) + "\n"


def write_graph(triples: Iterable[ox.Triple], media_type: str, emit: Callable[[bytes], None]) -> None:
    """Serialize a graph with pyoxigraph, handing the output to ``emit`` in chunks as it is written."""
    sink = _ChunkSink(emit)
    ox.serialize(triples, sink, format=GRAPH_TYPES[media_type])  # type: ignore[arg-type]
    sink.flush()


class _ChunkSink(io.RawIOBase):
    """A binary file pyoxigraph writes into; every CHUNK bytes go on to ``emit``."""

    def __init__(self, emit: Callable[[bytes], None]) -> None:
        super().__init__()
        self.emit = emit
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.pending += data
        if len(self.pending) >= CHUNK:
            self.emit(bytes(self.pending))
            self.pending.clear()
        return len(data)

    def flush(self) -> None:
        if self.pending:
            self.emit(bytes(self.pending))
            self.pending.clear()
