"""Where an IRI's page is on this server.

Entity IRIs are minted under the ``base`` setting (``https://w3id.org/spacegraph/`` by default), and this server
answers for them: ``{base}id/person/zhang-dong`` is at ``/id/person/zhang-dong``, and so are the ``graph/``,
``agent/`` and ``source/`` IRIs. The sides of the dialogue are terms of the ontology (``spacegraph.vocab.terms.SIDES``)
and have pages at ``/side/us``; the other terms are entries of ``/ontology``; any other IRI is shown at
``/resource?iri=…``.

>>> page_url("https://w3id.org/spacegraph/id/person/zhang-dong", "https://w3id.org/spacegraph/")
'/id/person/zhang-dong'
>>> page_url("https://w3id.org/spacegraph/ontology#sideChina", "https://w3id.org/spacegraph/")
'/side/china'
>>> page_url("https://w3id.org/spacegraph/agent/spacegraph-ingest", "https://w3id.org/spacegraph/")
'/agent/spacegraph-ingest'
>>> page_url("https://w3id.org/spacegraph/ontology#Edition", "https://w3id.org/spacegraph/")
'/ontology#Edition'
>>> page_url("https://example.org/x?y", "https://w3id.org/spacegraph/")
'/resource?iri=https%3A%2F%2Fexample.org%2Fx%3Fy'
"""

from __future__ import annotations

from urllib.parse import quote

from spacegraph.vocab.terms import SIDE_BY_IRI


def page_url(iri: str, base: str) -> str:
    """The path of the page for ``iri`` on this server."""
    if iri in SIDE_BY_IRI:
        return f"/side/{SIDE_BY_IRI[iri].slug}"
    if iri.startswith(tuple(base + part for part in ("id/", "graph/", "agent/", "source/", "ontology#"))):
        return "/" + iri[len(base) :]
    return "/resource?iri=" + quote(iri, safe="")


def iri_of(path: str, base: str) -> str:
    """The IRI a local path (``id/…`` or ``graph/…``, without the leading slash) stands for."""
    return base + path
