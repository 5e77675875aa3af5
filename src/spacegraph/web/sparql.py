"""/sparql: the SPARQL 1.1 Protocol for queries (https://www.w3.org/TR/sparql11-protocol/), read-only.

Dataset: without FROM, FROM NAMED, default-graph-uri or named-graph-uri, the default graph is the union of the
named graphs (one per source document) and GRAPH ranges over all of them. Those IRIs only select among the
graphs the store holds; nothing is ever fetched.
"""

from __future__ import annotations

import collections
import logging
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from flask import Blueprint, Response, render_template, request

from spacegraph.settings import Settings
from spacegraph.sparql.answers import AnswerCache, AnswerKey, checked_form
from spacegraph.sparql.guard import QueryRefused
from spacegraph.sparql.results import GRAPH_TYPES, NotAcceptable, choose_format
from spacegraph.sparql.runner import DECLARED_PREFIXES, QueryAnswer, QueryFailed, QueryRequest, QueryTimeout
from spacegraph.sparql.runners import query_runners
from spacegraph.web import render, transfer
from spacegraph.web.context import library, query_pool
from spacegraph.web.queries import example_queries
from spacegraph.web.service import service_description

log = logging.getLogger("spacegraph.sparql")

bp = Blueprint("sparql", __name__)


class Runner(Protocol):
    def run(self, request: QueryRequest) -> QueryAnswer: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


class QueryPool:
    """One web worker's query runners (query processes, or clients of the SPARQL server), each running one query at
    a time: a worker's threads share them. A query that finds them all busy waits at most ``wait`` seconds, then is
    answered 503 with Retry-After, so that runaway queries hold these runners and never the worker's threads."""

    def __init__(self, runners: Sequence[Runner], wait: float = 1.0):
        self.runners = list(runners)
        self.wait = wait
        self.answers = AnswerCache()  # whole answers by request and data version (spacegraph.sparql.answers)
        self._free = list(range(len(self.runners)))  # positions of the free runners: the first is taken first
        self._waiting: collections.deque[Waiter] = collections.deque()  # queries waiting for a runner, oldest first
        self._lock = threading.Lock()

    def start(self) -> None:
        for runner in self.runners:
            runner.start()

    def stop(self) -> None:
        for runner in self.runners:
            runner.stop()

    def acquire(self) -> Runner | None:
        """A free runner (the first in the given order: the query processes with a copy in memory before the
        spare), or the next one released within ``wait`` seconds, else None. Runners are handed to waiting queries
        in the order they came, so that a query arriving later does not go ahead of one already waiting."""
        place = self.acquire_for(None)
        if not isinstance(place, Waiter):
            return place
        place.handed.wait(self.wait)
        return None if self.cancel(place) else self.runners[place.position]  # type: ignore[index]

    def acquire_for(self, handed: Callable[[Runner], None] | None) -> Runner | Waiter:
        """A free runner now, or a place in the line. A thread waits for the place's ``handed`` event (``acquire``);
        a caller that cannot wait (the worker's poller) gives ``handed``, called with the runner by whoever
        releases it when its turn comes. Either takes its place back with ``cancel`` when it stops waiting."""
        with self._lock:
            if self._free and not self._waiting:
                return self._take_first()
            waiter = Waiter(handed)
            self._waiting.append(waiter)
            return waiter

    def cancel(self, waiter: Waiter) -> bool:
        """Take a place in the line back; False when a runner was handed to it already."""
        with self._lock:
            if waiter.position is not None:
                return False
            self._waiting.remove(waiter)
            return True

    def _take_first(self) -> Runner:
        first = min(self._free)
        self._free.remove(first)
        return self.runners[first]

    def release(self, runner: Runner) -> None:
        with self._lock:
            position = self.runners.index(runner)
            if not self._waiting:
                self._free.append(position)
                return
            waiter = self._waiting.popleft()
            waiter.position = position
        if waiter.on_handed is None:
            waiter.handed.set()
        else:
            waiter.on_handed(runner)

    def run(self, request: QueryRequest) -> QueryAnswer:
        """Run one query on a free runner, which is released when the answer has been read (or closed); QueryBusy
        when none is free."""
        runner = self.acquire()
        if runner is None:
            raise self.busy()
        try:
            answer = runner.run(request)
        except BaseException:
            self.release(runner)
            raise
        return self.released_after(runner, answer)

    def busy(self) -> QueryBusy:
        return QueryBusy(f"all {len(self.runners)} of this worker's query processes are busy: try again shortly")

    def released_after(self, runner: Runner, answer: QueryAnswer) -> QueryAnswer:
        """``answer``, from ``runner``: the runner is released now for a whole answer, else once its chunks have
        been read or closed."""
        if answer.chunks is None:
            self.release(runner)
        else:
            answer.chunks = _Releasing(answer.chunks, lambda: self.release(runner))
        return answer


class Waiter:
    """A query waiting for a runner: the position of the runner it is handed; a thread waits for ``handed``, the
    poller is called back (``on_handed``)."""

    def __init__(self, on_handed: Callable[[Runner], None] | None = None) -> None:
        self.handed = threading.Event()
        self.on_handed = on_handed
        self.position: int | None = None


class _Releasing:
    """A streamed answer's chunks; its runner is released when they end or are closed (the WSGI server closes every
    answer, also one whose client went away before it was read)."""

    def __init__(self, chunks: Iterator[bytes], release: Callable[[], None]):
        self.chunks, self._release = chunks, release
        self._done = False

    def __iter__(self) -> _Releasing:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self.chunks)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._done:
            return
        self._done = True
        try:
            close = getattr(self.chunks, "close", None)
            if close is not None:
                close()
        finally:
            self._release()


def query_pool_for(settings: Settings) -> QueryPool:
    """One worker's runners (spacegraph.sparql.runners), shared by its threads."""
    return QueryPool(query_runners(settings), settings.query_wait)


class QueryBusy(Exception):
    """Every query runner of this worker is busy (HTTP 503 with Retry-After)."""


class ProtocolError(ValueError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    try:
        query, default_graphs, named_graphs = _protocol_request()
    except ProtocolError as error:
        return _text(error.status, str(error))
    if query is None:
        return _without_query()
    return answer_query(query, default_graphs, named_graphs)


# The WSGI environ's keys by which spacegraph.web.direct and the view hand a query over: the outcome of a query
# already run (``(AnswerKey, QueryAnswer or the exception it raised)``), and the key the view answered.
OUTCOME, ANSWERED = "spacegraph.sparql.outcome", "spacegraph.sparql.key"


def answer_query(query: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Response:
    """The protocol's answer to ``query`` (negotiated by the request's Accept and ``format``), or its error."""
    settings = library().settings
    try:
        form = checked_form(query, settings.max_query_bytes, settings.max_query_depth)
        media_type = choose_format(form, render.accepted(), request.values.getlist("format"))
        key = AnswerKey(query, tuple(default_graphs), tuple(named_graphs), media_type, settings.max_rows,
                        request.url_root + "sparql", transfer.data_version() or library().version())  # fmt: skip
        request.environ[ANSWERED] = key
        answer = _outcome(key) or query_pool().answers.answer(key, lambda: query_pool().run(key.request(form)))
    except QueryRefused as refused:
        log.warning("refused a query from %s: %s: %.200r", request.remote_addr, refused, query)
        return _text(400, f"Query refused: {refused}")
    except NotAcceptable as error:
        return _text(406, str(error))
    except QueryTimeout as timeout:
        return _text(503, f"Query stopped: {timeout}")
    except QueryBusy as busy:
        response = _text(503, f"Query not run: {busy}")
        response.headers["Retry-After"] = str(max(1, math.ceil(settings.query_timeout)))
        return response
    except QueryFailed as failed:
        return _text(failed.status, str(failed))
    return Response(answer.body if answer.body is not None else answer.chunks,
                    headers=answer_headers(answer, settings.max_rows))  # fmt: skip


def _outcome(key: AnswerKey) -> QueryAnswer | None:
    """The answer to ``key`` when the query was already run before Flask (spacegraph.web.direct), or its error
    raised again; None when it was not run."""
    outcome = request.environ.pop(OUTCOME, None)
    if outcome is None:
        return None
    ran, answer = outcome
    if ran != key:  # a commit published a new version in between (else the same inputs make the same key)
        log.info("a query run before Flask is run again: its data version %s is now %s", ran.version, key.version)
        let_go(answer)
        return None
    if isinstance(answer, BaseException):
        raise answer
    return answer


def let_go(outcome: object) -> None:
    """Close a streamed answer no one will read (an outcome handed over and not taken), so that its query runner is
    released; anything else (a whole answer, an error) holds nothing."""
    chunks = getattr(outcome, "chunks", None)
    if chunks is not None and hasattr(chunks, "close"):
        chunks.close()


def answer_headers(answer: QueryAnswer, max_rows: int) -> list[tuple[str, str]]:
    """The headers of a query's answer of its own (the app adds those of every answer): its type, whether it was cut,
    and what answered it how fast."""
    media_type = answer.media_type
    text = media_type.startswith("text/") or media_type.endswith(("json", "xml"))
    headers = [("Content-Type", f"{media_type}; charset=utf-8" if text else media_type)]
    if answer.truncated:
        headers.append(("X-Result-Truncated", f"true; limit={max_rows}"))
        headers.append(("Warning", f'199 spacegraph "result cut at {max_rows} rows: add LIMIT or paginate"'))
    return [*headers, ("Vary", "Accept"), server_timing(answer)]


def server_timing(answer: QueryAnswer) -> tuple[str, str]:
    """W3C Server Timing: what answered, and how long the engine took to its first answer (browsers' tools show
    it)."""
    return "Server-Timing", f'query;dur={answer.seconds * 1000:.1f};desc="{answer.engine}"'


def _protocol_request() -> tuple[str | None, list[str], list[str]]:
    """The query and the dataset from a GET, a form POST, or a direct POST (application/sparql-query)."""
    limit = request.max_content_length or 0
    if request.content_length is not None and request.content_length > limit:
        raise ProtocolError(f"the request body is larger than {limit:,} bytes", 413)
    if request.method == "GET":
        source = request.args
        queries = source.getlist("query")
        if "update" in source:
            raise ProtocolError("SPARQL Update is not accepted: this endpoint is read-only (and never over GET)")
    elif request.mimetype == "application/x-www-form-urlencoded":
        source = request.form
        queries = source.getlist("query")
        if "update" in source:
            raise ProtocolError("SPARQL Update is not accepted: this endpoint is read-only")
    elif request.mimetype == "application/sparql-query":
        source = request.args
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(f"the query must be sent in UTF-8, not {charset}", 415)
        try:
            queries = [request.get_data().decode("utf-8")]
        except UnicodeDecodeError as error:
            raise ProtocolError(f"the query is not valid UTF-8 (byte {error.start})") from error
    elif request.mimetype == "application/sparql-update":
        raise ProtocolError("SPARQL Update is not accepted: this endpoint is read-only")
    else:
        raise ProtocolError(
            f"unsupported request type {request.mimetype or '(none)'}: POST application/x-www-form-urlencoded "
            "or application/sparql-query",
            415,
        )
    if len(queries) > 1:
        raise ProtocolError("give one query, not several")
    if request.method == "POST" and request.mimetype == "application/sparql-query" and "query" in request.args:
        raise ProtocolError("give the query in the body or in the URL, not both")
    return (queries[0] if queries else None), source.getlist("default-graph-uri"), source.getlist("named-graph-uri")


def _without_query() -> Response:
    """No query: the editor for a browser, the service description for an RDF client."""
    media_type = render.negotiate([render.HTML, *GRAPH_TYPES], otherwise="text/turtle")
    if media_type == render.HTML:
        queries = example_queries()
        example = next((q for q in queries if q.name == request.args.get("example")), None)  # opened and run
        html = render_template("sparql.html", queries=queries, example=example, prefixes=DECLARED_PREFIXES)
        return Response(html, mimetype=render.HTML)
    body = service_description(library().store(), request.base_url, media_type)
    response = Response(body, mimetype=media_type)
    response.headers["Vary"] = "Accept"
    return response
