"""Who is signed in: the curator's session, the view decorators that require one, and sign-in and sign-out.

A session holds the account's name and a stamp of its password hash, checked on every request: removing an account
or changing its password signs its sessions out. Sign-in is throttled per account and per address
(``accounts.Throttle``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,  # fmt: skip
)
from flask.sessions import SecureCookieSessionInterface

from spacegraph.ingest.documents import MAX_BYTES
from spacegraph.iris import Minter
from spacegraph.settings import Settings
from spacegraph.vocab import PROV
from spacegraph.web.curate.accounts import Account, Accounts, Throttle
from spacegraph.write.pipeline import Agent

bp = Blueprint("curate_auth", __name__, url_prefix="/curate")
F = TypeVar("F", bound=Callable[..., Any])


def settings() -> Settings:
    return current_app.config["SETTINGS"]


def signed_in() -> Account | None:
    """The account of the request's session, if it is still valid."""
    if "curator" not in g:
        name, stamp = session.get("curator"), session.get("stamp")
        account = Accounts(settings()).get(name) if isinstance(name, str) else None
        g.curator = account if account is not None and account.stamp == stamp else None
    return g.curator


def current_agent() -> Agent:
    """The signed-in curator as the ``Agent`` of a change: a ``prov:Person`` with an IRI minted for the account."""
    account = signed_in()
    if account is None:
        abort(403)
    return agent_for(account.name, settings())


def agent_for(name: str, settings: Settings) -> Agent:
    return Agent(str(Minter(settings.base).agent(f"curator/{name}")), name, str(PROV.Person))


def curator_required(view: F) -> F:
    """Only for a signed-in curator (or admin): a GET is sent to sign in, any other method is refused (403)."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if signed_in() is None:
            if request.method in ("GET", "HEAD"):
                return redirect(url_for("curate_auth.sign_in", next=request.full_path.rstrip("?")))
            abort(403, "sign in as a curator first")
        return view(*args, **kwargs)

    return cast(F, checked)


def admin_required(view: F) -> F:
    """Only for a signed-in admin (403 for a curator)."""

    @curator_required
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not cast(Account, signed_in()).is_admin:
            abort(403, "only an admin may do this")
        return view(*args, **kwargs)

    return cast(F, checked)


def allow_curator_bodies(settings: Settings) -> None:
    """A signed-in curator's request may carry a page (a PDF up to the ingest limit, a pasted text up to an event
    page's limit) and a form of hundreds of participants, beyond the app's limits for everyone else."""
    request.max_content_length = max(settings.ingest_pdf_max_bytes, MAX_BYTES) + 2**16
    request.max_form_memory_size = MAX_BYTES + 2**16
    request.max_form_parts = 20_000


UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f\\\\]")


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never ``//other.site`` or a full URL; no white space,
    control character or backslash, which browsers and Werkzeug drop or turn into ``/``: ``/\t/other.site``)."""
    if target and target.startswith("/") and not target.startswith("//") and not UNSAFE_IN_NEXT.search(target):
        return target
    return url_for("curate.index")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    target = request.values.get("next")
    if request.method == "GET":
        return render_template("curate/sign_in.html", next=target, error=None)
    name = request.form.get("name", "").strip().lower()
    keys = [f"account:{name}", f"address:{request.remote_addr}"]
    throttle = Throttle(settings())
    # The account's count is checked before the password; the address's only turns a wrong password away, so that
    # failures from a shared address (everyone behind a reverse proxy) cannot lock out a curator who knows theirs.
    # Every wrong password counts against both, whatever the answer says; the account's count goes up before the
    # password is checked (``attempt``), so requests at the same moment cannot all try.
    if wait := throttle.attempt(keys[:1]):
        return _too_many(target, name, wait)
    account = Accounts(settings()).verify(name, request.form.get("password", ""))
    if account is None:
        wait = throttle.wait(keys[1:])
        throttle.failed(keys[1:])
        if wait:
            return _too_many(target, name, wait)
        return render_template("curate/sign_in.html", next=target, error="Wrong name or password.", name=name), 401
    throttle.succeeded(keys[0])
    session.clear()
    session.permanent = True
    session.update(curator=account.name, stamp=account.stamp)
    return cast(Response, redirect(_safe_next(target)))


def _too_many(target: str | None, name: str, wait: float) -> tuple[str, int]:
    error = f"Too many failed sign-ins: try again in {max(1, round(wait / 60))} minute(s)."
    return render_template("curate/sign_in.html", next=target, error=error, name=name), 429


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    session.clear()
    return cast(Response, redirect(url_for("pages.home")))


class CuratorSessions(SecureCookieSessionInterface):
    """Flask's signed cookie, HttpOnly and SameSite=Lax, Secure when the request came over HTTPS or the settings
    say the site is served over HTTPS (``SPACEGRAPH_SECURE_COOKIES``, behind a proxy that ends TLS)."""

    def __init__(self, always_secure: bool):
        self.always_secure = always_secure

    def get_cookie_secure(self, app: Any) -> bool:
        return self.always_secure or request.is_secure

    def get_cookie_httponly(self, app: Any) -> bool:
        return True

    def get_cookie_samesite(self, app: Any) -> str:
        return "Lax"
