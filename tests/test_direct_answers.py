"""/sparql queries answered before Flask (spacegraph.web.direct): the same status, headers and bytes as the app's own
answer, for every kind of request; anything the direct path does not answer goes to the app, and a query it has
run is not run again there."""

from __future__ import annotations

import dataclasses
import urllib.parse

import pytest
from werkzeug.test import Client

from spacegraph.web import create_app
from spacegraph.web.direct import DirectAnswers
from spacegraph.web.kept import KeptAnswers

PREFIX = "PREFIX schema: <https://schema.org/> PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
NAMES = PREFIX + "SELECT ?name WHERE { ?p a foaf:Person ; schema:name ?name } ORDER BY ?name LIMIT %d"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def apps(built_settings):
    """The app as it is (``plain``), and the same app behind DirectAnswers; and one of each that cuts answers at 5
    rows."""
    made = {}
    for name, settings in (("", built_settings), ("cut ", dataclasses.replace(built_settings, max_rows=5))):
        plain, direct = create_app({"SETTINGS": settings}), create_app({"SETTINGS": settings})
        made[name + "plain"] = (plain, Client(plain, use_cookies=False))  # a Cookie header goes as it is given
        made[name + "direct"] = (direct, Client(DirectAnswers(direct.wsgi_app, direct), use_cookies=False))
    yield made
    for app, _ in made.values():
        app.extensions["sparql"].stop()


def get(client: Client, query: str, headers: dict | None = None, **params: str):
    response = client.get("/sparql?" + urllib.parse.urlencode({"query": query, **params}), headers=headers or {})
    return response.status, sorted((k, v) for k, v in response.headers if k != "Server-Timing"), response.get_data()


def direct_of(apps, name: str = "direct") -> DirectAnswers:
    app, client = apps[name]
    return client.application


CASES = {
    "small SELECT, JSON": (NAMES % 3, {"Accept": JSON}, {}),
    "SELECT as CSV by format": (NAMES % 3, {}, {"format": "csv"}),
    "ASK, any type": (PREFIX + "ASK { ?p a foaf:Person }", {"Accept": "*/*"}, {}),
    "CONSTRUCT, Turtle": (
        PREFIX + "CONSTRUCT { ?p schema:name ?n } WHERE { ?p schema:name ?n } ORDER BY ?p ?n LIMIT 2",
        {"Accept": "text/turtle"},
        {},
    ),  # fmt: skip
    "with a language and gzip": (NAMES % 2, {"Accept": JSON, "Accept-Language": "de", "Accept-Encoding": "gzip"}, {}),
    "a large answer, gzip accepted": (NAMES % 40, {"Accept": JSON, "Accept-Encoding": "gzip"}, {}),
    "a large answer, no gzip": (NAMES % 40, {"Accept": JSON}, {}),
    "a dataset by parameter": (NAMES % 3, {"Accept": JSON}, {"default-graph-uri": "https://example.org/none"}),
}


@pytest.mark.parametrize("case", CASES)
def test_an_answer_given_before_flask_is_the_apps_own_answer(apps, case):
    query, headers, params = CASES[case]
    client, direct = apps["direct"][1], direct_of(apps)
    primer = NAMES % 1 if "large" in case else query  # the first of its kind, small: Flask answers it
    get(client, PREFIX + "# the first of its kind\n" + primer[len(PREFIX) :], headers, **params)
    for text in (query, query.replace("LIMIT", "# again\nLIMIT")):
        before = direct.answered
        ours = get(client, text, headers, **params)
        assert ours == get(apps["plain"][1], text, headers, **params)
        assert ours[0] == "200 OK"
        # Large: answered by the view after its run here until an answer as large went out uncompressed, and never
        # when the view compresses it
        direct_now = "large" not in case or (text != query and "Accept-Encoding" not in headers)
        assert direct.answered == before + direct_now
    if case == "a large answer, gzip accepted":
        assert ("Content-Encoding", "gzip") in ours[1]


@pytest.mark.parametrize(
    ("query", "headers", "params", "status"),
    [
        ("SELECT ?x WHERE { SERVICE <http://example.org/> { ?x ?p ?o } }", {}, {}, "400 BAD REQUEST"),  # refused
        (NAMES % 3, {"Accept": "image/png"}, {}, "406 NOT ACCEPTABLE"),
        (NAMES % 3, {}, {"format": "turtle"}, "406 NOT ACCEPTABLE"),  # not a format of a SELECT
        ("SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?p", {"Accept": JSON}, {}, "400 BAD REQUEST"),  # the engine's error
        (NAMES % 3, {"Accept": JSON, "Cookie": "a=b"}, {}, "200 OK"),  # personal: the app's
        (NAMES % 3, {"Accept": JSON}, {"update": "x"}, "400 BAD REQUEST"),  # not a query parameter
    ],
)
def test_what_the_direct_path_does_not_answer_the_app_answers_the_same(apps, query, headers, params, status):
    get(apps["direct"][1], NAMES % 4, {"Accept": JSON})  # a kind is known
    direct = direct_of(apps)
    before = direct.answered
    ours = get(apps["direct"][1], query, headers, **params)
    assert ours == get(apps["plain"][1], query, headers, **params)
    assert ours[0] == status and direct.answered == before


def test_a_query_run_before_flask_is_not_run_again(apps):
    """An engine's error, and a cut answer, come from the one run: the cache of answers was asked once."""
    direct = direct_of(apps, "cut direct")
    answers = apps["cut direct"][0].extensions["sparql"].answers
    get(apps["cut direct"][1], NAMES % 2, {"Accept": JSON})  # a kind is known
    for query, status in (("SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?p", "400 BAD REQUEST"), (NAMES % 9, "200 OK")):
        misses, before = answers.misses, direct.answered
        ours = get(apps["cut direct"][1], query, {"Accept": JSON})
        assert ours == get(apps["cut plain"][1], query, {"Accept": JSON})
        assert ours[0] == status and answers.misses == misses + 1 and direct.answered == before
    assert ("X-Result-Truncated", "true; limit=5") in ours[1]  # the last: 9 names cut at 5


def test_a_conditional_get_is_still_a_304(apps):
    client = apps["direct"][1]
    _, headers, _ = get(client, NAMES % 5, {"Accept": JSON})
    etag = dict(headers)["ETag"]
    again = client.get("/sparql?" + urllib.parse.urlencode({"query": NAMES % 5}),
                       headers={"Accept": JSON, "If-None-Match": etag})  # fmt: skip
    assert again.status_code == 304


@pytest.mark.parametrize(
    "other",
    [
        {"Accept-Language": "fr"},
        {"Accept-Encoding": "gzip"},
        {"Host": "example.org"},
        {"Accept": "text/csv"},
        {"Accept": JSON + ", text/csv;q=0.5"},
    ],  # fmt: skip
)
def test_a_kind_is_told_apart_by_every_header_its_answer_depends_on(apps, other):
    """Primed with one kind (a small answer, a large one sent uncompressed, one with a relative IRI), requests that
    differ in one header the answer depends on (the ETag digests Accept and Accept-Language; gzip; the base IRI
    comes from Host) get the app's own answer, through both paths before Flask (KeptAnswers in front)."""
    app = apps["direct"][0]
    client = Client(
        KeptAnswers(DirectAnswers(app.wsgi_app, app), app.extensions["spacegraph"].version), use_cookies=False
    )
    headers = {"Accept": JSON, "Accept-Language": "de"}
    relative = "SELECT ?x WHERE { BIND (<relative/%d> AS ?x) }"
    for query in (relative % 1, NAMES % 40, NAMES % 41, NAMES % 42):  # from NAMES % 41 on: any length goes
        get(client, query, headers)
    for query in (relative % 2, NAMES % 43, NAMES % 42):  # new texts; the last one KeptAnswers keeps for "de"
        ours = get(client, query, {**headers, **other})
        assert ours == get(apps["plain"][1], query, {**headers, **other})


def test_streamed_answers_are_the_views_and_release_their_query_runners(apps):
    """An answer larger than a chunk comes from the query process as a stream: the view sends it; each runner is
    released (a worker has two: a third stream would wait and be refused if one were held)."""
    client, direct = apps["direct"][1], direct_of(apps)
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT %d"
    get(client, everything % 1, {"Accept": "text/csv"})  # a kind is known
    before = direct.answered
    for rows in (3000, 3001, 3002, 3003):
        ours = get(client, everything % rows, {"Accept": "text/csv"})
        assert ours == get(apps["plain"][1], everything % rows, {"Accept": "text/csv"})
        assert ours[0] == "200 OK" and len(ours[2]) > 65536 and "Content-Length" not in dict(ours[1])
    assert direct.answered == before
