"""The web app: built by ``create_app``; no module-level app or graph. Blueprints per area.

A route is a few lines around one call: it builds a page (one module per kind in ``web/pages/``) from the
request's library object (``web.context.library()``) and hands it to the one renderer (``web.render``), which
chooses HTML, JSON or RDF and answers every error in one shape.
"""

from __future__ import annotations

import atexit
from typing import Any

from flask import Flask

from spacegraph.library import Spacegraph
from spacegraph.settings import Settings, load_settings
from spacegraph.web import api, curate, headers, linked, network, queries, render, routes, sparql
from spacegraph.web.context import LIBRARY, QUERY_POOL


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app on the store named by the settings (or ``test_config['SETTINGS']``); StoreMissing when
    there is no data yet."""
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    settings: Settings = app.config.get("SETTINGS") or load_settings()
    app.config["SETTINGS"] = settings
    library = Spacegraph(settings)
    library.version()  # StoreMissing now, rather than on the first request
    app.extensions[LIBRARY] = library
    pool = sparql.query_pool_for(settings)
    app.extensions[QUERY_POOL] = pool
    atexit.register(pool.stop)
    if not app.config.get("MAX_CONTENT_LENGTH"):
        app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes + 4096
    for blueprint in (routes.bp, sparql.bp, queries.bp, api.bp, network.bp, linked.bp):
        app.register_blueprint(blueprint)
    headers.add_to(app, settings.cors_origin)
    curate.register(app)  # the curator blueprints, only when there are curator accounts
    render.handle_errors(app)
    return app
