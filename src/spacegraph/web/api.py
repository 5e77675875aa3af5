"""/api/: the analysis questions as JSON, on the projections of the published store generation."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from spacegraph.analysis import questions
from spacegraph.analysis.cache import projections_for
from spacegraph.names import Resolver, UnknownName

bp = Blueprint("api", __name__, url_prefix="/api")


def _projections():
    return projections_for(current_app.config["SETTINGS"])


def _node(graph, parameter: str, organisations: bool = False) -> str:
    value = request.args.get(parameter)
    if not value:
        raise UnknownName(f"give ?{parameter}=NAME (a person's or organisation's name, or its IRI)")
    resolver = Resolver.for_settings(current_app.config["SETTINGS"], switch="organisations=1")
    return (resolver.organisation(value, graph) if organisations else resolver.person(value, graph)).iri


@bp.errorhandler(UnknownName)
def not_found(error: UnknownName):
    candidates = [{"iri": c.iri, "name": c.name, "kind": c.kind} for c in error.candidates]
    return jsonify({"ok": False, "status": 404, "title": "Not found", "error": str(error),
                    "candidates": candidates}), 404  # fmt: skip


@bp.errorhandler(ValueError)
def bad_request(error: ValueError):
    return jsonify({"ok": False, "status": 400, "title": "Bad request", "error": str(error)}), 400


def _year(name: str) -> int | None:
    value = request.args.get(name)
    return int(value) if value else None


@bp.get("/who-spoke-with")
def who_spoke_with():
    graph = _projections().people
    return jsonify(questions.who_spoke_with(graph, _node(graph, "person"), _year("from"), _year("to")))


@bp.get("/path")
def path():
    organisations = bool(request.args.get("organisations"))
    graph = _projections().organisations if organisations else _projections().people
    a, b = _node(graph, "a", organisations), _node(graph, "b", organisations)
    return jsonify(questions.shortest_paths(graph, a, b))


@bp.get("/ego")
def ego():
    graph = _projections().people
    return jsonify(questions.ego(graph, _node(graph, "node"), int(request.args.get("radius", 1)),
                                 int(request.args.get("max_nodes", 500))))  # fmt: skip


@bp.get("/rank")
def rank():
    projections, measure = _projections(), request.args.get("measure", "degree")
    scored = projections.remembered(("centrality", measure), lambda: questions.centrality(projections.people, measure))
    top = int(request.args.get("top", 20))
    return jsonify(questions.rank(projections.people, measure, request.args.get("side"), top, scored=scored))


@bp.get("/bridges")
def bridges():
    projections, top = _projections(), int(request.args.get("top", 20))
    return jsonify(projections.remembered(("bridges", top), lambda: questions.bridges(projections.people, top)))


@bp.get("/communities")
def communities():
    projections, seed = _projections(), int(request.args.get("seed", 1))
    return jsonify(projections.remembered(
        ("communities", seed), lambda: questions.communities(projections.people, projections.topics, seed)
    ))  # fmt: skip


@bp.get("/continuity")
def continuity():
    projections = _projections()
    return jsonify(projections.remembered(("continuity",), lambda: questions.continuity(projections.person_event)))
