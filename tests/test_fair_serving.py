"""Fairness under load (issue 19): connections shared out evenly among the workers (least connections first,
``spacegraph.web.balance``), and a worker's query processes handed to waiting queries in the order they came
(``spacegraph.web.sparql.QueryPool``). Without either, 32 clients saw a p99 three to four times their median."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from tests.serving import serving

from spacegraph.sparql.runner import QueryRunner
from spacegraph.web import balance
from spacegraph.web.balance import ConnectionTable, give_slot
from spacegraph.web.sparql import QueryPool


def test_a_worker_takes_a_connection_only_while_no_other_holds_fewer():
    table = ConnectionTable(slots=8)
    slots = [table.take_slot(set(range(k))) for k in range(3)]
    assert slots == [0, 1, 2]
    for slot, held in zip(slots, (4, 5, 5), strict=True):
        table.write(slot, held)
    assert table.may_accept(0, 4)  # the fewest
    assert not table.may_accept(1, 5)
    assert table.may_accept(0, 5)  # level with the fewest other
    assert not table.may_accept(0, 6)


def test_a_worker_that_stopped_writing_is_left_out(monkeypatch):
    table = ConnectionTable(slots=4)
    for slot in (table.take_slot(set()), table.take_slot({0})):
        table.write(slot, 0)
    assert not table.may_accept(0, 3)
    now = time.monotonic()
    table.write(0, 3)
    monkeypatch.setattr(balance.time, "monotonic", lambda: now + balance.STALE_SECONDS + 1)
    assert table.fewest_elsewhere(0) is None  # slot 1 wrote last STALE_SECONDS ago: ended, or stuck
    assert table.may_accept(0, 3)
    assert table.fewest_elsewhere(1) == 3  # slot 0 has just written again


def test_a_stopping_worker_is_left_out_at_once():
    table = ConnectionTable(slots=4)
    for slot in (table.take_slot(set()), table.take_slot({0})):
        table.write(slot, 0)
    table.write(1, 5)
    assert table.fewest_elsewhere(1) == 0
    table.retire(0)
    assert table.fewest_elsewhere(1) is None  # no other worker: slot 1 takes every connection
    assert table.may_accept(1, 5)


def test_a_new_worker_gets_a_row_no_live_worker_has():
    class Worker:
        pass

    arbiter = type("Arbiter", (), {"WORKERS": {}})()
    for pid in (101, 102, 103):
        worker = Worker()
        give_slot(arbiter, worker)
        arbiter.WORKERS[pid] = worker
    assert sorted(w.connection_slot for w in arbiter.WORKERS.values()) == [0, 1, 2]
    assert len({id(w.connection_table) for w in arbiter.WORKERS.values()}) == 1  # one table for all
    del arbiter.WORKERS[102]  # it ended: the next worker takes its row
    replacement = Worker()
    give_slot(arbiter, replacement)
    assert replacement.connection_slot == 1


def _connections_by_worker(master: int, port: int) -> list[int]:
    """How many established TCP connections to ``port`` each worker of the gunicorn ``master`` holds (from /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":  # local port, ESTABLISHED
            inodes.add(fields[9])
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    counts = []
    for pid in children:
        held = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            held += target.startswith("socket:[") and target[8:-1] in inodes
        counts.append(held)
    return counts


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="counts connections from Linux's /proc")
def test_kept_alive_connections_are_shared_out_evenly(built_settings):
    with serving(built_settings, workers=3) as (process, url):
        port = urllib.parse.urlsplit(url).port
        request = b"GET /static/spacegraph.css HTTP/1.1\r\nHost: test\r\n\r\n"
        for _ in range(10):  # every worker has answered it once (it is kept), and has written its row
            urllib.request.urlopen(url + "/static/spacegraph.css", timeout=10).close()
        time.sleep(balance.STALE_SECONDS / 2)
        held = []
        try:
            # One after another, each answered (so taken by a worker) and kept open: all within gunicorn's 2 s of
            # keep-alive
            for _ in range(30):
                connection = socket.create_connection(("127.0.0.1", port), timeout=10)
                connection.sendall(request)
                assert connection.recv(64).startswith(b"HTTP/1.1 ")
                held.append(connection)
            counts = _connections_by_worker(process.pid, port)
        finally:
            for connection in held:
                connection.close()
    assert len(counts) == 3 and sum(counts) == 30, counts
    assert max(counts) - min(counts) <= 1, counts


def _runners(count: int) -> list[QueryRunner]:
    return [QueryRunner(Path("unused"), timeout=1) for _ in range(count)]  # never started: only handed round


def test_a_released_query_process_goes_to_the_query_waiting_longest():
    pool = QueryPool(_runners(1), wait=10)
    runner = pool.acquire()
    got: list[str] = []
    done = threading.Event()

    def wait_for_it(name: str) -> None:
        taken = pool.acquire()
        got.append(name)
        assert taken is runner
        if name == "last":
            done.set()
        pool.release(taken)

    waiters = []
    for name in ("first", "second", "last"):
        waiters.append(threading.Thread(target=wait_for_it, args=(name,)))
        waiters[-1].start()
        while len(pool._waiting) < len(waiters):  # it is in the line before the next one comes
            time.sleep(0.001)
    pool.release(runner)
    assert done.wait(10)
    assert got == ["first", "second", "last"]


def test_a_query_that_comes_later_does_not_go_ahead_of_one_waiting():
    pool = QueryPool(_runners(1), wait=10)
    runner = pool.acquire()
    taken: list = []
    hold = threading.Event()

    def waiting() -> None:
        taken.append(pool.acquire())
        hold.wait(10)
        pool.release(taken[0])

    thread = threading.Thread(target=waiting)
    thread.start()
    while not pool._waiting:
        time.sleep(0.001)
    pool.wait = 0.2
    pool.release(runner)
    late = pool.acquire()  # at once after the release: it would have taken the runner from the waiting query
    hold.set()
    thread.join(10)
    assert late is None and taken == [runner]
    assert pool.acquire() is runner  # free again once released


def test_the_heartbeat_is_given_at_most_once_a_second(monkeypatch):
    """gunicorn's loop beats (a system call) on every event; the worker passes one beat a second to the master."""
    from gunicorn.config import Config
    from gunicorn.workers.workertmp import WorkerTmp

    from spacegraph.web import worker as worker_module

    worker = worker_module.HeadFirstWorker.__new__(worker_module.HeadFirstWorker)
    worker.tmp = WorkerTmp(Config())
    worker._heartbeat = worker._parent_seen = 0.0
    worker.ppid = -1  # not this process's parent: the look for it, when made, says the parent is gone
    worker.log = logging.getLogger("test")
    try:
        worker.notify()
        first = worker.tmp.last_update()
        time.sleep(0.01)
        worker.notify()
        assert worker.tmp.last_update() == first  # within the second: not given again
        assert not worker.is_parent_alive()  # the first look is made
        assert worker.is_parent_alive()  # the next, within the second, is not
        now = time.monotonic()
        monkeypatch.setattr(worker_module.time, "monotonic", lambda: now + worker_module.HEARTBEAT_SECONDS + 1)
        worker.notify()
        assert worker.tmp.last_update() != first
        assert not worker.is_parent_alive()
    finally:
        worker.tmp.close()
