"""The path page: how two people are connected, each hop with the events that link them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacegraph.web.links import page_url

if TYPE_CHECKING:
    from spacegraph.library import Spacegraph

TITLE = "How two people are connected"


def path_page(library: Spacegraph, a: str, b: str) -> dict:
    """The shortest paths from ``a`` to ``b`` (names or IRIs); UnknownName when either names no one."""
    base = library.settings.base
    answer = library.path(a, b)
    for path in answer["paths"]:
        path["links"] = [{"text": name, "url": page_url(node, base), "iri": node}
                         for node, name in zip(path["nodes"], path["names"], strict=True)]  # fmt: skip
        for hop in path["hops"]:
            for event in hop["events"]:
                event["url"] = page_url(event["event"], base)
    graph = library.network("people")
    names = (graph.nodes[answer["from"]]["name"], graph.nodes[answer["to"]]["name"])
    return {"title": f"From {names[0]} to {names[1]}", "a": a, "b": b, **answer,
            "from_name": names[0], "to_name": names[1]}  # fmt: skip
