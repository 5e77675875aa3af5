"""The one renderer: a page (one plain dict) answered as HTML, JSON or RDF, and every error in one shape.

Content negotiation happens here and nowhere else, on werkzeug's parsing of the Accept header: a suffix in the
URL (``.json``, ``.ttl``, ``.jsonld``, ``.nt``) decides when the route offers that format; otherwise the Accept
header's best match among the formats the route offers (no header, or ``*/*``: the first, HTML); nothing it
accepts is offered: 406.

An error is ``{"ok": false, "status", "title", "error"}`` (and ``suggestions``, links to what the client may have
meant, where there are some) as JSON for /api/, a ``.json`` URL or a client that prefers JSON; the message as plain
text for an RDF client; else the error page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, Response, abort, jsonify, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from spacegraph.web.pages.entity import PageNotFound

HTML, JSON, TEXT = "text/html", "application/json", "text/plain"
RDF_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}
SUFFIXES = {"json": JSON, **RDF_TYPES}
FORMAT_NAMES = {JSON: "JSON", "text/turtle": "Turtle", "application/ld+json": "JSON-LD",
                "application/n-triples": "N-Triples"}  # fmt: skip
PAGE = (HTML, JSON)  # a page and its JSON twin
RDF_XML = "application/rdf+xml"  # offered by Accept only (no suffix)
LINKED_DATA = (HTML, JSON, *RDF_TYPES.values(), RDF_XML)  # an IRI's page, its JSON twin and its RDF description
ALIASES = {TEXT: "application/n-triples"}  # N-Triples' old media type, which clients still send


def suffix_of(path: str) -> str | None:
    """The format suffix that ends ``path`` (``json``, ``ttl``, ``jsonld``, ``nt``), if any.

    >>> suffix_of("/id/person/jeffrey-manber.ttl"), suffix_of("/side/us"), suffix_of("/queries/x.rq")
    ('ttl', None, None)
    """
    suffix = path.rsplit("/", 1)[-1].rpartition(".")[2] if "." in path.rsplit("/", 1)[-1] else None
    return suffix if suffix in SUFFIXES else None


def accepted() -> MIMEAccept:
    """The request's Accept header, parsed (``accept_of``)."""
    return accept_of(request.headers.get("Accept", ""))


def accept_of(header: str) -> MIMEAccept:
    """An Accept header, parsed, without media type parameters: ``text/csv;charset=utf-8`` is ``text/csv`` (every
    answer is UTF-8), as werkzeug matches a type with parameters only to the same parameters; q-values are kept."""
    parsed = parse_accept_header(header, MIMEAccept)
    return MIMEAccept([(value.split(";", 1)[0].strip(), quality) for value, quality in parsed])


def negotiate(offered: Sequence[str] = PAGE, otherwise: str | None = None) -> str:
    """The media type to answer with, of those ``offered`` (the first is the default); when the client accepts none
    of them, ``otherwise`` (None: 406)."""
    suffix = suffix_of(request.path)
    if suffix is not None and SUFFIXES[suffix] in offered:
        return SUFFIXES[suffix]
    accept = accepted()
    if not accept or accept.best in ("*/*", None):
        return offered[0]
    best = accept.best_match([*offered, *(alias for alias, real in ALIASES.items() if real in offered)])
    best = ALIASES.get(best, best) if best else otherwise
    if best is None:
        abort(406)
    return best


def render(page: dict | list, template: str, offered: Sequence[str] = PAGE, status: int = 200,
           rdf: Callable[[str], bytes] | None = None, alternates: str | None = None) -> Response:  # fmt: skip
    """``page`` as HTML (``template``, given it as ``page``), as its JSON twin, or as RDF (``rdf(media_type)``).
    ``alternates``: the page's path, for links to its other formats (``path.json``, ``path.ttl`` …)."""
    media_type = negotiate(offered)
    query = "?" + request.query_string.decode("latin-1") if request.query_string else ""
    alternate = [(m, f"{alternates}.{s}{query}") for s, m in SUFFIXES.items() if m in offered] if alternates else []
    if media_type == HTML:
        links = {FORMAT_NAMES[m]: url for m, url in alternate}
        response = Response(render_template(template, page=page, alternates=links), mimetype=HTML)
    elif media_type == JSON:
        response = jsonify(page)
    elif rdf is not None:
        response = Response(rdf(media_type), mimetype=media_type)
    else:
        abort(406)
    response.status_code = status
    response.headers["Vary"] = "Accept"
    if alternate:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="alternate"; type="{m}"' for m, url in alternate)
    return response


def error_body(status: int, title: str, message: str, suggestions: list[dict] | None = None) -> dict:
    """The one JSON error shape."""
    body: dict = {"ok": False, "status": status, "title": title, "error": message}
    if suggestions is not None:
        body["suggestions"] = suggestions
    return body


def error_type() -> str:
    """How an error is answered: JSON for /api/ and ``.json`` URLs, plain text for RDF clients, else by Accept."""
    suffix = suffix_of(request.path)
    if request.path.startswith("/api/") or suffix == "json":
        return JSON
    if suffix in RDF_TYPES or accepted().best_match([*LINKED_DATA, TEXT]) in (*RDF_TYPES.values(), RDF_XML, TEXT):
        return TEXT
    return JSON if accepted().best_match(PAGE) == JSON else HTML


def error(status: int, title: str, message: str, suggestions: list[dict] | None = None) -> Response:
    """An error answer in the one shape (see the module's documentation)."""
    media_type = error_type()
    if media_type == JSON:
        response = jsonify(error_body(status, title, message, suggestions))
    elif media_type == TEXT:  # an RDF client: the message, with the suggestions' IRIs
        lines = [message, *(f"did you mean <{s['iri']}>" for s in suggestions or () if s.get("iri"))]
        response = Response("\n".join(lines) + "\n", mimetype=TEXT)
    else:
        html = render_template("error.html", status=status, title=title, message=message, suggestions=suggestions)
        response = Response(html, mimetype=HTML)
    response.status_code = status
    return response


def handle_errors(app: Flask) -> None:
    """Every error of ``app`` answered in the one shape: 404, 413, 500, and an IRI nothing is known about."""
    app.register_error_handler(404, lambda e: error(404, "Not found", f"Nothing is at {request.path}."))
    app.register_error_handler(413, lambda e: error(413, "Request too large", "Request bodies are limited to "
                                                    f"{request.max_content_length or 0:,} bytes."))  # fmt: skip
    app.register_error_handler(500, lambda e: error(500, "Server error", "The server failed on this request; the "
                                                    "error is in its log."))  # fmt: skip
    app.register_error_handler(PageNotFound, lambda e: error(404, "Not found", str(e), e.suggestions))
