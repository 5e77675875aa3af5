"""The web app: built by ``create_app``; no module-level app or graph. Blueprints per area."""

from __future__ import annotations

import atexit
from typing import Any

from flask import Flask, abort, jsonify, render_template, request, send_from_directory

from spacegraph.settings import PROJECT_ROOT, Settings, load_settings
from spacegraph.sparql.remote import RemoteQueryRunner
from spacegraph.sparql.runner import QueryRunner
from spacegraph.store.open import FixedStore, data_version, sparql_store
from spacegraph.store.oxigraph import PublishedStore
from spacegraph.web.sparql import QueryPool

NODE_MODULES = PROJECT_ROOT / "node_modules"
# The front-end files served at /vendor/NAME: each from its npm package, pinned in package-lock.json.
VENDOR_FILES = {
    "yasgui.min.js": NODE_MODULES / "@zazuko" / "yasgui" / "build",
    "yasgui.min.css": NODE_MODULES / "@zazuko" / "yasgui" / "build",
    "cytoscape.min.js": NODE_MODULES / "cytoscape" / "dist",
    "layout-base.js": NODE_MODULES / "layout-base",
    "cose-base.js": NODE_MODULES / "cose-base",
    "cytoscape-fcose.js": NODE_MODULES / "cytoscape-fcose",
}

# The network view draws on canvas and exports PNG/SVG through blob: URLs; YASGUI's stylesheet has data: images,
# and its editor asks the Linked Open Vocabularies (lov.linkeddata.es) for property and class completions. The
# column resizer of YASGUI's result table adds two fixed <style> elements, allowed by their hashes (YASGUI_STYLES).
YASGUI_STYLES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # " .grip-resizable{table-layout:fixed;} …"
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",  # "*{cursor:col-resize!important}", while dragging
)
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {' '.join(YASGUI_STYLES)}; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self' lov.linkeddata.es; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app on the store named by the settings (or ``test_config['SETTINGS']``)."""
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    settings: Settings = app.config.get("SETTINGS") or load_settings()
    app.config["SETTINGS"] = settings
    runners: list[QueryRunner] | list[RemoteQueryRunner]
    processes = max(1, settings.query_processes)  # /sparql queries this worker runs at once (web.sparql.QueryPool)
    if settings.remote:  # the store is on a SPARQL server: every request reads it there
        remote = sparql_store(settings)
        data_version(settings)  # StoreMissing now, rather than on the first request
        app.extensions["store"] = FixedStore(remote)
        runners = [RemoteQueryRunner(remote, settings.query_timeout) for _ in range(processes)]
    else:
        # Each worker process opens the published store read-only, and reopens it when a writer publishes anew.
        app.extensions["store"] = PublishedStore(settings.store)
        runners = [
            QueryRunner(
                settings.store,
                settings.query_timeout,
                settings.query_memory_quads,
                settings.workers * processes,  # every query process of every worker makes its copy
                settings.query_memory_limit * 2**20,
            )
            for _ in range(processes)
        ]
    pool = QueryPool(runners)
    app.extensions["sparql"] = pool
    atexit.register(pool.stop)
    if not app.config.get("MAX_CONTENT_LENGTH"):
        app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes + 4096

    from spacegraph.web import api, linked_data, network, pages, planning, queries, sparql

    app.register_blueprint(pages.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(network.bp)
    app.register_blueprint(planning.bp)

    @app.get("/vendor/<path:filename>")
    def vendor(filename: str):
        """Front-end libraries from the npm registry, pinned in package-lock.json, served from node_modules."""
        if filename not in VENDOR_FILES:
            abort(404)
        return send_from_directory(VENDOR_FILES[filename], filename, max_age=86400)

    @app.get("/favicon.ico")
    def favicon():
        return "", 204

    @app.after_request
    def security_headers(response):
        """On every answer: only this site's own scripts, styles and connections (no inline script or style), no
        framing, no content-type sniffing, and no path or query sent to other sites."""
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response

    @app.after_request
    def cors(response):
        if settings.cors_origin and (
            request.path in ("/sparql",) or request.path.startswith("/api/") or request.path.endswith(".json")
        ):
            response.headers["Access-Control-Allow-Origin"] = settings.cors_origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
            response.headers["Access-Control-Expose-Headers"] = "X-Result-Truncated, Warning, Server-Timing"
            response.headers["Timing-Allow-Origin"] = settings.cors_origin
        return response

    @app.errorhandler(413)
    def too_large(error: Exception):
        return _error(
            413, "Request too large", f"Request bodies are limited to {app.config['MAX_CONTENT_LENGTH']:,} bytes."
        )

    @app.errorhandler(404)
    def not_found(error: Exception):
        return _error(404, "Not found", f"Nothing is at {request.path}.")

    @app.errorhandler(500)
    def server_error(error: Exception):
        return _error(500, "Server error", "The server failed on this request; the error is in its log.")

    return app


def _error(status: int, title: str, message: str):
    """One error shape: JSON for clients that ask for it, a page for browsers."""
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return jsonify({"ok": False, "status": status, "title": title, "error": message}), status
    return render_template("error.html", status=status, title=title, message=message), status
