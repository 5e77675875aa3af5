"""New /sparql queries asked and answered from the worker's poller, without a thread (issue 19).

A new query text of a kind Flask has answered before (``spacegraph.web.direct``) costs its worker little of its own:
the guard, a look at the cache, a message to the query process and the answer back. Handing the request to a thread
and the connection back to the poller cost as much again (gunicorn's threaded worker: a future, a pipe to wake the
poller, two changes to the poll set, and the waits for the interpreter lock in between), and with 32 clients those
waits were most of the slowest answers' time (bench/README.md).

So when such a request arrives whole on a kept-alive connection, the poller takes it: it sends the query to a free
query process (or takes its place in the worker's line for one, ``QueryPool.acquire_for``, which calls back when its
turn comes), adds the query process's pipe to the poll set, and goes on with other connections. When the answer has
arrived whole (``QueryRunner.read_message`` reads it in steps that never wait), the poller sends it as a thread
would have (the same bytes: ``tests/test_asking.py``), keeps it for the next time, and the connection goes back to
waiting for its next request. Everything that is not a small whole answer goes to a thread with its outcome
(``direct.handed_over``), and the view answers it as it answers any query already run: an error, a streamed or cut
answer, one Flask would compress, a query past its deadline (its process is stopped: 503), or one that waited in
line longer than ``SPACEGRAPH_QUERY_WAIT`` (503 with Retry-After).
"""

from __future__ import annotations

import selectors
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeAlias

from spacegraph.sparql.runner import Framed, QueryAnswer, QueryFailed
from spacegraph.web.direct import DirectAnswers, Planned, handed_over
from spacegraph.web.sparql import Waiter

SPARQL_GET = b"GET /sparql?"


@dataclass
class Flight:
    """A request the poller has taken and whose query it is answering: its connection, its parsed request, WSGI
    environ and response (whose head is written into ``written``), the plan, and its key among the kept answers.
    Until it is answered or handed to a thread, it is in the worker's ``_flights``, waiting for its turn (``place``)
    or for its query process (``runner``: the poller releases it)."""

    conn: Any
    request: Any
    environ: dict
    response: Any
    written: Any
    planned: Planned
    kept_key: Any
    deadline: float  # to wait for its turn, then for its answer
    place: Any = None  # its place in the line for a query process (``QueryPool.acquire_for``)
    runner: Any = None  # its query process, once its turn has come, until released or handed to a thread
    fd: int = -1  # the query process's pipe, while registered with the poller
    framed: Framed = field(default_factory=Framed)


Outcome: TypeAlias = QueryAnswer | Exception  # what a query came to: its answer, or its error


class AskingFromThePoller:
    """The part of ``spacegraph.web.worker.HeadFirstWorker`` that asks new queries from its poller (see the
    module's documentation); the worker provides gthread's poller, thread pool and connection handling. Nothing
    here waits: starting and stopping a query process (which waits for it) are left to threads."""

    poller: Any
    tpool: Any
    method_queue: Any
    keepalived_conns: Any
    max_keepalived: int
    alive: bool
    log: Any
    nr: int
    _flights: list[Flight]

    def _ask(self, conn, head: bytes, direct: DirectAnswers) -> bool:
        """Take the request of ``head`` (a GET /sparql that arrived whole and alone): answer it from the cache, or
        send its query to a query process when one is free or its turn comes; True when taken. False with nothing
        read: a thread answers it."""
        parsed = self._parse(conn, head)  # type: ignore[attr-defined]
        if parsed is None:
            return False
        request, response, environ, written = parsed
        planned = direct.plan(environ)
        if not isinstance(planned, Planned):
            return False
        pool = direct.pool
        kept_key = self.wsgi.extensions["kept_answers"].key(environ)  # type: ignore[attr-defined]
        flight = Flight(conn, request, environ, response, written, planned, kept_key, time.monotonic() + pool.wait)
        try:
            self._taken(conn, head)  # type: ignore[attr-defined]
            kept = pool.answers.get(planned.key)
            if kept is not None:
                self._answered(flight, QueryAnswer(kept.media_type, kept.truncated, body=kept.body, engine="cache"))
                return True
            self._flights.append(flight)
            place = pool.acquire_for(lambda runner: self.method_queue.defer(self._send_query, flight, runner))
            if isinstance(place, Waiter):
                flight.place = place  # until its turn comes, or its deadline to wait passes
            else:
                self._send_query(flight, place)
        except Exception:  # noqa: BLE001 - never expected: the request is taken, so its connection ends
            self._lost(flight)
        return True

    def _send_query(self, flight: Flight, runner: Any) -> None:
        """Its turn has come: send the query, and watch for its answer. A query process that must be started first
        (after a crash, a deadline, or an answer left unread) is started by a thread, which then runs the query."""
        flight.place, flight.runner = None, runner
        try:
            if flight not in self._flights:  # lost meanwhile
                self._release(flight)
                return
            if not runner.ready():
                self._flights.remove(flight)
                self._hand(flight, self._run_in_thread)
                return
            flight.deadline = runner.send(flight.planned.key.request(flight.planned.form))
            flight.fd = runner.fileno()
            self.poller.register(flight.fd, selectors.EVENT_READ, partial(self._arrived, flight))
        except Exception:  # noqa: BLE001 - never expected (the query process was ready)
            self._lost(flight)

    def _arrived(self, flight: Flight, _fileobj: Any = None) -> None:
        """The query process's pipe is readable: read what has come of its answer, and answer once it is whole."""
        try:
            try:
                message = flight.runner.read_message(flight.framed)
            except (EOFError, OSError):  # the query process ended: a thread says why, and starts another
                self._landed(flight)
                self._hand(flight, self._crashed_in_thread)
                return
            if message is None:
                return
            self._landed(flight)
            pool = self._pool()
            try:
                answer = flight.runner.answer_of(message, flight.deadline)
            except QueryFailed as failed:  # the engine's error
                self._release(flight)
                self._hand(flight, failed)
                return
            answer = pool.released_after(flight.runner, answer)  # a streamed one, when its chunks have been read
            flight.runner = None
            self._answered(flight, pool.answers.kept_as_read(flight.planned.key, answer))
        except Exception:  # noqa: BLE001 - never expected
            self._lost(flight)

    def _answered(self, flight: Flight, answer: QueryAnswer) -> None:
        """Send a whole answer from here, or hand it to a thread when the view must answer it (also when the
        worker is stopping, or keeps as many connections alive as it may: the thread's answer closes)."""
        direct: DirectAnswers = self.wsgi.extensions["direct_answers"]  # type: ignore[attr-defined]
        reply = direct.reply(flight.planned, answer)
        if reply is None or not self.alive or len(self.keepalived_conns) >= self.max_keepalived:
            self._hand(flight, answer)
            return
        headers, body = reply
        flight.response.start_response("200 OK", headers)
        flight.response.send_headers()
        if flight.kept_key is not None and flight.kept_key.version == flight.planned.key.version:
            self.wsgi.extensions["kept_answers"].keep(flight.kept_key, "200 OK", headers, body)  # type: ignore[attr-defined]
        self.nr += 1
        try:
            self._send(flight.conn, [*flight.written.parts, body])  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the client went away (or anything else): the connection ends
            self._drop(flight.conn)  # type: ignore[attr-defined]

    def _hand(self, flight: Flight, outcome: Outcome | Callable[[Flight], Outcome]) -> None:
        """A thread answers the request through the app, with the outcome of its query (or what makes it, in the
        thread: ``_run_in_thread`` and the like)."""
        done = self.tpool.submit(self._answer_handed, flight, outcome)
        done.add_done_callback(lambda future: self.method_queue.defer(self.finish_request, flight.conn, future))  # type: ignore[attr-defined]

    def _answer_handed(self, flight: Flight, outcome: Outcome | Callable[[Flight], Outcome]) -> bool:
        """In a thread: gthread's answer to the request, the view given the query's outcome; whether the connection
        stays open."""
        try:
            if callable(outcome):
                outcome = outcome(flight)
            with handed_over(flight.planned.kind_key, (flight.planned.key, outcome)):
                flight.conn.sock.setblocking(True)
                return self.handle_request(flight.request, flight.conn)  # type: ignore[attr-defined]
        except (OSError, StopIteration) as error:
            self.log.debug("a handed-over /sparql answer ended the connection: %r", error)
        except Exception as error:  # as gthread's own handle does
            self.handle_error(flight.request, flight.conn.sock, flight.conn.client, error)  # type: ignore[attr-defined]
        return False

    def _run_in_thread(self, flight: Flight) -> Outcome:
        """The query, run on its query process (started first), as a thread runs any query."""
        runner, pool = flight.runner, self._pool()
        try:
            answer = runner.run(flight.planned.key.request(flight.planned.form))
        except Exception as error:  # noqa: BLE001 - the view answers it
            pool.release(runner)
            return error
        return pool.answers.kept_as_read(flight.planned.key, pool.released_after(runner, answer))

    def _crashed_in_thread(self, flight: Flight) -> Outcome:
        failed = flight.runner.crashed()
        self._pool().release(flight.runner)
        return failed

    def _timed_out_in_thread(self, flight: Flight) -> Outcome:
        error = flight.runner.timed_out()
        self._pool().release(flight.runner)
        return error

    def _landed(self, flight: Flight) -> None:
        """Out of the flights, and its pipe out of the poll set."""
        if flight in self._flights:
            self._flights.remove(flight)
        if flight.fd >= 0:
            self.poller.unregister(flight.fd)
            flight.fd = -1

    def _release(self, flight: Flight) -> None:
        if flight.runner is not None:
            self._pool().release(flight.runner)
            flight.runner = None

    def _lost(self, flight: Flight) -> None:
        """A failure nothing here expects: the request's connection ends, and what it held is let go."""
        self.log.exception("a /sparql request the poller took failed: its connection is closed")
        try:
            self._landed(flight)
        except (KeyError, ValueError, OSError):
            pass
        if flight.place is not None:
            self._pool().cancel(flight.place)  # when its turn has come meanwhile, ``_send_query`` releases it
        self._release(flight)
        self._drop(flight.conn)  # type: ignore[attr-defined]

    def _pool(self) -> Any:
        return self.wsgi.extensions["direct_answers"].pool  # type: ignore[attr-defined]

    def _flight_timeout(self, timeout: float) -> float:
        """The poller's wait, shortened to the nearest deadline of a query in flight or in line."""
        if not self._flights:
            return timeout
        return max(0.0, min(timeout, min(flight.deadline for flight in self._flights) - time.monotonic()))

    def _expire_flights(self) -> None:
        """Queries past their deadline: one still in line is answered 503 with Retry-After (as a thread's query is
        after waiting ``QueryPool.wait``); one running has its query process killed at once, and a thread (which
        waits for it to end) gives the view the deadline's 503."""
        now = time.monotonic()
        for flight in [flight for flight in self._flights if flight.deadline <= now]:
            try:
                if flight.place is not None:
                    if self._pool().cancel(flight.place):
                        self._flights.remove(flight)
                        self._hand(flight, self._pool().busy())
                    continue  # else its turn has just come (``_send_query`` is on its way)
                self._landed(flight)
                flight.runner.kill()
                self._hand(flight, self._timed_out_in_thread)
            except Exception:  # noqa: BLE001 - never expected
                self._lost(flight)


def may_ask(request_line: bytes) -> bool:
    """Whether a request line is a GET of /sparql with a query string: a quick look before the parser reads it."""
    return request_line.startswith(SPARQL_GET)
