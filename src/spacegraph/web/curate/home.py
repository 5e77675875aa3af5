"""The curator's start page: what a curator can do from here."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from spacegraph.web.curate.auth import curator_required

bp = Blueprint("curate", __name__, url_prefix="/curate")


@bp.route("/")
@curator_required
def index() -> str:
    return render_template("curate/index.html", curate_endpoints=set(current_app.view_functions))
