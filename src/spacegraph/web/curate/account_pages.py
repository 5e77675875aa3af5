"""Accounts in the browser, for admins: list, add, set a password, remove (``accounts.Accounts``, as the
`spacegraph user` commands)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from spacegraph.web.curate.accounts import ROLES, AccountError, Accounts
from spacegraph.web.curate.auth import admin_required, settings, signed_in

bp = Blueprint("curate_accounts", __name__, url_prefix="/curate/accounts")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index() -> str | tuple[str, int]:
    accounts = Accounts(settings())
    message, done, status = None, None, 200
    if request.method == "POST":
        name, action = request.form.get("name", "").strip().lower(), request.form.get("action")
        try:
            done = _change(accounts, name, action)
        except AccountError as error:
            message, status = str(error), 422
    listed = sorted(accounts.all().values(), key=lambda a: a.name)
    return render_template("curate/accounts.html", accounts=listed, roles=ROLES, message=message, done=done), status


def _change(accounts: Accounts, name: str, action: str | None) -> str:
    me = signed_in()
    if action == "add":
        accounts.add(name, request.form.get("role", "curator"), request.form.get("password", ""))
        return f"Added {name}."
    if action == "password":
        accounts.set_password(name, request.form.get("password", ""))
        return f"Changed the password of {name}; its sessions are signed out."
    if action == "remove":
        if me is not None and name == me.name:
            raise AccountError("you cannot remove your own account here: another admin, or `spacegraph user remove`")
        accounts.remove(name)
        return f"Removed {name}."
    raise AccountError("unknown action")
