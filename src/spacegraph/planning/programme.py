"""A draft programme for the next edition: a slate of people for N slots that meets the constraints, each choice
with its reasons; or a refusal that names the constraint that cannot be met and why.

Slots take the topics in turn (the ones asked for, else the gaps: topics never covered, covered once or only long
ago, that someone in the series has spoken near). Each slot gets the best-scored person for its topic (see
``candidates``) among those still allowed. The choice is greedy and deterministic: the same history and request
give the same slate.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field

from spacegraph.planning.candidates import WEIGHTS, Ranker
from spacegraph.planning.coverage import coverage
from spacegraph.planning.history import SPEAKING_SIDES, History
from spacegraph.vocab.terms import UNKNOWN


class PlanRefused(ValueError):
    """A request that cannot be met; the message names the constraint and why."""


@dataclass(frozen=True)
class Request:
    slots: int
    topics: tuple[str, ...] = ()  # topic IRIs; empty: the gaps
    balance_sides: bool = False
    min_new: int = 0
    exclude: frozenset[str] = field(default_factory=frozenset)  # person IRIs

    def describe(self, history: History | None = None) -> str:
        """The request as `spacegraph plan` options, naming the topics and people asked for (with ``history``), so
        a colleague can repeat it."""
        label = history.label if history else (lambda t: t)
        name = (lambda p: history.people.get(p, {}).get("name", p)) if history else (lambda p: p)
        parts = [f"--slots {self.slots}"]
        parts += ["--balance-sides"] if self.balance_sides else []
        parts += [f"--min-new {self.min_new}"] if self.min_new else []
        parts += [f"--topics {_quoted(label(t))}" for t in self.topics]
        parts += [f"--exclude {_quoted(name(p))}" for p in sorted(self.exclude, key=name)]
        return " ".join(parts)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def gap_topics(history: History, ranker: Ranker) -> list[str]:
    """Topics worth a slot: never covered, covered once, or only long ago, near what someone has spoken on."""
    c = coverage(history)
    ordered = [t["topic"] for t in c["never"]] + [t["topic"] for t in c["long_ago"]] + [t["topic"] for t in c["once"]]
    spoken = {t for topics in ranker.topics_of.values() for t in topics}
    useful = [t for t in dict.fromkeys(ordered) if any(ranker.similarity(t, s) >= 0.5 for s in spoken)]
    return useful or sorted(spoken, key=history.label)


def draft(history: History, request: Request, ranker: Ranker | None = None) -> dict:
    """The slate, or PlanRefused.

    Slot by slot, the best-scored person for the slot's topic is taken, unless taking them would leave the
    remaining slots impossible to fill under the constraints (``_shortfall`` counts that exactly: the constraints
    only count people by side and by being new), so a request that can be met is met.
    """
    if request.slots < 1:
        raise PlanRefused("slots: --slots must be at least 1")
    ranker = ranker or Ranker(history)
    topics = list(request.topics) or gap_topics(history, ranker)
    if not topics:
        raise PlanRefused("topics: the series has no topics to plan for; give some with --topics")
    pool = {p: info for p, info in history.people.items() if p not in request.exclude}
    quota: dict[str, int] = {}
    if request.balance_sides:  # the odd slot goes to the side with fewer speaking appearances so far
        fewer = ranker.under_represented or SPEAKING_SIDES[1]
        quota = {fewer: (request.slots + 1) // 2, _other(fewer): request.slots // 2}
    if reason := _shortfall(request, quota, pool, []):
        raise PlanRefused(reason)
    chosen: list[dict] = []
    for number in range(1, request.slots + 1):
        topic = topics[(number - 1) % len(topics)]
        left = {p: info for p, info in pool.items() if p not in {c["person"] for c in chosen}}
        for candidate in ranker.rank(topic, exclude=request.exclude | {c["person"] for c in chosen}):
            if request.balance_sides and candidate["side"] not in quota:
                continue
            after = {p: info for p, info in left.items() if p != candidate["person"]}
            if _shortfall(request, quota, after, [*chosen, candidate]) is None:
                chosen.append({"slot": number, "topic": topic, "topic_label": history.label(topic), **candidate})
                break
        else:  # cannot happen when the first check passed; kept so that a bug cannot return a short slate
            raise PlanRefused(_shortfall(request, quota, left, chosen) or f"slot {number}: no one fits")
    sides = {s: sum(1 for c in chosen if c["side"] == s) for s in SPEAKING_SIDES}
    return {"series": history.series, "series_name": history.series_name, "request": request.describe(history),
            "slots": chosen, "by_side": sides, "new": sum(1 for c in chosen if c["new"]),
            "weights": WEIGHTS}  # fmt: skip


def _other(side: str) -> str:
    return SPEAKING_SIDES[1] if side == SPEAKING_SIDES[0] else SPEAKING_SIDES[0]


def _shortfall(request: Request, quota: dict[str, int], pool: dict[str, dict], chosen: list[dict]) -> str | None:
    """Why the slots not yet filled cannot be filled from ``pool`` (people still free), or None when they can.

    With balanced sides, each side needs its quota less those chosen; the new people asked for must fit in the
    sides' remaining room: at most min(room, new people free) from each side. Without, any free person will do.
    """
    excluded = f" (after excluding {len(request.exclude)})" if request.exclude else ""
    remaining = request.slots - len(chosen)
    need_new = max(0, request.min_new - sum(1 for c in chosen if c["new"]))
    new_free = {p: info for p, info in pool.items() if not info["spoke_at"]}
    if remaining > len(pool):
        return (f"slots: {request.slots} slots but only {len(pool) + len(chosen)} people of the series can be "
                f"invited{excluded}: ask for fewer slots or exclude fewer people")  # fmt: skip
    if request.min_new > request.slots:
        return f"min-new: {request.min_new} new speakers do not fit in {request.slots} slots"
    if need_new > remaining:  # the slots already filled took too few new people
        return f"min-new: {request.min_new} new speakers do not fit in the {remaining} slots left"
    if need_new > len(new_free):
        return (f"min-new: {request.min_new} new speakers asked for, but only "
                f"{len(new_free) + request.min_new - need_new} people of the series have never spoken at an "
                f"edition{excluded}: put people to invite on the longlist (spacegraph longlist add)")  # fmt: skip
    if not quota:
        return None
    room = {side: quota[side] - sum(1 for c in chosen if c["side"] == side) for side in quota}
    for side, need in room.items():
        free = sum(1 for info in pool.values() if info["side"] == side)
        if need > free:
            odd = " (the odd slot goes to the side with fewer speaking appearances so far)" if request.slots % 2 else ""
            return (f"balance-sides: {request.slots} balanced slots need at least {quota[side]} people from the "
                    f"{side} side{odd}; only {free + quota[side] - need} can be invited{excluded}")  # fmt: skip
    usable = sum(min(room[side], sum(1 for info in new_free.values() if info["side"] == side)) for side in room)
    if need_new > usable:
        return (f"min-new with balance-sides: {request.min_new} new speakers asked for, but the new people who can "
                f"be invited fit only {usable + request.min_new - need_new} of the balanced slots{excluded}")  # fmt: skip
    return None


CSV_COLUMNS = ("slot", "person", "name", "side", "organisation", "topic", "topic_label", "new", "score", "reasons")


def to_csv(plan: dict) -> str:
    """One row per slot, for a spreadsheet (the reasons joined by "; ")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in plan["slots"]:
        row = {**s, "side": s.get("side") or UNKNOWN, "reasons": "; ".join(s.get("reasons", []))}
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in CSV_COLUMNS])
    return out.getvalue()


def to_markdown(plan: dict) -> str:
    lines = [f"# Draft programme: {plan['series_name']}", "",
             f"Request: `{plan['request']}`. Sides: " + ", ".join(f"{s} {n}" for s, n in plan["by_side"].items())
             + f"; new to the series: {plan['new']}.", "",
             "| Slot | Person | Side | Organisation | Topic | Reasons |", "| ---: | --- | --- | --- | --- | --- |"]  # fmt: skip
    for s in plan["slots"]:
        reasons = "; ".join(s["reasons"]) or "best remaining score"
        lines.append(f"| {s['slot']} | {s['name']} | {s['side'] or UNKNOWN} | {s['organisation'] or ''} | "
                     f"{s['topic_label']} | {reasons} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def to_html(plan: dict) -> str:
    e = html.escape
    rows = "\n".join(
        f"<tr><td>{s['slot']}</td><td><a href=\"{e(s['person'])}\">{e(s['name'])}</a></td><td>{e(s['side'] or UNKNOWN)}"
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
