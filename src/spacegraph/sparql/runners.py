"""The query runners of one web worker: query processes on the embedded store, or clients of the SPARQL server the
store is on. The one place in the query service that depends on which; ``store.open`` says which it is."""

from __future__ import annotations

from spacegraph.settings import Settings
from spacegraph.sparql.remote import RemoteQueryRunner
from spacegraph.sparql.runner import QueryRunner
from spacegraph.store.open import sparql_server


def query_runners(settings: Settings) -> list[QueryRunner] | list[RemoteQueryRunner]:
    """``SPACEGRAPH_QUERY_PROCESSES`` runners: the /sparql queries one web worker answers at once."""
    processes = max(1, settings.query_processes)
    server = sparql_server(settings)
    if server is not None:
        return [RemoteQueryRunner(server, settings.query_timeout) for _ in range(processes)]
    return [
        QueryRunner(
            settings.store,
            settings.query_timeout,
            settings.query_memory_quads,
            settings.workers * processes,  # every query process of every worker makes its copy
            settings.query_memory_limit * 2**20,
        )
        for _ in range(processes)
    ]
