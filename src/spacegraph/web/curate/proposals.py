"""Curators plan from the web: save the /plan page's draft as a proposal, list, open, export and discard proposals,
and keep the longlist of people to invite (``library.planning``, the calls the command line makes)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from spacegraph.library.planning import (
    add_invitee,
    discard_proposal,
    invitees,
    open_proposal,
    proposals,
    remove_invitee,
)
from spacegraph.planning.programme import PlanRefused, to_csv, to_html, to_markdown
from spacegraph.web.context import library
from spacegraph.web.curate.auth import curator_required, current_agent
from spacegraph.web.curate.entities import field_errors
from spacegraph.web.links import page_url
from spacegraph.web.pages.plan import draft_form, draft_programme
from spacegraph.write import WriteRejected

bp = Blueprint("curate_proposals", __name__, url_prefix="/curate/proposals")

EXPORTS = {"md": (to_markdown, "text/markdown; charset=utf-8"), "csv": (to_csv, "text/csv; charset=utf-8"),
           "html": (to_html, "text/html; charset=utf-8")}  # fmt: skip


def _export(plan: dict, fmt: str, stem: str) -> Response:
    if fmt not in EXPORTS:
        abort(404)
    render, media_type = EXPORTS[fmt]
    response = Response(render(plan), mimetype=media_type.split(";")[0], content_type=media_type)
    if fmt != "html":  # the printable page opens in the browser; the others are files
        response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _index(status: int = 200, **context: Any) -> tuple[str, int]:
    series = request.values.get("series") or None
    history = library().history(series)
    saved = [p | {"stem": p["graph"].rsplit("/", 1)[-1]} for p in proposals(library())]
    topics = sorted(({"iri": t, "label": label} for t, label in history.topic_labels.items()),
                    key=lambda t: t["label"].lower())  # fmt: skip
    context = {"errors": {}, "form": {}} | context
    return render_template("curate/proposals.html", proposals=saved, longlist=invitees(library(), series),
                           topics=topics, **context), status  # fmt: skip


@bp.get("/")
@curator_required
def index() -> tuple[str, int]:
    return _index()


@bp.post("/save")
@curator_required
def save() -> ResponseReturnValue:
    """Save the draft the form describes (the /plan page's request) as a named proposal."""
    series = request.form.get("series") or None
    try:
        form = draft_form(request.form)
    except ValueError as error:
        return _index(422, errors={"form": [str(error)]})
    name = request.form.get("name", "").strip() or None
    try:
        result = draft_programme(library(), series, form, save=True, name=name, by=current_agent())
    except (WriteRejected, ValueError, LookupError, PlanRefused) as error:
        return _index(422, errors=field_errors(error))
    if "draft_error" in result:
        return _index(422, errors={"form": [result["draft_error"]]})
    return redirect(url_for("curate_proposals.show", stem=result["draft"]["saved_as"].rsplit("/", 1)[-1]), 303)


@bp.get("/draft.<fmt>")
@curator_required
def draft_export(fmt: str) -> Response:
    """The /plan page's draft (its query string), not saved, as Markdown, CSV or a printable page."""
    try:
        result = draft_programme(library(), request.args.get("series") or None, draft_form(request.args))
    except (ValueError, LookupError) as error:
        abort(400, str(error))
    if "draft_error" in result:
        abort(400, result["draft_error"])
    return _export(result["draft"], fmt, "draft-programme")


@bp.get("/<stem>")
@curator_required
def show(stem: str) -> ResponseReturnValue:
    """One saved proposal; ``<stem>.md``, ``.csv``, ``.html``: its exports."""
    name, dot, fmt = stem.partition(".")
    try:
        plan = open_proposal(library(), name)
    except LookupError:
        abort(404, f"no saved proposal {name!r}")
    if dot:
        return _export(plan, fmt, name)
    base = library().settings.base
    for slot in plan["slots"]:
        slot["url"] = None if slot["longlist"] else page_url(slot["person"], base)  # an invitee has no page yet
    return render_template("curate/proposal.html", plan=plan, stem=name)


@bp.post("/<stem>/discard")
@curator_required
def discard(stem: str) -> ResponseReturnValue:
    try:
        discard_proposal(library(), current_agent(), stem)
    except LookupError as error:
        return _index(404, errors={"form": [str(error)]})
    return redirect(url_for("curate_proposals.index"), 303)


@bp.post("/longlist")
@curator_required
def longlist() -> ResponseReturnValue:
    """Add someone to the longlist (``action=add``) or take them off (``action=remove``)."""
    form = {k: request.form.get(k, "") for k in ("name", "organisation", "side")}
    try:
        if request.form.get("action") == "remove":
            remove_invitee(library(), current_agent(), form["name"])
        else:
            add_invitee(library(), current_agent(), form["name"], form["organisation"], form["side"],
                        tuple(request.form.getlist("topics")))  # fmt: skip
    except (ValueError, LookupError) as error:
        return _index(422, errors=field_errors(error), form=form)
    return redirect(url_for("curate_proposals.index") + "#longlist-h", 303)
