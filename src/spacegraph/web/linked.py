"""Linked Data beyond the entity pages: every IRI the data mints under its base answers.

* ``/ontology`` (the ontology's IRI, and every ``…/ontology#Term`` with it): its documentation as HTML, its JSON
  twin, and the ontology graph as Turtle, JSON-LD or N-Triples;
* ``/agent/…`` and ``/source/…`` (who recorded a graph, which document it came from): their pages and RDF, as
  the entity pages at ``/id/…`` answer;
* ``/dump.nq.gz`` and ``/dump.trig.gz`` (``/dump`` chooses by ``Accept``): every quad in its named graph, written
  once per data version and sent from disk;
* ``/.well-known/void`` (and ``/dataset``, the dataset's IRI): the VoID and DCAT description of the dataset.
"""

from __future__ import annotations

import re
from functools import partial

from flask import Blueprint, Response, abort, current_app, redirect, request, send_file

from spacegraph.library.dumps import DUMP_FORMATS, dump_file
from spacegraph.web import render, routes
from spacegraph.web.context import library, reader
from spacegraph.web.dataset import describe_dataset
from spacegraph.web.ontology_page import ontology_graph, ontology_page
from spacegraph.web.pages.reader import Reader
from spacegraph.web.transfer import version_time

bp = Blueprint("linked", __name__)
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
                  "application/rdf+xml": "xml"}  # fmt: skip
DUMP_TYPES = {"application/n-quads": "nq", "application/trig": "trig"}


@bp.get("/ontology.<suffix>")
@bp.get("/ontology")
def ontology(suffix: str | None = None):
    if suffix is not None and suffix not in render.SUFFIXES:
        abort(404)
    pages, shapes = reader(), current_app.config["SETTINGS"].shapes_path
    page = library().published().once(("ontology page", shapes), lambda: ontology_page(pages, shapes))
    return render.render(page, "ontology.html", render.LINKED_DATA, rdf=partial(ontology_rdf, pages),
                         alternates="/ontology")  # fmt: skip


def ontology_rdf(pages: Reader, media_type: str) -> bytes:
    """The ontology graph, with the project's prefixes (Turtle that reads like the file it came from)."""
    return ontology_graph(pages).serialize(format=RDFLIB_FORMATS.get(media_type, "nt"), encoding="utf-8")


@bp.get("/agent/<path:path>")
@bp.get("/source/<path:path>")
def provenance(path: str):
    """Who or what recorded a graph, and the documents graphs were derived from: pages like an entity's."""
    return routes.entity(path)


@bp.get("/dump")
def dump():
    """303 to the dump in the format the client prefers (N-Quads unless it asks for TriG)."""
    extension = DUMP_TYPES[render.negotiate(tuple(DUMP_TYPES), otherwise="application/n-quads")]
    return redirect(f"/dump.{extension}.gz", 303)


@bp.get("/dump.<extension>.gz")
def dump_download(extension: str) -> Response:
    if extension not in DUMP_FORMATS:
        abort(404)
    published = library().published()
    response = send_file(
        dump_file(published, extension),
        mimetype="application/gzip",
        as_attachment=True,
        download_name=f"spacegraph-{published.version}.{extension}.gz",
        conditional=True,
        etag=published.version,
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


STAND_IN_ROOT = "http://spacegraph.invalid/"  # replaced by the request's own URL in the served text
PLAIN_ROOT = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?/(?:[A-Za-z0-9._~-]+/)*")


@bp.get("/.well-known/void")
@bp.get("/dataset")
def void():
    """The dataset's VoID and DCAT description, computed once per data version and format with a stand-in for this
    server's URL, which comes from the request's Host header: a new Host never costs the counting queries again, nor
    a place in the cache. A URL that is not a plain http(s) origin and path is refused, so it can be put in any
    format's text as it is."""
    media_type = render.negotiate(tuple(RDFLIB_FORMATS))
    published, root = library().published(), request.url_root
    if not PLAIN_ROOT.fullmatch(root):
        abort(400)

    def describe() -> bytes:
        graph = describe_dataset(reader(), STAND_IN_ROOT, published.version, version_time())
        return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")

    body = published.once(("void", media_type), describe).replace(STAND_IN_ROOT.encode(), root.encode())
    response = Response(body, mimetype=media_type)
    response.headers["Vary"] = "Accept"
    return response
