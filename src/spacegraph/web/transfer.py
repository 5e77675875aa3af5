"""How read-only answers travel: validators per data version (ETag, Last-Modified, 304 on a conditional GET)
and gzip compression, streamed answers included.

Every page, twin and query answer is a function of the published data version, the URL and the request's
``Accept``: its ETag is the version with a digest of ``Accept`` (weak: the gzip and identity forms share it), its
Last-Modified the time the version was published. A client that sends back the ETag of the current version gets
304 before any page is built or query run. ``Cache-Control: no-cache`` makes browsers ask each time, so a new
version is seen at once. A request that carries a cookie (a curator's session) is personal: it is neither given
validators nor compressed (a secret such as a CSRF token beside reflected input must not be compressed: BREACH).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from flask import Flask, Response, g, request
from werkzeug.wsgi import ClosingIterator

from spacegraph.store.oxigraph import StoreMissing
from spacegraph.web.context import library

try:
    CODE_VERSION = version("spacegraph")
except PackageNotFoundError:  # a checkout that was never installed
    CODE_VERSION = "checkout"
READ_ONLY = ("GET", "HEAD")
FILES = ("static", "vendor", "linked.dump_download")  # endpoints that send files
COMPRESSED_TYPES = ("application/n-quads", "application/n-triples", "application/trig")
SMALLEST_COMPRESSED = 512  # bytes: below this, gzip's header costs more than it saves


def personal() -> bool:
    return "Cookie" in request.headers


def data_version() -> str | None:
    """The published data version, read once per request (None when there is no data yet)."""
    if "data_version" not in g:
        try:
            g.data_version = library().version()
        except StoreMissing:
            g.data_version = None
    return g.data_version


def version_time() -> datetime | None:
    """When the published version was published: the time its link was replaced (None on a SPARQL server); read
    once per request."""
    if "version_time" not in g:
        g.version_time = _published_time()
    return g.version_time


def _published_time() -> datetime | None:
    settings = library().settings
    if settings.remote:
        return None
    try:
        return datetime.fromtimestamp(settings.store.lstat().st_mtime, UTC).replace(microsecond=0)
    except OSError:
        return None


def entity_tag() -> str | None:
    """This request's ETag (without W/ and quotes) for the current data version, or None when it has none;
    computed once per request (the 304 check before the view and the validators after it both ask)."""
    if "entity_tag" not in g:
        g.entity_tag = _entity_tag()
    return g.entity_tag


def _entity_tag() -> str | None:
    if request.method not in READ_ONLY or personal() or request.routing_exception is not None:
        return None
    if request.endpoint in FILES:  # files have validators of their own (send_file)
        return None
    current = data_version()
    if current is None:
        return None
    variant = f"{CODE_VERSION}\n{request.headers.get('Accept', '')}\n{request.headers.get('Accept-Language', '')}"
    return f"{current}-{hashlib.sha256(variant.encode()).hexdigest()[:16]}"


def not_modified() -> Response | None:
    """A before_request: 304 when the client already holds this answer for the current data version."""
    tag = entity_tag()
    if tag is None or not (request.if_none_match or request.if_modified_since):
        return None
    if request.if_none_match:
        fresh = request.if_none_match.contains_weak(tag)
    else:
        published = version_time()
        fresh = published is not None and request.if_modified_since is not None
        fresh = fresh and published <= request.if_modified_since  # type: ignore[operator]
    if not fresh:
        return None
    response = Response(status=304)
    validators(response, tag)
    return response


def validators(response: Response, tag: str) -> None:
    response.set_etag(tag, weak=True)
    if (published := version_time()) is not None:
        response.last_modified = published
    response.headers.setdefault("Cache-Control", "no-cache")
    response.vary.add("Accept")


def add_validators(response: Response) -> Response:
    """An after_request: ETag and Last-Modified on a 200 answer of the current data version."""
    if response.status_code == 200 and "ETag" not in response.headers and "Set-Cookie" not in response.headers:
        tag = entity_tag()
        if tag is not None and "cookie" not in {v.lower() for v in response.vary}:
            validators(response, tag)
    return response


def compressible(response: Response) -> bool:
    mimetype = response.mimetype or ""
    return (
        mimetype.startswith("text/")
        or mimetype.endswith(("json", "xml", "javascript"))
        or (mimetype in COMPRESSED_TYPES)
    )


def compress(response: Response) -> Response:
    """An after_request: the body gzip-compressed when the client accepts it; a streamed body chunk by chunk, each
    chunk flushed so that it reaches the client as soon as it is made."""
    if not compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    wanted = request.accept_encodings["gzip"] > 0 and not personal() and "Set-Cookie" not in response.headers
    if not wanted or response.status_code not in (200, 201, 400, 404, 406, 422, 500, 503):
        return response
    if "Content-Encoding" in response.headers or "Content-Range" in response.headers:
        return response
    if response.is_streamed:
        original = response.response
        flush = not response.direct_passthrough  # a file is sent whole; a query's answer as it is written
        response.direct_passthrough = False
        response.response = ClosingIterator(_gzip(original, flush), [getattr(original, "close", lambda: None)])
        response.headers.pop("Content-Length", None)
    else:
        data = response.get_data()
        if len(data) < SMALLEST_COMPRESSED:
            return response
        response.set_data(_gzip_whole(data))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # the compressed bytes differ; the resource is the same
    return response


def _gzip_whole(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    return compressor.compress(data) + compressor.flush()


def _gzip(chunks: Iterable[bytes | str], flush: bool) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        data = compressor.compress(chunk.encode() if isinstance(chunk, str) else chunk)
        if flush:
            data += compressor.flush(zlib.Z_SYNC_FLUSH)
        if data:
            yield data
    yield compressor.flush()


def add_to(app: Flask) -> None:
    """Validators and compression on ``app``'s answers. Compression runs last (after_request functions run in
    the reverse order of registration), after every other header is set."""
    app.after_request(compress)
    app.after_request(add_validators)
    app.before_request(not_modified)
