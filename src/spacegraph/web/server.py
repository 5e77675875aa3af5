"""Running the app under gunicorn, the production WSGI server, from `spacegraph serve`."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from spacegraph.settings import Settings


class SpacegraphServer(BaseApplication):
    """gunicorn with the app built by ``create_app`` in each worker process."""

    def __init__(self, settings: Settings):
        self.settings_ = settings
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"{self.settings_.host}:{self.settings_.port}")
        self.cfg.set("workers", self.settings_.workers)
        self.cfg.set("accesslog", "-")
        self.cfg.set("timeout", 60)
        self.cfg.set("post_worker_init", _start_query_process)

    def load(self):
        from spacegraph.web import create_app

        return create_app({"SETTINGS": self.settings_})


def _start_query_process(worker) -> None:
    """Each worker starts its query process as it boots, so that the copy of the store in memory is being made
    before the first query (spacegraph.sparql.runner)."""
    worker.wsgi.extensions["sparql"].start()


def run_server(settings: Settings) -> None:
    SpacegraphServer(settings).run()
