"""Running the app under gunicorn, the production WSGI server, from `spacegraph serve`.

gunicorn's threaded worker (gthread), so that a slow request holds one thread and not a whole worker process, with
two changes for clients that are slow on purpose or by accident (issue 13, "Hardening"):

- A thread is given to a connection only once the head of its request (request line and headers) has arrived
  whole. Until then the connection waits in the worker's poller, which costs no thread; one that sends nothing for
  gunicorn's keepalive time (2 s), or has not sent a whole head within ``client_timeout``, is closed. (gthread
  itself reads the head in a thread, blocking, with no deadline: a few connections that send a request line and
  nothing more took every thread.)
- The body must arrive within ``client_timeout`` (else 408), and each part of the answer must be taken within it
  (else the connection is closed): see ``ClientDeadlines``.

A GET /sparql answered before on the same data version is answered again from memory before Flask sees it
(``KeptAnswers``), and a new query of a kind Flask has answered before is answered without Flask too
(``spacegraph.web.direct``): keep-alive connections and little per-request work make small queries cheap. On a
kept-alive connection, a request whose whole answer is kept does not even take a thread: the worker's poller
answers it where it finds the request (``HeadFirstWorker._answer_kept``). Handing each request to a thread and the
connection back to the poller cost more than the answer; with 32 clients the p99 went from 20-23 ms to 9-11 ms
(bench/README.md, issue 19).

Warm from the first request (issue 17): each worker loads what the pages need from the data version (the
projections, the network view's catalogue, the name index, then the most asked pages' own caches) in a thread of its
own as soon as it starts (``keep_warm``), so that its boot stays far within gunicorn's timeout (the worker heartbeats
meanwhile) and the loading is not on a request's path; the worker's query processes start once it is done (their
copies of a large store in memory took the CPU it needed). A request that needs a part still being loaded waits for that
part (``Published.once``), in its thread, while the worker keeps its heartbeat and answers the requests that do not
need it (the home page, entity pages, /sparql): rather than a 503, which every client would have to retry, since
the wait is bounded by the loading itself (seconds). When a commit publishes a new version, the same thread sees it
within ``WATCH_SECONDS`` and loads it in the background while the version before keeps answering (``Spacegraph.load_in_background``). Loading in the master before the fork (gunicorn's
``preload_app``) was not chosen: the store and the query processes must be opened after the fork, CPython's
reference counts copy the shared pages as soon as a worker reads them, every commit is loaded per worker anyway, and
the master binds the port only once loaded (bench/README.md, "First request after a start").

/sparql queries are bounded separately, per worker, by its query processes (spacegraph.web.sparql.QueryPool).
The rest of the app runs in threads: its store (pyoxigraph) is safe to read from several threads, and rdflib is
only used on graphs each request makes for itself (the service description).
"""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from gunicorn import http as gunicorn_http
from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi as gunicorn_wsgi
from gunicorn.workers.gthread import _DEFER, ThreadWorker
from werkzeug.exceptions import RequestTimeout

from spacegraph.settings import Settings
from spacegraph.sparql.answers import AnswerCache, Recording
from spacegraph.web.direct import DirectAnswers

HEAD_END = b"\r\n\r\n"
INLINE_HEAD = 8192  # bytes of a request head looked at in the poller (a longer one goes to a thread)


class SpacegraphServer(BaseApplication):
    """gunicorn with the app built by ``create_app`` in each worker process."""

    def __init__(self, settings: Settings):
        self.settings_ = settings
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"{self.settings_.host}:{self.settings_.port}")
        self.cfg.set("workers", self.settings_.workers)
        self.cfg.set("worker_class", "spacegraph.web.server.HeadFirstWorker")
        self.cfg.set("threads", self.settings_.threads)
        if self.settings_.access_log:
            self.cfg.set("accesslog", "-")
        self.cfg.set("timeout", 60)
        self.cfg.set("post_worker_init", _worker_started)

    def load(self):
        from spacegraph.web import create_app

        app = create_app({"SETTINGS": self.settings_})
        answers = app.wsgi_app
        if not self.settings_.remote:  # the version is a link to read, not a request to a server
            answers = KeptAnswers(DirectAnswers(answers, app), app.extensions["spacegraph"].version)
            app.extensions["kept_answers"] = answers  # for the worker's poller (HeadFirstWorker._answer_kept)
        app.wsgi_app = ClientDeadlines(answers, self.settings_.client_timeout)  # type: ignore[method-assign]
        return app


class HeadFirstWorker(ThreadWorker):
    """gthread that reads a request's head without holding a thread, and answers a kept answer in its poller (see
    the module's documentation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sending = 0  # answers begun in the poller whose rest a thread is sending (changed in the poller only)

    def on_client_socket_readable(self, conn, client):
        try:
            answered = self._answer_kept(conn)
        except Exception:  # never expected: the thread's path then answers (or closes), and the poller carries on
            self.log.exception("answering a kept answer in the poller failed")
            answered = False
        if not answered:
            super().on_client_socket_readable(conn, client)

    def _answer_kept(self, conn) -> bool:
        """Answer the next request of a kept-alive connection here, in the poller's thread, when it is a plain GET
        whose whole answer ``KeptAnswers`` keeps; True when answered (or the connection dropped). Else False, with
        nothing read: gthread hands the connection to a thread, as for any request.

        Only a head that has arrived whole and alone (no body, no pipelined request behind it) is taken; it is
        parsed by gunicorn's parser and the answer's head written by gunicorn's ``Response``, as in a thread, and
        sent with the kept body without blocking (and without copying it). Whatever the client does not take at
        once is sent by a thread within the client deadline, so that the poller never waits for a client; while as
        many such sends as the worker has threads are under way, kept answers go to threads as any request does.
        Not with an access log (a full log pipe would stop the poller) or TLS."""
        kept: KeptAnswers | None = self.wsgi.extensions.get("kept_answers")
        if kept is None or not self.alive or self.cfg.accesslog or self.cfg.is_ssl or conn.is_http2:
            return False
        if self._sending >= self.cfg.threads:
            return False
        try:
            head = conn.sock.recv(INLINE_HEAD, socket.MSG_PEEK)
        except OSError:
            return False
        if head.find(HEAD_END) != len(head) - len(HEAD_END):  # not whole, or something behind it
            return False
        if not kept.may_answer(head[: head.find(b"\r\n")]):
            return False  # not kept: a new query, say, need not pay for the parser here too
        if self.nr + 1 >= self.max_requests or len(self.keepalived_conns) > self.max_keepalived:
            return False  # gthread's own path restarts the worker or closes the connection
        parts = self._kept_reply(conn, head, kept)
        if parts is None:
            return False
        conn.sock.recv(len(head))  # the head looked at: the bytes are there
        self.nr += 1
        self.keepalived_conns.remove(conn)
        try:
            sent = conn.sock.sendmsg(parts)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:  # the client went away
            self.poller.unregister(conn.sock)
            self.nr_conns -= 1
            conn.close()
            return True
        rest = _after(parts, sent)
        if rest:
            self.poller.unregister(conn.sock)
            self._sending += 1
            done = self.tpool.submit(self._send_rest, conn, rest)
            done.add_done_callback(lambda future: self.method_queue.defer(self._rest_sent, conn, future))
            return True
        conn.set_timeout()  # kept alive for gunicorn's keepalive seconds from now, last in the line
        self.keepalived_conns.append(conn)
        return True

    def _kept_reply(self, conn, head: bytes, kept: KeptAnswers) -> list[bytes] | None:
        """The whole answer to ``head`` (its head's bytes, then the kept body) when it is kept and the connection
        stays open after it, else None: then a thread answers the request, errors included."""
        try:
            request = next(gunicorn_http.get_parser(self.cfg, iter([head]), conn.client))
            if (
                request.method != "GET"
                or request.should_close()
                or any(
                    name in ("CONTENT-LENGTH", "TRANSFER-ENCODING", "EXPECT", "UPGRADE") for name, _ in request.headers
                )
            ):
                return None
            written = _Written()
            response, environ = gunicorn_wsgi.create(request, written, conn.client, conn.server, self.cfg)
            answer = kept.lookup(environ)
            if answer is None:
                return None
            response.start_response(answer.status, list(answer.headers))
            response.send_headers()
            if response.should_close() or response.response_length != len(answer.body):
                return None  # never: a kept answer has its length
        except Exception:  # noqa: BLE001 - a thread answers it, with gunicorn's error page (a bad SCRIPT_NAME, say)
            return None
        return [*written.parts, answer.body]

    def _send_rest(self, conn, rest: list[memoryview]) -> bool:
        """In a thread: the rest of an answer the client did not take at once, all of it within the client
        deadline; whether the connection stays open (gthread's ``finish_request`` then keeps it or closes it)."""
        try:
            conn.sock.settimeout(self.settings_client_timeout())
            for part in rest:
                conn.sock.sendall(part)
        except OSError:
            return False
        return True

    def _rest_sent(self, conn, future) -> None:
        self._sending -= 1
        self.finish_request(conn, future)

    def handle(self, conn):
        ready = self._gather_head(conn)
        if ready is not True:
            return ready
        return super().handle(conn)

    def _head_limit(self) -> int:
        cfg = self.cfg
        return cfg.limit_request_line + cfg.limit_request_fields * (cfg.limit_request_field_size + 2) + 4

    def _gather_head(self, conn) -> Any:
        """True when the request's head is whole (it is handed to gunicorn's parser); ``_DEFER`` to wait for more in
        the poller; False to close the connection."""
        head: bytearray | None = getattr(conn, "head", None)
        if head is None:  # a new request on this connection
            head = conn.head = bytearray()
            conn.head_since = time.monotonic()
            if conn.parser is not None:  # a kept-alive connection: the parser may have read ahead
                head += conn.parser.unreader.take_buffered()
        closed = False
        if HEAD_END not in head:
            conn.sock.setblocking(False)
            try:
                while len(head) <= self._head_limit():
                    chunk = conn.sock.recv(65536)
                    if not chunk:
                        closed = True
                        break
                    head += chunk
                    if HEAD_END in head:
                        break
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                return False
        if HEAD_END not in head and len(head) <= self._head_limit():
            if closed:
                return False
            if time.monotonic() - conn.head_since > self.settings_client_timeout():
                _send_quietly(
                    conn.sock, b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                )
                return False
            return _DEFER
        # Whole (or too large: gunicorn's parser answers that with its limit error)
        conn.head = None
        conn.sock.setblocking(True)
        conn.init()
        conn.parser.unreader.unread(bytes(head))
        return True

    def settings_client_timeout(self) -> float:
        return self.wsgi.config["SETTINGS"].client_timeout


class _Written:
    """Where gunicorn's ``Response`` writes an answer built in the poller: the bytes, to send without blocking."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.parts.append(data)

    send = sendall


def _after(parts: list[bytes], sent: int) -> list[memoryview]:
    """What is left of ``parts`` once their first ``sent`` bytes have been sent (views: nothing is copied)."""
    rest = []
    for part in parts:
        if sent >= len(part):
            sent -= len(part)
            continue
        rest.append(memoryview(part)[sent:])
        sent = 0
    return rest


def _send_quietly(sock, data: bytes) -> None:
    try:
        sock.setblocking(False)
        sock.send(data)
    except OSError:
        pass


class ClientDeadlines:
    """WSGI middleware (under gunicorn): the request body must arrive within ``timeout`` seconds (else 408, and the
    connection is closed), and each write of the answer must be taken by the client within ``timeout``."""

    def __init__(self, app: Callable, timeout: float):
        self.app, self.timeout = app, timeout

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        if sock is None:  # not under gunicorn
            return self.app(environ, start_response)
        deadline = time.monotonic() + self.timeout
        environ["wsgi.input"] = _DeadlineInput(environ["wsgi.input"], sock, deadline)

        def start(status: str, headers: list, exc_info: Any = None):
            sock.settimeout(self.timeout)  # for the answer: each write within the timeout
            if status.startswith("408"):
                headers = [*headers, ("Connection", "close")]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


class _DeadlineInput:
    """The request body, read under a deadline: each read may wait only for the time left."""

    def __init__(self, stream: Any, sock: Any, deadline: float):
        self.stream, self.sock, self.deadline = stream, sock, deadline

    def _call(self, method: str, *args: Any) -> Any:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise RequestTimeout("the request body did not arrive in time")
        self.sock.settimeout(remaining)
        try:
            return getattr(self.stream, method)(*args)
        except TimeoutError:
            raise RequestTimeout("the request body did not arrive in time") from None

    def read(self, *args: Any) -> bytes:
        return self._call("read", *args)

    def readline(self, *args: Any) -> bytes:
        return self._call("readline", *args)

    def readlines(self, *args: Any) -> list[bytes]:
        return self._call("readlines", *args)

    def __iter__(self):
        while line := self.readline():
            yield line


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
        return Recording(answer, self.cache.max_entry_bytes, lambda body: self._keep(key, status, headers, body))

    def _keep(self, key: RequestKey, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """Keep an answer read whole: said to come from the cache, with its length (a streamed one had none)."""
        kept = [self.TIMING if name == "Server-Timing" else (name, value) for name, value in headers
                if name.lower() != "content-length"]  # fmt: skip
        self.cache.put(key, KeptResponse(status, (*kept, ("Content-Length", str(len(body)))), body))


FRESH_WAIT = 10.0  # seconds a request waits for a version just committed before the version before answers
WATCH_SECONDS = 1.0  # how often the loading thread looks for a new data version
# Pages whose own caches are filled once a version is loaded, the most asked first. Not /analysis/bridges: at 10^6
# quads it computes for more than a minute, in every worker (bench/README.md).
WARM_PATHS = ("/", "/api/network", "/network", "/analysis/rank", "/analysis/continuity", "/search?q=a",
              "/analysis/communities")  # fmt: skip


def _worker_started(worker) -> None:
    """Each worker starts its thread that loads each data version, which then starts the query processes."""
    threading.Thread(target=keep_warm, args=(worker.wsgi, worker.log.info), name="warming", daemon=True).start()


def keep_warm(app, say: Callable[[str], None], rounds: int | None = None) -> None:
    """Load the published version, then each version a commit publishes (in the background: the version before
    answers meanwhile), and fill the caches of the pages in WARM_PATHS for it; ``say`` tells what is being loaded."""
    from spacegraph.library import Spacegraph
    from spacegraph.store.oxigraph import StoreMissing

    library: Spacegraph = app.extensions["spacegraph"]
    library.load_in_background(FRESH_WAIT, lambda published: _load(published, say))
    warmed: str | None = None
    while rounds is None or rounds > 0:
        try:
            first = warmed is None
            published = library.published()
            if first:
                try:
                    _load(published, say)
                finally:  # after the loading, which they slowed down (their copies of a large store take CPU)
                    _start_query_processes(app)
            if published.version != warmed:
                _warm_pages(app, say, published.version)
                warmed = published.version
                _settle()
        except StoreMissing:
            pass
        except Exception as error:  # noqa: BLE001 - said, and tried again: the requests find the same error
            say(f"loading the data failed: {error!r}")
        rounds = None if rounds is None else rounds - 1
        time.sleep(WATCH_SECONDS)


def _settle() -> None:
    """Keep a loaded version out of the cyclic garbage collector's way: its projections and caches are millions of
    objects (565,000 at 10^5 quads), and each full collection walked them all, a pause of 0.17 s at 10^5 quiet and
    up to a second under load, in which the worker answered nothing (bench/README.md, issue 19). They live until the
    next version, so they are frozen (``gc.freeze``: never collected). The version before is unfrozen first and its
    cycles collected: one full collection per commit, in this thread, which holds the interpreter meanwhile (every
    worker does it at about the same time). Whatever else is alive at that moment is frozen too (a request's
    objects): those in reference cycles are collected only at the next commit."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _start_query_processes(app) -> None:
    """The worker's query processes, started so that their copies of the store in memory are being made before the
    first query (spacegraph.sparql.runner). Each is taken from the pool while it starts, as a query would take it;
    one a query holds was started by that query."""
    pool = app.extensions["sparql"]
    taken: list = []
    try:
        while len(taken) < len(pool.runners) and (runner := pool.acquire()) is not None:
            taken.append(runner)
            runner.start()
    finally:
        for runner in taken:
            pool.release(runner)


def _load(published, say: Callable[[str], None]) -> None:
    started = time.perf_counter()
    published.warm(say)
    say(f"version {published.version} loaded in {time.perf_counter() - started:.1f} s")


def _warm_pages(app, say: Callable[[str], None], version: str) -> None:
    started = time.perf_counter()
    client = app.test_client()
    for path in WARM_PATHS:
        client.get(path).close()
    say(f"pages of version {version} ready in {time.perf_counter() - started:.1f} s: {', '.join(WARM_PATHS)}")


def run_server(settings: Settings) -> None:
    SpacegraphServer(settings).run()
