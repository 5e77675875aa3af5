"""The store on a SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB, …) instead of the embedded Oxigraph store.

It answers the same interface as ``OxigraphStore`` (``spacegraph.store.GraphStore``, plus ``quads``, ``add``,
``remove_graph``): queries go to the query URL (SPARQL 1.1 Protocol) and come back as pyoxigraph terms, so that
callers cannot tell the two apart; writes go to the update URL (SPARQL 1.1 Update), or, when a Graph Store
Protocol URL is given, replace a named graph with one ``PUT``. Either way a named graph is replaced in one
request: ``DROP SILENT GRAPH <g> ; INSERT { GRAPH <g> { … } } WHERE {}`` is one update request, which the server
applies as one transaction.

The server's default graph must be the union of its named graphs when a query names no dataset (Virtuoso's,
Fuseki's ``unionDefaultGraph``, GraphDB's): the queries of the app rely on it, as on Oxigraph. Graphs the
server keeps for itself (Virtuoso's ``http://www.openlinksw.com/…``) are left out of ``named_graphs``,
``quads``, ``len`` and ``dump``.

Credentials (``user``, ``password``) are sent with HTTP Digest or Basic authentication, as the server asks
(through requests).
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyoxigraph as ox
import requests
import requests.auth

SYSTEM_GRAPHS = ("http://www.openlinksw.com/", "http://localhost:8890/", "http://localuriqaserver/",
                 "http://www.w3.org/ns/ldp#", "urn:spacegraph:",
                 "http://www.w3.org/2002/07/owl#", "urn:activitystreams-owl:map")  # fmt: skip
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
INSERT_BATCH = 2_000  # triples per INSERT DATA request when loading in bulk
GSP_BATCH = 20_000  # triples per Graph Store Protocol request (a few MB)


class SparqlStoreError(RuntimeError):
    """The server refused or failed a request; the message gives its status and answer."""


class Solution:
    """One solution, as pyoxigraph gives it: ``solution["name"]`` is a term or None."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getitem__(self, name: str | ox.Variable) -> Any:
        key = name.value if isinstance(name, ox.Variable) else name
        return self._values.get(key)


class Solutions(list):
    """The solutions of a SELECT query, with ``variables`` as pyoxigraph's ``QuerySolutions`` has them."""

    def __init__(self, variables: list[str], rows: Iterable[Solution]):
        super().__init__(rows)
        self.variables = [ox.Variable(v) for v in variables]


class SparqlStore:
    def __init__(self, query_url: str, update_url: str | None = None, graph_store_url: str | None = None,
                 user: str | None = None, password: str | None = None, timeout: float = 300) -> None:  # fmt: skip
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store_url = graph_store_url
        self.timeout = timeout
        self._credentials = (user, password or "") if user is not None else None
        self._session = requests.Session()
        self.path = None  # not a directory: no store generations

    # -- HTTP -------------------------------------------------------------------------------------------------

    def _send(self, url: str, body: bytes, content_type: str, accept: str = "*/*", method: str = "POST",
              timeout: float | None = None) -> bytes:  # fmt: skip
        """The answer's body; TimeoutError when the whole exchange takes longer than ``timeout`` (the store's by
        default), however the server drips its answer.

        With credentials, the first request learns the server's scheme (Digest or Basic, from its 401); later ones
        send them at once, so that a large body is never refused halfway for want of them (Virtuoso resets the
        connection of an unauthenticated PUT of a few MB)."""
        seconds = timeout or self.timeout
        deadline = time.monotonic() + seconds
        headers = {"Content-Type": content_type, "Accept": accept}
        try:
            if self._credentials is not None and self._session.auth is None:
                self._learn_scheme(url)
            with self._session.request(method, url, data=body, headers=headers, timeout=seconds, stream=True) as answer:
                chunks = []
                for chunk in answer.iter_content(1 << 16):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{url} did not answer within {seconds:g} s")
                content = b"".join(chunks)
                if answer.status_code >= 400:
                    text = content[:2000].decode("utf-8", "replace")
                    raise SparqlStoreError(f"{url} answered {answer.status_code} {answer.reason}: {text}")
                return content
        except requests.Timeout:
            raise TimeoutError(f"{url} did not answer within {seconds:g} s") from None
        except requests.RequestException as error:
            raise SparqlStoreError(f"cannot reach the SPARQL server at {url}: {error}") from None

    def _learn_scheme(self, url: str) -> None:
        """Ask once, without a body, which authentication the server wants, and keep it for every request."""
        challenge = self._session.request("OPTIONS", url, timeout=self.timeout).headers.get("WWW-Authenticate", "")
        user, password = self._credentials or ("", "")
        if challenge.lower().startswith("basic"):
            self._session.auth = requests.auth.HTTPBasicAuth(user, password)
        else:
            self._session.auth = requests.auth.HTTPDigestAuth(user, password)
            # one small request, so that the digest (nonce, realm) is known before any large body goes out
            self._session.request("OPTIONS", url, timeout=self.timeout)

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update request (one request: the server applies it as one transaction)."""
        body = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
        self._send(self.update_url, body, "application/x-www-form-urlencoded")

    # -- reading ----------------------------------------------------------------------------------------------

    def query(self, sparql: str, *, union_default_graph: bool = True, default_graphs: Iterable[str] = (),
              named_graphs: Iterable[str] = (), timeout: float | None = None) -> Any:  # fmt: skip
        """Solutions (``Solutions``), a boolean, or a list of ``ox.Triple``, as ``OxigraphStore.query``.

        ``default_graphs`` and ``named_graphs`` go to the server as the protocol's ``default-graph-uri`` and
        ``named-graph-uri``; ``timeout`` (seconds) overrides the store's for this request (TimeoutError)."""
        if not union_default_graph:
            raise NotImplementedError("a SPARQL server store has no default graph of its own: query the union")
        form = query_form(sparql)
        fields = [("query", sparql), *(("default-graph-uri", g) for g in default_graphs),
                  *(("named-graph-uri", g) for g in named_graphs)]  # fmt: skip
        body = urllib.parse.urlencode(fields).encode("utf-8")
        if form in ("CONSTRUCT", "DESCRIBE"):
            answer = self._send(self.query_url, body, "application/x-www-form-urlencoded", "application/n-triples, "
                                "text/turtle;q=0.9", timeout=timeout)  # fmt: skip
            return [q.triple for q in ox.parse(answer, format=ox.RdfFormat.TURTLE)]
        answer = self._send(self.query_url, body, "application/x-www-form-urlencoded",
                            "application/sparql-results+json", timeout=timeout)  # fmt: skip
        result = json.loads(answer)
        if "boolean" in result:
            return bool(result["boolean"])
        variables = result["head"].get("vars", [])
        bindings = result["results"]["bindings"]
        if form == "ASK":  # Virtuoso 7.2 answers ASK with one row of ?__ASK_RETVAL
            return bool(bindings) and _term(bindings[0][variables[0]]).value not in ("0", "false")
        return Solutions(variables, (Solution({k: _term(v) for k, v in row.items()}) for row in bindings))

    def quads(self, subject=None, predicate=None, object=None, graph=None) -> Iterator[ox.Quad]:  # noqa: A002
        terms = {"s": subject, "p": predicate, "o": object, "g": graph}
        pattern = {k: (str(v) if v is not None else f"?{k}") for k, v in terms.items()}
        where = f"GRAPH {pattern['g']} {{ {pattern['s']} {pattern['p']} {pattern['o']} }}"
        free = [f"?{k}" for k, v in terms.items() if v is None]
        select = " ".join(free) or "*"
        filter_ = not_system_graph("?g") if graph is None else ""
        for row in self.query(f"SELECT {select} WHERE {{ {where} {filter_} }}"):
            values = {k: (v if v is not None else row[k]) for k, v in terms.items()}
            yield ox.Quad(values["s"], values["p"], values["o"], values["g"])

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_system_graph('?g')} }}")
        return iter(sorted((row["g"] for row in rows), key=lambda g: g.value))

    def __len__(self) -> int:
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {not_system_graph('?g')} }}")
        return int(rows[0]["n"].value)

    def dump(self, output: IO[bytes], format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        ox.serialize(self.quads(), output, format=format)

    # -- writing ----------------------------------------------------------------------------------------------

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad], then: str = "") -> None:
        """Make ``graph`` hold exactly ``quads``: in one request with the Graph Store Protocol for a graph of up to
        GSP_BATCH triples, or with SPARQL Update for one of up to INSERT_BATCH; ``then``, an update, goes with the
        (last) update request, or follows the PUT."""
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        if self.graph_store_url is not None:
            url = f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': graph.value})}"
            if not triples:
                self.remove_graph(graph)
            # Servers cap a request's body (Virtuoso resets the connection near 4 MB): a larger graph is PUT in
            # part, then the rest POSTed (appended) in parts, not in one transaction.
            for start in range(0, len(triples), GSP_BATCH):
                part = _ntriples(triples[start : start + GSP_BATCH]).encode("utf-8")
                self._send(url, part, "text/turtle", method="PUT" if start == 0 else "POST")
            if then:
                self.update(then)
            return
        if len(triples) <= INSERT_BATCH or _has_blank_nodes(triples):
            insert = f" ;\n{_insert({graph: triples})}" if triples else ""
            self.update(f"DROP SILENT GRAPH {graph}{insert}" + (f" ;\n{then}" if then else ""))
            return
        # Servers cap the size of an update (Virtuoso's SPARQL compiler runs out of memory near 5,000 triples), so
        # a larger graph goes in several requests, ``then`` with the last: not one transaction. The Graph Store
        # Protocol replaces any graph in one request.
        self.update(f"DROP SILENT GRAPH {graph}")
        for start in range(0, len(triples), INSERT_BATCH):
            last = start + INSERT_BATCH >= len(triples)
            self.update(
                _insert({graph: triples[start : start + INSERT_BATCH]}) + (f" ;\n{then}" if then and last else "")
            )

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in bulk, about INSERT_BATCH triples per request (a graph with blank nodes goes whole, in
        one request, so that its blank nodes stay one)."""
        by_graph: dict[Any, list[ox.Triple]] = {}
        for q in quads:
            if isinstance(q.graph_name, ox.DefaultGraph):
                raise ValueError("a SPARQL server store keeps every triple in a named graph: give each quad one")
            by_graph.setdefault(q.graph_name, []).append(ox.Triple(q.subject, q.predicate, q.object))
        batch: dict[Any, list[ox.Triple]] = {}
        size = 0
        for graph, triples in by_graph.items():
            if _has_blank_nodes(triples):
                self.update(_insert({graph: triples}))
                continue
            for start in range(0, len(triples), INSERT_BATCH):
                part = triples[start : start + INSERT_BATCH]
                batch.setdefault(graph, []).extend(part)
                size += len(part)
                if size >= INSERT_BATCH:
                    self.update(_insert(batch))
                    batch, size = {}, 0
        if batch:
            self.update(_insert(batch))

    def add(self, quad: ox.Quad) -> None:
        self.load([quad])

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def clear(self) -> None:
        """Remove every named graph but the server's own."""
        for graph in list(self.named_graphs()):
            self.remove_graph(graph)

    def flush(self) -> None:
        """Nothing to do: every request is applied when it returns."""

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SparqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# A query is its prologue (BASE and PREFIX declarations, with white space and comments between) and then its form's
# keyword (SPARQL 1.1 grammar, rules [2] to [6]); white space there is only space, tab, CR and LF.
_PROLOGUE = re.compile(
    r"(?:[ \t\r\n]+|#[^\r\n]*|BASE[ \t\r\n]*<[^>]*>|PREFIX[ \t\r\n]*[^ \t\r\n:]*:[ \t\r\n]*<[^>]*>)*"
    r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def query_form(sparql: str) -> str:
    """The form of a query, SELECT, ASK, CONSTRUCT or DESCRIBE: what kind of answer to ask the server for.

    >>> query_form("PREFIX ex: <http://x/#SELECT> # ASK\\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    match = _PROLOGUE.match(sparql)
    if match is None:
        raise ValueError("not a SPARQL query: it should be a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return match.group(1).upper()


def not_system_graph(variable: str) -> str:
    """A FILTER that leaves out the graphs a SPARQL server keeps for itself (nothing on Oxigraph)."""
    return "".join(f'FILTER (!STRSTARTS(STR({variable}), "{prefix}")) ' for prefix in SYSTEM_GRAPHS)


def _insert(batch: dict[Any, list[ox.Triple]]) -> str:
    """``INSERT DATA``; or ``INSERT { … } WHERE {}`` when there are blank nodes, which Virtuoso refuses in
    ``INSERT DATA`` (but it caps the other form at a few thousand triples)."""
    graphs = "\n".join(f"GRAPH {graph} {{\n{_ntriples(triples)}}}" for graph, triples in batch.items())
    if any(_has_blank_nodes(triples) for triples in batch.values()):
        return f"INSERT {{\n{graphs}\n}} WHERE {{}}"
    return f"INSERT DATA {{\n{graphs}\n}}"


def _has_blank_nodes(triples: list[ox.Triple]) -> bool:
    return any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)


def _ntriples(triples: Iterable[ox.Triple]) -> str:
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def _term(value: dict) -> Any:
    """A term of the SPARQL 1.1 JSON results format (and Virtuoso's older ``typed-literal``) as pyoxigraph's."""
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode("".join(c if c.isalnum() else "_" for c in value["value"].removeprefix("_:")) or None)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return ox.Literal(value["value"], language=value["xml:lang"])
        if value.get("datatype"):
            text = value["value"]
            if value["datatype"] == XSD_BOOLEAN:  # Virtuoso writes xsd:boolean as 1 and 0
                text = {"1": "true", "0": "false"}.get(text, text)
            return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    if kind == "triple":
        inner = value["value"]
        return ox.Triple(_term(inner["subject"]), _term(inner["predicate"]), _term(inner["object"]))
    raise SparqlStoreError(f"unknown term type {kind!r} in the server's answer")
