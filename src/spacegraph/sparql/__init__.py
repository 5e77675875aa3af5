"""The SPARQL 1.1 query service: guarding queries, running them under a deadline, writing results.

``guard`` refuses what must never reach the engine (updates, federation, crash-prone nesting, huge queries);
``results`` chooses and writes result formats (SPARQL 1.1 Protocol content negotiation); ``runner`` runs a
query in a worker process that can be killed at its deadline, streaming the serialized results back.
"""
