"""The balance of each edition: its speakers by side and by sector, new against returning, and the organisations
that took part once and never came back.

An edition is flagged unbalanced when one of the two sides is missing among its speakers whose side is known,
or has more than twice as many speakers as the other.

>>> from spacegraph.planning.history import History
>>> from spacegraph.vocab.records import Appearance, Edition
>>> a = [Appearance(f"p:{i}", f"P{i}", "person", "e1", "One", "2020-01-01", "speaker", side)
...      for i, side in enumerate(["U.S.", "U.S.", "U.S.", "China"])]
>>> balance(History("s", "S", [Edition("e1", "One", "2020-01-01")], a))["editions"][0]["flags"]
['unbalanced: 3 U.S. speakers against 1 China']
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacegraph.planning.history import SPEAKING_SIDES, History
from spacegraph.vocab.terms import UNKNOWN

IMBALANCE = 2.0  # one side with more than this many times the other's speakers


def balance(history: History) -> dict:
    seen_before: set[str] = set()
    rows = []
    by_edition: dict[str, list] = defaultdict(list)
    for a in history.speaking:
        by_edition[a.event].append(a)
    for edition in history.editions:
        present = {a.agent: a for a in by_edition.get(edition.iri, [])}
        sides = Counter(a.side or UNKNOWN for a in present.values())
        sectors = Counter(a.sector or UNKNOWN for a in present.values())
        new = sorted(history.people[p]["name"] for p in present if p not in seen_before)
        returning = sorted(history.people[p]["name"] for p in present if p in seen_before)
        seen_before |= set(present)
        rows.append({"edition": edition.iri, "name": edition.name, "date": edition.date, "speakers": len(present),
                     "by_side": dict(sorted(sides.items())), "by_sector": dict(sorted(sectors.items())),
                     "new": new, "returning": returning, "flags": _flags(sides, len(present))})  # fmt: skip
    return {"series": history.series, "series_name": history.series_name, "editions": rows,
            "organisations_once": _organisations_once(history)}  # fmt: skip


def _flags(sides: Counter, speakers: int) -> list[str]:
    if speakers == 0:
        return ["no speakers recorded"]
    us_label, china_label = SPEAKING_SIDES
    us, china = sides.get(us_label, 0), sides.get(china_label, 0)
    if us + china == 0:
        return []
    if min(us, china) == 0:
        missing = china_label if china == 0 else us_label
        return [f"unbalanced: no {missing} speakers recorded ({us} {us_label}, {china} {china_label})"]
    if max(us, china) > IMBALANCE * min(us, china):
        more, fewer = (us_label, china_label) if us > china else (china_label, us_label)
        return [f"unbalanced: {max(us, china)} {more} speakers against {min(us, china)} {fewer}"]
    return []


def _organisations_once(history: History) -> list[dict]:
    """Organisations (of speakers, or taking part themselves) at exactly one edition: a dated one, not the latest."""
    editions_of: dict[str, set[int]] = defaultdict(set)
    names: dict[str, str] = {}
    for a in history.appearances:
        org, name = (a.agent, a.name) if a.kind == "organisation" else (a.organisation, a.organisation_name)
        if org and a.event in history.edition_index:
            editions_of[org].add(history.edition_index[a.event])
            names[org] = name or org
    dated = [i for i, e in enumerate(history.editions) if e.date]
    latest = max(dated, key=lambda i: history.editions[i].date or "") if dated else None
    once = []
    for org, indexes in editions_of.items():
        index = next(iter(indexes))
        # once, at a dated edition before the latest: an undated one cannot say that they did not come back
        if len(indexes) == 1 and history.editions[index].date and index != latest:
            edition = history.editions[index]
            once.append({"organisation": org, "name": names[org], "edition": edition.iri,
                         "edition_name": edition.name, "date": edition.date})  # fmt: skip
    return sorted(once, key=lambda o: (o["date"] or "9999", o["name"]))
