"""Running the app under gunicorn, the production WSGI server, from `spacegraph serve`: gunicorn's threaded worker
with deadlines for slow clients (``spacegraph.web.worker``, issue 13, "Hardening").

A GET /sparql answered before on the same data version is answered again from memory before Flask sees it
(``spacegraph.web.kept``), and a new query of a kind Flask has answered before is answered without Flask too
(``spacegraph.web.direct``): keep-alive connections and little per-request work make small queries cheap. On a
kept-alive connection, a request whose whole answer is kept does not even take a thread (``spacegraph.web.worker``).
The workers take new connections least-connections first (``spacegraph.web.balance``), and a worker's query processes
go to its waiting queries in the order they came (``spacegraph.web.sparql.QueryPool``).

Warm from the first request (issue 17): each worker loads what the pages need from the data version (the
projections, the network view's catalogue, the name index, then the most asked pages' own caches) in a thread of its
own as soon as it starts (``keep_warm``), so that its boot stays far within gunicorn's timeout (the worker heartbeats
meanwhile) and the loading is not on a request's path; the worker's query processes start once it is done (their
copies of a large store in memory took the CPU it needed). A request that needs a part still being loaded waits for that
part (``Published.once``), in its thread, while the worker keeps its heartbeat and answers the requests that do not
need it (the home page, entity pages, /sparql): rather than a 503, which every client would have to retry, since
the wait is bounded by the loading itself (seconds). When a commit publishes a new version, the same thread sees it
within ``WATCH_SECONDS`` and loads it in the background while the version before keeps answering (``Spacegraph.load_in_background``). Loading in the master before the fork (gunicorn's
``preload_app``) was not chosen: the store and the query processes must be opened after the fork, CPython's
reference counts copy the shared pages as soon as a worker reads them, every commit is loaded per worker anyway, and
the master binds the port only once loaded (bench/README.md, "First request after a start").

/sparql queries are bounded separately, per worker, by its query processes (spacegraph.web.sparql.QueryPool).
The rest of the app runs in threads: its store (pyoxigraph) is safe to read from several threads, and rdflib is
only used on graphs each request makes for itself (the service description).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from spacegraph.settings import Settings
from spacegraph.web.balance import give_slot
from spacegraph.web.direct import DirectAnswers
from spacegraph.web.kept import KeptAnswers
from spacegraph.web.worker import ClientDeadlines


class SpacegraphServer(BaseApplication):
    """gunicorn with the app built by ``create_app`` in each worker process."""

    def __init__(self, settings: Settings):
        self.settings_ = settings
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"{self.settings_.host}:{self.settings_.port}")
        self.cfg.set("workers", self.settings_.workers)
        self.cfg.set("worker_class", "spacegraph.web.worker.HeadFirstWorker")
        self.cfg.set("threads", self.settings_.threads)
        if self.settings_.access_log:
            self.cfg.set("accesslog", "-")
        self.cfg.set("timeout", 60)
        self.cfg.set("post_worker_init", _worker_started)
        self.cfg.set("pre_fork", give_slot)  # least connections first (spacegraph.web.balance)

    def load(self):
        from spacegraph.web import create_app

        app = create_app({"SETTINGS": self.settings_})
        answers = app.wsgi_app
        if not self.settings_.remote:  # the version is a link to read, not a request to a server
            direct = app.extensions["direct_answers"] = DirectAnswers(answers, app)
            answers = KeptAnswers(direct, app.extensions["spacegraph"].version)
            app.extensions["kept_answers"] = answers  # for the worker's poller (HeadFirstWorker, web.asking)
        app.wsgi_app = ClientDeadlines(answers, self.settings_.client_timeout)  # type: ignore[method-assign]
        return app


FRESH_WAIT = 10.0  # seconds a request waits for a version just committed before the version before answers
WATCH_SECONDS = 1.0  # how often the loading thread looks for a new data version
# Pages whose own caches are filled once a version is loaded, the most asked first. Not /analysis/bridges: at 10^6
# quads it computes for more than a minute, in every worker (bench/README.md).
WARM_PATHS = ("/", "/api/network", "/network", "/analysis/rank", "/analysis/continuity", "/search?q=a",
              "/analysis/communities")  # fmt: skip


def _worker_started(worker) -> None:
    """Each worker starts its thread that loads each data version, which then starts the query processes."""
    threading.Thread(target=keep_warm, args=(worker.wsgi, worker.log.info), name="warming", daemon=True).start()


def keep_warm(app, say: Callable[[str], None], rounds: int | None = None) -> None:
    """Load the published version, then each version a commit publishes (in the background: the version before
    answers meanwhile), and fill the caches of the pages in WARM_PATHS for it; ``say`` tells what is being loaded."""
    from spacegraph.library import Spacegraph
    from spacegraph.store.oxigraph import StoreMissing

    library: Spacegraph = app.extensions["spacegraph"]
    library.load_in_background(FRESH_WAIT, lambda published: _load(published, say))
    warmed: str | None = None
    while rounds is None or rounds > 0:
        try:
            first = warmed is None
            published = library.published()
            if first:
                try:
                    _load(published, say)
                finally:  # after the loading, which they slowed down (their copies of a large store take CPU)
                    _start_query_processes(app)
            if published.version != warmed:
                _warm_pages(app, say, published.version)
                warmed = published.version
                _settle()
        except StoreMissing:
            pass
        except Exception as error:  # noqa: BLE001 - said, and tried again: the requests find the same error
            say(f"loading the data failed: {error!r}")
        rounds = None if rounds is None else rounds - 1
        time.sleep(WATCH_SECONDS)


def _settle() -> None:
    """Keep a loaded version out of the cyclic garbage collector's way: its projections and caches are millions of
    objects (565,000 at 10^5 quads), and each full collection walked them all, a pause of 0.17 s at 10^5 quiet and
    up to a second under load, in which the worker answered nothing (bench/README.md, issue 19). They live until the
    next version, so they are frozen (``gc.freeze``: never collected). The version before is unfrozen first and its
    cycles collected: one full collection per commit, in this thread, which holds the interpreter meanwhile (every
    worker does it at about the same time). Whatever else is alive at that moment is frozen too (a request's
    objects): those in reference cycles are collected only at the next commit."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _start_query_processes(app) -> None:
    """The worker's query processes, started so that their copies of the store in memory are being made before the
    first query (spacegraph.sparql.runner). Each is taken from the pool while it starts, as a query would take it;
    one a query holds was started by that query."""
    pool = app.extensions["sparql"]
    taken: list = []
    try:
        while len(taken) < len(pool.runners) and (runner := pool.acquire()) is not None:
            taken.append(runner)
            runner.start()
    finally:
        for runner in taken:
            pool.release(runner)


def _load(published, say: Callable[[str], None]) -> None:
    started = time.perf_counter()
    published.warm(say)
    say(f"version {published.version} loaded in {time.perf_counter() - started:.1f} s")


def _warm_pages(app, say: Callable[[str], None], version: str) -> None:
    started = time.perf_counter()
    client = app.test_client()
    for path in WARM_PATHS:
        client.get(path).close()
    say(f"pages of version {version} ready in {time.perf_counter() - started:.1f} s: {', '.join(WARM_PATHS)}")


def run_server(settings: Settings) -> None:
    SpacegraphServer(settings).run()
