"""What a series has covered: the edition × topic matrix, and the topics covered never, once, long ago, or by one
side only.

A narrower topic counts towards its broader ones (SKOS ``skos:broader``, transitively): an edition about "space
tourism" also covers "commercial human spaceflight and space tourism".

>>> from spacegraph.planning.history import History
>>> from spacegraph.vocab.records import Edition
>>> h = History("s", "S", [Edition("e1", "One", "2020-01-01", ("t:tourism",))], [],
...             {"t:tourism": "space tourism", "t:human": "human spaceflight", "t:debris": "debris"},
...             {"t:tourism": {"t:human"}})
>>> c = coverage(h)
>>> c["matrix"][0]["topics"]["t:human"], [t["label"] for t in c["never"]]
('via narrower', ['debris'])
"""

from __future__ import annotations

from collections import defaultdict

from spacegraph.planning.history import SPEAKING_SIDES, History

LONG_AGO_YEARS = 2  # covered only this many years or more before the latest edition: "only long ago"


def covered_topics(history: History, topics: tuple[str, ...]) -> dict[str, str]:
    """The topics an edition about ``topics`` covers: each of them ("directly") and their ancestors."""
    out: dict[str, str] = {}
    for topic in topics:
        for ancestor in history.ancestors.get(topic, set()):
            out.setdefault(ancestor, "via narrower")
    for topic in topics:
        out[topic] = "directly"
    return out


def coverage(history: History, long_ago_years: int = LONG_AGO_YEARS) -> dict:
    """The edition × topic matrix and the gaps, for a planning page or ``spacegraph coverage``."""
    matrix = []
    editions_of: dict[str, list[int]] = defaultdict(list)
    for index, edition in enumerate(history.editions):
        covered = covered_topics(history, edition.topics)
        for topic in covered:
            editions_of[topic].append(index)
        matrix.append({"edition": edition.iri, "name": edition.name, "date": edition.date, "topics": covered})
    years = [e.year for e in history.editions if e.year]
    latest = max(years) if years else None
    sides_of = _sides_by_topic(history)
    rows = []
    for topic in sorted(history.topic_labels, key=lambda t: (history.depth(t), history.label(t))):
        covering = editions_of.get(topic, [])
        topic_years = sorted({y for i in covering if (y := history.editions[i].year)})
        rows.append({
            "topic": topic, "label": history.label(topic), "depth": history.depth(topic),
            "editions": len(covering), "last_year": topic_years[-1] if topic_years else None,
            "sides": sorted(sides_of.get(topic, set())),
        })  # fmt: skip
    never = [r for r in rows if r["editions"] == 0]
    once = [r for r in rows if r["editions"] == 1]
    long_ago = [r for r in rows if r["editions"] and latest and r["last_year"]
                and r["last_year"] <= latest - long_ago_years]  # fmt: skip
    one_side = [r | {"side": speaking[0]} for r in rows
                if r["editions"] and len(speaking := [s for s in r["sides"] if s in SPEAKING_SIDES]) == 1]  # fmt: skip
    return {"series": history.series, "series_name": history.series_name, "latest_year": latest,
            "long_ago_years": long_ago_years, "topics": rows, "matrix": matrix, "never": never, "once": once,
            "long_ago": long_ago, "one_side_only": one_side}  # fmt: skip


def _sides_by_topic(history: History) -> dict[str, set[str]]:
    """Per topic, the sides of the people who spoke at editions covering it."""
    sides_at: dict[str, set[str]] = defaultdict(set)
    for a in history.speaking:
        if a.side:
            sides_at[a.event].add(a.side)
    out: dict[str, set[str]] = defaultdict(set)
    for edition in history.editions:
        for topic in covered_topics(history, edition.topics):
            out[topic] |= sides_at.get(edition.iri, set())
    return out
