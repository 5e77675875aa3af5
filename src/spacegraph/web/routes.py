"""The pages' URLs: each route builds one page (web/pages/) and hands it to the one renderer.

``/id/…`` and ``/graph/…`` stand for the IRIs ``{base}id/…`` and ``{base}graph/…`` (Linked Data: a browser gets
the HTML page; ``Accept: application/json`` or ``.json`` the page's data; ``text/turtle`` (``.ttl``),
``application/ld+json`` (``.jsonld``) and ``application/n-triples`` (``.nt``) the statements about the IRI). Pages
for sides, countries, other IRIs (``/resource?iri=``), search, paths, the plan and the home page have JSON twins.
"""

from __future__ import annotations

import re
from functools import partial

from flask import Blueprint, Response, abort, redirect, request

from spacegraph.names import Resolver, UnknownName
from spacegraph.web import render
from spacegraph.web.context import library
from spacegraph.web.context import reader as published_reader
from spacegraph.web.links import iri_of, page_url
from spacegraph.web.pages import analysis as analysis_kind
from spacegraph.web.pages import path as path_kind
from spacegraph.web.pages import plan as plan_kind
from spacegraph.web.pages.entity import entity_page, rdf_description
from spacegraph.web.pages.home import home_page
from spacegraph.web.pages.reader import Reader, check_iri
from spacegraph.web.pages.search import search_page
from spacegraph.web.pages.side import country_page, side_page
from spacegraph.web.pages.table import as_csv, as_json, find

bp = Blueprint("pages", __name__)

SUFFIX = re.compile(r"^(?P<path>.+?)(?:\.(?P<suffix>json|ttl|jsonld|nt|csv))?$")
LOCAL_PATH = re.compile(r"^[a-z0-9][a-z0-9/-]*$")  # minted IRIs use only these (see iris.slug)
SAME_AS = "SELECT ?old ?new WHERE { ?old <http://www.w3.org/2002/07/owl#sameAs> ?new FILTER(?old != ?new) }"


@bp.before_app_request
def merged_redirect() -> Response | None:
    """The page of a merged IRI (``old owl:sameAs new``, left by a curator's merge) is the new one's: 308, with the same
    format suffix, on every deployment (read-only ones too). The merged IRIs are read once per data version."""
    if request.method not in ("GET", "HEAD") or not request.path.startswith("/id/"):
        return None
    path, dot, suffix = request.path[1:].partition(".")
    published = library().published()
    merged = published.once("merged", lambda: {r["old"].value: r["new"].value for r in published.store.query(SAME_AS)})
    new = merged.get(iri_of(path, library().settings.base))
    if new is None:
        return None
    return redirect(page_url(new, library().settings.base) + (dot + suffix if dot else ""), 308)  # type: ignore[return-value]


def reader() -> Reader:
    """The pages' reader, with the request's parameters (tables page by them) and the data version's cache."""
    pages = published_reader()
    pages.args, pages.once = request.args, library().published().once
    return pages


def answer(page: dict, template: str, *args, **kwargs) -> Response:
    """``page`` rendered, or one of its tables whole (``?table=KEY`` on a ``.csv`` or ``.json`` URL)."""
    key, suffix = request.args.get("table"), render.suffix_of(request.path) or request.path.rpartition(".")[2]
    if key and suffix in ("csv", "json"):
        section = find(page.get("sections", []), key)
        if section is None:
            abort(404)
        if suffix == "csv":
            return Response(as_csv(section), mimetype="text/csv", headers={
                "Content-Disposition": f'attachment; filename="{key}.csv"'})  # fmt: skip
        return Response(as_json(section), mimetype="application/json")
    if suffix == "csv":
        abort(404)
    return render.render(page, template, *args, **kwargs)


@bp.get("/index.<any(json, csv):suffix>")
@bp.get("/")
def home(suffix: str | None = None):
    return answer(home_page(reader()), "home.html")


@bp.get("/id/<path:path>")
@bp.get("/graph/<path:path>")
def entity(path: str):
    prefix = request.path.split("/")[1]
    match = SUFFIX.match(path)
    if match is None or not LOCAL_PATH.match(match["path"]):
        abort(404)
    local, pages = f"{prefix}/{match['path']}", reader()
    iri = iri_of(local, pages.base)
    page = entity_page(pages, iri)
    rdf = partial(rdf_description, pages, iri, whole_graph=prefix == "graph")
    return answer(page, "entity.html", render.LINKED_DATA, rdf=rdf, alternates="/" + local)


@bp.get("/resource.<any(json, ttl, jsonld, nt, csv):suffix>")
@bp.get("/resource")
def resource(suffix: str | None = None):
    iri = request.args.get("iri", "")
    try:
        check_iri(iri)
    except ValueError as error:
        return render.error(400, "Not an IRI", str(error), suggestions=[])
    pages = reader()
    page, rdf = entity_page(pages, iri), partial(rdf_description, pages, iri)
    return answer(page, "entity.html", render.LINKED_DATA, rdf=rdf, alternates="/resource")


@bp.get("/side/<slug>.<any(json, ttl, jsonld, nt, csv):suffix>")
@bp.get("/side/<slug>")
def side(slug: str, suffix: str | None = None):
    pages = reader()
    page = side_page(pages, slug)
    rdf = partial(rdf_description, pages, page["iri"])
    return answer(page, "entity.html", render.LINKED_DATA, rdf=rdf, alternates=f"/side/{slug}")


@bp.get("/country/<code>.<any(json, csv):suffix>")
@bp.get("/country/<code>")
def country(code: str, suffix: str | None = None):  # a code in the data, not an IRI: no RDF description of its own
    return answer(country_page(reader(), code), "entity.html", alternates=f"/country/{code}")


@bp.get("/search.json")
@bp.get("/search")
def search():
    names = Resolver(library().published().names, switch=None)
    return render.render(search_page(reader(), request.args.get("q", ""), names), "search.html")


@bp.get("/path.json")
@bp.get("/path")
def path() -> Response:
    a, b = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    page: dict = {"title": path_kind.TITLE, "a": a, "b": b}
    status = 200
    if a and b:
        try:
            page = path_kind.path_page(library(), a, b)
        except UnknownName as error:
            page["error"], status = str(error), 404
    return render.render(page, "path.html", status=status)


@bp.get("/plan.json")
@bp.get("/plan")
def plan():
    try:
        page = plan_kind.plan_page(library(), request.args)
        status = 422 if page.get("draft_error") else 200  # a draft the constraints refuse: the page says why
    except (ValueError, KeyError, LookupError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        page, status = {"title": plan_kind.TITLE, "error": message}, 400
    return render.render(page, "plan.html", status=status)


@bp.get("/analysis")
def analyses():
    return redirect("/analysis/rank")


@bp.get("/analysis/<name>.<any(json, csv):suffix>")
@bp.get("/analysis/<name>")
def analysis(name: str, suffix: str | None = None) -> Response:
    try:
        page = analysis_kind.analysis_page(library(), name, request.args)
    except LookupError as error:
        return render.error(404, "Not found", str(error), [{"text": t, "url": f"/analysis/{n}", "iri": None}
                                                          for n, t in analysis_kind.PAGES.items()])  # fmt: skip
    except ValueError as error:
        return render.error(400, "Bad request", str(error))
    return answer(page, "analysis.html")
