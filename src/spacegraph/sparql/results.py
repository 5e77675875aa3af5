"""Result formats of the SPARQL 1.1 Protocol: choosing one by content negotiation, and writing it.

Every result is written by pyoxigraph's serializers (``QuerySolutions.serialize`` for solutions, ``serialize`` for
graphs), which handle RDF 1.2 triple terms, directional language tags and the escapes of each format. A row limit
is applied on the way: the solutions are first written as SPARQL TSV (one solution a line, the format's escapes
keep tabs and line breaks out of the cells), cut after ``limit`` lines, read back (``parse_query_results``) and
written in the format asked for.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# The `format` parameter's short names, per kind of result: those of SPARQLWrapper (xml, json, n3, rdf, rdf+xml,
# turtle, csv, tsv, json-ld: it sends its returnFormat as `format`) and common others. A name means the format of
# its family that fits the query: `xml` is SPARQL XML for a SELECT and RDF/XML for a CONSTRUCT.
SOLUTION_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "rdf": "application/sparql-results+xml", "rdf+xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}  # fmt: skip
GRAPH_NAMES = {
    "turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/turtle", "ntriples": "application/n-triples",
    "nt": "application/n-triples", "n-triples": "application/n-triples", "json": "application/ld+json",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json", "xml": "application/rdf+xml",
    "rdf": "application/rdf+xml", "rdf+xml": "application/rdf+xml", "rdfxml": "application/rdf+xml",
    "xml-rdf": "application/rdf+xml", "trig": "application/trig", "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
}  # fmt: skip
FORMAT_NAMES = {**GRAPH_NAMES, **SOLUTION_NAMES}  # every short name (documentation; the form chooses the meaning)
# Equivalent types clients send.
ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
           "text/xml": "application/sparql-results+xml", "application/x-turtle": "text/turtle",
           "application/turtle": "text/turtle", "text/n3": "text/turtle", "text/rdf+n3": "text/turtle",
           "application/n3": "text/turtle", "text/plain": "application/n-triples",
           "application/json+ld": "application/ld+json", "application/x-json+ld": "application/ld+json"}  # fmt: skip
GRAPH_ALIASES = {"application/json": "application/ld+json", "application/xml": "application/rdf+xml",
                 "text/xml": "application/rdf+xml"}  # fmt: skip
CHUNK = 64 * 1024
TSV = ox.QueryResultsFormat.TSV


def file_extension(media_type: str) -> str:
    """The usual file name extension of a result format: srj, srx, csv, tsv, ttl, nt, jsonld, rdf, trig, nq."""
    known = SOLUTION_TYPES.get(media_type) or GRAPH_TYPES.get(media_type)
    return known.file_extension if known else "txt"


class NotAcceptable(ValueError):
    """No result format the client accepts fits the query (HTTP 406)."""


def choose_format(form: str, accept: MIMEAccept, format_params: Iterable[str] = ()) -> str:
    """The media type to answer with: the first `format` parameter that names a format (a short name or a media
    type), else the best of Accept (q-values honoured; give it without media type parameters, see
    ``spacegraph.web.render.accepted``)."""
    solutions = form in ("SELECT", "ASK")
    offered = list(SOLUTION_TYPES) if solutions else list(GRAPH_TYPES)
    names, aliases = (SOLUTION_NAMES, ALIASES) if solutions else (GRAPH_NAMES, {**ALIASES, **GRAPH_ALIASES})
    for given in (p.strip().lower() for p in format_params if p.strip()):
        wanted = names.get(given, aliases.get(given, given))
        if wanted in offered:
            return wanted
        raise NotAcceptable(f"format {given!r} does not fit a {form} query: give one of "
                            f"{', '.join(sorted(names))} or a media type ({', '.join(offered)})")  # fmt: skip
    if not accept or accept.best == "*/*" and len(accept) == 1:
        return offered[0]
    candidates = offered + [alias for alias, real in aliases.items() if real in offered]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptable(f"none of the accepted types ({accept}) fits a {form} query: offered {', '.join(offered)}")
    return aliases.get(best, best)


class Sink(Protocol):
    """Where an answer goes: its chunks (``emit``), and whether it was cut (``truncated``, set before the first)."""

    truncated: bool

    def emit(self, chunk: bytes) -> None: ...


def write_solutions(answer: Any, media_type: str, limit: int, sink: Sink) -> None:
    """Write a SELECT answer (pyoxigraph's ``QuerySolutions``, or rows of terms with ``variables``) to ``sink`` in
    chunks, cut at ``limit`` rows (0: no limit)."""
    if not limit and isinstance(answer, ox.QuerySolutions):  # nothing to cut: streamed as it is written
        sink.truncated = False
        chunks = _ChunkSink(sink.emit)
        answer.serialize(chunks, SOLUTION_TYPES[media_type])  # type: ignore[arg-type]
        chunks.flush()
        return
    # the header and `limit` rows; the engine stops as soon as there are more
    table = _tsv_lines(answer, limit + 1) if isinstance(answer, ox.QuerySolutions) else _tsv(answer)
    table, sink.truncated = _first_lines(table, limit + 1) if limit else (table, False)
    body = table if media_type == "text/tab-separated-values" else _reserialized(table, media_type)
    for start in range(0, len(body), CHUNK):
        sink.emit(body[start : start + CHUNK])


class Buffer:
    """A sink that keeps the whole answer in memory (``body``): for answers that are not streamed."""

    truncated = False

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def emit(self, chunk: bytes) -> None:
        self.chunks.append(chunk)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


def _first_lines(text: bytes, count: int) -> tuple[bytes, bool]:
    """The first ``count`` lines of ``text``, and whether there were more."""
    end = -1
    for _ in range(count):
        end = text.find(b"\n", end + 1)
        if end < 0:
            return text, False
    return text[: end + 1], end + 1 < len(text)


class _Enough(Exception):
    """Raised into the engine's serializer to stop it: the lines wanted are there."""


class _FirstLines(io.RawIOBase):
    """A binary file that takes what is written until it holds more than ``count`` lines."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count, self.lines, self.data = count, 0, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        if self.lines >= self.count and self.data.endswith(b"\n"):
            self.data += data[:1]  # one byte of the next line: there was more
            raise _Enough
        self.data += data
        self.lines += data.count(b"\n")
        if self.lines > self.count:
            raise _Enough
        return len(data)


def _tsv_lines(solutions: ox.QuerySolutions, count: int) -> bytes:
    """The first ``count`` lines of the solutions as SPARQL TSV (and a byte of the next, if there is one): the
    engine stops evaluating the query when they are written."""
    lines = _FirstLines(count)
    try:
        solutions.serialize(lines, TSV)  # type: ignore[arg-type]
    except _Enough:
        pass
    return bytes(lines.data)


def _reserialized(table: bytes, media_type: str) -> bytes:
    solutions = ox.parse_query_results(table, TSV)
    return solutions.serialize(format=SOLUTION_TYPES[media_type])  # type: ignore[union-attr,return-value]


def _tsv(answer: Any) -> bytes:
    """Rows of pyoxigraph terms (a SPARQL server's answer, ``spacegraph.store.sparql.Solutions``) as SPARQL TSV:
    ``str`` of a term is its N-Triples form, whose escapes keep tabs and line breaks out of the cells."""
    variables = [v.value for v in answer.variables]
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if (t := row[v]) is None else str(t) for v in variables) for row in answer]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_boolean(value: bool, media_type: str) -> bytes:
    kind = SOLUTION_TYPES[media_type]
    if kind == ox.QueryResultsFormat.JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if kind == ox.QueryResultsFormat.XML:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    # CSV and TSV are defined for solutions only: a column named _askResult, as Jena and RDF4J write it
    return (
        ("_askResult\r\n" if kind == ox.QueryResultsFormat.CSV else "?_askResult\n").encode()
        + (b"true" if value else b"false")
        + b"\n"
    )


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
