"""The one renderer (spacegraph.web.render): content negotiation in one place, and one JSON error shape for every
error the app answers, whichever part of it raised the error."""

from __future__ import annotations

import pytest
from flask import Flask, request

from spacegraph.web import create_app, render

PAGE = {"title": "A page", "summary": [], "sections": [], "iri": None, "kind": "resource", "kind_name": "Resource"}
SHAPE = {"ok", "status", "title", "error"}  # and "suggestions" where there are links to what was meant


@pytest.fixture(scope="module")
def app(built_settings) -> Flask:
    app = create_app({"SETTINGS": built_settings, "TESTING": True})

    def rdf(media_type: str) -> bytes:
        return f"an RDF description as {media_type}\n".encode()

    # Routes that answer a fixed page, so that only the renderer is under test.
    app.add_url_rule("/test/page", "test_page", lambda: render.render(PAGE, "entity.html", render.LINKED_DATA,
                                                                     rdf=rdf, alternates="/test/page"))  # fmt: skip
    app.add_url_rule("/test/page.<any(json, ttl, jsonld, nt):suffix>", "test_page_suffix",
                     lambda suffix: render.render(PAGE, "entity.html", render.LINKED_DATA, rdf=rdf,
                                                  alternates="/test/page"))  # fmt: skip
    app.add_url_rule("/test/twin", "test_twin", lambda: render.render(PAGE, "entity.html"))
    app.add_url_rule("/test/twin.<any(json, ttl):suffix>", "test_twin_suffix",
                     lambda suffix: render.render(PAGE, "entity.html"))  # fmt: skip
    app.add_url_rule("/test/form", "test_form", lambda: dict(request.form), methods=["POST"])
    return app


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),  # no Accept header: the page
        ("*/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
        ("application/json", "application/json"),
        ("text/turtle", "text/turtle"),
        ("text/html;q=0.5, application/n-triples", "application/n-triples"),  # q-values decide
        ("application/ld+json;q=0.9, application/json", "application/json"),
    ],
)
def test_the_accept_header_chooses_among_what_the_route_offers(app, accept, expected):
    response = app.test_client().get("/test/page", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == expected
    assert "Accept" in response.vary  # (and Accept-Encoding: web.transfer compresses)
    if expected in render.RDF_TYPES.values():
        assert response.get_data(as_text=True) == f"an RDF description as {expected}\n"
    if expected == "application/json":
        assert response.get_json() == PAGE


def test_a_suffix_decides_over_the_accept_header(app):
    client = app.test_client()
    assert client.get("/test/page.json", headers={"Accept": "text/html"}).get_json() == PAGE
    assert client.get("/test/page.nt", headers={"Accept": "application/json"}).mimetype == "application/n-triples"
    # a suffix the route does not offer is not a format: the Accept header still decides
    assert client.get("/test/twin.ttl", headers={"Accept": "application/json"}).mimetype == "application/json"


def test_nothing_acceptable_is_406(app):
    client = app.test_client()
    assert client.get("/test/page", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/test/twin", headers={"Accept": "text/turtle"}).status_code == 406  # a page without RDF


def test_the_page_links_its_other_formats(app):
    response = app.test_client().get("/test/page")
    assert response.headers["Link"] == (
        '</test/page.json>; rel="alternate"; type="application/json", '
        '</test/page.ttl>; rel="alternate"; type="text/turtle", '
        '</test/page.jsonld>; rel="alternate"; type="application/ld+json", '
        '</test/page.nt>; rel="alternate"; type="application/n-triples"'
    )
    assert '<a href="/test/page.ttl">Turtle</a>' in response.get_data(as_text=True)


# Every kind of error the app answers, raised by different parts of it: the router, a page builder, the network's
# filters, the name resolver, a parameter out of range, a request body over the limit, the SPARQL-free pages.
ERRORS = [
    ("/nowhere", 404),
    ("/id/person/jefrey-manber", 404),  # an IRI nothing is known about: with suggestions
    ("/side/mars", 404),
    ("/country/XX", 404),
    ("/resource?iri=relative/path", 400),
    ("/api/network?from=2021&to=2020", 400),
    ("/api/who-spoke-with?person=Nobody+Atall", 404),
    ("/api/who-spoke-with", 404),
    ("/api/rank?measure=no-such-measure", 400),
    ("/api/ego?node=Jeffrey+Manber&radius=0", 400),
]


@pytest.mark.parametrize(("path", "status"), ERRORS)
def test_every_error_has_one_json_shape(app, path, status):
    response = app.test_client().get(path, headers={"Accept": "application/json"})
    assert response.status_code == status and response.mimetype == "application/json"
    body = response.get_json()
    assert SHAPE <= set(body) <= SHAPE | {"suggestions"}
    assert (body["ok"], body["status"]) == (False, status)
    assert body["title"] and body["error"]
    assert all({"text", "url", "iri"} <= set(s) for s in body.get("suggestions", []))


def test_a_request_too_large_has_the_same_shape(app):
    too_large = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = app.test_client().post("/test/form", data={"text": too_large}, headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert response.get_json() == {"ok": False, "status": 413, "title": "Request too large",
                                   "error": f"Request bodies are limited to {app.config['MAX_CONTENT_LENGTH']:,} bytes."}  # fmt: skip


@pytest.mark.parametrize(("path", "status"), ERRORS)
def test_every_error_is_a_page_for_a_browser_and_text_for_an_rdf_client(app, path, status):
    client = app.test_client()
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.status_code == status
    # /api/ answers JSON whatever the client asks for
    assert html.mimetype == ("application/json" if path.startswith("/api/") else "text/html")
    if not path.startswith("/api/"):
        message = client.get(path, headers={"Accept": "application/json"}).get_json()["error"]
        assert message.replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;") in html.get_data(as_text=True)
        rdf = client.get(path, headers={"Accept": "text/turtle"})
        assert rdf.status_code == status and rdf.mimetype == "text/plain"
        assert rdf.get_data(as_text=True).startswith(message)


def test_suggestions_reach_every_form_of_the_error(app):
    client = app.test_client()
    as_json = client.get("/id/person/jefrey-manber.json").get_json()
    assert as_json["suggestions"][0]["url"] == "/id/person/jeffrey-manber"
    text = client.get("/id/person/jefrey-manber.ttl").get_data(as_text=True)
    assert "did you mean <https://w3id.org/spacegraph/id/person/jeffrey-manber>" in text
    html = client.get("/id/person/jefrey-manber", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/id/person/jeffrey-manber"' in html


def test_the_error_body_is_built_in_one_place():
    assert render.error_body(404, "Not found", "Nothing is at /x.") == {
        "ok": False, "status": 404, "title": "Not found", "error": "Nothing is at /x.",
    }  # fmt: skip
    assert render.error_body(404, "Not found", "m", [])["suggestions"] == []
