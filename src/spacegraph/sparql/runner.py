"""Running a query under a deadline: in a worker process that can be killed.

Neither pyoxigraph nor rdflib can cancel a running query from Python. Each web worker therefore keeps one query
process (started once, with the published store open read-only) and talks to it over a pipe. When a query
passes its deadline, or the engine crashes, the process is killed and a fresh one started for the next query:
the web worker, and every other request, carry on.

The query process answers from an in-memory copy of the published store when it is small enough
(``spacegraph.sparql.memory_copy``), and runs with no right to open sockets and a memory limit
(``spacegraph.sparql.confine``).

Results come back as serialized chunks, so a large result is never built whole. A SELECT or CONSTRUCT result
is cut at the row limit; the rows up to the limit are fetched before the first byte is sent, so that the
response headers can say whether it was cut.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spacegraph.sparql import results, rewrite
from spacegraph.sparql.confine import confine
from spacegraph.sparql.guard import has_dataset_clause
from spacegraph.sparql.memory_copy import Stores
from spacegraph.sparql.results import Buffer as Buffer  # the answers of spacegraph.sparql.remote
from spacegraph.sparql.results import Sink
from spacegraph.sparql.syntax import explain
from spacegraph.vocab import PREFIXES

# The project's prefixes, declared for every query (the service description lists them): a query that runs in
# `spacegraph query` runs here too. The engine declares them, so positions in its errors are the user's own.
DECLARED_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

log = logging.getLogger("spacegraph.sparql")


class QueryTimeout(Exception):
    """The query passed its deadline and was stopped (HTTP 503)."""


class QueryFailed(Exception):
    """The engine refused or failed the query (HTTP 400 for a bad query, 500 for a crash)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class QueryRequest:
    sparql: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    media_type: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_rows: int = 0  # 0: no limit
    base_iri: str | None = None  # relative IRIs in the query resolve against it (the endpoint's URL)


@dataclass
class QueryAnswer:
    media_type: str
    truncated: bool
    chunks: Iterator[bytes] | None = None  # a large answer, as it comes
    body: bytes | None = None  # a small answer, whole
    engine: str = ""  # what answered: "memory" or "disk" (the embedded store), "server" (a SPARQL server)
    seconds: float = 0.0  # the engine's time to its first answer (a small answer: the whole of it)


class QueryRunner:
    """One web worker's query process."""

    def __init__(self, store_path: Path, timeout: float, memory_quads: int = 0, copies: int = 1, memory_limit: int = 0):
        self.store_path = store_path
        self.timeout = timeout
        self.memory_quads = memory_quads
        self.copies = copies  # how many query processes (one per web worker) each make a copy
        self.memory_limit = memory_limit  # bytes the query process may allocate (spacegraph.sparql.confine); 0: any
        self._process: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._streaming = False  # an answer has started and not ended: its rest is still in the pipe

    def _start(self) -> Connection:
        if self._process is None or self._process.poll() is not None or self._conn is None:
            # A fresh interpreter (`python -m spacegraph.sparql.runner`), not a fork: it shares no database
            # handle, thread or lock with the web worker. The two talk over a socket pair.
            ours, theirs = socket.socketpair()
            command = [sys.executable, "-m", "spacegraph.sparql.runner", str(theirs.fileno()), str(self.store_path),
                       str(self.memory_quads), str(self.copies), str(self.memory_limit)]  # fmt: skip
            self._process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
            theirs.close()
            self._conn = Connection(ours.detach())
        return self._conn

    def start(self) -> None:
        """Start the query process now (a web worker does at boot): its copy of the store is made before the first
        query comes."""
        self._start()

    def stop(self) -> None:
        self._streaming = False
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(5)
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None

    def run(self, request: QueryRequest) -> QueryAnswer:
        """Start the query; the answer's chunks keep to the same deadline as they are read."""
        deadline = self.send(request)
        return self.answer_of(self._receive(self._conn, deadline), deadline)  # type: ignore[arg-type]

    def send(self, request: QueryRequest) -> float:
        """Hand the query to the query process (started if need be); its deadline."""
        deadline = time.monotonic() + self.timeout
        if self._streaming:  # the last answer was not read to its end (the client went away): start afresh
            self.stop()
        _put(self._start(), request)
        return deadline

    def fileno(self) -> int:
        """The pipe the answer comes on, for a poller: readable once the query process has begun to answer."""
        assert self._conn is not None
        return self._conn.fileno()

    def ready(self) -> bool:
        """Whether a query can be sent now without starting (or first stopping) the query process."""
        return (
            self._conn is not None
            and self._process is not None
            and not self._streaming
            and (self._process.poll() is None)
        )

    def read_message(self, framed: Framed) -> tuple[Any, ...] | None:
        """In a poller, once ``fileno`` is readable: read what has arrived of the next message into ``framed``,
        without waiting (and never past the message); the message when whole, else None. EOFError or OSError when
        the query process ended (``crashed`` then says why)."""
        return framed.read(self.fileno())

    def kill(self) -> None:
        """Stop the query at once, without waiting for its process to end (``timed_out`` or ``stop`` does)."""
        if self._process is not None:
            self._process.kill()

    def answer_of(self, first: tuple[Any, ...], deadline: float) -> QueryAnswer:
        """The answer that begins with the message ``first``: whole, or the start of its chunks; QueryFailed for
        an error."""
        if first[0] == "error":
            raise QueryFailed(first[1], first[2])
        if first[0] == "whole":
            _, media_type, truncated, engine, seconds, body = first
            return QueryAnswer(media_type, truncated, body=body, engine=engine, seconds=seconds)
        _, media_type, truncated, engine, seconds = first
        self._streaming = True
        assert self._conn is not None
        return QueryAnswer(media_type, truncated, chunks=self._chunks(self._conn, deadline), engine=engine,
                           seconds=seconds)  # fmt: skip

    def timed_out(self) -> QueryTimeout:
        """The query ran past its deadline: the query process is stopped, and this is the error to answer."""
        log.warning("query process %s stopped at the %g s deadline", self._process and self._process.pid,
                    self.timeout)  # fmt: skip
        self.stop()
        return QueryTimeout(
            f"the query ran longer than {self.timeout:g} s and was stopped: add LIMIT, narrow the patterns, "
            "or run it on a copy of the data (spacegraph dump)"
        )

    def _chunks(self, conn: Connection, deadline: float) -> Iterator[bytes]:
        while True:
            message = self._receive(conn, deadline)
            if message[0] == "chunk":
                yield message[1]
            elif message[0] == "end":
                self._streaming = False
                return
            else:  # an error after the headers were sent: end the stream short
                self.stop()
                raise QueryFailed(message[1], message[2])

    def _receive(self, conn: Connection, deadline: float) -> tuple[Any, ...]:
        remaining = deadline - time.monotonic()
        try:
            if not (remaining > 0 and conn.poll(remaining)):
                raise self.timed_out()
            return conn.recv()
        except (EOFError, OSError) as error:
            raise self.crashed() from error

    def crashed(self) -> QueryFailed:
        """The query process ended while answering: say why (a memory limit is a 503, anything else a 500),
        log it, and start afresh on the next query."""
        process, code = self._process, None
        if process is not None:
            try:
                code = process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self.stop()
        if code == -signal.SIGABRT and self.memory_limit:  # Rust aborts when an allocation fails
            failed = QueryFailed(
                f"the query needed more memory than a query may use ({self.memory_limit // 2**20:,} MB, "
                "SPACEGRAPH_QUERY_MEMORY_LIMIT) and was stopped: add LIMIT, or narrow the patterns",
                503,
            )
        else:
            failed = QueryFailed("the query engine failed on this query and was restarted", 500)
        log.error("query process %s ended with %s while answering: %s", process and process.pid, code, failed)
        return failed


class Framed:
    """One message of a ``multiprocessing.connection.Connection`` (a 4-byte length, or -1 and an 8-byte length; then
    the pickle), read from a blocking pipe in steps that never wait: one read per readiness, of no more than the
    message still needs, so that what follows it stays in the pipe for ``Connection.recv``."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.size: int | None = None  # the pickle's length, once read

    def read(self, fd: int) -> tuple[Any, ...] | None:
        if self.size is None:
            wanted = (12 if self.data[:4] == b"\xff\xff\xff\xff" else 4) - len(self.data)
        else:
            wanted = self.header() + self.size - len(self.data)
        chunk = os.read(fd, wanted)
        if not chunk:
            raise EOFError("the query process closed its pipe")
        self.data += chunk
        if self.size is None and len(self.data) in (4, 12):
            (size,) = struct.unpack("!i", self.data[:4])
            if size != -1:
                self.size = size
            elif len(self.data) == 12:
                (self.size,) = struct.unpack("!Q", self.data[4:12])
        if self.size is None or len(self.data) < self.header() + self.size:
            return None
        return pickle.loads(memoryview(self.data)[self.header() :])

    def header(self) -> int:
        return 12 if self.data[:4] == b"\xff\xff\xff\xff" else 4


def _serve(conn: Connection, store_path: str, memory_quads: int, copies: int, memory_limit: int) -> None:
    """The query process: answer requests until the pipe closes."""
    for missing in confine(memory_limit):
        print(f"spacegraph query process {os.getpid()}: {missing}", file=sys.stderr, flush=True)
    path = Path(store_path)
    stores = Stores(path, memory_quads, copies, memory_limit)
    stores.current()  # the copy starts now, before the first query
    while True:
        try:
            request: QueryRequest = conn.recv()
        except EOFError:
            return
        found = stores.current()
        if found is None:
            conn.send(("error", f"no store at {path}: run `spacegraph build` first", 503))
            continue
        store, engine = found
        try:
            with stores.answering():
                _answer(conn, store, engine, request)
        except SyntaxError as error:
            conn.send(("error", f"Query syntax error: {explain(str(error), request.sparql, DECLARED_PREFIXES)}", 400))
        except (ValueError, OSError, RuntimeError) as error:
            if "(os error 13)" in str(error):  # EACCES from the seccomp filter: the engine tried to open a socket
                print(f"spacegraph query process {os.getpid()}: refused a network connection the query asked for "
                      f"(a SERVICE the guard did not see?): {request.sparql[:200]!r}", file=sys.stderr, flush=True)  # fmt: skip
            conn.send(("error", f"the query failed: {error}", 400))
        except MemoryError:
            conn.send(("error", "the query needed more memory than a query may use (SPACEGRAPH_QUERY_MEMORY_LIMIT) "
                                "and was stopped: add LIMIT, or narrow the patterns", 503))  # fmt: skip
        except Exception as error:  # a failure in writing the answer: said, and the process carries on
            print(f"spacegraph query process {os.getpid()}: {error!r} on {request.sparql[:200]!r}", file=sys.stderr,
                  flush=True)  # fmt: skip
            conn.send(("error", f"the query's answer could not be written: {error}", 500))


def _answer(conn: Connection, store: ox.Store, engine: str, request: QueryRequest) -> None:
    sender = _Sender(conn, request.media_type, engine)
    evaluate(store, request, sender)
    sender.finish()


def evaluate(store: ox.Store, request: QueryRequest, sink: Sink) -> None:
    """Run the request on the store and write its answer, serialized, to ``sink``: the endpoint's query layer
    without the process around it (the W3C evaluation tests call it directly).

    The dataset follows the SPARQL 1.1 Protocol, section 2.1.4: with ``default-graph-uri`` or ``named-graph-uri``
    it is exactly the graphs they name; else with ``FROM`` or ``FROM NAMED`` in the query, the graphs those name;
    else the service's own dataset (the default graph is the union of the named graphs, every named graph is
    available). Graphs are only ever looked up in the store.
    """
    options: dict[str, Any] = {"prefixes": DECLARED_PREFIXES}
    if request.base_iri:
        options["base_iri"] = request.base_iri
    if request.default_graphs or request.named_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    elif not has_dataset_clause(request.sparql):
        options["use_default_graph_as_union"] = True
    write_answer(rewrite.run(store, request.sparql, options), request, sink)  # early projection (rewrite.py)


def write_answer(answer: Any, request: QueryRequest, sink: Sink) -> None:
    """Serialize an engine's answer (a boolean, solutions, or triples; from Oxigraph or a SPARQL server) in the
    request's format, cut at its row limit."""
    if isinstance(answer, ox.QueryBoolean | bool):
        sink.emit(results.write_boolean(bool(answer), request.media_type))
    elif hasattr(answer, "variables"):
        results.write_solutions(answer, request.media_type, request.max_rows, sink)
    else:
        triples, sink.truncated = _limited(answer, request.max_rows or None)
        results.write_graph(triples, request.media_type, sink.emit)


class _Sender:
    """Sends an answer: in one message when it is small (most are), else a start, chunks and an end."""

    def __init__(self, conn: Connection, media_type: str, engine: str):
        self.conn, self.media_type, self.engine = conn, media_type, engine
        self.began = time.monotonic()  # the engine's time is measured here, without a process's start-up
        self.truncated = False
        self.started = False
        self.pending: list[bytes] = []
        self.size = 0

    def emit(self, chunk: bytes) -> None:
        self.pending.append(chunk)
        self.size += len(chunk)
        if self.size >= results.CHUNK:
            if not self.started:
                _put(self.conn, ("start", self.media_type, self.truncated, self.engine, self._seconds()))
                self.started = True
            _put(self.conn, ("chunk", b"".join(self.pending)))
            self.pending, self.size = [], 0

    def _seconds(self) -> float:
        return time.monotonic() - self.began

    def finish(self) -> None:
        if not self.started:
            _put(self.conn, ("whole", self.media_type, self.truncated, self.engine, self._seconds(),
                            b"".join(self.pending)))  # fmt: skip
            return
        if self.pending:
            _put(self.conn, ("chunk", b"".join(self.pending)))
        _put(self.conn, ("end",))


def _put(conn: Connection, message: Any) -> None:
    """``conn.send(message)``, pickled by ``pickle`` itself: multiprocessing's pickler, made anew for each message,
    took a tenth of a small answer's time; ``Connection.recv`` reads both alike."""
    conn.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _limited(answer: Any, limit: int | None) -> tuple[Any, bool]:
    """The answer's rows, cut at ``limit``; the rows up to the limit are fetched now, to know if it was cut."""
    if limit is None:
        return answer, False
    rows = list(itertools.islice(answer, limit + 1))
    return rows[:limit], len(rows) > limit


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
