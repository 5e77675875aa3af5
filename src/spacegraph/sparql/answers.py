"""/sparql answers kept in memory per data version, and the guard's verdict kept per query text.

The data changes only at a commit, and a commit gives it a new version (``spacegraph.store.open.data_version``), so
an answer is known by its request and the version it was computed on: the query text, the dataset
(``default-graph-uri``, ``named-graph-uri``), the result format, the row limit, the base IRI and the version. A
repeated request is then answered from memory without reaching a query process. (Validators and 304s come from the
data version too, for every read-only answer alike: ``spacegraph.web.transfer``.)

The cache is bounded in bytes (least recently used answers go first) and holds each web worker's answers for its
threads; an answer larger than ``max_entry_bytes`` is passed through and not kept. Answers of an older version are
dropped as soon as one of a newer version is kept: no request can ask for them again.

Keys and kept answers (each a ``NamedTuple`` of strings, numbers and bytes) are stored as plain tuples, which
CPython's cyclic garbage collector stops tracking after their first collection (it keeps tracking a
``NamedTuple``): a cache of a few hundred thousand small answers (a stream of new query texts) would otherwise
be scanned at every full collection, a pause of up to a second in which the worker answers nothing
(bench/README.md, issue 19).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from spacegraph.sparql.guard import check_query
from spacegraph.sparql.runner import QueryAnswer, QueryRequest

MAX_BYTES = 64 * 2**20  # per web worker
MAX_ENTRY_BYTES = 8 * 2**20
MEMO_QUERY_CHARS = (
    8192  # the guard's verdict is kept for queries up to this length (a longer scan is cheap beside its run)
)


class Versioned(Hashable, Protocol):
    """A key of the cache: the data version is part of it."""

    @property
    def version(self) -> str: ...


class Whole(Protocol):
    """A value of the cache: a whole answer."""

    @property
    def body(self) -> bytes | None: ...


class AnswerKey(NamedTuple):
    """What an answer depends on."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    media_type: str
    max_rows: int
    base_iri: str
    version: str

    def request(self, form: str) -> QueryRequest:
        return QueryRequest(self.query, form, self.media_type, list(self.default_graphs), list(self.named_graphs),
                            self.max_rows, self.base_iri)  # fmt: skip


class KeptAnswer(NamedTuple):
    """An answer as the cache keeps it (see the module's documentation)."""

    media_type: str
    truncated: bool
    body: bytes
    engine: str
    seconds: float


def checked_form(query: str, max_bytes: int, max_depth: int) -> str:
    """``guard.check_query``, its verdict on a short query kept by text (a refusal is not kept: it raises again)."""
    if len(query) > MEMO_QUERY_CHARS:
        return check_query(query, max_bytes=max_bytes, max_depth=max_depth)
    return _checked_form(query, max_bytes, max_depth)


@lru_cache(maxsize=1024)
def _checked_form(query: str, max_bytes: int, max_depth: int) -> str:
    return check_query(query, max_bytes=max_bytes, max_depth=max_depth)


class AnswerCache:
    """Whole answers by key (an ``AnswerKey``, or any ``NamedTuple`` with a version), at most ``max_bytes`` of them,
    the least recently used dropped first; every answer kept is of one data version. Thread-safe: a web worker's
    threads share one.

    A value is a ``NamedTuple`` with a ``body`` (``KeptAnswer``, or the kind ``kept`` makes from a tuple). Keys and
    values are kept as plain tuples, which the garbage collector stops tracking (a ``NamedTuple`` stays tracked), and
    ``get`` makes the value again with ``kept``."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_entry_bytes: int = MAX_ENTRY_BYTES,
                 kept: Callable[[Iterable[Any]], Whole] = KeptAnswer._make):  # fmt: skip
        self.max_bytes, self.max_entry_bytes = max_bytes, min(max_entry_bytes, max_bytes)
        self._kept = kept
        self._answers: OrderedDict[tuple, tuple] = OrderedDict()
        self._firsts: Counter[Any] = Counter()  # the keys' first fields (the query), for ``holds_first``
        self._lock = threading.Lock()
        self.size = 0  # bytes of the bodies kept
        self.version: str | None = None  # the version of the answers kept
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._answers)

    def holds_first(self, first: Any) -> bool:
        """Whether an answer is kept under a key whose first field is ``first``: a quick look, before a whole key is
        made (``spacegraph.web.worker.HeadFirstWorker``)."""
        return first in self._firsts

    def get(self, key: Versioned) -> Any:
        """The value kept for ``key``, or None."""
        with self._lock:
            value = self._answers.get(key)  # type: ignore[call-overload]  # a NamedTuple is equal to its plain tuple
            if value is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)  # type: ignore[arg-type]
            self.hits += 1
        return self._kept(value)

    def put(self, key: Versioned, answer: Whole) -> None:
        """Keep a whole answer (``answer.body``), unless it is larger than an entry may be."""
        body = answer.body
        if body is None or len(body) > self.max_entry_bytes:
            return
        with self._lock:
            if key.version != self.version:  # a commit: the answers of the version before cannot be asked for again
                self._answers.clear()
                self._firsts.clear()
                self.size, self.version = 0, key.version
            plain: tuple = tuple(key)  # type: ignore[arg-type]
            old = self._answers.pop(plain, None)
            if old is not None:
                self.size -= self._length(old)
            else:
                self._firsts[plain[0]] += 1
            self._answers[plain] = tuple(answer)  # type: ignore[arg-type]
            self.size += len(body)
            while self.size > self.max_bytes:
                dropped_key, dropped = self._answers.popitem(last=False)
                self.size -= self._length(dropped)
                self._firsts[dropped_key[0]] -= 1
                if not self._firsts[dropped_key[0]]:
                    del self._firsts[dropped_key[0]]

    def _length(self, kept: tuple) -> int:
        return len(self._kept(kept).body or b"")

    def answer(self, key: AnswerKey, run: Callable[[], QueryAnswer]) -> QueryAnswer:
        """The kept answer to ``key``, or ``run()``'s, which is kept once it has been read whole (a streamed answer
        as its chunks pass, up to ``max_entry_bytes``)."""
        kept = self.get(key)
        if kept is not None:
            return QueryAnswer(kept.media_type, kept.truncated, body=kept.body, engine="cache", seconds=0.0)
        return self.kept_as_read(key, run())

    def kept_as_read(self, key: AnswerKey, answer: QueryAnswer) -> QueryAnswer:
        """``answer`` to ``key``, kept: now when whole, else as its chunks are read."""
        if answer.body is not None:
            self._keep(key, answer, answer.body)
        elif answer.chunks is not None:
            answer.chunks = Recording(answer.chunks, self.max_entry_bytes, lambda body: self._keep(key, answer, body))
        return answer

    def _keep(self, key: AnswerKey, answer: QueryAnswer, body: bytes) -> None:
        self.put(key, KeptAnswer(answer.media_type, answer.truncated, body, answer.engine, answer.seconds))


class Recording:
    """A streamed answer's chunks (any iterable, a WSGI answer too), passed on as they come and copied while they fit
    in ``limit`` bytes; ``keep`` gets the whole body when the stream ended normally (not when it failed or was closed
    early)."""

    def __init__(self, chunks: Iterable[bytes], limit: int, keep: Callable[[bytes], None]):
        self.source, self.chunks, self.limit, self.keep = chunks, iter(chunks), limit, keep
        self.parts: list[bytes] | None = []
        self.size = 0

    def __iter__(self) -> Recording:
        return self

    def __next__(self) -> bytes:
        try:
            chunk = next(self.chunks)
        except StopIteration:
            if self.parts is not None:
                self.keep(b"".join(self.parts))
                self.parts = None
            raise
        if self.parts is not None:
            self.size += len(chunk)
            if self.size > self.limit:
                self.parts = None
            else:
                self.parts.append(chunk)
        return chunk

    def close(self) -> None:
        self.parts = None
        close = getattr(self.source, "close", None)
        if close is not None:
            close()
