"""Kept answers given by the worker's poller (spacegraph.web.worker.HeadFirstWorker._answer_here, issue 19): on a
kept-alive connection, a GET /sparql whose whole answer is kept is answered without a thread, the same bytes a thread
gives; anything else still goes to a thread, and a client that takes a large answer slowly gets all of it.

One real server with one worker of one thread: a request that holds that thread shows which answers need it."""

from __future__ import annotations

import http.client
import json
import select
import socket
import struct
import time
import urllib.parse
import weakref

import pytest
from tests.serving import serving

from spacegraph.web.worker import _after

CLIENT_TIMEOUT = 5
SMALL = "SELECT ?name WHERE { <https://w3id.org/spacegraph/id/person/jeffrey-manber> <https://schema.org/name> ?name }"
# Megabytes (about 6: more than a socket's largest send buffer here, 4 MB, and less than a kept answer may be, 8):
# every triple, with its terms over and over
LARGE = """SELECT * WHERE {
  ?s ?p ?o BIND(CONCAT(STR(?s), STR(?p), STR(?o), STR(?s), STR(?p), STR(?o)) AS ?x)
  BIND(CONCAT(?x, ?x, ?x, ?x, ?x, ?x, ?x, ?x) AS ?y)
} ORDER BY ?s ?p ?o"""
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(built_settings):
    env = {"SPACEGRAPH_THREADS": "1", "SPACEGRAPH_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT)}
    with serving(built_settings, workers=1, **env) as (_, url):
        port = urllib.parse.urlsplit(url).port
        for _ in range(60):  # the query processes start after the first version is loaded: until then, 503
            connection, answers = ask(port, "ASK {}", 1)
            connection.close()
            if answers[0][0] == "200":
                break
            time.sleep(1)
        yield port


def request_bytes(query: str, extra: str = "") -> bytes:
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    return f"GET {target} HTTP/1.1\r\nHost: test\r\nAccept: {JSON}\r\n{extra}\r\n".encode()


LEFT: weakref.WeakKeyDictionary[socket.socket, bytearray] = weakref.WeakKeyDictionary()


def read_answer(connection: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """One HTTP/1.1 answer, read whole (with a Content-Length, or chunked): its status code, headers and body. Bytes
    read past it (the next answer's, pipelined) are kept for the next call."""
    data = LEFT.setdefault(connection, bytearray())

    def more() -> None:
        chunk = connection.recv(65536)
        assert chunk, f"the connection closed within an answer: {bytes(data[:200])!r}"
        data.extend(chunk)

    def take(length: int) -> bytes:
        while len(data) < length:
            more()
        taken = bytes(data[:length])
        del data[:length]
        return taken

    def line() -> bytes:
        while b"\r\n" not in data:
            more()
        return take(data.index(b"\r\n") + 2)[:-2]

    status = line().decode("latin-1").split()[1]
    headers = {}
    while field := line():
        name, value = field.decode("latin-1").split(":", 1)
        headers[name.lower()] = value.strip()
    if status in ("204", "304"):  # no body
        body = b""
    elif headers.get("transfer-encoding") == "chunked":
        body = b""
        while size := int(line().split(b";")[0], 16):
            body += take(size)
            line()
        line()
    else:
        body = take(int(headers["content-length"]))
    return status, headers, body


def ask(port: int, query: str, times: int, receive_buffer: int | None = None) -> tuple[socket.socket, list]:
    """A connection that asks ``query`` ``times`` times in a row, kept alive: the connection and the answers."""
    connection = socket.socket()
    if receive_buffer:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    connection.settimeout(60)
    connection.connect(("127.0.0.1", port))
    answers = []
    for _ in range(times):
        connection.sendall(request_bytes(query))
        answers.append(read_answer(connection))
    return connection, answers


def hold_the_thread(port: int) -> socket.socket:
    """A POST whose body never comes: the worker's only thread waits for it until the client deadline (then 408)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=60)
    connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
                       b"Content-Length: 100\r\n\r\nASK")  # fmt: skip
    return connection


def nothing_yet(connection: socket.socket) -> bool:
    return not select.select([connection], [], [], 0)[0]


def test_a_kept_answer_is_given_while_the_only_thread_is_busy(server):
    kept, answers = ask(server, SMALL, 2)  # the first by a thread (and kept), the second from the poller
    assert [status for status, _, _ in answers] == ["200"] * 2
    assert answers[1][1]["server-timing"] == 'query;dur=0.0;desc="cache"'
    new = socket.create_connection(("127.0.0.1", server), timeout=60)
    holder = hold_the_thread(server)
    try:
        # Its head is whole at once, but the worker may look before it has come (then it waits in the poller, and
        # a thread is free a little longer): a second is far more than the head takes on the loopback.
        select.select([], [], [], 1.0)
        new.sendall(request_bytes(SMALL + " LIMIT 1"))  # not kept: it needs the thread
        kept.sendall(request_bytes(SMALL))
        status, headers, body = read_answer(kept)  # answered although the thread waits for the body
        assert status == "200" and headers["server-timing"] == 'query;dur=0.0;desc="cache"'
        assert json.loads(body)["results"]["bindings"][0]["name"]["value"] == "Jeffrey Manber"
        assert nothing_yet(holder) and nothing_yet(new)  # the thread is still held: those wait for it
        assert read_answer(holder)[0] == "408"
        assert read_answer(new)[0] == "200"  # and the thread answers the rest once free
    finally:
        for connection in (kept, new, holder):
            connection.close()


def test_the_poller_gives_the_bytes_a_thread_gives(server):
    first, answers = ask(server, SMALL, 2)
    other, from_thread = ask(server, SMALL, 1)  # a new connection's first request goes to a thread
    first.close(), other.close()
    (_, inline_headers, inline_body), (_, thread_headers, thread_body) = answers[1], from_thread[0]
    assert inline_body == thread_body
    assert {k: v for k, v in inline_headers.items() if k != "date"} == {
        k: v for k, v in thread_headers.items() if k != "date"
    }
    assert inline_headers["connection"] == "keep-alive" and "etag" in inline_headers


def test_a_large_answer_taken_slowly_arrives_whole_and_the_connection_goes_on(server):
    first, answers = ask(server, LARGE, 1)  # now kept
    first.close()
    full = answers[0][2]
    assert 4 * 2**20 < len(full) < 8 * 2**20
    connection, _ = ask(server, SMALL, 1, receive_buffer=4096)  # a new connection: small buffers on both sides
    connection.sendall(request_bytes(LARGE))  # kept: from the poller, and the rest by a thread
    select.select([], [], [], 0.5)  # not read for a while
    status, headers, body = read_answer(connection)
    assert status == "200" and headers["server-timing"] == 'query;dur=0.0;desc="cache"'
    assert body == full
    connection.sendall(request_bytes(SMALL))  # the connection is still kept alive after it
    assert read_answer(connection)[0] == "200"
    connection.close()


@pytest.mark.parametrize(
    ("requests", "statuses"),
    [
        # pipelined: the head is not alone, so a thread answers both
        (request_bytes(SMALL) + request_bytes(SMALL), ["200"] * 2),
        # conditional: Flask answers it (304)
        (request_bytes(SMALL, "If-None-Match: *\r\n"), ["304"]),
        # the client asks to close: a thread answers and closes
        (request_bytes(SMALL, "Connection: close\r\n"), ["200"]),
    ],
    ids=["pipelined", "conditional", "close"],
)
def test_requests_the_poller_leaves_to_a_thread_are_answered(server, requests, statuses):
    connection, _ = ask(server, SMALL, 2)  # kept, and a kept-alive connection
    connection.sendall(requests)
    assert [read_answer(connection)[0] for _ in statuses] == statuses
    connection.close()


def test_an_http_client_library_sees_the_same_answers(server):
    client = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    bodies = []
    for _ in range(3):
        client.request("GET", "/sparql?" + urllib.parse.urlencode({"query": SMALL}), headers={"Accept": JSON})
        response = client.getresponse()
        assert response.status == 200 and response.getheader("Connection") == "keep-alive"
        bodies.append(response.read())
    client.close()
    assert bodies[0] == bodies[1] == bodies[2]


def test_a_request_the_poller_cannot_take_goes_to_a_thread_and_the_worker_lives_on(server):
    """gunicorn refuses a path outside the SCRIPT_NAME that a local client may send (one of its forwarder headers):
    raised in the poller, that error had ended the worker, and every connection with it."""
    bystander, _ = ask(server, SMALL, 2)
    connection, _ = ask(server, SMALL, 1)  # SMALL is kept: the poller looks at the next request
    connection.sendall(request_bytes(SMALL, "SCRIPT_NAME: /elsewhere\r\n"))
    assert read_answer(connection)[0] in ("400", "500")  # gunicorn's own answer, from a thread
    connection.close()
    bystander.sendall(request_bytes(SMALL))
    assert read_answer(bystander)[0] == "200"  # the same (only) worker, still there
    bystander.close()


def test_what_is_left_to_send_is_a_view_of_the_parts():
    body = b"0123456789"
    assert [bytes(part) for part in _after([b"head", body], 0)] == [b"head", body]
    assert [bytes(part) for part in _after([b"head", body], 2)] == [b"ad", body]
    assert [bytes(part) for part in _after([b"head", body], 4)] == [body]
    assert [bytes(part) for part in _after([b"head", body], 7)] == [b"3456789"]
    assert _after([b"head", body], 14) == []
    assert _after([b"head", body], 7)[0].obj is body  # not a copy


def test_clients_that_reset_while_answered_leave_the_worker_answering(server):
    """A client that asks for a large kept answer and resets the connection at once: the poller's send fails (or
    its rest does, in a thread), the connection is dropped, and the worker goes on."""
    first, _ = ask(server, LARGE, 1)  # kept
    first.close()
    bystander, _ = ask(server, SMALL, 2)
    for _ in range(20):
        connection, _ = ask(server, SMALL, 1)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends a reset
        connection.sendall(request_bytes(LARGE))
        connection.close()
    bystander.sendall(request_bytes(SMALL))
    assert read_answer(bystander)[0] == "200"
    again, answers = ask(server, LARGE, 1)
    assert answers[0][0] == "200" and len(answers[0][2]) > 4 * 2**20
    again.close(), bystander.close()
