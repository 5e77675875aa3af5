"""Linked Data beyond the entity pages: every IRI the data mints under its base answers.

* ``/ontology`` (the ontology's IRI, and every ``…/ontology#Term`` with it): its documentation as HTML, its JSON
  twin, and the ontology graph as Turtle, JSON-LD or N-Triples;
* ``/agent/…`` and ``/source/…`` (who recorded a graph, which document it came from): their pages and RDF, as
  the entity pages at ``/id/…`` answer.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app

from spacegraph.vocab import ONTOLOGY
from spacegraph.web import render, routes
from spacegraph.web.context import reader
from spacegraph.web.ontology_page import ontology_page
from spacegraph.web.pages.entity import rdf_description

bp = Blueprint("linked", __name__)


@bp.get("/ontology.<suffix>")
@bp.get("/ontology")
def ontology(suffix: str | None = None):
    if suffix is not None and suffix not in render.SUFFIXES:
        abort(404)
    pages = reader()
    page = ontology_page(pages, current_app.config["SETTINGS"].shapes_path)
    rdf = partial(rdf_description, pages, str(ONTOLOGY), whole_graph=True)
    return render.render(page, "ontology.html", render.LINKED_DATA, rdf=rdf, alternates="/ontology")


@bp.get("/agent/<path:path>")
@bp.get("/source/<path:path>")
def provenance(path: str):
    """Who or what recorded a graph, and the documents graphs were derived from: pages like an entity's."""
    return routes.entity(path)
