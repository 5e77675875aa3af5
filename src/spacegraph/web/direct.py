"""/sparql queries answered before Flask: a new query text is answered with the headers Flask gave the last answer of
the same kind.

On a small query that is not kept (a new text), Flask's request and response objects and the hooks that put the same
headers on every answer took more of a worker's time than the guard, the query process and the query together
(bench/README.md, issue 19). Yet every header of a whole, uncut /sparql answer but its length and its Server-Timing
is a function of things known before the query runs: the data version, the answer's media type, and the request's
Accept, Accept-Language, Accept-Encoding, Host, scheme and script root (ETag, Vary, Last-Modified, Cache-Control,
the security and CORS headers). So once Flask has answered a query of a *kind* (those inputs), a later GET of that
kind is answered here: the same guard, format negotiation and query pool as the view (``web.sparql``), the same
``AnswerKey`` (so the cache of answers is shared), and that kind's headers with this answer's length and timing.

Everything else goes to Flask, as before: the first query of a kind; a request with a cookie, a condition or a body;
parameters other than the protocol's; a refused query or one in no format the client accepts (before anything runs);
and, after the query has run here, an error, a streamed or cut answer, or one large enough that Flask would compress
it where the kind's answer was not. The outcome of a query already run is handed to the view in the WSGI environ
(``web.sparql.OUTCOME``), so that no query runs twice. ``tests/test_direct_answers.py`` checks that both paths
give the same status, headers and bytes.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from flask import Flask

from spacegraph.sparql.answers import AnswerKey, checked_form
from spacegraph.sparql.guard import QueryRefused
from spacegraph.sparql.results import NotAcceptable, choose_format
from spacegraph.sparql.runner import QueryAnswer
from spacegraph.web.context import LIBRARY, QUERY_POOL
from spacegraph.web.render import accept_of
from spacegraph.web.sparql import ANSWERED, OUTCOME, let_go, server_timing
from spacegraph.web.transfer import SMALLEST_COMPRESSED

PATH = "/sparql"
PARAMETERS = {"query", "default-graph-uri", "named-graph-uri", "format"}  # the protocol's, for a query over GET
# A request with any of these is Flask's: personal (a cookie), conditional (304), partial, or with a body
FLASK_ONLY = ("HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE", "HTTP_TRANSFER_ENCODING")
KIND_HEADERS = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING", "HTTP_HOST", "wsgi.url_scheme",
                "SCRIPT_NAME")  # fmt: skip
MAX_KINDS = 256  # kinds kept per worker (clients choose their headers); all are dropped when there are more


@dataclass(frozen=True)
class Kind:
    """The headers of Flask's last whole, uncut answer of a kind, without its length and timing; the base IRI its
    view resolved the query against; and whether an answer of any length goes out as it did (it was as large as
    Flask compresses, and was not compressed), or only one below ``SMALLEST_COMPRESSED`` bytes."""

    headers: list[tuple[str, str]]
    base_iri: str
    any_length: bool


@lru_cache(maxsize=MAX_KINDS)
def _format_for(form: str, accept: str, formats: tuple[str, ...]) -> str:
    """``choose_format`` for an Accept header as it was sent: parsing it took as long as the guard (a refusal is not
    kept: it raises again)."""
    return choose_format(form, accept_of(accept), formats)


class Planned(NamedTuple):
    """A query to answer here: its answer's key, its form, and the kind of answer (and that kind's key)."""

    key: AnswerKey
    form: str
    kind: Kind
    kind_key: tuple


_handed = threading.local()  # the outcome of a query the worker's poller ran, for the request this thread answers


@contextmanager
def handed_over(kind_key: tuple, outcome: tuple) -> Iterator[None]:
    """The request this thread answers within the block is one whose query the worker's poller has run
    (``spacegraph.web.asking``): ``outcome`` is its key and its answer or error, and the view answers it. A streamed
    answer left untaken (another layer answered the request) is closed, so that its query runner is released."""
    _handed.outcome = (kind_key, outcome)
    try:
        yield
    finally:
        left, _handed.outcome = getattr(_handed, "outcome", None), None
        if left is not None:
            let_go(left[1][1])


class DirectAnswers:
    """WSGI middleware in front of the Flask app ``flask_app`` (``app`` is its WSGI callable, or what wraps it)."""

    def __init__(self, app: Callable, flask_app: Flask):
        self.app = app
        self.library, self.pool = flask_app.extensions[LIBRARY], flask_app.extensions[QUERY_POOL]
        self.settings = self.library.settings
        self.kinds: dict[tuple, Kind] = {}
        self.answered = 0  # queries answered here, without Flask
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        handed = getattr(_handed, "outcome", None)
        if handed is not None:  # run already, in the worker's poller
            _handed.outcome = None
            return self._hand_over(environ, start_response, *handed)
        planned = self.plan(environ)
        if planned is None:
            return self.app(environ, start_response)
        if not isinstance(planned, Planned):  # the first of its kind: Flask answers, and its headers are kept
            return self._through_flask(environ, start_response, planned)
        key = planned.key
        try:
            answer = self.pool.answers.answer(key, lambda: self.pool.run(key.request(planned.form)))
        except Exception as error:  # noqa: BLE001 - every error is the view's to answer, without running it again
            return self._hand_over(environ, start_response, planned.kind_key, (key, error))
        reply = self.reply(planned, answer)
        if reply is None:
            return self._hand_over(environ, start_response, planned.kind_key, (key, answer))
        start_response("200 OK", reply[0])
        return [reply[1]]

    def plan(self, environ: dict) -> Planned | tuple | None:
        """What answering this request here takes: None when it is not a plain GET of a query with a kind of
        answer Flask could give (Flask answers it); the kind's key when Flask has not answered that kind yet."""
        request = self._request(environ)
        if request is None:
            return None
        query, default_graphs, named_graphs, formats = request
        try:
            version = self.library.version()
            form = checked_form(query, self.settings.max_query_bytes, self.settings.max_query_depth)
            media_type = _format_for(form, environ.get("HTTP_ACCEPT", ""), tuple(formats))
        except (QueryRefused, NotAcceptable, OSError):  # the view says why (no query has run); OSError: no store
            return None
        kind_key = (version, media_type, *(environ.get(name, "") for name in KIND_HEADERS))
        kind = self.kinds.get(kind_key)
        if kind is None:
            return kind_key
        key = AnswerKey(query, default_graphs, named_graphs, media_type, self.settings.max_rows, kind.base_iri,
                        version)  # fmt: skip
        return Planned(key, form, kind, kind_key)

    def reply(self, planned: Planned, answer: QueryAnswer) -> tuple[list[tuple[str, str]], bytes] | None:
        """The headers and body of a whole answer given here; None when the view must answer it (a streamed or cut
        answer, or one large enough that Flask would compress it where the kind's answer was not)."""
        body = answer.body
        if body is None or answer.truncated or (len(body) >= SMALLEST_COMPRESSED and not planned.kind.any_length):
            return None
        self.answered += 1
        return [*planned.kind.headers, server_timing(answer), ("Content-Length", str(len(body)))], body

    def _request(self, environ: dict) -> tuple[str, tuple[str, ...], tuple[str, ...], list[str]] | None:
        """The query, the dataset and the format parameters of a plain GET /sparql; None for anything else."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != PATH:
            return None
        if any(name in environ for name in FLASK_ONLY) or environ.get("CONTENT_LENGTH", "") not in ("", "0"):
            return None
        raw = environ.get("QUERY_STRING", "")
        if not raw.isascii():  # bytes sent unescaped: werkzeug decodes them its own way
            return None
        try:
            pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):  # escapes of bytes that are not UTF-8: werkzeug's way too
            return None
        names = [name for name, _ in pairs]
        if names.count("query") != 1 or not set(names) <= PARAMETERS:
            return None
        values = lambda name: [value for key, value in pairs if key == name]  # noqa: E731
        query = values("query")[0]
        return query, tuple(values("default-graph-uri")), tuple(values("named-graph-uri")), values("format")

    def _hand_over(self, environ: dict, start_response: Callable, kind_key: tuple, outcome: tuple) -> Iterable[bytes]:
        """The view answers a query run here (``outcome``: its key and its answer or error); a streamed answer the
        view did not take is closed, so that its query runner is released."""
        environ[OUTCOME] = outcome
        try:
            return self._through_flask(environ, start_response, kind_key)
        finally:
            left = environ.pop(OUTCOME, None)
            if left is not None:
                let_go(left[1])

    def _through_flask(self, environ: dict, start_response: Callable, kind_key: tuple) -> Iterable[bytes]:
        """Flask's answer; its headers are kept for ``kind_key`` when it is a whole, uncut answer of its own."""

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            self._keep(kind_key, environ.get(ANSWERED), status, headers)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)

    def _keep(self, kind_key: tuple, key: AnswerKey | None, status: str, headers: list[tuple[str, str]]) -> None:
        names = {name.lower(): value for name, value in headers}
        if key is None or key.version != kind_key[0] or key.media_type != kind_key[1] or not status.startswith("200 "):
            return
        if "content-length" not in names or {"x-result-truncated", "content-encoding", "set-cookie"} & names.keys():
            return  # streamed, cut, compressed or personal: not an answer of a kind
        any_length = int(names["content-length"]) >= SMALLEST_COMPRESSED
        own = [(name, value) for name, value in headers if name.lower() not in ("content-length", "server-timing")]
        with self._lock:
            if len(self.kinds) >= MAX_KINDS or any(other[0] != kind_key[0] for other in self.kinds):
                self.kinds.clear()  # too many, or of an older data version
            self.kinds[kind_key] = Kind(own, key.base_iri, any_length)
