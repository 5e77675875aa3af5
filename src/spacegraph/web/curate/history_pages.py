"""Who changed what, in the browser: the recent changes, each undoable (``spacegraph.write.history``); and the
history an entity page shows (``entity_history``, a template global, also without curator accounts)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template, request

from spacegraph.settings import Settings
from spacegraph.web.context import library
from spacegraph.web.curate.auth import curator_required, current_agent, settings
from spacegraph.write import WriteRejected
from spacegraph.write.history import UndoRefused, history, undo

bp = Blueprint("curate_history", __name__, url_prefix="/curate/history")
SHOWN = 100  # changes listed on a page


@bp.route("/", methods=["GET", "POST"])
@curator_required
def index() -> str | tuple[str, int]:
    message, status, done = None, 200, None
    if request.method == "POST":
        try:
            done = undo(settings(), request.form.get("change", ""), current_agent()).summary()
        except (LookupError, UndoRefused) as error:
            message, status = str(error.args[0] if isinstance(error, KeyError) else error), 409
        except WriteRejected as rejected:
            message, status = f"The graph as it was does not conform now, nothing was written: {rejected}", 422
    changes, latest = [], set()
    for change in history(settings())[:SHOWN]:  # newest first: the first of each graph is the one to undo
        changes.append({**change.summary(), "undoable": change.graph not in latest and change.alone})
        latest.add(change.graph)
    return render_template("curate/history.html", changes=changes, message=message, done=done), status


def add_entity_history(app: Flask, settings: Settings) -> None:
    """``entity_history(iri)`` in templates: the latest changes that touched the entity (who, when, what). The
    records are read once per data version (a change record is written in the commit that makes a new version),
    not on every page."""

    def entity_history(iri: str, limit: int = 20) -> list[dict[str, Any]]:
        every = library().published().once("history", lambda: history(settings))  # newest first
        changes = [c for c in every if iri in c.entities][:limit]
        return [{**c.summary(), "statements": c.entities.get(iri, [0, 0])} for c in changes]

    app.jinja_env.globals["entity_history"] = entity_history
