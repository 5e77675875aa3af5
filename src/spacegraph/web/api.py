"""/api/: the analysis questions as JSON, each one library call on the published data version."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from spacegraph.names import UnknownName
from spacegraph.web import render
from spacegraph.web.context import library
from spacegraph.web.links import page_url

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(UnknownName)
def not_found(error: UnknownName):
    base = library().settings.base
    candidates = [{"text": c.name, "url": page_url(c.iri, base), "iri": c.iri} for c in error.candidates]
    return render.error(404, "Not found", str(error), candidates)


@bp.errorhandler(ValueError)
def bad_request(error: ValueError):
    return render.error(400, "Bad request", str(error))


def _name(parameter: str) -> str:
    value = request.args.get(parameter)
    if not value:
        raise UnknownName(f"give ?{parameter}=NAME (a person's or organisation's name, or its IRI)")
    return value


def _year(name: str) -> int | None:
    value = request.args.get(name)
    return int(value) if value else None


@bp.get("/who-spoke-with")
def who_spoke_with():
    return jsonify(library().who_spoke_with(_name("person"), _year("from"), _year("to")))


@bp.get("/path")
def path():
    return jsonify(library().path(_name("a"), _name("b"), organisations=bool(request.args.get("organisations"))))


@bp.get("/ego")
def ego():
    return jsonify(library().ego(_name("node"), int(request.args.get("radius", 1)),
                                 int(request.args.get("max_nodes", 500))))  # fmt: skip


@bp.get("/rank")
def rank():
    top = int(request.args.get("top", 20))
    return jsonify(library().rank(request.args.get("measure", "degree"), request.args.get("side"), top))


@bp.get("/bridges")
def bridges():
    return jsonify(library().bridges(int(request.args.get("top", 20))))


@bp.get("/communities")
def communities():
    return jsonify(library().communities(int(request.args.get("seed", 1))))


@bp.get("/continuity")
def continuity():
    return jsonify(library().continuity())
