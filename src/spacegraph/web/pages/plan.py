"""The planning page for program staff: coverage heatmap, balance per edition, candidates with their reasons, and
the draft-programme form with its result (never saved from the web: the app is read-only; `spacegraph plan`
saves a proposal)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacegraph.names import UnknownName
from spacegraph.planning.balance import balance
from spacegraph.planning.candidates import pairings
from spacegraph.planning.coverage import coverage
from spacegraph.planning.programme import PlanRefused
from spacegraph.web.links import page_url

if TYPE_CHECKING:
    from spacegraph.library import Spacegraph

TITLE = "Plan the next edition"


def plan_page(library: Spacegraph, args: Any) -> dict:
    """The page for the series ``args["series"]`` (default: the latest); with ``draft``, a draft programme.
    ValueError or LookupError for a parameter the page cannot take."""
    series = args.get("series") or None
    history, ranker = library.planner(series)
    base = library.settings.base
    page: dict = {"title": TITLE, "series": history.series, "series_name": history.series_name,
                  "series_url": page_url(history.series, base), "coverage": coverage(history),
                  "balance": balance(history), "topics": sorted(
                      ({"iri": t, "label": label} for t, label in history.topic_labels.items()),
                      key=lambda t: t["label"].lower())}  # fmt: skip
    topic = args.get("topic") or None
    if topic is not None:
        topic = history.find_topic(topic)
    page["candidate_topic"] = topic
    page["candidates"] = [c | {"url": page_url(c["person"], base)} for c in ranker.rank(topic)[:10]]
    page["pairings"] = pairings(history, 5, ranker)
    form: dict[str, Any] = {"slots": whole_number(args, "slots", 8, 1, 50), "topics": args.getlist("topics"),
            "balance_sides": args.get("balance_sides") == "on",
            "min_new": whole_number(args, "min_new", 0, 0, 50), "exclude": args.get("exclude", "")}  # fmt: skip
    page["form"] = form
    if args.get("draft"):
        page.update(draft_programme(library, series, form))
    return page


def draft_programme(library: Spacegraph, series: str | None, form: dict[str, Any]) -> dict:
    """``{"draft": …}``, or ``{"draft_error": …}`` when a name is unknown or the constraints refuse the draft."""
    exclude = tuple(filter(None, (n.strip() for n in form["exclude"].split(";"))))
    try:
        plan = library.plan(form["slots"], tuple(t for t in form["topics"] if t), form["balance_sides"],
                            form["min_new"], exclude, series)  # fmt: skip
    except UnknownName as error:
        return {"draft_error": str(error)}
    except PlanRefused as error:
        return {"draft_error": f"Cannot plan this: {error}"}
    for slot in plan["slots"]:
        slot["url"] = page_url(slot["person"], library.settings.base)
    return {"draft": plan}


def whole_number(args: Any, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    return value
