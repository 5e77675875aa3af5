"""Curator accounts: user add, list, remove, password (``spacegraph.web.curate.accounts``)."""

from __future__ import annotations

import sys

import click

from spacegraph.cli import _fail, _settings, cli


@cli.group()
def user() -> None:
    """Curator accounts of the web app (who may write from the browser).

    With no account, the web app has no write route at all. Restart the server after adding the first account.

    \b
    Example:
      spacegraph user add alice --role curator
      spacegraph user list
    """


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _accounts(ctx: click.Context):
    from spacegraph.web.curate.accounts import Accounts

    return Accounts(_settings(ctx))


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["curator", "admin"]), default="curator", show_default=True,
              help="curator: adds and corrects data; admin: also manages accounts.")  # fmt: skip
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (no prompt).")
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Add an account; the password is asked twice (or read from stdin).

    \b
    Example:
      spacegraph user add alice --role admin
      printf '%s\\n' "$PASSWORD" | spacegraph user add bob --password-stdin
    """
    from spacegraph.web.curate.accounts import AccountError

    try:
        account = _accounts(ctx).add(name, role, _password(password_stdin))
    except AccountError as error:
        _fail(str(error), 1)
    click.echo(f"Added {account.role} {account.name!r}. Restart the web app if it has no account yet.")


@user.command("list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List the accounts and their roles.

    \b
    Example:
      spacegraph user list
    """
    from spacegraph.web.curate.accounts import AccountError

    try:
        accounts = _accounts(ctx).all()
    except AccountError as error:
        _fail(str(error))
    if not accounts:
        click.echo("No accounts: the web app is read-only. `spacegraph user add NAME` adds one.")
    for account in accounts.values():
        click.echo(f"{account.name}\t{account.role}")


@user.command("remove")
@click.argument("name")
@click.pass_context
def user_remove(ctx: click.Context, name: str) -> None:
    """Remove an account; its sessions are signed out at their next request.

    \b
    Example:
      spacegraph user remove bob
    """
    from spacegraph.web.curate.accounts import AccountError

    try:
        _accounts(ctx).remove(name)
    except AccountError as error:
        _fail(str(error), 1)
    click.echo(f"Removed {name!r}.")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@click.pass_context
def user_password(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set an account's password; its sessions are signed out.

    \b
    Example:
      spacegraph user password alice
    """
    from spacegraph.web.curate.accounts import AccountError

    try:
        _accounts(ctx).set_password(name, _password(password_stdin))
    except AccountError as error:
        _fail(str(error), 1)
    click.echo(f"Changed the password of {name!r}; its sessions are signed out.")
