"""The query runners of one web worker: query processes on the embedded store, or clients of the SPARQL server the
store is on. The one place in the query service that depends on which; ``store.open`` says which it is."""

from __future__ import annotations

from spacegraph.settings import Settings
from spacegraph.sparql.remote import RemoteQueryRunner
from spacegraph.sparql.runner import QueryRunner
from spacegraph.store.open import sparql_server


def query_runners(settings: Settings) -> list[QueryRunner] | list[RemoteQueryRunner]:
    """The runners of the /sparql queries one web worker answers at once, in the order they are preferred:
    ``SPACEGRAPH_QUERY_PROCESSES`` query processes that answer from their copy of the store in memory, then one
    spare that answers from the store on disk (it makes no copy, so it costs little memory). Under gunicorn's
    threads a worker takes a request while its query process runs a long query; the spare answers it then,
    rather than turning it away."""
    processes = max(1, settings.query_processes)
    server = sparql_server(settings)
    if server is not None:
        return [RemoteQueryRunner(server, settings.query_timeout) for _ in range(processes + 1)]

    def runner(memory_quads: int) -> QueryRunner:
        copies = settings.workers * processes  # every copying query process of every worker makes its copy
        return QueryRunner(settings.store, settings.query_timeout, memory_quads, copies,
                           settings.query_memory_limit * 2**20)  # fmt: skip

    return [*(runner(settings.query_memory_quads) for _ in range(processes)), runner(0)]
