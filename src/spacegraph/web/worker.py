"""gunicorn's threaded worker (gthread) as `spacegraph serve` runs it, so that a slow request holds one thread and
not a whole worker process, with two changes for clients that are slow on purpose or by accident (issue 13, "Hardening"):

- A thread is given to a connection only once the head of its request (request line and headers) has arrived
  whole. Until then the connection waits in the worker's poller, which costs no thread; one that sends nothing for
  gunicorn's keepalive time (2 s), or has not sent a whole head within ``client_timeout``, is closed. (gthread
  itself reads the head in a thread, blocking, with no deadline: a few connections that send a request line and
  nothing more took every thread.)
- The body must arrive within ``client_timeout`` (else 408), and each part of the answer must be taken within it
  (else the connection is closed): see ``ClientDeadlines``.

On a kept-alive connection, a GET /sparql whose whole answer is kept (``spacegraph.web.kept``) does not even take a
thread: the worker's poller answers it where it finds the request (``HeadFirstWorker._answer_here``), and a new query
of a known kind is sent to a query process from there too (``spacegraph.web.asking``). Handing each request to a
thread and the connection back to the poller cost more than a kept answer, and as much as the rest of a new one
(bench/README.md, issue 19).
"""

from __future__ import annotations

import selectors
import socket
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from gunicorn import http as gunicorn_http
from gunicorn.http import wsgi as gunicorn_wsgi
from gunicorn.workers.gthread import _DEFER, ThreadWorker
from werkzeug.exceptions import RequestTimeout

from spacegraph.web.asking import AskingFromThePoller, may_ask
from spacegraph.web.balance import TURN_SECONDS
from spacegraph.web.kept import KeptAnswers

HEAD_END = b"\r\n\r\n"
HEARTBEAT_SECONDS = 1.0
INLINE_HEAD = 8192  # bytes of a request head looked at in the poller (a longer one goes to a thread)


class HeadFirstWorker(AskingFromThePoller, ThreadWorker):
    """gthread that reads a request's head without holding a thread, answers a kept answer and asks a new query in
    its poller, and takes new connections least-connections first (see the module's documentation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._heartbeat = self._parent_seen = 0.0  # when this worker last told its master, and looked for it
        self._awaiting_turn = False  # not accepting only because another worker holds fewer connections
        self._flights = []  # queries the poller has sent (spacegraph.web.asking)
        self._sending = 0  # answers begun in the poller whose rest a thread is sending (changed in the poller only)

    def notify(self) -> None:
        """gunicorn's heartbeat to its master (the times of a file: a system call), at most every HEARTBEAT_SECONDS:
        its loop gave it on every event, several times a request, and the master looks for it once a timeout."""
        now = time.monotonic()
        if now - self._heartbeat >= HEARTBEAT_SECONDS:
            self._heartbeat = now
            super().notify()

    def is_parent_alive(self) -> bool:
        """gunicorn's look for a new parent (a system call), at most every HEARTBEAT_SECONDS: on every event, it was
        as costly as the guard's reading of a query."""
        now = time.monotonic()
        if now - self._parent_seen < HEARTBEAT_SECONDS:
            return True
        self._parent_seen = now
        return super().is_parent_alive()

    def set_accept_enabled(self, enabled: bool) -> None:
        """Accept only while this worker holds no more connections than any other (``spacegraph.web.balance``)."""
        table = getattr(self, "connection_table", None)
        self._awaiting_turn = False
        if enabled and table is not None and not table.may_accept(self.connection_slot, self.nr_conns):
            enabled, self._awaiting_turn = False, True
        super().set_accept_enabled(enabled)

    def accept(self, listener) -> None:
        super().accept(listener)
        if self.alive:
            self.set_accept_enabled(self.nr_conns < self.worker_connections)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self.alive:  # this worker's count is written, and whether it accepts is decided again, before each wait
            self.set_accept_enabled(self.nr_conns < self.worker_connections)
        elif getattr(self, "connection_table", None) is not None:  # stopping: the others take the new connections
            self.connection_table.retire(self.connection_slot)
        if self._awaiting_turn:  # the others' counts rise without waking this worker: look again soon
            timeout = min(timeout, TURN_SECONDS)
        super().wait_for_and_dispatch_events(self._flight_timeout(timeout))
        self._expire_flights()

    def on_client_socket_readable(self, conn, client):
        try:
            answered = self._answer_here(conn)
        except Exception:  # never expected, before the request is taken: a thread answers it, the poller goes on
            self.log.exception("answering a request in the poller failed")
            answered = False
        if not answered:
            super().on_client_socket_readable(conn, client)

    def _answer_here(self, conn) -> bool:
        """Answer the next request of a kept-alive connection here, in the poller's thread, when it is a plain GET
        whose whole answer ``KeptAnswers`` keeps, or send its query to a free query process when it is a new query
        (``spacegraph.web.asking``); True when taken (or the connection dropped). Else False, with nothing read:
        gthread hands the connection to a thread, as for any request.

        Only a head that has arrived whole and alone (no body, no pipelined request behind it) is taken; it is
        parsed by gunicorn's parser and the answer's head written by gunicorn's ``Response``, as in a thread, and
        sent with the body without blocking (and without copying it). Whatever the client does not take at once
        is sent by a thread within the client deadline, so that the poller never waits for a client; while as
        many such sends as the worker has threads are under way, requests go to threads. Not with an access log
        (a full log pipe would stop the poller) or TLS."""
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
        if self.nr + 1 >= self.max_requests or len(self.keepalived_conns) > self.max_keepalived:
            return False  # gthread's own path restarts the worker or closes the connection
        line = head[: head.find(b"\r\n")]
        if kept.may_answer(line):
            parts = self._kept_reply(conn, head, kept)
            if parts is not None:
                try:
                    self._taken(conn, head, watched=True)
                    self.nr += 1
                    self._send(conn, parts, watched=True)
                except Exception:  # the client went away (or anything else): the request was taken, so it ends
                    self._drop(conn)
                return True
        return may_ask(line) and self._ask(conn, head, self.wsgi.extensions["direct_answers"])

    def _taken(self, conn, head: bytes, watched: bool = False) -> None:
        """The request whose ``head`` was looked at is the poller's: read, and out of the keep-alive line (and out
        of the poll set unless ``watched``: its answer is sent at once)."""
        self.keepalived_conns.remove(conn)
        if not watched:
            self.poller.unregister(conn.sock)
        conn.sock.recv(len(head))  # the bytes are there

    def _send(self, conn, parts: list[bytes], watched: bool = False) -> None:
        """Send an answer without blocking; a thread sends what the client does not take at once. The connection
        then waits for its next request (``watched``: it is still in the poll set)."""
        try:
            sent = conn.sock.sendmsg(parts)
        except (BlockingIOError, InterruptedError):
            sent = 0
        rest = _after(parts, sent)
        if rest:
            if watched:
                self.poller.unregister(conn.sock)
            self._sending += 1
            done = self.tpool.submit(self._send_rest, conn, rest)
            done.add_done_callback(lambda future: self.method_queue.defer(self._rest_sent, conn, future))
            return
        conn.set_timeout()  # kept alive for gunicorn's keepalive seconds from now, last in the line
        self.keepalived_conns.append(conn)
        if not watched:
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn))

    def _drop(self, conn) -> None:
        """Close a connection whose request the poller took, wherever it was left."""
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        if conn in self.keepalived_conns:
            self.keepalived_conns.remove(conn)
        self.nr_conns -= 1
        conn.close()

    def _parse(self, conn, head: bytes) -> tuple[Any, Any, dict, _Written] | None:
        """A plain GET's request, its response (whose head is written into a ``_Written``) and WSGI environ, as a
        thread would make them; None for anything else (a body, ``Connection: close``, an error: a thread answers
        it, with gunicorn's error page)."""
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
        except Exception:  # noqa: BLE001 - a bad SCRIPT_NAME, say
            return None
        return request, response, environ, written

    def _kept_reply(self, conn, head: bytes, kept: KeptAnswers) -> list[bytes] | None:
        """The whole answer to ``head`` (its head's bytes, then the kept body) when it is kept and the connection
        stays open after it, else None: then a thread answers the request, errors included."""
        parsed = self._parse(conn, head)
        if parsed is None:
            return None
        _, response, environ, written = parsed
        try:
            answer = kept.lookup(environ)
            if answer is None:
                return None
            response.start_response(answer.status, list(answer.headers))
            response.send_headers()
            if response.should_close() or response.response_length != len(answer.body):
                return None  # never: a kept answer has its length
        except Exception:  # noqa: BLE001 - a thread answers it, with gunicorn's error page
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
