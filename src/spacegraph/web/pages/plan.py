"""The planning page for program staff: coverage heatmap, balance per edition, candidates with their reasons, the
draft-programme form with its result, and the saved proposals. A signed-in curator saves a draft as a proposal and
exports it (``web.curate.proposals``); `spacegraph plan` saves one from the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from spacegraph.library.planning import proposals
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
    page["candidates"] = [c | {"url": None if c["longlist"] else page_url(c["person"], base)}  # no page yet
                          for c in ranker.rank(topic)[:10]]  # fmt: skip
    page["pairings"] = pairings(history, 5, ranker)
    form = draft_form(args)
    page["form"] = form
    page["proposals"] = [p | {"stem": p["graph"].rsplit("/", 1)[-1]} for p in proposals(library)
                         if p["series"] == history.series]  # fmt: skip
    page["longlist"] = len(history.longlist)
    if args.get("draft"):
        page.update(draft_programme(library, series, form))
        page["draft_query"] = urlencode([(k, v) for k in DRAFT_FIELDS for v in args.getlist(k)])
    return page


DRAFT_FIELDS = ("draft", "series", "slots", "topics", "balance_sides", "min_new", "exclude")


def draft_form(args: Any) -> dict[str, Any]:
    """The draft programme's request, from a query string or a form (ValueError for a number out of range)."""
    return {"slots": whole_number(args, "slots", 8, 1, 50), "topics": args.getlist("topics"),
            "balance_sides": args.get("balance_sides") == "on",
            "min_new": whole_number(args, "min_new", 0, 0, 50), "exclude": args.get("exclude", "")}  # fmt: skip


def draft_programme(library: Spacegraph, series: str | None, form: dict[str, Any], **save: Any) -> dict:
    """``{"draft": …}``, or ``{"draft_error": …}`` when a name is unknown or the constraints refuse the draft;
    ``save``: ``save=True, name=…, by=…`` keeps it as a proposal (``Spacegraph.plan``)."""
    exclude = tuple(filter(None, (n.strip() for n in form["exclude"].split(";"))))
    try:
        plan = library.plan(form["slots"], tuple(t for t in form["topics"] if t), form["balance_sides"],
                            form["min_new"], exclude, series, **save)  # fmt: skip
    except UnknownName as error:
        return {"draft_error": str(error)}
    except PlanRefused as error:
        return {"draft_error": f"Cannot plan this: {error}"}
    for slot in plan["slots"]:
        slot["url"] = None if slot["longlist"] else page_url(slot["person"], library.settings.base)
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
