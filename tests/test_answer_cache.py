"""/sparql answers kept per data version (spacegraph.sparql.answers): a repeated request is answered from memory, a
conditional GET gets 304, a commit changes the answer and its ETag, and the cache stays within its bytes."""

from __future__ import annotations

import dataclasses
import json
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from tests.serving import serving
from tests.test_sparql_memory import store  # noqa: F401  (the fixture: a private published store)

from spacegraph.sparql.answers import AnswerCache, AnswerKey, KeptAnswer, checked_form
from spacegraph.sparql.guard import QueryRefused
from spacegraph.sparql.runner import QueryAnswer
from spacegraph.store.oxigraph import clone_generation, publish
from spacegraph.web import create_app

PERSON = ox.NamedNode("https://w3id.org/spacegraph/id/person/test-answer-cache")
NAME = ox.NamedNode("https://schema.org/name")
GRAPH = ox.NamedNode("https://w3id.org/spacegraph/graph/test-answer-cache")
QUERY = f"SELECT ?name WHERE {{ {PERSON} {NAME} ?name }}"


def key(query: str = QUERY, version: str = "v1", media_type: str = "application/sparql-results+json") -> AnswerKey:
    return AnswerKey(query, (), (), media_type, 0, "http://localhost/sparql", version)


def ran(body: bytes) -> QueryAnswer:
    return QueryAnswer("application/sparql-results+json", False, body=body, engine="memory")


def whole(body: bytes) -> KeptAnswer:
    return KeptAnswer("application/sparql-results+json", False, body, "memory", 0.0)


def test_a_kept_answer_is_returned_and_marked_as_from_the_cache():
    cache = AnswerCache()
    runs = []
    first = cache.answer(key(), lambda: runs.append(1) or ran(b"one"))
    second = cache.answer(key(), lambda: runs.append(1) or ran(b"two"))
    assert runs == [1] and first.body == second.body == b"one"
    assert first.engine == "memory" and second.engine == "cache"
    assert (cache.hits, cache.misses) == (1, 1)


@pytest.mark.parametrize(
    "other",
    [
        key(version="v2"),
        key(media_type="text/csv"),
        key(query=QUERY + " LIMIT 1"),
        key()._replace(default_graphs=("https://example.org/g",)),
        key()._replace(named_graphs=("https://example.org/g",)),
        key()._replace(max_rows=10),
        key()._replace(base_iri="http://example.org/sparql"),
    ],
)
def test_every_part_of_the_request_and_the_version_tell_answers_apart(other):
    cache = AnswerCache()
    cache.put(key(), whole(b"kept"))
    assert cache.get(other) is None
    assert cache.get(AnswerKey(*key())).body == b"kept"  # equal keys, not the same object


def test_the_cache_keeps_to_its_bytes_and_drops_the_least_recently_used():
    cache = AnswerCache(max_bytes=1000, max_entry_bytes=500)
    for n in range(20):
        cache.put(key(f"q{n}"), whole(bytes(100)))
        cache.get(key("q0"))  # used again and again: kept
    assert cache.size == 1000 == sum(len(cache.get(key(f"q{n}")).body or b"") for n in [0, *range(11, 20)])
    assert len(cache) == 10 and cache.get(key("q1")) is None and cache.get(key("q10")) is None
    cache.put(key("large"), whole(bytes(501)))  # above an entry's limit: passed on, not kept
    assert cache.get(key("large")) is None and cache.size == 1000


def test_the_answers_of_an_older_version_are_dropped_when_a_newer_one_is_kept():
    cache = AnswerCache()
    cache.put(key("a"), whole(b"a1"))
    cache.put(key("b"), whole(b"b1"))
    cache.put(key("a", version="v2"), whole(b"a2"))
    assert len(cache) == 1 and cache.size == 2 and cache.get(key("b")) is None


def test_the_cache_says_which_queries_it_keeps_answers_for():
    """``holds_first``: the quick look of the worker's poller (a query not kept is not parsed there)."""
    cache = AnswerCache(max_bytes=10, max_entry_bytes=10)
    cache.put(key("a"), whole(b"12345"))
    cache.put(key("a", media_type="text/csv"), whole(b"123"))
    cache.put(key("a", media_type="text/csv"), whole(b"123"))  # the same key again: still two answers for "a"
    cache.put(key("b"), whole(b"12345"))  # 13 bytes: the oldest answer for "a" is dropped, not the other
    assert cache.holds_first("a") and cache.holds_first("b") and not cache.holds_first("c")
    cache.put(key("c"), whole(b"123"))  # the last answer for "a" is dropped
    assert not cache.holds_first("a") and cache.holds_first("b") and cache.holds_first("c")
    cache.put(key("d", version="v2"), whole(b"1"))  # a new version: the rest are gone
    assert [q for q in "abcd" if cache.holds_first(q)] == ["d"]


def streamed(parts: list[bytes]) -> QueryAnswer:
    return QueryAnswer("application/sparql-results+json", False, chunks=iter(parts), engine="memory")


def test_a_streamed_answer_is_kept_once_read_to_its_end():
    cache = AnswerCache()
    answer = cache.answer(key(), lambda: streamed([b"a", b"b", b"c"]))
    assert answer.chunks is not None and cache.get(key()) is None  # not yet read
    assert b"".join(answer.chunks) == b"abc"
    kept = cache.get(key())
    assert kept is not None and kept.body == b"abc"


def test_a_streamed_answer_read_in_part_or_too_large_is_not_kept():
    cache = AnswerCache(max_entry_bytes=4)
    answer = cache.answer(key("part"), lambda: streamed([b"a", b"b"]))
    assert answer.chunks is not None and next(answer.chunks) == b"a"
    answer.chunks.close()  # type: ignore[attr-defined]  # the client went away
    assert cache.get(key("part")) is None
    answer = cache.answer(key("large"), lambda: streamed([b"abc", b"def"]))
    assert answer.chunks is not None and b"".join(answer.chunks) == b"abcdef"  # passed on whole
    assert cache.get(key("large")) is None and cache.size == 0


def test_the_guards_verdict_is_kept_but_a_refusal_is_given_every_time():
    assert checked_form("ASK {}", 1000, 10) == "ASK"
    for _ in range(2):
        with pytest.raises(QueryRefused, match="read-only"):
            checked_form("DROP ALL", 1000, 10)
    with pytest.raises(QueryRefused, match="at most 5"):
        checked_form("ASK {}", 5, 10)  # the limits are part of what is kept


@pytest.fixture
def app(built_settings, store):  # noqa: F811  (the fixture imported above)
    """The app on a private published store (a copy of the session's), so that a test can publish a commit."""
    app = create_app({"SETTINGS": dataclasses.replace(built_settings, store=store), "TESTING": True})
    yield app
    app.extensions["sparql"].stop()


def commit_name(path, name: str) -> None:
    generation = clone_generation(path)
    writer = ox.Store(str(generation))
    writer.remove_graph(GRAPH) if GRAPH in set(writer.named_graphs()) else None
    writer.add(ox.Quad(PERSON, NAME, ox.Literal(name), GRAPH))
    del writer
    publish(path, generation)


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["name"]["value"] for row in json.loads(response.data)["results"]["bindings"]]


def test_a_repeated_get_is_answered_from_memory_and_a_conditional_get_is_a_304(app):
    client = app.test_client()
    settings = app.extensions["spacegraph"].settings
    commit_name(settings.store, "Ada Cache")
    first = client.get("/sparql", query_string={"query": QUERY})
    assert names(first) == ["Ada Cache"] and 'desc="cache"' not in first.headers["Server-Timing"]
    etag = first.headers["ETag"]
    again = client.get("/sparql", query_string={"query": QUERY})
    assert names(again) == ["Ada Cache"] and 'desc="cache"' in again.headers["Server-Timing"]
    assert again.headers["ETag"] == etag and again.data == first.data
    conditional = client.get("/sparql", query_string={"query": QUERY}, headers={"If-None-Match": etag})
    assert conditional.status_code == 304 and conditional.data == b"" and conditional.headers["ETag"] == etag


def test_a_commit_changes_the_answer_and_its_etag(app):
    client = app.test_client()
    path = app.extensions["spacegraph"].settings.store
    commit_name(path, "Before Commit")
    before = client.get("/sparql", query_string={"query": QUERY})
    assert names(before) == ["Before Commit"]
    assert names(client.get("/sparql", query_string={"query": QUERY})) == ["Before Commit"]  # now kept
    commit_name(path, "After Commit")
    after = client.get("/sparql", query_string={"query": QUERY}, headers={"If-None-Match": before.headers["ETag"]})
    assert names(after) == ["After Commit"] and after.headers["ETag"] != before.headers["ETag"]
    assert 'desc="cache"' not in after.headers["Server-Timing"]


def test_errors_are_not_kept(app):
    client = app.test_client()
    bad = "SELECT * WHERE { ?s ?p }"
    for _ in range(2):
        response = client.get("/sparql", query_string={"query": bad})
        assert response.status_code == 400 and "ETag" not in response.headers
    assert len(app.extensions["sparql"].answers) == 0


def fetch(url: str, query: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json", **headers})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_server_answers_a_repeated_get_from_memory_and_sees_a_commit_at_once(app):
    """Under gunicorn a repeated GET is answered before Flask (web.kept.KeptAnswers), with the same headers and
    bytes; a commit is seen by the next request."""
    settings = app.extensions["spacegraph"].settings
    commit_name(settings.store, "Served Before")
    with serving(settings, workers=1) as (_, url):
        status, first_headers, first = fetch(url, QUERY)
        assert status == 200 and b"Served Before" in first
        status, headers, again = fetch(url, QUERY)
        assert status == 200 and again == first and headers["Server-Timing"] == 'query;dur=0.0;desc="cache"'
        assert {k: v for k, v in headers.items() if k not in ("Server-Timing", "Date")} == {
            k: v for k, v in first_headers.items() if k not in ("Server-Timing", "Date")
        }
        status, _, body = fetch(url, QUERY, **{"If-None-Match": headers["ETag"]})
        assert status == 304 and body == b""
        commit_name(settings.store, "Served After")
        status, headers, after = fetch(url, QUERY)
        assert status == 200 and b"Served After" in after and b"Served Before" not in after
        assert 'desc="cache"' not in headers["Server-Timing"]
        large = "SELECT * WHERE { ?s ?p ?o }"  # streamed in chunks (more than 64 kB), kept once read whole
        status, _, first = fetch(url, large)
        status, headers, again = fetch(url, large)
        assert status == 200 and len(first) > 65536 and again == first and 'desc="cache"' in headers["Server-Timing"]
        assert headers["Content-Length"] == str(len(again))
        status, _, _ = fetch(url, "SELECT * WHERE { ?s ?p }")
        assert status == 400 and fetch(url, "SELECT * WHERE { ?s ?p }")[0] == 400  # errors are not kept
