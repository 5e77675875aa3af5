"""A draft programme for the next edition: a slate of people for N slots that meets the constraints, each choice
with its reasons; or a refusal that names the constraint that cannot be met and why.

Slots take the topics in turn (the ones asked for, else the gaps: topics never covered, covered once or only long
ago, that someone in the series has spoken near). Each slot gets the best-scored person for its topic (see
``candidates``) among those still allowed. The choice is greedy and deterministic: the same history and request
give the same slate.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from spacegraph.planning.candidates import WEIGHTS, Ranker
from spacegraph.planning.coverage import coverage
from spacegraph.planning.history import SPEAKING_SIDES, History


class PlanRefused(ValueError):
    """A request that cannot be met; the message names the constraint and why."""


@dataclass(frozen=True)
class Request:
    slots: int
    topics: tuple[str, ...] = ()  # topic IRIs; empty: the gaps
    balance_sides: bool = False
    min_new: int = 0
    exclude: frozenset[str] = field(default_factory=frozenset)  # person IRIs

    def describe(self) -> str:
        parts = [f"--slots {self.slots}"]
        parts += ["--balance-sides"] if self.balance_sides else []
        parts += [f"--min-new {self.min_new}"] if self.min_new else []
        parts += [f"--topics {len(self.topics)}"] if self.topics else []
        parts += [f"--exclude {len(self.exclude)}"] if self.exclude else []
        return " ".join(parts)


def gap_topics(history: History, ranker: Ranker) -> list[str]:
    """Topics worth a slot: never covered, covered once, or only long ago, near what someone has spoken on."""
    c = coverage(history)
    ordered = [t["topic"] for t in c["never"]] + [t["topic"] for t in c["long_ago"]] + [t["topic"] for t in c["once"]]
    spoken = {t for topics in ranker.topics_of.values() for t in topics}
    useful = [t for t in dict.fromkeys(ordered) if any(ranker.similarity(t, s) >= 0.5 for s in spoken)]
    return useful or sorted(spoken, key=history.label)


def draft(history: History, request: Request) -> dict:
    """The slate, or PlanRefused."""
    if request.slots < 1:
        raise PlanRefused("--slots must be at least 1")
    ranker = Ranker(history)
    topics = list(request.topics) or gap_topics(history, ranker)
    if not topics:
        raise PlanRefused("topics: the series has no topics to plan for; give some with --topics")
    eligible = {p: info for p, info in history.people.items() if p not in request.exclude}
    _check_feasible(request, eligible)
    quota = {SPEAKING_SIDES[0]: (request.slots + 1) // 2, SPEAKING_SIDES[1]: request.slots // 2}
    if request.balance_sides:  # the odd slot goes to the side with fewer speaking appearances so far
        fewer = ranker.under_represented or SPEAKING_SIDES[1]
        quota = {fewer: (request.slots + 1) // 2, _other(fewer): request.slots // 2}
    chosen: list[dict] = []
    taken: set[str] = set(request.exclude)
    for number in range(1, request.slots + 1):
        topic = topics[(number - 1) % len(topics)]
        remaining = request.slots - number + 1
        need_new = max(0, request.min_new - sum(1 for c in chosen if c["new"]))
        pick = None
        for candidate in ranker.rank(topic, exclude=taken):
            if need_new >= remaining and not candidate["new"]:
                continue
            if request.balance_sides:
                side = candidate["side"]
                if side not in quota or sum(1 for c in chosen if c["side"] == side) >= quota[side]:
                    continue
            pick = candidate
            break
        if pick is None:
            raise PlanRefused(_why_stuck(number, request, need_new, remaining))
        taken.add(pick["person"])
        chosen.append({"slot": number, "topic": topic, "topic_label": history.label(topic), **pick})
    sides = {s: sum(1 for c in chosen if c["side"] == s) for s in SPEAKING_SIDES}
    return {"series": history.series, "series_name": history.series_name, "request": request.describe(),
            "slots": chosen, "by_side": sides, "new": sum(1 for c in chosen if c["new"]),
            "weights": WEIGHTS}  # fmt: skip


def _other(side: str) -> str:
    return SPEAKING_SIDES[1] if side == SPEAKING_SIDES[0] else SPEAKING_SIDES[0]


def _check_feasible(request: Request, eligible: dict[str, dict]) -> None:
    excluded = f" (after excluding {len(request.exclude)})" if request.exclude else ""
    if request.slots > len(eligible):
        raise PlanRefused(f"slots: {request.slots} slots but only {len(eligible)} people of the series can be "
                          f"invited{excluded}: ask for fewer slots or exclude fewer people")  # fmt: skip
    if request.balance_sides:
        for side, need in ((SPEAKING_SIDES[0], request.slots // 2), (SPEAKING_SIDES[1], request.slots // 2)):
            have = sum(1 for info in eligible.values() if info["side"] == side)
            if have < need:
                raise PlanRefused(f"balance-sides: {request.slots} balanced slots need at least {need} people from "
                                  f"the {side} side; only {have} can be invited{excluded}")  # fmt: skip
    new = sum(1 for info in eligible.values() if not info["spoke_at"])
    if request.min_new > new:
        raise PlanRefused(f"min-new: {request.min_new} new speakers asked for, but only {new} people of the series "
                          f"have never spoken at an edition{excluded}")  # fmt: skip
    if request.min_new > request.slots:
        raise PlanRefused(f"min-new: {request.min_new} new speakers do not fit in {request.slots} slots")


def _why_stuck(number: int, request: Request, need_new: int, remaining: int) -> str:
    wants = []
    if request.balance_sides:
        wants.append("from a side whose quota is not yet full (--balance-sides)")
    if need_new >= remaining:
        wants.append(f"new to the series (--min-new {request.min_new})")
    return (f"slot {number}: no one is left who is {' and '.join(wants) or 'not already chosen'}; "
            "relax --balance-sides or --min-new, or exclude fewer people")  # fmt: skip


def to_markdown(plan: dict) -> str:
    lines = [f"# Draft programme: {plan['series_name']}", "",
             f"Request: `{plan['request']}`. Sides: " + ", ".join(f"{s} {n}" for s, n in plan["by_side"].items())
             + f"; new to the series: {plan['new']}.", "",
             "| Slot | Person | Side | Organisation | Topic | Reasons |", "| ---: | --- | --- | --- | --- | --- |"]  # fmt: skip
    for s in plan["slots"]:
        reasons = "; ".join(s["reasons"]) or "best remaining score"
        lines.append(f"| {s['slot']} | {s['name']} | {s['side'] or 'unknown'} | {s['organisation'] or ''} | "
                     f"{s['topic_label']} | {reasons} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def to_html(plan: dict) -> str:
    e = html.escape
    rows = "\n".join(
        f"<tr><td>{s['slot']}</td><td><a href=\"{e(s['person'])}\">{e(s['name'])}</a></td><td>{e(s['side'] or 'unknown')}"
        f"</td><td>{e(s['organisation'] or '')}</td><td>{e(s['topic_label'])}</td><td><ul>"
        + "".join(f"<li>{e(r)}</li>" for r in s["reasons"]) + "</ul></td></tr>"
        for s in plan["slots"]
    )  # fmt: skip
    sides = ", ".join(f"{e(s)} {n}" for s, n in plan["by_side"].items())
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Draft programme: "
            f"{e(plan['series_name'])}</title></head>\n<body>\n<h1>Draft programme: {e(plan['series_name'])}</h1>\n"
            f"<p>Request: <code>{e(plan['request'])}</code>. Sides: {sides}; new to the series: {plan['new']}.</p>\n"
            "<table>\n<thead><tr><th scope=\"col\">Slot</th><th scope=\"col\">Person</th><th scope=\"col\">Side</th>"
            "<th scope=\"col\">Organisation</th><th scope=\"col\">Topic</th><th scope=\"col\">Reasons</th></tr>"
            f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</body></html>\n")  # fmt: skip
