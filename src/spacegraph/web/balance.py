"""Connections shared out evenly among `spacegraph serve`'s workers: least connections first.

gunicorn's workers all wait on one listening socket, and whichever wakes first takes the next connection. Clients
that keep their connections alive then stay with the worker that happened to be awake: 32 connections opened at
once were held 26 by one worker and 6 by another, with the third idle (bench/README.md, issue 19). A worker answers
its connections with its own interpreter and its own query processes, so the connections of the busy one queued
behind each other while cores sat idle, and the slowest hundredth of the answers took four times the median.

So each worker publishes how many connections it holds in a table the workers share (an anonymous shared mapping
made by gunicorn's master before it forks them), and takes a new connection only while it holds no more than any
other live worker: the policy of nginx's ``least_conn`` and HAProxy's ``leastconn``, applied where the connection is
accepted. The worker holding the fewest always accepts, so a connection is never left without a taker. A worker
that has not written its row for ``STALE_SECONDS`` (it has ended, or is stuck) is left out of the comparison.
"""

from __future__ import annotations

import mmap
import struct
import time

SLOTS = 256  # rows of the table: more than any number of workers a machine runs at once
_USED = struct.Struct("=q")  # the table's head: how many rows have been given out (the master writes it)
# A worker that holds more than another does not accept, and nothing wakes it when the others catch up: it looks again
# this often (else a new connection could wait for gunicorn's one-second poll while every worker thought it not its turn)
TURN_SECONDS = 0.01
STALE_SECONDS = 3.0  # a worker's poller writes its row at least once a second (gunicorn's poll timeout)
_ROW = struct.Struct("=dq")  # when the row was last written (time.monotonic, shared by all processes), connections


class ConnectionTable:
    """The shared table: one row per worker, which only that worker writes."""

    def __init__(self, slots: int = SLOTS):
        self.slots = slots
        # anonymous and shared: the workers forked after it is made all see the one table
        self._map = mmap.mmap(-1, _USED.size + slots * _ROW.size)

    def take_slot(self, taken: set[int]) -> int:
        """A free row for a worker about to start (in the master, before the fork): the first not in ``taken``."""
        slot = next(index for index in range(self.slots) if index not in taken)
        _ROW.pack_into(self._map, self._offset(slot), 0.0, 0)  # not live until the worker writes it
        _USED.pack_into(self._map, 0, max(slot + 1, self._used()))
        return slot

    def write(self, slot: int, connections: int) -> None:
        _ROW.pack_into(self._map, self._offset(slot), time.monotonic(), connections)

    def retire(self, slot: int) -> None:
        """The worker in ``slot`` takes no more connections (it is stopping): left out of the comparison at once."""
        _ROW.pack_into(self._map, self._offset(slot), 0.0, 0)

    def fewest_elsewhere(self, slot: int) -> int | None:
        """The fewest connections any other live worker holds; None when there is no other live worker."""
        now = time.monotonic()
        fewest = None
        for index in range(self._used()):
            if index == slot:
                continue
            written, connections = _ROW.unpack_from(self._map, self._offset(index))
            if now - written <= STALE_SECONDS and (fewest is None or connections < fewest):
                fewest = connections
        return fewest

    def may_accept(self, slot: int, connections: int) -> bool:
        """Whether the worker in ``slot``, holding ``connections``, takes the next connection: when no other live
        worker holds fewer. Its row is written with the count."""
        self.write(slot, connections)
        fewest = self.fewest_elsewhere(slot)
        return fewest is None or connections <= fewest

    def _used(self) -> int:
        return _USED.unpack_from(self._map, 0)[0]

    @staticmethod
    def _offset(slot: int) -> int:
        return _USED.size + slot * _ROW.size


def give_slot(arbiter, worker) -> None:
    """gunicorn's ``pre_fork`` hook, in the master: the worker about to be forked gets the table and a row of its own
    (one no live worker has: a worker that ended leaves its row to the next)."""
    table = getattr(arbiter, "connection_table", None)
    if table is None:
        table = arbiter.connection_table = ConnectionTable()
    taken = {getattr(other, "connection_slot", -1) for other in arbiter.WORKERS.values()}
    worker.connection_table, worker.connection_slot = table, table.take_slot(taken)
