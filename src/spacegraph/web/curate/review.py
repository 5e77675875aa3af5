"""Review in the browser: the doubtful matches and proposals ingest listed, with their evidence; accept or reject
each through the same call as `spacegraph review` (``ingest.review.decide``), in the curator's name."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from spacegraph.ingest.review import ReviewError, ReviewList, decide
from spacegraph.web.curate.auth import curator_required, current_agent, settings
from spacegraph.web.curate.edition_form import int_of
from spacegraph.web.curate.writing import CuratorWriter

bp = Blueprint("curate_review", __name__, url_prefix="/curate/review")


@bp.route("/", methods=["GET", "POST"])
@curator_required
def index() -> str | tuple[str, int]:
    message, status, done = None, 200, None
    if request.method == "POST":
        item, accept = request.form.get("item", ""), request.form.get("decision") == "accept"
        try:
            with CuratorWriter(settings(), current_agent()) as writer:
                done = decide(writer, item, accept, int_of(request.form.get("candidate"), 1))
        except (ReviewError, LookupError) as error:
            message, status = str(error.args[0] if isinstance(error, KeyError) else error), 422
    pending = ReviewList.load(settings().data).pending()
    return render_template("curate/review.html", pending=pending, message=message, done=done), status
