"""Commands that curate entities by hand: edit a person or an organisation, merge two, add or rename a topic.

Each is one call of ``spacegraph.library.entities``: validated, and committed to data/ and the store together in one
journaled commit (or nothing is written, exit 1), attributed to the command (or to a curator, with --curator).
"""

from __future__ import annotations

from collections.abc import Callable

import click

from spacegraph.cli import _ask, _settings, cli
from spacegraph.library.entities import Edited
from spacegraph.write import Agent

CURATOR_OPTION = click.option("--curator", help="Attribute the change to this curator account (default: the command).")


def _agent(ctx: click.Context, command: str, curator: str | None) -> Agent:
    from spacegraph.web.curate.auth import agent_for

    return agent_for(curator, _settings(ctx)) if curator else Agent.program(command, _settings(ctx))


def _run(ctx: click.Context, operation: Callable[[], Edited]) -> None:
    edited = _ask(ctx, lambda _library: operation())
    click.echo(edited.summary[0].upper() + edited.summary[1:] + ".")
    if edited.graphs:
        click.echo(f"Committed {len(edited.graphs)} graph(s): " + ", ".join(f"<{g}>" for g in edited.graphs))


def NAME_OPTIONS(command: Callable) -> Callable:  # noqa: N802 (used as a decorator, like click's)
    """--name, --alias and --no-aliases, as a person and an organisation both have them."""
    for option in reversed([
        click.option("--name", help="The canonical name (the old one is kept as an alias)."),
        click.option("--alias", "aliases", multiple=True, help="An alias; repeat for several. Replaces the aliases."),
        click.option("--no-aliases", is_flag=True, help="Remove every alias."),
    ]):  # fmt: skip
        command = option(command)
    return command


COUNTRY_OPTION = click.option("--country", help="ISO 3166-1 alpha-2 code (e.g. US, CN); empty to remove.")


def _aliases(aliases: tuple[str, ...], no_aliases: bool) -> list[str] | None:
    return [] if no_aliases else (list(aliases) if aliases else None)


@cli.group("person")
def person_group() -> None:
    """Curate a person of the graph."""


@person_group.command("edit")
@click.argument("who")
@NAME_OPTIONS
@click.option("--side", help="The side of each of their participations: U.S., China or other.")
@COUNTRY_OPTION
@CURATOR_OPTION
@click.pass_context
def person_edit(ctx: click.Context, who: str, name: str | None, aliases: tuple[str, ...], no_aliases: bool,
                side: str | None, country: str | None, curator: str | None) -> None:  # fmt: skip
    """Edit a person (by name, alias or IRI): canonical name, aliases, side, country.

    \b
    Example:
      spacegraph person edit "Ian Christensen" --country US --side U.S.
      spacegraph person edit "CIU Yufu" --name "CUI Yufu" --alias "Yufu Cui"
    """
    from spacegraph.library.entities import edit_entity

    by = _agent(ctx, "spacegraph person edit", curator)
    fields = {"name": name, "aliases": _aliases(aliases, no_aliases), "side": side, "country": country}
    _run(ctx, lambda: edit_entity(_settings(ctx), by, who, "person", **fields))


@cli.group("organisation")
def organisation_group() -> None:
    """Curate an organisation of the graph."""


@organisation_group.command("edit")
@click.argument("which")
@NAME_OPTIONS
@click.option("--acronym", help="An acronym (kept as an alias, skos:altLabel).")
@click.option("--sector", help="government body, state-owned enterprise, private company, non-profit, research "
              "institute or intergovernmental body; empty to remove.")  # fmt: skip
@COUNTRY_OPTION
@CURATOR_OPTION
@click.pass_context
def organisation_edit(ctx: click.Context, which: str, name: str | None, aliases: tuple[str, ...], no_aliases: bool,
                      acronym: str | None, sector: str | None, country: str | None, curator: str | None) -> None:  # fmt: skip
    """Edit an organisation (by name, alias or IRI): canonical name, aliases, acronym, sector, country.

    \b
    Example:
      spacegraph organisation edit "Caelus Foundation" --sector non-profit --country US --acronym CF
    """
    from spacegraph.library.entities import edit_entity

    by = _agent(ctx, "spacegraph organisation edit", curator)
    fields = {"name": name, "aliases": _aliases(aliases, no_aliases), "acronym": acronym, "sector": sector,
              "country": country}  # fmt: skip
    _run(ctx, lambda: edit_entity(_settings(ctx), by, which, "organisation", **fields))


@cli.command("merge")
@click.argument("old")
@click.argument("new")
@click.option("--organisations", is_flag=True, help="Merge two organisations (default: two people).")
@CURATOR_OPTION
@click.pass_context
def merge_command(ctx: click.Context, old: str, new: str, organisations: bool, curator: str | None) -> None:
    """Merge OLD into NEW: every record in every graph that points at OLD is moved to NEW, in one commit.

    OLD's names become aliases of NEW, and `OLD owl:sameAs NEW` is kept, so OLD's IRI still leads to NEW
    (its page redirects).

    \b
    Example:
      spacegraph merge "Blaine Vincent Curcio" "Blaine Curcio"
      spacegraph merge "China Rocket" "China Academy of Launch Vehicle Technology" --organisations
    """
    from spacegraph.library.entities import merge_entities

    kind = "organisation" if organisations else "person"
    by = _agent(ctx, "spacegraph merge", curator)
    _run(ctx, lambda: merge_entities(_settings(ctx), by, old, new, kind))


@cli.group("topic")
def topic_group() -> None:
    """Curate the topic scheme."""


@topic_group.command("add")
@click.option("--en", "english", required=True, help="The English label.")
@click.option("--zh", "chinese", required=True, help="The Chinese label.")
@click.option("--broader", multiple=True, help="A broader topic (label or IRI); repeat for several.")
@CURATOR_OPTION
@click.pass_context
def topic_add(ctx: click.Context, english: str, chinese: str, broader: tuple[str, ...], curator: str | None) -> None:
    """Add a topic to the scheme; it counts as never covered until an edition is about it.

    \b
    Example:
      spacegraph topic add --en "space weather services" --zh "空间天气服务" --broader "space commercialization"
    """
    from spacegraph.library.entities import add_topic

    by = _agent(ctx, "spacegraph topic add", curator)
    _run(ctx, lambda: add_topic(_settings(ctx), by, english, chinese, list(broader)))


@topic_group.command("rename")
@click.argument("topic")
@click.option("--en", "english", help="The new English label (the old one is kept as an alias).")
@click.option("--zh", "chinese", help="The new Chinese label.")
@CURATOR_OPTION
@click.pass_context
def topic_rename(ctx: click.Context, topic: str, english: str | None, chinese: str | None, curator: str | None) -> None:
    """Give a topic new labels; its IRI stays.

    \b
    Example:
      spacegraph topic rename "space weather services" --en "space weather"
    """
    from spacegraph.library.entities import rename_topic

    by = _agent(ctx, "spacegraph topic rename", curator)
    _run(ctx, lambda: rename_topic(_settings(ctx), by, topic, english, chinese))
