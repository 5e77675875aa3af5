"""The planning calls that write or read what curators keep for the next edition: the longlist of people to invite,
and the saved proposals (list, open, discard). The CLI and the web both call these, with the library object."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacegraph.library.entities import find_entity
from spacegraph.planning import longlist, proposal
from spacegraph.write import Agent

if TYPE_CHECKING:
    from spacegraph.library import Spacegraph


def add_invitee(library: Spacegraph, by: Agent, name: str, organisation: str = "", side: str = "",
                topics: tuple[str, ...] = (), series: str | None = None) -> dict:  # fmt: skip
    """Put someone who is not in the graph yet on the longlist, for ``topics`` (labels or IRIs of the scheme)."""
    history = library.history(series)
    found = [history.find_topic(t) for t in topics if t.strip()]
    try:
        known = find_entity(library.store(), name, "person")
    except LookupError:
        known = None
    if known:
        raise ValueError(f"{name} is in the graph already (<{known}>): rank them with `spacegraph candidates`, "
                         "the longlist is for people not in the graph yet")  # fmt: skip
    return longlist.add_invitee(library.settings, by, name, organisation, side, found)


def remove_invitee(library: Spacegraph, by: Agent, name: str) -> dict:
    return longlist.remove_invitee(library.settings, by, name)


def invitees(library: Spacegraph, series: str | None = None) -> list[dict]:
    """The longlist, each entry with its topics' labels."""
    history = library.history(series)
    return [e | {"topic_labels": [history.label(t) for t in e.get("topics", [])]} for e in history.longlist]


def proposals(library: Spacegraph) -> list[dict]:
    """Every saved proposal, the latest first."""
    return proposal.list_proposals(library.store())


def find_proposal(library: Spacegraph, which: str) -> str:
    """The graph IRI of the proposal ``which`` names: its graph IRI, its file stem, or its name."""
    saved = proposals(library)
    wanted = which.strip()
    for entry in saved:
        stem = entry["graph"].rsplit("/", 1)[-1]
        if wanted in (entry["graph"], stem) or stem.endswith("-" + wanted) or entry["label"].endswith(f"({wanted})"):
            return entry["graph"]
    listed = "; ".join(e["graph"].rsplit("/", 1)[-1] for e in saved) or "none is saved"
    raise LookupError(f"no saved proposal {which!r}: the proposals are {listed}")


def open_proposal(library: Spacegraph, which: str) -> dict:
    """A saved proposal as a plan (for the exports), its people and topics as the graph knows them now."""
    graph = find_proposal(library, which)
    series = next(p["series"] for p in proposals(library) if p["graph"] == graph)
    return proposal.read_proposal(library.store(), graph, library.history(series))


def discard_proposal(library: Spacegraph, by: Agent, which: str) -> str | None:
    """Remove a saved proposal (graph and file, in one journaled commit); its graph IRI."""
    graph = find_proposal(library, which)
    plan = open_proposal(library, which)
    stem = graph.rsplit("/", 1)[-1]
    base = proposal.names(plan["series_name"], library.settings.base)[0]
    name = stem.removeprefix(base).removeprefix("-") or None
    return proposal.discard(plan["series_name"], library.settings, name, by)
