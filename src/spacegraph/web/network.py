"""The network view: ``/network`` (the page), ``/api/network`` (JSON: the part of the network a view shows, laid
out), ``/api/network/tie`` (the evidence of one tie) and ``/api/network.gexf`` (what is shown, as a download).

All of them take the filters of ``spacegraph.analysis.network_filters`` and its cut (``nodes``, ``ties``, ``rank``,
``focus``, ``radius``); the data is built in ``spacegraph.web.pages.network``.
"""

from __future__ import annotations

import time
from functools import partial

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from spacegraph.analysis.exports import gexf_bytes
from spacegraph.analysis.network_filters import BadFilter
from spacegraph.web import render
from spacegraph.web.context import library
from spacegraph.web.pages import network as view

bp = Blueprint("network", __name__)


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return render.error(400, "Bad request", str(error))


@bp.get("/api/network")
def network_api():
    started = time.perf_counter()
    response = jsonify(view.network_body(library(), request.args, partial(url_for, "network.network_gexf")))
    response.headers["Server-Timing"] = f"network;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@bp.get("/api/network/tie")
def network_tie():
    return jsonify(view.tie_body(library(), request.args))


@bp.get("/api/network.gexf")
def network_gexf():
    shown = view.network_view(library(), request.args)
    parts = [*shown.filters.query().values(), *(str(v) for v in (shown.cut.focus,) if v)]
    name = "-".join(["spacegraph", shown.filters.graph, *(v.rsplit("/", 1)[-1] for v in parts)])
    return Response(
        gexf_bytes(shown.shown),
        mimetype="application/gexf+xml",
        headers={"Content-Disposition": f'attachment; filename="{_safe(name)}.gexf"'},
    )


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:120]


@bp.get("/network")
def network_page():
    return render_template("network.html", options=view.network_page(library()))
