"""Hostile queries: the guard reads a query as the engine does, and beneath it the query process can reach no
network and has a memory limit. Each case is an audit finding (issue 13)."""

from __future__ import annotations

import logging
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from spacegraph.sparql.guard import QueryRefused, check_query
from spacegraph.sparql.runner import QueryFailed, QueryRequest, QueryRunner

LIMITS = {"max_bytes": 100_000, "max_depth": 100}


@contextmanager
def loopback_listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on loopback that records whatever connects to it, and answers like a SPARQL endpoint would."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(2)
                received.append(connection.recv(65536) or b"(connected)")
                body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"x"}}]}}'
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                   b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        thread.join(2)
        server.close()


# U+00A0, U+2000, U+2028, U+3000 are not white space in SPARQL: inside <…> they belong to the IRI, so the # after
# them is part of the IRI too, not a comment that would hide the rest of the line.
UNICODE_SPACES = ["\u00a0", "\u2000", "\u2028", "\u3000"]


@pytest.mark.parametrize("space", UNICODE_SPACES, ids=[f"U+{ord(c):04X}" for c in UNICODE_SPACES])
def test_a_unicode_space_in_an_iri_does_not_hide_service_from_the_guard(space):
    query = f"SELECT * WHERE {{ BIND(<http://e.org/a{space}#> AS ?z) SERVICE <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(query, **LIMITS)


@pytest.mark.parametrize(
    "query",
    [
        # "<" read as "less than": the engine sees the string '>' where a first reading sees an IRI <'>
        "SELECT * WHERE { BIND(1<'>' AS ?x) SERVICE <http://127.0.0.1:9/> { } BIND('' AS ?y) }",
        # …or a comment where the first reading sees an IRI and then a long string
        "SELECT * WHERE { FILTER(?a<?b#>'''\n) SERVICE <http://127.0.0.1:9/> { }\n#'''\n}",
    ],
)
def test_service_hidden_by_the_two_readings_of_less_than_is_refused(query):
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(query, **LIMITS)


def test_nesting_hidden_in_an_iri_looking_span_is_counted():
    hidden = "SELECT * { FILTER(?a<" + "(" * 5000 + "1" + ")" * 5000 + "&&?c>0) }"
    with pytest.raises(QueryRefused, match="nests"):
        check_query(hidden, **LIMITS)
    behind_a_space = "SELECT * { BIND(<http://e.org/a\u00a0#> AS ?z) " + "{" * 5000 + "}" * 5000 + " }"
    with pytest.raises(QueryRefused, match="nests"):
        check_query(behind_a_space, **LIMITS)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "x"@add }',  # a language tag, not ADD
        'SELECT * WHERE { ?s ?p "x"@Delete-1 }',
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\nSELECT * WHERE { ?s a <http://x.org/delete#P> } LIMIT 1",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < ?s) }",
        "PREFIX a: <http://x/> SELECT * WHERE { ?s ?p a:b.service }",  # one name, in the grammar as in the engine
        "SELECT * WHERE { ?s <http://example.org/mysql:db> ?o }",  # mysql: is not Virtuoso's sql:
    ],
)
def test_valid_queries_that_look_hostile_are_accepted(query):
    assert check_query(query, **LIMITS) == "SELECT"


def test_a_sql_built_in_hidden_in_an_iri_looking_span_is_refused():
    """On a SPARQL server (Virtuoso) bif: functions read files; read with "<" as an operator, the call is there."""
    with pytest.raises(QueryRefused, match="bif:f is refused"):
        check_query("SELECT * { FILTER(?a<1+bif:f(?v))&&(?c>0) }", **LIMITS)


def test_the_guard_stays_linear_on_many_ambiguous_iris():
    """Each IRI holding a # is read a second way; the second readings share their work, so 30,000 of them on one
    line cost about as much as one pass (a repeated scan would be 30,000 passes over 90 kB)."""
    import spacegraph.sparql.guard as guard

    calls = 0
    real = guard.TOKEN

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def match(self, text, position):
            nonlocal calls
            calls += 1
            return real.match(text, position)

    query = "SELECT * WHERE {" + "<#>" * 30_000 + "}"
    guard.TOKEN = Counting()  # type: ignore[assignment]
    try:
        assert check_query(query, **LIMITS) == "SELECT"
    finally:
        guard.TOKEN = real
    assert calls < 2 * len(query)


@pytest.fixture
def runner(built_settings) -> Iterator[QueryRunner]:
    runner = QueryRunner(built_settings.store, timeout=30, memory_limit=768 * 2**20)
    yield runner
    runner.stop()


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def ask(runner: QueryRunner, query: str) -> bytes:
    answer = runner.run(QueryRequest(query, "SELECT", "application/sparql-results+json"))
    return answer.body if answer.body is not None else b"".join(answer.chunks or [])


def test_the_query_process_cannot_connect_even_when_the_guard_is_bypassed(runner, caplog):
    """The guard is not asked here: SERVICE goes straight to the engine, whose process has no right to sockets."""
    count = ask(runner, COUNT)
    with loopback_listener() as (port, received):
        with pytest.raises(QueryFailed, match="Permission denied") as failed:
            ask(runner, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        assert failed.value.status == 400
        assert ask(runner, COUNT) == count  # the process still answers
    assert received == []


def test_a_query_past_the_memory_limit_gets_503_is_logged_and_the_next_query_is_answered(runner, caplog):
    doubling = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30))
    bomb = f'SELECT (STRLEN(?v30) AS ?n) WHERE {{ BIND("{"x" * 32}" AS ?v0) {doubling} }}'  # 32 GiB if it could
    count = ask(runner, COUNT)
    with caplog.at_level(logging.WARNING, logger="spacegraph.sparql"):
        with pytest.raises(QueryFailed, match="more memory than a query may use") as failed:
            ask(runner, bomb)
    assert failed.value.status == 503
    assert any("ended with" in r.getMessage() for r in caplog.records)
    assert ask(runner, COUNT) == count


def test_a_refusal_is_logged(built_settings, caplog):
    from spacegraph.web import create_app

    app = create_app({"SETTINGS": built_settings, "TESTING": True})
    with caplog.at_level(logging.WARNING, logger="spacegraph.sparql"):
        response = app.test_client().get("/sparql", query_string={"query": "SELECT * { SERVICE <http://x/> {} }"})
    app.extensions["sparql"].stop()
    assert response.status_code == 400
    assert [r.getMessage() for r in caplog.records if "refused a query" in r.getMessage()]


def test_the_endpoint_refuses_the_unicode_space_bypass_and_nothing_is_contacted(live_server):
    with loopback_listener() as (port, received):
        query = f"SELECT * WHERE {{ BIND(<http://e.org/a\u00a0#> AS ?z) SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        url = live_server + "/sparql?" + urllib.parse.urlencode({"query": query})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 400
        assert "SERVICE is not allowed" in refused.value.read().decode()
    assert received == []
