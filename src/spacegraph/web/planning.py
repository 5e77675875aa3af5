"""/plan: the planning page for program staff, and its JSON twin: coverage heatmap, balance per edition,
candidates with their reasons, and the draft-programme form with its result (never saved from the web: the
app is read-only; `spacegraph plan` saves a proposal)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request

from spacegraph.analysis.cache import projections_for
from spacegraph.names import Resolver, UnknownName
from spacegraph.planning.balance import balance
from spacegraph.planning.candidates import Ranker, pairings
from spacegraph.planning.coverage import coverage
from spacegraph.planning.history import read_history
from spacegraph.planning.programme import PlanRefused, Request, draft
from spacegraph.web.links import page_url

bp = Blueprint("planning", __name__)


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    return value


def plan_page() -> dict:
    settings = current_app.config["SETTINGS"]
    store = current_app.extensions["store"].current()
    history = read_history(store, request.args.get("series") or None, projections_for(settings).appearances)
    base = settings.base
    ranker = Ranker(history)
    page: dict = {"title": "Plan the next edition", "series": history.series, "series_name": history.series_name,
                  "series_url": page_url(history.series, base), "coverage": coverage(history),
                  "balance": balance(history), "topics": sorted(
                      ({"iri": t, "label": label} for t, label in history.topic_labels.items()),
                      key=lambda t: t["label"].lower())}  # fmt: skip
    topic = request.args.get("topic") or None
    if topic is not None:
        topic = history.find_topic(topic)
    page["candidate_topic"] = topic
    page["candidates"] = [c | {"url": page_url(c["person"], base)} for c in ranker.rank(topic)[:10]]
    page["pairings"] = pairings(history, 5, ranker)
    form: dict[str, Any] = {"slots": _int("slots", 8, 1, 50), "topics": request.args.getlist("topics"),
            "balance_sides": request.args.get("balance_sides") == "on",
            "min_new": _int("min_new", 0, 0, 50), "exclude": request.args.get("exclude", "")}  # fmt: skip
    page["form"] = form
    if request.args.get("draft"):
        excluded = set()
        for name in filter(None, (n.strip() for n in form["exclude"].split(";"))):
            try:
                found = Resolver.for_settings(settings, switch=None).person(name, ranker.everyone)
            except UnknownName as error:
                page["draft_error"] = str(error)
                continue
            excluded.add(found.iri)
            if found.note:
                page.setdefault("assumed", []).append(found.note)
        topics = tuple(history.find_topic(t) for t in form["topics"] if t)
        if "draft_error" not in page:
            try:
                plan = draft(history, Request(form["slots"], topics, form["balance_sides"], form["min_new"],
                                              frozenset(excluded)), ranker)  # fmt: skip
                for slot in plan["slots"]:
                    slot["url"] = page_url(slot["person"], base)
                page["draft"] = plan
            except PlanRefused as error:
                page["draft_error"] = f"Cannot plan this: {error}"
    return page


@bp.get("/plan")
@bp.get("/plan.json")
def plan():
    try:
        page = plan_page()
        status = 422 if page.get("draft_error") else 200  # a draft the constraints refuse: the page says why
    except (ValueError, KeyError, LookupError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        page, status = {"title": "Plan the next edition", "error": message}, 400
    if request.path.endswith(".json"):
        return jsonify(page), status
    return render_template("plan.html", page=page), status
