"""The web app: built by ``create_app``; no module-level app or graph. Blueprints per area."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request

from spacegraph.settings import Settings, load_settings
from spacegraph.store.oxigraph import PublishedStore


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app on the store named by the settings (or ``test_config['SETTINGS']``)."""
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    settings: Settings = app.config.get("SETTINGS") or load_settings()
    app.config["SETTINGS"] = settings
    # Each worker process opens the store read-only; `spacegraph build` swaps in a new store beside it.
    app.extensions["store"] = PublishedStore(settings.store)

    from spacegraph.web import pages

    app.register_blueprint(pages.bp)

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
