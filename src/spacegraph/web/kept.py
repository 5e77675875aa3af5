"""Whole /sparql answers kept per data version and given again before Flask sees the request (issue 19): the same
status, headers and bytes, from memory. The answers themselves are kept by ``spacegraph.sparql.answers.AnswerCache``;
the worker's poller answers from here too (``spacegraph.web.worker``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from spacegraph.sparql.answers import AnswerCache, Recording


class RequestKey(NamedTuple):
    """What a GET /sparql answer depends on: the URL (query, dataset, format), the request headers the answer varies
    by, and the data version."""

    query_string: str
    accept: str
    accept_language: str  # the ETag digests it (web.transfer)
    accept_encoding: str
    host: str
    scheme: str
    script_name: str
    version: str


class KeptResponse(NamedTuple):
    """A whole answer as it was sent, kept as tuples (``spacegraph.sparql.answers``: out of the way of the cyclic
    garbage collector)."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class KeptAnswers:
    """WSGI middleware: a GET /sparql answered before on the same data version is answered again from memory, the
    same status, headers and bytes, without Flask, whose request and response objects cost more than the rest of a
    kept answer (spacegraph.sparql.answers keeps the answers themselves inside the app). Only plain requests: none
    with a cookie or a condition (``If-None-Match``: the app answers 304), and only 200 answers that set no
    cookie."""

    PATH = "/sparql"
    TIMING = ("Server-Timing", 'query;dur=0.0;desc="cache"')

    def __init__(self, app: Callable, version: Callable[[], str], cache: AnswerCache | None = None):
        self.app, self.version = app, version
        self.cache = cache if cache is not None else AnswerCache(kept=KeptResponse._make)
        self.path = self.PATH.encode()

    def key(self, environ: dict) -> RequestKey | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != self.PATH:
            return None
        if any(
            name in environ for name in ("HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")
        ):
            return None
        try:
            version = self.version()
        except Exception:  # noqa: BLE001 - no data: the app says so
            return None
        get = environ.get
        return RequestKey(get("QUERY_STRING", ""), get("HTTP_ACCEPT", ""), get("HTTP_ACCEPT_LANGUAGE", ""),
                          get("HTTP_ACCEPT_ENCODING", ""),
                          get("HTTP_HOST", ""), get("wsgi.url_scheme", ""), get("SCRIPT_NAME", ""), version)  # fmt: skip

    def may_answer(self, request_line: bytes) -> bool:
        """Whether an answer may be kept for this request line, read loosely (a GET of PATH with a query string
        that some kept answer has): a quick look before gunicorn's parser reads the request and ``key`` decides."""
        method, _, rest = request_line.partition(b" ")
        path, _, query = rest.rpartition(b" ")[0].partition(b"?")
        return method == b"GET" and path.endswith(self.path) and self.cache.holds_first(query.decode("latin-1"))

    def lookup(self, environ: dict) -> KeptResponse | None:
        """The kept answer to this request, if there is one."""
        key = self.key(environ)
        return None if key is None else self.cache.get(key)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        key = self.key(environ)
        if key is None:
            return self.app(environ, start_response)
        kept: KeptResponse | None = self.cache.get(key)
        if kept is not None:
            start_response(kept.status, list(kept.headers))
            return [kept.body]
        seen: list = []

        def start(status: str, headers: list, exc_info: Any = None):
            seen[:] = [status, headers]
            return start_response(status, headers, exc_info)

        answer = self.app(environ, start)
        if not seen or not seen[0].startswith("200") or any(name.lower() == "set-cookie" for name, _ in seen[1]):
            return answer
        status, headers = seen
        return Recording(answer, self.cache.max_entry_bytes, lambda body: self.keep(key, status, headers, body))

    def keep(self, key: RequestKey, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """Keep an answer read whole: said to come from the cache, with its length (a streamed one had none)."""
        kept = [self.TIMING if name == "Server-Timing" else (name, value) for name, value in headers
                if name.lower() != "content-length"]  # fmt: skip
        self.cache.put(key, KeptResponse(status, (*kept, ("Content-Length", str(len(body)))), body))
