"""Curator mode: accounts, sign-in, and the pages that write (add an edition, review, history, undo).

``register(app)`` adds ``CURATOR_BLUEPRINTS`` to the app only when at least one curator account exists: a public
read-only deployment has no write route at all (404). Every form of those blueprints carries a CSRF token
(Flask-WTF's CSRFProtect, checked for them only: /sparql's POST stays a protocol endpoint), and the session cookie
is HttpOnly, SameSite=Lax and Secure over HTTPS (``auth.CuratorSessions``). The accounts are read when the app is
created: after adding the first account, restart the server.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, request
from flask_wtf.csrf import CSRFProtect

from spacegraph.settings import Settings
from spacegraph.web.curate import account_pages, auth, editions, entities, history_pages, home, proposals, review
from spacegraph.web.curate.accounts import Accounts, secret_key

CURATOR_BLUEPRINTS: list[Blueprint] = [auth.bp, home.bp, editions.bp, review.bp, history_pages.bp, account_pages.bp]
CURATOR_BLUEPRINTS.append(entities.bp)  # people, organisations, merges, the topic scheme (issue 16 B)
CURATOR_BLUEPRINTS.append(proposals.bp)  # proposals and the longlist (issue 16 B)


def register(app: Flask) -> None:
    """The curator blueprints, their CSRF check and the session cookie, when there are accounts."""
    settings: Settings = app.config["SETTINGS"]
    history_pages.add_entity_history(app, settings)  # entity pages show their history, with or without accounts
    if not Accounts(settings).exist():
        return
    app.secret_key = secret_key(settings)
    app.session_interface = auth.CuratorSessions(bool(settings.secure_cookies))
    app.config.update(WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=12))  # fmt: skip
    csrf = CSRFProtect(app)
    names = {blueprint.name for blueprint in CURATOR_BLUEPRINTS}

    def protect() -> None:
        if request.blueprint in names:
            if auth.signed_in() is not None:  # a curator's page upload or long form; others keep the app's limits
                auth.allow_curator_bodies(settings)
            csrf.protect()

    app.before_request(protect)
    app.context_processor(lambda: {"curator": auth.signed_in(), "curating": True})
    for blueprint in CURATOR_BLUEPRINTS:
        app.register_blueprint(blueprint)
