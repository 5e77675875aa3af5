"""The analysis pages: rankings by a centrality measure (with what it means), the bridges between the sides, the
communities (each described by its sides, sectors and topics), and continuity edition by edition. Each is one library
call on the published data version (computed once per version), shown as a table with its JSON twin and CSV."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from spacegraph.analysis.tables import MEASURES
from spacegraph.vocab.terms import find_side
from spacegraph.web.links import page_url
from spacegraph.web.pages.table import Row, table

if TYPE_CHECKING:
    from spacegraph.library import Spacegraph

PAGES = {"rank": "Rankings", "bridges": "Bridges between the sides", "communities": "Communities",
         "continuity": "Continuity, edition by edition"}  # fmt: skip
LISTED = 200  # people a ranking or the bridges list (paged); the JSON API gives other numbers (/api/rank?top=)
MEMBERS_SHOWN = 12  # members named per community; the CSV and JSON name them all


def analysis_page(library: Spacegraph, name: str, args: Mapping[str, str]) -> dict:
    """The analysis page ``name`` (one of PAGES); ValueError for a parameter out of range."""
    if name not in PAGES:
        raise LookupError(f"there is no analysis {name!r}: the analyses are {', '.join(PAGES)}")
    page = {"title": PAGES[name], "analysis": name, "pages": [{"name": n, "title": t, "url": f"/analysis/{n}"}
                                                              for n, t in PAGES.items()], "path": f"/analysis/{name}"}  # fmt: skip
    BUILDERS[name](library, args, page)
    return page


def _link(library: Spacegraph, iri: str, name: str) -> dict:
    return {"text": name, "url": page_url(iri, library.settings.base), "iri": iri}


def rank(library: Spacegraph, args: Mapping[str, str], page: dict) -> None:
    measure = args.get("measure") or "degree"
    side = find_side(args["side"]).label if args.get("side") and find_side(args["side"]) else None
    answer = library.rank(measure, side, LISTED)
    page.update(measure=measure, measures=[{"name": m, "meaning": text, "selected": m == measure,
                                            "url": f"/analysis/rank?measure={m}"} for m, text in MEASURES.items()],
                meaning=answer["meaning"], computation=answer["computation"], note=answer.get("note"))  # fmt: skip
    rows = [Row([str(i), _link(library, r["iri"], r["name"]), r["side"], f"{r['score']:.4f}"], {"side": r["side"]},
                (i, None, None, r["score"])) for i, r in enumerate(answer["ranking"], 1)]  # fmt: skip
    page["sections"] = [table("ranking", f"People by {measure}", ["Rank", "Person", "Side", "Score"], rows, args,
                              note=f"{answer['meaning']} Computation: {answer['computation']}.")]  # fmt: skip


def bridges(library: Spacegraph, args: Mapping[str, str], page: dict) -> None:
    answer = library.bridges(LISTED)
    page["meaning"] = ("People with ties to the other side. Constraint (Burt) is low for someone whose contacts are "
                       "not tied to each other; effective size counts the contacts that are not redundant: a broker "
                       "between groups has a low constraint and a large effective size.")  # fmt: skip
    rows = [Row([_link(library, b["iri"], b["name"]), b["side"], str(b["cross_side_ties"]),
                 _some(b["cross_side_partners"], "table" in args), str(b["constraint"]), str(b["effective_size"])],
                {"side": b["side"]}, (None, None, b["cross_side_ties"], None, b["constraint"], b["effective_size"]))
            for b in answer["bridges"]]  # fmt: skip
    page["sections"] = [table("bridges", "Who connects the sides",
                              ["Person", "Side", "Ties to the other side", "Partners on the other side", "Constraint",
                               "Effective size"], rows, args, note=page["meaning"])]  # fmt: skip


def _some(names: list[str], every: bool) -> str:
    """The names, or the first MEMBERS_SHOWN of them and how many more (``every``: all, for the CSV and JSON)."""
    shown = names if every else names[:MEMBERS_SHOWN]
    return ", ".join(shown) + (f" and {len(names) - len(shown)} more" if len(shown) < len(names) else "")


def _shares(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    return ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def communities(library: Spacegraph, args: Mapping[str, str], page: dict) -> None:
    seed = int(args.get("seed") or 1)
    answer = library.communities(seed)
    page["meaning"] = (f"Groups of people more tied to each other than to the rest ({answer['algorithm']}); each "
                       "described by its members' sides and sectors and the topics of their editions.")  # fmt: skip
    rows = []
    for i, c in enumerate(answer["communities"], 1):
        members = _some(c["members"], "table" in args)
        cells = [str(i), str(c["size"]), _shares(c["sides"]), _shares(c["sectors"]), "; ".join(c["topics"]), members]
        rows.append(Row(cells, {"side": list(c["sides"]), "sector": list(c["sectors"])}, (i, c["size"], *[None] * 4)))
    page["sections"] = [table("communities", "Communities", ["Community", "People", "Sides", "Sectors", "Topics",
                                                             "Members"], rows, args, note=page["meaning"])]  # fmt: skip


def continuity(library: Spacegraph, args: Mapping[str, str], page: dict) -> None:
    answer = library.continuity()
    page["meaning"] = ("Per edition: its people and organisations, how many came for the first time and how many "
                       "came back, the share of the previous edition's participants who returned, and how many were "
                       "seen for the last time.")  # fmt: skip
    base = library.settings.base
    rows = []
    for e in reversed(answer["events"]):  # newest first
        retention = f"{e['retention']:.0%}" if e["retention"] is not None else None
        cells = [e["date"], {"text": e["name"], "url": page_url(e["event"], base), "iri": e["event"]}, str(e["people"]),
                 str(e["organisations"]), str(len(e["new"])), str(len(e["returning"])), retention,
                 str(len(e["last_appearance"]))]  # fmt: skip
        keys = (e["date"] or "", None, e["people"], e["organisations"], len(e["new"]), len(e["returning"]),
                e["retention"] if e["retention"] is not None else "", len(e["last_appearance"]))  # fmt: skip
        rows.append(Row(cells, {"year": (e["date"] or "")[:4] or None}, keys))
    page["sections"] = [table("continuity", "Continuity", ["Date", "Edition", "People", "Organisations", "New",
                                                           "Returning", "Returning share", "Last seen here"], rows,
                              args, note=page["meaning"], sort="-1")]  # fmt: skip


BUILDERS = {"rank": rank, "bridges": bridges, "communities": communities, "continuity": continuity}
