"""The query process's copy of the store in memory: the same answers as the store on disk, dropped for a new
generation, not made for a store above the limit, and named in each answer's Server-Timing header."""

from __future__ import annotations

import dataclasses
import itertools
import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from tests.serving import serving

from spacegraph.sparql.memory_copy import Stores
from spacegraph.store.oxigraph import clone_generation, generation_of, new_generation, publish
from spacegraph.web import create_app
from spacegraph.web.queries import example_queries

PERSON = ox.NamedNode("https://w3id.org/spacegraph/id/person/test-copy")
NAME = ox.NamedNode("https://schema.org/name")
GRAPH = ox.NamedNode("https://w3id.org/spacegraph/graph/test-copy")


@pytest.fixture
def store(built_settings, tmp_path):
    """A private published store (a copy of the session's), so that a test can publish a new generation."""
    path = tmp_path / "store"
    generation = new_generation(path)
    ox.Store.read_only(str(generation_of(built_settings.store))).backup(str(generation))
    publish(path, generation)
    return path


def copied(stores: Stores) -> tuple[ox.Store, str]:
    found = stores.current()
    assert found is not None
    if stores.copying is not None:
        stores.copying.join(60)
    found = stores.current()
    assert found is not None
    return found


def rows(store: ox.Store, query: str) -> list:
    """The answer, sorted; a GROUP_CONCAT's items in order too, as SPARQL leaves their order to the engine."""
    answer = store.query(query, use_default_graph_as_union=True)
    if isinstance(answer, ox.QueryBoolean):
        return [bool(answer)]
    if isinstance(answer, ox.QuerySolutions):
        return sorted(tuple(canonical(value) for value in solution) for solution in answer)
    return sorted(str(triple) for triple in answer)


def canonical(value: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if not isinstance(value, ox.Literal):
        return str(value)
    return f"{sorted(re.split('; |, ', value.value))} {value.language} {value.datatype}"


def test_the_copy_answers_every_example_query_as_the_disk_store_does(store):
    stores = Stores(store, 10_000_000)
    memory, engine = copied(stores)
    assert engine == "memory" and memory is not stores.disk
    assert len(memory) == len(stores.disk) > 1000
    for example in example_queries():
        answer = rows(memory, example.text)
        assert answer == rows(stores.disk, example.text), example.name
        assert answer, f"{example.name} has no answer: the comparison would prove nothing"


def test_a_new_generation_is_answered_at_once_from_disk_and_then_from_its_own_copy(store):
    stores = Stores(store, 10_000_000)
    assert copied(stores)[1] == "memory"
    ask = f'ASK {{ {PERSON} {NAME} "Test Copy" }}'
    generation = clone_generation(store)
    writer = ox.Store(str(generation))
    writer.add(ox.Quad(PERSON, NAME, ox.Literal("Test Copy"), GRAPH))
    del writer
    publish(store, generation)
    found = stores.current()
    assert found is not None and found[1] == "disk" and bool(found[0].query(ask, use_default_graph_as_union=True))
    memory, engine = copied(stores)
    assert engine == "memory" and bool(memory.query(ask, use_default_graph_as_union=True))


def test_the_copy_waits_while_a_query_is_answered(store):
    stores = Stores(store, 10_000_000)
    with stores.answering():
        stores.current()  # starts the copy
        time.sleep(0.3)  # a copy of this store takes a few milliseconds when it is let run
        assert stores.progress == 0 and stores.memory is None
    assert copied(stores)[1] == "memory" and stores.progress == len(stores.disk)  # type: ignore[arg-type]


def test_an_empty_named_graph_is_copied_too(store):
    generation = clone_generation(store)
    writer = ox.Store(str(generation))
    writer.add_graph(GRAPH)
    del writer
    publish(store, generation)
    memory, engine = copied(Stores(store, 10_000_000))
    assert engine == "memory" and bool(memory.query(f"ASK {{ GRAPH {GRAPH} {{}} }}"))


def test_a_copy_that_would_take_more_than_half_the_available_memory_is_not_made(store):
    stores = Stores(store, 10**12)
    assert stores.too_large(1000) == ""  # half a megabyte
    reason = stores.too_large(10**12 // 2)  # 250 TB: more than any machine here has
    assert "more than half of the" in reason and "MB available" in reason
    quads = 10**6  # 0.5 GB: one copy fits here, ten thousand (one per web worker) do not
    assert Stores(store, 10**12, copies=1).too_large(quads) == ""
    assert "10000 copies of 1,000,000 quads" in Stores(store, 10**12, copies=10_000).too_large(quads)


def test_a_store_above_the_limit_is_not_copied(store):
    stores = Stores(store, 100)
    assert copied(stores)[1] == "disk" and stores.progress == 0
    assert "above SPACEGRAPH_QUERY_MEMORY_QUADS (100)" in stores.too_large(len(stores.disk))  # type: ignore[arg-type]
    assert Stores(store, 0).current()[1] == "disk"  # type: ignore[index]
    assert Stores(store, 0).copying is None


PROBES = itertools.count()


def server_timing(client) -> tuple[str, float]:
    """What answered a query: a new text each time, so that it is never an answer kept from before."""
    response = client.get("/sparql", query_string={"query": f"ASK {{ ?s ?p ?o }} # probe {next(PROBES)}"})
    assert response.status_code == 200
    found = re.fullmatch(r'query;dur=([0-9.]+);desc="(\w+)"', response.headers["Server-Timing"])
    assert found, response.headers["Server-Timing"]
    return found[2], float(found[1])


@pytest.mark.parametrize(("limit", "expected"), [(10_000_000, "memory"), (0, "disk")])
def test_answers_say_what_answered_them(built_settings, limit, expected):
    settings = dataclasses.replace(built_settings, query_memory_quads=limit)
    app = create_app({"SETTINGS": settings, "TESTING": True})
    try:
        client = app.test_client()
        engine, _ = server_timing(client)
        deadline = time.monotonic() + 60
        while engine != expected and time.monotonic() < deadline:
            time.sleep(0.05)
            engine, _ = server_timing(client)
        assert engine == expected
    finally:
        app.extensions["sparql"].stop()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_each_web_worker_starts_its_query_process_as_it_boots(built_settings):
    """So that the copy is being made before the first query: no /sparql request is sent here."""
    with serving(built_settings, workers=2) as (server, _):
        deadline = time.monotonic() + 30
        while True:
            runners = [
                child
                for worker in children(server.pid)
                for child in children(worker)
                if b"spacegraph.sparql.runner" in Path(f"/proc/{child}/cmdline").read_bytes()
            ]
            if len(runners) == 4 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(runners) == 4  # per worker: a query process with its copy in memory, and the spare
