"""/api/: the analysis questions as JSON, each one library call on the published data version."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from spacegraph.names import Resolver, UnknownName
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


NAME_KINDS = {"person": ("person",), "organisation": ("organisation",), "any": ("person", "organisation")}


@bp.get("/names")
def names():
    """Autocomplete from the one name resolver: ``?q=`` the text typed, ``&kind=person|organisation|any``."""
    kinds = NAME_KINDS.get(request.args.get("kind", "any"))
    if kinds is None:
        raise ValueError(f"kind must be one of {', '.join(NAME_KINDS)}")
    base = library().settings.base
    found = Resolver(library().published().names, switch=None).suggest(request.args.get("q", "")[:200], kinds)
    return jsonify([{"name": r.name, "iri": r.iri, "kind": r.kind, "url": page_url(r.iri, base), "as": r.note}
                    for r in found])  # fmt: skip
