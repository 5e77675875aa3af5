"""Curator accounts (user add, list, remove, password) and who changed what (history, undo)."""

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


@cli.command("history")
@click.argument("what", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.pass_context
def history_command(ctx: click.Context, what: str | None, as_json: bool) -> None:
    """Who changed what: the changes of a graph, or of the graphs that mention an entity (an IRI); all without one.

    \b
    Example:
      spacegraph history
      spacegraph history https://w3id.org/spacegraph/id/person/jeffrey-manber
    """
    import json

    from spacegraph.write.history import history

    settings = _settings(ctx)
    graph = what if what and "/graph/" in what else None
    changes = history(settings, graph=graph, entity=what if what and graph is None else None)
    if as_json:
        click.echo(json.dumps([c.summary() for c in changes], indent=2, ensure_ascii=False))
        return
    if not changes:
        click.echo("No changes recorded." if what is None else f"No changes recorded for {what}.")
    for change in changes:
        click.echo(f"{change.id}  {change.at}  {change.by['label']}: {change.note} (+{change.added} −{change.removed})")


@cli.command("undo")
@click.argument("change")
@click.pass_context
def undo_command(ctx: click.Context, change: str) -> None:
    """Undo a change (GRAPH/NUMBER, from `spacegraph history`): the graph gets its previous content back, through
    the write path (validated, journaled, itself undoable). Refused when the graph changed since.

    \b
    Example:
      spacegraph undo swfound-2020-second-sino-us-space-commercialization-workshop/00003
    """
    from spacegraph.write import Agent, WriteRejected
    from spacegraph.write.history import UndoRefused, undo

    settings = _settings(ctx)
    try:
        done = undo(settings, change, Agent.program("spacegraph undo", settings))
    except (LookupError, UndoRefused) as error:
        _fail(str(error), 1)
    except WriteRejected as error:
        _fail(f"the graph as it was does not conform now, nothing was written:\n{error.report.render()}", 1)
    click.echo(f"{done.id}: {done.note}")
