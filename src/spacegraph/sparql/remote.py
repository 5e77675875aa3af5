"""Running /sparql queries on the SPARQL server the store is on, with the same guard, formats, row limit and
deadline as on the embedded store.

The query goes to the server as it came (after the guard), with the request's ``default-graph-uri`` and
``named-graph-uri``; the answer comes back as SPARQL JSON results or N-Triples and is written out by the same
writers as an Oxigraph answer. The deadline is the HTTP request's timeout: when it passes, the client gets 503
and this worker moves on (the server stops the query at its own limit, e.g. Virtuoso's MaxQueryExecutionTime).
"""

from __future__ import annotations

import time

from spacegraph.sparql.runner import Buffer, QueryAnswer, QueryFailed, QueryRequest, QueryTimeout, write_answer
from spacegraph.store.sparql import SparqlStore, SparqlStoreError
from spacegraph.vocab.sparql import PREFIX_HEADER


class RemoteQueryRunner:
    def __init__(self, store: SparqlStore, timeout: float):
        self.store, self.timeout = store, timeout

    def run(self, request: QueryRequest) -> QueryAnswer:
        started = time.monotonic()
        try:
            # the project's prefixes, declared as on the embedded store (spacegraph.sparql.runner.DECLARED_PREFIXES)
            answer = self.store.query(PREFIX_HEADER + request.sparql, default_graphs=request.default_graphs,
                                      named_graphs=request.named_graphs, timeout=self.timeout)  # fmt: skip
        except TimeoutError:
            raise QueryTimeout(
                f"the query ran longer than {self.timeout:g} s and was stopped: add LIMIT or narrow the patterns"
            ) from None
        except SparqlStoreError as error:
            raise QueryFailed(f"the query failed: {error}", 400) from None
        seconds = time.monotonic() - started
        sink = Buffer()
        write_answer(answer, request, sink)
        return QueryAnswer(request.media_type, sink.truncated, body=sink.body, engine="server", seconds=seconds)

    def start(self) -> None:
        """Nothing to start: the server is already running."""

    def stop(self) -> None:
        """Nothing runs between requests."""
