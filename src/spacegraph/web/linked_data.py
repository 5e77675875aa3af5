"""Linked Data: every entity IRI dereferences here, with content negotiation, and every page has a JSON twin.

``/id/…`` and ``/graph/…`` stand for the IRIs ``{base}id/…`` and ``{base}graph/…``. A browser gets the HTML page;
``Accept: application/json`` (or the suffix ``.json``) the page's data; ``text/turtle`` (``.ttl``),
``application/ld+json`` (``.jsonld``) and ``application/n-triples`` (``.nt``) the statements about the IRI: those
it is the subject of and those it is the object of (for a named graph, the graph's own statements). Pages for
sides (``/side/us``), countries (``/country/CN``), other IRIs (``/resource?iri=``) and search (``/search?q=``)
have JSON twins too. An IRI nothing is known about gives 404, with suggestions.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from spacegraph.analysis.cache import projections_for
from spacegraph.sparql import results
from spacegraph.store.oxigraph import StoreMissing
from spacegraph.web.entities import NotFound, Pages, check_iri
from spacegraph.web.links import iri_of

bp = Blueprint("linked_data", __name__)

HTML, JSON = "text/html", "application/json"
RDF_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}
OFFERED = [HTML, JSON, *RDF_TYPES.values()]
SUFFIX = re.compile(r"^(?P<path>.+?)(?:\.(?P<suffix>json|ttl|jsonld|nt))?$")
LOCAL_PATH = re.compile(r"^[a-z0-9][a-z0-9/-]*$")  # minted IRIs use only these (see iris.slug)


def pages() -> Pages:
    settings = current_app.config["SETTINGS"]
    store = current_app.extensions["store"].current()

    def projections():
        try:
            return projections_for(settings)
        except StoreMissing:
            return None

    return Pages(store, settings.base, settings.data, projections)


def _negotiate(suffix: str | None) -> str:
    if suffix:
        return JSON if suffix == "json" else RDF_TYPES[suffix]
    accept = request.accept_mimetypes
    if not accept or accept.best in ("*/*", None):
        return HTML
    best = accept.best_match(OFFERED)
    if best is None:
        abort(406)
    return best


def _alternates(path: str) -> dict[str, str]:
    return {"JSON": f"{path}.json", "Turtle": f"{path}.ttl", "JSON-LD": f"{path}.jsonld", "N-Triples": f"{path}.nt"}


def _answer(page: dict, media_type: str, path: str, rdf_of: str | None = None, whole_graph: bool = False) -> Response:
    if media_type == HTML:
        response = Response(render_template("entity.html", page=page, alternates=_alternates(path)), mimetype=HTML)
    elif media_type == JSON:
        response = jsonify(page)
    else:
        if rdf_of is None:
            abort(406)
        response = Response(_rdf(rdf_of, media_type, whole_graph), mimetype=media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{url}>; rel="alternate"; type="{kind}"'
        for url, kind in zip(_alternates(path).values(), [JSON, *RDF_TYPES.values()], strict=True)
    )
    return response


def _rdf(iri: str, media_type: str, whole_graph: bool) -> bytes:
    store = current_app.extensions["store"].current()
    node = ox.NamedNode(check_iri(iri))
    if whole_graph:
        triples = {q.triple for q in store.quads(None, None, None, node)}
    else:
        triples = {q.triple for q in store.quads(node, None, None, None)}
        triples |= {q.triple for q in store.quads(None, None, node, None)}
    out: list[bytes] = []
    results.write_graph(sorted(triples, key=str), media_type, out.append)
    return b"".join(out)


@bp.get("/id/<path:path>")
@bp.get("/graph/<path:path>")
def entity(path: str):
    prefix = request.path.split("/")[1]
    match = SUFFIX.match(path)
    if match is None or not LOCAL_PATH.match(match["path"]):
        abort(404)
    local = f"{prefix}/{match['path']}"
    media_type = _negotiate(match["suffix"])
    iri = iri_of(local, current_app.config["SETTINGS"].base)
    page = pages().page(iri)
    return _answer(page, media_type, "/" + local, rdf_of=iri, whole_graph=prefix == "graph")


@bp.get("/resource")
@bp.get("/resource.json")
def resource():
    iri = request.args.get("iri", "")
    try:
        check_iri(iri)
    except ValueError as error:
        return _error_page(400, "Not an IRI", str(error))
    media_type = JSON if request.path.endswith(".json") else _negotiate(None)
    return _answer(pages().page(iri), media_type, "/resource?iri=" + quote(iri, safe=""), rdf_of=iri)


@bp.get("/side/<slug>")
@bp.get("/side/<slug>.json")
def side(slug: str):
    media_type = JSON if request.path.endswith(".json") else _negotiate(None)
    page = pages().side_page(slug)
    return _answer(page, media_type, f"/side/{slug}", rdf_of=page["iri"])


@bp.get("/country/<code>")
@bp.get("/country/<code>.json")
def country(code: str):
    media_type = JSON if request.path.endswith(".json") else _negotiate(None)
    if media_type not in (HTML, JSON):
        abort(406)  # a country is a code in the data, not an IRI: it has no RDF description of its own
    return _answer(pages().country_page(code), media_type, f"/country/{code}")


@bp.get("/search")
@bp.get("/search.json")
def search():
    text = request.args.get("q", "").strip()[:200]  # a name, not an essay: longer text is cut
    found = pages().search(text) if text else []
    page = {"title": "Search", "query": text, "results": found}
    if request.path.endswith(".json") or _negotiate(None) == JSON:
        return jsonify(page)
    return render_template("search.html", page=page)


@bp.app_errorhandler(NotFound)
def not_found(error: NotFound):
    return _error_page(404, "Not found", str(error), error.suggestions)


def _error_page(status: int, title: str, message: str, suggestions: list[dict] | None = None):
    suggestions = suggestions or []
    wants_rdf = request.path.rsplit(".", 1)[-1] in RDF_TYPES or request.accept_mimetypes.best_match(OFFERED) in (
        RDF_TYPES.values())  # fmt: skip
    if wants_rdf:  # an RDF client: the message as plain text, with the suggestions' IRIs
        lines = [message, *(f"did you mean <{s['iri']}>" for s in suggestions if s.get("iri"))]
        return Response("\n".join(lines) + "\n", status=status, mimetype="text/plain")
    if request.path.endswith(".json") or request.accept_mimetypes.best_match([HTML, JSON]) == JSON:
        return jsonify({"ok": False, "status": status, "title": title, "error": message,
                        "suggestions": suggestions}), status  # fmt: skip
    return render_template("error.html", status=status, title=title, message=message,
                           suggestions=suggestions), status  # fmt: skip
